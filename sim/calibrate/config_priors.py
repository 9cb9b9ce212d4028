"""The ``[priors]`` table of a calibration config: one :class:`Prior` per calibrated parameter.

A prior names a parameter of ``sim/params`` by its dotted key, or one element of a flat list
parameter as ``key[i]``, and must lie inside the parameter's documented ``range``. For a list of
probabilities whose ``range`` reaches above 1 (``hazards.*.escalate`` etc.) the range is a
multiplier on each default element; otherwise (e.g. ``generations.transmission``) it bounds
every element directly. The four ways to write a prior are in :mod:`sim.calibrate.config`.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..params import Parameters, check_value, default_leaves, suggest
from ..problem import parse_element
from .config_checks import config_error, number
from .priors import Prior

__all__ = ["parse_priors", "parse_prior_key", "prior_bounds"]

_PRIOR_FIELDS = ("low", "high", "log", "times")
_PRIOR_FORMS = '[low, high], { low = …, high = …, log = false }, { times = [a, b] } or "range"'


parse_prior_key = parse_element  # a prior's name: "key" or "key[i]" (sim/problem.py)


def _is_multiplier_range(leaf) -> bool:
    """A list of probabilities whose range reaches above 1: the range multiplies each element."""
    return (isinstance(leaf.value, list) and leaf.range is not None
            and leaf.unit.lower().startswith("probability") and float(leaf.range[1]) > 1.0)


def prior_bounds(name: str, leaves=None) -> tuple[float, float] | None:
    """The documented bounds of a scalar parameter or of one element of a flat list parameter."""
    leaves = leaves or default_leaves()
    key, index = parse_prior_key(name)
    leaf = leaves[key]
    if leaf.range is None:
        return None
    lo, hi = float(leaf.range[0]), float(leaf.range[1])
    if index is not None and _is_multiplier_range(leaf):
        v = float(leaf.value[index])
        return (min(v * lo, v * hi), max(v * lo, v * hi))
    return (lo, hi)


def _default_value(name: str, leaves) -> float:
    key, index = parse_prior_key(name)
    value = leaves[key].value
    return float(value[index] if index is not None else value)


def _prior_key_candidates(leaves) -> list[str]:
    out = []
    for key, leaf in leaves.items():
        if isinstance(leaf.value, list) and leaf.value and not isinstance(leaf.value[0], list):
            out += [f"{key}[{i}]" for i in range(len(leaf.value))]
        out.append(key)
    return out


# ----------------------------------------------------------------------------- one prior
def _calibratable_leaf(name: str, *, file, leaves):
    """The parameter a prior names, if it is a number or an existing element of a flat list."""
    key = f"priors.{name}"
    base, index = parse_prior_key(name)
    if base not in leaves:
        raise config_error("unknown parameter", file=file, key=key, found=name,
                           expected="a parameter defined in sim/params (see `sim params`), or key[i] for one "
                                    "element of a list parameter", hint=suggest(name, _prior_key_candidates(leaves)))
    leaf = leaves[base]
    value = leaf.value
    if index is None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "a list" if isinstance(value, list) else type(value).__name__
            raise config_error("only numbers can be calibrated", file=file, key=key, found=what,
                               expected="a numeric parameter" + (f", or one element such as {base}[0]"
                                                                 if isinstance(value, list) else ""))
    else:
        if not isinstance(value, list) or (value and isinstance(value[0], list)):
            raise config_error("[i] needs a flat list parameter", file=file, key=key, found=name,
                               expected=f"{base} without [i]" if not isinstance(value, list)
                               else "a flat list parameter")
        if index >= len(value):
            raise config_error("element index out of range", file=file, key=key, found=index,
                               expected=f"an index from 0 to {len(value) - 1} ({base} has {len(value)} elements)")
    return leaf


def _bounds_from_spec(spec: Any, *, key: str, documented, default: float, file) -> tuple[float, float, bool]:
    """(low, high, log) from any of the four ways to write a prior."""
    if isinstance(spec, str):
        if spec != "range":
            raise config_error("unknown prior", file=file, key=key, found=spec, expected=_PRIOR_FORMS)
        if documented is None:
            raise config_error("parameter has no documented range", file=file, key=key, found=spec,
                               expected="explicit bounds [low, high]")
        return documented[0], documented[1], False
    if isinstance(spec, list):
        if len(spec) != 2:
            raise config_error("a prior needs two bounds", file=file, key=key, found=spec, expected="[low, high]")
        low, high = (number(v, file=file, key=key) for v in spec)
        return low, high, False
    if isinstance(spec, dict):
        return _bounds_from_table(spec, key=key, default=default, file=file)
    raise config_error("wrong type", file=file, key=key, found=spec, expected=_PRIOR_FORMS)


def _bounds_from_table(spec: dict, *, key: str, default: float, file) -> tuple[float, float, bool]:
    unknown = [k for k in spec if k not in _PRIOR_FIELDS]
    if unknown:
        raise config_error("unknown field in prior", file=file, key=f"{key}.{unknown[0]}", found=unknown[0],
                           expected=", ".join(_PRIOR_FIELDS), hint=suggest(unknown[0], _PRIOR_FIELDS))
    log = spec.get("log", False)
    if not isinstance(log, bool):
        raise config_error("wrong type", file=file, key=f"{key}.log", found=log, expected="true or false")
    if "times" in spec:
        if "low" in spec or "high" in spec:
            raise config_error("give either times or low/high", file=file, key=key, found=spec,
                               expected="{ times = [a, b] } or { low = …, high = … }")
        times = spec["times"]
        if not isinstance(times, list) or len(times) != 2:
            raise config_error("times needs two factors", file=file, key=f"{key}.times", found=times,
                               expected="[a, b]: the prior is [a x default, b x default]")
        a, b = (number(v, file=file, key=f"{key}.times") for v in times)
        return a * default, b * default, log
    missing = [k for k in ("low", "high") if k not in spec]
    if missing:
        raise config_error("prior lacks a bound", file=file, key=f"{key}.{missing[0]}", found=spec,
                           expected="{ low = …, high = … }")
    low = number(spec["low"], file=file, key=f"{key}.low")
    high = number(spec["high"], file=file, key=f"{key}.high")
    return low, high, log


def _check_bounds(name: str, leaf, low: float, high: float, log: bool, *, documented, default: float,
                  file) -> None:
    """Finite, ordered, inside the documented range, and valid values of the parameter."""
    key = f"priors.{name}"
    index = parse_prior_key(name)[1]
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise config_error("bad prior range", file=file, key=key, found=[low, high],
                           expected="finite bounds with low < high")
    if log and low <= 0:
        raise config_error("a log-uniform prior needs a positive lower bound", file=file, key=key, found=low,
                           expected="low > 0")
    if documented is not None:
        slack = 1e-9 * max(abs(documented[0]), abs(documented[1]), 1.0)
        if low < documented[0] - slack or high > documented[1] + slack:
            how = (f"{leaf.range[0]}-{leaf.range[1]} x default {default:g}" if index is not None
                   and _is_multiplier_range(leaf) else f"range {leaf.range[0]}-{leaf.range[1]}")
            raise config_error("prior outside the parameter's documented range", file=file, key=key,
                               found=[low, high], expected=f"bounds within [{documented[0]:.6g}, "
                                                           f"{documented[1]:.6g}] ({how} in sim/params)")
    for bound in (low, high):
        try:
            if index is None:
                check_value(leaf, bound)
            else:
                vec = list(leaf.value)
                vec[index] = bound
                check_value(leaf, vec)
        except ConfigError as exc:
            raise config_error("prior bound not a valid value of the parameter", file=file, key=key, found=bound,
                               expected=exc.expected) from None


def parse_prior(name: str, spec: Any, *, file, leaves) -> Prior:
    """One entry of the [priors] table, checked against the parameter it names."""
    leaf = _calibratable_leaf(name, file=file, leaves=leaves)
    documented = prior_bounds(name, leaves)
    default = _default_value(name, leaves)
    low, high, log = _bounds_from_spec(spec, key=f"priors.{name}", documented=documented, default=default,
                                       file=file)
    _check_bounds(name, leaf, low, high, log, documented=documented, default=default, file=file)
    return Prior(name, float(low), float(high), bool(log))


# ----------------------------------------------------------------------------- the table
def parse_priors(table: dict, *, file, leaves) -> list[Prior]:
    """The whole [priors] table, in file order."""
    if not table:
        raise config_error("no parameters to calibrate", file=file, key="priors", found={},
                           expected='at least one entry like "hazards.finance.onset" = [low, high]')
    priors = [parse_prior(str(name), spec, file=file, leaves=leaves) for name, spec in table.items()]
    for p in priors:
        base, index = parse_prior_key(p.name)
        if index is None and any(parse_prior_key(q.name)[0] == base and q.name != p.name for q in priors):
            raise config_error("a list parameter and one of its elements both calibrated", file=file,
                               key=f"priors.{p.name}", found=p.name, expected="either the elements or nothing of it")
    _check_hazard_corners(priors, file=file)
    return priors


def _check_hazard_corners(priors: list[Prior], *, file) -> None:
    """Every prior at its upper bound must still give valid hazards (totals <= 1 per level)."""
    from ..params.posterior import row_overrides

    hazard = [p for p in priors if p.name.startswith("hazards.")]
    if not hazard:
        return
    overrides = row_overrides(pd.Series({p.name: p.high for p in hazard}, dtype=float))
    try:
        Parameters.build(overrides)
    except ConfigError as exc:
        raise ConfigError("the priors allow hazards whose total leaves a level with probability above 1",
                          file=file, key=f"priors.{exc.key}", found=exc.found,
                          expected="lower upper bounds for the hazards of that domain") from None
