"""A stochastic toy simulator with a known answer, for testing and demonstrating the method.

Two-state Markov chain on ``units`` independent units for ``steps`` steps: a unit without a
problem gets one with probability ``p`` per step (onset), a unit with a problem loses it with
probability ``q`` (recovery). Analytically the stationary share with a problem is p/(p+q) and
the mean spell length is 1/q steps. The simulator reports the share averaged over the second
half of the run and the mean spell length estimated as (unit-steps in the problem state) /
(number of recoveries), so both are noisy but consistent estimates of the analytic values.

Run ``python -m sim.calibrate.toy`` for a small demonstration.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["simulate_two_state", "analytic_two_state", "toy_targets", "TRUE_PARAMS", "TOY_PRIORS"]

TRUE_PARAMS = {"hazards.toy.onset": 0.05, "hazards.toy.recover": 0.2}
TOY_PRIORS = {"hazards.toy.onset": (0.005, 0.2), "hazards.toy.recover": (0.02, 0.6)}


def simulate_two_state(params: dict, seed: int, *, units: int = 2000, steps: int = 200) -> dict:
    """Simulate the chain; return {"share_with_problem": …, "mean_spell_length": …}."""
    p = float(params["hazards.toy.onset"])
    q = float(params["hazards.toy.recover"])
    rng = np.random.default_rng(seed)
    state = rng.random(units) < p / (p + q)  # start in the stationary distribution
    burn = steps // 2
    share_sum = 0.0
    occupied = 0
    exits = 0
    for t in range(steps):
        u = rng.random(units)
        onset = ~state & (u < p)
        recover = state & (u < q)
        if t >= burn:
            occupied += int(state.sum())
            exits += int(recover.sum())
        state = (state | onset) & ~recover
        if t >= burn:
            share_sum += state.mean()
    share = share_sum / (steps - burn)
    spell = occupied / exits if exits else float("nan")
    return {"share_with_problem": float(share), "mean_spell_length": float(spell)}


def analytic_two_state(params: dict) -> dict:
    p, q = float(params["hazards.toy.onset"]), float(params["hazards.toy.recover"])
    return {"share_with_problem": p / (p + q), "mean_spell_length": 1.0 / q}


def toy_targets(params: dict | None = None, *, rel_tolerance: float = 0.05) -> pd.DataFrame:
    """Targets computed from the analytic values at ``params`` (default: the truth)."""
    a = analytic_two_state(params or TRUE_PARAMS)
    rows = [
        {"name": "toy_share", "value": a["share_with_problem"], "unit": "share of units", "year": 2000,
         "definition": "stationary share of units with a problem", "source": "analytic p/(p+q)",
         "tolerance": rel_tolerance * a["share_with_problem"], "derivation": "", "statistic": "share_with_problem"},
        {"name": "toy_spell", "value": a["mean_spell_length"], "unit": "steps", "year": 2000,
         "definition": "mean length of a problem spell", "source": "analytic 1/q",
         "tolerance": rel_tolerance * a["mean_spell_length"], "derivation": "", "statistic": "mean_spell_length"},
    ]
    return pd.DataFrame(rows)


if __name__ == "__main__":  # pragma: no cover - demonstration
    from .method import history_match

    res = history_match(simulate_two_state, TOY_PRIORS, toy_targets(), n_per_wave=128, waves=3,
                        replications=2, seed=1)
    print(res.wave_summary())
    print("truth:", TRUE_PARAMS)
    print("posterior mean:", res.posterior_mean().to_dict(), "n =", len(res.posterior))
