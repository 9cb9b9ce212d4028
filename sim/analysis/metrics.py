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
                     WILSON_Z, _GEN_COST, _describe, _net_cost_views, cost_columns, discount_factors,
                     parse_cost_column, payers_of, scenario_order)

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
    ts = ts.sort_values(["scenario", "replication", "month"], kind="stable")
    g = ts.groupby(["scenario", "replication"], sort=False)
    first = g.head(1).set_index(["scenario", "replication"])
    last = g.tail(1).set_index(["scenario", "replication"])
    out = pd.DataFrame(index=first.index)

    # self-reliance: share of households self-reliant in all domains, end − start (percentage points / 100)
    method = _self_reliance_method(ts.columns)
    out["self_reliance_growth"] = _self_reliance_share(last, ts.columns) - _self_reliance_share(first, ts.columns)

    def total(prefix: str, kinds: tuple[str, ...]) -> pd.Series:
        cols = [c for c in ts.columns if any(c.startswith(f"{prefix}{k}__") for k in kinds)]
        if not cols:
            return pd.Series(np.nan, index=out.index)
        return g[cols].sum().sum(axis=1)

    out["referrals_back"] = total("flow__", ("referral_back",))
    out["flow_heavier_care"] = total("flow__", ("to_maatwerk", "to_specialist"))

    out["gate_share_over_8w"], out["gate_wait_mean_weeks"] = _gate_indicators(ts, g, out.index)

    for name, group in (("transmission_mp", "childhood_mp"), ("transmission_not_mp", "childhood_not_mp")):
        a, m = f"gen__{group}__adults", f"gen__{group}__now_mp"
        if a in last.columns and m in last.columns:
            out[name] = last[m] / last[a].where(last[a] > 0)
        else:
            out[name] = np.nan

    later = [c for c in yr.columns if (mt := _GEN_COST.match(c)) and int(mt.group(1)) >= 1]
    if later:
        disc = yr[later].sum(axis=1) * discount_factors(yr["year_index"], discount_rate)
        out["second_generation_cost"] = disc.groupby([yr["scenario"], yr["replication"]]).sum()
    else:
        out["second_generation_cost"] = np.nan
    return out.reset_index(), method


def _highest_prefix(columns) -> str | None:
    """The prefix of the households-by-highest-level columns the table has, if any."""
    return next((p for p in HIGHEST_PREFIXES if f"{p}self_reliant" in columns), None)


def _self_reliance_method(columns) -> str:
    """"highest" (households by their highest level), "domain_mean" (proxy) or "none"."""
    if _highest_prefix(columns) is not None:
        return "highest"
    return "domain_mean" if any(c.endswith("__self_reliant") and c.startswith("hh__") for c in columns) else "none"


def _self_reliance_share(frame: pd.DataFrame, columns) -> pd.Series:
    """Share of households self-reliant in all domains; without the highest-level columns, the
    mean over domains of the share self-reliant in that domain."""
    highest = _highest_prefix(columns)
    if highest is not None:
        level_cols = [c for c in columns if c.startswith(highest)]
        denom = frame[level_cols].sum(axis=1)
        return frame[f"{highest}self_reliant"] / denom.where(denom > 0)
    shares = []
    domains = {c.split("__")[1] for c in columns
               if c.startswith("hh__") and c.count("__") == 2 and not c.startswith(HIGHEST_PREFIXES)}
    for domain in sorted(domains):
        if f"hh__{domain}__self_reliant" not in frame.columns:
            continue
        level_cols = [c for c in frame.columns if c.startswith(f"hh__{domain}__")]
        denom = frame[level_cols].sum(axis=1)
        shares.append(frame[f"hh__{domain}__self_reliant"] / denom.where(denom > 0))
    if not shares:
        return pd.Series(np.nan, index=frame.index)
    return pd.concat(shares, axis=1).mean(axis=1)


def _gate_indicators(ts: pd.DataFrame, g, index) -> tuple:
    """Share of served requests that waited over 8 weeks, and the mean wait weighted by served."""
    if {"gate__served", "gate__served_over_8w"} <= set(ts.columns):
        served = g["gate__served"].sum()
        over_8w = g["gate__served_over_8w"].sum() / served.where(served > 0)
    else:
        over_8w = pd.Series(np.nan, index=index)
    if "gate__wait_mean_weeks" not in ts.columns:
        return over_8w, pd.Series(np.nan, index=index)
    if "gate__served" not in ts.columns:
        return over_8w, g["gate__wait_mean_weeks"].mean()
    w = ts.assign(_ws=ts["gate__wait_mean_weeks"] * ts["gate__served"])
    gw = w.groupby(["scenario", "replication"], sort=False)
    den = gw["gate__served"].sum()
    return over_8w, (gw["_ws"].sum() / den.where(den > 0)).fillna(gw["gate__wait_mean_weeks"].mean())


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
    diff = diff.sort_values(["scenario", "replication", "year"], kind="stable")
    wide = _net_cost_views(diff)
    df = discount_factors(diff["year_index"], discount_rate)
    disc = wide.mul(df, axis=0)
    groups = [diff["scenario"], diff["replication"]]
    totals = disc.groupby(groups, sort=False).sum()
    inv_cols = [c for c in cost_columns(diff) if parse_cost_column(c)[0] == INVESTMENT_LINE]
    inv_disc = (diff[inv_cols].sum(axis=1) * df).groupby(groups, sort=False) if inv_cols else None

    out = pd.DataFrame(index=totals.index)
    investment = inv_disc.sum() if inv_disc is not None else pd.Series(0.0, index=totals.index)
    total = totals[("total", "all")]
    out["investment_discounted"] = investment
    out["savings_discounted"] = investment - total
    out["npv"] = -total
    out["benefit_cost_ratio"] = out["savings_discounted"] / investment.where(investment > 0)

    cum_total = disc[("total", "all")].groupby(groups, sort=False).cumsum()
    cum_inv = (
        (diff[inv_cols].sum(axis=1) * df).groupby(groups, sort=False).cumsum()
        if inv_cols
        else pd.Series(0.0, index=diff.index)
    )
    be = {}
    for key, idx in cum_total.groupby(groups, sort=False).groups.items():
        inv = float(investment.loc[key])
        if not inv > 0:
            be[key] = math.nan
            continue
        scale = max(1.0, float(np.max(np.abs(cum_inv.loc[idx]))))
        be[key] = break_even_index(cum_total.loc[idx].to_numpy(), tolerance=1e-9 * scale)
    out["break_even_year"] = pd.Series(be)
    out["break_even_calendar_year"] = out["break_even_year"] + first_year - 1
    for payer in payers_of(diff):
        out[f"net_cost_{payer}"] = totals[("payer", payer)]
    out["net_cost_total"] = total
    out.index.names = ["scenario", "replication"]
    return out.reset_index()


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
