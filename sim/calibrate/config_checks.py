"""Errors of a calibration config beyond what its section schemas check (sim/config/schema.py):
a :class:`ConfigError` naming the file, the line, the key, what was found and what was expected."""
from __future__ import annotations

from ..config.schema import line_of, type_name
from ..errors import ConfigError

__all__ = ["config_error", "number"]


def config_error(message: str, *, file, key, found=None, expected=None, hint=None) -> ConfigError:
    return ConfigError(message, file=file, key=key, line=line_of(file, key, *_needles(key)), found=found,
                       expected=expected, hint=hint)


def _needles(key: str) -> tuple[str, ...]:
    """A prior's line is the one that names it in quotes: its key holds dots of its own."""
    if key.startswith("priors.") and len(key) > len("priors."):
        return (f'"{key[len("priors."):]}"',)
    return ()


def number(value, *, file, key) -> float:
    """A number as written in a prior (a whole number counts, true does not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise config_error("wrong type", file=file, key=key, found=value, expected=type_name(float))
    return float(value)
