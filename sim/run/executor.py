"""Run many independent model runs serially, on local processes, or on Dask.

This module is the only place in the project that knows about processes,
pools or Dask. Everything above it (sweeps, sensitivity analysis, calibration)
describes *what* to run as a list of :class:`Task` objects and gets back
``{key: result}`` in task order; how and where the runs execute is decided by
two arguments, ``workers`` and ``scheduler``.

Design decisions, and why:

* **Randomness stays in the task.** ``func`` must take its seed from its own
  keyword arguments; the executor never seeds, reorders or retries anything,
  so serial, process-pool and Dask runs return identical results and a resumed
  sweep equals an uninterrupted one.
* **Local parallelism uses ``concurrent.futures.ProcessPoolExecutor`` with the
  ``spawn`` start method**, not a Dask ``LocalCluster``. On one machine a pool
  needs no scheduler/nanny processes, no dashboard port and no extra config,
  and its failure modes are simpler to read. ``spawn`` (rather than Linux's
  default ``fork``) because forking a process that already runs threads (tqdm's
  monitor, a Dask client, BLAS) can deadlock, and because it behaves the same
  on macOS and Windows. The price is that ``func`` must be importable (a
  top-level function in a module), which Dask requires anyway.
* **Dask is used only when asked for** (``scheduler=`` an address, a
  ``distributed.Client`` or a cluster object such as ``SLURMCluster``), via
  ``client.get_executor()``, so the same submission loop drives both backends.
  Results travel back to this process and are written here, so workers need
  no access to the store directory.
* **Batching is adaptive.** Tasks of ~20 ms are dominated by per-submission
  overhead (pickling, IPC, scheduler round trips), while hour-long tasks must
  not be grouped or a crash loses hours. With ``batch_size=None`` the first
  wave is one task per submission; from measured task durations later batches
  are sized to last about ``TARGET_BATCH_SECONDS`` and are capped so that the
  tail of the sweep is still spread over all workers.
* **Every finished result is stored atomically at once** (see
  :mod:`sim.run.store`), so a killed sweep resumes where it stopped.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import pickle
import time
import traceback
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.run.store import ResultStore, validate_key

__all__ = ["Task", "TaskError", "run_tasks", "default_workers", "TARGET_BATCH_SECONDS"]

#: Aim for batches of about this wall time: long enough that submission
#: overhead (~1 ms locally, a few ms on Dask) is < 1 %, short enough that a
#: crash or the last straggler costs little.
TARGET_BATCH_SECONDS = 0.5

#: Upper bound on tasks per batch regardless of speed, so a single batch's
#: results never become a memory problem in transit.
MAX_BATCH_SIZE = 1000

#: Submissions kept in flight per worker slot. Two keeps every worker busy
#: while the main process stores the previous batch's results.
_IN_FLIGHT_PER_SLOT = 2


@dataclass(frozen=True)
class Task:
    """One independent run: ``func(**kwargs)``, identified by ``key``.

    The key names the result in the returned dict and its file in the store,
    so it must be unique within a sweep and stable between the first run and a
    resume (derive it from the design row, never from time or order of
    completion). Allowed characters: see :func:`sim.run.store.validate_key`.
    """

    key: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate_key(self.key)


class TaskError(RuntimeError):
    """A task raised (or its worker died). ``key`` names the task.

    ``keys`` lists every task of the batch when the failure could not be
    pinned to one task (e.g. a worker process killed by the OOM killer).
    """

    def __init__(self, message: str, *, key: str, keys: tuple[str, ...] = ()):
        super().__init__(message)
        self.key = key
        self.keys = keys or (key,)


def default_workers() -> int:
    """Number of CPUs this process may use.

    Why not plain ``os.cpu_count()``: inside a SLURM/cgroup allocation the
    node may have 64 cores while the job was given 4; the affinity mask is
    what the job may actually use.
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# (long: the argument checks, store resume and the choice of backend are one documented entry point)
def run_tasks(
    func: Callable[..., Any],
    tasks: Sequence[Task],
    *,
    workers: int | None = None,
    scheduler: Any = None,
    store: str | os.PathLike[str] | None = None,
    batch_size: int | None = None,
    progress: bool = True,
    desc: str = "runs",
) -> dict[str, Any]:
    """Run ``func(**task.kwargs)`` for every task; return ``{key: result}``.

    Parameters
    ----------
    func:
        A top-level (importable, picklable) function returning a pandas
        DataFrame or a dict of numpy arrays/scalars. It must draw all its
        randomness from a seed in its kwargs.
    tasks:
        Sequence of :class:`Task`; keys must be unique.
    workers:
        Local processes. ``None``: all CPUs available to this process;
        ``1``: run serially in this process (no pool; best for debugging and
        profiling). Ignored when ``scheduler`` is given.
    scheduler:
        Run on Dask distributed instead: a scheduler address such as
        ``"tcp://host:8786"``, a ``distributed.Client``, or a cluster object
        (``LocalCluster``, ``SLURMCluster``, ...). A client or cluster passed
        in is left open; a client created from an address is closed.
    store:
        Directory for per-task result files. Tasks whose key already has a
        finished file there are loaded instead of run (resume); each new
        result is written atomically as soon as it arrives.
    batch_size:
        Tasks per submission. ``None`` adapts to measured task durations (see
        module docstring). Ignored for serial runs.
    progress:
        Show a tqdm bar (with ETA; resumed tasks count as done). tqdm hides it
        automatically when stderr is not a terminal.
    desc:
        Label for the progress bar.

    Returns
    -------
    dict
        ``{task.key: result}`` in the order of ``tasks``.

    Raises
    ------
    TaskError
        If a task raises. The message names the task key and includes the
        worker's traceback. Results finished before (and batches already
        running at the time) are stored before the error propagates.
    """
    tasks = list(tasks)
    _check_tasks(tasks)
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers must be a positive int or None, got {workers!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")

    result_store = ResultStore(store) if store is not None else None
    results: dict[str, Any] = {}
    if result_store is not None:
        result_store.remove_stale_temp_files()
        finished = set(result_store.keys())
        for task in tasks:
            if task.key in finished:
                results[task.key] = result_store.load(task.key)
    pending = [t for t in tasks if t.key not in results]

    from tqdm.auto import tqdm  # lazy: keeps worker start-up (which imports this module) fast

    bar = tqdm(
        total=len(tasks),
        initial=len(results),
        desc=desc,
        unit="run",
        disable=None if progress else True,
        dynamic_ncols=True,
    )

    def accept(key: str, value: Any) -> None:
        if result_store is not None:
            result_store.save(key, value)
        results[key] = value
        bar.update(1)

    try:
        if pending:
            if scheduler is not None:
                from .executor_dask import run_dask  # Dask is imported only when asked for

                run_dask(func, pending, scheduler, batch_size, accept)
            elif (workers or default_workers()) == 1:
                _run_serial(func, pending, accept)
            else:
                n_workers = min(workers or default_workers(), len(pending))
                _run_local_pool(func, pending, n_workers, batch_size, accept)
    finally:
        bar.close()

    return {task.key: results[task.key] for task in tasks}


def _check_tasks(tasks: list) -> None:
    """Reject non-Task items and duplicate keys before anything runs.

    Why up front: a duplicate key would make two runs share one result file,
    and discovering that after hours of computing is too late.
    """
    seen: set[str] = set()
    for task in tasks:
        if not isinstance(task, Task):
            raise TypeError(f"tasks must be Task objects, got {type(task).__name__}")
        if task.key in seen:
            raise ValueError(f"duplicate task key {task.key!r}")
        seen.add(task.key)


# --------------------------------------------------------------------- serial
def _run_serial(func, pending: list[Task], accept) -> None:
    for task in pending:
        try:
            value = func(**task.kwargs)
        except Exception as exc:
            raise TaskError(
                f"task {task.key!r} failed: {type(exc).__name__}: {exc}", key=task.key
            ) from exc
        accept(task.key, value)


# --------------------------------------------------------------- worker side
def _run_batch(func, batch: list[tuple[str, dict]]):
    """Run a batch inside a worker; never raises for task errors.

    Returns ``(results, failure, seconds)``. Task exceptions are returned, not
    raised, so the tasks of the batch that did finish still reach the store;
    ``seconds`` is the compute time of the finished tasks, for batch sizing.
    """
    done: list[tuple[str, Any]] = []
    start = time.perf_counter()
    for key, kwargs in batch:
        try:
            done.append((key, func(**kwargs)))
        except Exception as exc:
            elapsed = time.perf_counter() - start
            return done, (key, _picklable(exc), traceback.format_exc()), elapsed
    return done, None, time.perf_counter() - start


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------- pool loop
class _BatchSizer:
    """Choose tasks per submission from measured task durations."""

    def __init__(self, fixed: int | None):
        self.fixed = fixed
        self.tasks_measured = 0
        self.seconds_measured = 0.0

    def observe(self, n_tasks: int, seconds: float) -> None:
        if n_tasks:
            self.tasks_measured += n_tasks
            self.seconds_measured += seconds

    def next_size(self, remaining: int, slots: int) -> int:
        if self.fixed is not None:
            return self.fixed
        if self.tasks_measured == 0:
            return 1  # nothing known yet: do not risk grouping long tasks
        per_task = max(self.seconds_measured / self.tasks_measured, 1e-6)
        by_time = int(TARGET_BATCH_SECONDS / per_task)
        # Leave at least ~2 batches per slot so the tail is still parallel.
        tail_cap = math.ceil(remaining / (_IN_FLIGHT_PER_SLOT * max(slots, 1)))
        return max(1, min(by_time, tail_cap, MAX_BATCH_SIZE))


# (long: one event loop -- submit, collect, store, resize batches -- whose state would otherwise travel
# between functions on every result)
def _drive(executor: cf.Executor, func, pending: list[Task], slots: Callable[[], int],
           batch_size: int | None, accept) -> None:
    """Submission loop shared by the local pool and Dask.

    Keeps ``_IN_FLIGHT_PER_SLOT`` batches per worker slot in flight, stores
    results as batches complete, and on the first failure stops submitting,
    cancels queued batches, waits for running ones (storing their results)
    and then raises.
    """
    queue = deque(pending)
    sizer = _BatchSizer(batch_size)
    in_flight: dict[cf.Future, list[str]] = {}
    failure: TaskError | None = None

    def submit_more() -> None:
        n_slots = slots()
        while queue and len(in_flight) < _IN_FLIGHT_PER_SLOT * n_slots:
            size = min(sizer.next_size(len(queue), n_slots), len(queue))
            batch = [queue.popleft() for _ in range(size)]
            payload = [(t.key, dict(t.kwargs)) for t in batch]
            future = executor.submit(_run_batch, func, payload)
            in_flight[future] = [t.key for t in batch]

    submit_more()
    while in_flight:
        done, _ = cf.wait(list(in_flight), return_when=cf.FIRST_COMPLETED)
        for future in done:
            keys = in_flight.pop(future)
            if future.cancelled():
                continue
            try:
                finished, task_failure, seconds = future.result()
            except Exception as exc:  # worker died, result unpicklable, ...
                if failure is None:
                    failure = TaskError(
                        f"batch of tasks {keys!r} failed outside the task function "
                        f"(worker lost, function not importable on the worker, or "
                        f"result not transferable): "
                        f"{type(exc).__name__}: {exc}",
                        key=keys[0],
                        keys=tuple(keys),
                    )
                    failure.__cause__ = exc
                continue
            for key, value in finished:
                accept(key, value)
            sizer.observe(len(finished), seconds)
            if task_failure is not None and failure is None:
                key, exc, remote_tb = task_failure
                failure = TaskError(
                    f"task {key!r} failed: {type(exc).__name__}: {exc}\n\n"
                    f"Traceback in worker:\n{remote_tb}",
                    key=key,
                )
                failure.__cause__ = exc
        if failure is not None:
            queue.clear()
            for future in list(in_flight):
                # cancel() only succeeds for batches not yet running; those
                # are dropped here rather than waited on.
                if future.cancel():
                    del in_flight[future]
        else:
            submit_more()
    if failure is not None:
        raise failure


def _limit_threads(threads: int) -> None:
    from sim.model.kernels import limit_threads  # numba only where a model runs

    limit_threads(threads)


def _run_local_pool(func, pending, n_workers, batch_size, accept) -> None:
    ctx = multiprocessing.get_context("spawn")
    # Each worker gets its share of the cores for the model's threaded kernels (sim/model/kernels.py).
    pool = cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=_limit_threads,
                                  initargs=(max(1, default_workers() // n_workers),))
    try:
        _drive(pool, func, pending, lambda: n_workers, batch_size, accept)
    except KeyboardInterrupt:
        # Ctrl-C reaches the workers too, SIGTERM (sim.cli.Terminated) only this process: stop
        # them now rather than wait for their batches, so no process outlives the command.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        # On success or TaskError everything is already drained; on an interruption drop what
        # is queued instead of waiting for it.
        pool.shutdown(wait=True, cancel_futures=True)
