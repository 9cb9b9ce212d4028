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
from .frames import (array_of, assemble, block_frame, blocks, codes, duplicate_count, fill_missing, group_labels,
                     group_rows, numeric_columns, positive, reduce_groups, row_sums, sort_order, take_columns,
                     values_of)

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
    return [c for c in frame.columns.tolist() if is_cost_column(c)]


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
    names = pd.unique(frame["scenario"].astype(str)).tolist()
    return ([baseline] if baseline in names else []) + [n for n in names if n != baseline]


def _check_timeseries(ts: pd.DataFrame) -> None:
    columns = ts.columns.tolist()
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValueError(f"time-series table lacks columns {missing}; has {columns[:12]}...")
    if not any(is_cost_column(c) for c in columns):
        raise ValueError("time-series table has no cost__<line>__<payer> columns")
    dup = duplicate_count(ts, ["scenario", "replication", "month"])
    if dup:
        raise ValueError(f"{dup} duplicate scenario × replication × month rows")


def _with_str_scenarios(ts: pd.DataFrame) -> pd.DataFrame:
    """A copy with string scenario names. The deep copy also merges the model's dozens of pandas
    blocks into one per dtype, which is what makes the column selections by position cheap."""
    ts = ts.copy()
    ts["scenario"] = ts["scenario"].astype(str)
    return ts


# ---------------------------------------------------------------- yearly aggregation


def yearly(ts: pd.DataFrame, *, baseline: str = "baseline") -> pd.DataFrame:
    """Aggregate the monthly table to calendar years per scenario × replication.

    Returns columns ``scenario, replication, year, year_index, months`` and every numeric column
    of ``ts`` (flows summed, stocks at year end, waiting time weighted by served households).
    ``year_index`` counts from the first calendar year in the whole table (0-based).
    """
    _check_timeseries(ts)
    return _yearly(_with_str_scenarios(ts), baseline)


def _yearly(ts: pd.DataFrame, baseline: str, order: list | None = None) -> pd.DataFrame:
    """:func:`yearly` of a checked table with string scenario names (``order``: its
    :func:`scenario_order`, if known)."""
    numeric = numeric_columns(ts, ("scenario", "replication", "month", "year"))
    rule = {c: year_rule(c) for c in numeric}  # sim/outcomes.py: how a year is made of months
    flows = [c for c in numeric if rule[c] == "sum"]
    wait = [c for c in numeric if rule[c] == "served_mean"]
    means = [c for c in numeric if rule[c] == "mean"]
    peaks = [c for c in numeric if rule[c] == "max"]
    stocks = [c for c in numeric if rule[c] == "last"]

    # The rows and group numbers of ts.sort_values(["scenario", "replication", "month"])
    # .groupby(KEYS, sort=True): pandas adds up a year's floats in the way these decide
    scenario, rep, year = codes(ts["scenario"]), codes(ts["replication"]), codes(ts["year"])
    rows = sort_order(scenario, rep, codes(ts["month"]))
    labels = group_labels(scenario[rows], rep[rows], year[rows], sort=True)
    first, last, months = group_rows(labels)

    keys = take_columns(ts, KEYS, rows[first])
    names = [*KEYS, "year_index", *flows, "months", *means, *peaks, *stocks]
    at = {c: i for i, c in enumerate(names)}
    parts = [([0, 1, 2], pd.DataFrame(dict(enumerate(keys.values())))),
             ([3], pd.DataFrame({0: keys["year"].astype(int) - int(keys["year"].min())})),
             ([at["months"]], pd.DataFrame(months))]
    # one dtype's columns of a rule go to pandas together, as the table's blocks went before
    how = {c: h for cols, h in ((flows, "sum"), (means, "mean"), (peaks, "max"), (stocks, "last")) for c in cols}
    value_cols = [*flows, *means, *peaks, *stocks]
    for idx, values in blocks(ts, value_cols, rows):
        for h in ("sum", "mean", "max", "last"):
            sel = [j for j, i in enumerate(idx) if how[value_cols[i]] == h]
            if sel:
                part = block_frame(values, last, sel) if h == "last" else reduce_groups(values, labels, h, sel)
                parts.append(([at[value_cols[idx[j]]] for j in sel], part))
    if wait:
        weeks = ts["gate__wait_mean_weeks"]
        served = ts["gate__served"] if "gate__served" in ts.columns else pd.Series(1.0, index=ts.index)

        def by_year(series, h):
            return array_of(reduce_groups(values_of(series, rows), labels, h)[0])

        num, den = by_year(weeks * served, "sum"), by_year(served.where(weeks.notna()), "sum")
        with np.errstate(all="ignore"):
            mean_wait = fill_missing(num / positive(den), by_year(weeks, "mean"))
        names.append("gate__wait_mean_weeks")
        parts.append(([len(names) - 1], pd.DataFrame({0: mean_wait})))
    out = assemble(names, parts)
    # scenarios in scenario_order, not alphabetical
    rank = {s: i for i, s in enumerate(order or scenario_order(ts, baseline))}
    by = np.lexsort((codes(keys["year"]), codes(keys["replication"]),
                     [rank.get(s, len(rank)) for s in keys["scenario"].tolist()]))
    return out if (by == np.arange(len(by))).all() else out.take(by).reset_index(drop=True)


def discount_factors(year_index, rate: float) -> np.ndarray:
    """``(1 + rate) ** -t``: year index 0 is not discounted."""
    return (1.0 + rate) ** -np.asarray(year_index, dtype=float)


# ---------------------------------------------------------------- differences


def differences(yearly_frame: pd.DataFrame, *, baseline: str = "baseline") -> pd.DataFrame:
    """Scenario − baseline per replication and year (same replication number = common random numbers).

    Returns the non-baseline scenarios with every numeric column replaced by its difference.
    """
    names = pd.unique(yearly_frame["scenario"]).tolist()
    if baseline not in names:
        raise ValueError(f"baseline scenario {baseline!r} not in the table; scenarios are {sorted(set(names))}")
    value_cols = numeric_columns(yearly_frame, ("scenario", "replication", "year", "year_index", "months"))
    cols = ["scenario", "replication", "year", "year_index", *value_cols]
    scenario, present = pd.factorize(yearly_frame["scenario"])
    code = {s: i for i, s in enumerate(present.tolist())}
    rep, year = codes(yearly_frame["replication"]), codes(yearly_frame["year"])
    key = rep * (int(year.max(initial=0)) + 2) + year  # (replication, year), in their sort order
    replications = yearly_frame["replication"].to_numpy()
    base = np.flatnonzero(scenario == code[baseline])
    base_reps = set(replications[base].tolist())
    pairs = []
    for name in scenario_order(yearly_frame, baseline)[1:]:
        rows = np.flatnonzero(scenario == code.get(name, -2))
        missing = sorted(set(replications[rows].tolist()) - base_reps)
        if missing:
            warnings.warn(
                f"scenario {name!r}: replications {missing[:10]} have no baseline twin and are dropped",
                stacklevel=2,
            )
        common, in_sc, in_base = np.intersect1d(key[rows], key[base], return_indices=True)
        if len(common) == 0:
            raise ValueError(f"scenario {name!r} shares no replication × year with the baseline")
        pairs.append((name, rows[in_sc], base[in_base]))
    if not pairs:
        return pd.DataFrame(columns=cols)
    sc = np.concatenate([p[1] for p in pairs])
    bc = np.concatenate([p[2] for p in pairs])
    label = pd.DataFrame({0: [name for name, rows, _ in pairs for _ in range(len(rows))]})
    ids = take_columns(yearly_frame, ["replication", "year", "year_index"], sc)
    parts = [([0], label), ([1, 2, 3], pd.DataFrame(dict(enumerate(ids.values()))))]
    for idx, values in blocks(yearly_frame, value_cols):
        # C-ordered, as the .loc takes this replaced left a model table's differences: pandas
        # adds up a row of an F-ordered block in another order (see frames.row_sums)
        d = (pd.DataFrame(values[sc] - values[bc]) if isinstance(values, np.ndarray)
             else (block_frame(values, sc) - block_frame(values, bc)).copy())
        parts.append(([4 + i for i in idx], d))
    return assemble(cols, parts)


def _net_cost_sums(frame: pd.DataFrame, rows=None, lines=()) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """The (view, key) pairs of :func:`_net_cost_views` and their sums, one positional column
    each (of ``frame``'s rows at positions ``rows``; all, in their order, if None); then, one
    column each, the sum over every payer of each of ``lines``."""
    cols = cost_columns(frame)
    parsed = [parse_cost_column(c) for c in cols]
    views = [(("payer", p), [i for i, (_, payer) in enumerate(parsed) if payer == p]) for p in payers_of(frame)]
    views += [(("line", ln), [i for i, (line, _) in enumerate(parsed) if line == ln]) for ln in lines_of(frame)]
    views.append((("total", "all"), list(range(len(cols)))))
    extra = [[i for i, (line, _) in enumerate(parsed) if line == ln] for ln in lines]
    return [v for v, _ in views], row_sums(frame, cols, [s for _, s in views] + extra, rows)


def _net_cost_views(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide frame with MultiIndex columns (view, key): payer sums, line sums and the total."""
    views, wide = _net_cost_sums(frame)
    return wide.set_axis(frame.index).set_axis(pd.MultiIndex.from_tuples(views, names=["view", "key"]), axis=1)


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
