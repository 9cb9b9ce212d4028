"""The `[parameters."KEY"]` tables of a sweep config: which parameters are sampled, over what
range, as a value or as a factor, in which of the two runs; and a check that the runs at the
corners of the ranges are valid models.

The rules (docs/sensitivity.md, "Writing a sweep config") and why:

* a list is sampled as one factor on the whole list: it keeps the list's sourced shape and adds
  one dimension instead of one per element;
* a range in sim/params that bounds a list's elements is not read as a factor: the sweep
  refuses to guess;
* a lever the scenario sets (and the baseline does not share) is the policy under test: it is
  varied in the scenario run only, or the comparison would vanish.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from ..config.schema import Section, line_of, option, validate_section
from ..errors import ConfigError
from ..params import suggest
from .checks import check_known_keys, config_error

__all__ = ["ParameterSection", "resolve_parameters", "check_runs"]


class ParameterSection(Section):
    """One [parameters."KEY"] table; what is not given is settled from the parameter itself."""

    range: list | None = None
    scale: bool | None = None
    applies_to: Literal["both", "scenario"] | None = option(None, problem="unknown value",
                                                            expected="both | scenario")


def resolve_parameters(raw, *, file: Path, scenario_overrides: Mapping, base_b: Mapping, base_s: Mapping) -> dict:
    """{key: resolved spec} of the `[parameters]` section, in the order of the file.

    ``scenario_overrides`` are what the scenario itself sets; ``base_b`` and ``base_s`` the
    overrides each run starts from (experiment, posterior, scenario).
    """
    from ..params import default_leaves

    leaves = default_leaves()
    if not isinstance(raw, dict) or not raw:
        raise config_error("no parameters to sweep", file=file, key="parameters",
                           expected='at least one table like [parameters."prevention.escalation_reduction"]')
    parameters = {}
    for key, body in _flatten_parameters(raw, leaves, file=file).items():
        if key not in leaves:
            raise config_error("unknown parameter", file=file, key=f"parameters.{key}", found=key,
                               expected="a parameter defined in sim/params (`sim params` lists them)",
                               hint=suggest(key, leaves), needles=(key,))
        parameters[key] = _resolve_parameter(key, body, leaves[key], file=file,
                                             scenario_sets=key in scenario_overrides, base_b=base_b, base_s=base_s)
    return parameters


def _flatten_parameters(tree: Mapping, leaves: Mapping, *, file: Path, prefix: str = "") -> dict:
    """[parameters."a.b"] and [parameters.a.b] both give {"a.b": {range, scale, applies_to}}."""
    out: dict[str, dict] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if not isinstance(value, dict):
            raise config_error("a sweep parameter must be a table", file=file, key=f"parameters.{dotted}",
                               found=value,
                               expected='a table, e.g. [parameters."prevention.escalation_reduction"] with '
                                        "optional range = [low, high], scale, applies_to",
                               needles=(dotted,))
        if dotted in leaves or not value or any(k in ParameterSection.model_fields for k in value):
            found = {dotted: value}
        else:
            found = _flatten_parameters(value, leaves, file=file, prefix=dotted + ".")
        for sub, spec in found.items():
            if sub in out:
                raise config_error("parameter listed twice", file=file, key=f"parameters.{sub}", needles=(sub,))
            out[sub] = spec
    return out


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


def _all_numbers(value) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_all_numbers(v) for v in value)
    return _is_number(value)


def _all_ints(value) -> bool:
    if isinstance(value, list):
        return all(_all_ints(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _flat_numbers(value) -> list[float]:
    if isinstance(value, list):
        return [x for v in value for x in _flat_numbers(v)]
    return [float(value)]


def _resolve_parameter(key: str, body: Mapping, leaf, *, file: Path, scenario_sets: bool, base_b, base_s) -> dict:
    """One [parameters."key"] table -> its resolved spec (range, scale, integer, applies_to)."""
    where = f"parameters.{key}"
    check_known_keys(body, ParameterSection.model_fields, file=file, prefix=where, needles=lambda k: (f"{k} =", key))
    table = validate_section(ParameterSection, body, file=file, prefix=where)
    default = _sampleable_default(key, leaf, file=file)
    is_list = isinstance(default, list)
    scale = table.scale if table.scale is not None else is_list
    if is_list and not scale:
        raise config_error("a list parameter can only be sampled as a factor on the whole list", file=file,
                           key=f"{where}.scale", found=False, expected="scale = true (or leave scale out)",
                           needles=("scale", key))
    low, high, range_from = _range(key, table.range, leaf, scale=scale, is_list=is_list, file=file)
    if table.applies_to is not None:
        applies_to = table.applies_to
    else:
        # A lever the scenario sets (and the baseline does not share) is the policy under test.
        applies_to = "scenario" if scenario_sets and base_b.get(key, default) != base_s.get(key, default) else "both"
    return {
        "range": [low, high],
        "range_from": range_from,
        "scale": bool(scale),
        "integer": bool(_all_ints(default)),
        "applies_to": applies_to,
        "unit": "factor on " + leaf.unit if scale else leaf.unit,
        "value": {"baseline": base_b.get(key, default), "scenario": base_s.get(key, default)},
        "default": default,
    }


def _sampleable_default(key: str, leaf, *, file: Path):
    """The parameter's default value, if it is a number or a list of numbers."""
    where = f"parameters.{key}"
    default = leaf.value
    if isinstance(default, bool):
        raise config_error("a switch cannot be sampled", file=file, key=where, found=default,
                           expected="a numeric parameter", hint="compare switched-on and -off runs as two scenarios",
                           needles=(key,))
    if isinstance(default, str):
        raise config_error("a choice cannot be sampled", file=file, key=where, found=default,
                           expected="a numeric parameter", hint="compare the choices as scenarios", needles=(key,))
    if isinstance(default, dict):
        raise config_error("a by-year table cannot be sampled", file=file, key=where, expected="a numeric parameter",
                           hint="sample levers.prevention.per_household or .fixed instead", needles=(key,))
    if isinstance(default, list) and not _all_numbers(default):
        raise config_error("only numeric list parameters can be sampled", file=file, key=where, needles=(key,))
    return default


def _range(key: str, rng: list | None, leaf, *, scale: bool, is_list: bool, file: Path) -> tuple[float, float, str]:
    """(low, high, where the range came from): the config's own range, else the one in sim/params."""
    where = f"parameters.{key}.range"
    if rng is not None:
        if len(rng) != 2 or not all(_is_number(v) for v in rng):
            raise config_error("a range is two finite numbers", file=file, key=where, found=rng,
                               expected="[low, high]", needles=("range", key))
        low, high = float(rng[0]), float(rng[1])
        if not low < high:
            raise config_error("range must have low < high", file=file, key=where, found=rng,
                               expected="[low, high] with low < high", needles=("range", key))
        return low, high, "sweep config"
    if leaf.range is None:
        raise config_error("the parameter has no default range in sim/params", file=file, key=where,
                           expected="range = [low, high]", needles=(key,))
    low, high = float(leaf.range[0]), float(leaf.range[1])
    if scale and not is_list:
        raise config_error("scale = true on a single number needs an explicit range (a factor range, e.g. "
                           "[0.5, 2.0]); the range in sim/params bounds the value itself", file=file, key=where,
                           expected="range = [low, high] as factors", needles=(key,))
    if is_list and all(low <= v <= high for v in _flat_numbers(leaf.value)):
        # The range could bound each element (e.g. cascades.matrix in [0, 2]): not a factor.
        raise config_error("the range of this list in sim/params bounds its elements and cannot be read as a "
                           "factor", file=file, key=where, found=list(leaf.range),
                           expected="range = [low, high] as factors on the whole list, e.g. [0.5, 1.5]",
                           needles=(key,))
    return low, high, "sim/params"


def check_runs(spec: Mapping, *, file=None) -> None:
    """Build the model parameters of the extreme runs before anything runs.

    Checked for both runs: the defaults, each parameter alone at its low and high bound, and all
    parameters at their low (high) bounds together. Every design row lies inside this box, and
    the model's constraints (value ranges per element, hazard sums per level) are monotone in
    each parameter, so these corners catch an invalid range up front; a run that still fails
    stops the sweep with the key of its design row (its finished runs stay stored).
    """
    from ..params import Parameters
    from .design import evaluation_kwargs
    from .model import run_overrides

    kw = evaluation_kwargs(spec)
    params, defaults = kw["parameters"], kw["defaults"]
    file = file or spec.get("files", {}).get("sweep")
    low = {k: float(p["range"][0]) for k, p in spec["parameters"].items()}
    high = {k: float(p["range"][1]) for k, p in spec["parameters"].items()}
    cases = [(key, side, {key: bound[key]}) for key in spec["parameters"] for side, bound in
             (("low", low), ("high", high))]
    cases += [(None, "low", low), (None, "high", high)]
    for which in ("baseline", "scenario"):
        base = kw[which]["overrides"]
        for key, side, row in cases:
            try:
                Parameters.build(run_overrides(row, params, base, which, defaults))
            except ConfigError as err:
                what = (f"parameter at its {side} bound" if key else
                        f"all parameters at their {side} bounds together")
                raise ConfigError(f"the {which} run is invalid with this {what}: {err.message}"
                                  + (f" (at {err.key})" if err.key and err.key != key else ""),
                                  file=file, key=f"parameters.{key}.range" if key else "parameters",
                                  line=line_of(file, None, key) if (file and key) else None,
                                  found=err.found, expected=err.expected, hint=err.hint) from None
