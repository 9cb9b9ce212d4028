"""The league table, in the manner of WSIPP's: per scenario that buys catalogue interventions,
what it costs per participant, what it returns and to whom, and how likely it pays back when.

Every figure is against the baseline and taken over the replications (whose intervention
effects are drawn from their intervals when run.effect_uncertainty is on). Benefit-cost ratios
per payer are that payer's discounted savings (lower spending on every line except the
investment it pays) over the whole discounted investment; they add up to the total ratio.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .summary import (BREAK_EVEN_WITHIN, INVESTMENT_LINE, PAYER_ORDER, cost_columns, differences,
                      discount_factors, parse_cost_column, replication_metrics, yearly)

LEVER_FIELDS = ("budget", "participants", "by_year")


def bought(overrides: dict) -> dict[str, dict]:
    """Catalogue interventions an override set buys: id -> its lever values."""
    out: dict[str, dict] = {}
    for key, value in overrides.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "interventions" and parts[2] in LEVER_FIELDS:
            out.setdefault(parts[1], {})[parts[2]] = value
    return {k: v for k, v in out.items() if any(_positive(x) for x in v.values())}


def _positive(value) -> bool:
    if isinstance(value, dict):
        return any(float(x) > 0 for x in value.values())
    return float(value) > 0


def scenario_interventions(config: dict) -> dict[str, list[str]]:
    """Per non-baseline scenario of a resolved config, the interventions it buys beyond the
    baseline ('custom' for the generic lever)."""
    common = config.get("parameters") or {}
    scenarios = config["scenarios"]
    base_name = config["run"]["baseline"]
    base = {**common, **scenarios[base_name]["overrides"]}
    out = {}
    for name, body in scenarios.items():
        if name == base_name:
            continue
        over = {**common, **body["overrides"]}
        ids = [i for i, levers in bought(over).items() if levers != bought(base).get(i)]
        if any(k.startswith("levers.prevention.") and over.get(k) != base.get(k)
               for k in over if k.split(".")[-1] in ("per_household", "fixed", "by_year")):
            ids.append("custom")
        out[name] = ids
    return out


def _mean_and_interval(values: pd.Series) -> tuple[float, float, float]:
    """Mean, 5th and 95th percentile of the finite values; NaN for each when there are none."""
    finite = values.to_numpy(float)
    finite = finite[np.isfinite(finite)]
    if not finite.size:
        return math.nan, math.nan, math.nan
    return finite.mean(), np.quantile(finite, 0.05), np.quantile(finite, 0.95)


def league_table(ts: pd.DataFrame, config: dict, *, discount_rate: float) -> pd.DataFrame | None:
    """One row per scenario that buys catalogue interventions; None when none does."""
    from ..params.catalogue import entry

    baseline = config["run"]["baseline"]
    per_scenario = {s: ids for s, ids in scenario_interventions(config).items()
                    if any(i != "custom" for i in ids)}
    if not per_scenario:
        return None
    diff = differences(yearly(ts, baseline=baseline), baseline=baseline)
    reps = replication_metrics(diff, discount_rate=discount_rate)
    factors = discount_factors(diff["year_index"], discount_rate)
    invest = {payer: diff[c] * factors for c in cost_columns(diff)
              for line, payer in [parse_cost_column(c)] if line == INVESTMENT_LINE}
    groups = [diff["scenario"], diff["replication"]]
    invest_by_payer = {p: v.groupby(groups).sum() for p, v in invest.items()}
    new_cols = [c for c in ts.columns if c.startswith("programme__") and c.endswith("__new")]
    participants = ts.groupby(["scenario", "replication"])[new_cols].sum().sum(axis=1) if new_cols else None
    spend = ts.groupby(["scenario", "replication"])[[c for c in ts.columns if c.startswith("programme__")
                                                     and c.endswith("__spend")]].sum().sum(axis=1)
    rows = []
    for scenario, ids in per_scenario.items():
        r = reps[reps["scenario"] == scenario].set_index("replication")
        if r.empty:
            continue
        entries = [entry(i) for i in ids if i != "custom"]
        n = participants.loc[scenario].mean() if participants is not None else math.nan
        row = {"scenario": scenario, "interventions": " + ".join(ids),
               "evidence": " + ".join(e.evidence for e in entries) + (" + assumption" if "custom" in ids else ""),
               "participants": n, "spend": spend.loc[scenario].mean(),
               "cost_per_participant": spend.loc[scenario].mean() / n if n and n > 0 else math.nan,
               "investment_discounted": r["investment_discounted"].mean()}
        for name in ("npv", "benefit_cost_ratio"):
            row[name], row[f"{name}_p05"], row[f"{name}_p95"] = _mean_and_interval(r[name])
        total_investment = r["investment_discounted"]
        savings = {}
        for payer in PAYER_ORDER:
            if f"net_cost_{payer}" not in r:
                continue
            paid = invest_by_payer.get(payer, pd.Series(dtype=float)).get(scenario, pd.Series(0.0, index=r.index))
            saved = paid.reindex(r.index, fill_value=0.0) - r[f"net_cost_{payer}"]
            savings[payer] = saved.mean()
            row[f"bcr_{payer}"] = (saved / total_investment.where(total_investment > 0)).mean()
            row[f"savings_{payer}"] = saved.mean()
        for within in BREAK_EVEN_WITHIN:
            row[f"p_break_even_{within}y"] = float((r["break_even_year"] <= within).mean())
        # The target group as the model has it, beside the published figure (single entries).
        if len(entries) == 1:
            e = entries[0]
            frame = ts[ts["scenario"] == scenario]
            column = f"programme__{e.id}__eligible"
            row["eligible_per_1000"] = (1000 * frame[column] / frame["households"]).mean() \
                if column in frame else math.nan
            row["eligible_per_1000_published"] = e.eligible_per_1000.value if e.eligible_per_1000.value is not None \
                else math.nan
        row["who_gains"] = " ".join(p for p, v in sorted(savings.items(), key=lambda kv: -kv[1]) if v > 0)
        rows.append(row)
    return pd.DataFrame(rows).sort_values("npv", ascending=False, kind="stable").reset_index(drop=True)
