"""Synthetic time-series tables in the model's output format, for tests and report previews.

Nothing here is a model: these are hand-made cost streams with known answers
(:func:`timeseries_from_yearly`) and a plausible-looking demo experiment (:func:`demo_timeseries`)
so that the analysis, charts and report can be built and checked without running the simulation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..outcomes import FLOW_KINDS, INVESTMENT_LINE, cost_column, name
from .summary import DOMAINS, LEVELS

BASE_SHARES = np.array([0.62, 0.14, 0.12, 0.08, 0.04])  # per domain, over LEVELS
HIGHEST_SHARES = np.array([0.40, 0.20, 0.18, 0.14, 0.08])


def _calendar(n_months: int, start_year: int, start_month: int) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and year index for months 0..n-1."""
    m = np.arange(n_months) + (start_month - 1)
    year = start_year + m // 12
    return year, year - start_year


def _neutral_columns(n_months: int, households: int) -> dict[str, np.ndarray]:
    """Every non-cost column with constant, scenario-independent values."""
    ones = np.ones(n_months)
    cols: dict[str, np.ndarray] = {}
    for d in DOMAINS:
        for level, share in zip(LEVELS, BASE_SHARES):
            cols[name("hh__{domain}__{level}", domain=d, level=level)] = ones * round(households * share)
    cols["households"] = ones * households
    cols["persons"] = ones * round(2.1 * households)
    cols["children"] = ones * round(0.45 * households)
    cols["multiproblem"] = ones * round(0.06 * households)
    for kind in FLOW_KINDS:
        for d in DOMAINS:
            cols[name("flow__{flow}__{domain}", flow=kind, domain=d)] = ones * 1.0
    cols["gate__queue"] = ones * 10
    cols["gate__served"] = ones * 20
    cols["gate__wait_mean_weeks"] = ones * 4.0
    cols["gate__served_over_8w"] = ones * 2
    for g in ("childhood_mp", "childhood_not_mp"):
        cols[name("gen__{pattern}", pattern=f"{g}__adults")] = ones * 10
        cols[name("gen__{pattern}", pattern=f"{g}__now_mp")] = ones * (4 if g == "childhood_mp" else 1)
    for g in range(3):
        cols[name("gen{g}__cost", g=g)] = ones * 0.0
        cols[name("gen{g}__households", g=g)] = ones * (households if g == 0 else 0)
    cols["prevention__budget"] = ones * 0.0
    cols["prevention__contacted"] = ones * 0.0
    return cols


def timeseries_from_yearly(
    streams: Mapping[str, Mapping[str, object]],
    *,
    replications: int = 1,
    start_year: int = 2025,
    start_month: int = 1,
    n_months: int | None = None,
    households: int = 1000,
    extra: Mapping[str, Mapping[str, object]] | None = None,
) -> pd.DataFrame:
    """Build a monthly time-series table from known *yearly* cost streams.

    ``streams[scenario][column]`` is the yearly amount of a cost column (``cost__<line>__<payer>``)
    per calendar year: a sequence (same for every replication), a 2-D array (replication × year) or
    a callable ``f(replication) -> sequence``. Each yearly amount is spread evenly over that
    year's months, so yearly sums are exact. Columns a scenario does not name are zero.
    ``extra[scenario][column]`` overrides any other column with a monthly sequence or a scalar
    (or a callable of the replication). Everything else gets constant neutral values, the same in
    every scenario, so their differences are zero.
    """
    cost_cols = sorted({c for s in streams.values() for c in s})
    n_years = max(len(_values(v, 0)) for s in streams.values() for v in s.values()) if cost_cols else 1
    if n_months is None:
        n_months = 12 * n_years - (start_month - 1)
    year, year_index = _calendar(n_months, start_year, start_month)
    months_in_year = pd.Series(year).map(pd.Series(year).value_counts()).to_numpy()
    frames = []
    for scenario, cols in streams.items():
        for rep in range(replications):
            data = {
                "scenario": scenario,
                "replication": rep,
                "month": np.arange(n_months),
                "year": year,
            }
            for c in cost_cols:
                if c in cols:
                    yearly_values = np.asarray(_values(cols[c], rep), dtype=float)
                    if yearly_values.size < year_index.max() + 1:
                        yearly_values = np.pad(yearly_values, (0, year_index.max() + 1 - yearly_values.size))
                    data[c] = yearly_values[year_index] / months_in_year
                else:
                    data[c] = np.zeros(n_months)
            data.update(_neutral_columns(n_months, households))
            for c, v in ((extra or {}).get(scenario, {}) or {}).items():
                v = v(rep) if callable(v) else v
                data[c] = np.broadcast_to(np.asarray(v, dtype=float), (n_months,)).copy()
            frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)


def _values(v, rep: int):
    if callable(v):
        return v(rep)
    arr = np.asarray(v, dtype=float)
    return arr[rep] if arr.ndim == 2 else arr


# ---------------------------------------------------------------- demo experiment

# baseline yearly spending per household (euros, constant prices) by (line, payer)
_BASE_PER_HH = {
    ("voorliggend_veld_basis", "municipality"): 100.0,
    ("wmo", "municipality"): 360.0,
    ("jeugdwet", "municipality"): 650.0,
    ("participatiewet", "municipality"): 40.0,
    ("participatiewet", "central_government"): 750.0,
    ("schuldhulp", "municipality"): 25.0,
    ("uitvoering", "municipality"): 150.0,
    ("zvw", "health_insurer"): 500.0,
    ("wlz", "wlz_office"): 380.0,
}
# where the savings land (shares of gross savings)
_SAVING_SHARES = {
    ("wmo", "municipality"): 0.22,
    ("jeugdwet", "municipality"): 0.22,
    ("participatiewet", "municipality"): 0.05,
    ("participatiewet", "central_government"): 0.20,
    ("schuldhulp", "municipality"): 0.04,
    ("uitvoering", "municipality"): 0.02,
    ("zvw", "health_insurer"): 0.18,
    ("wlz", "wlz_office"): 0.07,
}


# (long: one synthetic experiment built column group by column group, top to bottom)
def demo_timeseries(
    *,
    replications: int = 40,
    years: int = 20,
    start_year: int = 2025,
    households: int = 8000,
    spend_per_household: Mapping[str, float] | None = None,
    seed: int = 2025,
    saving_multiplier: float = 1.9,
    latent_demand: float = 0.25,
) -> pd.DataFrame:
    """A plausible-looking experiment: a baseline and an investment ladder, with lags and noise.

    Per replication an effect size is drawn once and shared by all scenarios (common random
    numbers). Savings ramp up after a lag of about 1.5 years with a time constant of 4 years and
    diminishing returns in the spend; lower thresholds first *raise* youth-care spending
    (``latent_demand``, the AEF finding), fading over about 3 years.
    """
    spend = dict(spend_per_household or {"invest_50": 50.0, "invest_100": 100.0, "invest_200": 200.0})
    scenarios = {"baseline": 0.0, **spend}
    n_months = 12 * years
    month = np.arange(n_months)
    year, year_index = _calendar(n_months, start_year, 1)
    t = month / 12.0
    frames = []
    for rep in range(replications):
        shared = np.random.default_rng([seed, rep])
        theta = float(np.exp(shared.normal(0.0, 0.35)))
        lag = float(np.clip(shared.normal(1.5, 0.4), 0.5, 3.0))
        trend = np.cumprod(1 + shared.normal(0.01, 0.01, size=years))[year_index]
        base_noise = {k: 1 + shared.normal(0, 0.03, size=years)[year_index] for k in _BASE_PER_HH}
        for s_index, (scenario, s) in enumerate(scenarios.items()):
            own = np.random.default_rng([seed, rep, s_index + 1])
            ramp = np.where(t > lag, 1 - np.exp(-(t - lag) / 4.0), 0.0)
            intensity = 0.0 if s == 0 else (s / 100.0) ** 0.75
            delta = 0.04 * theta * intensity * ramp  # shift of households towards self-reliance
            gross = 0.0 if s == 0 else saving_multiplier * theta * s * (s / 100.0) ** -0.25 * households
            gross = gross * ramp * (1 + own.normal(0, 0.05, size=years)[year_index]) / 12.0
            data: dict[str, object] = {"scenario": scenario, "replication": rep, "month": month, "year": year}
            total = np.zeros(n_months)
            for (line, payer), per_hh in _BASE_PER_HH.items():
                v = per_hh * households / 12.0 * trend * base_noise[(line, payer)]
                v = v - gross * _SAVING_SHARES.get((line, payer), 0.0)
                if line == "jeugdwet" and s > 0:
                    v = v + latent_demand * s * households / 12.0 * np.exp(-t / 3.0)
                data[cost_column(line, payer)] = v
                total += v
            invest = np.full(n_months, s * households / 12.0)
            data[cost_column(INVESTMENT_LINE, "municipality")] = invest
            total += invest
            # households per level: move delta of the heavier levels towards self-reliance
            for d_i, d in enumerate(DOMAINS):
                shares = np.tile(BASE_SHARES, (n_months, 1))
                shift = delta * (0.8 + 0.1 * d_i)
                shares[:, 0] += shift * 0.7
                shares[:, 1] += shift * 0.3
                shares[:, 2] -= shift * 0.4
                shares[:, 3] -= shift * 0.4
                shares[:, 4] -= shift * 0.2
                for l_i, level in enumerate(LEVELS):
                    data[name("hh__{domain}__{level}", domain=d, level=level)] = np.round(households * shares[:, l_i])
            hs = np.tile(HIGHEST_SHARES, (n_months, 1))
            hs[:, 0] += delta * 1.2
            hs[:, 1] += delta * 0.3
            hs[:, 2] -= delta * 0.6
            hs[:, 3] -= delta * 0.6
            hs[:, 4] -= delta * 0.3
            for l_i, level in enumerate(LEVELS):
                data[name("hh__any__{level}", level=level)] = np.round(households * hs[:, l_i])
            data["households"] = np.full(n_months, float(households))
            data["persons"] = np.full(n_months, round(2.1 * households))
            data["children"] = np.full(n_months, round(0.45 * households))
            data["multiproblem"] = np.round(households * 0.06 * (1 - 3 * delta))
            for d in DOMAINS:
                lam = {
                    "onset": 0.004,
                    "to_maatwerk": 0.0015 * (1 - 4 * delta),
                    "to_specialist": 0.0005 * (1 - 4 * delta),
                    "recovery": 0.002 * (1 + 2 * delta),
                    "referral_back": 0.0005 * (1 + 8 * delta) + (0.0003 * intensity if s else 0.0),
                }
                for kind in FLOW_KINDS:
                    data[name("flow__{flow}__{domain}", flow=kind, domain=d)] = own.poisson(households * np.clip(lam[kind], 0, None))
            queue = own.poisson(np.clip(45 * (1 - 5 * delta), 1, None))
            served = own.poisson(households * 0.003, size=n_months)
            wait = 4.0 + queue / 8.0
            data["gate__queue"] = queue
            data["gate__served"] = served
            data["gate__wait_mean_weeks"] = wait
            data["gate__served_over_8w"] = own.binomial(served, np.clip((wait - 5.0) / 8.0, 0, 1))
            mp_adults = np.floor(households * 0.0004 * month)
            not_adults = np.floor(households * 0.003 * month)
            data["gen__childhood_mp__adults"] = mp_adults
            data["gen__childhood_mp__now_mp"] = own.binomial(mp_adults.astype(int), np.clip(0.35 * (1 - 3 * delta), 0, 1))
            data["gen__childhood_not_mp__adults"] = not_adults
            data["gen__childhood_not_mp__now_mp"] = own.binomial(not_adults.astype(int), 0.06)
            later = np.minimum(0.3, 0.015 * t)
            data["gen1__cost"] = total * later * 0.8 * (1 - 2 * delta)
            data["gen2__cost"] = total * later * 0.2 * (1 - 2 * delta)
            data["gen0__cost"] = total - data["gen1__cost"] - data["gen2__cost"]
            data["gen0__households"] = np.round(households * (1 - later))
            data["gen1__households"] = np.round(households * later * 0.8)
            data["gen2__households"] = np.round(households * later * 0.2)
            data["prevention__budget"] = invest + 100.0 * households / 12.0
            data["prevention__contacted"] = np.round(households * (0.03 + 0.05 * intensity) * np.minimum(1, t + 0.1))
            frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)


def make_streams(
    investment: Callable[[int], object] | object,
    savings: Mapping[str, object],
    *,
    investment_payer: str = "municipality",
) -> dict[str, dict[str, object]]:
    """Streams for :func:`timeseries_from_yearly`: a baseline of zeros and a scenario ``"invest"``.

    ``savings`` maps a cost column (e.g. ``"cost__zvw__health_insurer"``) to its yearly saving; the
    scenario's cost on that column is minus the saving.
    """
    def neg(v):
        if callable(v):
            return lambda rep: -np.asarray(v(rep), dtype=float)
        return -np.asarray(v, dtype=float)

    inv_col = cost_column(INVESTMENT_LINE, investment_payer)
    scenario = {inv_col: investment, **{c: neg(v) for c, v in savings.items()}}
    n = len(_values(investment, 0))
    baseline = {c: np.zeros(n) for c in scenario}
    return {"baseline": baseline, "invest": scenario}
