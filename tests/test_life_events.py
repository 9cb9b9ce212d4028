"""The compiled passes of demography's month (rules/life_events.py) against the numpy code they
replaced: from the same state and the same stream, every column of both tables, the flows and the
stream's state after the month must be identical. Mortality, partnering and separation are raised
so that every pass (heirs, dissolved households with minors, merges with children and babies)
runs many times. Known answer by construction: the oracle below is the step as it was, in numpy.
"""
import copy

import numpy as np
import pytest

from sim.model import PreventionModel
from sim.model.levels import EMERGING, LIGHT, Domain
from sim.model.population import ORIGIN_LEFT_HOME, ORIGIN_SEPARATION
from sim.model.rules import demography, generations
from sim.model.rules.demography import (ADULT_AGE, Flows, Rates, _grow, _migrate_in, age_one_month, in_turn,
                                        risk_type_of_leavers, whole_years)

BUSY = {"demography.mortality_gompertz": [-7.5, 0.08], "demography.partnering": 0.6,
        "demography.separation": 0.2, "demography.out_migration": 0.1}


# The oracle: demography.step before its passes were compiled (git f8fe1d8), unchanged.
def numpy_step(households, children, params, rates: Rates, rng, month: int, target_households: int, inherit) -> Flows:
    flows = Flows()
    n = len(households)
    age_one_month(households, children, params["demography.retirement_age"])
    turn = in_turn(households, month)
    turn_years = whole_years(households.head_age[turn])

    # Deaths of heads and partners (Gompertz); a surviving partner takes over as head.
    q = rates.death[turn_years]
    u = rng.random((len(turn), 2))
    partnered = households.partner[turn]
    head_dies = u[:, 0] < q
    partner_dies = partnered & (u[:, 1] < q)
    takes_over = head_dies & partnered & ~partner_dies
    flows.deaths = int(np.count_nonzero(head_dies) + np.count_nonzero(partner_dies))
    households.partner[turn[partner_dies | takes_over]] = False
    orphaned_rows = turn[head_dies & ~takes_over]
    remove = np.zeros(n, bool)
    child_keep = np.ones(len(children), bool)

    # Out-migration of whole households (decided first, so nobody is born into or moves into them).
    gone_rows = turn[(rng.random(len(turn)) < params["demography.out_migration"]) & ~(head_dies & ~takes_over)]
    remove[gone_rows] = True

    if len(orphaned_rows):
        orphaned = np.zeros(n, bool)
        orphaned[orphaned_rows] = True
        # The oldest adult child takes over as head; otherwise minors go to kin elsewhere in town.
        kids = np.flatnonzero(orphaned[children.hh])
        adult = kids[children.age[kids] >= ADULT_AGE]
        adult = adult[np.argsort(-children.age[adult], kind="stable")]
        first = np.unique(children.hh[adult], return_index=True)[1]
        heirs = adult[first]
        households.head_age[children.hh[heirs]] = children.age[heirs]
        child_keep[heirs] = False
        orphaned[children.hh[heirs]] = False
        remove |= orphaned
        flows.dissolved = int(np.count_nonzero(orphaned))
        minors = kids[orphaned[children.hh[kids]]]
        if len(minors):
            candidates = np.flatnonzero(~remove)
            children.hh[minors] = candidates[rng.integers(0, len(candidates), len(minors))]
            flows.children_rehomed = len(minors)

    # Births.
    alive = ~remove[turn]
    p_birth = np.where(households.partner[turn], rates.birth_couple[turn_years], rates.birth_single[turn_years])
    born = turn[alive & (rng.random(len(turn)) < p_birth)]
    flows.births = len(born)

    # Leaving home: new single-adult households that carry their childhood with them.
    household_turn = np.zeros(n, bool)
    household_turn[turn] = True
    household_turn &= ~remove
    candidates = np.flatnonzero(child_keep & household_turn[children.hh])
    p_leave = rates.leave_home[whole_years(children.age[candidates])]
    leavers = candidates[rng.random(len(candidates)) < p_leave]
    if len(leavers):
        multiplier, childhood_mp, exposed = inherit(leavers)
        parent = children.hh[leavers]
        households.append(len(leavers), head_age=children.age[leavers],
                          generation=np.minimum(households.generation[parent] + 1, 100),
                          origin=ORIGIN_LEFT_HOME, inherited=multiplier, childhood_mp=childhood_mp,
                          childhood_exposed=exposed, spell_start=month + 1,
                          high_risk=risk_type_of_leavers(households.high_risk[parent], params, rng))
        child_keep[leavers] = False
        flows.left_home = len(leavers)

    # Partnering: single heads of working age pair up; the second household moves in.
    ages = households.head_age[turn]
    single = turn[alive & ~households.partner[turn] & (ages >= 20) & (ages < 60)]
    pairing = rng.permutation(single[rng.random(len(single)) < params["demography.partnering"]])
    pairing = pairing[: len(pairing) // 2 * 2]
    if len(pairing):
        stay, move = pairing[0::2], pairing[1::2]
        households.partner[stay] = True
        # Per domain the higher level survives; it is 'detected early' when it is light support
        # and the worse of the two problems is still only emerging.
        severity = [households.level[r] - (households.detected_early[r] & (households.level[r] == LIGHT))
                    for r in (stay, move)]
        households.level[stay] = np.maximum(households.level[stay], households.level[move])
        households.detected_early[stay] = (households.level[stay] == LIGHT) & (np.maximum(*severity) == EMERGING)
        households.high_risk[stay] |= households.high_risk[move]
        # A care episode goes on in the merged household: it began when the earlier one did.
        a, b = households.episode_start[stay], households.episode_start[move]  # -1: none
        households.episode_start[stay] = np.where((a >= 0) & (b >= 0), np.minimum(a, b), np.maximum(a, b))
        households.episode_end[stay] = np.maximum(households.episode_end[stay], households.episode_end[move])
        households.inherited[stay] = np.maximum(households.inherited[stay], households.inherited[move])
        households.latent[stay] |= households.latent[move]
        households.contact_until[stay] = np.maximum(households.contact_until[stay], households.contact_until[move])
        # One programme at a time: the household that stays keeps its own, or takes the mover's.
        takes = (households.programme[stay] < 0) & (households.programme[move] >= 0)
        households.programme[stay[takes]] = households.programme[move[takes]]
        households.programme_start[stay[takes]] = households.programme_start[move[takes]]
        new_home = np.arange(n)
        new_home[move] = stay
        moving = np.zeros(n, bool)
        moving[move] = True
        moving_kids = np.flatnonzero(moving[children.hh])
        children.hh[moving_kids] = new_home[children.hh[moving_kids]]
        born = new_home[born]  # a baby born this month moves in with its parent
        remove[move] = True
        flows.partnerships = len(move)

    # Separation: the partner leaves with a copy of the household's problems but no children.
    couples = turn[~remove[turn] & households.partner[turn]]
    split = couples[rng.random(len(couples)) < params["demography.separation"]]
    if len(split):
        households.partner[split] = False
        level = households.level[split].copy()
        level[:, Domain.YOUTH] = 0
        episode_start = households.episode_start[split].copy()  # the same episodes go on, youth care stays
        episode_start[:, Domain.YOUTH] = -1
        households.append(len(split), level=level, head_age=households.head_age[split],
                          generation=households.generation[split], origin=ORIGIN_SEPARATION,
                          inherited=households.inherited[split], childhood_mp=households.childhood_mp[split],
                          childhood_exposed=households.childhood_exposed[split], spell_start=month + 1,
                          high_risk=households.high_risk[split], episode_start=episode_start,
                          episode_end=households.episode_end[split], detected_early=households.detected_early[split])
        flows.separations = len(split)

    # Births join their household, then one compaction for the month.
    children.append(len(born), hh=born, age=0.0)
    child_keep = np.r_[child_keep, np.ones(len(born), bool)]
    remove = _grow(remove, len(households))
    leaving_kids = child_keep & remove[children.hh]
    flows.out_households = len(gone_rows)
    flows.out_persons = int(len(gone_rows) + np.count_nonzero(households.partner[gone_rows])
                            + np.count_nonzero(leaving_kids))
    child_keep &= ~remove[children.hh]
    moved = households.keep(~remove)
    children.keep(child_keep)
    moved.follow(children.hh)

    # In-migration (or extra out-migration) keeps the household count on its path.
    gap = target_households - len(households)
    if gap > 0:
        _migrate_in(households, children, gap, month, rng, flows)
    elif gap < 0:
        drop = np.zeros(len(households), bool)
        drop[rng.choice(len(households), -gap, replace=False)] = True
        kid_drop = drop[children.hh]
        flows.out_households += -gap
        flows.out_persons += int(-gap + households.partner[drop].sum() + kid_drop.sum())
        moved = households.keep(~drop)
        children.keep(~kid_drop)
        moved.follow(children.hh)
    return flows



def _tables_equal(a, b):
    assert a.n == b.n
    for name in a.schema:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@pytest.mark.parametrize("seed", [1, 2])
def test_compiled_month_equals_the_numpy_month(seed):
    model = PreventionModel(BUSY, households=4000, seed=seed, burn_in_years=0)
    model.run_years(1)
    p, rates = model.params, model.rates
    seen = Flows()
    compiled = (copy.deepcopy(model.hh), copy.deepcopy(model.children), copy.deepcopy(model.streams["demography"]))
    oracle = (copy.deepcopy(model.hh), copy.deepcopy(model.children), copy.deepcopy(model.streams["demography"]))
    for month in range(12, 48):
        flows = []
        for step, (hh, children, rng) in ((demography.step, compiled), (numpy_step, oracle)):
            def inherit(rows, children=children):
                return generations.inheritance(children, rows, p, enabled=True)
            target = 4000 + (month % 5) * 40 - 80  # in- and extra out-migration both happen
            flows.append(step(hh, children, p, rates, rng, month, target, inherit))
            new_rows = np.flatnonzero(hh.id < 0)
            hh.id[new_rows] = 10**6 + month * 10**4 + np.arange(len(new_rows))
        assert flows[0] == flows[1], month
        _tables_equal(compiled[0], oracle[0])
        _tables_equal(compiled[1], oracle[1])
        assert compiled[2].bit_generator.state == oracle[2].bit_generator.state
        for name, value in flows[0].as_dict().items():
            setattr(seen, name, getattr(seen, name) + value)
    # Every pass ran, often: the comparison is not vacuous.
    assert min(seen.deaths, seen.dissolved, seen.children_rehomed, seen.partnerships, seen.separations,
               seen.left_home, seen.births, seen.in_households, seen.out_households) > 20, seen


# ------------------------------------------------------------ children in their households' order

def test_ordering_children_keeps_every_child_in_its_household():
    model = PreventionModel({}, households=3000, seed=5, burn_in_years=0)
    model.run_years(6)
    children = model.children
    before = sorted(zip(children.hh.tolist(), children.age.tolist(), children.months_home.tolist()))
    assert (np.diff(children.hh) < 0).any()  # years of appends and compactions scattered them
    children.order_by("hh")
    assert (np.diff(children.hh) >= 0).all()
    assert sorted(zip(children.hh.tolist(), children.age.tolist(), children.months_home.tolist())) == before


def test_ordering_children_yearly_changes_draws_but_not_the_statistics(monkeypatch):
    """Which child draws which uniform changes, so single runs differ; over seeds the outcomes
    agree within sampling error (paired by seed: both runs start from the same population)."""
    from sim.model import population

    names = ["children", "persons", "multiproblem", "hh__youth__maatwerk", "demo__left_home", "demo__births"]

    def outcomes(order_from, seed):
        monkeypatch.setattr(population, "ORDER_CHILDREN_FROM", order_from)
        model = PreventionModel({}, households=2000, seed=seed, burn_in_years=0)
        model.run_years(12)
        df = model.dataframe()
        last = df[df["month"] >= len(df) - 36]  # the last three years
        return np.array([last[n].sum() if n.startswith("demo__") else last[n].mean() for n in names])

    seeds = range(10)
    plain = np.array([outcomes(10**12, s) for s in seeds])
    ordered = np.array([outcomes(0, s) for s in seeds])
    diff = ordered - plain
    assert (diff != 0).any(axis=0).all()  # every outcome moved: the comparison is not vacuous
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(seeds))
    spread = plain.std(axis=0, ddof=1)  # seed-to-seed spread of one run
    assert (np.abs(diff.mean(axis=0)) <= 4 * se).all(), dict(zip(names, diff.mean(axis=0) / se))
    assert (np.abs(diff.mean(axis=0)) <= spread).all()
