"""Compiled passes of demography's yearly events (rules/demography.py: `step`).

The events draw from the demography stream in numpy, in a fixed order and with sizes that depend
on what the previous event left; these kernels do the work between two draws, each in one pass
over the rows it concerns. They take the draws as arrays and give exactly what the numpy
expressions they replaced gave (tests/test_life_events.py runs busy months through both): the
draws, their order and their sizes are those of the numpy step, so every run is bit-identical.
"""
from __future__ import annotations

import numba
import numpy as np

from ..levels import EMERGING, LIGHT

ADULT_AGE = 18.0  # an adult child can take over a household
MAX_AGE = 130  # the last whole year of age of the rate tables


@numba.njit(cache=True, nogil=True)
def whole_year(age) -> int:
    return min(int(age), MAX_AGE)


@numba.njit(cache=True, nogil=True)
def deaths_and_departures(turn, head_age, partner, death, u_death, u_out, out_rate, remove, orphaned, turn_years):
    """Deaths of heads and partners (a surviving partner takes over as head), then out-migration
    of whole households that did not lose their last adult. Marks `remove` and `orphaned`, fills
    `turn_years` (head age before any takeover by a child); returns (deaths, rows gone, rows
    orphaned), rows in turn order."""
    gone = np.empty(len(turn), np.int64)
    orphaned_rows = np.empty(len(turn), np.int64)
    n_gone = n_orphaned = deaths = 0
    for i in range(len(turn)):
        r = turn[i]
        years = whole_year(head_age[r])
        turn_years[i] = years
        q = death[years]
        partnered = partner[r]
        head_dies = u_death[i, 0] < q
        partner_dies = partnered and u_death[i, 1] < q
        takes_over = head_dies and partnered and not partner_dies
        deaths += head_dies + partner_dies
        if partner_dies or takes_over:
            partner[r] = False
        last_adult_died = head_dies and not takes_over
        if last_adult_died:
            orphaned[r] = True
            orphaned_rows[n_orphaned] = r
            n_orphaned += 1
        elif u_out[i] < out_rate:
            remove[r] = True
            gone[n_gone] = r
            n_gone += 1
    return deaths, gone[:n_gone], orphaned_rows[:n_orphaned]


@numba.njit(cache=True, nogil=True)
def settle_orphans(orphaned_rows, orphaned, home, child_age, head_age, child_keep, remove):
    """The oldest adult child (the first of equal ages) takes over a household whose last adult
    died; the others are dissolved and their children, all minors, are returned (in row order)
    to be rehomed. Returns (households dissolved, minor children)."""
    best = np.full(len(orphaned_rows), -1, np.int64)
    for c in range(len(home)):
        h = home[c]
        if orphaned[h] and child_age[c] >= ADULT_AGE:
            s = np.searchsorted(orphaned_rows, h)
            if best[s] < 0 or child_age[c] > child_age[best[s]]:
                best[s] = c
    dissolved = 0
    for s in range(len(orphaned_rows)):
        h = orphaned_rows[s]
        heir = best[s]
        if heir >= 0:
            head_age[h] = child_age[heir]
            child_keep[heir] = False
            orphaned[h] = False
        else:
            remove[h] = True
            dissolved += 1
    n_minors = 0
    for c in range(len(home)):
        n_minors += orphaned[home[c]]
    minors = np.empty(n_minors, np.int64)
    i = 0
    for c in range(len(home)):
        if orphaned[home[c]]:
            minors[i] = c
            i += 1
    return dissolved, minors


@numba.njit(cache=True, nogil=True)
def births(turn, turn_years, partner, remove, birth_couple, birth_single, u_birth):
    """Rows of households in turn, not leaving, that have a baby this month."""
    born = np.empty(len(turn), np.int64)
    k = 0
    for i in range(len(turn)):
        r = turn[i]
        p = birth_couple[turn_years[i]] if partner[r] else birth_single[turn_years[i]]
        if not remove[r] and u_birth[i] < p:
            born[k] = r
            k += 1
    return born[:k]


@numba.njit(cache=True, nogil=True)
def leave_home_candidates(turn, remove, n, home, child_age, child_keep, leave_home):
    """Children still at home in a household in turn that stays, with their yearly probability
    of leaving home."""
    in_turn = np.zeros(n, np.bool_)
    for r in turn:
        in_turn[r] = not remove[r]
    k = 0
    for c in range(len(home)):
        k += child_keep[c] and in_turn[home[c]]
    candidates = np.empty(k, np.int64)
    p_leave = np.empty(k, np.float64)
    i = 0
    for c in range(len(home)):
        if child_keep[c] and in_turn[home[c]]:
            candidates[i] = c
            p_leave[i] = leave_home[whole_year(child_age[c])]
            i += 1
    return candidates, p_leave


@numba.njit(cache=True, nogil=True)
def singles(turn, remove, partner, head_age):
    """Single heads of working age (20 to 60) in households in turn that stay."""
    out = np.empty(len(turn), np.int64)
    k = 0
    for r in turn:
        if not remove[r] and not partner[r] and head_age[r] >= 20 and head_age[r] < 60:
            out[k] = r
            k += 1
    return out[:k]


@numba.njit(cache=True, nogil=True)
def couples(turn, remove, partner):
    """Couples in households in turn that stay."""
    out = np.empty(len(turn), np.int64)
    k = 0
    for r in turn:
        if not remove[r] and partner[r]:
            out[k] = r
            k += 1
    return out[:k]


# (long: one pass per pair over every column a merged household keeps; the rules are the
# partnering paragraph of the ODD, 7.3, one line each)
@numba.njit(cache=True, nogil=True)
def merge_couples(stay, move, partner, level, detected_early, high_risk, episode_start, episode_end, inherited,
                  latent, contact_until, programme, programme_start, remove):
    """The household `move[i]` moves in with `stay[i]`. Per domain the higher level survives; it
    is 'detected early' when it is light support and the worse of the two problems is still only
    emerging. A care episode goes on, begun when the earlier one began. The household that stays
    keeps its own programme, or takes the mover's. The movers are marked in `remove`."""
    n_dom = level.shape[1]
    for i in range(len(stay)):
        s, m = stay[i], move[i]
        partner[s] = True
        for d in range(n_dom):
            ls, lm = level[s, d], level[m, d]
            severity = max(ls - (detected_early[s, d] and ls == LIGHT), lm - (detected_early[m, d] and lm == LIGHT))
            merged = max(ls, lm)
            level[s, d] = merged
            detected_early[s, d] = merged == LIGHT and severity == EMERGING
            high_risk[s, d] = high_risk[s, d] or high_risk[m, d]
            a, b = episode_start[s, d], episode_start[m, d]  # -1: none
            episode_start[s, d] = min(a, b) if a >= 0 and b >= 0 else max(a, b)
            episode_end[s, d] = max(episode_end[s, d], episode_end[m, d])
            inherited[s, d] = max(inherited[s, d], inherited[m, d])
            latent[s, d] = latent[s, d] or latent[m, d]
        contact_until[s] = max(contact_until[s], contact_until[m])
        if programme[s] < 0 and programme[m] >= 0:
            programme[s] = programme[m]
            programme_start[s] = programme_start[m]
        remove[m] = True


@numba.njit(cache=True, nogil=True)
def follow_movers(stay, move, n, home, born):
    """Children of a household that moved in, and this month's babies born there, now live in
    the household it moved in with."""
    order = np.argsort(move)
    moves = move[order]
    stays = stay[order]
    moving = np.zeros(n, np.bool_)
    for m in move:
        moving[m] = True
    for c in range(len(home)):
        h = home[c]
        if moving[h]:
            home[c] = stays[np.searchsorted(moves, h)]
    for i in range(len(born)):
        if moving[born[i]]:
            born[i] = stays[np.searchsorted(moves, born[i])]


@numba.njit(cache=True, nogil=True)
def children_leaving(child_keep, home, remove) -> int:
    """Children who leave with their household (out-migration): dropped from `child_keep`, and
    counted."""
    leaving = 0
    for c in range(len(home)):
        if child_keep[c] and remove[home[c]]:
            child_keep[c] = False
            leaving += 1
    return leaving
