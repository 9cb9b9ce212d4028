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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..files import read_csv, read_json
from ..manifest import to_json
# The analysis in three modules: yearly.py (months -> years -> differences -> cumulative),
# metrics.py (per replication and per scenario), this one (the bundle and its files). Importers
# keep reading every name from here (__all__ below).
from .metrics import (_indicators, break_even_index, npv, replication_metrics, scenario_metrics,
                      wilson_interval, wrong_pocket)
from ..outcomes import INVESTMENT_LINE
from .yearly import (BREAK_EVEN_WITHIN, DEFAULT_DISCOUNT_RATE, DOMAINS, HIGHEST_PREFIXES,
                     KEYS, LEVELS, LEVEL_METRICS, LINE_ORDER, PAYER_ORDER, QUALITY_METRICS, GENERATION_METRICS,
                     REQUIRED_COLUMNS, WILSON_Z, _check_timeseries, cost_columns, cumulative_by_replication,
                     cumulative_net_cost, differences, discount_factors, lines_of, parse_cost_column, payers_of,
                     scenario_order, yearly, year_rule, _with_str_scenarios, _yearly)
from .frames import array_of, codes, sort_order, spread

__all__ = [  # every name the analysis's importers read from here
    "BREAK_EVEN_WITHIN", "DEFAULT_DISCOUNT_RATE", "DOMAINS", "GENERATION_METRICS", "HIGHEST_PREFIXES",
    "INVESTMENT_LINE", "KEYS", "LEVELS", "LEVEL_METRICS", "LINE_ORDER", "PAYER_ORDER", "QUALITY_METRICS",
    "REQUIRED_COLUMNS", "Summary", "WILSON_Z", "_check_timeseries", "_indicators", "break_even_index",
    "cost_columns", "cumulative_by_replication", "cumulative_net_cost", "differences", "discount_factors",
    "lines_of", "npv", "parse_cost_column", "payers_of", "replication_metrics", "replication_table",
    "scenario_metrics",
    "scenario_order", "summarise", "wilson_interval", "wrong_pocket", "year_rule", "yearly",
]


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
        again = SUMMARY_AGAIN
        frames = {}
        for attr, name in cls.FILES.items():
            frames[attr] = read_csv(d / name, columns=("scenario",), expected=again, keep_default_na=True)
            frames[attr]["scenario"] = frames[attr]["scenario"].astype(str)
        yearly_frame = None
        if (d / "yearly.parquet").exists():
            try:
                yearly_frame = pd.read_parquet(d / "yearly.parquet")
            except Exception:  # any reading failure means the same thing to the user
                raise ConfigError("damaged yearly.parquet", file=d / "yearly.parquet", expected=again) from None
        meta_path = d / "summary_meta.json"
        meta = read_json(meta_path, expected=again) if meta_path.exists() else {}
        return cls(yearly=yearly_frame, meta=meta, **frames)


SUMMARY_AGAIN = "the file `sim run` wrote; delete summary.csv and `sim report` computes the summary again from " \
                "timeseries.parquet"


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
    ts, yr, diff, reps, method = _replications(ts, baseline=baseline, discount_rate=discount_rate)
    first_year = int(yr["year"].min())
    last_year = int(yr["year"].max())
    horizon = int(yr["year_index"].max()) + 1
    cumulative = cumulative_net_cost(diff, discount_rate=discount_rate) if not diff.empty else pd.DataFrame(
        columns=["scenario", "year", "view", "key", "basis", "mean", "p05", "p95"]
    )
    order = scenario_order(ts, baseline)

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


def replication_table(ts: pd.DataFrame, *, baseline: str = "baseline",
                      discount_rate: float = DEFAULT_DISCOUNT_RATE) -> tuple[pd.DataFrame, int]:
    """Only `Summary.replications` and the horizon in years: what a sweep takes from a run pair,
    without the intervals, cumulative curves and wrong-pocket table a report needs."""
    _, yr, _, reps, _ = _replications(ts, baseline=baseline, discount_rate=discount_rate)
    return reps, int(yr["year_index"].max()) + 1


def _replications(ts: pd.DataFrame, *, baseline: str, discount_rate: float):
    """(checked table, yearly, differences, replication table, self-reliance method)."""
    _check_timeseries(ts)
    ts = _with_str_scenarios(ts)
    order = scenario_order(ts, baseline)
    if baseline not in order:
        raise ValueError(f"baseline scenario {baseline!r} not in the table; scenarios are {sorted(set(ts['scenario']))}")
    yr = _yearly(ts, baseline, order)
    diff = differences(yr, baseline=baseline)
    econ = replication_metrics(diff, discount_rate=discount_rate, first_year=int(yr["year"].min()))
    levels, method = _indicators(ts, yr, discount_rate=discount_rate)
    reps = _replication_table(levels, econ, baseline=baseline, order=order)
    return ts, yr, diff, reps, method


def _replication_table(levels: pd.DataFrame, econ: pd.DataFrame, *, baseline: str, order: list) -> pd.DataFrame:
    """One row per scenario x replication: the economic metrics, the level indicators and their
    differences against the baseline twin (the baseline replication of the same number)."""
    n = len(levels)
    names, reps_of = levels["scenario"].tolist(), levels["replication"].tolist()
    named = levels["scenario"].notna().to_numpy()
    is_base = named & (levels["scenario"] == baseline).to_numpy()
    columns = {c: array_of(levels[c]) for c in levels.columns.tolist()}
    # Rows are matched by position, not merged: a row without a match gets what the left merge
    # gave it (see frames.spread).
    if (named & ~is_base).any():
        twin: dict = {}
        for i in np.flatnonzero(is_base):
            twin.setdefault(reps_of[i], i)
        pairs = [(i, twin[reps_of[i]]) for i in np.flatnonzero(named & ~is_base) if reps_of[i] in twin]
        at, base = [i for i, _ in pairs], [t for _, t in pairs]
        for m in LEVEL_METRICS:
            values = columns[m]
            columns[f"delta_{m}"] = spread(values[at] - values[base] if isinstance(values, np.ndarray)
                                           else values.take(at) - values.take(base), at, n)
    econ_cols = econ.columns.tolist()[2:]
    if not econ.empty:
        row = {k: i for i, k in enumerate(zip(names, reps_of))}
        target = [row.get(k, -1) for k in zip(econ["scenario"].tolist(), econ["replication"].tolist())]
        found = [j for j, t in enumerate(target) if t >= 0]
        for c in econ_cols:
            values = array_of(econ[c])
            columns[c] = spread(values[found] if isinstance(values, np.ndarray) else values.take(found),
                                [target[j] for j in found], n)
    rank = {s: i for i, s in enumerate(order)}
    by = sort_order(np.array([rank.get(s, len(order)) for s in names], dtype=np.int64), codes(levels["replication"]))
    front = [c for c in ["scenario", "replication", *econ_cols] if c in columns]
    return pd.DataFrame({c: columns[c][by] if isinstance(columns[c], np.ndarray) else columns[c].take(by)
                         for c in front + [c for c in columns if c not in front]})
