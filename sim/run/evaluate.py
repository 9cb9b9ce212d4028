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
    Runs that are the same simulation as one this process made before (a shared burn-in, a
    repeated baseline, a run at other prices) are not simulated again: `reuse` keeps them, and
    gives identical numbers.
    """
    from ..model.burn_in import prices, run_key
    from ..model.model import PreventionModel, burn_in_months
    from ..params import Parameters
    from . import reuse

    stream = replication_seed(seed, replication) if replication is not None else seed
    params = Parameters.build(dict(overrides))
    months = int(round(years * 12))
    key = run_key(params, households=households, start_year=start_year, months=months, seed=stream,
                  burn_in_months=burn_in_months(params, burn_in_years))
    known = reuse.finished_runs.get(key)
    if known is not None:
        return known.at(params)
    shared = reuse.burn_ins if households <= reuse.LARGEST_SHARED_POPULATION else None
    model = PreventionModel(params, households=int(households), start_year=int(start_year), seed=stream,
                            burn_in_years=burn_in_years, shared_burn_ins=shared)
    model.run_years(int(years))
    df = model.dataframe()
    reuse.finished_runs[key] = reuse.FinishedRun(df.copy(), model.datacollector.ledger, prices(params))
    return df


def scenario_run(*, overrides: Mapping[str, Any], households: int, start_year: int, years: int, seed: int,
                 replication: int, scenario: str) -> pd.DataFrame:
    """One replication of one scenario, labelled for the results table (`sim run`, `sim sweep`)."""
    df = time_series(overrides=overrides, households=households, start_year=start_year, years=years, seed=seed,
                     replication=replication)
    df.insert(0, "scenario", scenario)
    df.insert(1, "replication", replication)
    return df
