"""Keyed uniforms: a random number that belongs to one household, month, domain and purpose.

Rules that draw only for the households an event concerns (a request that may not be asked
for, a hidden need that contact may reveal, a request the gate refers back, an enrolment) used
to take the next number of a sequential stream, so one household's changed fate shifted every
later draw of every household: two scenarios that differ in one family drifted apart everywhere,
and a small intervention's effect drowned in that noise (common random numbers broke). A keyed
uniform is a hash of (run key, household id, month, domain, purpose) — a counter-based generator
in the manner of Random123 (Salmon et al. 2011), with SplitMix64's finaliser (Steele et al. 2014)
as the mixing function — so each household keeps its own draws whatever happens to the others.
"""
from __future__ import annotations

import numba
import numpy as np

TAKE_UP, REVEAL, REFER_BACK, ENROL = 0, 1, 2, 3  # purposes

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@numba.njit(cache=True, nogil=True, inline="always")
def _mix(x):
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@numba.njit(cache=True, nogil=True)
def uniform(key, household_id, tick, domain, purpose):
    """A uniform in [0, 1) for this run key, household id, month, domain and purpose."""
    x = _mix(np.uint64(key) + np.uint64(household_id) * _GOLDEN)
    x = _mix(x + np.uint64(tick) * _GOLDEN)
    x = _mix(x + np.uint64(domain * 16 + purpose) * _GOLDEN)
    return np.float64(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True)
def uniforms(key, household_ids, tick, domains, purpose):
    """Keyed uniforms for many (household id, domain) pairs of one month and purpose."""
    out = np.empty(len(household_ids))
    for i in range(len(household_ids)):
        out[i] = uniform(key, household_ids[i], tick, domains[i], purpose)
    return out


def run_key(rng: np.random.Generator) -> int:
    """The run's key, drawn once from a stream: the same seed gives every scenario the same key."""
    return int(rng.integers(0, 2**63 - 1))
