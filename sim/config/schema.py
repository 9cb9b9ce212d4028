"""One config loader for the three kinds of config (experiment, sweep, calibration).

A config section is a pydantic model (:class:`Section`): its fields say the type, the default
and the allowed range once, and pydantic checks them strictly (no 3.0 for a whole number, no
`true` for a number, no NaN or infinity, no unknown key). :func:`validate_section` turns the first
problem pydantic finds into the project's one-line :class:`~sim.errors.ConfigError`: file, line,
key, what was found, what was expected and, for a misspelt key, a did-you-mean.

Why pydantic and not our own checks: the three loaders had three copies of the type check and
of the line finder with three different heuristics; a declared schema is one place to read what
a section accepts. The messages stay ours because a council adviser reads them, not a developer.

A field can carry the words of its message::

    replications: int = option(10, ge=1, problem="no replications", expected="a whole number >= 1")
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..files import read_text
from ..params import suggest

__all__ = ["Section", "option", "validate_section", "line_of", "type_name"]


class Section(BaseModel):
    """A config table: strict types, no unknown keys, finite numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def option(default: Any = ..., *, problem: str | None = None, expected: str | None = None, **limits) -> Any:
    """A pydantic Field whose violation reads `problem`, expecting `expected`."""
    words = {k: v for k, v in (("problem", problem), ("expected", expected)) if v is not None}
    return Field(default, json_schema_extra=words or None, **limits)


_TYPE_NAMES = {"int_type": "a whole number", "float_type": "a number", "string_type": "a string",
               "bool_type": "true or false", "dict_type": "a table", "list_type": "a list",
               "model_type": "a table", "model_attributes_type": "a table"}
_LIMITS = {"greater_than_equal": ">= {ge}", "greater_than": "> {gt}", "less_than_equal": "<= {le}",
           "less_than": "< {lt}"}


def type_name(kind: type) -> str:
    return {int: "a whole number", float: "a number", str: "a string", bool: "true or false",
            dict: "a table", list: "a list"}.get(kind, kind.__name__)


def validate_section(model: type[Section], data: Any, *, file, prefix: str, needles: tuple = ()) -> Section:
    """`data` checked against `model`, or ConfigError for the first problem (in the order of the
    section's fields, unknown keys first), keyed ``prefix.key``."""
    if not isinstance(data, Mapping):
        raise ConfigError("wrong type", file=file, key=prefix, line=line_of(file, prefix), found=data,
                          expected="a table")
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise _config_error(model, errors[0], file=file, prefix=prefix, needles=needles) from None


def _config_error(model: type[Section], error: Mapping, *, file, prefix: str, needles: tuple) -> ConfigError:
    name = str(error["loc"][0]) if error["loc"] else ""
    key = f"{prefix}.{name}" if prefix and name else prefix or name
    line = line_of(file, key, *needles)
    found = error.get("input")
    kind = error["type"]
    if kind == "extra_forbidden":
        fields = list(model.model_fields)
        return ConfigError("unknown key", file=file, key=key, line=line, found=None,
                           expected=f"one of {', '.join(fields)}",
                           hint=suggest(name, fields) and suggest(key, [f"{prefix}.{f}" for f in fields]))
    words = (model.model_fields[name].json_schema_extra or {}) if name in model.model_fields else {}
    if kind in _TYPE_NAMES or kind.endswith("_type") or kind == "int_from_float":
        return ConfigError("wrong type", file=file, key=key, line=line, found=found,
                           expected=_TYPE_NAMES.get(kind, words.get("expected", "another type")))
    if kind == "finite_number":
        return ConfigError("not a finite number", file=file, key=key, line=line, found=found,
                           expected=words.get("expected", "a finite number"))
    if kind in _LIMITS:
        return ConfigError(words.get("problem", "out of range"), file=file, key=key, line=line, found=found,
                           expected=words.get("expected", _LIMITS[kind].format(**error.get("ctx", {}))))
    if kind == "literal_error":
        allowed = (error.get("ctx") or {}).get("expected", "")
        return ConfigError(words.get("problem", "not an allowed value"), file=file, key=key, line=line,
                           found=found, expected=words.get("expected", allowed.replace("'", "")),
                           hint=suggest(str(found), re.findall(r"'([^']*)'", allowed)))
    return ConfigError(words.get("problem", error.get("msg", "invalid value")), file=file, key=key, line=line,
                       found=found, expected=words.get("expected"))


def line_of(path, key: str | None, *needles: str) -> int | None:
    """Best-effort line of a key in the file, for the error message: the first line (outside
    comments) holding one of `needles`, else the first that assigns or opens the key's last part
    (``key =``, ``"key" =``, ``[section.key]`` or ``key.sub =``)."""
    try:
        if not path or not Path(path).is_file():
            return None
        lines = [line.split("#", 1)[0] for line in read_text(path).splitlines()]
    except (OSError, TypeError, ConfigError):
        return None
    for needle in needles:
        if needle:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    if not key:
        return None
    last = key.split(".")[-1]
    pattern = re.compile(rf'(^|[\s."\[]){re.escape(last)}("?\s*=|"?\]|\.)')
    for number, line in enumerate(lines, 1):
        if pattern.search(line):
            return number
    return None
