"""`sim bench`: the speed figures and their targets. Speed targets live here, never in tests.

    reference     one simulation timed; with --bare beside an idiomatic object-per-household Mesa model
    sweep         the Sobol sweep timed on its own machinery: K evaluations extrapolated, or in full
    dask_scaling  one Dask worker against two on the same evaluations
    record        docs/bench-record.json: the last full (long) measurements, with their dates
    table         the four figures beside their targets (`make bench`)
    cli           the command line

`from sim import bench; bench.run(households, years, bare=...)` still times one simulation.
"""
from __future__ import annotations

_REFERENCE = ("run", "measure", "report", "MarkovHousehold", "ObjectMarkovModel", "peak_memory_mib")


def __getattr__(name):  # the model (mesa, numba) is imported only when a measurement needs it
    if name in _REFERENCE:
        from . import reference

        return getattr(reference, name)
    raise AttributeError(f"module 'sim.bench' has no attribute {name!r}")
