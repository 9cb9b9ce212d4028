"""One-file-per-run result store with crash-safe (atomic) writes.

Why a directory of small files rather than one big table: a sweep of many
thousands of model runs takes hours, and a crash, a ``kill -9`` from a batch
scheduler or a full disk must cost at most the runs that were in flight. One
file per task key makes "is this run done?" a single ``stat`` and lets several
sweeps be resumed, merged or inspected with ordinary tools.

Why the write protocol is temp file -> fsync -> ``os.replace``: ``os.replace``
is atomic on POSIX and Windows when source and target are in the same
directory, so a reader sees either no ``<key>.<ext>`` at all or the complete
file. A process killed mid-write leaves only a hidden ``.<key>....tmp`` file,
which is never mistaken for a result (its name does not end in a result
extension and starts with a dot, which keys may not).

Two payload formats, chosen by the type of the result:

* ``pandas.DataFrame`` -> ``<key>.parquet`` (pyarrow; index and dtypes kept);
* ``dict`` of numpy arrays / numpy or Python scalars / strings -> ``<key>.npz``
  (loaded without pickle; 0-d arrays come back as numpy scalars).

Anything else (nested dicts, object arrays, arbitrary Python objects) is
refused when saving, because it would need pickle, and a store that can only be
read back by the exact code version that wrote it is not a research record.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..files import pid_alive

# pandas is imported lazily: this module is imported by every worker process
# of a pool (via the executor) and pandas alone costs ~0.9 s of start-up there.

__all__ = ["ResultStore", "finished_keys", "validate_key", "StoreError"]

#: Keys become file names; this keeps them portable (no separators, no
#: leading dot so they can never collide with temp files, bounded length).
_KEY_RE = re.compile(r"^[A-Za-z0-9_\-=+,@][A-Za-z0-9._\-=+,@]{0,199}$")

_EXTENSIONS = (".parquet", ".npz")
_TMP_SUFFIX = ".tmp"


class StoreError(RuntimeError):
    """A result cannot be stored or a stored file cannot be read."""


def finished_keys(path) -> set[str]:
    """The keys finished in the store at `path`; empty when there is no store yet (nothing is created)."""
    return set(ResultStore(path).keys()) if Path(path).is_dir() else set()


def validate_key(key: str) -> str:
    """Check that ``key`` is usable as a file name in every store.

    Why strict: keys are file names; a ``/`` would escape the store, a
    leading ``.`` would look like a temp file, and exotic characters break on
    some cluster file systems.
    """
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ValueError(
            f"invalid task key {key!r}: use 1-200 characters from "
            "[A-Za-z0-9._-=+,@], not starting with '.'"
        )
    return key


def _host_tag() -> str:
    return re.sub(r"[^A-Za-z0-9\-]", "_", socket.gethostname()) or "host"


class ResultStore:
    """A directory holding one finished result per task key.

    Parameters
    ----------
    path:
        Directory; created if missing.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreError(f"result store {self.path} is not a folder; move it away to start the "
                             "runs again") from None

    # ------------------------------------------------------------------ query
    def file_for(self, key: str) -> Path | None:
        """The finished file for ``key``, or None if the key is not done."""
        validate_key(key)
        for ext in _EXTENSIONS:
            candidate = self.path / f"{key}{ext}"
            if candidate.is_file():
                return candidate
        return None

    def __contains__(self, key: str) -> bool:
        return self.file_for(key) is not None

    def keys(self) -> list[str]:
        """All finished keys (sorted), ignoring temp files and foreign files."""
        found = set()
        for entry in os.scandir(self.path):
            name = entry.name
            if name.startswith("."):
                continue
            for ext in _EXTENSIONS:
                if name.endswith(ext):
                    key = name[: -len(ext)]
                    if not _KEY_RE.match(key):
                        continue
                    if not entry.is_file():  # a folder where a result belongs: it could never be written
                        raise StoreError(f"stored result {entry.path} is not a file; delete it to have "
                                         "the task recomputed")
                    found.add(key)
        return sorted(found)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def temp_files(self) -> list[Path]:
        """Leftover temp files (from writes that were interrupted)."""
        return sorted(
            Path(e.path)
            for e in os.scandir(self.path)
            if e.name.startswith(".") and e.name.endswith(_TMP_SUFFIX)
        )

    # ------------------------------------------------------------------- load
    def load(self, key: str) -> Any:
        """Read the result stored for ``key``.

        Raises ``KeyError`` if the key has no finished file and ``StoreError``
        if the file exists but cannot be read: a complete-looking file that is
        unreadable means disk trouble or tampering, and silently recomputing
        would hide that.
        """
        path = self.file_for(key)
        if path is None:
            raise KeyError(key)
        try:
            if path.suffix == ".parquet":
                import pandas as pd

                return pd.read_parquet(path)
            with np.load(path, allow_pickle=False) as npz:
                return {
                    name: (arr[()] if arr.ndim == 0 else arr)
                    for name, arr in ((n, npz[n]) for n in npz.files)
                }
        except Exception as exc:  # noqa: BLE001 - re-raised with the path
            raise StoreError(
                f"stored result {path} is unreadable ({exc!r}); "
                "delete it to have the task recomputed"
            ) from exc

    # ------------------------------------------------------------------- save
    def save(self, key: str, result: Any) -> Path:
        """Write ``result`` for ``key`` atomically; return the final path.

        The payload goes to a hidden temp file in the same directory, is
        flushed and fsync'ed, then renamed over the final name; finally the
        directory is fsync'ed so the rename itself survives a power cut.
        """
        validate_key(key)
        pd = sys.modules.get("pandas")  # a DataFrame implies pandas is loaded
        if pd is not None and isinstance(result, pd.DataFrame):
            ext, writer = ".parquet", _write_parquet
            payload: Any = result
        elif isinstance(result, Mapping):
            ext, writer = ".npz", _write_npz
            payload = _arrays_for_npz(key, result)
        else:
            raise StoreError(
                f"task {key!r} returned {type(result).__name__}; the store "
                "accepts a pandas DataFrame or a dict of arrays/scalars"
            )
        final = self.path / f"{key}{ext}"
        tmp = self.path / (
            f".{key}.{_host_tag()}.{os.getpid()}.{uuid.uuid4().hex[:8]}{_TMP_SUFFIX}"
        )
        try:
            with open(tmp, "wb") as fh:
                writer(fh, payload)
                fh.flush()
                os.fsync(fh.fileno())
            # A result may switch format between code versions; never leave
            # two finished files for one key.
            for other in _EXTENSIONS:
                if other != ext:
                    (self.path / f"{key}{other}").unlink(missing_ok=True)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.path)
        return final

    # ---------------------------------------------------------------- cleanup
    def remove_stale_temp_files(self) -> list[Path]:
        """Delete temp files left by dead writer processes on this host.

        Why only dead, local writers: a temp file of a live process (e.g. a
        second sweep writing into the same store) or of another machine on a
        shared file system may still become a result, so it is left alone.
        Temp files are ignored by :meth:`keys` either way; this only tidies.
        """
        removed = []
        host = _host_tag()
        for path in self.temp_files():
            # .<key>.<host>.<pid>.<rand>.tmp ; key may contain dots.
            parts = path.name[1 : -len(_TMP_SUFFIX)].rsplit(".", 3)
            if len(parts) != 4 or parts[1] != host or not parts[2].isdigit():
                continue
            if pid_alive(int(parts[2])):
                continue
            path.unlink(missing_ok=True)
            removed.append(path)
        return removed


def _write_parquet(fh, df) -> None:
    try:
        df.to_parquet(fh, engine="pyarrow")
    except (ValueError, TypeError) as exc:
        raise StoreError(f"DataFrame cannot be written as parquet: {exc}") from exc


def _write_npz(fh, arrays: dict[str, np.ndarray]) -> None:
    np.savez(fh, **arrays)


def _arrays_for_npz(key: str, result: Mapping) -> dict[str, np.ndarray]:
    arrays = {}
    for name, value in result.items():
        if not isinstance(name, str) or not name or "/" in name:
            raise StoreError(f"task {key!r}: result keys must be non-empty str without '/', got {name!r}")
        arr = np.asarray(value)
        if arr.dtype.hasobject:
            raise StoreError(
                f"task {key!r}: result field {name!r} has object dtype "
                f"({type(value).__name__}); store numbers, bools or strings"
            )
        arrays[name] = arr
    return arrays


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
