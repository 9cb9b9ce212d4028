"""The Dask backend of sim.run.executor: a scheduler address, Client or cluster object becomes an
executor that the same submission loop (executor._drive) drives as the local process pool.

Kept apart so that a run without `--scheduler` never imports distributed.
"""
from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any

from .executor import _drive

SCHEDULER_TIMEOUT = 20  # seconds to wait for a scheduler given by address


def _as_client(scheduler: Any):
    """Return ``(client, owned)`` for an address, Client or cluster object."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ImportError("scheduler= needs dask[distributed] installed") from exc
    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str):
        from ..errors import ConfigError

        if not re.match(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/:]+:\d+/?$", scheduler.strip()):
            raise ConfigError("not a Dask scheduler address", key="--scheduler", found=scheduler,
                              expected="an address like tcp://host:8786")
        try:
            return Client(scheduler, timeout=SCHEDULER_TIMEOUT), True
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler ({type(exc).__name__}: {str(exc).splitlines()[0]})",
                              key="--scheduler", found=scheduler,
                              expected=f"a running scheduler that answers within {SCHEDULER_TIMEOUT} s") from None
    if hasattr(scheduler, "scheduler_address"):
        return Client(scheduler), True
    raise TypeError(
        "scheduler must be a Dask scheduler address (str), a distributed.Client "
        f"or a cluster object, got {type(scheduler).__name__}"
    )


def _dask_slots(client) -> Callable[[], int]:
    """Total worker threads, re-read at most every 2 s.

    Why re-read: with adaptive clusters (dask-jobqueue, Kubernetes) workers
    join while the sweep runs, and the in-flight window should grow with them.
    """
    state = {"t": -math.inf, "n": 1}

    def slots() -> int:
        now = time.monotonic()
        if now - state["t"] > 2.0:
            state["n"] = max(1, sum(client.nthreads().values()))
            state["t"] = now
        return state["n"]

    return slots


def run_dask(func, pending, scheduler, batch_size, accept) -> None:
    client, owned = _as_client(scheduler)
    # pure=False: two identical submissions must both run, never be merged.
    executor = client.get_executor(pure=False)
    try:
        _drive(executor, func, pending, _dask_slots(client), batch_size, accept)
    finally:
        executor.shutdown(wait=False)
        if owned:
            client.close()
