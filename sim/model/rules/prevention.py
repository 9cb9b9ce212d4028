"""The prevention lever: a voorliggend-veld budget buys contacts, and contacts change hazards.

Reach has diminishing returns: a yearly budget B over N households keeps
N * (1 - exp(-B / (N * cost_per_household_reached))) households in contact at any time, so the
first euros buy a household-year of contact per `cost_per_household_reached` and later euros
fewer (the harder-to-reach are left). Contacts favour households with risk signals (levels
1-2 in the domains the support is for) by the `targeting` weight and last `contact_months`,
so the stock turns over 12 / contact_months times a year.

Effects on contacted households grow from `initial_effectiveness` to full over
`learning_years` after spending starts (organisations learn), while the costs start at once:
early detection (L1 -> L2 faster), less escalation from light support into maatwerk (L2 -> L3),
faster de-escalation and recovery at levels 1-2.
"""
from __future__ import annotations

import numba
import numpy as np

from ..levels import EMERGING, LIGHT, N_LEVELS, Level
from .hazards import DOWN, RECOVER, UP


def households_to_reach(yearly_budget: float, households: int, params) -> int:
    """Households in contact at any time for a yearly budget (diminishing returns)."""
    if yearly_budget <= 0 or households == 0:
        return 0
    cost = params["prevention.cost_per_household_reached"]
    return int(round(households * (1.0 - np.exp(-yearly_budget / (households * cost)))))


def effectiveness(months_since_start: int, params) -> float:
    if months_since_start < 0:
        return 0.0
    start = params["prevention.initial_effectiveness"]
    ramp = max(params["prevention.learning_years"] * 12.0, 1e-9)
    return float(min(1.0, start + (1.0 - start) * months_since_start / ramp))


def update_contacts(households, target: int, month: int, params, rng: np.random.Generator,
                    taking_part: np.ndarray | None = None) -> int:
    """Start new contacts up to `target` households in contact; returns how many started.

    Households not in contact are drawn with weight 1, or 1 + targeting when they show risk
    signals (level 1-2) in a domain the support is for, scaled so that `missing` are expected."""
    focus = np.asarray(params["levers.prevention.domain_weights"]) > 0
    weight = np.empty(len(households))
    if taking_part is None:  # nobody takes part in a catalogue programme
        taking_part = np.full(1, -1, np.int8)
    in_contact = _contact_weights(households.contact_until, taking_part, households.buffer("level"), focus,
                                  month, float(params["prevention.targeting"]), weight)
    missing = target - in_contact
    if missing <= 0:
        return 0
    total = max(weight.sum(), 1e-12)  # numpy's pairwise sum, as the draw probabilities always used
    return _start_contacts(weight, missing, total, rng, households.contact_until,
                           month + int(params["prevention.contact_months"]) - 1)


@numba.njit(cache=True, nogil=True)
def _contact_weights(contact_until, taking_part, level, focus, month, targeting, weight):
    in_contact = 0
    anyone = len(taking_part) == len(weight)
    for h in range(len(weight)):
        if contact_until[h] >= month:
            in_contact += 1
            weight[h] = 0.0
            continue
        if anyone and taking_part[h] >= 0:  # catalogue participants are not contacted as well
            weight[h] = 0.0
            continue
        at_risk = False
        for d in range(len(focus)):
            at_risk |= focus[d] and (level[h, d] == EMERGING or level[h, d] == LIGHT)
        weight[h] = 1.0 + targeting * at_risk
    return in_contact


@numba.njit(cache=True, nogil=True)
def _start_contacts(weight, missing, total, rng, contact_until, until):
    started = 0
    for h in range(len(weight)):  # one draw per household, in row order
        if rng.random() < min(1.0, missing * weight[h] / total):
            contact_until[h] = until
            started += 1
    return started


def contact_effect(eff: float, params) -> np.ndarray:
    """[up/down/recover, domain, level] hazard multipliers for a household in contact (row 0 of
    the effect table the model passes to the hazards).

    The effect depends only on the level and on the domain's weight in what the support is for:
    early detection at L1, less escalation at L2, faster de-escalation and recovery at L1-L2."""
    weights = params["levers.prevention.domain_weights"]
    table = np.ones((3, len(weights), N_LEVELS), np.float32)
    for d, weight in enumerate(weights):
        if weight <= 0 or eff <= 0:
            continue
        e = eff * weight
        table[UP, d, Level.EMERGING] = 1.0 + params["prevention.detection_boost"] * e
        table[UP, d, Level.LIGHT] = 1.0 - params["prevention.escalation_reduction"] * e
        for hazard in (DOWN, RECOVER):
            table[hazard, d, Level.EMERGING:Level.LIGHT + 1] = 1.0 + params["prevention.recovery_boost"] * e
    return table
