"""How a sweep config error names what is wrong: the file, the line, the key, what was found, what
was expected and, for a misspelling, the name that was probably meant.

Shared by the reading of `[sweep]` (:mod:`sim.sensitivity.config`) and of `[parameters."KEY"]`
(:mod:`sim.sensitivity.parameters`).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError

_TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}


def line_of(path: Path, *needles: str, key: str | None = None) -> int | None:
    """Best-effort line of the first needle found (outside comments), else of ``key = ...``."""
    try:
        lines = [line.split("#", 1)[0] for line in Path(path).read_text("utf-8").splitlines()]
    except (OSError, TypeError):
        return None
    for needle in needles:
        if needle:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    if key:
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return number
    return None


def config_error(message: str, *, file: Path, key: str | None = None, found=None, expected=None, hint=None,
                 needles: tuple = ()) -> ConfigError:
    """A ConfigError at the line of the first needle, else of the key's last part."""
    line = line_of(file, *needles, key=key.split(".")[-1] if key else None)
    return ConfigError(message, file=file, key=key, line=line, found=found, expected=expected, hint=hint)


def check_type(value, kind, *, file: Path, key: str):
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise config_error("wrong type", file=file, key=key, found=value, expected=_TYPE_NAMES[kind])
    return value


def check_choice(value, allowed, *, file: Path, key: str, what: str, needles: tuple = ()):
    """`value` must be one of `allowed`; otherwise an error that lists them and suggests one."""
    if value not in allowed:
        raise config_error(f"unknown {what}", file=file, key=key, found=value, expected=" | ".join(allowed),
                           hint=suggest(value, allowed), needles=needles)
    return value


def suggest(key: str, candidates) -> str | None:
    from ..params import suggest as closest

    return closest(key, candidates)
