"""A resolved sweep as a design and as tasks: one task per design row (key ``run-NNNNNN``, from the
design's run index), then the one-way runs of the tornado chart.

Why keys come from the run index: the design for 2n starts with the rows of the design for n,
so a store of the smaller sweep holds valid runs of the larger one under the same keys.
"""
from __future__ import annotations

from collections.abc import Mapping

__all__ = ["bounds_of", "make_design", "block_size", "replication_of", "run_key", "oneway_rows",
           "evaluation_kwargs", "make_tasks"]


def bounds_of(spec: Mapping) -> dict[str, tuple[float, float]]:
    return {k: (float(p["range"][0]), float(p["range"][1])) for k, p in spec["parameters"].items()}


def make_design(spec: Mapping):
    from . import sample

    bounds = bounds_of(spec)
    if spec["method"] == "sobol":
        return sample.saltelli(bounds, spec["n"], seed=spec["seed"], calc_second_order=spec["calc_second_order"])
    return sample.morris(bounds, spec["n"], seed=spec["seed"], levels=spec["levels"])


def block_size(spec: Mapping) -> int:
    """Rows per Saltelli block (one base point) or per Morris trajectory."""
    k = len(spec["parameters"])
    if spec["method"] == "morris":
        return k + 1
    return 2 * k + 2 if spec["calc_second_order"] else k + 2


def tasks_per_batch(spec: Mapping) -> int:
    """A worker takes a whole block at a time: the block's rows share their burn-in and, for
    parameters a baseline never reads, their baseline (sim/run/reuse.py), so a worker given the
    block simulates those once instead of each worker simulating them again."""
    return block_size(spec)


def replication_of(spec: Mapping, run: int) -> int:
    """The model replication (hence seed) of design row ``run``: 0 for every row under common
    random numbers, one per block under ``seeding = "per_block"``."""
    return 0 if spec["seeding"] == "common" else int(run) // block_size(spec)


def run_key(run: int) -> str:
    return f"run-{int(run):06d}"


def oneway_rows(spec: Mapping) -> list[tuple[str, dict]]:
    """(key, row) of the one-way runs: every parameter at its low and high bound, others at defaults."""
    if not spec["oneway"]:
        return []
    rows = [("oneway__reference", {})]
    for key, p in spec["parameters"].items():
        rows.append((f"oneway__{key}__low", {key: float(p["range"][0])}))
        rows.append((f"oneway__{key}__high", {key: float(p["range"][1])}))
    return rows


def evaluation_kwargs(spec: Mapping) -> dict:
    """The keyword arguments of :func:`sim.sensitivity.model.evaluate` that every run shares."""
    e = spec["experiment"]
    return {
        "parameters": {k: {"scale": p["scale"], "integer": p["integer"], "applies_to": p["applies_to"]}
                       for k, p in spec["parameters"].items()},
        "baseline": {"name": e["baseline"], "overrides": spec["base_overrides"]["baseline"]},
        "scenario": {"name": e["scenario"], "overrides": spec["base_overrides"]["scenario"]},
        "households": e["households"],
        "start_year": e["start_year"],
        "years": e["years"],
        "seed": e["seed"],
        "discount_rate": e["discount_rate"],
        "defaults": {k: p["default"] for k, p in spec["parameters"].items() if p["scale"]},
    }


def make_tasks(spec: Mapping, design) -> list:
    """One Task per design row (key ``run-NNNNNN`` from the design's run index), then the one-way runs."""
    from ..run.executor import Task

    common = evaluation_kwargs(spec)
    tasks = []
    for run, row in zip(design.index, design.to_dict("records")):
        tasks.append(Task(run_key(run), {**common, "row": {k: float(v) for k, v in row.items()},
                                         "replication": replication_of(spec, run)}))
    for key, row in oneway_rows(spec):
        tasks.append(Task(key, {**common, "row": row, "replication": 0}))
    return tasks
