"""One simulation, timed: the full model (every mechanism on), or with --bare every mechanism off
beside the same four-domain Markov chain as an idiomatic object-per-household Mesa model
(`agents.shuffle_do("step")`, one draw per domain per month), so that the speed-up is measured
on this machine in this run.
"""
from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass

import mesa
import numpy as np

from ..params import Parameters, Switches


class MarkovHousehold(mesa.Agent):
    """The reference implementation: one Python object per household."""

    def __init__(self, model, levels):
        super().__init__(model)
        self.levels = levels

    def step(self):
        cumulative = self.model.cumulative
        for d, level in enumerate(self.levels):
            u = self.random.random()
            row = cumulative[d][level]
            new = 0
            while u > row[new]:
                new += 1
            self.levels[d] = new


class ObjectMarkovModel(mesa.Model):
    """Idiomatic Mesa: agents step in random order, a DataCollector reports the occupancy of
    every domain x level each month (the chain's natural output, as our model reports it)."""

    def __init__(self, params: Parameters, households: int, seed: int = 0):
        super().__init__(rng=np.random.default_rng(seed))
        self.cumulative = [np.cumsum(params.transition_matrix(d), axis=1).tolist() for d in range(4)]
        for d in range(4):
            self.cumulative[d] = [row[:-1] + [1.0 + 1e-12] for row in self.cumulative[d]]
        start = [self.rng.choice(5, size=households, p=params.stationary(d)) for d in range(4)]
        for i in range(households):
            MarkovHousehold(self, [int(start[d][i]) for d in range(4)])
        self.occupancy = [[0] * 5 for _ in range(4)]
        self.datacollector = mesa.DataCollector(model_reporters={
            f"hh__{d}__{lv}": (lambda m, d=d, lv=lv: m.occupancy[d][lv]) for d in range(4) for lv in range(5)})

    def step(self):
        self.agents.shuffle_do("step")
        self.occupancy = [[0] * 5 for _ in range(4)]
        for agent in self.agents:
            for d, level in enumerate(agent.levels):
                self.occupancy[d][level] += 1
        self.datacollector.collect(self)


# ------------------------------------------------------------------ memory of this process
def _status_mib(field: str) -> float | None:
    """A field of /proc/self/status (VmRSS, VmHWM) in MiB, or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def reset_peak_memory() -> bool:
    """Start a new peak (Linux: writing 5 to /proc/self/clear_refs resets VmHWM to the current
    RSS), so that a measurement's peak is its own and not an earlier one's in this process.
    False where that is not possible: the peak is then the process's since it started."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def current_memory_mib() -> float:
    rss = _status_mib("VmRSS")
    return rss if rss is not None else peak_memory_mib()


def peak_memory_mib() -> float:
    """Peak resident memory of this process since it started or since reset_peak_memory()."""
    hwm = _status_mib("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# ------------------------------------------------------------------ the measurement
@dataclass(frozen=True)
class ModelTiming:
    """What one timed simulation measured. Seconds are wall-clock; memory is this process's."""

    households: int
    months: int
    bare: bool
    kernels_seconds: float  # the numba kernels' one-off load (or compilation), once per process
    setup_seconds: float
    run_seconds: float
    best_rate: float  # household-months/s of the fastest stretch
    base_mib: float  # resident memory before the population was built
    peak_mib: float  # peak during set-up and run
    peak_is_own: bool  # False: the peak may be an earlier measurement's in this process
    reference: tuple[int, int, float] | None = None  # (households, months, best household-months/s)

    @property
    def rate(self) -> float:
        return self.households * self.months / self.run_seconds

    @property
    def speedup(self) -> float | None:
        return None if self.reference is None else self.best_rate / self.reference[2]

    def peak_mib_at(self, households: int) -> float:
        """The peak extrapolated linearly in households: the base plus the population's share."""
        return self.base_mib + (self.peak_mib - self.base_mib) * households / self.households


_kernels_seconds: float | None = None


def load_kernels(seed: int = 0) -> float:
    """Load (or, on a first run, compile) the numba kernels; seconds it took, 0 when done before."""
    global _kernels_seconds
    from ..model import PreventionModel

    if _kernels_seconds is None:
        t0 = time.perf_counter()
        PreventionModel({}, households=100, seed=seed, burn_in_years=0).step()
        PreventionModel(Switches.all_off(), households=100, seed=seed, burn_in_years=0).step()
        _kernels_seconds = time.perf_counter() - t0
        return _kernels_seconds
    return 0.0


def measure(households: int, years: float, *, bare: bool = False, seed: int = 0) -> ModelTiming:
    """Build and run one model (no burn-in, nothing written) and time it."""
    from ..model import PreventionModel

    overrides = Switches.all_off() if bare else {}
    t_kernels = load_kernels(seed)
    own_peak = reset_peak_memory()
    base = current_memory_mib()
    t0 = time.perf_counter()
    model = PreventionModel(overrides, households=households, seed=seed, burn_in_years=0)
    t_init = time.perf_counter() - t0
    months = int(round(years * 12))
    # With --bare the run is timed in three stretches, interleaved with three stretches of the
    # object-per-household reference, and the speed-up compares the best stretch of each: the
    # machine's noise (on a shared machine, +-30% from minute to minute) then hits both sides alike.
    stretches = 3 if bare and months >= 3 else 1
    ref = None
    if bare:
        ref_households, ref_months = min(households, 5000), max(1, min(months, 12))
        ref = ObjectMarkovModel(model.params, ref_households, seed)
    elapsed, best, ref_best = 0.0, 0.0, 0.0
    for i in range(stretches):
        n_months = months * (i + 1) // stretches - months * i // stretches
        t0 = time.perf_counter()
        for _ in range(n_months):
            model.step()
        took = time.perf_counter() - t0
        elapsed += took
        best = max(best, households * n_months / took)
        if ref is not None:
            t0 = time.perf_counter()
            for _ in range(ref_months):
                ref.step()
            ref_best = max(ref_best, ref_households * ref_months / (time.perf_counter() - t0))
    peak = peak_memory_mib()
    del model, ref
    return ModelTiming(households, months, bare, t_kernels, t_init, elapsed, best, base, peak, own_peak,
                       (ref_households, ref_months, ref_best) if bare else None)


def report(t: ModelTiming, out=None) -> None:
    out = sys.stdout if out is None else out
    print(f"model: {t.households:,} households x {t.months} months, {'bare' if t.bare else 'every mechanism on'}; "
          f"kernels loaded in {t.kernels_seconds:.2f} s, set-up {t.setup_seconds:.2f} s, run {t.run_seconds:.2f} s",
          file=out)
    if t.reference is not None:
        ref_households, ref_months, ref_best = t.reference
        print(f"object-per-household Mesa reference ({ref_households:,} households x {ref_months} months, "
              f"interleaved): best {ref_best:,.0f} vs the model's best {t.best_rate:,.0f} household-months/s; "
              f"columnar model is {t.speedup:,.1f}x faster", file=out)
    print(f"peak memory: {t.peak_mib:,.0f} MiB", file=out)
    print(f"household-months/s: {t.rate:.0f}", file=out)


def run(households: int, years: float, *, bare: bool = False, seed: int = 0, out=None) -> float:
    """`sim bench --households N --years Y [--bare]`: measure, print, return household-months/s."""
    t = measure(households, years, bare=bare, seed=seed)
    report(t, out)
    return t.rate
