"""Demography: ageing, births, deaths, leaving home, partnering, separation, migration.

Each household has its demographic events once a year, in its own month (id mod 12): a
twelfth of the population is drawn each month with the yearly probabilities, which gives the
same yearly rates as monthly draws at a twelfth of the cost. Ageing, retirement and
in-migration happen every month. Households leave the table once at the end of the month;
children follow their household's row. Every person who enters or leaves is counted in
`Flows`, so a test can balance the books: persons and households are conserved.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numba
import numpy as np

from ..kernels import per_household
from ..levels import N_DOMAINS, WORK, YOUTH, Domain
from . import life_events as events
from .life_events import ADULT_AGE, MAX_AGE
from .. import population
from ..population import ORIGIN_LEFT_HOME, ORIGIN_MIGRATION, ORIGIN_SEPARATION, fresh_risk_types

LEAVE_AGE = 25.0  # everyone has left home by this age


@dataclass
class Flows:
    births: int = 0
    deaths: int = 0
    left_home: int = 0  # households formed by children leaving home
    separations: int = 0  # households formed by a partner leaving
    partnerships: int = 0  # households merged into another (one household fewer each)
    dissolved: int = 0  # households whose last adult died and no adult child took over
    children_rehomed: int = 0
    out_households: int = 0
    out_persons: int = 0
    in_households: int = 0
    in_persons: int = 0

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Rates:
    """Yearly probabilities by whole year of age, computed once per parameter set so an event
    costs one gather instead of an exp per person."""

    death: np.ndarray
    birth_couple: np.ndarray
    birth_single: np.ndarray
    leave_home: np.ndarray
    health_age: np.ndarray  # hazard factors by head age
    finance_age: np.ndarray

    @classmethod
    def from_params(cls, params) -> "Rates":
        age = np.arange(MAX_AGE + 1, dtype=float) + 0.5
        a, b = params["demography.mortality_gompertz"]
        fert = np.asarray(params["demography.fertility"], float)
        band = ((age - 15.0) // 5).astype(int)
        p_birth = np.where((band >= 0) & (band < len(fert)), fert[np.clip(band, 0, len(fert) - 1)], 0.0)
        young, older = params["demography.leave_home"]
        whole = np.arange(MAX_AGE + 1)
        leave = np.where(whole >= LEAVE_AGE, 1.0, np.where(whole >= 22, older, np.where(whole >= ADULT_AGE, young, 0.0)))
        return cls(death=np.minimum(np.exp(a + b * age), 1.0), birth_couple=np.minimum(p_birth, 1.0),
                   birth_single=np.minimum(p_birth * params["demography.single_fertility_factor"], 1.0),
                   leave_home=leave,
                   health_age=np.exp(params["demography.age_effect_health"] * (age - 50.0)).astype(np.float32),
                   finance_age=np.exp(params["demography.age_effect_finance"] * (age - 50.0)).astype(np.float32))


def whole_years(age: np.ndarray) -> np.ndarray:
    return np.minimum(age.astype(np.intp), MAX_AGE)


def persons(households, children) -> int:
    return int(len(households) + households.partner.sum() + len(children))


def up_by_age(rates: Rates, age_norm: np.ndarray, params) -> np.ndarray:
    """[whole year of head age, domain] multipliers of the up-hazards: Wmo need rises with age,
    debt falls with it, and bijstand-level work problems do not start after the AOW age.
    (Youth problems need children at home: `hazards.Modifiers.n_children`.)"""
    table = np.ones((MAX_AGE + 1, N_DOMAINS), np.float32)
    table[:, Domain.HEALTH] = rates.health_age / age_norm[0]
    table[:, Domain.FINANCE] = rates.finance_age / age_norm[1]
    table[np.arange(MAX_AGE + 1) >= params["demography.retirement_age"], Domain.WORK] = 0.0
    return table


def children_at_home(households, children) -> np.ndarray:
    """Children living in each household. Youth care ends when no child lives at home: such a
    household's youth level is set to self-reliant."""
    counts = np.zeros(len(households), np.int32)
    _children_at_home(children.hh, counts, households.buffer("level"))
    return counts


@numba.njit(cache=True, nogil=True)
def _children_at_home(home, counts, level):
    for c in range(len(home)):
        counts[home[c]] += 1
    for h in range(len(counts)):
        if counts[h] == 0:
            level[h, YOUTH] = 0


def age_normalisers(households, rates: Rates) -> np.ndarray:
    """Mean age factors of the starting population, so age shapes risk without shifting its level."""
    years = whole_years(households.head_age)
    return np.array([rates.health_age[years].mean(), rates.finance_age[years].mean()])


def _grow(mask: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, bool)
    out[: len(mask)] = mask
    return out


def in_turn(households, month: int) -> np.ndarray:
    """Rows whose yearly demographic events fall in this month (id mod 12)."""
    return _in_turn(households.id, month % 12)


@numba.njit(cache=True, nogil=True)
def _in_turn(ids, month_of_year):
    turn = ids % 12 == month_of_year
    return np.flatnonzero(turn)


def age_one_month(households, children, retirement_age: float) -> None:
    """Everyone ages a month; heads reaching the pension age leave bijstand-level work problems."""
    _age_heads.rows(len(households))(households.head_age, households.buffer("level"), np.float32(retirement_age),
                                     np.float32(1.0 / 12.0))
    children.age[:] += 1.0 / 12.0


@per_household
def _age_heads(head_age, level, retirement_age, month):
    for h in numba.prange(len(head_age)):
        age = head_age[h] + month
        head_age[h] = age
        if age >= retirement_age and age - month < retirement_age:
            level[h, WORK] = 0


# (long: the month's events in the ODD's order, 7.3 -- each event's draws depend on the rows the
# previous ones left, so the order is the function; the passes between draws are compiled in
# life_events.py, the draws stay here so their order and sizes can be read top to bottom)
def step(households, children, params, rates: Rates, rng, month: int, target_households: int, inherit) -> Flows:
    """One month of demography. `inherit(rows)` gives (multipliers, childhood_mp, exposed) for leavers."""
    flows = Flows()
    n = len(households)
    if month % 12 == 0 and n >= population.ORDER_CHILDREN_FROM:
        children.order_by("hh")
    age_one_month(households, children, params["demography.retirement_age"])
    turn = in_turn(households, month)

    # Deaths of heads and partners (Gompertz), then out-migration of whole households (decided
    # first, so nobody is born into or moves into them).
    u_death = rng.random((len(turn), 2))
    u_out = rng.random(len(turn))
    remove = np.zeros(n, bool)
    orphaned = np.zeros(n, bool)
    turn_years = np.empty(len(turn), np.intp)
    flows.deaths, gone_rows, orphaned_rows = events.deaths_and_departures(
        turn, households.head_age, households.partner, rates.death, u_death, u_out, params["demography.out_migration"],
        remove, orphaned, turn_years)
    child_keep = np.ones(len(children), bool)

    if len(orphaned_rows):
        # The oldest adult child takes over as head; otherwise minors go to kin elsewhere in town.
        flows.dissolved, minors = events.settle_orphans(orphaned_rows, orphaned, children.hh, children.age,
                                                        households.head_age, child_keep, remove)
        if len(minors):
            candidates = np.flatnonzero(~remove)
            children.hh[minors] = candidates[rng.integers(0, len(candidates), len(minors))]
            flows.children_rehomed = len(minors)

    born = events.births(turn, turn_years, households.partner, remove, rates.birth_couple, rates.birth_single,
                         rng.random(len(turn)))
    flows.births = len(born)

    # Leaving home: new single-adult households that carry their childhood with them.
    candidates, p_leave = events.leave_home_candidates(turn, remove, n, children.hh, children.age, child_keep,
                                                       rates.leave_home)
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

    # Partnering: single heads of working age pair up; the second household moves in, children
    # and this month's babies with it.
    single = events.singles(turn, remove, households.partner, households.head_age)
    pairing = rng.permutation(single[rng.random(len(single)) < params["demography.partnering"]])
    pairing = pairing[: len(pairing) // 2 * 2]
    if len(pairing):
        stay, move = pairing[0::2].copy(), pairing[1::2].copy()
        events.merge_couples(stay, move, households.partner, *(households.buffer(name) for name in (
            "level", "detected_early", "high_risk", "episode_start", "episode_end", "inherited", "latent")),
            households.contact_until, households.programme, households.programme_start, remove)
        events.follow_movers(stay, move, n, children.hh, born)
        flows.partnerships = len(move)

    # Separation: the partner leaves with a copy of the household's problems but no children.
    couples = events.couples(turn, remove, households.partner)
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
    child_keep = np.concatenate([child_keep, np.ones(len(born), bool)])
    remove = _grow(remove, len(households))
    flows.out_households = len(gone_rows)
    flows.out_persons = int(len(gone_rows) + np.count_nonzero(households.partner[gone_rows])
                            + events.children_leaving(child_keep, children.hh, remove))
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


def risk_type_of_leavers(parent_high_risk: np.ndarray, params, rng) -> np.ndarray:
    """A child leaving home keeps its parents' risk types with probability
    `heterogeneity.type_inheritance`, else draws afresh at the population shares. (The parents'
    type is the selection part of the parent-child correlation; the causal part is
    generations.py's transmission.) No draws with heterogeneity off."""
    if not params.switches.heterogeneity:
        return np.zeros(parent_high_risk.shape, bool)
    keeps = rng.random(len(parent_high_risk)) < params["heterogeneity.type_inheritance"]
    fresh = fresh_risk_types(len(parent_high_risk), params, rng)
    return np.where(keeps[:, None], parent_high_risk, fresh)


def _migrate_in(households, children, count: int, month: int, rng, flows: Flows) -> None:
    """Newcomers look like a random resident household, children included, but start as
    generation 0 with no inherited risk. Each resident is copied at most once a month."""
    n = len(households)
    count = min(count, n)
    src = np.unique(rng.integers(0, n, count))
    while len(src) < count:
        src = np.unique(np.r_[src, rng.integers(0, n, count - len(src))])
    rows = households.append(count, level=households.level[src], head_age=households.head_age[src],
                             partner=households.partner[src], origin=ORIGIN_MIGRATION, spell_start=month + 1,
                             high_risk=households.high_risk[src], episode_start=households.episode_start[src],
                             episode_end=households.episode_end[src], detected_early=households.detected_early[src])
    copied = np.zeros(n, bool)
    copied[src] = True
    kid = np.flatnonzero(copied[children.hh])  # a bool gather: cache-friendly at millions of households
    if len(kid):
        new_home = rows.start + np.searchsorted(src, children.hh[kid])  # src is sorted and unique
        children.append(len(kid), hh=new_home, age=children.age[kid],
                        exposure=children.exposure[kid], months_home=children.months_home[kid],
                        mp_months=children.mp_months[kid])
    flows.in_households = count
    flows.in_persons = count + int(np.count_nonzero(households.partner[rows])) + len(kid)
