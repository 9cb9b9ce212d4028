"""Generations: children carry their parents' problems into the households they form.

While at home, a child accumulates months lived with its household in *need* of maatwerk or
more, per domain: at maatwerk level or above, or with a need for maatwerk that is hidden
(non-take-up) or waiting at the gate. Exposure follows the problem, not the help: a family
whose need stays hidden does not protect its children, and outreach that reveals a need does
not by itself raise their risk. When it leaves, its new household's onset and escalation hazards are multiplied by
1 + transmission[d] * (share of childhood months exposed in domain d), for good. Defaults come
from causal estimates, not raw correlations (domain.md; parameter `generations.transmission`).
"""
from __future__ import annotations

import numba
import numpy as np

from ..kernels import per_household
from ..levels import MAATWERK, MULTIPROBLEM_DOMAINS


def accumulate_exposure(households, children) -> None:
    if len(children):
        _accumulate.rows(len(households))(children.hh, households.buffer("level"), households.buffer("latent"),
                    households.buffer("waiting_since"), len(households), children.buffer("exposure"),
                    children.months_home, children.mp_months)


@per_household
def _accumulate(home, level, latent, waiting_since, n, exposure, months_home, mp_months):
    # One byte per household (bit d: need for maatwerk or more in domain d), so each child costs
    # one gather from a small array instead of one from each domain's column.
    n_dom = level.shape[1]
    heavy = np.zeros(n, np.uint8)
    for d in range(n_dom):
        for h in numba.prange(n):
            need = (level[h, d] >= MAATWERK) | latent[h, d] | (waiting_since[h, d] >= 0)
            heavy[h] |= need << d
    for c in numba.prange(len(home)):
        bits = heavy[home[c]]
        domains = 0
        for d in range(n_dom):
            at_maatwerk = (bits >> d) & 1
            exposure[c, d] += at_maatwerk
            domains += at_maatwerk
        months_home[c] += 1
        mp_months[c] += domains >= MULTIPROBLEM_DOMAINS


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
