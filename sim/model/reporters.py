"""What the model reports each month: one flat dict of numbers, the DataCollector's row.

Names, units and kinds come from the outcome registry (sim/outcomes.py): hh__finance__maatwerk,
flow__to_maatwerk__youth, cost__wmo__municipality, gen1__cost, ... Stocks are measured at the end
of the month, flows summed over it.
"""
from __future__ import annotations

import numba
import numpy as np

from .costs import generation_costs
from .kernels import per_household
from .levels import FINANCE, LIGHT, MAATWERK, MULTIPROBLEM_DOMAINS, N_LEVELS, SPECIALIST, Domain
from .population import ORIGIN_LEFT_HOME
from .rules.demography import MAX_AGE
from ..outcomes import CHILD_AGE_BANDS, FLOW_KINDS, GENERATIONS, PERSON_AGE_BANDS, WAIT_BINS_MONTHS, cost_column, names

YOUTH_CARE_AGE = 23  # the Jeugdwet's upper age (care can run on to 23), and CBS's youth under 23


def _band_of_age(bands) -> np.ndarray:
    """Band index for every whole year of age, so banding is one gather."""
    return np.digitize(np.arange(MAX_AGE + 1), [lo for lo, _ in bands[1:]]).astype(np.intp)


PERSON_BAND = _band_of_age(PERSON_AGE_BANDS)
# Lower ages of the person bands after the first, as a constant tuple the census kernel unpacks.
PERSON_BAND_LOWS = tuple(float(lo) for lo, _ in PERSON_AGE_BANDS[1:])
CHILD_BAND = _band_of_age(CHILD_AGE_BANDS)


# The report's keys, from the outcome registry: a month's report is then a zip of keys and counts.
FLOW_KEYS = names("flow__{flow}__{domain}")
SPELL_KEYS = names("spell__{domain}__{spell_level}__{spell_what}")
OCCUPANCY_KEYS = names("hh__{domain}__{level}")
HIGHEST_KEYS = names("hh__any__{level}")
PERSON_AGE_KEYS = names("pop__age__{band}")
CHILD_LEVEL_KEYS = names("children__{child_band}__{level}")
YOUTH_KEYS = names("children__youth__{level}")
# Adults heading households formed in the run, by their childhood: the transmission patterns.
PATTERN_KEYS = names("gen__{pattern}")
WAIT_HIST_KEYS = names("gate__wait_hist__{wait_bin}")


def transitions(old: np.ndarray, new: np.ndarray, spell_start: np.ndarray, month: int,
                referred: np.ndarray | None) -> dict:
    """This month's level changes: flows per kind x domain, and completed spells per domain x
    level (count and summed months); the spells of households that moved restart.
    `new` and `spell_start` may have spare rows beyond those of `old` (Table.buffer)."""
    flows = np.zeros((len(FLOW_KINDS), old.shape[1]), np.int64)
    ended = np.zeros((old.shape[1], N_LEVELS), np.int64)
    months = np.zeros((old.shape[1], N_LEVELS), np.float64)
    _transitions.rows(len(old))(old, new, spell_start, month, flows, ended, months)
    if referred is not None:  # requests the gate referred back, per domain
        flows[FLOW_KINDS.index("referral_back")] += referred
    out = dict(zip(FLOW_KEYS, flows.ravel().tolist()))
    spells = np.stack([ended[:, 1:], months[:, 1:]], axis=-1).ravel().tolist()
    out.update(zip(SPELL_KEYS, spells))
    for key in SPELL_KEYS[0::2]:
        out[key] = int(out[key])
    return out


@per_household
def _transitions(old, new, spell_start, month, flows, ended, months):
    # flows' rows follow FLOW_KINDS. Counted in local scalars, branch-free, so that the loop
    # splits over threads (integer sums: the same in any order).
    n, n_dom = old.shape
    for d in range(n_dom):
        onset = to_maatwerk = to_specialist = recovery = back = 0
        e0 = e1 = e2 = e3 = e4 = 0  # spells ended, by the level left
        m0 = m1 = m2 = m3 = m4 = 0  # and their months
        for h in numba.prange(n):
            was, now = old[h, d], new[h, d]
            moved = was != now
            onset += moved & (was == 0)
            to_maatwerk += moved & (was < MAATWERK) & (now == MAATWERK)
            to_specialist += moved & (now == SPECIALIST)
            recovery += moved & (now == 0)
            back += moved & (was >= MAATWERK) & (now == LIGHT)  # referral back to the voorliggend veld
            length = (month + 1 - spell_start[h, d]) * moved
            e0 += moved & (was == 0)
            e1 += moved & (was == 1)
            e2 += moved & (was == 2)
            e3 += moved & (was == 3)
            e4 += moved & (was == 4)
            m0 += length * (was == 0)
            m1 += length * (was == 1)
            m2 += length * (was == 2)
            m3 += length * (was == 3)
            m4 += length * (was == 4)
            if moved:
                spell_start[h, d] = month + 1
        flows[0, d] += onset
        flows[1, d] += to_maatwerk
        flows[2, d] += to_specialist
        flows[3, d] += recovery
        flows[4, d] += back
        ended[d, 0], ended[d, 1], ended[d, 2], ended[d, 3], ended[d, 4] = e0, e1, e2, e3, e4
        months[d, 0], months[d, 1], months[d, 2], months[d, 3], months[d, 4] = m0, m1, m2, m3, m4


def stocks(households, children, params, euros: np.ndarray, counts: np.ndarray, census: dict) -> dict:
    """End-of-month stocks: population, occupancy, costs, children by level, generations.
    `counts` is the month's occupancy [domain, level], `census` what `census` counted."""
    out = {"households": len(households), "persons": len(households) + census["partners"] + len(children),
           "children": len(children), "multiproblem": int(census["multiproblem"].sum())}
    out.update(zip(OCCUPANCY_KEYS, counts.ravel().tolist()))
    out.update(zip(HIGHEST_KEYS, census["highest"].tolist()))
    out.update(zip((cost_column(line, payer) for line, payer in params.accounts), euros.tolist()))
    out.update(zip(PERSON_AGE_KEYS, census["ages"].tolist()))
    out.update(zip(CHILD_LEVEL_KEYS, census["children_by_level"].ravel().tolist()))
    gen_cost = generation_costs(census["payable"], params)
    for g in GENERATIONS:
        out[f"gen{g}__households"] = int(census["households"][g])
        out[f"gen{g}__multiproblem"] = int(census["multiproblem"][g])
        out[f"gen{g}__cost"] = float(gen_cost[g])
    out.update(zip(YOUTH_KEYS, census["children_by_youth_level"].tolist()))
    clients = census["youth_clients"].sum(axis=0)
    out.update({"youth_clients__maatwerk": float(clients[0]), "youth_clients__specialist": float(clients[1]),
                "pop__under_23": int(census["under_23"]),
                "care__laws_1plus": int(census["laws_1plus"]), "care__laws_2plus": int(census["laws_2plus"])})
    out.update(zip(PATTERN_KEYS, census["patterns"].tolist()))
    return out


def census(households, children, month: int, siblings_in_care: float) -> dict:
    """Count the end-of-month stocks in one pass over households and one over children."""
    n_gen, n_dom = len(GENERATIONS), households.level.shape[1]
    c = {"occupancy": np.zeros((n_gen, n_dom, N_LEVELS), np.int64),  # [generation, domain, level]
         "highest": np.zeros(N_LEVELS, np.int64),  # households by their highest level
         "households": np.zeros(n_gen, np.int64), "multiproblem": np.zeros(n_gen, np.int64),
         "ages": np.zeros(len(PERSON_AGE_BANDS), np.int64), "patterns": np.zeros(8, np.int64),
         "children_by_level": np.zeros((len(CHILD_AGE_BANDS), N_LEVELS), np.int64),
         "children_by_youth_level": np.zeros(N_LEVELS, np.int64)}
    top = np.empty(len(households), np.int8)
    c["waiting"], c["latent"], c["contacted"], c["laws_1plus"], c["laws_2plus"] = _household_census.rows(len(households))(len(households), households.buffer("level"), households.generation, households.head_age,
                      households.partner, households.origin, households.childhood_mp,
                      households.childhood_exposed, households.buffer("waiting_since"), households.buffer("latent"),
                      households.buffer("episode_end"), households.contact_until, month, top, c["occupancy"], c["highest"],
                      c["households"], c["multiproblem"], c["ages"], c["patterns"])
    _children_census(children.hh, children.age, top, households.level[:, Domain.YOUTH], PERSON_BAND, CHILD_BAND,
                     c["ages"], c["children_by_level"], c["children_by_youth_level"])
    c["partners"] = int(c["ages"].sum()) - len(households) - len(children)
    c["youth_clients"] = np.zeros((n_gen, 2), np.float64)  # [generation, maatwerk/specialist] children in care
    c["under_23"] = _youth_clients(children.hh, children.age, households.level[:, Domain.YOUTH], households.generation,
                                   households.head_age, households.partner, np.float64(siblings_in_care),
                                   c["youth_clients"])
    # What the cost book pays for: households, but children in care for youth maatwerk and above.
    c["payable"] = c["occupancy"].astype(np.float64)
    c["payable"][:, Domain.YOUTH, MAATWERK:] = c["youth_clients"]
    return c


# (long: one compiled pass over every household for the whole census; split, it would be one pass
# per part -- the reason it is compiled at all, see the README on numba)
@per_household
def _household_census(n, level, generation, head_age, partner, origin, childhood_mp, childhood_exposed,
                      waiting_since, latent, episode_end, contact_until, month, top, occupancy, highest,
                      households, multiproblem, ages, patterns):
    """Fills the arrays; returns (requests waiting, latent needs, households in contact, households
    that used one or more and two or more of the three care laws at maatwerk level or above in
    the last 12 months)."""
    # Branch-free on purpose: counters live in local scalars and levels are counted 'at or
    # above' (then differenced), so the loops vectorise; a histogram that increments one memory
    # cell per household, or a branch on each household's generation, is several times slower.
    n_dom = level.shape[1]
    heavy = np.zeros(n, np.int8)
    laws = np.zeros(n, np.int8)  # of the three care laws (Participatiewet, Jeugdwet, Wmo) used in the year
    top[:] = 0
    n_waiting = hidden = 0
    for d in range(n_dom):
        a1 = a2 = a3 = a4 = 0  # all generations
        b1 = b2 = b3 = b4 = b0 = 0  # generation 1
        c1 = c2 = c3 = c4 = c0 = 0  # generation 2 and later
        for h in numba.prange(n):
            lv = level[h, d]
            g1 = generation[h] == 1
            g2 = generation[h] >= 2
            a1 += lv >= 1
            a2 += lv >= 2
            a3 += lv >= MAATWERK
            a4 += lv >= SPECIALIST
            b0 += g1
            b1 += g1 & (lv >= 1)
            b2 += g1 & (lv >= 2)
            b3 += g1 & (lv >= MAATWERK)
            b4 += g1 & (lv >= SPECIALIST)
            c0 += g2
            c1 += g2 & (lv >= 1)
            c2 += g2 & (lv >= 2)
            c3 += g2 & (lv >= MAATWERK)
            c4 += g2 & (lv >= SPECIALIST)
            top[h] = max(top[h], lv)
            heavy[h] += lv >= MAATWERK
            # A law counts as used in the year when its care goes on or ended in the last 12 months
            # (SCP counts use during the year, not on a day).
            ended = episode_end[h, d]
            laws[h] += ((lv >= MAATWERK) | ((ended >= 0) & (month - ended < 12))) & (d != FINANCE)
            n_waiting += waiting_since[h, d] >= 0
            hidden += latent[h, d]
        for g, (k0, k1, k2, k3, k4) in enumerate(((n - b0 - c0, a1 - b1 - c1, a2 - b2 - c2, a3 - b3 - c3, a4 - b4 - c4),
                                                  (b0, b1, b2, b3, b4), (c0, c1, c2, c3, c4))):
            occupancy[g, d, 0] = k0 - k1
            occupancy[g, d, 1] = k1 - k2
            occupancy[g, d, 2] = k2 - k3
            occupancy[g, d, 3] = k3 - k4
            occupancy[g, d, 4] = k4
    high1 = high2 = high3 = high4 = 0
    mp = mp1 = mp2 = hh1 = hh2 = in_contact = laws_1 = laws_2 = 0
    lo1, lo2, lo3, lo4, lo5 = PERSON_BAND_LOWS
    persons = old1 = old2 = old3 = old4 = old5 = 0  # adults in households whose head is in band >= b
    p0 = p1 = p2 = p3 = p4 = p5 = p6 = p7 = 0
    for h in numba.prange(n):
        t = top[h]
        high1 += t >= 1
        high2 += t >= 2
        high3 += t >= MAATWERK
        high4 += t >= SPECIALIST
        is_mp = heavy[h] >= MULTIPROBLEM_DOMAINS
        laws_1 += laws[h] >= 1
        laws_2 += laws[h] >= 2
        g1 = generation[h] == 1
        g2 = generation[h] >= 2
        mp += is_mp
        mp1 += is_mp & g1
        mp2 += is_mp & g2
        hh1 += g1
        hh2 += g2
        in_contact += contact_until[h] >= month
        adults = 1 + partner[h]
        age = head_age[h]
        persons += adults
        old1 += adults * (age >= lo1)
        old2 += adults * (age >= lo2)
        old3 += adults * (age >= lo3)
        old4 += adults * (age >= lo4)
        old5 += adults * (age >= lo5)
        formed = origin[h] == ORIGIN_LEFT_HOME
        grew_up_mp = childhood_mp[h]
        exposed = childhood_exposed[h]
        p0 += formed & grew_up_mp
        p1 += formed & grew_up_mp & is_mp
        p2 += formed & ~grew_up_mp
        p3 += formed & ~grew_up_mp & is_mp
        p4 += formed & exposed
        p5 += formed & exposed & (t >= MAATWERK)
        p6 += formed & ~exposed
        p7 += formed & ~exposed & (t >= MAATWERK)
    highest[0] = n - high1
    highest[1] = high1 - high2
    highest[2] = high2 - high3
    highest[3] = high3 - high4
    highest[4] = high4
    households[0], households[1], households[2] = n - hh1 - hh2, hh1, hh2
    multiproblem[0], multiproblem[1], multiproblem[2] = mp - mp1 - mp2, mp1, mp2
    ages[0] += persons - old1
    ages[1] += old1 - old2
    ages[2] += old2 - old3
    ages[3] += old3 - old4
    ages[4] += old4 - old5
    ages[5] += old5
    patterns[0], patterns[1], patterns[2], patterns[3] = p0, p1, p2, p3
    patterns[4], patterns[5], patterns[6], patterns[7] = p4, p5, p6, p7
    return n_waiting, hidden, in_contact, laws_1, laws_2


@numba.njit(cache=True, nogil=True)
def _children_census(hh, age, top, youth_level, person_band, child_band, ages, by_level, by_youth_level):
    last_age = len(person_band) - 1
    for c in range(len(hh)):
        years = min(int(age[c]), last_age)
        ages[person_band[years]] += 1
        by_level[child_band[years], top[hh[c]]] += 1
        by_youth_level[youth_level[hh[c]]] += 1


@numba.njit(cache=True, nogil=True)
def _youth_clients(hh, age, youth_level, generation, head_age, partner, siblings, clients):
    """Children in youth care by generation and level, and persons under 23 (the denominator of
    the jeugdhulp share). A household at youth maatwerk or above has one child in care, and each
    further child under 23 at home is in care with probability `siblings` (counted as the
    expectation: no draw)."""
    n = len(youth_level)
    young = np.zeros(n, np.int32)
    under_23 = 0
    for c in range(len(hh)):
        if age[c] < YOUTH_CARE_AGE:
            young[hh[c]] += 1
            under_23 += 1
    for h in range(n):
        under_23 += (head_age[h] < YOUTH_CARE_AGE) * (1 + partner[h])
        lv = youth_level[h]
        if lv >= MAATWERK and young[h] > 0:
            g = min(generation[h], 2)
            clients[g, lv - MAATWERK] += 1.0 + siblings * (young[h] - 1)
    return under_23


def gate(waits: np.ndarray, requests: int, hidden: int, crises: int, census: dict) -> dict:
    hist = np.bincount(np.searchsorted(WAIT_BINS_MONTHS, waits, side="right") - 1, minlength=len(WAIT_BINS_MONTHS))
    out = {
        "gate__queue": census["waiting"],
        "gate__requests": int(requests),
        "gate__served": int(len(waits)),
        "gate__wait_mean_weeks": float(waits.mean() * 52 / 12) if len(waits) else 0.0,
        "gate__wait_weeks_max": float(waits.max() * 52 / 12) if len(waits) else 0.0,
        "gate__served_over_8w": int((waits * 52 / 12 > 8).sum()),
        "gate__hidden_requests": int(hidden),
        "gate__latent": census["latent"],
        "gate__crises_while_waiting": int(crises),
    }
    out.update(zip(WAIT_HIST_KEYS, hist.tolist()))
    return out
