"""Sampling designs for global sensitivity analysis (Sobol/Saltelli, Morris).

Each function returns a :class:`pandas.DataFrame` with one row per model run,
one column per parameter (scaled to its bounds, in ``bounds`` order) and a
stable integer index named ``run``. That frame is what a sweep turns into
tasks; the rows must be run, and their outputs handed to the matching function
in :mod:`sim.sensitivity.analyze` in the same ``run`` order (or as a
Series/DataFrame indexed by ``run``).

Why a plain DataFrame plus metadata, not a custom object: a DataFrame can be
written to parquet/CSV, inspected and sliced with the tools everyone knows,
and its rows map one-to-one onto executor tasks. Everything the analysis
needs to decode the row layout is kept in ``design.attrs["sensitivity"]`` as a
JSON-serialisable dict (it survives ``to_parquet``/``read_parquet``; for CSV,
save it next to the file with ``json.dump`` and pass it to the analysis as
``design_info``).

Row layout of :func:`saltelli` (identical to SALib's, so SALib can analyse the
same outputs): for each base point ``j = 0..n-1`` a block of ``k + 2`` rows
(``2k + 2`` with second order) ::

    A_j, AB_j^(1), ..., AB_j^(k), [BA_j^(1), ..., BA_j^(k),] B_j

where ``AB^(i)`` is ``A`` with column ``i`` taken from ``B`` and ``BA^(i)`` is
``B`` with column ``i`` taken from ``A``.

Row layout of :func:`morris`: ``r`` trajectories of ``k + 1`` consecutive
rows; consecutive rows of a trajectory differ in exactly one parameter, by
``delta = levels / (2 (levels - 1))`` of that parameter's range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["saltelli", "morris", "check_bounds", "ENGINES"]

#: Low-discrepancy engines for :func:`saltelli`.
ENGINES = ("scipy", "sobol-seq")

#: sobol-seq's direction numbers stop at 40 dimensions (A and B: 2k columns).
_SOBOL_SEQ_MAX_DIM = 40


def check_bounds(bounds: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Validate ``{name: (low, high)}`` and return it as a plain ordered dict.

    Why strict: a swapped or infinite bound silently produces a meaningless
    design, and a sensitivity analysis of hundreds of model runs is an
    expensive place to find that out.
    """
    if not isinstance(bounds, Mapping) or not bounds:
        raise ValueError("bounds must be a non-empty dict {name: (low, high)}")
    checked: dict[str, tuple[float, float]] = {}
    for name, pair in bounds.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"parameter names must be non-empty strings, got {name!r}")
        try:
            low, high = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError(f"bounds[{name!r}] must be a (low, high) pair, got {pair!r}") from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"bounds[{name!r}] = {pair!r}: need finite low < high")
        checked[name] = (low, high)
    return checked


def _check_seed(seed) -> int:
    # Why an int only: the seed is recorded in the design metadata so that a
    # design can be regenerated and audited; a Generator cannot be recorded.
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int (it is recorded with the design), got {seed!r}")
    return int(seed)


def _scale(unit: np.ndarray, bounds: dict[str, tuple[float, float]]) -> np.ndarray:
    low = np.array([b[0] for b in bounds.values()])
    high = np.array([b[1] for b in bounds.values()])
    return low + unit * (high - low)


def _frame(values: np.ndarray, bounds, info: dict) -> pd.DataFrame:
    df = pd.DataFrame(values, columns=list(bounds), index=pd.RangeIndex(len(values), name="run"))
    df.attrs["sensitivity"] = info
    return df


def _base_points(n: int, dim: int, *, seed: int, engine: str) -> np.ndarray:
    """``n`` points of a randomised Sobol' sequence in ``[0, 1)^dim``."""
    rng = np.random.default_rng(seed)
    if engine == "scipy":
        from scipy.stats import qmc

        # Owen-type (LMS + digital shift) scrambling: unbiased estimates,
        # better convergence than the raw sequence, and a seed that matters.
        return qmc.Sobol(d=dim, scramble=True, rng=rng).random_base2(int(math.log2(n)))
    if engine == "sobol-seq":
        import sobol_seq

        if dim > _SOBOL_SEQ_MAX_DIM:
            raise ValueError(
                f"engine='sobol-seq' supports at most {_SOBOL_SEQ_MAX_DIM // 2} parameters "
                f"(2k = {dim} Sobol' dimensions needed); use engine='scipy'"
            )
        # skip=-1 starts at the all-zero point: sobol-seq otherwise drops it,
        # and then the first 2^m points are no longer a balanced (0, m, d)-net.
        points = sobol_seq.i4_sobol_generate(dim, n, skip=-1)
        # Random digital shift (XOR with a random 30-bit word per dimension):
        # keeps the net's balance, moves the zero point off the corner, and
        # gives the seed a meaning. sobol-seq points are exact multiples of 2^-30.
        ints = np.rint(points * 2.0**30).astype(np.uint64)
        shift = rng.integers(0, 2**30, size=dim, dtype=np.uint64)
        return (ints ^ shift).astype(np.float64) / 2.0**30
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def saltelli(
    bounds: Mapping[str, tuple[float, float]],
    n: int,
    *,
    seed: int,
    calc_second_order: bool = False,
    engine: str = "scipy",
) -> pd.DataFrame:
    """Saltelli (2010) design for first-order, total and optionally second-order Sobol indices.

    Parameters
    ----------
    bounds:
        ``{name: (low, high)}``; parameters are sampled uniformly between
        their bounds, columns follow this order.
    n:
        Base sample size, a power of two. Why a power of two: only then do
        the Sobol' points keep their balance properties (every dyadic
        interval of each coordinate equally filled); other sizes give worse
        and less predictable convergence. The design has ``n * (k + 2)`` rows,
        ``n * (2k + 2)`` with ``calc_second_order``.
    seed:
        Seed of the scrambling (int, recorded in the metadata).
    calc_second_order:
        Add the ``BA`` blocks needed for second-order indices ``S2``.
    engine:
        ``"scipy"`` (default: ``scipy.stats.qmc.Sobol``, scrambled) or
        ``"sobol-seq"`` (the ``sobol-seq`` package, at most 20 parameters,
        randomised by a digital shift; kept for comparison and legacy designs).

    Returns
    -------
    DataFrame indexed by ``run`` with metadata in ``attrs["sensitivity"]``.
    With the same seed and engine, the design for ``2n`` starts with the rows
    of the design for ``n`` (base points are a prefix of one scrambled
    sequence and rows are grouped per base point), so a sweep can be extended
    by doubling ``n`` without recomputing finished runs.
    """
    bounds = check_bounds(bounds)
    seed = _check_seed(seed)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or (n & (n - 1)):
        lower = 2 ** max(1, int(math.log2(max(n, 2)))) if isinstance(n, (int, np.integer)) else 2
        raise ValueError(f"n must be a power of two >= 2 (e.g. {lower} or {2 * lower}), got {n!r}")
    n = int(n)
    k = len(bounds)
    base = _base_points(n, 2 * k, seed=seed, engine=engine)
    a, b = base[:, :k], base[:, k:]

    step = 2 * k + 2 if calc_second_order else k + 2
    unit = np.empty((n, step, k))
    unit[:, 0] = a
    for i in range(k):
        unit[:, 1 + i] = a
        unit[:, 1 + i, i] = b[:, i]
        if calc_second_order:
            unit[:, 1 + k + i] = b
            unit[:, 1 + k + i, i] = a[:, i]
    unit[:, step - 1] = b
    info = {
        "method": "sobol",
        "parameters": list(bounds),
        "bounds": {name: list(pair) for name, pair in bounds.items()},
        "n": n,
        "calc_second_order": bool(calc_second_order),
        "seed": seed,
        "engine": engine,
    }
    return _frame(_scale(unit.reshape(n * step, k), bounds), bounds, info)


def morris(
    bounds: Mapping[str, tuple[float, float]],
    r: int,
    *,
    seed: int,
    levels: int = 4,
) -> pd.DataFrame:
    """Morris (1991) elementary-effects design: ``r`` one-at-a-time trajectories.

    Each trajectory starts at a random point of the ``levels``-level grid and
    moves every parameter once, in random order and direction, by
    ``delta = levels / (2 (levels - 1))`` of its range (the step that makes
    all grid levels equally likely). Cost: ``r * (k + 1)`` runs.

    Why this simple design and not an optimised one (Campolongo 2007): for a
    screening pass the spread of trajectories matters less than keeping the
    design easy to verify; with ``r`` in the 10-50 range random trajectories
    are adequate, and the analysis does not depend on how they were chosen.
    """
    bounds = check_bounds(bounds)
    seed = _check_seed(seed)
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < 2:
        raise ValueError(f"r (number of trajectories) must be an int >= 2, got {r!r}")
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 2 or levels % 2:
        # Odd level counts make delta land off the grid for some starts.
        raise ValueError(f"levels must be an even int >= 2, got {levels!r}")
    r, levels, k = int(r), int(levels), len(bounds)
    rng = np.random.default_rng(seed)
    delta = levels / (2 * (levels - 1))
    # Start levels from which a step of +delta stays on the grid.
    start_levels = np.arange(levels // 2) / (levels - 1)

    unit = np.empty((r, k + 1, k))
    for t in range(r):
        x_star = rng.choice(start_levels, size=k)
        direction = rng.choice([-1.0, 1.0], size=k)
        order = rng.permutation(k)
        x = x_star + delta * (direction < 0)  # downward moves start at the top
        unit[t, 0] = x
        for s, i in enumerate(order, start=1):
            x = x.copy()
            x[i] += direction[i] * delta
            unit[t, s] = x
    # Values like 1/3 + 2/3 must land exactly on the grid ends.
    unit = np.clip(np.round(unit * (levels - 1)) / (levels - 1), 0.0, 1.0)
    info = {
        "method": "morris",
        "parameters": list(bounds),
        "bounds": {name: list(pair) for name, pair in bounds.items()},
        "r": r,
        "levels": levels,
        "delta": delta,
        "seed": seed,
    }
    return _frame(_scale(unit.reshape(r * (k + 1), k), bounds), bounds, info)
