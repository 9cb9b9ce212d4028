"""The model as a function of one design row, for sensitivity sweeps (`sim sweep`).

:func:`evaluate` is what every sweep task runs: it applies one row of sampled parameter values
to the baseline and to the scenario, runs both with the **same seed** (common random numbers),
summarises the pair with :func:`sim.analysis.summary.replication_table` (the replication table
of :func:`sim.analysis.summary.summarise`, computed the same way without the report's tables) and returns every output in
:data:`OUTPUTS` as a float. It is a top-level function of an importable module, takes its
randomness only from its keyword arguments and returns a flat dict of floats, so it runs
unchanged serially, in a process pool or on Dask, and its results go straight into the run
store (one ``.npz`` per design row).

Why every output is returned, not only the ones a sweep analyses: the run is the expensive part;
a store holding all outputs can be re-analysed for another output without a single new run.

How a sampled value reaches the runs (``parameters[key]``; each table becomes a
:class:`sim.problem.Parameter` and the problem definition's one rule applies it):

* ``scale``: ``False`` - the value replaces the parameter (kind ``value``); ``True`` - a factor (kind ``factor``)
  that multiplies the run's own value of the parameter (every element of a list parameter).
* ``integer``: the parameter is a whole number in ``sim/params`` (e.g. ``contact_months``);
  the sampled value is rounded to the nearest integer before use.
* ``applies_to``: ``"both"`` - a property of the world, set in the baseline and the scenario
  alike; ``"scenario"`` - a policy lever the scenario sets itself, varied in the scenario run
  only (the baseline keeps its own value, otherwise the comparison would vanish).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..outcomes import PAYERS as OUTCOME_PAYERS
from ..problem import AppliesTo, Kind, Parameter, overrides

__all__ = ["OUTPUTS", "PAYERS", "evaluate", "run_overrides", "as_parameter", "outputs_of"]

PAYERS = OUTCOME_PAYERS  # the outcome registry's order

_LEVEL_INDICATORS = (
    "self_reliance_growth",
    "referrals_back",
    "flow_heavier_care",
    "gate_share_over_8w",
    "gate_wait_mean_weeks",
    "transmission_mp",
    "transmission_not_mp",
    "second_generation_cost",
)

#: Every output :func:`evaluate` returns, with its meaning (docs/sensitivity.md repeats this).
#: Money is EUR, discounted to the first year at the experiment's discount rate, scenario minus
#: baseline over the whole horizon.
OUTPUTS: dict[str, str] = {
    "npv": "net present value of the scenario against the baseline: discounted savings - discounted "
           "investment (EUR; positive = pays back within the horizon)",
    "investment_discounted": "discounted extra voorliggend-veld investment (EUR)",
    "savings_discounted": "discounted savings on every other budget line (EUR; negative = extra costs)",
    "benefit_cost_ratio": "savings / investment (NaN when there is no positive investment)",
    "break_even_year": "first year (1-based) from which cumulative discounted savings stay >= investment; "
                       "NaN when not within the horizon",
    "break_even_year_capped": "break_even_year with 'not within the horizon' (or no investment) as horizon + 1: "
                              "finite, so Sobol indices can be computed; a sweep analysing break_even_year "
                              "uses this",
    "net_cost_total": "discounted net cost to all payers together (EUR; = -npv)",
    **{f"net_cost_{p}": f"discounted net cost to the {p.replace('_', ' ')} (EUR; positive = pays more than in "
                        "the baseline, negative = saves): who carries the costs and savings"
       for p in PAYERS},
    "multiproblem_end": "households with problems at maatwerk level or above in two or more domains, mean of the "
                        "last 12 months of the scenario run",
    "delta_multiproblem_end": "multiproblem_end of the scenario minus that of the baseline",
    "transmission_mp": "share of adults who grew up in a multi-problem household and are multi-problem now, "
                       "at the end of the scenario run (NaN when there are no such adults yet)",
    "delta_transmission_mp": "transmission_mp scenario minus baseline",
    "transmission_not_mp": "the same share for adults who did not grow up in a multi-problem household",
    "delta_transmission_not_mp": "transmission_not_mp scenario minus baseline",
    "self_reliance_growth": "change over the horizon in the share of households self-reliant in all domains "
                            "(scenario run)",
    "delta_self_reliance_growth": "self_reliance_growth scenario minus baseline",
    "flow_heavier_care": "moves into maatwerk or specialist care over the horizon (scenario run)",
    "delta_flow_heavier_care": "flow_heavier_care scenario minus baseline",
    "referrals_back": "referrals back to the voorliggend veld over the horizon (scenario run)",
    "delta_referrals_back": "referrals_back scenario minus baseline",
    "gate_wait_mean_weeks": "mean waiting time at the gate, weeks (scenario run)",
    "delta_gate_wait_mean_weeks": "gate_wait_mean_weeks scenario minus baseline",
    "gate_share_over_8w": "share of assessments that waited longer than the 8-week norm (scenario run)",
    "delta_gate_share_over_8w": "gate_share_over_8w scenario minus baseline",
    "second_generation_cost": "discounted cost of households of generation 1 and later (EUR, scenario run)",
    "delta_second_generation_cost": "second_generation_cost scenario minus baseline (EUR)",
}


def as_parameter(key: str, spec: Mapping[str, Any]) -> Parameter:
    """A sweep's [parameters."KEY"] table (as resolved in sweep.json) as the problem definition's
    Parameter: `scale` is the factor kind, `applies_to` and `integer` as written."""
    low, high = spec.get("range", (-math.inf, math.inf))  # the evaluator's copy carries no range
    return Parameter(key, float(low), float(high), kind=Kind.FACTOR if spec.get("scale") else Kind.VALUE,
                     applies_to=AppliesTo(spec.get("applies_to", "both")), integer=bool(spec.get("integer")))


def run_overrides(row: Mapping[str, float], parameters: Mapping[str, Mapping[str, Any]],
                  base: Mapping[str, Any], which: str, defaults: Mapping[str, Any] | None = None) -> dict:
    """Parameter overrides of one run (``which`` = ``"baseline"`` or ``"scenario"``) for ``row``:
    ``base`` (experiment, posterior, scenario) with the row laid over it by the problem
    definition's one rule (sim.problem.overrides). ``defaults`` maps each scaled parameter to its
    default in ``sim/params`` (the base of a factor the run does not override)."""
    specs = {key: as_parameter(key, parameters[key]) for key in row}
    return overrides(row, specs, base, run=which, defaults=defaults)


def _mean_last_year(df, column: str) -> float:
    if column not in df.columns or df.empty:
        return math.nan
    return float(df.sort_values("month")[column].tail(12).mean())


def outputs_of(reps, ts_baseline, ts_scenario, *, scenario: str, horizon_years: int) -> dict[str, float]:
    """Pick :data:`OUTPUTS` from the replication table of one baseline + scenario pair
    (`Summary.replications`, or `summary.replication_table` without the rest of the summary)."""
    row = reps[reps["scenario"] == scenario]
    if len(row) != 1:
        raise ValueError(f"expected one replication of scenario {scenario!r} in the summary, found {len(row)}")
    row = row.iloc[0]

    def get(name: str) -> float:
        value = row.get(name, math.nan)
        try:
            return float(value)
        except (TypeError, ValueError):
            return math.nan

    out: dict[str, float] = {}
    for name in ("npv", "investment_discounted", "savings_discounted", "benefit_cost_ratio", "break_even_year"):
        out[name] = get(name)
    be = out["break_even_year"]
    out["break_even_year_capped"] = be if math.isfinite(be) else float(horizon_years + 1)
    out["net_cost_total"] = get("net_cost_total")
    for payer in PAYERS:
        # A payer with no cost lines in the cost book neither pays nor saves: 0, not NaN.
        out[f"net_cost_{payer}"] = get(f"net_cost_{payer}") if f"net_cost_{payer}" in reps.columns else 0.0
    mp_s = _mean_last_year(ts_scenario, "multiproblem")
    mp_b = _mean_last_year(ts_baseline, "multiproblem")
    out["multiproblem_end"] = mp_s
    out["delta_multiproblem_end"] = mp_s - mp_b
    for name in _LEVEL_INDICATORS:
        out[name] = get(name)
        out[f"delta_{name}"] = get(f"delta_{name}")
    return {name: float(out[name]) for name in OUTPUTS}


def evaluate(*, row: Mapping[str, float], parameters: Mapping[str, Mapping[str, Any]],
             baseline: Mapping[str, Any], scenario: Mapping[str, Any], households: int, start_year: int,
             years: int, seed: int, replication: int, discount_rate: float,
             defaults: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Run baseline and scenario for one design row; return every output in :data:`OUTPUTS`.

    Parameters
    ----------
    row:
        ``{parameter key: sampled value}``; parameters of the sweep that are missing stay at
        the run's own value (the one-way runs of the tornado chart use this).
    parameters:
        ``{key: {"scale": bool, "integer": bool, "applies_to": "both" | "scenario"}}``.
    baseline, scenario:
        ``{"name": str, "overrides": dict}``: the experiment's overrides of each run
        (experiment parameters, calibration posterior, scenario settings).
    households, start_year, years:
        Population and horizon of both runs.
    seed, replication:
        Both runs use ``replication_seed(seed, replication)``: common random numbers, so the
        difference scenario - baseline holds no noise that the scenario does not cause.
    discount_rate:
        For NPV, net costs and break-even.
    defaults:
        Default values of scaled parameters (see :func:`run_overrides`).

    Returns
    -------
    ``{output: float}`` for every output in :data:`OUTPUTS`; NaN where undefined
    (``break_even_year`` not within the horizon, ``benefit_cost_ratio`` without investment, ...).
    """
    import pandas as pd

    from ..analysis.summary import replication_table
    from ..run.evaluate import scenario_run

    frames = {}
    for which, run in (("baseline", baseline), ("scenario", scenario)):
        run_values = run_overrides(row, parameters, run["overrides"], which, defaults)
        frames[which] = scenario_run(overrides=run_values, households=int(households), start_year=int(start_year),
                                     years=int(years), seed=int(seed), replication=int(replication),
                                     scenario=str(run["name"]))
    ts = pd.concat([frames["baseline"], frames["scenario"]], ignore_index=True)
    reps, horizon = replication_table(ts, baseline=str(baseline["name"]), discount_rate=float(discount_rate))
    return outputs_of(reps, frames["baseline"], frames["scenario"], scenario=str(scenario["name"]),
                      horizon_years=horizon)

