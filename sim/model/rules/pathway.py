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

import numpy as np

from ..levels import Level
from .hazards import nonzero



def gate_fte(households: int, calendar_year: int, params) -> float:
    """Consultants at the gate: a staffing norm per 1000 households plus the lever's extra FTE."""
    extra = params["levers.gate.extra_fte_by_year"].get(calendar_year, params["levers.gate.extra_fte"])
    return params["gate.fte_per_1000_households"] * households / 1000.0 + extra


def gate_capacity(fte: float, params) -> float:
    """Assessments the gate can do in a month."""
    return fte * params["gate.hours_per_fte_month"] / params["gate.hours_per_request"]


def route_requests(households, old_level, new_level, go_up, contacted, month, params, rng, switches):
    """Turn L2->L3 moves into requests; returns (new level, requests filed, hidden by non-take-up).

    Random draws are made only for the few households concerned, not the whole population."""
    waiting = households.waiting_since >= 0
    # Waiting households: an upward move is a crisis (to specialist care, leaving the queue);
    # any other move resolves the request.
    crisis = waiting & go_up
    new_level[crisis] = Level.SPECIALIST
    households.waiting_since[waiting & (new_level != Level.LIGHT)] = -1
    wants = go_up & ~waiting & (old_level == Level.LIGHT)
    hidden = np.zeros_like(wants)
    if switches.latent_demand:
        latent = households.latent
        # Outreach only changes take-up in the domains the support is for.
        weight = np.asarray(params["levers.prevention.domain_weights"], np.float32)
        h, d = nonzero(wants)
        skip = params["latent_demand.non_take_up"] * (
            1.0 - params["latent_demand.contact_take_up"] * contacted[h] * weight[d])
        keep_quiet = rng.random(len(h)) < skip
        hidden[h[keep_quiet], d[keep_quiet]] = True
        wants[h[keep_quiet], d[keep_quiet]] = False
        new_level[hidden] = Level.LIGHT
        # Hidden need ends with the level; contact reveals it as a request.
        latent &= new_level == Level.LIGHT
        latent &= ~wants  # asking now: the need is no longer hidden
        h, d = nonzero(latent & contacted[:, None] & (households.waiting_since < 0))
        revealed = rng.random(len(h)) < params["latent_demand.reveal"] * weight[d]
        latent[h[revealed], d[revealed]] = False
        wants[h[revealed], d[revealed]] = True
        latent |= hidden
    if switches.capacity:
        new_level[wants] = Level.LIGHT
        households.waiting_since[wants] = month
    else:
        new_level[wants] = Level.MAATWERK
    return new_level, wants, hidden


def serve_queue(households, capacity: float, carry: float, month: int, params, rng):
    """Assess the oldest requests up to capacity. Returns (served waits in months, referred back
    mask [household, domain], leftover fractional capacity)."""
    h, d = nonzero(households.waiting_since >= 0)
    since = households.waiting_since[h, d]
    budget = capacity + carry
    n_serve = min(len(h), int(budget))
    order = np.argsort(since, kind="stable")[:n_serve]
    h, d = h[order], d[order]
    waits = month - households.waiting_since[h, d]
    households.waiting_since[h, d] = -1
    refer_back = rng.random(n_serve) < params["gate.refer_back_share"]
    households.level[h[~refer_back], d[~refer_back]] = Level.MAATWERK
    referred = np.zeros(households.waiting_since.shape, bool, order="F")
    referred[h[refer_back], d[refer_back]] = True
    # Unused hours cannot be banked; only the fraction of an assessment carries over.
    leftover = budget - int(budget) if n_serve == int(budget) else 0.0
    return waits, referred, leftover
