"""How simulated statistics are judged against targets: implausibility, ABC distance and the
rules that call a set non-implausible, place the next wave and accept a set into the posterior.

Pure functions of simulated statistics and targets (the formulas are in
:mod:`sim.calibrate.method`'s docstring); nothing here runs a simulation or touches a file.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .targets import validate_targets

__all__ = ["target_arrays", "implausibility", "abc_distance", "score", "refocus_cutoff", "abc_accept"]


def target_arrays(targets: pd.DataFrame):
    """(validated targets, statistic names, observed values, tolerances), in target order."""
    t = validate_targets(targets)
    dup = t["statistic"][t["statistic"].duplicated()].tolist()
    if dup:
        raise ValueError(f"each target must report a different statistic; repeated: {dup}")
    return t, t["statistic"].tolist(), t["value"].to_numpy(float), t["tolerance"].to_numpy(float)


def implausibility(sim_mean, sim_var, n_rep: int, observed, tolerance) -> np.ndarray:
    """I = |sim_mean - obs| / sqrt(tol**2 + sim_var / n_rep); NaN simulations give +inf."""
    sim_mean = np.asarray(sim_mean, float)
    sim_var = np.nan_to_num(np.asarray(sim_var, float), nan=0.0)
    denom = np.sqrt(np.asarray(tolerance, float) ** 2 + sim_var / max(int(n_rep), 1))
    out = np.abs(sim_mean - np.asarray(observed, float)) / denom
    return np.where(np.isfinite(out), out, np.inf)


def abc_distance(sim_mean, observed, tolerance) -> np.ndarray:
    """Tolerance-scaled root-mean-square error over targets (last axis)."""
    z = (np.asarray(sim_mean, float) - np.asarray(observed, float)) / np.asarray(tolerance, float)
    d = np.sqrt(np.mean(z ** 2, axis=-1))
    return np.where(np.isfinite(d), d, np.inf)


def score(S: np.ndarray, observed, tolerance) -> dict[str, np.ndarray]:
    """Scores of S[set, replication, statistic]: replication mean and variance, implausibility
    per target, its largest and second largest value per set, and the ABC distance."""
    n_rep = S.shape[1]
    mean = S.mean(axis=1)
    var = S.var(axis=1, ddof=1) if n_rep > 1 else np.zeros_like(mean)
    imp = implausibility(mean, var, n_rep, observed, tolerance)
    srt = np.sort(imp, axis=1)[:, ::-1]
    return {"mean": mean, "var": var, "I": imp, "I_max": srt[:, 0],
            "I_2nd": srt[:, 1] if srt.shape[1] > 1 else np.zeros(len(srt)),
            "distance": abc_distance(mean, observed, tolerance)}


def refocus_cutoff(i_max, cutoff: float, *, keep_share: float, min_keep: int) -> float:
    """The largest I_max of the sets the next wave is placed around.

    The non-implausible sets (``I_max <= cutoff``) when there are at least ``max(min_keep,
    keep_share x sets)`` of them; while there are fewer (early waves, tight tolerances), the
    best that many -- a provisional cutoff used only to place the next wave, never to call a
    set plausible.
    """
    i_max = np.asarray(i_max, float)
    n_keep = max(min_keep, int(math.ceil(keep_share * len(i_max))))
    finite = np.sort(i_max[np.isfinite(i_max)])
    if int((i_max <= cutoff).sum()) >= n_keep or len(finite) == 0:
        return float(cutoff)
    return float(max(cutoff, finite[min(n_keep, len(finite)) - 1]))


def abc_accept(history: pd.DataFrame, epsilon: float | None) -> pd.Series:
    """ABC rejection: the non-implausible sets of the final wave whose distance is at most
    ``epsilon`` (all of them when ``epsilon`` is None)."""
    final = history["wave"] == history["wave"].max()
    accept = history["nroy"] & final
    if epsilon is not None:
        accept &= history["distance"] <= epsilon
    return accept
