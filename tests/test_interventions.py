"""The intervention catalogue: entries as data, programmes in the model, known answers."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from sim.config import load_dict
from sim.errors import ConfigError
from sim.model import PreventionModel
from sim.params import Parameters, prices
from sim.params.catalogue import EVIDENCE_GRADES, catalogue, entry, read_entry

SIX_YEARS = 6


def run(overrides, *, households=6000, years=SIX_YEARS, seed=3, unit_effects=False):
    model = PreventionModel(overrides, households=households, seed=seed)
    if unit_effects:  # every rate ratio of every entry set to 1
        for k, e in enumerate(model.programmes.entries):
            model.programmes.set_effect(k, [1.0] * len(e.effects))
    model.run_years(years)
    return model.dataframe()


# ------------------------------------------------------------------------------ the entries


def test_the_catalogue_has_what_the_issue_names():
    entries = catalogue()
    assert len(entries) >= 10
    ids = {e.id for e in entries}
    for needed in ("vroegsignalering_schulden", "financien_de_baas", "schuldhulp_toegang", "wmo_consulent_extra",
                   "voorzorg", "incredible_years", "poh_jeugd", "welzijn_op_recept", "wijkteam_outreach",
                   "eigen_kracht"):
        assert needed in ids
    for e in entries:
        assert e.evidence in EVIDENCE_GRADES and e.sources and e.name["nl"] and e.name["en"]
        assert e.cost_per_participant > 0 and 1990 <= e.cost_price_year <= 2025
        for eff in e.effects:
            assert eff.ci[0] <= eff.rate_ratio <= eff.ci[1] and eff.basis
    assert any(e.reveals_hidden_need for e in entries)  # outreach with its latent-demand effect
    # null or negative results from controlled studies: an interval around no effect, or more escalation
    null_or_harm = [e.id for e in entries if e.evidence in ("nl_rct", "quasi_experimental") and any(
        eff.ci[0] <= 1.0 <= eff.ci[1] or (eff.kind == 0 and eff.rate_ratio > 1.0) for eff in e.effects)]
    assert {"eigen_kracht", "bijstand_begeleiding", "poh_jeugd"} <= set(null_or_harm)


def write_entry(tmp_path, text, name="probe"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


VALID = '''id = "probe"
kind = "programme"
name = { nl = "Proef", en = "Probe" }
description = { nl = "x", en = "x" }
evidence = "expert_opinion"
dei_rating = "not found"
payer = "municipality"
sources = ["nobody, 2026"]
[target]
domains = ["finance"]
levels = ["light"]
households = "any"
eligible_per_1000 = { value = "not found", source = "not found" }
[delivery]
reach = { value = 0.5, source = "assumption" }
uptake = { value = 0.5, source = "assumption" }
cost_per_participant = { value = 100, price_year = 2023, source = "assumption" }
months = 6
[[effects]]
transition = "finance: light -> maatwerk"
rate_ratio = 0.8
ci = [0.6, 1.0]
basis = "assumption"
[effect_timing]
onset_months = 2
lasts_months = 12
half_life_months = 6
source = "assumption"
'''


def test_a_valid_entry_reads_and_converts_its_cost_to_the_model_price_year(tmp_path):
    e = read_entry(write_entry(tmp_path, VALID.replace("price_year = 2023", "price_year = 2019")))
    assert e.cost_per_participant == pytest.approx(100 * prices.cpi(2023) / prices.cpi(2019))
    assert e.effects[0].kind == 0 and e.effects[0].from_level == 2


@pytest.mark.parametrize("change, key", [
    (("months = 6", "months = 6\nmonhts = 3"), "delivery.monhts"),
    (('"finance: light -> maatwerk"', '"finance: light -> specialist"'), "effects[0].transition"),
    (('"finance: light -> maatwerk"', '"finanse: light -> maatwerk"'), "effects[0].transition"),
    (("rate_ratio = 0.8", "rate_ratio = nan"), "effects[0].rate_ratio"),
    (("ci = [0.6, 1.0]", "ci = [0.9, 1.0]"), "effects[0].ci"),
    (('id = "probe"', 'id = "other"'), "id"),
    (('payer = "municipality"', 'payer = "the town"'), "payer"),
    (("value = 0.5, source", "value = 1.5, source"), "delivery.reach.value"),
    (('levels = ["light"]', 'levels = []'), "target"),
])
def test_a_damaged_entry_names_its_file_and_key(tmp_path, change, key):
    path = write_entry(tmp_path, VALID.replace(*change, 1))
    with pytest.raises(ConfigError) as err:
        read_entry(path)
    assert err.value.key == key and str(path) in str(err.value)


def test_the_effect_fades_as_its_timing_says():
    e = dataclasses.replace(entry("schuldhulpmaatje"), onset_months=4, lasts_months=12, half_life_months=6)
    assert [e.weight(a) for a in range(4)] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert e.weight(11) == 1.0
    assert e.weight(11 + 6) == pytest.approx(0.5)  # one half-life after the plateau
    assert e.weight(11 + 12) == pytest.approx(0.25)
    assert e.weight(e.window) == 0.0 and e.weight(e.window - 1) >= 0.01 * 0.5


def test_an_effect_quantile_moves_along_the_log_normal_interval():
    eff = entry("schuldhulpmaatje").effects[0]
    assert eff.at_quantile(0.5) == eff.rate_ratio
    assert eff.at_quantile(0.025) == pytest.approx(math.exp(math.log(eff.rate_ratio) - (
        math.log(eff.ci[1]) - math.log(eff.ci[0])) / 2), rel=1e-3)


# ------------------------------------------------------------------------------ known answers


def test_a_zero_budget_portfolio_equals_the_baseline_bit_for_bit():
    zero = {f"interventions.{e.id}.budget": 0.0 for e in catalogue()}
    zero.update({"levers.prevention.per_household": 0.0, "interventions.voorzorg.start_year": 2027})
    pd.testing.assert_frame_equal(run({}), run(zero))


def test_an_intervention_with_every_rate_ratio_one_changes_nothing_but_cost():
    """Every entry without outreach bought at once, all rate ratios 1: households, flows and
    every budget line except the investment are the baseline's, to the bit; the investment is
    exactly what the programmes spent."""
    buys = {f"interventions.{e.id}.budget": 50000.0 for e in catalogue()
            if e.kind == "programme" and not e.reveals_hidden_need}
    base, unit = run({}), run(buys, unit_effects=True)
    assert unit[[c for c in unit.columns if c.endswith("__new")]].to_numpy().sum() > 100  # people took part
    investment = [c for c in unit.columns if c.startswith("cost__voorliggend_veld_investment__")]
    same = [c for c in base.columns if c not in investment]
    pd.testing.assert_frame_equal(base[same], unit[same])
    spend = unit[[c for c in unit.columns if c.startswith("programme__") and c.endswith("__spend")]].sum(axis=1)
    assert np.allclose(unit[investment].sum(axis=1), spend)
    assert spend.sum() == pytest.approx(len(buys) * 50000.0 * SIX_YEARS)


def test_euros_add_up_per_payer_and_participants_cost_their_price():
    e = entry("voorzorg")
    df = run({"interventions.voorzorg.participants": 40.0, "levers.prevention.per_household": 20.0,
              "levers.prevention.funder": "central_government"}, households=12000)
    new, spend = df["programme__voorzorg__new"], df["programme__voorzorg__spend"]
    assert np.allclose(spend, new * e.cost_per_participant)
    assert np.allclose(df["cost__voorliggend_veld_investment__municipality"], spend)  # VoorZorg's payer
    assert np.allclose(df["cost__voorliggend_veld_investment__central_government"], 20.0 * 12000 / 12)


def test_participants_are_taken_up_to_the_capacity_of_reach_and_uptake():
    """Known answer: a month's expected enrolment is min(participants, eligible x reach x
    uptake) / 12; the realised total over the years lies within four standard deviations."""
    e = entry("schuldhulpmaatje")
    for asked in (30.0, 5000.0):  # below and far above capacity
        df = run({"interventions.schuldhulpmaatje.participants": asked}, households=12000)
        eligible = df["programme__schuldhulpmaatje__eligible"].to_numpy(float)
        capacity = eligible * e.reach.value * e.uptake.value
        p = np.divide(np.minimum(asked, capacity) / 12, eligible, out=np.zeros_like(eligible), where=eligible > 0)
        expected = (p * eligible).sum()
        sd = math.sqrt((eligible * p * (1 - p)).sum())
        assert abs(df["programme__schuldhulpmaatje__new"].sum() - expected) < 4 * sd + 1


def test_a_budget_buys_participants_with_diminishing_returns():
    small = run({"interventions.poh_jeugd.budget": 20000.0})["programme__poh_jeugd__new"].sum()
    double = run({"interventions.poh_jeugd.budget": 40000.0})["programme__poh_jeugd__new"].sum()
    huge = run({"interventions.poh_jeugd.budget": 4e6})
    e = entry("poh_jeugd")
    cap = (huge["programme__poh_jeugd__eligible"] * e.reach.value * e.uptake.value / 12).sum()
    assert small < double < 2 * small * 1.15 and huge["programme__poh_jeugd__new"].sum() <= 1.1 * cap


def test_a_programme_that_starts_later_leaves_the_years_before_as_they_were():
    base = run({})
    later = run({"interventions.stevig_ouderschap.budget": 200000.0, "interventions.stevig_ouderschap.start_year": 2028})
    before = base["year"] < 2028
    pd.testing.assert_frame_equal(base[before], later.loc[before, base.columns])
    assert not base[~before].equals(later.loc[~before, base.columns])


def test_effects_are_drawn_per_replication_and_shared_by_scenarios():
    from sim.run.experiment import effect_draws, tasks_for

    cfg = {"population": {"households": 300}, "horizon": {"years": 2}, "run": {"replications": 3, "posterior": "none"},
           "scenarios": {"a": {"interventions": {"voorzorg": {"budget": 1000.0}}},
                         "b": {"interventions": {"voorzorg": {"budget": 2000.0}, "poh_jeugd": {"budget": 5.0}}}}}
    exp = load_dict(cfg)
    assert exp.interventions == ("poh_jeugd", "voorzorg")
    draws = effect_draws(exp)
    assert len({d["interventions.voorzorg.effect_quantile"] for d in draws.values()}) == 3
    by_task = {t.key: t.kwargs["overrides"] for t in tasks_for(exp)}
    for r in range(3):
        q = {by_task[f"{s}__r{r:04d}"]["interventions.voorzorg.effect_quantile"] for s in ("baseline", "a", "b")}
        assert len(q) == 1
    cfg["run"]["effect_uncertainty"] = False
    assert effect_draws(load_dict(cfg)) == {}


# ------------------------------------------------------------------------------ configs


@pytest.mark.parametrize("scenario, message", [
    ({"interventions": {"voorzorgg": {"budget": 10.0}}}, "did you mean 'interventions.voorzorg.budget'"),
    ({"interventions": {"voorzorg": {"budget": 10.0, "by_year": {"2090": 5.0}}}}, "outside the horizon"),
    ({"interventions": {"voorzorg": {"budget": float("inf")}}}, "not a finite number"),
    ({"interventions": {"voorzorg": {"budget": 10.0, "participants": 2.0}}}, "not both"),
    ({"interventions": {"voorzorg": {"effect_quantile": 1.0}}}, "strictly between 0 and 1"),
    ({"interventions": {"wmo_consulent_extra": {"participants": 2.0}}}, "bought with a budget"),
    ({"interventions": {"voorzorg": {"budget": 10.0, "start_year": 2031}}}, "outside the horizon"),
])
def test_bad_intervention_choices_are_refused_before_any_work(scenario, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_dict({"horizon": {"start_year": 2025, "years": 5}, "scenarios": {"x": scenario}})


def test_custom_is_the_generic_lever():
    exp = load_dict({"scenarios": {"x": {"interventions": {"custom": {"per_household": 25.0}}}}})
    assert exp.scenarios["x"].overrides == {"levers.prevention.per_household": 25.0}
    assert Parameters.build(exp.scenario_overrides("x")).budget.per_household == 25.0


# ------------------------------------------------------------------------------ prices


def test_the_price_index_reproduces_the_published_level_and_refuses_unknown_years():
    assert prices.cpi(2015) == 100.0
    assert prices.cpi(2022) == pytest.approx(121.43, abs=0.05)  # CBS 83136NED
    assert prices.to_model_prices(250.0, prices.price_year()) == 250.0
    with pytest.raises(ConfigError, match="no consumer price index"):
        prices.cpi(1950)


def test_euro_targets_are_converted_to_model_prices_once():
    from sim.calibrate.targets import load_targets, validate_targets

    once = load_targets("calibration/targets_nl.csv")
    twice = validate_targets(once)
    assert (once["price_year"] == prices.price_year()).all() or not once["unit"].str.startswith("EUR").all()
    pd.testing.assert_series_equal(once["value"], twice["value"])
    row = once.set_index("name").loc["cost_jeugdwet_per_hh_year"]
    assert row["value"] == pytest.approx(670.7 * prices.index_factor(2019), rel=1e-6)
