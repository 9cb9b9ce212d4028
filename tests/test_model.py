"""The household model: known answers, invariants, and each mechanism's direction."""
import numpy as np
import pandas as pd
import pytest

from sim.model import PreventionModel
from sim.model.levels import DOMAIN_KEYS, LEVEL_KEYS, N_DOMAINS, N_LEVELS, Domain, Level
from sim.params import PAYERS, Parameters, Switches
from sim.errors import ConfigError

ALL_OFF = Switches.all_off()


def run(overrides=None, *, households=3000, years=3, seed=7, burn_in_years=0):
    model = PreventionModel(overrides or {}, households=households, seed=seed, burn_in_years=burn_in_years)
    model.run_years(years)
    return model, model.dataframe()


# ------------------------------------------------------------------ known answer: the Markov chain

def test_transition_matrices_are_stochastic_and_stationary_is_fixed_point():
    p = Parameters.build()
    for d in range(N_DOMAINS):
        P = p.transition_matrix(d)
        assert np.allclose(P.sum(axis=1), 1.0)
        assert (P >= 0).all()
        pi = p.stationary(d)
        assert np.allclose(pi @ P, pi, atol=1e-12)


def test_switches_off_each_domain_is_the_analytic_markov_chain():
    """Occupancy from a non-stationary start follows p0 P^t within sampling error."""
    n = 20000
    model = PreventionModel(ALL_OFF, households=n, seed=3, burn_in_years=0)
    # Start everyone far from equilibrium: half self-reliant, half at specialist level.
    model.hh.level[:] = np.where(np.arange(n)[:, None] < n // 2, 0, 4).astype(np.int8)
    p0 = np.zeros(N_LEVELS)
    p0[0] = p0[4] = 0.5
    months = 36
    model.run_years(months / 12)
    df = model.dataframe()
    worst = 0.0
    for d, dn in enumerate(DOMAIN_KEYS):
        P = model.params.transition_matrix(d)
        dist = p0.copy()
        for t in range(months):
            dist = dist @ P
            observed = np.array([df[f"hh__{dn}__{ln}"].iloc[t] for ln in LEVEL_KEYS]) / n
            sigma = np.sqrt(dist * (1 - dist) / n)
            z = np.abs(observed - dist) / np.maximum(sigma, 1e-9)
            worst = max(worst, z.max())
            assert (np.abs(observed - dist) <= 4.5 * sigma + 1e-4).all(), (dn, t, observed, dist)
    assert worst > 0.5  # the comparison is not vacuous: there is sampling noise to compare


def test_composed_hazard_is_the_product_of_every_modifier():
    """Known answer for the compiled transition: a household's escalation hazard is the table's,
    times the cascade (1 + sum_f C[f, d] * level_f / 4), its age factor, its inherited factor,
    the contact effect and the crisis factor, capped so the row stays a distribution. A uniform
    just below that product moves the household up; just above, it does not."""
    from sim.model.rules import hazards
    params = Parameters.build()
    table = params.hazard_table.reshape(N_DOMAINS, N_LEVELS, 3).astype(np.float64)
    level = np.array([[2, 1, 0, 3], [0, 4, 1, 2]], np.int8, order="F")
    cascade = np.array([[0.0, 0.4, 0.2, 0.3], [0.2, 0.0, 0.1, 0.2], [0.1, 0.0, 0.0, 0.2], [0.1, 0.3, 0.2, 0.0]])
    by_age = np.ones((131, N_DOMAINS))
    by_age[70] = [0.8, 0.0, 1.0, 1.5]
    head_age = np.array([70.4, 35.0], np.float32)
    inherited = np.asfortranarray([[1.0, 1.0, 1.0, 1.0], [1.3, 1.1, 1.2, 1.4]], np.float32)
    effect = np.ones((3, N_DOMAINS, N_LEVELS))
    effect[0, 0, 2], effect[1, 0, 2] = 0.5, 1.2
    contact = np.array([True, False])
    waiting = np.array([[-1, -1, -1, 4], [-1, -1, -1, -1]], np.int32, order="F")
    from sim.model.rules import cascades
    spill = cascades.multipliers(Parameters.build({"cascades.matrix": cascade.tolist()}))
    mod = hazards.Modifiers(cascade=spill, up_by_age=by_age, head_age=head_age, inherited=inherited,
                            n_children=np.array([2, 0]), contact=np.where(contact, 0, -1).astype(np.int32),
                            contact_effect=effect[None],
                            waiting_since=waiting, crisis_factor=3.0)
    expected = np.zeros((2, N_DOMAINS))
    for h in range(2):
        for d in range(N_DOMAINS):
            lv = level[h, d]
            up, down, rec = table[d, lv]
            up *= 1 + (cascade[:, d] * level[h]).sum() / 4
            up *= by_age[int(head_age[h]), d] * inherited[h, d]
            if contact[h]:
                up, down, rec = up * effect[0, d, lv], down * effect[1, d, lv], rec * effect[2, d, lv]
            up *= 3.0 if waiting[h, d] >= 0 else 1.0
            expected[h, d] = max(min(up, 1 - down - rec), 0)
    assert expected[0, 1] == 0.0 and expected[0, 3] > 2.5 * table[3, 3, 0]  # retired; waiting
    for side, factor in (("below", 1 - 1e-4), ("above", 1 + 1e-4)):
        u = np.asfortranarray(np.where(expected > 0, expected * factor, 0.5), np.float32)
        _, go_up = hazards.transition(level, table, u, mod)
        assert (go_up == ((expected > 0) & (side == "below"))).all(), (side, go_up, expected)


def test_youth_onset_needs_children_at_home():
    from sim.model.rules import hazards
    params = Parameters.build()
    table = params.hazard_table.reshape(N_DOMAINS, N_LEVELS, 3)
    level = np.zeros((4, N_DOMAINS), np.int8, order="F")
    u = np.zeros((4, N_DOMAINS), np.float32, order="F")  # below every positive hazard
    _, go_up = hazards.transition(level, table, u, hazards.Modifiers(n_children=np.array([0, 1, 0, 3])))
    assert go_up[:, 2].tolist() == [False, True, False, True] and go_up[:, [0, 1, 3]].all()


def test_census_counts_what_numpy_counts():
    """The compiled census against plain numpy on a grown, mixed population (every stock)."""
    from sim.model import reporters
    from sim.model.population import ORIGIN_LEFT_HOME
    model, _ = run(households=3000, years=6, seed=11)
    hh, ch = model.hh, model.children
    rng = np.random.default_rng(0)
    hh.generation[:] = rng.integers(0, 4, len(hh))  # every generation present, 3 folded into 2
    hh.origin[rng.random(len(hh)) < 0.3] = ORIGIN_LEFT_HOME
    hh.childhood_mp[:] = rng.random(len(hh)) < 0.5
    hh.childhood_exposed[:] = rng.random(len(hh)) < 0.5
    hh.latent[:] = rng.random(hh.latent.shape) < 0.1
    hh.waiting_since[:] = np.where(rng.random(hh.waiting_since.shape) < 0.05, 3, -1)
    siblings = 0.4
    c = reporters.census(hh, ch, model.tick, siblings)
    level, gen = hh.level, np.minimum(hh.generation, 2)
    heavy = (level >= Level.MAATWERK).sum(axis=1) >= 2
    top = level.max(axis=1)
    for g in range(3):
        for d in range(N_DOMAINS):
            assert c["occupancy"][g, d].tolist() == np.bincount(level[gen == g, d], minlength=N_LEVELS).tolist()
        assert c["households"][g] == (gen == g).sum() and c["multiproblem"][g] == (heavy & (gen == g)).sum()
    assert c["highest"].tolist() == np.bincount(top, minlength=N_LEVELS).tolist()
    assert c["waiting"] == (hh.waiting_since >= 0).sum() and c["latent"] == hh.latent.sum()
    assert c["contacted"] == (hh.contact_until >= model.tick).sum()
    assert c["partners"] == hh.partner.sum()
    band = reporters.PERSON_BAND[np.minimum(hh.head_age.astype(int), 130)]
    ages = np.bincount(band, weights=1 + hh.partner, minlength=6) + np.bincount(
        reporters.PERSON_BAND[np.minimum(ch.age.astype(int), 130)], minlength=6)
    assert c["ages"].tolist() == ages.astype(int).tolist()
    child_band = reporters.CHILD_BAND[np.minimum(ch.age.astype(int), 130)]
    for b in range(4):
        assert c["children_by_level"][b].tolist() == np.bincount(top[ch.hh][child_band == b], minlength=N_LEVELS).tolist()
    assert c["children_by_youth_level"].tolist() == np.bincount(level[ch.hh, 2], minlength=N_LEVELS).tolist()
    formed = hh.origin == ORIGIN_LEFT_HOME
    expected = []
    for group in (hh.childhood_mp, ~hh.childhood_mp):
        expected += [(formed & group).sum(), (formed & group & heavy).sum()]
    for group in (hh.childhood_exposed, ~hh.childhood_exposed):
        expected += [(formed & group).sum(), (formed & group & (top >= Level.MAATWERK)).sum()]
    assert c["patterns"].tolist() == expected
    assert min(c["occupancy"][1:].sum(), c["patterns"].sum(), len(ch)) > 0  # nothing vacuous
    # Children in youth care (one per family at youth maatwerk+, siblings as an expectation),
    # persons under 23, and households using one or more, two or more care laws.
    young = np.bincount(ch.hh[ch.age < 23], minlength=len(hh))
    clients = np.zeros((3, 2))
    in_care = (level[:, 2] >= Level.MAATWERK) & (young > 0)
    np.add.at(clients, (gen[in_care], level[in_care, 2] - Level.MAATWERK), 1 + siblings * (young[in_care] - 1))
    assert np.allclose(c["youth_clients"], clients) and clients.sum() > 0
    assert c["under_23"] == (ch.age < 23).sum() + ((hh.head_age < 23) * (1 + hh.partner)).sum()
    hh.episode_end[:] = np.where(rng.random(hh.episode_end.shape) < 0.2, model.tick - rng.integers(0, 24, hh.episode_end.shape), -1)
    c = reporters.census(hh, ch, model.tick, siblings)  # again, with care that ended 0-23 months ago
    recent = (hh.episode_end >= 0) & (model.tick - hh.episode_end < 12)
    laws = ((level[:, 1:] >= Level.MAATWERK) | recent[:, 1:]).sum(axis=1)
    assert recent.any() and (laws > (level[:, 1:] >= Level.MAATWERK).sum(axis=1)).any()
    assert (c["laws_1plus"], c["laws_2plus"]) == ((laws >= 1).sum(), (laws >= 2).sum())
    payable = c["occupancy"].astype(float)
    payable[:, 2, 3:] = clients
    assert np.allclose(c["payable"], payable)


# ------------------------------------------------------------------ invariants

def test_households_and_persons_are_conserved_month_by_month():
    model, df = run(households=4000, years=6)
    d = df.diff().iloc[1:]
    flows = df.iloc[1:]
    persons = (flows["demo__births"] - flows["demo__deaths"] + flows["demo__in_persons"] - flows["demo__out_persons"])
    households = (flows["demo__left_home"] + flows["demo__separations"] - flows["demo__partnerships"]
                  - flows["demo__dissolved"] - flows["demo__out_households"] + flows["demo__in_households"])
    assert (d["persons"] == persons).all()
    assert (d["households"] == households).all()
    assert flows["demo__births"].sum() > 0 and flows["demo__deaths"].sum() > 0
    assert flows["demo__left_home"].sum() > 0 and flows["demo__partnerships"].sum() > 0
    # and the final tables agree with the report
    assert df["households"].iloc[-1] == len(model.hh)
    assert df["children"].iloc[-1] == len(model.children)
    assert (model.children.hh < len(model.hh)).all() and (model.children.hh >= 0).all()


def test_population_follows_its_path():
    model, df = run({"demography.growth": 0.01}, households=3000, years=5)
    expected = 3000 * 1.01 ** 5
    assert abs(df["households"].iloc[-1] - expected) <= 1


def test_euros_add_up():
    """Cost book total = sum(unit cost x occupancy, children in care for youth maatwerk and above)
    + voorliggend-veld spending + gate staff."""
    overrides = {"levers.prevention.per_household": 60.0, "levers.gate.extra_fte": 1.5,
                 "levers.gate.extra_fte_by_year": {"2026": 0.5}}
    model, df = run(overrides, households=3000, years=2)
    p = model.params
    unit = p.unit_cost.sum(axis=2) / 12.0
    # The gate is staffed for the households at the start of the month (last month's end).
    start_households = df["households"].shift(1, fill_value=3000)
    for i, row in df.iterrows():
        # Youth maatwerk and specialist care are paid per child in care, the rest per household.
        payable = {(dn, ln): row[f"youth_clients__{ln}"] if dn == "youth" and lv >= Level.MAATWERK
                   else row[f"hh__{dn}__{ln}"]
                   for dn in DOMAIN_KEYS for lv, ln in enumerate(LEVEL_KEYS)}
        care = sum(payable[dn, ln] * unit[d, lv]
                   for d, dn in enumerate(DOMAIN_KEYS) for lv, ln in enumerate(LEVEL_KEYS))
        staff = (p["gate.fte_per_1000_households"] * start_households[i] / 1000 + 1.5) * p["gate.cost_per_fte"] / 12
        if row["year"] == 2026:  # the by-year table replaces the flat extra FTE in its years
            staff += (0.5 - 1.5) * p["gate.cost_per_fte"] / 12
        budget = 60.0 * 3000 / 12
        booked = sum(row[c] for c in df.columns if c.startswith("cost__"))
        assert booked == pytest.approx(care + staff + budget, rel=1e-9)
        assert row["cost__voorliggend_veld_investment__municipality"] == pytest.approx(budget)
    payers = {c.split("__")[2] for c in df.columns if c.startswith("cost__")}
    assert payers <= set(PAYERS)


def test_generation_costs_add_up_to_care_costs():
    model, df = run(households=3000, years=3)
    care = df[[c for c in df.columns if c.startswith("cost__")
               and "investment" not in c and "uitvoering" not in c]].sum(axis=1)
    gens = df[["gen0__cost", "gen1__cost", "gen2__cost"]].sum(axis=1)
    assert np.allclose(care, gens)


# ------------------------------------------------------------------ reproducibility and the zero lever

def test_same_seed_same_numbers_other_seed_other_numbers():
    _, a = run(seed=11, years=2)
    _, b = run(seed=11, years=2)
    _, c = run(seed=12, years=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_zero_budget_equals_prevention_switched_off():
    _, off = run({"switches.prevention": False}, years=3)
    _, zero = run({"levers.prevention.per_household": 0.0}, years=3)
    pd.testing.assert_frame_equal(off, zero)


# ------------------------------------------------------------------ each mechanism moves the outputs its way

def mean_late(df, column, months=24):
    return df[column].iloc[-months:].mean()


def test_cascades_make_more_multiproblem_households():
    _, on = run(households=6000, years=6, burn_in_years=2)
    _, off = run({"switches.cascades": False}, households=6000, years=6, burn_in_years=2)
    assert mean_late(on, "multiproblem") > 1.2 * mean_late(off, "multiproblem")


def test_less_gate_capacity_means_longer_waits_and_queues():
    _, roomy = run({"gate.fte_per_1000_households": 1.5}, households=4000, years=3)
    _, tight = run({"gate.fte_per_1000_households": 0.2}, households=4000, years=3)
    assert mean_late(tight, "gate__queue") > 5 * max(mean_late(roomy, "gate__queue"), 1)
    assert tight["gate__served_over_8w"].sum() > roomy["gate__served_over_8w"].sum()
    _, unlimited = run({"switches.capacity": False}, households=4000, years=3)
    assert unlimited["gate__queue"].max() == 0


def test_prevention_contacts_households_and_lowers_maatwerk_inflow():
    base = {"switches.latent_demand": False}
    _, none = run(base, households=8000, years=8, burn_in_years=1)
    _, spend = run({**base, "levers.prevention.per_household": 200.0}, households=8000, years=8, burn_in_years=1)
    assert none["prevention__contacted"].max() == 0
    assert spend["prevention__contacted"].iloc[-1] > 0.2 * 8000
    inflow = [c for c in none.columns if c.startswith("flow__to_maatwerk__")]
    assert spend[inflow].iloc[-48:].sum().sum() < 0.95 * none[inflow].iloc[-48:].sum().sum()


def test_domain_weights_confine_the_effect():
    """Support aimed at debts only changes the hazards of the finance domain: with a uniform
    draw between the contacted and the plain escalation hazard, contacted households do not
    escalate in finance and do in every other domain."""
    from sim.model.rules import hazards, prevention
    params = Parameters.build({"levers.prevention.domain_weights": [1.0, 0.0, 0.0, 0.0]})
    n = 1000
    level = np.full((n, N_DOMAINS), Level.LIGHT, np.int8, order="F")
    table = params.hazard_table.reshape(N_DOMAINS, N_LEVELS, 3)
    cut = 1.0 - params["prevention.escalation_reduction"]
    u = np.asfortranarray(np.tile(table[:, Level.LIGHT, 0] * (1.0 + cut) / 2.0, (n, 1)).astype(np.float32))
    effect = prevention.contact_effect(1.0, params)
    assert np.allclose(effect[:, 1:], 1.0)
    assert effect[0, 0, Level.LIGHT] == pytest.approx(cut)
    contact = np.arange(n) < n // 2
    rows = np.where(contact, 0, -1).astype(np.int32)  # row 0 of the effect table: the contact's
    new, go_up = hazards.transition(level, table, u, hazards.Modifiers(contact=rows, contact_effect=effect[None]))
    assert not go_up[contact, 0].any() and (new[contact, 0] < Level.MAATWERK).all()
    assert go_up[~contact, 0].all() and (new[~contact, 0] == Level.MAATWERK).all()
    assert (new[:, 1:] == Level.MAATWERK).all() and go_up[:, 1:].all()


def test_diminishing_returns_of_reach():
    from sim.model.rules.prevention import households_to_reach
    p = Parameters.build()
    reach = [households_to_reach(b * 10000, 10000, p) for b in (100, 200, 300, 400)]
    gains = np.diff([0] + reach)  # contacts bought by each extra 100 euros per household
    assert (np.diff(gains) < 0).all()
    assert reach[0] == pytest.approx(10000 * (1 - np.exp(-100 / 400)), abs=1)


def test_latent_demand_gives_a_bow_wave_of_requests():
    """Outreach reveals hidden need: with latent demand on, requests rise in the first year."""
    invest = {"levers.prevention.per_household": 150.0, "switches.capacity": False}
    _, quiet = run({**invest, "switches.latent_demand": False}, households=8000, years=2, burn_in_years=3)
    _, latent = run(invest, households=8000, years=2, burn_in_years=3)
    first = slice(0, 12)
    assert latent["gate__requests"].iloc[first].sum() > 0
    inflow = [c for c in quiet.columns if c.startswith("flow__to_maatwerk__")]
    _, latent_none = run({"switches.capacity": False}, households=8000, years=2, burn_in_years=3)
    assert latent[inflow].iloc[first].sum().sum() > latent_none[inflow].iloc[first].sum().sum()


def test_transmission_raises_second_generation_problems():
    _, none = run({"generations.transmission": [0.0, 0.0, 0.0, 0.0]}, households=6000, years=12, seed=5)
    _, strong = run({"generations.transmission": [1.5, 1.5, 1.5, 1.5]}, households=6000, years=12, seed=5)
    def share(df):
        return df["gen1__multiproblem"].iloc[-24:].sum() / max(df["gen1__households"].iloc[-24:].sum(), 1)
    assert share(strong) > share(none)


def test_demography_off_keeps_the_population_fixed():
    _, df = run({"switches.demography": False}, years=2)
    assert df["households"].nunique() == 1 and df["persons"].nunique() == 1 and (df["children"] == 0).all()


# ------------------------------------------------------------------ the agent view and bad parameters

def test_household_view_matches_the_arrays():
    model, _ = run(years=1)
    hid = int(model.hh.id[10])
    view = model.household(hid)
    row = int(np.flatnonzero(model.hh.id == hid)[0])
    assert [int(v) for v in view.levels.values()] == model.hh.level[row].tolist()
    assert view.adults == 1 + int(model.hh.partner[row])
    assert len(view.children_ages) == int((model.children.hh == row).sum())
    with pytest.raises(KeyError):
        model.household(-5)


def test_unknown_parameter_and_bad_probability_are_clear_errors():
    with pytest.raises(ConfigError, match="did you mean 'hazards.finance.onset'"):
        Parameters.build({"hazards.finance.onsett": 0.1})
    with pytest.raises(ConfigError, match=r"probability in \[0, 1\]"):
        Parameters.build({"hazards.finance.onset": 1.4})
    with pytest.raises(ConfigError, match="total probability above 1"):
        Parameters.build({"hazards.work.onset": 0.99, "hazards.work.escalate": [0.9, 0.9, 0.9]})


def test_babies_follow_a_parent_who_moves_in_with_a_partner():
    """Regression: a baby born in a household that merges the same month must not be lost."""
    overrides = {"demography.partnering": 0.25, "demography.single_fertility_factor": 0.5,
                 "demography.out_migration": 0.0, "demography.growth": 0.0}
    _, df = run(overrides, households=4000, years=4)
    quiet = df[df["demo__out_households"] == 0]
    assert len(quiet) > 0 and (quiet["demo__out_persons"] == 0).all()


@pytest.mark.parametrize("bare,years", [(True, 0.5), (False, 0.25), (True, 1 / 12)])
def test_bench_prints_its_figures_and_last_line(bare, years):
    """`sim bench` (not timed here): the speed-up line with --bare, and the last line's format."""
    import io
    import re

    from sim import bench
    out = io.StringIO()
    rate = bench.run(400, years, bare=bare, out=out)
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"household-months/s: \d+", lines[-1]) and int(lines[-1].split()[-1]) == round(rate)
    assert any("peak memory" in line for line in lines)
    assert any(re.search(r"is [\d.,]+x faster", line) for line in lines) == bare


def test_bijstand_benefits_split_between_municipality_and_rijk_by_the_buig_share():
    """Known answer: with payers.buig_municipal_share = s the municipality books s of every
    bijstand benefit and the Rijk the rest; the Participatiewet total does not change, nor does
    anything else (the share moves euros between payers, not households). Wsnp administrators
    are the Rijk's, never the municipality's."""
    runs = {}
    for share in (1.0, 0.25):
        model, df = run({"payers.buig_municipal_share": share}, households=2000, years=2)
        runs[share] = (model.params, df)
    (p_all, full), (_, part) = runs[1.0], runs[0.25]
    local, rijk = "cost__participatiewet__municipality", "cost__participatiewet__central_government"
    assert (full[rijk] == 0).all() and (part[rijk] > 0).all()
    assert np.allclose(full[local] + full[rijk], part[local] + part[rijk])
    benefit = p_all.unit_cost[1, 3, p_all.accounts.index(("participatiewet", "municipality"))]
    expected_rijk = 0.75 * benefit * (part["hh__work__maatwerk"] + part["hh__work__specialist"]) / 12
    assert np.allclose(part[rijk], expected_rijk)
    same = [c for c in full.columns if not c.startswith("cost__participatiewet")]
    pd.testing.assert_frame_equal(full[same], part[same])
    wsnp = [a for a in p_all.accounts if a[0] == "wsnp"]
    assert wsnp == [("wsnp", "central_government")]


def test_mesa_batch_run_works_on_the_model():
    """Mesa users feel at home: batch_run passes dotted parameters as keywords and its rng,
    and reads the recorder like a DataCollector."""
    import mesa
    import pandas as pd

    rows = mesa.batch_run(PreventionModel, parameters={"households": 400, "levers.prevention.per_household": [0.0, 60.0]},
                          rng=[7, 7], max_steps=14, number_processes=1, data_collection_period=-1,
                          display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 4 and (df["Step"] == 14).all()
    spend = df.groupby("levers.prevention.per_household")["cost__voorliggend_veld_investment__municipality"]
    assert spend.max()[0.0] == 0.0 and spend.min()[60.0] == pytest.approx(60.0 * 400 / 12)
    # the same rng gives the same run, as with seed=
    same = df[df["levers.prevention.per_household"] == 0.0].drop(columns=["RunId", "iteration"])
    assert same.iloc[0].equals(same.iloc[1])
    direct = PreventionModel({"levers.prevention.per_household": 60.0}, households=400, seed=7)
    direct.run_years(14 / 12)
    last = df[df["levers.prevention.per_household"] == 60.0].iloc[0]
    assert last["cost__jeugdwet__municipality"] == direct.dataframe()["cost__jeugdwet__municipality"].iloc[-1]


def test_household_agents_are_mesa_agents_that_match_the_report_and_leave_the_run_unchanged():
    """Teaching face: a snapshot of Mesa agents whose counts equal the month's report; taking
    snapshots mid-run changes no number, and a second snapshot replaces the first."""
    from mesa.agentset import AgentSet

    from sim.model.agents import HouseholdAgent

    plain = PreventionModel({"levers.prevention.per_household": 60.0}, households=500, seed=5)
    plain.run_years(2)
    watched = PreventionModel({"levers.prevention.per_household": 60.0}, households=500, seed=5)
    watched.run_years(1)
    first = watched.household_agents()
    watched.run_years(1)
    agents = watched.household_agents()
    pd.testing.assert_frame_equal(plain.dataframe(), watched.dataframe())

    last = watched.dataframe().iloc[-1]
    assert isinstance(agents, AgentSet) and all(isinstance(a, HouseholdAgent) for a in agents)
    assert len(agents) == last["households"] == len(watched.agents)  # the first snapshot is gone
    assert not any(a in watched.agents for a in list(first)[:10])
    assert sum(a.multiproblem for a in agents) == last["multiproblem"]
    for level in ("self_reliant", "maatwerk"):
        assert sum(a.levels[Domain.FINANCE].key == level for a in agents) == last[f"hh__finance__{level}"]
    assert sum(a.children for a in agents) == last["children"]
    assert agents.select(lambda a: a.partner).agg("head_age", min) >= 15
    one = agents.to_list()[0]
    assert watched.household(one.household_id).head_age == one.head_age


def test_the_monthly_table_is_what_pandas_makes_of_the_rows():
    from sim.params.catalogue import catalogue

    model = PreventionModel({f"interventions.{e.id}.budget": 200000.0 for e in catalogue()}, households=800,
                            seed=4, burn_in_years=1)
    model.run_years(2)
    recorder = model.datacollector
    table = recorder.get_model_vars_dataframe()
    assert len(table.columns) > 250 and (table.dtypes == np.int64).any() and (table.dtypes == np.float64).any()
    assert table.equals(pd.DataFrame.from_records(recorder.rows))
    recorder.rows[3] = {**recorder.rows[3], "only_once": 1.5}  # rows that differ: pandas' own union
    assert recorder.get_model_vars_dataframe().equals(pd.DataFrame.from_records(recorder.rows))
    recorder.rows[:] = [{**row, "maybe": None if i % 2 else 2.0} for i, row in enumerate(recorder.rows)]
    assert recorder.get_model_vars_dataframe().equals(pd.DataFrame.from_records(recorder.rows))
