"""The one evaluator every study runs: (parameter overrides, seed) -> monthly time series.

`sim run` adds scenario and replication columns and summarises scenarios against the baseline;
`sim sweep` runs a design row's baseline and scenario through it and takes the sweep's outcomes
from their summary; `sim calibrate` takes the calibration statistics of its last window. What a
model run is — population, horizon, burn-in, which seed — is decided here and nowhere else.

The functions are top-level functions of an importable module with plain arguments, so they run
unchanged in this process, in a process pool or on a Dask worker.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..seeds import replication_seed


def time_series(*, overrides: Mapping[str, Any], households: int, start_year: int, years: int,
                seed: int | np.random.SeedSequence, replication: int | None = None,
                burn_in_years: float | None = None) -> pd.DataFrame:
    """One model run: its monthly outputs (names and kinds in sim/outcomes.py).

    With `replication`, the run's stream is replication `replication` of root `seed` (every
    scenario of a replication shares it: common random numbers); without, `seed` is the stream.
    `burn_in_years` overrides the parameter of that name (years simulated before the report).
    """
    from ..model import PreventionModel

    stream = replication_seed(seed, replication) if replication is not None else seed
    model = PreventionModel(dict(overrides), households=int(households), start_year=int(start_year), seed=stream,
                            burn_in_years=burn_in_years)
    model.run_years(int(years))
    return model.dataframe()


def scenario_run(*, overrides: Mapping[str, Any], households: int, start_year: int, years: int, seed: int,
                 replication: int, scenario: str) -> pd.DataFrame:
    """One replication of one scenario, labelled for the results table (`sim run`, `sim sweep`)."""
    df = time_series(overrides=overrides, households=households, start_year=start_year, years=years, seed=seed,
                     replication=replication)
    df.insert(0, "scenario", scenario)
    df.insert(1, "replication", replication)
    return df
