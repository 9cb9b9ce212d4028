"""Generations: children carry their parents' problems into the households they form.

While at home, a child accumulates months lived with its household at maatwerk level or above,
per domain. When it leaves, its new household's onset and escalation hazards are multiplied by
1 + transmission[d] * (share of childhood months exposed in domain d), for good. Defaults come
from causal estimates, not raw correlations (domain.md; parameter `generations.transmission`).
"""
from __future__ import annotations

import numpy as np

from ..levels import Level, MULTIPROBLEM_DOMAINS


def apply(hz, households) -> None:
    hz.up *= households.inherited


def accumulate_exposure(households, children) -> None:
    if not len(children):
        return
    heavy_domains = np.zeros(len(children), np.int8)
    for d in range(households.level.shape[1]):  # 1-D gathers: the levels are domain-major
        at_maatwerk = households.level[:, d][children.hh] >= Level.MAATWERK
        children.exposure[:, d] += at_maatwerk
        heavy_domains += at_maatwerk
    children.months_home[:] += 1
    children.mp_months[:] += heavy_domains >= MULTIPROBLEM_DOMAINS


def inheritance(children, rows, params, *, enabled: bool):
    """For children leaving home: (hazard multipliers, grew up multi-problem, grew up exposed to
    maatwerk-level problems). Both flags use the same share-of-childhood threshold."""
    months = np.maximum(children.months_home[rows], 1.0)
    share = children.exposure[rows] / months[:, None]
    threshold = params["generations.childhood_mp_share"]
    childhood_mp = children.mp_months[rows] / months >= threshold
    exposed = share.max(axis=1) >= threshold
    if not enabled:
        return np.ones_like(share), childhood_mp, exposed
    tau = np.asarray(params["generations.transmission"], np.float32)
    return (1.0 + tau * share).astype(np.float32), childhood_mp, exposed
