"""Per-domain monthly hazards: the plain Markov chain every other mechanism modifies.

From level l a household moves up one level (onset at 0, escalation above), down one level
(de-escalation), or straight back to self-reliant (recovery, from level 2 up). One uniform
draw per household per domain decides; with no modifier this is exactly the chain of
`Parameters.transition_matrix`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..levels import N_LEVELS



@dataclass
class Hazards:
    up: np.ndarray  # [household, domain] probability of moving one level up this month
    down: np.ndarray
    recover: np.ndarray


def base(level: np.ndarray, params) -> Hazards:
    """Gather each household's hazards from its level, one contiguous 1-D take per domain."""
    n, n_dom = level.shape
    hz = Hazards(*(np.empty((n, n_dom), np.float32, order="F") for _ in range(3)))
    table = params.hazard_table.reshape(n_dom, N_LEVELS, 3)
    for d in range(n_dom):
        column = level[:, d].astype(np.intp)  # cast once, not in each of the three takes
        for k, target in enumerate((hz.up, hz.down, hz.recover)):
            np.take(table[d, :, k], column, out=target[:, d], mode="clip")  # levels are 0-4: no bounds check
    return hz


def clip(hz: Hazards) -> None:
    """Modifiers scale probabilities; keep every row a distribution (escalation gives way)."""
    np.minimum(hz.up, 1.0 - hz.down - hz.recover, out=hz.up)
    np.maximum(hz.up, 0.0, out=hz.up)


def nonzero(mask: np.ndarray):
    """(rows, domains) where a [household, domain] mask is set, ordered by household.
    Column by column, because the layout is domain-major."""
    rows = [np.flatnonzero(mask[:, d]) for d in range(mask.shape[1])]
    h = np.concatenate(rows)
    d = np.repeat(np.arange(mask.shape[1]), [len(r) for r in rows])
    order = np.argsort(h, kind="stable")
    return h[order], d[order]


def draw(level: np.ndarray, hz: Hazards, u: np.ndarray):
    """Apply one draw per household and domain; returns (new level, moved up, recovered)."""
    go_up = u < hz.up
    u = u - hz.up  # u is now uniform on the rest of the row
    go_down = (u >= 0) & (u < hz.down)
    u -= hz.down
    go_recover = (u >= 0) & (u < hz.recover)
    new = level + go_up.view(np.int8) - go_down.view(np.int8)
    new[go_recover] = 0
    return new, go_up, go_recover
