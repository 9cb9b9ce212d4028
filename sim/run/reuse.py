"""What one worker process keeps between the runs it is given: burn-in snapshots and finished
runs with their cost ledgers, so that runs which are the same simulation are simulated once
(sim/model/burn_in.py says which those are), and a run that differs only in its prices is booked
again rather than simulated (sim/model/costs.py: reprice).

Results never depend on it: a cached answer is bit-identical to a computed one (tests), so the
numbers do not change with the number of workers or the order tasks reach them; only the time
does. Memory is bounded per process; a snapshot too big for the bound is neither taken nor kept.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: Above this population a snapshot is not taken (8.2 M households would copy 1.4 GB).
LARGEST_SHARED_POPULATION = 1_000_000


class BoundedCache(MutableMapping):
    """Least recently used entries go first once their sizes add up to more than `max_bytes`."""

    def __init__(self, max_bytes: int, size_of: Callable[[Any], int]):
        self.max_bytes, self.size_of = int(max_bytes), size_of
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0

    def __getitem__(self, key):
        try:
            value, _ = self._items[key]
        except KeyError:
            self.misses += 1
            raise
        self._items.move_to_end(key)
        self.hits += 1
        return value

    def __contains__(self, key) -> bool:
        return key in self._items

    def __setitem__(self, key, value) -> None:
        size = int(self.size_of(value))
        if size > self.max_bytes:
            return
        if key in self._items:
            del self[key]
        self._items[key] = (value, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            self.__delitem__(next(iter(self._items)))

    def __delitem__(self, key) -> None:
        _, size = self._items.pop(key)
        self.bytes -= size

    def clear(self) -> None:
        self._items.clear()
        self.bytes = self.hits = self.misses = 0

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class FinishedRun:
    """A run's monthly outputs, what their euros were computed from, and at which prices."""

    frame: pd.DataFrame
    ledger: list  # costs.MonthCosts per month
    prices: tuple  # burn_in.prices of the run

    @property
    def nbytes(self) -> int:
        return int(self.frame.memory_usage(index=True, deep=False).sum()) + sum(m.nbytes for m in self.ledger)

    def at(self, params) -> pd.DataFrame:
        """The run's outputs at `params`' prices (a copy: the cache keeps its own)."""
        from ..model.burn_in import prices
        from ..model.costs import reprice

        if prices(params) == self.prices:
            return self.frame.copy()
        return reprice(self.frame, self.ledger, params)


burn_ins = BoundedCache(256 * 2**20, lambda snapshot: snapshot.nbytes)
finished_runs = BoundedCache(64 * 2**20, lambda run: run.nbytes)


def clear() -> None:
    """Forget everything (tests, and a bench that wants to time the simulation itself)."""
    burn_ins.clear()
    finished_runs.clear()
