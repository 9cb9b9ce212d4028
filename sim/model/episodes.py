"""Care episodes: when a household's need in a domain begins and ends, and for how long.

Register statistics count *episodes of receiving care* — a bijstand benefit, a jeugdhulp
trajectory, a Wmo provision, a registered problem debt — not the model's level changes: a
household that moves between maatwerk and specialist care stays in one episode. An episode in
domain d is a spell with level >= `EPISODE_FROM[d]`. It is read from the levels at the end of
each month, after every rule, so episodes that end through demography (the last child leaves,
the pension age) are counted too; households that leave the population take their open
episode with them uncounted (censored).

Each month reports, per domain: entries, re-entries (an entry within 12 months of the end of
the household's previous episode), exits, the summed length of the episodes that ended and how
many lasted over one and two years, and the open episodes by their length so far (over one,
two and five years) — the inflow, outflow, duration and re-entry figures of CBS and Divosa.
"""
from __future__ import annotations

import numba
import numpy as np

from ..outcomes import EPISODE_FLOWS, EPISODE_STOCKS
from .kernels import per_household
from .levels import DOMAIN_KEYS, EPISODE_FROM

COUNTS = EPISODE_FLOWS + EPISODE_STOCKS  # the kernel's order of counts per domain
KEYS = [f"episode__{dn}__{what}" for dn in DOMAIN_KEYS for what in COUNTS]
REENTRY_MONTHS = 12
_FROM = np.asarray(EPISODE_FROM, np.int8)


def update(households, month: int) -> dict:
    """Open and close episodes from the end-of-month levels; the month's counts by KEYS."""
    out = np.zeros((len(DOMAIN_KEYS), len(COUNTS)), np.int64)
    _update.rows(len(households))(households.buffer("level"), len(households), households.buffer("episode_start"),
            households.buffer("episode_end"), _FROM, month, out)
    return dict(zip(KEYS, out.ravel().tolist()))


@per_household
def _update(level, n, start, end, threshold, month, out):
    for d in range(level.shape[1]):
        entries = reentries = exits = ended_months = ended_1y = ended_2y = 0
        stock = over_1y = over_2y = over_5y = 0
        for h in numba.prange(n):
            inside = level[h, d] >= threshold[d]
            began = start[h, d]
            if inside:
                if began < 0:
                    began = month
                    start[h, d] = month
                    entries += 1
                    reentries += (end[h, d] >= 0) & (month - end[h, d] <= REENTRY_MONTHS)
                length = month - began
                stock += 1
                over_1y += length > 12
                over_2y += length > 24
                over_5y += length > 60
            elif began >= 0:
                length = month - began
                exits += 1
                ended_months += length
                ended_1y += length > 12
                ended_2y += length > 24
                start[h, d] = -1
                end[h, d] = month
        counts = (entries, reentries, exits, ended_months, ended_1y, ended_2y, stock, over_1y, over_2y, over_5y)
        for k in range(len(counts)):
            out[d, k] = counts[k]
