"""The problem definition, in the EMA Workbench's manner: what a study may vary, and how a
varied value reaches a run. Outcomes are in sim/outcomes.py; scenarios in the experiment config.

An **uncertainty** is a property of the world (a hazard, a transmission rate); a **lever** is
what the council decides (a budget). Both are a :class:`Parameter`: a parameter key of
sim/params, a range, and two explicit choices that used to be two unwritten rules:

* ``kind`` — what a sampled number means:
    ``value``   the number replaces the parameter (a calibration prior, most sweep parameters);
    ``factor``  the number multiplies the run's own value (every element of a list parameter);
    ``element`` the number replaces one element of a list parameter, ``key[i]``.
* ``applies_to`` — which runs of a baseline-scenario pair it is set in:
    ``both``     a property of the world, set in the baseline and the scenario alike;
    ``scenario`` a lever the scenario sets itself (the baseline keeps its own value, or the
                 comparison would vanish);
    ``baseline`` only the counterfactual (rarely wanted; for symmetry).

`sim sweep` reads them from its [parameters."KEY"] tables (sensitivity/model.as_parameter), a
calibration's priors and posterior columns are parameters by name (``key[i]`` an element,
anything else a value; params/posterior.row_overrides), and both turn a sampled row into run
overrides through :func:`overrides`, the one rule.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    VALUE = "value"
    FACTOR = "factor"
    ELEMENT = "element"


class AppliesTo(StrEnum):
    BOTH = "both"
    SCENARIO = "scenario"
    BASELINE = "baseline"


_ELEMENT = re.compile(r"^(?P<key>[^\[\]]+)\[(?P<i>\d+)\]$")


def parse_element(name: str) -> tuple[str, int | None]:
    """``"key[i]"`` -> ``("key", i)``; any other name -> ``(name, None)``. The one reading of
    element names, for sweeps, calibration priors and posterior columns."""
    match = _ELEMENT.match(name)
    return (match.group("key"), int(match.group("i"))) if match else (name, None)


@dataclass(frozen=True)
class Parameter:
    """One varied input of a study."""

    name: str  # a parameter key of sim/params, or key[i] for one element of a list parameter
    low: float = -math.inf  # the range a design samples (infinite: only applied, never sampled)
    high: float = math.inf
    kind: Kind = Kind.VALUE
    applies_to: AppliesTo = AppliesTo.BOTH
    integer: bool = False  # the parameter is a whole number: the applied value is rounded
    log: bool = False  # sampled uniformly on a log scale

    def __post_init__(self):
        if math.isnan(self.low) or math.isnan(self.high) or self.low > self.high:
            raise ValueError(f"parameter {self.name!r}: need low <= high, got ({self.low}, {self.high})")
        if (self.kind is Kind.ELEMENT) != (self.index is not None):
            raise ValueError(f"parameter {self.name!r}: key[i] names exactly the element kind")

    @classmethod
    def from_name(cls, name: str, low: float = -math.inf, high: float = math.inf, **choices) -> "Parameter":
        """`key[i]` is an element, anything else a value unless `kind` says otherwise."""
        kind = Kind.ELEMENT if parse_element(name)[1] is not None else Kind(choices.pop("kind", Kind.VALUE))
        return cls(name, float(low), float(high), kind=kind, **choices)

    @property
    def key(self) -> str:
        """The sim/params key the parameter sets."""
        return parse_element(self.name)[0]

    @property
    def index(self) -> int | None:
        return parse_element(self.name)[1]

    def sets(self, run: str) -> bool:
        """Whether the parameter is set in `run` ("baseline" or "scenario")."""
        return self.applies_to is AppliesTo.BOTH or self.applies_to.value == run

    def applied(self, x: float, base: Any) -> Any:
        """The value the run uses for the sampled number `x`; `base` is the run's own value."""
        x = float(x)
        if self.kind is Kind.FACTOR:
            if isinstance(base, (list, tuple)):
                return _scaled(base, x, self.integer)
            return _whole(float(base) * x, self.integer)
        if self.kind is Kind.ELEMENT:
            values = list(base)
            values[self.index] = _whole(x, self.integer)
            return values
        return _whole(x, self.integer)


def overrides(row: Mapping[str, float], parameters: Mapping[str, Parameter], base: Mapping[str, Any], *,
              run: str = "scenario", defaults: Mapping[str, Any] | None = None) -> dict:
    """Parameter overrides of one run for a sampled `row` ({name: number}): `base` (the run's own
    overrides: experiment, posterior, scenario) with every parameter the run sets laid over it.
    A factor or an element needs the run's own value: from `base`, else `defaults`, else
    sim/params."""
    out = dict(base)
    for name, x in row.items():
        parameter = parameters[name]
        if not parameter.sets(run):
            continue
        own = out.get(parameter.key)
        if own is None and parameter.kind is not Kind.VALUE:
            own = defaults[parameter.key] if defaults is not None and parameter.key in defaults else _default(parameter.key)
        out[parameter.key] = parameter.applied(x, own)
    return out


def _default(key: str) -> Any:
    from .params import default_leaves

    return default_leaves()[key].value


def _whole(x: float, integer: bool):
    return int(round(x)) if integer else x


def _scaled(values, factor: float, integer: bool) -> list:
    return [_scaled(v, factor, integer) if isinstance(v, (list, tuple)) else _whole(float(v) * factor, integer)
            for v in values]
