"""How long the Sobol sweep takes, timed on the sweep's own machinery.

Day to day (`make bench`) a stand-in: the first K evaluations of the full design (K = 56: four
whole Saltelli blocks, one batch each, two per worker, so the runs a worker reuses within a block
count as they do in the whole sweep and neither worker waits for the other), exactly the tasks `sim sweep` submits (sim.sensitivity.design.make_tasks: same evaluator,
same keyword arguments, same seeds), run by sim.run.executor.run_tasks on a process pool of 2 workers with a
result store, as `sim sweep --workers 2` runs them. Two timings: one evaluation per worker
(pool start-up, the kernels' load in each worker, one run each: the fixed cost), then K; the
difference gives the wall time of one more evaluation on that pool, and

    full sweep ~ fixed + (evaluations of the full sweep - workers) x wall per evaluation.

What the stand-in leaves out: the analysis at the end (Sobol indices with bootstrap, charts) and
the folder's bookkeeping. The full measurement (`make bench-sweep`) runs `sim sweep` itself
(sim.sensitivity.sweep.run_sweep) and records its wall time, analysis included.
"""
from __future__ import annotations

import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..manifest import ROOT

FULL_CONFIG = ROOT / "experiments" / "sweep-olst-wijhe.toml"


@dataclass(frozen=True)
class SweepTiming:
    """A shortened sweep, timed, and what it says about the whole one."""

    config: str
    total: int  # evaluations of the full sweep (design rows + one-way runs)
    evaluations: int  # K, timed
    workers: int
    fixed_seconds: float  # wall of one evaluation per worker, pool start-up included
    seconds: float  # wall of the K evaluations, pool start-up included
    cpu_seconds: float  # CPU time of the K evaluations (this process and its workers)
    note: str = ""

    @property
    def per_evaluation(self) -> float:
        """Wall seconds one more evaluation adds on this pool (about CPU per evaluation / workers)."""
        extra = self.evaluations - self.workers
        marginal = (self.seconds - self.fixed_seconds) / extra if extra > 0 else 0.0
        return marginal if marginal > 0 else self.seconds / self.evaluations

    @property
    def cpu_per_evaluation(self) -> float:
        return self.cpu_seconds / self.evaluations

    @property
    def extrapolated_seconds(self) -> float:
        return self.fixed_seconds + (self.total - self.workers) * self.per_evaluation


def sweep_tasks(config):
    """The tasks `sim sweep CONFIG` would run, in its order (design rows, then one-way runs)."""
    from ..sensitivity.config import load_sweep
    from ..sensitivity.design import make_design, make_tasks

    spec = load_sweep(config)
    return make_tasks(spec, make_design(spec))


def sweep_batch_size(config) -> int:
    """Tasks per batch as `sim sweep CONFIG` submits them (a whole design block)."""
    from ..sensitivity.config import load_sweep
    from ..sensitivity.design import tasks_per_batch

    return tasks_per_batch(load_sweep(config))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (a process pool's workers count
    once the pool has shut down)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def check_evaluations(evaluations, workers: int, total: int | None = None, *, key: str = "--sweep-evaluations"):
    """K must exceed one round of the workers (else there is no marginal cost to see) and fit the design."""
    if isinstance(evaluations, bool) or not isinstance(evaluations, int) or evaluations < 2 * workers or (
            total is not None and evaluations > total):
        upper = f" and at most {total:,} (the design's size)" if total is not None else ""
        raise ConfigError("not a usable number of evaluations to time", key=key, found=evaluations,
                          expected=f"a whole number of at least {2 * workers} (twice the workers){upper}")


def time_tasks(tasks, *, workers: int | None = 2, scheduler=None, store=None,
               batch_size: int | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its pool) of running ``tasks`` the way a sweep
    runs them (``batch_size``: `sweep_batch_size`); ``scheduler`` sends them to Dask (its workers'
    CPU is not counted here)."""
    from ..run.executor import run_tasks
    from ..sensitivity.model import evaluate

    cpu0, t0 = cpu_seconds(), time.perf_counter()
    run_tasks(evaluate, tasks, workers=workers, scheduler=scheduler, store=store, progress=False,
              desc="bench", batch_size=batch_size)
    return time.perf_counter() - t0, cpu_seconds() - cpu0


def time_sweep_sample(config=FULL_CONFIG, evaluations: int = 56, workers: int = 2, *, tasks=None) -> SweepTiming:
    """Time the first ``evaluations`` tasks of ``config``'s sweep (``tasks``, when already made) on
    ``workers`` local processes (nothing is kept: the runs go to a temporary store)."""
    tasks = sweep_tasks(config) if tasks is None else tasks
    check_evaluations(evaluations, workers, len(tasks))
    with tempfile.TemporaryDirectory(prefix="sim-bench-sweep-") as tmp:
        fixed, _ = time_tasks(tasks[:workers], workers=workers, store=Path(tmp) / "fixed")
        wall, cpu = time_tasks(tasks[:evaluations], workers=workers, store=Path(tmp) / "runs",
                               batch_size=sweep_batch_size(config))
    note = ("" if wall > fixed else
            "the K evaluations took no longer than the fixed cost (a noisy machine?): wall/K used, an upper bound")
    return SweepTiming(_name(config), len(tasks), evaluations, workers, fixed, wall, cpu, note)


def run_full_sweep(config=FULL_CONFIG, *, workers: int = 2, out="results") -> dict:
    """`sim sweep CONFIG --workers N` in full, timed: the record's entry (the sweep's results
    folder is kept, as `sim sweep` keeps it)."""
    from ..sensitivity.sweep import run_sweep
    from .record import load_average

    load = load_average()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    folder = run_sweep(config, out=out, workers=workers, progress=True)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    evaluations = len(sweep_tasks(config))
    return {"config": _name(config), "evaluations": evaluations, "workers": workers, "seconds": round(seconds, 1),
            "cpu_seconds_per_evaluation": round(cpu / evaluations, 3), "load_average_before": load,
            "results": str(folder), "how": f"sim sweep {_name(config)} --workers {workers}, analysis included"}


def _name(config) -> str:
    path = Path(config).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
