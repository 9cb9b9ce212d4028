"""Summary metrics of a simulation experiment: costs, payback, who pays, quality, generations.

The analysis never runs the model. Its input is the model's time-series table (one row per
scenario × replication × month; see ``docs`` of the run stage and :data:`REQUIRED_COLUMNS`), and its
output is a handful of tidy pandas frames bundled in :class:`Summary`.

Conventions (read these before quoting a number)
-------------------------------------------------
* **Years.** Months are added up to *calendar* years (column ``year``), each column by the rule
  of its kind in the outcome registry (sim/outcomes.py): flows and costs (``cost__*``,
  ``flow__*``, ``spell__*``, episode entries and exits, ``demo__*``, the gate's requests and
  served, ``gen{g}__cost``, programme participants and spending) are summed; monthly means
  (``prevention__effectiveness``) averaged; ``gate__wait_mean_weeks`` averaged weighted by
  ``gate__served``; ``gate__wait_weeks_max`` is the year's largest; stocks (household counts,
  queue, running episodes, generation stocks, ``prevention__contacted``) take the value of the
  last month of the year. Columns outside the registry count as stocks. A run that starts
  mid-year has a short first year; it is still
  year index 0.
* **Differences.** For every non-baseline scenario, each replication is compared with the baseline
  replication of the same number (common random numbers): ``difference = scenario − baseline``.
  Replications the baseline lacks are dropped with a warning.
* **Investment and savings.** Investment = the difference on the ``voorliggend_veld_investment``
  line (all payers); savings = minus the difference on all other lines. Net cost = investment −
  savings = the difference on all lines; positive = the scenario costs more than the baseline.
* **Discounting.** Yearly, to the first calendar year of the data: year index ``t = year −
  first_year``, factor ``(1 + r) ** −t``; year index 0 is not discounted. Whole-year totals are
  discounted as if they fell at the start of the year (no mid-year correction). Default ``r`` =
  2.25 % real (Dutch MKBA guidance since 2021).
* **NPV** = discounted savings − discounted investment over the whole horizon.
  **Benefit-cost ratio** = discounted savings / discounted investment; NaN when the discounted
  investment is not positive (no investment, or a disinvestment scenario).
* **Break-even year** = the first year from which cumulative discounted savings stay at or above
  cumulative discounted investment through the end of the horizon, counted 1-based (break-even in
  the first calendar year = 1); also reported as a calendar year. NaN ("not within horizon") if it
  never happens, or if there is no positive investment to pay back. A tiny relative tolerance
  (1e-9 of the investment) absorbs floating-point noise, so an exact tie counts as break-even.
* **Intervals.** ``mean`` over replications and the 5th/95th percentiles (``numpy.quantile``,
  linear interpolation). For probabilities (``p_*`` metrics) ``mean`` is the share of replications
  and ``p05``/``p95`` a 90 % Wilson score interval for that share. ``p_break_even_Ny`` is NaN when
  the horizon is shorter than N years (the answer is not knowable from the run).
  ``break_even_year`` is the mean over the replications that break even (see
  ``p_break_even_horizon`` for how many do).
* **Self-reliance.** "Self-reliant in all domains" needs the joint distribution over domains. If
  the table has ``hh__any__<level>`` (households by their highest level across domains, as the
  model reports it; ``hh__highest__`` and ``hh__all__`` are accepted too), the share whose highest
  level is self-reliant is used; otherwise the mean over
  domains of the share self-reliant in that domain is used as a proxy, and
  ``Summary.meta["self_reliance_method"]`` says ``"domain_mean"``. Start = month 0, end = last month.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..levels import DOMAIN_KEYS, LEVEL_KEYS
from ..manifest import to_json
from ..outcomes import INVESTMENT_LINE, LINES, PAYERS, is_cost_column, parse_cost_column, year_rule  # noqa: F401

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
    method = "none"
    highest = next((p for p in HIGHEST_PREFIXES if f"{p}self_reliant" in ts.columns), None)

    def share(frame: pd.DataFrame) -> pd.Series:
        if highest is not None:
            level_cols = [c for c in ts.columns if c.startswith(highest)]
            denom = frame[level_cols].sum(axis=1)
            return frame[f"{highest}self_reliant"] / denom.where(denom > 0)
        shares = []
        domains = {c.split("__")[1] for c in ts.columns
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

    if highest is not None:
        method = "highest"
    elif any(c.endswith("__self_reliant") and c.startswith("hh__") for c in ts.columns):
        method = "domain_mean"
    out["self_reliance_growth"] = share(last) - share(first)

    def total(prefix: str, kinds: tuple[str, ...]) -> pd.Series:
        cols = [c for c in ts.columns if any(c.startswith(f"{prefix}{k}__") for k in kinds)]
        if not cols:
            return pd.Series(np.nan, index=out.index)
        return g[cols].sum().sum(axis=1)

    out["referrals_back"] = total("flow__", ("referral_back",))
    out["flow_heavier_care"] = total("flow__", ("to_maatwerk", "to_specialist"))

    if {"gate__served", "gate__served_over_8w"} <= set(ts.columns):
        served = g["gate__served"].sum()
        out["gate_share_over_8w"] = g["gate__served_over_8w"].sum() / served.where(served > 0)
    else:
        out["gate_share_over_8w"] = np.nan
    if "gate__wait_mean_weeks" in ts.columns:
        if "gate__served" in ts.columns:
            w = ts.assign(_ws=ts["gate__wait_mean_weeks"] * ts["gate__served"])
            gw = w.groupby(["scenario", "replication"], sort=False)
            den = gw["gate__served"].sum()
            out["gate_wait_mean_weeks"] = (gw["_ws"].sum() / den.where(den > 0)).fillna(
                gw["gate__wait_mean_weeks"].mean()
            )
        else:
            out["gate_wait_mean_weeks"] = g["gate__wait_mean_weeks"].mean()
    else:
        out["gate_wait_mean_weeks"] = np.nan

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


# ---------------------------------------------------------------- the bundle


@dataclass
class Summary:
    """Every frame the charts and the report need; write it with :meth:`to_dir`."""

    summary: pd.DataFrame  # summary.csv: scenario, metric, mean, p05, p95
    cumulative: pd.DataFrame  # scenario, year, view, key, basis, mean, p05, p95
    replications: pd.DataFrame  # one row per scenario × replication
    wrong_pocket: pd.DataFrame  # scenario, payer, mean, p05, p95
    yearly: pd.DataFrame | None = None  # scenario × replication × year (levels, not differences)
    meta: dict = field(default_factory=dict)

    FILES = {
        "summary": "summary.csv",
        "cumulative": "cumulative.csv",
        "replications": "replications.csv",
        "wrong_pocket": "wrong_pocket.csv",
    }

    @property
    def baseline(self) -> str:
        return self.meta.get("baseline", "baseline")

    @property
    def scenarios(self) -> list[str]:
        return list(self.meta.get("scenarios") or scenario_order(self.replications, self.baseline))

    def metric(self, scenario: str, metric: str) -> tuple[float, float, float]:
        """``(mean, p05, p95)`` of one summary row; NaNs if it is absent."""
        row = self.summary[(self.summary["scenario"] == scenario) & (self.summary["metric"] == metric)]
        if row.empty:
            return (math.nan, math.nan, math.nan)
        r = row.iloc[0]
        return (float(r["mean"]), float(r["p05"]), float(r["p95"]))

    def to_dir(self, directory) -> Path:
        """Write the frames as CSV (``yearly`` as Parquet) and ``summary_meta.json``."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for attr, name in self.FILES.items():
            getattr(self, attr).to_csv(d / name, index=False)
        if self.yearly is not None:
            self.yearly.to_parquet(d / "yearly.parquet", index=False)
        (d / "summary_meta.json").write_text(to_json(self.meta, indent=2))
        return d

    @classmethod
    def from_dir(cls, directory) -> "Summary":
        d = Path(directory)
        frames = {}
        for attr, name in cls.FILES.items():
            frames[attr] = pd.read_csv(d / name, keep_default_na=True)
            if "scenario" in frames[attr].columns:
                frames[attr]["scenario"] = frames[attr]["scenario"].astype(str)
        yearly_frame = pd.read_parquet(d / "yearly.parquet") if (d / "yearly.parquet").exists() else None
        meta_path = d / "summary_meta.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        return cls(yearly=yearly_frame, meta=meta, **frames)


def summarise(
    ts: pd.DataFrame,
    *,
    baseline: str = "baseline",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    parameter_uncertainty: bool = False,
) -> Summary:
    """Everything at once: yearly table, differences, cumulative costs, metrics, wrong pocket.

    ``parameter_uncertainty`` only records (in ``meta``) whether replications also sampled
    parameters, so the report words its caveat about intervals correctly.
    """
    _check_timeseries(ts)
    ts = ts.copy()
    ts["scenario"] = ts["scenario"].astype(str)
    if baseline not in set(ts["scenario"]):
        raise ValueError(f"baseline scenario {baseline!r} not in the table; scenarios are {sorted(set(ts['scenario']))}")
    yr = yearly(ts, baseline=baseline)
    first_year = int(yr["year"].min())
    last_year = int(yr["year"].max())
    horizon = int(yr["year_index"].max()) + 1
    diff = differences(yr, baseline=baseline)
    cumulative = cumulative_net_cost(diff, discount_rate=discount_rate) if not diff.empty else pd.DataFrame(
        columns=["scenario", "year", "view", "key", "basis", "mean", "p05", "p95"]
    )
    econ = replication_metrics(diff, discount_rate=discount_rate, first_year=first_year)
    levels, method = _indicators(ts, yr, discount_rate=discount_rate)

    # differences of the level indicators against the baseline twin
    base = levels[levels["scenario"] == baseline].set_index("replication")
    deltas = []
    for name, grp in levels[levels["scenario"] != baseline].groupby("scenario", sort=False):
        g = grp.set_index("replication")
        common = g.index.intersection(base.index)
        d = g.loc[common, list(LEVEL_METRICS)] - base.loc[common, list(LEVEL_METRICS)]
        d.columns = [f"delta_{c}" for c in d.columns]
        d.insert(0, "scenario", name)
        deltas.append(d.reset_index())
    reps = levels
    if deltas:
        reps = reps.merge(pd.concat(deltas, ignore_index=True), on=["scenario", "replication"], how="left")
    if not econ.empty:
        reps = reps.merge(econ, on=["scenario", "replication"], how="left")
    order = scenario_order(ts, baseline)
    reps = reps.sort_values("replication", kind="stable").sort_values(
        "scenario", key=lambda s: s.map({n: i for i, n in enumerate(order)}), kind="stable"
    )
    front = [c for c in ["scenario", "replication", *econ.columns[2:]] if c in reps.columns]
    reps = reps[front + [c for c in reps.columns if c not in front]].reset_index(drop=True)

    n_reps = {str(k): int(v) for k, v in ts.groupby("scenario")["replication"].nunique().items()}
    meta = {
        "baseline": baseline,
        "discount_rate": float(discount_rate),
        "first_year": first_year,
        "last_year": last_year,
        "horizon_years": horizon,
        "months": int(ts["month"].max()) + 1,
        "scenarios": order,
        "replications": n_reps,
        "payers": payers_of(ts),
        "lines": lines_of(ts),
        "self_reliance_method": method,
        "parameter_uncertainty": bool(parameter_uncertainty),
        "interval": "5th-95th percentile over replications; p_* metrics: 90% Wilson interval",
        "discounting": "yearly to the first calendar year; year index 0 not discounted; factor (1+r)^-t",
    }
    return Summary(
        summary=scenario_metrics(reps, horizon_years=horizon, baseline=baseline, scenarios=order),
        cumulative=cumulative,
        replications=reps,
        wrong_pocket=wrong_pocket(reps, baseline=baseline),
        yearly=yr,
        meta=meta,
    )
