"""What the model reports each month: one flat dict of numbers, the DataCollector's row.

Names are `group__key[__key]`, so the analysis can split them without a lookup table:
hh__finance__maatwerk, flow__to_maatwerk__youth, cost__wmo__municipality, gen1__cost, ...
Stocks are measured at the end of the month, flows summed over it.
"""
from __future__ import annotations

import numpy as np

from . import costs
from .levels import DOMAIN_KEYS, LEVEL_KEYS, MULTIPROBLEM_DOMAINS, N_LEVELS, Domain, Level
from .population import ORIGIN_LEFT_HOME
from .rules.demography import MAX_AGE, whole_years
from .rules.hazards import nonzero

FLOW_KINDS = ("onset", "to_maatwerk", "to_specialist", "recovery", "referral_back")
PERSON_AGE_BANDS = ((0, 18), (18, 25), (25, 45), (45, 65), (65, 80), (80, 200))
CHILD_AGE_BANDS = ((0, 4), (4, 12), (12, 18), (18, 25))
WAIT_BINS_MONTHS = (0, 1, 2, 3, 4, 7)  # served within the month, 1, 2, 3, 4-6, 7+ months
GENERATIONS = (0, 1, 2)  # 2 stands for 2 and later


def _band_of_age(bands) -> np.ndarray:
    """Band index for every whole year of age, so banding is one gather."""
    return np.digitize(np.arange(MAX_AGE + 1), [lo for lo, _ in bands[1:]]).astype(np.intp)


PERSON_BAND = _band_of_age(PERSON_AGE_BANDS)
CHILD_BAND = _band_of_age(CHILD_AGE_BANDS)


def band_name(lo, hi):
    return f"{lo}_{hi - 1}" if hi < 200 else f"{lo}plus"


def domains_at_least(level: np.ndarray, threshold: int) -> np.ndarray:
    """Per household, how many domains are at `threshold` or above (column by column: the
    levels are domain-major, and this is the hottest reduction of a month)."""
    count = (level[:, 0] >= threshold).view(np.int8).copy()
    for d in range(1, level.shape[1]):
        count += (level[:, d] >= threshold).view(np.int8)
    return count


def changes(old: np.ndarray, new: np.ndarray):
    """(household rows, domains, old levels, new levels) of this month's level changes."""
    h, d = nonzero(old != new)
    return h, d, old[h, d], new[h, d]


def transition_flows(change, referred: np.ndarray | None) -> dict:
    _, d, was, now = change
    kinds = {
        "onset": (was == 0) & (now > 0),
        "to_maatwerk": (was < Level.MAATWERK) & (now == Level.MAATWERK),
        "to_specialist": (was < Level.SPECIALIST) & (now == Level.SPECIALIST),
        "recovery": (was > 0) & (now == 0),
        "referral_back": (was >= Level.MAATWERK) & (now == Level.LIGHT),
    }
    extra_referrals = referred.sum(axis=0) if referred is not None else np.zeros(len(DOMAIN_KEYS), int)
    out = {}
    for kind in FLOW_KINDS:
        counts = np.bincount(d[kinds[kind]], minlength=len(DOMAIN_KEYS))
        if kind == "referral_back":
            counts = counts + extra_referrals
        for di, name in enumerate(DOMAIN_KEYS):
            out[f"flow__{kind}__{name}"] = int(counts[di])
    return out


def spells(change, spell_start: np.ndarray, month: int) -> dict:
    """Completed spells this month per domain x level (count and summed months), then restart."""
    h, d, was, _ = change
    months = month + 1 - spell_start[h, d]
    key = d * N_LEVELS + was
    ended = np.bincount(key, minlength=len(DOMAIN_KEYS) * N_LEVELS)
    total = np.bincount(key, weights=months, minlength=len(DOMAIN_KEYS) * N_LEVELS)
    spell_start[h, d] = month + 1
    out = {}
    for di, dn in enumerate(DOMAIN_KEYS):
        for lv in range(1, N_LEVELS):
            out[f"spell__{dn}__{LEVEL_KEYS[lv]}__ended"] = int(ended[di * N_LEVELS + lv])
            out[f"spell__{dn}__{LEVEL_KEYS[lv]}__months"] = float(total[di * N_LEVELS + lv])
    return out


def stocks(households, children, params, euros: np.ndarray, counts: np.ndarray) -> dict:
    """End-of-month stocks: population, occupancy, costs, children by level, generations.
    `counts` is the month's occupancy [domain, level] (costs.occupancy)."""
    level = households.level
    heavy = domains_at_least(level, Level.MAATWERK) >= MULTIPROBLEM_DOMAINS
    gen = np.minimum(households.generation, GENERATIONS[-1])
    n_gen = len(GENERATIONS)
    # Occupancy by generation: the later generations are counted on their (few) rows, the
    # first is the remainder.
    by_gen = np.zeros((n_gen,) + counts.shape, np.int64)
    for g in GENERATIONS[1:]:
        by_gen[g] = costs.occupancy(level[gen == g])
    by_gen[0] = counts - by_gen[1:].sum(axis=0)
    out = {"households": len(households),
           "persons": len(households) + int(np.count_nonzero(households.partner)) + len(children),
           "children": len(children), "multiproblem": int(np.count_nonzero(heavy))}
    for d, dn in enumerate(DOMAIN_KEYS):
        for lv, ln in enumerate(LEVEL_KEYS):
            out[f"hh__{dn}__{ln}"] = int(counts[d, lv])
    top = level.max(axis=1).astype(np.intp) if len(level) else np.zeros(0, np.intp)
    top_counts = np.bincount(top, minlength=N_LEVELS)
    for lv, ln in enumerate(LEVEL_KEYS):
        out[f"hh__any__{ln}"] = int(top_counts[lv])  # households by their highest level
    for (line, payer), value in zip(params.accounts, euros):
        out[costs.column(line, payer)] = float(value)
    head_band = PERSON_BAND[whole_years(households.head_age)]
    ages = np.bincount(head_band, minlength=len(PERSON_AGE_BANDS))
    ages += np.bincount(head_band, weights=households.partner, minlength=len(PERSON_AGE_BANDS)).astype(ages.dtype)
    ages += np.bincount(PERSON_BAND[whole_years(children.age)], minlength=len(PERSON_AGE_BANDS))
    for (lo, hi), value in zip(PERSON_AGE_BANDS, ages):
        out[f"pop__age__{band_name(lo, hi)}"] = int(value)
    child_band = CHILD_BAND[whole_years(children.age)]
    by_band = np.bincount(child_band * N_LEVELS + top[children.hh],
                          minlength=len(CHILD_AGE_BANDS) * N_LEVELS).reshape(len(CHILD_AGE_BANDS), N_LEVELS)
    for b, (lo, hi) in enumerate(CHILD_AGE_BANDS):
        for lv, ln in enumerate(LEVEL_KEYS):
            out[f"children__{band_name(lo, hi)}__{ln}"] = int(by_band[b, lv])
    gen_cost = np.einsum("gdl,dl->g", by_gen, params.unit_cost.sum(axis=2)) / 12.0
    gen_households = np.bincount(gen, minlength=n_gen)
    gen_heavy = np.bincount(gen[heavy], minlength=n_gen)
    for g in GENERATIONS:
        out[f"gen{g}__households"] = int(gen_households[g])
        out[f"gen{g}__multiproblem"] = int(gen_heavy[g])
        out[f"gen{g}__cost"] = float(gen_cost[g])
    youth_level = np.bincount(level[:, Domain.YOUTH][children.hh], minlength=N_LEVELS)
    for lv, ln in enumerate(LEVEL_KEYS):
        out[f"children__youth__{ln}"] = int(youth_level[lv])  # children by their household's youth level
    # Adults heading households formed in the run, by their childhood: the transmission patterns.
    formed = households.origin == ORIGIN_LEFT_HOME
    any_maatwerk = top >= Level.MAATWERK
    for label, grew_up_mp in (("childhood_mp", True), ("childhood_not_mp", False)):
        group = formed & (households.childhood_mp == grew_up_mp)
        out[f"gen__{label}__adults"] = int(np.count_nonzero(group))
        out[f"gen__{label}__now_mp"] = int(np.count_nonzero(group & heavy))
    for label, exposed in (("exposed", True), ("unexposed", False)):
        group = formed & (households.childhood_exposed == exposed)
        out[f"gen__{label}__adults"] = int(np.count_nonzero(group))
        out[f"gen__{label}__adults_maatwerk"] = int(np.count_nonzero(group & any_maatwerk))
    return out


def gate(households, waits: np.ndarray, requests: int, hidden: int, crises: int) -> dict:
    hist = np.histogram(waits, bins=list(WAIT_BINS_MONTHS) + [10**6])[0]
    out = {
        "gate__queue": int(np.count_nonzero(households.waiting_since >= 0)),
        "gate__requests": int(requests),
        "gate__served": int(len(waits)),
        "gate__wait_mean_weeks": float(waits.mean() * 52 / 12) if len(waits) else 0.0,
        "gate__wait_weeks_max": float(waits.max() * 52 / 12) if len(waits) else 0.0,
        "gate__served_over_8w": int((waits * 52 / 12 > 8).sum()),
        "gate__hidden_requests": int(hidden),
        "gate__latent": int(np.count_nonzero(households.latent)),
        "gate__crises_while_waiting": int(crises),
    }
    labels = ["0m", "1m", "2m", "3m", "4_6m", "7plus_m"]
    for name, value in zip(labels, hist):
        out[f"gate__wait_hist__{name}"] = int(value)
    return out
