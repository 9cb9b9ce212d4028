"""One way to derive seeds, for every study.

Every random stream of a study is ``SeedSequence(root, spawn_key=path)``: the study's root seed
(``run.seed`` of the experiment, ``seed`` of a calibration or sweep design) and a path that
names the stream. A stream's numbers therefore depend only on the root and its path, never on
the order in which runs are started or on how many workers run them.

The paths in use (a new stream takes a new path, so no two streams coincide):

    (r,)            replication r of a model run: every scenario, both arms of a virtual trial,
                    baseline and scenario of a sweep row (common random numbers)
    (r, 1)          replication r's quantiles of the bought interventions' effects
    (wave, 0, draw) calibration: the Sobol design of a wave (draw = redraw number)
    (wave, 1, r)    calibration: replication r of every parameter set of a wave; wave 0 is the
                    evaluation of given sets and the check of defaults against the posterior mean
"""
from __future__ import annotations

import numpy as np


def stream(root: int, *path: int) -> np.random.SeedSequence:
    """The seed sequence of the stream named `path` under `root`."""
    return np.random.SeedSequence(root, spawn_key=tuple(int(p) for p in path))


def replication_seed(root: int, replication: int) -> np.random.SeedSequence:
    """Replication `replication` of a model run, the same for every scenario (common random numbers)."""
    return stream(root, replication)


def effect_quantile_rng(root: int, replication: int) -> np.random.Generator:
    """Replication `replication`'s draws of intervention effect quantiles, shared by every scenario."""
    return np.random.default_rng(stream(root, replication, 1))


def integer_seed(root: int, *path: int) -> int:
    """A stream as one 32-bit integer, for simulators that take an int seed."""
    return int(stream(root, *path).generate_state(1, np.uint32)[0])
