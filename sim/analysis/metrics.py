"""Per-replication and per-scenario metrics: NPV, break-even, benefit-cost ratio, the chance of
breaking even, the wrong-pocket table, and the quality and generation indicators.

Conventions: sim/analysis/summary.py's docstring.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..outcomes import INVESTMENT_LINE
from .yearly import (BREAK_EVEN_WITHIN, DEFAULT_DISCOUNT_RATE, HIGHEST_PREFIXES, LEVEL_METRICS,
                     WILSON_Z, _GEN_COST, _describe, _net_cost_sums, cost_columns, discount_factors,
                     parse_cost_column, scenario_order)
from .frames import (array_of, blocks, codes, column_at, fill_missing, group_labels, group_rows, positive,
                     reduce_groups, row_sums, sort_order, take_columns, values_of)

# ---------------------------------------------------------------- per-replication metrics


def break_even_index(cumulative_net: np.ndarray, *, tolerance: float = 0.0) -> float:
    """1-based index of the first year from which cumulative net cost stays ≤ 0 to the end.

    ``cumulative_net[t]`` = cumulative discounted investment − cumulative discounted savings up to
    and including year ``t`` (0-based). Returns NaN when the last year is still above zero.
    """
    c = np.asarray(cumulative_net, dtype=float)
    if c.size == 0:
        return math.nan
    above = np.flatnonzero(c > tolerance)
    if above.size == 0:
        return 1.0
    last_above = int(above[-1])
    if last_above == c.size - 1:
        return math.nan
    return float(last_above + 2)


def npv(investment, savings, rate: float) -> float:
    """NPV of yearly investment and savings streams (index 0 = first year, not discounted)."""
    inv = np.asarray(investment, dtype=float)
    sav = np.asarray(savings, dtype=float)
    return float(np.sum((sav - inv) * discount_factors(np.arange(len(inv)), rate)))


def _indicators(ts: pd.DataFrame, yr: pd.DataFrame, *, discount_rate: float) -> tuple[pd.DataFrame, str]:
    """Quality and generation indicators per scenario × replication (levels, not differences)."""
    columns = ts.columns.tolist()
    # the rows and group numbers of ts.sort_values(["scenario", "replication", "month"])
    # .groupby(["scenario", "replication"], sort=False); see frames.group_labels
    scenario, rep = codes(ts["scenario"]), codes(ts["replication"])
    rows = sort_order(scenario, rep, codes(ts["month"]))
    labels = group_labels(scenario[rows], rep[rows], sort=False)
    first, last, _ = group_rows(labels)
    first, last = rows[first], rows[last]
    keys = take_columns(ts, ["scenario", "replication"], first)
    n = len(first)
    out = dict(keys)

    def total(prefix: str, kinds: tuple[str, ...]):
        cols = [c for c in columns if any(c.startswith(f"{prefix}{k}__") for k in kinds)]
        if not cols:
            return np.full(n, np.nan)
        parts = [reduce_groups(values, labels, "sum") for _, values in blocks(ts, cols, rows)]
        return array_of((parts[0] if len(parts) == 1 else pd.concat(parts, axis=1, ignore_index=True)).sum(axis=1))

    method = _self_reliance_method(columns)
    with np.errstate(all="ignore"):  # NaN and inf pass quietly, as in pandas' arithmetic
        # self-reliance: share of households self-reliant in all domains, end − start (percentage points / 100)
        out["self_reliance_growth"] = (_self_reliance_share(ts, last, columns)
                                       - _self_reliance_share(ts, first, columns))
        out["referrals_back"] = total("flow__", ("referral_back",))
        out["flow_heavier_care"] = total("flow__", ("to_maatwerk", "to_specialist"))
        out["gate_share_over_8w"], out["gate_wait_mean_weeks"] = _gate_indicators(ts, rows, labels, n)
        for name, group in (("transmission_mp", "childhood_mp"), ("transmission_not_mp", "childhood_not_mp")):
            a, m = f"gen__{group}__adults", f"gen__{group}__now_mp"
            if a in columns and m in columns:
                out[name] = column_at(ts[m], last) / positive(column_at(ts[a], last))
            else:
                out[name] = np.full(n, np.nan)

    later = [c for c in yr.columns.tolist() if (mt := _GEN_COST.match(c)) and int(mt.group(1)) >= 1]
    if later:
        disc = yr[later].sum(axis=1) * discount_factors(yr["year_index"], discount_rate)
        out["second_generation_cost"] = _per_replication(disc, yr, keys)
    else:
        out["second_generation_cost"] = np.full(n, np.nan)
    return pd.DataFrame(out), method


def _per_replication(values: pd.Series, yr: pd.DataFrame, keys: dict):
    """``values.groupby([yr["scenario"], yr["replication"]]).sum()`` on the rows of ``keys``."""
    labels = group_labels(codes(yr["scenario"]), codes(yr["replication"]), sort=True)
    sums = reduce_groups(values_of(values), labels, "sum")[0]
    first = group_rows(labels)[0]
    group = {k: i for i, k in enumerate(zip(yr["scenario"].array.take(first).tolist(),
                                            yr["replication"].array.take(first).tolist()))}
    wanted = [group.get(k, -1) for k in zip(keys["scenario"].tolist(), keys["replication"].tolist())]
    return array_of(pd.Series(sums.array.take(wanted, allow_fill=True)))


def _highest_prefix(columns) -> str | None:
    """The prefix of the households-by-highest-level columns the table has, if any."""
    return next((p for p in HIGHEST_PREFIXES if f"{p}self_reliant" in columns), None)


def _self_reliance_method(columns) -> str:
    """"highest" (households by their highest level), "domain_mean" (proxy) or "none"."""
    if _highest_prefix(columns) is not None:
        return "highest"
    return "domain_mean" if any(c.endswith("__self_reliant") and c.startswith("hh__") for c in columns) else "none"


def _self_reliance_share(ts: pd.DataFrame, rows: np.ndarray, columns):
    """Share of households self-reliant in all domains (in ``ts``' rows at positions ``rows``);
    without the highest-level columns, the mean over domains of the share self-reliant in that
    domain."""

    def share(level_cols: list[str], self_reliant: str):
        denom = array_of(row_sums(ts, level_cols, [list(range(len(level_cols)))], rows)[0])
        return column_at(ts[self_reliant], rows) / positive(denom)

    highest = _highest_prefix(columns)
    if highest is not None:
        return share([c for c in columns if c.startswith(highest)], f"{highest}self_reliant")
    domains = sorted({c.split("__")[1] for c in columns
                      if c.startswith("hh__") and c.count("__") == 2 and not c.startswith(HIGHEST_PREFIXES)})
    shares = [share([c for c in columns if c.startswith(f"hh__{d}__")], f"hh__{d}__self_reliant")
              for d in domains if f"hh__{d}__self_reliant" in columns]
    if not shares:
        return np.full(len(rows), np.nan)
    return array_of(pd.concat([pd.Series(s) for s in shares], axis=1).mean(axis=1))


def _gate_indicators(ts: pd.DataFrame, rows: np.ndarray, labels: np.ndarray, n: int) -> tuple:
    """Share of served requests that waited over 8 weeks, and the mean wait weighted by served
    (months at ``rows`` grouped by ``labels``). Each column is grouped alone, as before: pandas
    picks how to add a block's floats by whether the block has a NaN."""
    cols = set(ts.columns.tolist())

    def by_group(series: pd.Series, how: str):
        return array_of(reduce_groups(values_of(series, rows), labels, how)[0])

    if {"gate__served", "gate__served_over_8w"} <= cols:
        over_8w = by_group(ts["gate__served_over_8w"], "sum") / positive(by_group(ts["gate__served"], "sum"))
    else:
        over_8w = np.full(n, np.nan)
    if "gate__wait_mean_weeks" not in cols:
        return over_8w, np.full(n, np.nan)
    plain = by_group(ts["gate__wait_mean_weeks"], "mean")
    if "gate__served" not in cols:
        return over_8w, plain
    ws = by_group(ts["gate__wait_mean_weeks"] * ts["gate__served"], "sum")
    return over_8w, fill_missing(ws / positive(by_group(ts["gate__served"], "sum")), plain)


def replication_metrics(
    diff: pd.DataFrame,
    *,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    first_year: int | None = None,
) -> pd.DataFrame:
    """Economic metrics per non-baseline scenario × replication.

    Columns: ``scenario, replication, investment_discounted, savings_discounted, npv,
    benefit_cost_ratio, break_even_year`` (1-based, NaN = not within horizon),
    ``break_even_calendar_year``, and ``net_cost_<payer>`` (discounted cumulative at horizon,
    positive = pays more) for each payer, plus ``net_cost_total`` (= −npv).
    """
    if diff.empty:
        return pd.DataFrame(columns=["scenario", "replication"])
    if first_year is None:
        first_year = int(diff["year"].min() - diff["year_index"].min())
    # the rows and group numbers of diff.sort_values(["scenario", "replication", "year"])
    # .groupby([scenario, replication], sort=False); see frames.group_labels
    scenario, rep = codes(diff["scenario"]), codes(diff["replication"])
    rows = sort_order(scenario, rep, codes(diff["year"]))
    labels = group_labels(scenario[rows], rep[rows], sort=False)
    starts, ends, _ = group_rows(labels)

    invests = any(parse_cost_column(c)[0] == INVESTMENT_LINE for c in cost_columns(diff))
    views, wide = _net_cost_sums(diff, rows, [INVESTMENT_LINE] if invests else [])
    payers = [key for view, key in views if view == "payer"]
    df = discount_factors(diff["year_index"].to_numpy()[rows], discount_rate)
    disc = wide.mul(df, axis=0)
    total_at = len(views) - 1  # the total is the last view; the investment line follows it
    sums = reduce_groups(disc.take(range(len(views)), axis=1), labels, "sum")
    total = array_of(sums[total_at])
    cum_total = array_of(reduce_groups(values_of(disc[total_at]), labels, "cumsum")[0])
    if invests:  # its own pandas call, as before: pandas picks how to add by the block's NaNs
        inv_disc = values_of(disc[total_at + 1])
        investment = array_of(reduce_groups(inv_disc, labels, "sum")[0])
        cum_inv = np.asarray(array_of(reduce_groups(inv_disc, labels, "cumsum")[0]))
    else:
        investment, cum_inv = np.zeros(len(starts)), np.zeros(len(rows))
    out = take_columns(diff, ["scenario", "replication"], rows[starts])
    with np.errstate(all="ignore"):  # NaN and inf pass quietly, as in pandas' arithmetic
        out.update(investment_discounted=investment, savings_discounted=investment - total, npv=-total)
        out["benefit_cost_ratio"] = out["savings_discounted"] / positive(investment)

    be = np.full(len(starts), math.nan)
    for g, (lo, hi) in enumerate(zip(starts, ends + 1)):
        if not float(investment[g]) > 0:
            continue
        peak = np.abs(cum_inv[lo:hi])
        peak = peak[~np.isnan(peak)]  # pandas' max skips NaN, and max(1.0, nan) is 1.0
        scale = max(1.0, float(peak.max())) if peak.size else 1.0
        be[g] = break_even_index(cum_total[lo:hi], tolerance=1e-9 * scale)
    out["break_even_year"] = be
    out["break_even_calendar_year"] = be + first_year - 1
    for i, payer in enumerate(payers):
        out[f"net_cost_{payer}"] = array_of(sums[i])
    out["net_cost_total"] = total
    return pd.DataFrame(out)


# ---------------------------------------------------------------- summary across replications


def wilson_interval(successes: float, n: int, z: float = WILSON_Z) -> tuple[float, float]:
    """Wilson score interval for a binomial share (90 % two-sided by default)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _p_row(hits: np.ndarray, n: int) -> tuple[float, float, float]:
    if n == 0:
        return (math.nan, math.nan, math.nan)
    k = float(np.sum(hits))
    lo, hi = wilson_interval(k, n)
    return (k / n, lo, hi)


def scenario_metrics(
    replications: pd.DataFrame,
    *,
    horizon_years: int,
    baseline: str = "baseline",
    scenarios: list[str] | None = None,
) -> pd.DataFrame:
    """The ``summary.csv`` frame: one row per scenario × metric, columns ``scenario, metric, mean, p05, p95``.

    ``replications`` holds one row per scenario × replication with the economic columns of
    :func:`replication_metrics` (NaN for the baseline) and the level indicators
    (:data:`LEVEL_METRICS`) plus their ``delta_`` differences against the baseline.
    The baseline gets only the level indicators.
    """
    rows = []
    names = scenarios or scenario_order(replications, baseline)
    payer_cols = [c for c in replications.columns if c.startswith("net_cost_") and c != "net_cost_total"]
    for name in names:
        r = replications[replications["scenario"] == name]
        n = len(r)

        def add(metric, triple):
            rows.append({"scenario": name, "metric": metric, "mean": triple[0], "p05": triple[1], "p95": triple[2]})

        if name != baseline and "npv" in r.columns:
            for m in ("npv", "investment_discounted", "savings_discounted", "benefit_cost_ratio"):
                add(m, _describe(r[m]))
            be = r["break_even_year"].to_numpy(dtype=float)
            add("break_even_year", _describe(be))
            add("break_even_calendar_year", _describe(r["break_even_calendar_year"]))
            add("p_break_even_horizon", _p_row(np.isfinite(be), n))
            for years in BREAK_EVEN_WITHIN:
                if horizon_years < years:
                    add(f"p_break_even_{years}y", (math.nan, math.nan, math.nan))
                else:
                    add(f"p_break_even_{years}y", _p_row(np.isfinite(be) & (be <= years), n))
            for c in payer_cols:
                add(c, _describe(r[c]))
        for m in LEVEL_METRICS:
            if m in r.columns:
                add(m, _describe(r[m]))
        if name != baseline:
            for m in LEVEL_METRICS:
                if f"delta_{m}" in r.columns:
                    add(f"delta_{m}", _describe(r[f"delta_{m}"]))
    return pd.DataFrame(rows, columns=["scenario", "metric", "mean", "p05", "p95"])


def wrong_pocket(replications: pd.DataFrame, *, baseline: str = "baseline") -> pd.DataFrame:
    """Net effect per payer, discounted cumulative at horizon: ``scenario, payer, mean, p05, p95``.

    Positive = the payer spends more than in the baseline; negative = it saves. The last row per
    scenario (``payer = "total"``) is all payers together (= −NPV).
    """
    rows = []
    cols = [c for c in replications.columns if c.startswith("net_cost_")]
    cols = [c for c in cols if c != "net_cost_total"] + (["net_cost_total"] if "net_cost_total" in cols else [])
    for name in scenario_order(replications, baseline):
        if name == baseline:
            continue
        r = replications[replications["scenario"] == name]
        for c in cols:
            m, lo, hi = _describe(r[c])
            rows.append({"scenario": name, "payer": c.removeprefix("net_cost_"), "mean": m, "p05": lo, "p95": hi})
    return pd.DataFrame(rows, columns=["scenario", "payer", "mean", "p05", "p95"])
