"""Global sensitivity analysis: paired sample <-> analyze, SALib style.

Two ways in:

* one call, for functions cheap enough to evaluate in-process::

      sobol(func, bounds, n, *, seed, calc_second_order=False,
            num_resamples=1000, outputs=None)
      morris(func, bounds, r, *, seed, levels=4, num_resamples=1000, outputs=None)

  ``func`` is **vectorised**: it receives a 2-D numpy array (rows = runs,
  columns = parameters in ``bounds`` order) and returns a 1-D array (one
  output), a 2-D array (rows x outputs), or a dict/DataFrame of named outputs.
  Wrap a per-run ``f(**params) -> float | dict`` with :func:`per_row`.

* split, for model sweeps that run on the executor or a cluster::

      design = sample.saltelli(bounds, n, seed=..., calc_second_order=...)
      ...  # run every row of `design` (index "run"), collect outputs
      result = analyze.sobol(design, Y)

See ``docs/sensitivity.md`` for how to read the indices and choose ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.sensitivity import analyze, sample
from sim.sensitivity.analyze import second_order

__all__ = ["sobol", "morris", "per_row", "second_order", "sample", "analyze"]


def sobol(
    func: Callable[[np.ndarray], Any],
    bounds: Mapping[str, tuple[float, float]],
    n: int,
    *,
    seed: int,
    calc_second_order: bool = False,
    num_resamples: int = 1000,
    outputs: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sobol indices of a vectorised ``func`` over uniform ``bounds``.

    Runs ``func`` once on the whole Saltelli design (``n * (k + 2)`` rows, or
    ``n * (2k + 2)`` with ``calc_second_order``; ``n`` a power of two) and
    returns a DataFrame with columns exactly
    ``output, parameter, S1, S1_conf, ST, ST_conf``. With
    ``calc_second_order=True`` the ``S2`` table is available as
    ``second_order(result)`` (stored in ``result.attrs["S2"]``).

    ``seed`` fixes the design's scrambling and (through a derived stream) the
    bootstrap, so the same call returns an identical DataFrame.
    ``outputs`` names the columns of an array output, or selects named outputs.
    """
    design = sample.saltelli(bounds, n, seed=seed, calc_second_order=calc_second_order)
    Y = func(design.to_numpy(copy=True))
    return analyze.sobol(design, Y, num_resamples=num_resamples, outputs=outputs)


def morris(
    func: Callable[[np.ndarray], Any],
    bounds: Mapping[str, tuple[float, float]],
    r: int,
    *,
    seed: int,
    levels: int = 4,
    num_resamples: int = 1000,
    outputs: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Morris screening of a vectorised ``func``: ``r`` trajectories, ``r * (k + 1)`` runs.

    Returns columns ``output, parameter, mu, mu_star, sigma, mu_star_conf``;
    effects are per full parameter range (see :mod:`sim.sensitivity.analyze`).
    """
    design = sample.morris(bounds, r, seed=seed, levels=levels)
    Y = func(design.to_numpy(copy=True))
    return analyze.morris(design, Y, num_resamples=num_resamples, outputs=outputs)


def per_row(func: Callable[..., Any], names: Sequence[str] | Mapping[str, Any]) -> Callable[[np.ndarray], Any]:
    """Turn ``func(**params) -> float | dict[str, float]`` into a vectorised function.

    ``names`` are the parameter names in column order (passing ``bounds``
    itself works). Why the vectorised form is the primary interface: the
    analytic test functions and surrogate models evaluate a whole design in
    one numpy call, thousands of times faster than a Python loop; per-run
    models go through this adapter (or, for real model runs, through the
    executor with the split ``sample``/``analyze`` API).
    """
    names = list(names)

    def vectorised(X: np.ndarray):
        values = [func(**dict(zip(names, map(float, row)))) for row in np.asarray(X)]
        if values and isinstance(values[0], Mapping):
            return pd.DataFrame.from_records(values)
        return np.asarray(values, dtype=float)

    vectorised.__name__ = f"per_row({getattr(func, '__name__', 'func')})"
    return vectorised
