"""The sweep config's own wording of an error, on top of the one config loader
(:mod:`sim.config.schema`), which checks the types, ranges and choices of each table.

What stays here: an error for a check the schema cannot express (a power of two, a parameter of
sim/params, a range that is a factor), and the sweep's wording of an unknown key: found = the
key and did-you-mean the bare name (``did you mean 'method'?``), as the sweep has always said it
(the schema's own wording names the dotted key, ``sweep.method``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ..config.schema import line_of
from ..errors import ConfigError
from ..params import suggest

__all__ = ["config_error", "check_known_keys"]


def config_error(message: str, *, file: Path, key: str | None = None, found=None, expected=None, hint=None,
                 needles: tuple = ()) -> ConfigError:
    """A ConfigError at the line of the first needle, else of the key."""
    return ConfigError(message, file=file, key=key, line=line_of(file, key, *needles), found=found,
                       expected=expected, hint=hint)


def check_known_keys(table: Mapping, known: Iterable[str], *, file: Path, prefix: str, needles=lambda key: ()) -> None:
    """Every key of `table` is one of `known`; else an error naming the first that is not.

    ``needles(key)`` gives the text whose line the error points to (default: the key's own).
    """
    known = list(known)
    for key in table:
        if key not in known:
            raise config_error("unknown key", file=file, key=f"{prefix}.{key}", found=key,
                               expected=f"one of {', '.join(known)}", hint=suggest(key, known),
                               needles=needles(key))
