"""Will it fit? Memory and time of a run, estimated before any work starts.

Measured on this project's machine (README, 'Speed'): one model holds about 260 bytes per
household at its peak beyond ~200 MiB of interpreter, numba and pandas, and runs about 6 million
household-months a second on one core with every mechanism on. The parent keeps every run's
monthly table (about 250 columns of 8 bytes a month). Estimates are rough (x2), which is why a
run is refused only when even the estimate does not fit, and `--force` overrides.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import ConfigError

BASE_BYTES = 200 * 2**20  # a worker process before its population
BYTES_PER_HOUSEHOLD = 260 * 2  # peak, with room for the children table and compaction
HOUSEHOLD_MONTHS_PER_SECOND = 6e6
SECONDS_PER_MONTH = 0.8e-3  # the month's fixed cost: most of a small run's time
OUTPUT_BYTES_PER_MONTH = 250 * 8
MAX_WORKERS = 256
MAX_SECONDS = 48 * 3600  # longer needs --force (or a cluster)


@dataclass(frozen=True)
class Estimate:
    bytes: float
    seconds: float
    workers: int
    #: What the time grows with: (config key, value, a usual value), to name the one that is out of
    #: proportion when the run is refused.
    sizes: tuple = ()

    def slowest(self) -> str:
        """The config key furthest above its usual value."""
        return max(self.sizes, key=lambda s: s[1] / s[2])[0] if self.sizes else "population.households"

    def describe(self) -> str:
        return f"about {self.bytes / 2**30:.1f} GiB of memory and {_duration(self.seconds)} on {self.workers} worker(s)"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def available_memory() -> float | None:
    """Bytes this machine can still give (MemAvailable), or None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def check_workers(workers, n_tasks: int, *, key: str = "--workers") -> int | None:
    """The number of local processes to use: None (all cores) for 0 or None, else 1..MAX_WORKERS,
    never more than there are tasks."""
    if workers is None or workers == 0:
        cores = os.cpu_count() or 1
        return max(1, min(cores, n_tasks)) if n_tasks < cores else None
    if isinstance(workers, bool) or not isinstance(workers, int) or not 0 < workers <= MAX_WORKERS:
        raise ConfigError("not a number of worker processes", key=key, found=workers,
                          expected=f"0 (all cores) or a whole number from 1 to {MAX_WORKERS}")
    return max(1, min(workers, n_tasks))


def estimate(*, households: int, years: float, burn_in_years: float, runs: int, workers: int | None,
             runs_key: str = "run.replications", kept_runs: int | None = None) -> Estimate:
    """`runs` simulations of `households` for `years` after the burn-in; the parent keeps the
    monthly tables of `kept_runs` of them (default: all; a sweep keeps none)."""
    n_workers = workers or (os.cpu_count() or 1)
    in_parallel = max(1, min(n_workers, runs))
    months = 12 * (years + burn_in_years)
    per_run = BASE_BYTES + BYTES_PER_HOUSEHOLD * households * 1.2  # the population grows a little
    kept = runs if kept_runs is None else kept_runs
    memory = in_parallel * per_run + kept * 12 * years * OUTPUT_BYTES_PER_MONTH * 2 + BASE_BYTES
    seconds = runs * months * (SECONDS_PER_MONTH + households / HOUSEHOLD_MONTHS_PER_SECOND) / in_parallel
    return Estimate(memory, seconds, in_parallel,
                    sizes=(("population.households", households, 24_000), ("horizon.years", years, 30),
                           (runs_key, runs, 100)))


def check_fits(est: Estimate, *, force: bool = False, what: str = "this run") -> None:
    free = available_memory()
    if not force and est.seconds > MAX_SECONDS:
        raise ConfigError(f"{what} would take too long on this machine: it needs {est.describe()}",
                          key=est.slowest(), expected="fewer households, years or runs, a cluster "
                          "(--scheduler), or --force to start anyway")
    if force or free is None or est.bytes <= free:
        return
    raise ConfigError(f"{what} would not fit in this machine's memory: it needs {est.describe()}, "
                      f"{free / 2**30:.1f} GiB is free", key="population.households",
                      expected="fewer households, replications or workers (--workers 1 holds one run at a time), "
                               "or --force to try anyway")
