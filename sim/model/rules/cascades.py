"""Cascades: a problem in one domain raises the onset and escalation hazards in the others.

multiplier[h, to] = 1 + sum_from matrix[from, to] * level[h, from] / 4, so a domain at
specialist level adds its full row, an emerging problem a quarter of it. Debt drives the rest
(seed 004), which the default matrix encodes in its finance row.
"""
from __future__ import annotations

import numpy as np


def matrix(params) -> np.ndarray:
    """[from, to] cascade weights, applied by `hazards.transition`."""
    return np.asarray(params.cascade, np.float32)
