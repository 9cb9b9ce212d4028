"""The help pathway at the back: requests for maatwerk, non-take-up, and the gate's queue.

A household at light support (L2) whose draw says 'escalate' needs maatwerk. With latent
demand on, some do not ask (non-take-up, lower when in contact with the voorliggend veld) and
carry a hidden need that contact later reveals — the AEF finding that outreach raises
maatwerk use: a wave when the hidden stock is first revealed, then a lasting rise in take-up
for as long as contacts continue. With capacity on, requests queue at the gate (toegang), which
assesses as many as its consultant hours allow, oldest first; waiting households can fall
into a crisis that bypasses the gate (straight to L4). The legal norm is 8 weeks (seed 002).
With both off, escalation from L2 is the plain chain's move to L3.
"""
from __future__ import annotations

import numba
import numpy as np

from ..kernels import per_household
from ..levels import LIGHT, MAATWERK, SPECIALIST, Level
from . import keyed


def gate_fte(households: int, calendar_year: int, params) -> float:
    """Consultants at the gate: a staffing norm per 1000 households plus the lever's extra FTE."""
    extra = params["levers.gate.extra_fte_by_year"].get(calendar_year, params["levers.gate.extra_fte"])
    return params["gate.fte_per_1000_households"] * households / 1000.0 + extra


def gate_capacity(fte: float, params) -> float:
    """Assessments the gate can do in a month."""
    return fte * params["gate.hours_per_fte_month"] / params["gate.hours_per_request"]


def route_requests(households, old_level, new_level, go_up, outreach_row, outreach_weight, month, params, key,
                   switches):
    """Turn this month's moves of waiting households and L2->L3 escalations into crises,
    withdrawals and requests; `new_level` is updated in place.
    Returns (requests filed, requests hidden by non-take-up, crises while waiting).

    `outreach_row` [household] is a row of `outreach_weight` [row, domain] (how much a contact or
    an outreaching programme weighs in each domain), -1 for none.

    Each decision draws the household's own keyed uniform (rules/keyed.py: run key, household,
    month, domain, purpose), so one household's fate never shifts another's draws."""
    return _route.rows(len(old_level))(old_level, new_level, go_up, households.buffer("waiting_since"), households.buffer("latent"),
           households.buffer("id"), outreach_row, outreach_weight,
           np.float32(params["latent_demand.non_take_up"]), np.float32(params["latent_demand.contact_take_up"]),
           np.float32(params["latent_demand.reveal"]), month, switches.latent_demand, switches.capacity, key)


ASKS, HIDES = 1, 2  # what an escalating household does with its need for maatwerk


@per_household
def _route(old, new, go_up, waiting_since, latent, ids, outreach_row, outreach_weight, non_take_up, contact_take_up,
           reveal, month, latent_demand, capacity, key):
    n, n_dom = old.shape
    requests = hidden = crises = 0
    need = np.zeros((n, n_dom), np.int8)  # ASKS or HIDES, for this month's L2 -> L3 escalations
    one = np.float32(1.0)
    for h in numba.prange(n):
        for d in range(n_dom):
            if waiting_since[h, d] >= 0:
                # A waiting household that moves up falls into crisis (to specialist care);
                # any other move resolves its request.
                if go_up[h, d]:
                    new[h, d] = SPECIALIST
                    crises += 1
                if new[h, d] != LIGHT:
                    waiting_since[h, d] = -1
            elif go_up[h, d] and old[h, d] == LIGHT:
                need[h, d] = ASKS
                if latent_demand:
                    # Outreach only changes take-up in the domains the support is for.
                    row = outreach_row[h]
                    weight = outreach_weight[row, d] if row >= 0 else np.float32(0.0)
                    skip = non_take_up * (one - contact_take_up * weight)
                    if keyed.uniform(key, ids[h], month, d, keyed.TAKE_UP) < skip:
                        need[h, d] = HIDES
                        new[h, d] = LIGHT
    # A second pass: a need hidden this month is recorded before any is revealed.
    for h in numba.prange(n):
        for d in range(n_dom):
            asks = need[h, d] == ASKS
            if latent_demand:
                if need[h, d] == HIDES:
                    latent[h, d] = True
                    hidden += 1
                    continue
                # Hidden need ends with the level, and is no longer hidden once asked for;
                # contact reveals the rest as requests.
                hidden_need = latent[h, d] and new[h, d] == LIGHT and not asks
                row = outreach_row[h]
                if hidden_need and row >= 0 and waiting_since[h, d] < 0 and \
                        keyed.uniform(key, ids[h], month, d, keyed.REVEAL) < reveal * outreach_weight[row, d]:
                    hidden_need = False
                    asks = True
                latent[h, d] = hidden_need
            if asks:
                requests += 1
                if capacity:
                    new[h, d] = LIGHT
                    waiting_since[h, d] = month
                else:
                    new[h, d] = MAATWERK
    return requests, hidden, crises


def serve_queue(households, capacity: float, carry: float, month: int, params, key: int):
    """Assess the oldest requests up to capacity. Returns (served waits in months, requests
    referred back to the voorliggend veld per domain, leftover fractional capacity)."""
    h, d = _waiting(households.buffer("waiting_since"), len(households))
    since = households.waiting_since[h, d]
    budget = capacity + carry
    n_serve = min(len(h), int(budget))
    order = np.argsort(since, kind="stable")[:n_serve]
    h, d = h[order], d[order]
    waits = month - households.waiting_since[h, d]
    households.waiting_since[h, d] = -1
    refer_back = keyed.uniforms(key, households.id[h], month, d, keyed.REFER_BACK) < params["gate.refer_back_share"]
    households.level[h[~refer_back], d[~refer_back]] = Level.MAATWERK
    referred = np.bincount(d[refer_back], minlength=households.level.shape[1])
    # Unused hours cannot be banked; only the fraction of an assessment carries over.
    leftover = budget - int(budget) if n_serve == int(budget) else 0.0
    return waits, referred, leftover


@numba.njit(cache=True, nogil=True)
def _waiting(waiting_since, n):
    """(households, domains) with a request waiting, in household order."""
    count = 0
    for d in range(waiting_since.shape[1]):
        for h in range(n):
            count += waiting_since[h, d] >= 0
    rows = np.empty(count, np.int64)
    domains = np.empty(count, np.int64)
    i = 0
    for h in range(n):
        for d in range(waiting_since.shape[1]):
            if waiting_since[h, d] >= 0:
                rows[i] = h
                domains[i] = d
                i += 1
    return rows, domains
