"""The threaded builds of the per-household kernels give the serial builds' numbers, bit for bit
(sim/model/kernels.py): a run where every kernel takes its parallel build equals a run where
none does, month by month and column by column."""
import numba
import numpy as np
import pytest

import sim.model.kernels as kernels
from sim.model import PreventionModel

BUSY = {"levers.prevention.per_household": 150.0, "gate.fte_per_1000_households": 0.2}


def _run(monkeypatch, parallel_from: int):
    monkeypatch.setattr(kernels, "PARALLEL_FROM", parallel_from)
    model = PreventionModel(BUSY, households=12_000, seed=11, burn_in_years=1)
    model.run_years(3)
    return model


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="one numba thread: no parallel build to compare")
def test_parallel_builds_give_the_serial_numbers(monkeypatch):
    taken = []
    real = kernels.PerHousehold.rows
    monkeypatch.setattr(kernels.PerHousehold, "rows", lambda self, n: taken.append(real(self, n)) or taken[-1])
    serial = _run(monkeypatch, 10**12)
    assert taken and all(k.__name__.endswith("_parallel") is False for k in taken)
    taken.clear()
    parallel = _run(monkeypatch, 0)
    names = {k.__name__ for k in taken}
    assert names == {k.parallel.__name__ for k in _kernels()}, names  # every threaded kernel ran
    a, b = serial.dataframe(), parallel.dataframe()
    assert a.shape == b.shape and a.equals(b)
    assert (a["gate__queue"] > 0).any() and (a["prevention__contacted"] > 0).any()  # the busy paths ran
    for name in serial.hh.schema:
        np.testing.assert_array_equal(getattr(serial.hh, name), getattr(parallel.hh, name), err_msg=name)
    for name in serial.children.schema:
        np.testing.assert_array_equal(getattr(serial.children, name), getattr(parallel.children, name), err_msg=name)


def _kernels():
    from sim.model import episodes, reporters
    from sim.model.rules import demography, generations, hazards, pathway

    return [hazards._transition, reporters._household_census, reporters._transitions, pathway._route,
            generations._accumulate, episodes._update, demography._age_heads]


def test_threads_only_for_big_populations_with_threads_to_spare(monkeypatch):
    kernel = _kernels()[0]
    monkeypatch.setattr(numba, "get_num_threads", lambda: 2)
    assert kernel.rows(kernels.PARALLEL_FROM) is kernel.parallel
    assert kernel.rows(kernels.PARALLEL_FROM - 1) is kernel.serial
    monkeypatch.setattr(numba, "get_num_threads", lambda: 1)
    assert kernel.rows(10**8) is kernel.serial
