"""Per-domain monthly hazards and the one draw that moves a household between levels.

From level l a household moves up one level (onset at 0, escalation above), down one level
(de-escalation), or straight back to self-reliant (recovery, from level 2 up). One uniform
draw per household per domain decides; with no modifier this is exactly the chain of
`Parameters.transition_matrix`.

The other mechanisms change these hazards. Each rule file states its effect as data — the
high-risk type's factors (heterogeneity, below), a cascade table by level profile
(cascades.py), up-multipliers by age (demography.py), inherited multipliers (generations.py),
multiplier tables for households in contact or in a programme (prevention.py, programmes.py), a crisis factor while waiting
(pathway.py) — and `transition` applies them all in one compiled pass over the households,
instead of some twenty numpy passes that each build a [household, domain] array.

Heterogeneity: in each domain a household is of one of two latent risk types for life (a
finite mixture, Heckman & Singer 1984), its types correlated across domains (a Gaussian copula,
population.draw_risk_types). The parameter tables hold the low-risk type's hazards; in a domain
where a household is high-risk its onset and escalation hazards are multiplied by
`heterogeneity.up_ratio` and its de-escalation and recovery hazards by
`heterogeneity.exit_ratio`. Its spells are long and its re-entries frequent, so the
population's exit rate falls with time in care and use piles up in few households, as register
data show.

Early detection (`detected_early`): a household that contact moves from emerging into light
support keeps the hazards of its own severity until the problem catches up (docs/odd.md 7.5),
and the detections are taken from the draws that would otherwise have stayed, so detection on
its own changes nobody's problem.
"""
from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ..kernels import per_household
from ..levels import EMERGING, LIGHT, N_LEVELS, YOUTH

UP, DOWN, RECOVER = 0, 1, 2  # the hazard table's last axis


@dataclass
class Modifiers:
    """What the switched-on mechanisms do to this month's hazards. `None` means 'off'."""

    cascade: np.ndarray | None = None  # [to, level profile] up-multiplier (cascades.multipliers)
    up_by_age: np.ndarray | None = None  # [whole year of head age, domain] up-multiplier
    head_age: np.ndarray | None = None  # [household] years; needed with up_by_age
    inherited: np.ndarray | None = None  # [household, domain] up-multiplier from childhood (may have spare rows)
    n_children: np.ndarray | None = None  # [household]; no youth onset without children at home
    contact: np.ndarray | None = None  # [household] row of contact_effect (a contact or a programme), -1 for none
    contact_effect: np.ndarray | None = None  # [row, up/down/recover, domain, level] multipliers
    waiting_since: np.ndarray | None = None  # [household, domain] >= 0 while a request waits (may have spare rows)
    crisis_factor: float = 1.0  # up-multiplier while waiting
    high_risk: np.ndarray | None = None  # [household, domain] of the high-risk latent type (may have spare rows)
    detected_early: np.ndarray | None = None  # [household, domain] flags, updated in place (may have spare rows)
    risk_factors: np.ndarray | None = None  # [domain, up/down/recover] multipliers for the high-risk type


# Stand-ins for switched-off modifiers, with the memory layout of the real thing, so that
# numba compiles one specialisation of the kernel, not one per combination of switches.
_OFF_TABLE = np.ones((2, 2), np.float32)  # C order, like the cascade and age tables
_OFF_COLUMNS = np.ones((2, 2), np.float32, order="F")  # domain-major, like population columns
_OFF_WAITING = np.full((2, 2), -1, np.int32, order="F")
_OFF_EFFECT = np.ones((1, 3, 2, 2), np.float32)
_OFF_RISK_TYPE = np.zeros((2, 2), np.bool_, order="F")


def transition(level: np.ndarray, table: np.ndarray, u: np.ndarray, mod: Modifiers):
    """New levels and the mask of upward moves, from levels [household, domain], the plain
    hazard table [domain, level, up/down/recover] and uniforms u [household, domain]."""
    new = np.empty_like(level)
    go_up = np.empty(level.shape, np.bool_, order="F")
    f32 = np.float32
    # One table per risk type, [type, domain, level, up/down/recover]: the high-risk type's
    # factors are applied here once, not per household.
    table = np.asarray(table, f32)
    by_type = np.stack([table, table * (np.ones((table.shape[0], 3), f32) if mod.risk_factors is None
                                        else np.asarray(mod.risk_factors, f32))[:, None, :]])
    _transition.rows(len(level))(level, by_type, u, new, go_up,
                _OFF_TABLE if mod.cascade is None else np.asarray(mod.cascade, f32),
                _OFF_TABLE if mod.up_by_age is None else np.asarray(mod.up_by_age, f32),
                np.zeros(2, f32) if mod.head_age is None else mod.head_age,
                _OFF_COLUMNS if mod.inherited is None else mod.inherited,
                np.ones(2, np.int32) if mod.n_children is None else mod.n_children,
                np.full(2, -1, np.int32) if mod.contact is None else mod.contact,
                _OFF_EFFECT if mod.contact_effect is None else np.asarray(mod.contact_effect, f32),
                _OFF_WAITING if mod.waiting_since is None else mod.waiting_since,
                f32(mod.crisis_factor),
                _OFF_RISK_TYPE if mod.high_risk is None else mod.high_risk,
                np.zeros((2, 2), np.bool_, order="F") if mod.detected_early is None else mod.detected_early,
                mod.cascade is not None, mod.up_by_age is not None, mod.inherited is not None,
                mod.n_children is not None, mod.contact is not None, mod.waiting_since is not None,
                mod.high_risk is not None, mod.detected_early is not None)
    return new, go_up


# (long: one compiled pass applies every modifier of a household's hazard and draws its move;
# one pass per modifier is what this kernel replaced)
@per_household
def _transition(level, table, u, new, go_up, cascade, up_by_age, head_age, inherited, n_children,
                contact, contact_effect, waiting_since, crisis_factor, high_risk, early,
                use_cascade, use_age, use_inherited, use_youth, use_contact, use_waiting, use_risk, use_early):
    n, n_dom = level.shape
    top_age = up_by_age.shape[0] - 1
    modified = use_cascade or use_age or use_inherited or use_youth or use_contact or use_waiting or use_risk
    one, zero = np.float32(1.0), np.float32(0.0)
    profile = np.zeros(n if use_cascade else 0, np.int16)  # levels in all domains, base N_LEVELS
    if use_cascade:  # by severity: a household detected early counts as emerging, not light
        for f in range(n_dom):
            for h in numba.prange(n):
                profile[h] = profile[h] * N_LEVELS + level[h, f] - (use_early and early[h, f] and level[h, f] == LIGHT)
    for d in range(n_dom):  # domain by domain: the columns are contiguous
        for h in numba.prange(n):
            lv = level[h, d]
            kind = 1 if use_risk and high_risk[h, d] else 0
            # Detected early: in light support, but the problem keeps the hazards of its own
            # severity (emerging). Its 'escalation' is the severity catching up (an ordinary L2
            # from then on), its 'de-escalation' the problem going away (back to self-reliant).
            ahead = detecting = False
            if use_early:
                ahead = lv == LIGHT and early[h, d]
                detecting = lv == EMERGING and use_contact and contact[h] >= 0
            severity = EMERGING if ahead else lv
            up = table[kind, d, severity, UP]
            down = table[kind, d, severity, DOWN]
            recover = table[kind, d, severity, RECOVER]
            natural_up = zero  # the up-hazard without contact (set for contacted households)
            if modified:
                if use_cascade:
                    up *= cascade[d, profile[h]]
                if use_age:
                    up *= up_by_age[min(int(head_age[h]), top_age), d]
                if use_youth and d == YOUTH and lv == 0 and n_children[h] == 0:
                    up = zero
                if use_inherited:
                    up *= inherited[h, d]
                if use_contact and contact[h] >= 0:
                    row = contact[h]
                    natural_up = max(min(up, one - down - recover), zero)
                    up *= contact_effect[row, UP, d, lv]
                    down *= contact_effect[row, DOWN, d, lv]
                    recover *= contact_effect[row, RECOVER, d, lv]
                if use_waiting and waiting_since[h, d] >= 0:
                    up *= crisis_factor
                # Modifiers scale probabilities; keep every row a distribution (escalation gives way).
                up = max(min(up, one - down - recover), zero)
            r = u[h, d]
            if not use_early:
                # One uniform, three adjacent intervals: [0, up) up, then down, then recover.
                moved_up = r < up
                go_up[h, d] = moved_up
                r -= up
                moved_down = (r >= zero) & (r < down)
                r -= down
                new[h, d] = 0 if (r >= zero) & (r < recover) else lv + moved_up - moved_down
                continue
            if detecting:
                # Contact at an emerging level: the natural move up, then down and recover, then
                # the extra moves up that only contact brings about (early detection), which are
                # taken from the households that would otherwise have stayed.
                natural = min(natural_up, up)
                moved_up = r < natural
                r -= natural
                moved_down = (r >= zero) & (r < down)
                r -= down
                solved = (r >= zero) & (r < recover)
                r -= recover
                detected = (r >= zero) & (r < up - natural)
                moved_up = moved_up or detected
            else:
                moved_up = r < up
                r -= up
                moved_down = (r >= zero) & (r < down)
                r -= down
                solved = (r >= zero) & (r < recover) or (ahead and moved_down)
                detected = False
            caught_up = ahead and moved_up  # the severity reaches light: an ordinary L2 from now on
            go_up[h, d] = moved_up and not caught_up
            now = 0 if solved else lv + (moved_up and not caught_up) - moved_down
            new[h, d] = now
            if use_early:
                early[h, d] = now == LIGHT and ((ahead and not caught_up) or detected)
