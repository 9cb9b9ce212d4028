"""The record of the long measurements (`make bench-nl`, `make bench-sweep`, `make bench-dask`):
one small JSON file, committed, that `make bench` reads to show the last full figure and its date
beside its own short stand-in.

    {"format": 1,
     "nl":           {"date": "2026-12-01", "seconds": 595.8, "peak_gib": 2.1, ...},
     "sweep":        {"date": ..., "seconds": ..., "evaluations": 7193, ...},
     "dask_scaling": {"date": ..., "seconds_1": ..., "seconds_2": ..., "ratio": ..., ...}}

Every entry has a `date` (YYYY-MM-DD) and the keys of REQUIRED; anything else (commit, machine
load, notes) is kept as written. A damaged file is an error naming the file, never silently
replaced: it is read before a long measurement starts, so the measurement is not lost at its end.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

from ..errors import ConfigError
from ..files import write_text_atomic
from ..manifest import ROOT, git_commit, to_json

FORMAT = 1
DEFAULT_PATH = ROOT / "docs" / "bench-record.json"
#: Numbers every entry of a kind must carry (finite, >= 0).
REQUIRED = {
    "nl": ("households", "years", "seconds", "peak_gib"),
    "sweep": ("evaluations", "workers", "seconds"),
    "dask_scaling": ("evaluations", "seconds_1", "seconds_2", "ratio", "cpu_seconds_per_evaluation"),
}
_RESTORE = "the file `make bench-nl` writes; restore it with `git checkout docs/bench-record.json`, or delete it"


def read_record(path=DEFAULT_PATH) -> dict:
    """The record as a dict (``{"format": 1}`` when there is no file yet), checked entry by entry."""
    path = Path(path)
    if not path.exists():
        return {"format": FORMAT}
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read the bench record ({err.strerror})", file=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"damaged bench record: not JSON ({err})", file=path, expected=_RESTORE) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError("damaged bench record: not a format-1 record", file=path, key="format",
                          found=data.get("format") if isinstance(data, dict) else type(data).__name__,
                          expected=_RESTORE)
    for kind, keys in REQUIRED.items():
        if kind in data:
            _check_entry(path, kind, data[kind], keys)
    return data


def _check_entry(path: Path, kind: str, entry, keys) -> None:
    if not isinstance(entry, dict):
        raise ConfigError("damaged bench record: an entry is not a table", file=path, key=kind, expected=_RESTORE)
    try:
        dt.date.fromisoformat(str(entry.get("date")))
    except ValueError:
        raise ConfigError("damaged bench record: no valid date", file=path, key=f"{kind}.date",
                          found=entry.get("date"), expected="YYYY-MM-DD") from None
    for key in keys:
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ConfigError("damaged bench record: missing or not a number >= 0", file=path, key=f"{kind}.{key}",
                              found=value, expected=_RESTORE)


def check_writable(path) -> dict:
    """Before a long measurement: the record reads (a damaged one is reported, not replaced) and its
    folder takes a new file. Returns the record."""
    path = Path(path)
    record = read_record(path)
    probe = path.parent / f".{path.name}.{os.getpid()}.probe"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise ConfigError(f"cannot write the bench record here ({err.strerror})", file=path, key="--record",
                          expected="a file in a folder this user can write to") from None
    return record


def write_entry(path, kind: str, entry: dict) -> dict:
    """Replace the record's entry ``kind`` (stamped with today's date, the cores and the commit)
    and write the file atomically; the other entries stay as they were."""
    if kind not in REQUIRED:
        raise ValueError(f"unknown bench record entry {kind!r}")
    path = Path(path)
    record = read_record(path)
    entry = {"date": dt.date.today().isoformat(), **entry, **machine()}
    _check_entry(path, kind, entry, REQUIRED[kind])
    record[kind] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, to_json(record, indent=2) + "\n")
    return record


def machine() -> dict:
    """What makes a timing comparable besides the load (which the caller takes before it starts):
    the cores this process may use and the code (git commit)."""
    from ..run.executor import default_workers

    return {"cores": default_workers(), "commit": git_commit()}


def load_average() -> float | None:
    """The machine's 1-minute load average: near 0 on an idle machine; on 2 cores, 2 or more means
    every core was busy with something else too."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None
