"""Scaling out: the same sweep evaluations on a Dask LocalCluster of one worker, then of two.

Each cluster is `LocalCluster(n_workers=n, threads_per_worker=1, processes=True)` on this machine
(loopback, no dashboard). Its start-up and the workers' warm-up (importing the model and loading
its numba kernels once per worker) are timed and reported apart, and are NOT in the timed part:
what is compared is the sweep itself, the first K tasks of the sweep's design sent through
sim.run.executor.run_tasks with the scheduler's address, exactly what
`sim sweep CONFIG --scheduler tcp://...` does (results come back and are stored by this
process). Target: the two-worker time at most 0.55 of the one-worker time.

CPU-seconds per evaluation (for what a cluster costs) are the workers' own CPU time (user +
system) over the timed part, divided by K: unlike wall time, they hardly depend on what else the
machine is doing.
"""
from __future__ import annotations

import logging
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..run.executor import default_workers
from .sweep import FULL_CONFIG, _name, check_evaluations, sweep_batch_size, sweep_tasks, time_tasks

TARGET_RATIO = 0.55
INSTALL_HINT = "pip install -e . (dask[distributed] is a dependency of prevention-sim; make install does it)"


@dataclass(frozen=True)
class ClusterTiming:
    workers: int
    startup_seconds: float  # LocalCluster and client up
    warmup_seconds: float  # every worker imports the model and loads its kernels
    seconds: float  # the K evaluations, through the executor, by scheduler address
    worker_cpu_seconds: float


def _worker_cpu() -> float:
    """Runs on a worker: its process's CPU seconds so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warm_up() -> bool:
    """Runs on a worker: import the evaluator and load the numba kernels, as its first task would."""
    import importlib

    from sim.bench.reference import load_kernels

    importlib.import_module("sim.sensitivity.model")  # what every sweep task imports
    load_kernels()
    return True


def time_on_cluster(tasks, n_workers: int, store, batch_size: int | None = None) -> ClusterTiming:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("Dask distributed is not installed", key="--dask-scaling", expected=INSTALL_HINT) from None
    t0 = time.perf_counter()
    # Only critical messages are shown: at close, busy workers get killed after a few seconds
    # with a warning, and a worker whose heartbeat meets the closing scheduler logs an ERROR with
    # a traceback; neither says anything about the measurement, which has finished by then.
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        client.wait_for_workers(n_workers)
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        client.run(_warm_up)
        warmup = time.perf_counter() - t0
        cpu0 = sum(client.run(_worker_cpu).values())
        seconds, _ = time_tasks(tasks, scheduler=cluster.scheduler_address, store=store, batch_size=batch_size)
        cpu = sum(client.run(_worker_cpu).values()) - cpu0
    return ClusterTiming(n_workers, startup, warmup, seconds, cpu)


def measure_scaling(config=FULL_CONFIG, evaluations: int = 56, out=None) -> dict:
    """Time K evaluations on one worker, then on two; print both, the ratio and the CPU per
    evaluation; return the bench record's entry."""
    from .record import load_average

    out = sys.stdout if out is None else out
    tasks = sweep_tasks(config)
    check_evaluations(evaluations, 2, len(tasks))
    load = load_average()
    timings = []
    batch = sweep_batch_size(config)
    with tempfile.TemporaryDirectory(prefix="sim-bench-dask-") as tmp:
        for n in (1, 2):
            t = time_on_cluster(tasks[:evaluations], n, Path(tmp) / f"runs-{n}", batch_size=batch)
            timings.append(t)
            print(f"LocalCluster, {n} worker(s) x 1 thread: start-up {t.startup_seconds:.1f} s and warm-up "
                  f"{t.warmup_seconds:.1f} s (not timed below); {evaluations} evaluations of {_name(config)} "
                  f"through the executor by scheduler address: {t.seconds:.1f} s wall, worker CPU "
                  f"{t.worker_cpu_seconds / evaluations:.2f} s per evaluation", file=out)
    one, two = timings
    ratio = two.seconds / one.seconds
    print(f"two workers / one worker: {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'not met'}; "
          f"machine load average {load} before it started, on {default_workers()} cores)", file=out)
    return {"config": _name(config), "evaluations": evaluations, "seconds_1": round(one.seconds, 2),
            "seconds_2": round(two.seconds, 2), "ratio": round(ratio, 3),
            "startup_seconds": [round(one.startup_seconds, 2), round(two.startup_seconds, 2)],
            "warmup_seconds": [round(one.warmup_seconds, 2), round(two.warmup_seconds, 2)],
            "cpu_seconds_per_evaluation": round(one.worker_cpu_seconds / evaluations, 3),
            "load_average_before": load,
            "how": "LocalCluster(n_workers=1, then 2, threads_per_worker=1); start-up and warm-up excluded"}
