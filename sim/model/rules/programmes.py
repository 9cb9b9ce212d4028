"""Catalogue interventions in the model: who takes part, what it costs, what it changes.

Each month, for every intervention an experiment buys (sim/params/catalogue.py):

- **Eligible** are households in its target group (at a target level in a target domain, of the
  household type, with a child under the age limit) that are not in a generic voorliggend-veld
  contact, not taking part in a programme now (during its `delivery.months`), and not still
  carrying this programme's own effect. A household carries one programme's effect at a time:
  joining another after the first one's delivery ends replaces what is left of the first's
  effect (a simplification; the rest fades anyway). The effect is followed until under 1% is
  left (Intervention.window), then the household is free of it.
- **Capacity**: the programme can take on `reach x uptake` of its eligible households a year.
  A budget B buys `capacity x (1 - exp(-B / (capacity x cost per participant)))` participants a
  year (diminishing returns: the last reachable households cost the most) and all of B is
  spent; a number of participants is taken up to capacity, and each costs its price.
- **Enrolment**: each eligible household joins with probability (participants due this month /
  eligible), by its own keyed uniform (rules/keyed.py), drawn only when someone is due — so a
  zero budget leaves every draw of the model as it was, and two scenarios that buy the same
  programme enrol the same households as long as they are eligible in both.
- **Effect**: from enrolment the household's hazards on the named transitions are multiplied
  by `rate_ratio ** weight(months since enrolment)` (onset, plateau, fading; Intervention.weight),
  through the same table the generic contact uses. An effect that raises the move from emerging
  to light support is early detection and keeps the household's own severity (hazards.py).
  An intervention with `reveals_hidden_need` also counts as outreach for non-take-up.

Gate-capacity entries buy FTE at the gate (budget / gate.cost_per_fte), booked as staff.
"""
from __future__ import annotations

import numpy as np

from ..levels import N_DOMAINS, N_LEVELS
from . import keyed

OUTPUTS = ("eligible", "new", "in_programme", "spend")  # programme__<id>__<output>, per month


class Programmes:
    """The catalogue interventions of one run: levers, effect tables and monthly enrolment."""

    def __init__(self, params):
        from ...params.catalogue import catalogue

        self.entries = catalogue()
        self.levers = params.programmes
        self.cost_per_fte = params["gate.cost_per_fte"]
        self.active = tuple(k for k, (e, lever) in enumerate(zip(self.entries, self.levers))
                            if lever.active and e.kind == "programme")
        self.gate = tuple(k for k, (e, lever) in enumerate(zip(self.entries, self.levers))
                          if lever.active and e.kind == "gate_capacity")
        # Row 0 of the effect table is the generic contact's; entry k's rows start at offset[k],
        # one per month since enrolment.
        windows = np.array([e.window for e in self.entries])
        self.window = windows.astype(np.int32)
        self.delivery = np.array([e.months for e in self.entries], np.int32)
        self.offset = (1 + np.concatenate([[0], np.cumsum(windows)[:-1]])).astype(np.int32)
        self.table = np.ones((1 + windows.sum(), 3, N_DOMAINS, N_LEVELS), np.float32)
        for k, e in enumerate(self.entries):
            self.set_effect(k, [eff.at_quantile(self.levers[k].effect_quantile) for eff in e.effects])
        # Outreach weights by domain: row 0 the generic contact's, row k + 1 entry k's.
        self.outreach = np.zeros((1 + len(self.entries), N_DOMAINS), np.float32)
        for k, e in enumerate(self.entries):
            if e.reveals_hidden_need:
                self.outreach[1 + k, list(e.domains)] = 1.0
        self.reveals = np.array([e.reveals_hidden_need for e in self.entries], bool)
        self._nobody = np.full(0, -1, np.int32)
        self.needs_age = any(self.entries[k].youngest_child_under is not None for k in self.active)

        self.enrolled_ever = False

    def set_effect(self, k: int, ratios) -> None:
        """Entry k's rows of the effect table for the given rate ratio of each of its effects."""
        e = self.entries[k]
        rows = self.table[self.offset[k]:self.offset[k] + e.window]
        rows[:] = 1.0
        weights = np.array([e.weight(a) for a in range(e.window)])
        for eff, rr in zip(e.effects, ratios):
            rows[:, eff.kind, eff.domain, eff.from_level] *= (float(rr) ** weights).astype(np.float32)

    @property
    def any_active(self) -> bool:
        return bool(self.active)

    def gate_budget(self, calendar_year: int, first_year: int) -> dict:
        """Yearly euros of each gate-capacity entry bought this year (they buy FTE at the gate's
        cost per FTE, and are booked as investment, not as the gate's regular staff)."""
        return {self.entries[k].id: self.levers[k].in_year(calendar_year, first_year)[1] for k in self.gate}

    def release(self, hh, tick: int) -> None:
        """Households whose programme's effect window has run out are free again."""
        prog = hh.programme
        inside = prog >= 0
        if inside.any():
            done = inside & (tick - hh.programme_start >= self.window[np.maximum(prog, 0)])
            prog[done] = -1

    def eligible(self, k: int, hh, n_children, youngest, tick: int) -> np.ndarray:
        """[household] mask of the entry's target group, free to enrol now."""
        e = self.entries[k]
        level = hh.level
        mask = np.zeros(len(hh), bool)
        for d in e.domains:
            mask |= np.isin(level[:, d], e.levels)
        mask &= (hh.programme != k) & ~self.busy(hh, tick) & (hh.contact_until < tick)
        if e.households != "any":
            mask &= n_children > 0
        if e.households == "single_parent":
            mask &= ~hh.partner
        if e.youngest_child_under is not None:
            mask &= youngest < e.youngest_child_under
        return mask

    def busy(self, hh, tick: int) -> np.ndarray:
        """[household] taking part in a programme now (within its delivery months)."""
        prog = hh.programme
        return (prog >= 0) & (tick - hh.programme_start < self.delivery[np.maximum(prog, 0)])

    def taking_part(self, hh, tick: int) -> np.ndarray:
        """[household] programme index while it is delivered, -1 otherwise (the generic contact
        does not reach these households)."""
        return np.where(self.busy(hh, tick), hh.programme, -1).astype(np.int8)

    def enrol(self, hh, rows: np.ndarray, k: int, tick: int) -> None:
        self.enrolled_ever = self.enrolled_ever or len(rows) > 0
        hh.programme[rows] = k
        hh.programme_start[rows] = tick

    def step(self, hh, children, n_children, tick: int, calendar_year: int, first_year: int, key: int) -> tuple:
        """Enrol this month's participants. Returns (outputs by name, euros this month by payer)."""
        out, spend = {}, {}
        self.release(hh, tick)
        if n_children is None:
            n_children = children_at_home(hh, children)
        youngest = youngest_child(hh, children) if self.needs_age else None
        for k in self.active:
            e, lever = self.entries[k], self.levers[k]
            mode, amount = lever.in_year(calendar_year, first_year)
            mask = self.eligible(k, hh, n_children, youngest, tick)
            n_eligible = int(np.count_nonzero(mask))
            capacity = n_eligible * e.reach.value * e.uptake.value  # a year
            if mode == "budget":
                yearly = 0.0 if capacity <= 0 or amount <= 0 else \
                    capacity * (1.0 - np.exp(-amount / (capacity * e.cost_per_participant)))
            else:
                yearly = min(amount, capacity)
            due = yearly / 12.0
            new = 0
            if due > 0 and n_eligible:
                rows = np.flatnonzero(mask)
                u = keyed.uniforms(key, hh.id[rows], tick, np.full(n_eligible, k), keyed.ENROL)
                picked = rows[u < min(1.0, due / n_eligible)]
                self.enrol(hh, picked, k, tick)
                new = len(picked)
            euros = amount / 12.0 if mode == "budget" else new * e.cost_per_participant
            spend[e.payer] = spend.get(e.payer, 0.0) + euros
            out.update({f"programme__{e.id}__eligible": n_eligible, f"programme__{e.id}__new": new,
                        f"programme__{e.id}__in_programme": int(np.count_nonzero((hh.programme == k)
                                                                                  & self.busy(hh, tick))),
                        f"programme__{e.id}__spend": euros})
        return out, spend

    def effect_rows(self, hh, tick: int, contacted: np.ndarray | None) -> np.ndarray:
        """Row of the effect table per household: entry and months since enrolment; 0 for a
        generic contact; -1 for none."""
        prog = hh.programme
        rows = np.where(prog >= 0, self.offset[np.maximum(prog, 0)] + (tick - hh.programme_start), -1)
        if contacted is not None:
            rows = np.where(contacted & (prog < 0), 0, rows)
        return rows.astype(np.int32)

    def outreach_rows(self, hh, contacted: np.ndarray | None) -> np.ndarray:
        """Row of the outreach table per household (0 the generic contact, k + 1 entry k), -1 none.
        The array may be longer than the population (a reused buffer when nobody is reached)."""
        n = len(hh)
        if not self.enrolled_ever:
            if contacted is not None:
                return np.where(contacted, 0, -1).astype(np.int32)
            if len(self._nobody) < n:
                self._nobody = np.full(int(n * 1.25) + 64, -1, np.int32)
            return self._nobody
        prog = hh.programme
        rows = np.where(self.reveals[np.maximum(prog, 0)] & (prog >= 0), prog + 1, -1)
        if contacted is not None:
            rows = np.where(contacted, 0, rows)
        return rows.astype(np.int32)


def children_at_home(hh, children) -> np.ndarray:
    return np.bincount(children.hh, minlength=len(hh))[: len(hh)]


def youngest_child(hh, children) -> np.ndarray:
    """[household] age of the youngest child at home in years (inf without children)."""
    youngest = np.full(len(hh), np.inf, np.float32)
    np.minimum.at(youngest, children.hh, children.age)
    return youngest
