"""The population as columns: one row per household, children in a second table.

Households and children are numpy arrays, never one Python object each; `Household` is a
read-only view for people who want to inspect one agent. Rows are compacted when households
leave, so a household's row index can change; its `id` never does.
"""
from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from .levels import DOMAINS, LEVELS, MULTIPROBLEM_DOMAINS, N_DOMAINS, Domain, Level

# From this many households on, children are put in their households' order once a year: their
# per-child passes gather from household columns by row, and in a national run (gigabytes of
# columns) gathers from rows scattered by years of appends and compactions cost half as much
# again as ordered ones (docs/performance.md). It changes which child draws which uniform, so
# smaller runs -- calibration, trials, sweeps, every shipped experiment -- are left as they are.
ORDER_CHILDREN_FROM = 1_000_000

# Origin of a household row: how it entered the population.
ORIGIN_INITIAL, ORIGIN_LEFT_HOME, ORIGIN_SEPARATION, ORIGIN_MIGRATION = 0, 1, 2, 3

HOUSEHOLD_COLUMNS = {
    "id": (np.int64, ()),  # stable identity; -1 until the model numbers a new row
    "level": (np.int8, (N_DOMAINS,)),
    "head_age": (np.float32, ()),  # years
    "partner": (np.bool_, ()),
    "generation": (np.int8, ()),  # 0 = present at start or migrated in; children's households +1
    "origin": (np.int8, ()),
    "inherited": (np.float32, (N_DOMAINS,)),  # hazard multiplier carried from childhood (>= 1)
    "childhood_mp": (np.bool_, ()),  # head grew up in a multi-problem household (formed in-run only)
    "childhood_exposed": (np.bool_, ()),  # head grew up with maatwerk-level problems at home (in-run only)
    "spell_start": (np.int32, (N_DOMAINS,)),  # month the current level was entered
    "waiting_since": (np.int32, (N_DOMAINS,)),  # month a gate request was filed, -1 if none
    "latent": (np.bool_, (N_DOMAINS,)),  # need for maatwerk that was not asked for (non-take-up)
    "contact_until": (np.int32, ()),  # last month of a voorliggend-veld contact, -1 if none
    "programme": (np.int8, ()),  # catalogue intervention the household follows (rules/programmes.py), -1 if none
    "programme_start": (np.int32, ()),  # month it enrolled
    "high_risk": (np.bool_, (N_DOMAINS,)),  # latent risk type per domain (rules/hazards.py), for life
    "detected_early": (np.bool_, (N_DOMAINS,)),  # in light support through early detection, ahead of its own severity
    "episode_start": (np.int32, (N_DOMAINS,)),  # month a care episode began (levels.EPISODE_FROM), -1 if none
    "episode_end": (np.int32, (N_DOMAINS,)),  # month the last care episode ended, -1 if none
}

CHILD_COLUMNS = {
    "hh": (np.int64, ()),  # row of the household the child lives in
    "age": (np.float32, ()),  # years
    "exposure": (np.float32, (N_DOMAINS,)),  # months lived with the household in need of maatwerk+ per domain
    "months_home": (np.float32, ()),
    "mp_months": (np.float32, ()),  # months lived in a multi-problem household
}

DEFAULTS = {"id": -1, "waiting_since": -1, "contact_until": -1, "inherited": 1.0, "episode_start": -1,
            "episode_end": -1, "programme": -1, "programme_start": -1}


class Table:
    """Columnar table with amortised appends and compaction by a keep-mask."""

    def __init__(self, schema: dict, capacity: int = 1024):
        self.schema = schema
        self.n = 0
        # Per-domain columns are stored domain-major (Fortran order): rules that work on one
        # domain, or reduce across the four, then touch contiguous memory (~100x faster maxima).
        self._data = {name: np.zeros((max(capacity, 16),) + shape, dtype, order="F") for name, (dtype, shape) in schema.items()}

    def __getattr__(self, name):
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.n]
        raise AttributeError(name)

    def __len__(self):
        return self.n

    def buffer(self, name: str) -> np.ndarray:
        """A column's whole store, spare capacity included, for compiled kernels that loop over
        the first len(table) rows. A [household, domain] column sliced to len(table) rows is not
        contiguous, and numba does not vectorise loops over such arrays (~10x slower)."""
        return self._data[name]

    def append(self, count: int, **values) -> slice:
        """Add `count` rows; columns not given get their default. Returns the new rows' slice."""
        need = self.n + count
        cap = len(self._data["age" if "age" in self._data else "id"])
        if need > cap:
            new_cap = max(need, int(cap * 1.5) + 16)
            for name, arr in self._data.items():
                grown = np.zeros((new_cap,) + arr.shape[1:], arr.dtype, order="F")
                grown[: self.n] = arr[: self.n]
                self._data[name] = grown
        rows = slice(self.n, need)
        for name, arr in self._data.items():
            arr[rows] = values[name] if name in values else DEFAULTS.get(name, 0)
        self.n = need
        return rows

    def order_by(self, name: str) -> None:
        """Put the rows in the (stable) order of a 1-D column, e.g. children by household."""
        order = np.argsort(self._data[name][: self.n], kind="stable")
        for arr in self._data.values():
            arr[: self.n] = arr[: self.n][order]

    def keep(self, mask: np.ndarray) -> "Relocation":
        """Drop rows where mask is False by moving the last kept rows into the holes, so a
        month's removals cost O(removed), not O(population). Row order is not preserved.
        Returns the `Relocation`, to rewrite references to this table's rows."""
        k = int(np.count_nonzero(mask))
        holes, movers = _holes_and_movers(mask, k)
        if len(holes):
            for arr in self._data.values():
                # numpy's row gather of a domain-major column strides across all of its rows
                (_move_rows if arr.ndim == 1 else _move_domain_rows)(arr, holes, movers)
        self.n = k
        return Relocation(mask, k, holes, movers)


@dataclass(frozen=True)
class Relocation:
    """Where `Table.keep` moved rows: the kept rows at or beyond `kept` went into `holes`."""

    mask: np.ndarray  # the keep-mask, by old row
    kept: int
    holes: np.ndarray
    movers: np.ndarray

    def follow(self, refs: np.ndarray) -> None:
        """Rewrite references to rows in place (e.g. children.hh): moved rows to their new row,
        dropped rows to -1."""
        _follow(refs, self.mask, self.kept, self.holes, self.movers)


@numba.njit(cache=True, nogil=True)
def _holes_and_movers(mask, kept):
    n_holes = 0
    for r in range(kept):
        n_holes += not mask[r]
    holes = np.empty(n_holes, np.int64)
    movers = np.empty(n_holes, np.int64)  # as many kept rows beyond `kept` as holes before it
    i = j = 0
    for r in range(len(mask)):
        if r < kept and not mask[r]:
            holes[i] = r
            i += 1
        elif r >= kept and mask[r]:
            movers[j] = r
            j += 1
    return holes, movers


@numba.njit(cache=True, nogil=True)
def _move_rows(column, holes, movers):
    for i in range(len(holes)):
        column[holes[i]] = column[movers[i]]


@numba.njit(cache=True, nogil=True)
def _move_domain_rows(column, holes, movers):
    for d in range(column.shape[1]):
        for i in range(len(holes)):
            column[holes[i], d] = column[movers[i], d]


@numba.njit(cache=True, nogil=True)
def _follow(refs, mask, kept, holes, movers):
    new_row = np.empty(len(mask) - kept, np.int64)
    for i in range(len(movers)):
        new_row[movers[i] - kept] = holes[i]
    for i in range(len(refs)):
        r = refs[i]
        if not mask[r]:
            refs[i] = -1
        elif r >= kept:
            refs[i] = new_row[r - kept]


@dataclass(frozen=True)
class Household:
    """A read-only view of one household agent, for inspection and teaching."""

    id: int
    head_age: float
    partner: bool
    generation: int
    levels: dict
    children_ages: tuple
    waiting_for: tuple
    in_contact: bool
    high_risk_in: tuple = ()  # domains in which the household is of the high-risk latent type

    @property
    def adults(self) -> int:
        return 1 + int(self.partner)

    @property
    def multiproblem(self) -> bool:
        return sum(lv >= Level.MAATWERK for lv in self.levels.values()) >= MULTIPROBLEM_DOMAINS


def household_view(households: Table, children: Table, row: int, month: int) -> Household:
    kids = children.age[children.hh == row]
    return Household(
        id=int(households.id[row]),
        head_age=float(households.head_age[row]),
        partner=bool(households.partner[row]),
        generation=int(households.generation[row]),
        levels={d: Level(int(households.level[row, d])) for d in DOMAINS},
        children_ages=tuple(sorted(float(a) for a in kids)),
        waiting_for=tuple(d for d in DOMAINS if households.waiting_since[row, d] >= 0),
        in_contact=bool(households.contact_until[row] >= month),
        high_risk_in=tuple(d for d in DOMAINS if households.high_risk[row, d]),
    )


# ----------------------------------------------------------------------- starting population
# Share of household heads by age band (15-24, 25-34, 35-44, 45-54, 55-64, 65-74, 75-94).
# Assumption: rounded from CBS StatLine 'Huishoudens; samenstelling, grootte' (2023).
HEAD_AGE_BANDS = np.array([15, 25, 35, 45, 55, 65, 75, 95], dtype=float)
HEAD_AGE_SHARES = np.array([0.05, 0.15, 0.15, 0.18, 0.18, 0.15, 0.14])


def _partner_probability(age):
    """Assumption: share of heads living with a partner, by age (CBS household types, rounded)."""
    return np.interp(age, [18, 25, 35, 50, 65, 75, 90], [0.15, 0.45, 0.7, 0.72, 0.68, 0.55, 0.3])


def _children_probability(age):
    """Assumption: share of households with children at home by head age; ~31% overall (CBS)."""
    return np.interp(age, [20, 28, 35, 45, 52, 58, 65], [0.05, 0.35, 0.72, 0.75, 0.5, 0.2, 0.02])


def high_risk_probability(share: float, odds_ratio: float, single_parent: np.ndarray) -> np.ndarray:
    """P(high-risk type) per household: odds_ratio times the odds for single parents, with the
    baseline odds solved so that the population share is `share` (a logit shift, by bisection)."""
    weight = float(np.mean(single_parent)) if len(single_parent) else 0.0

    def mean_share(base_odds):
        p0, p1 = base_odds / (1 + base_odds), base_odds * odds_ratio / (1 + base_odds * odds_ratio)
        return (1 - weight) * p0 + weight * p1

    lo, hi = 0.0, share / max(1e-12, 1 - share)
    while mean_share(hi) < share:
        hi *= 2
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if mean_share(mid) < share else (lo, mid)
    odds = np.where(single_parent, hi * odds_ratio, hi)
    return odds / (1 + odds)


def draw_risk_types(probability: np.ndarray, correlation: float, rng: np.random.Generator) -> np.ndarray:
    """[household, domain] high-risk flags with the given marginal probabilities [household,
    domain], correlated across domains by a Gaussian copula: each domain's latent risk is
    sqrt(rho) * common + sqrt(1 - rho) * own, both standard normal (a liability-threshold model)."""
    from scipy.special import ndtr

    n, n_dom = probability.shape
    z = rng.standard_normal((n, n_dom + 1))
    latent = np.sqrt(correlation) * z[:, :1] + np.sqrt(1.0 - correlation) * z[:, 1:]
    return ndtr(latent) < probability


def fresh_risk_types(count: int, params, rng: np.random.Generator, single_parent: np.ndarray | None = None):
    """Risk types for `count` new households at the population shares (single parents at the
    odds ratio when `single_parent` is given)."""
    shares = np.asarray(params["heterogeneity.high_risk_share"], float)
    if single_parent is None or not single_parent.any():  # everyone at the population share
        prob = np.broadcast_to(shares, (count, len(shares)))
    else:
        prob = np.stack([high_risk_probability(s, params["heterogeneity.single_parent_odds_ratio"], single_parent)
                         for s in shares], axis=1)
    return draw_risk_types(prob, params["heterogeneity.type_correlation"], rng)


def initial_population(n_households: int, params, rng: np.random.Generator, *, start_month: int = 0):
    """Draw a starting population whose levels follow each domain's equilibrium occupancy.

    With demography off every household is identical but for its levels, so each domain is a
    plain Markov chain started from its stationary distribution (of the household's risk type).
    """
    households = Table(HOUSEHOLD_COLUMNS, int(n_households * 1.2) + 16)
    children = Table(CHILD_COLUMNS, int(n_households * 0.8) + 16)
    band = rng.choice(len(HEAD_AGE_SHARES), size=n_households, p=HEAD_AGE_SHARES / HEAD_AGE_SHARES.sum())
    lo, hi = HEAD_AGE_BANDS[band], HEAD_AGE_BANDS[band + 1]
    age = (lo + (hi - lo) * rng.random(n_households)).astype(np.float32)
    partner = rng.random(n_households) < _partner_probability(age)
    n_kids = np.zeros(n_households, np.int64)
    if params.switches.demography:
        has_children = rng.random(n_households) < _children_probability(age)
        n_kids = np.where(has_children, 1 + rng.binomial(2, 0.4, n_households), 0)
    high_risk = np.zeros((n_households, N_DOMAINS), bool)
    if params.switches.heterogeneity:
        high_risk = fresh_risk_types(n_households, params, rng, single_parent=(n_kids > 0) & ~partner)
    levels = np.empty((n_households, N_DOMAINS), np.int8)
    for d in range(N_DOMAINS):
        levels[:, d] = rng.choice(len(LEVELS), size=n_households, p=params.stationary(d))
        high = high_risk[:, d]
        if high.any():
            levels[high, d] = rng.choice(len(LEVELS), size=int(high.sum()), p=params.stationary(d, high_risk=True))
    if params.switches.demography:  # no bijstand-level work problems after the AOW age
        levels[age >= params["demography.retirement_age"], Domain.WORK] = 0
        levels[n_kids == 0, Domain.YOUTH] = 0  # youth problems need children at home
    households.append(n_households, id=np.arange(n_households), level=levels, head_age=age, partner=partner,
                      spell_start=start_month, high_risk=high_risk)
    if params.switches.demography:
        parent = np.repeat(np.arange(n_households), n_kids)
        oldest_possible = np.clip(age[parent] - 20.0, 0.5, 24.9)
        kid_age = (rng.random(len(parent)) * oldest_possible).astype(np.float32)
        # Assumption: a child's past looks like its household's present (stationary history).
        months = kid_age * 12
        at_maatwerk = (levels[parent] >= Level.MAATWERK)
        mp = at_maatwerk.sum(axis=1) >= 2
        children.append(len(parent), hh=parent, age=kid_age, months_home=months,
                        exposure=at_maatwerk * months[:, None], mp_months=mp * months)
    return households, children
