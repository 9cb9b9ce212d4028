"""The calibrated parameters as the method sees them: a uniform or log-uniform prior per dotted
name, and its map from the unit cube (where designs and boxes live) to parameter values.

Reading priors from a calibration config, with its checks against the documented ranges, is
:mod:`sim.calibrate.config_priors`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Prior", "normalise_priors", "priors_from_params", "unit_to_params"]


@dataclass(frozen=True)
class Prior:
    """A uniform (or log-uniform) prior on one parameter, addressed by its dotted path."""

    name: str
    low: float
    high: float
    log: bool = False

    def __post_init__(self):
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"prior {self.name!r}: need finite low < high, got ({self.low}, {self.high})")
        if self.log and self.low <= 0:
            raise ValueError(f"prior {self.name!r}: a log-uniform prior needs low > 0, got {self.low}")

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, float)
        if self.log:
            a, b = math.log(self.low), math.log(self.high)
            return np.exp(a + u * (b - a))
        return self.low + u * (self.high - self.low)

    def to_unit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        if self.log:
            a, b = math.log(self.low), math.log(self.high)
            return (np.log(x) - a) / (b - a)
        return (x - self.low) / (self.high - self.low)

    def as_dict(self) -> dict:
        return {"name": self.name, "low": self.low, "high": self.high, "log": self.log}


def unit_to_params(priors: Sequence[Prior], U: np.ndarray) -> list[dict[str, float]]:
    """One ``{name: value}`` per row of unit-cube points ``U`` (columns in prior order)."""
    return [{p.name: float(p.from_unit(U[i, j])) for j, p in enumerate(priors)} for i in range(len(U))]


def normalise_priors(priors: Mapping[str, Any] | Sequence[Prior]) -> list[Prior]:
    """Accept ``{name: (low, high)}``, ``{name: (low, high, "log")}``,
    ``{name: {"low":…, "high":…, "log": bool}}`` or a list of :class:`Prior`."""
    out = [_prior(name, spec) for name, spec in priors.items()] if isinstance(priors, Mapping) else list(priors)
    if not out:
        raise ValueError("no priors given")
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate prior names: {names}")
    return out


def _prior(name, spec) -> Prior:
    if isinstance(spec, Prior):
        return spec
    if isinstance(spec, Mapping):
        return Prior(str(name), float(spec["low"]), float(spec["high"]), bool(spec.get("log", False)))
    spec = tuple(spec)
    if len(spec) == 2:
        return Prior(str(name), float(spec[0]), float(spec[1]))
    if len(spec) == 3 and spec[2] in ("log", "log-uniform", True):
        return Prior(str(name), float(spec[0]), float(spec[1]), True)
    raise ValueError(f"prior {name!r}: expected (low, high) or (low, high, 'log'), got {spec!r}")


def priors_from_params(keys: Sequence[str], *, log: Sequence[str] = (), leaves: Mapping | None = None) -> list[Prior]:
    """Uniform priors from the ``range`` of scalar parameters in ``sim/params`` (dotted keys).

    Vector parameters are refused: their ``range`` may mean a multiplier on the whole vector
    (e.g. ``hazards.*.escalate``), which only the parameter module can apply; give such priors
    explicitly and map them in ``simulate``. ``log`` lists keys to sample log-uniformly.
    """
    if leaves is None:
        from ..params import default_leaves
        leaves = default_leaves()
    out = []
    for k in keys:
        if k not in leaves:
            raise KeyError(f"unknown parameter {k!r}")
        leaf = leaves[k]
        if leaf.range is None or len(leaf.range) != 2:
            raise ValueError(f"parameter {k!r} has no (low, high) range")
        if isinstance(leaf.value, (list, tuple, dict)) or isinstance(leaf.value, bool):
            raise ValueError(f"parameter {k!r} is not a scalar; give its prior explicitly")
        out.append(Prior(k, float(leaf.range[0]), float(leaf.range[1]), k in set(log)))
    return out
