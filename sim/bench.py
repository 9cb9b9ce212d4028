"""`sim bench`: one simulation, timed, nothing written. Speed targets live here, never in tests.

With --bare every mechanism is off and the same four-domain Markov chain also runs as an
idiomatic object-per-household Mesa model (`agents.shuffle_do("step")`, one draw per domain
per month), side by side, so the speed-up is measured on this machine in this run.
"""
from __future__ import annotations

import resource
import sys
import time

import mesa
import numpy as np

from .params import Parameters, Switches


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


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def run(households: int, years: float, *, bare: bool = False, seed: int = 0, out=sys.stdout) -> float:
    from .model import PreventionModel

    overrides = Switches.all_off() if bare else {}
    t0 = time.perf_counter()
    warm_up = PreventionModel(overrides, households=100, seed=seed, burn_in_years=0)
    warm_up.step()  # loads (or, on a first run, compiles) the numba kernels: once per process
    t_kernels = time.perf_counter() - t0
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
    rate = households * months / elapsed
    print(f"model: {households:,} households x {months} months, {'bare' if bare else 'every mechanism on'}; "
          f"kernels loaded in {t_kernels:.2f} s, set-up {t_init:.2f} s, run {elapsed:.2f} s", file=out)
    if ref is not None:
        print(f"object-per-household Mesa reference ({ref_households:,} households x {ref_months} months, "
              f"interleaved): best {ref_best:,.0f} vs the model's best {best:,.0f} household-months/s; "
              f"columnar model is {best / ref_best:,.1f}x faster", file=out)
    print(f"peak memory: {peak_memory_mib():,.0f} MiB", file=out)
    print(f"household-months/s: {rate:.0f}", file=out)
    return rate
