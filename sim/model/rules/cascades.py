"""Cascades: a problem in one domain raises the onset and escalation hazards in the others.

multiplier[h, to] = 1 + sum_from matrix[from, to] * level[h, from] / 4, so a domain at
specialist level adds its full row, an emerging problem a quarter of it. Debt drives the rest
(seed 004), which the default matrix encodes in its finance row.
"""
from __future__ import annotations

import itertools

import numpy as np

from ..levels import N_DOMAINS, N_LEVELS


def profile_codes(n_domains: int = N_DOMAINS) -> np.ndarray:
    """[profile, domain] levels of every level profile, profile = sum_d level_d * 5^(n-1-d)."""
    return np.array(list(itertools.product(range(N_LEVELS), repeat=n_domains)), np.int64)


def multipliers(params) -> np.ndarray:
    """[to-domain, level profile] up-hazard multipliers, for `hazards.transition`.

    The multiplier depends only on the household's levels in all domains, and there are just
    5^4 = 625 level profiles: one small table lookup per household and domain replaces four
    multiply-adds (a third of the month's hazard pass at 2 million households)."""
    severity = profile_codes(len(params.cascade)) / (N_LEVELS - 1)
    return np.ascontiguousarray((1.0 + severity @ np.asarray(params.cascade, float)).T, np.float32)
