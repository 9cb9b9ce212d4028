"""From the model's monthly table to calendar years, scenario differences and cumulative net cost.

The conventions (years, discounting, net cost) are written once, in sim/analysis/summary.py's
docstring; each column's year rule comes from the outcome registry (sim/outcomes.py).
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd

from ..levels import DOMAIN_KEYS, LEVEL_KEYS
from ..outcomes import LINES, PAYERS, is_cost_column, parse_cost_column, year_rule

DEFAULT_DISCOUNT_RATE = 0.0225
LEVELS, DOMAINS = LEVEL_KEYS, DOMAIN_KEYS  # the names the analysis has always used
PAYER_ORDER, LINE_ORDER = PAYERS, LINES
KEYS = ["scenario", "replication", "year"]
REQUIRED_COLUMNS = ("scenario", "replication", "month", "year")
BREAK_EVEN_WITHIN = (4, 8, 12, 20)  # years: 1, 2, 3 and 5 council terms
WILSON_Z = 1.6448536269514722  # two-sided 90 %
HIGHEST_PREFIXES = ("hh__any__", "hh__highest__", "hh__all__")  # households by their highest level

QUALITY_METRICS = (
    "self_reliance_growth",
    "referrals_back",
    "flow_heavier_care",
    "gate_share_over_8w",
    "gate_wait_mean_weeks",
)
GENERATION_METRICS = ("transmission_mp", "transmission_not_mp", "second_generation_cost")
LEVEL_METRICS = QUALITY_METRICS + GENERATION_METRICS

_GEN_COST = re.compile(r"^gen(\d+)__cost$")
_GEN_HH = re.compile(r"^gen(\d+)__households$")


# ---------------------------------------------------------------- columns


def cost_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if is_cost_column(c)]


def _ordered(items, order) -> list[str]:
    items = list(dict.fromkeys(items))
    known = [x for x in order if x in items]
    return known + sorted(x for x in items if x not in order)


def payers_of(frame: pd.DataFrame) -> list[str]:
    return _ordered((parse_cost_column(c)[1] for c in cost_columns(frame)), PAYER_ORDER)


def lines_of(frame: pd.DataFrame) -> list[str]:
    return _ordered((parse_cost_column(c)[0] for c in cost_columns(frame)), LINE_ORDER)


def scenario_order(frame: pd.DataFrame, baseline: str) -> list[str]:
    """Scenarios in order of first appearance, baseline first."""
    names = list(dict.fromkeys(frame["scenario"].astype(str)))
    return ([baseline] if baseline in names else []) + [n for n in names if n != baseline]


def _check_timeseries(ts: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in ts.columns]
    if missing:
        raise ValueError(f"time-series table lacks columns {missing}; has {list(ts.columns)[:12]}...")
    if not cost_columns(ts):
        raise ValueError("time-series table has no cost__<line>__<payer> columns")
    dup = ts.duplicated(["scenario", "replication", "month"])
    if dup.any():
        raise ValueError(f"{int(dup.sum())} duplicate scenario × replication × month rows")


# ---------------------------------------------------------------- yearly aggregation


def yearly(ts: pd.DataFrame, *, baseline: str = "baseline") -> pd.DataFrame:
    """Aggregate the monthly table to calendar years per scenario × replication.

    Returns columns ``scenario, replication, year, year_index, months`` and every numeric column
    of ``ts`` (flows summed, stocks at year end, waiting time weighted by served households).
    ``year_index`` counts from the first calendar year in the whole table (0-based).
    """
    _check_timeseries(ts)
    ts = ts.copy()
    ts["scenario"] = ts["scenario"].astype(str)
    order = {s: i for i, s in enumerate(scenario_order(ts, baseline))}
    ts = ts.sort_values(["scenario", "replication", "month"], kind="stable")
    numeric = [
        c
        for c in ts.columns
        if c not in ("scenario", "replication", "month", "year") and pd.api.types.is_numeric_dtype(ts[c])
    ]
    rule = {c: year_rule(c) for c in numeric}  # sim/outcomes.py: how a year is made of months
    flows = [c for c in numeric if rule[c] == "sum"]
    wait = [c for c in numeric if rule[c] == "served_mean"]
    means = [c for c in numeric if rule[c] == "mean"]
    peaks = [c for c in numeric if rule[c] == "max"]
    stocks = [c for c in numeric if rule[c] == "last"]

    grouped = ts.groupby(KEYS, sort=True)
    out = grouped[flows].sum()
    out["months"] = grouped.size()
    if means:
        out = out.join(grouped[means].mean())
    if peaks:
        out = out.join(grouped[peaks].max())
    if stocks:
        last = ts.drop_duplicates(KEYS, keep="last").set_index(KEYS)[stocks]
        out = out.join(last)
    if wait:
        served = ts["gate__served"] if "gate__served" in ts.columns else pd.Series(1.0, index=ts.index)
        w = ts.assign(_ws=ts["gate__wait_mean_weeks"] * served, _s=served.where(ts["gate__wait_mean_weeks"].notna()))
        g = w.groupby(KEYS, sort=True)
        num, den = g["_ws"].sum(), g["_s"].sum()
        plain = g["gate__wait_mean_weeks"].mean()
        out["gate__wait_mean_weeks"] = (num / den.where(den > 0)).fillna(plain)
    out = out.reset_index()
    first_year = int(out["year"].min())
    out.insert(3, "year_index", out["year"].astype(int) - first_year)
    out = out.sort_values(
        ["scenario", "replication", "year"], key=lambda s: s.map(order) if s.name == "scenario" else s, kind="stable"
    )
    return out.reset_index(drop=True)


def discount_factors(year_index, rate: float) -> np.ndarray:
    """``(1 + rate) ** -t``: year index 0 is not discounted."""
    return (1.0 + rate) ** -np.asarray(year_index, dtype=float)


# ---------------------------------------------------------------- differences


def differences(yearly_frame: pd.DataFrame, *, baseline: str = "baseline") -> pd.DataFrame:
    """Scenario − baseline per replication and year (same replication number = common random numbers).

    Returns the non-baseline scenarios with every numeric column replaced by its difference.
    """
    if baseline not in set(yearly_frame["scenario"]):
        raise ValueError(
            f"baseline scenario {baseline!r} not in the table; scenarios are {sorted(set(yearly_frame['scenario']))}"
        )
    value_cols = [
        c
        for c in yearly_frame.columns
        if c not in ("scenario", "replication", "year", "year_index", "months")
        and pd.api.types.is_numeric_dtype(yearly_frame[c])
    ]
    base = yearly_frame[yearly_frame["scenario"] == baseline].set_index(["replication", "year"])
    base_reps = set(base.index.get_level_values(0))
    parts = []
    for name in scenario_order(yearly_frame, baseline)[1:]:
        sc = yearly_frame[yearly_frame["scenario"] == name].set_index(["replication", "year"])
        missing = sorted(set(sc.index.get_level_values(0)) - base_reps)
        if missing:
            warnings.warn(
                f"scenario {name!r}: replications {missing[:10]} have no baseline twin and are dropped",
                stacklevel=2,
            )
        common = sc.index.intersection(base.index)
        if len(common) == 0:
            raise ValueError(f"scenario {name!r} shares no replication × year with the baseline")
        common = common.sort_values()
        d = sc.loc[common, value_cols] - base.loc[common, value_cols]
        d.insert(0, "year_index", sc.loc[common, "year_index"])
        d.insert(0, "scenario", name)
        parts.append(d.reset_index())
    cols = ["scenario", "replication", "year", "year_index", *value_cols]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def _net_cost_views(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide frame with MultiIndex columns (view, key): payer sums, line sums and the total."""
    cols = cost_columns(frame)
    parsed = {c: parse_cost_column(c) for c in cols}
    data = {}
    for payer in payers_of(frame):
        data[("payer", payer)] = frame[[c for c in cols if parsed[c][1] == payer]].sum(axis=1)
    for line in lines_of(frame):
        data[("line", line)] = frame[[c for c in cols if parsed[c][0] == line]].sum(axis=1)
    data[("total", "all")] = frame[cols].sum(axis=1)
    wide = pd.DataFrame(data, index=frame.index)
    wide.columns = pd.MultiIndex.from_tuples(wide.columns, names=["view", "key"])
    return wide


def cumulative_by_replication(diff: pd.DataFrame, *, discount_rate: float = DEFAULT_DISCOUNT_RATE) -> pd.DataFrame:
    """Cumulative net cost per scenario × replication × year, long: ``view, key, basis, value``."""
    wide = _net_cost_views(diff)
    ids = diff[["scenario", "replication", "year"]]
    frames = []
    for basis, factor in (("nominal", 1.0), ("discounted", discount_factors(diff["year_index"], discount_rate))):
        w = wide.mul(factor, axis=0)
        w = w.groupby([diff["scenario"], diff["replication"]], sort=False).cumsum()
        w.index = pd.MultiIndex.from_frame(ids)
        long = w.stack(["view", "key"], future_stack=True).rename("value").reset_index()
        long["basis"] = basis
        frames.append(long)
    return pd.concat(frames, ignore_index=True)[["scenario", "replication", "year", "view", "key", "basis", "value"]]


def _describe(values: pd.Series | np.ndarray) -> tuple[float, float, float]:
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return (math.nan, math.nan, math.nan)
    return (float(arr.mean()), float(np.quantile(arr, 0.05)), float(np.quantile(arr, 0.95)))


def cumulative_net_cost(diff: pd.DataFrame, *, discount_rate: float = DEFAULT_DISCOUNT_RATE) -> pd.DataFrame:
    """Cumulative net cost (scenario − baseline) per year, mean and 5–95 % over replications.

    Tidy long frame ``scenario, year, view, key, basis, mean, p05, p95``; ``view`` is ``payer``
    (key = payer), ``line`` (key = budget line) or ``total`` (key = ``all``: every line and payer);
    ``basis`` is ``nominal`` or ``discounted``. Positive = the scenario costs more. Do not add the
    ``total`` view to the other two.
    """
    per_rep = cumulative_by_replication(diff, discount_rate=discount_rate)
    g = per_rep.groupby(["scenario", "year", "view", "key", "basis"], sort=False)["value"]
    out = pd.DataFrame(
        {
            "mean": g.mean(),
            "p05": g.quantile(0.05),
            "p95": g.quantile(0.95),
        }
    ).reset_index()
    return out[["scenario", "year", "view", "key", "basis", "mean", "p05", "p95"]]
