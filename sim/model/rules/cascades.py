"""Cascades: a problem in one domain raises the onset and escalation hazards in the others.

multiplier[h, to] = 1 + sum_from matrix[from, to] * level[h, from] / 4, so a domain at
specialist level adds its full row, an emerging problem a quarter of it. Debt drives the rest
(seed 004), which the default matrix encodes in its finance row.
"""
from __future__ import annotations

import numpy as np

from ..levels import N_LEVELS


def apply(hz, level: np.ndarray, params) -> None:
    # level.T is a contiguous [domain, household] view of the domain-major levels.
    severity = level.T.astype(np.float32) / (N_LEVELS - 1)
    hz.up *= (1.0 + params.cascade.T.astype(np.float32) @ severity).T
