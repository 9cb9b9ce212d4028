"""One burn-in, several continuations; and which runs are the same simulation.

A baseline and its scenarios share a seed (common random numbers) and, before month 0, every
draw: a lever acts only from month 0 on, so their burn-ins are the same simulation. A sweep or
an experiment can therefore run the burn-in once, keep its `BurnIn`, and start each run from it
(`PreventionModel(params, burn_in=snapshot)`); the continuation is bit-identical to a run that
simulates its own burn-in (tests/test_burn_in.py checks every shipped scenario).

Which runs may share one is decided by `burn_in_key`: everything that decides the burn-in
(population, start year, length, seed, every parameter it can read). Parameters the burn-in
never reads are `BURN_IN_INERT`; that claim is tested by perturbing each family and comparing
the states. Likewise `run_key` names a whole run up to its prices (`PRICES`, which set euros and
nothing else: costs.reprice books a run at other prices) and, for a run without any lever (a
baseline), up to what prevention or a bought intervention would do (`LEVER_FREE_INERT`, never
read there): a sweep varying such a parameter, or only a price, reuses the run it already made.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Parameter families a run without any lever never reads: the lever's own settings and effects,
#: and of latent demand what contact does to take-up and to hidden need (both need a contact).
LEVER_FREE_INERT = ("levers.", "interventions.", "prevention.", "latent_demand.contact_take_up",
                    "latent_demand.reveal")
#: Parameter families no rule reads: they price the months (costs.book), nothing else.
PRICES = ("costs.",)
#: Parameter families the burn-in never reads: no lever acts before month 0 (the levers, what
#: prevention and the bought interventions do, are read from then on) and prices set no state.
BURN_IN_INERT = LEVER_FREE_INERT + PRICES


@dataclass(frozen=True)
class BurnIn:
    """A model's mutable state at month 0, kept apart from any model so it can start several.
    Restoring copies it again, so one snapshot serves any number of continuations."""

    key: str
    households0: int
    start_year: int
    burn_in_months: int
    tick: int
    next_id: int
    households: Any  # population.Table
    children: Any  # population.Table
    age_norm: np.ndarray
    streams: dict  # name -> bit generator state
    keys: tuple  # the keyed uniforms' run keys (pathway, programmes)
    gate_carry: float
    queue: int

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for t in (self.households, self.children) for a in t._data.values())


def seed_identity(seed) -> tuple:
    """What identifies the streams a seed gives: a SeedSequence's entropy, spawn key and how many
    children it has spawned already (a reused sequence spawns new ones), or the int."""
    if isinstance(seed, np.random.SeedSequence):
        return ("seq", repr(seed.entropy), tuple(seed.spawn_key), seed.n_children_spawned)
    return ("int", int(seed))


def _key(params, inert: tuple, *context) -> str:
    read = sorted((k, repr(leaf.value)) for k, leaf in params.leaves.items() if not k.startswith(inert))
    return hashlib.sha256(repr((read, *context)).encode()).hexdigest()[:24]


def burn_in_key(params, *, households: int, start_year: int, burn_in_months: int, seed) -> str:
    """The same key for two runs exactly when their burn-ins are the same simulation. `seed` is
    the run's seed or its `seed_identity`."""
    identity = seed if isinstance(seed, tuple) else seed_identity(seed)
    return _key(params, BURN_IN_INERT, int(households), int(start_year), int(burn_in_months), identity)


def lever_free(params) -> bool:
    """No euro and no participant is ever spent on prevention or a catalogue intervention."""
    budget = params.budget
    spends = (budget.per_household > 0 or budget.fixed > 0 or any(x > 0 for x in budget.by_year.values())
              or any(lever.active for lever in params.programmes))
    return not (params.switches.prevention and spends)


def run_key(params, *, households: int, start_year: int, burn_in_months: int, months: int, seed) -> str:
    """The same key for two runs of the same length that are the same simulation, perhaps at
    other prices (`PRICES`); for runs without any lever, whatever their lever's own settings."""
    identity = seed if isinstance(seed, tuple) else seed_identity(seed)
    context = (int(households), int(start_year), int(burn_in_months), int(months), identity)
    if lever_free(params):
        return _key(params, LEVER_FREE_INERT + PRICES, "lever-free", *context)
    return _key(params, PRICES, "levers", *context)


def prices(params) -> tuple:
    """What `PRICES` a run was booked at."""
    return tuple(sorted((k, repr(leaf.value)) for k, leaf in params.leaves.items() if k.startswith(PRICES)))


def capture(model, key: str) -> BurnIn:
    """The state of `model`, which must stand at month 0 with no lever ever started."""
    if model.month != 0 or model.prevention_started is not None or model.programmes.enrolled_ever:
        raise ValueError("a burn-in snapshot is taken at month 0, before any lever has acted")
    return BurnIn(key=key, households0=model.households0, start_year=model.start_year,
                  burn_in_months=model.burn_in_months, tick=model.tick, next_id=model.next_id,
                  households=copy.deepcopy(model.hh), children=copy.deepcopy(model.children),
                  age_norm=model.age_norm.copy(),
                  streams={name: copy.deepcopy(g.bit_generator.state) for name, g in model.streams.items()},
                  keys=(model.pathway_key, model.programme_key), gate_carry=model.gate_carry, queue=model.queue)


def restore(model, snapshot: BurnIn) -> None:
    """Put `snapshot` into a freshly built `model` (built for the same key, burn-in not run)."""
    if (snapshot.households0, snapshot.start_year, snapshot.burn_in_months) != (
            model.households0, model.start_year, model.burn_in_months):
        raise ValueError("this burn-in belongs to another population, start year or burn-in length")
    model.tick, model.next_id = snapshot.tick, snapshot.next_id
    model.hh, model.children = copy.deepcopy(snapshot.households), copy.deepcopy(snapshot.children)
    # (age_norm: the constructor takes it from the snapshot itself, as it needs it before this)
    for name, state in snapshot.streams.items():
        model.streams[name].bit_generator.state = copy.deepcopy(state)
    model.pathway_key, model.programme_key = snapshot.keys
    model.gate_carry, model.queue = snapshot.gate_carry, snapshot.queue
