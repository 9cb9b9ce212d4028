"""The national model as the calibration's simulator: one parameter set + one seed -> statistics.

:class:`ModelSimulator` is a frozen dataclass whose instances are called like a function,
``sim(params={"hazards.finance.onset": 0.011, "generations.transmission[1]": 0.9}, seed=123)``,
and return ``{statistic: value}`` for the statistics it was built with
(:mod:`sim.calibrate.statistics`). It is picklable (a top-level class of an importable module),
draws all its randomness from ``seed`` -- the method hands every set of a wave the same
replication seeds (common random numbers) -- and its ``repr`` names every setting, so the
method's configuration hash and task keys change whenever the population, horizon or
statistics do.

Parameter names are the columns of ``calibration/posterior.csv``: a dotted key, or ``key[i]``
for one element of a list parameter. They become model overrides exactly as an experiment's
``run.posterior`` turns a posterior row into overrides (:func:`sim.params.posterior.row_overrides`),
so what was calibrated is what experiments run.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .statistics import model_statistics

__all__ = ["ModelSimulator", "overrides_from_params"]


def overrides_from_params(params: Mapping[str, float]) -> dict:
    """Calibrated values (dotted keys or key[i]) -> model overrides on the defaults."""
    from .posterior import row_overrides

    if not params:
        return {}
    return row_overrides(pd.Series(dict(params), dtype=float))


@dataclass(frozen=True)
class ModelSimulator:
    """Run ``PreventionModel`` for burn-in + ``years`` and report statistics over the last window."""

    households: int
    years: int
    burn_in_years: float
    window_months: int
    statistics: tuple[str, ...]
    start_year: int = 2025

    def __call__(self, params: Mapping[str, float], seed: int) -> dict[str, float]:
        from ..run.evaluate import time_series

        ts = time_series(overrides=overrides_from_params(params), households=self.households,
                         start_year=self.start_year, years=self.years, seed=int(seed),
                         burn_in_years=self.burn_in_years)
        return model_statistics(ts, list(self.statistics), window_months=self.window_months)
