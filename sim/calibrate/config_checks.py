"""The error and type-check helpers of calibration configs: a :class:`ConfigError` that names
the file, the line, the key, what was found and what was expected."""
from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError

__all__ = ["line_of", "config_error", "check_type"]

_KIND_NAMES = {int: "a whole number", float: "a number", str: "a string", list: "a list", dict: "a table"}


def line_of(path: Path | None, key: str) -> int | None:
    """Best-effort line number of a key in the file, for the error message."""
    if path is None or not Path(path).is_file():
        return None
    last = key.split(".")[-1] if "[" not in key and '"' not in key else key.split(".", 1)[-1]
    candidates = [f'"{last}"', f"{last} ", f"{last}="]
    if key.startswith("priors."):
        candidates = [f'"{key[len("priors."):]}"'] + candidates
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        if any(c in code for c in candidates):
            return number
    return None


def config_error(message: str, *, file, key, found=None, expected=None, hint=None) -> ConfigError:
    return ConfigError(message, file=file, key=key, line=line_of(file, key), found=found, expected=expected,
                       hint=hint)


def check_type(value, kind, *, file, key):
    """``value`` as ``kind`` (a type or a tuple of types; a whole number counts as a number),
    or a ConfigError."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if k is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if k is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if k in (str, list, dict) and isinstance(value, k):
            return value
    raise config_error("wrong type", file=file, key=key, found=value,
                       expected=" or ".join(_KIND_NAMES[k] for k in kinds))
