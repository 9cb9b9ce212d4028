"""Where a wave of history matching simulates: its Sobol points, its box, its replication seeds.

Everything here lives in the unit cube of the priors (:meth:`Prior.from_unit` maps a point to
parameter values) and is a pure function of its arguments and the root seed; the random streams
are the calibration paths of :mod:`sim.seeds`: ``(wave, 0, draw)`` for a wave's Sobol points,
``(wave, 1, r)`` for replication r of every set in the wave.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.stats import qmc

from ..seeds import integer_seed, stream

__all__ = ["sobol_points", "replication_seeds", "next_box", "wave_design"]

#: Redraws of a screened design, each twice as large as the one before, before the remainder is
#: filled with unscreened points.
SCREEN_DRAWS = 4


def sobol_points(d: int, n: int, seed: int, wave: int, draw: int) -> np.ndarray:
    """n scrambled Sobol points in the d-dimensional unit cube."""
    rng = np.random.default_rng(stream(seed, wave, 0, draw))
    sampler = qmc.Sobol(d, scramble=True, seed=rng)
    m = int(math.ceil(math.log2(max(n, 1))))
    return sampler.random_base2(m)[:n]  # a 2**m prefix keeps the balance properties; take the first n


def replication_seeds(seed: int, wave: int, n_rep: int) -> list[int]:
    """Common random numbers: one seed per replication, shared by every set in the wave."""
    return [integer_seed(seed, wave, 1, r) for r in range(n_rep)]


def next_box(U_keep: np.ndarray, box_lo: np.ndarray, box_hi: np.ndarray, n_prev: int, margin: float):
    """Bounding box of the points kept, widened, inside the previous box."""
    d = U_keep.shape[1]
    lo, hi = U_keep.min(axis=0), U_keep.max(axis=0)
    spacing = (box_hi - box_lo) / max(n_prev, 1) ** (1.0 / d)  # typical distance between design points
    pad = np.maximum(margin * (hi - lo), spacing)
    return np.maximum(lo - pad, box_lo), np.minimum(hi + pad, box_hi)


def wave_design(n: int, d: int, seed: int, wave: int, lo: np.ndarray, hi: np.ndarray, *,
                screen_points: np.ndarray | None, screen_ok: np.ndarray | None, k_nn: int,
                oversample: int) -> np.ndarray:
    """n Sobol points in [lo, hi]; with ``screen_points``, only points one of whose ``k_nn``
    nearest screen points is ``screen_ok`` (the nearest-neighbour stand-in for an emulator)."""
    width = np.where(hi > lo, hi - lo, 1.0)
    if screen_points is None:
        return lo + sobol_points(d, n, seed, wave, 0) * (hi - lo)
    tree = cKDTree((screen_points - lo) / width)
    k = min(k_nn, len(screen_points))
    chosen: list[np.ndarray] = []
    pool: list[np.ndarray] = []
    for draw in range(SCREEN_DRAWS):
        cand = lo + sobol_points(d, n * oversample * (2 ** draw), seed, wave, 1 + draw) * (hi - lo)
        _, idx = tree.query((cand - lo) / width, k=k)
        idx = np.asarray(idx).reshape(len(cand), -1)
        ok = screen_ok[idx].any(axis=1)
        chosen = list(cand[ok])
        pool = list(cand[~ok])
        if len(chosen) >= n:
            return np.asarray(chosen[:n])
    # not enough screened candidates: fill with unscreened box points (still space-filling)
    fill = np.asarray(pool[: n - len(chosen)]).reshape(-1, d)
    return np.vstack([np.asarray(chosen).reshape(-1, d), fill])
