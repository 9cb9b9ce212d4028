"""Reading TOML with errors that name the file and line, and writing text files atomically.

Shared by experiment configs, sweep configs and calibration configs, and by everything that
writes a small state file that a crash must never leave half-written.
"""
from __future__ import annotations

import os
import re
import tomllib
from contextlib import contextmanager
from pathlib import Path

from .errors import ConfigError


def read_toml(path, *, what: str = "config") -> dict:
    """Parse a TOML file, or raise ConfigError naming the file (and the line of a syntax error)."""
    path = Path(path)
    check_file(path, what=what, expected="a TOML file")
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"not valid TOML: {exc}", file=path, line=int(match.group(1)) if match else None,
                          expected="TOML syntax") from None
    if not data:  # emptied or cut off before its first key: never run as if it said nothing
        raise ConfigError(f"the {what} file is empty (no keys)", file=path,
                          expected=f"a {what} with at least one key or table")
    return data


def check_file(path, *, what: str = "input", expected: str = "a file", key: str | None = None) -> Path:
    """`path` made absolute if it is a file that exists, else ConfigError saying what it is
    instead (missing, a folder, a symbolic link to nowhere or in a loop)."""
    path = Path(path)
    try:
        if path.is_file():
            return path.resolve()
        kind = "a folder, not a file" if path.is_dir() else \
            "a symbolic link to nothing (or in a loop)" if path.is_symlink() else \
            "not a regular file" if path.exists() else "not found"
    except OSError as exc:  # a name too long, a loop the OS refuses to follow
        kind = f"not readable ({exc.strerror})"
    raise ConfigError(f"{what} file {kind}" if kind == "not found" else f"{what} file is {kind}", file=path,
                      key=key, expected=expected)


def resolved(path, *, what: str = "folder") -> Path:
    """`path` made absolute, or ConfigError when it is a symbolic link loop (which pathlib
    reports as a RuntimeError)."""
    try:
        return Path(path).resolve()
    except (RuntimeError, OSError) as exc:
        raise ConfigError(f"the {what} is a symbolic link in a loop ({exc})", file=path,
                          expected=f"a path to a {what}") from None


def path_argument(text: str) -> str:
    """argparse type of a path option: an empty one (an unset shell variable, `--out ""`) would
    silently mean the current folder."""
    if not text.strip():
        import argparse

        raise argparse.ArgumentTypeError("an empty path; give a folder or file, e.g. results")
    return text


def read_text(path) -> str:
    """A text file as UTF-8 (a byte-order mark is accepted), or ConfigError naming the file and
    the first byte that is not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror})", file=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text: byte {exc.start} is 0x{data[exc.start]:02x}", file=path,
                          expected="a file saved as UTF-8 (e.g. 'Save as' > UTF-8 in the editor)") from None


def read_csv(path, *, columns=(), expected: str = "the file sim wrote", **options):
    """A CSV this tool wrote, as a pandas frame, or ConfigError naming the file: missing, a folder,
    not UTF-8, empty, cut off in its last row (every file written ends with a newline), not CSV,
    or without one of `columns`."""
    import io

    import pandas as pd

    path = check_file(path, what=Path(path).name, expected=expected)
    text = read_text(path)
    if not text.strip():
        raise ConfigError("empty file", file=path, expected=expected)
    if not text.endswith("\n"):
        raise ConfigError("cut off in its last row", file=path, expected=expected)
    try:
        frame = pd.read_csv(io.StringIO(text), **options)
    except (ValueError, pd.errors.ParserError) as err:
        raise ConfigError(f"not a readable CSV ({str(err).strip()})", file=path, expected=expected) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(f"no column {', '.join(missing)}", file=path, expected=expected)
    return frame


def read_json(path, *, expected: str = "the file sim wrote", kind: type = dict):
    """A JSON file this tool wrote, or ConfigError naming the file (missing, a folder, not UTF-8,
    not JSON, not a `kind`)."""
    import json

    path = check_file(path, what=Path(path).name, expected=expected)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise ConfigError(f"damaged {path.name} ({err})", file=path, expected=expected) from None
    if not isinstance(data, kind):
        raise ConfigError(f"damaged {path.name} (not a {kind.__name__})", file=path, expected=expected)
    return data


def write_text_atomic(path, text: str) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_parquet_atomic(path, frame) -> None:
    """A pandas frame as parquet, by the same temporary file -> fsync -> rename protocol."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_bytes_atomic(path, data: bytes) -> None:
    """Bytes (a PNG, ...) by the same temporary file -> fsync -> rename protocol."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


LOCK_FILE = ".lock"


@contextmanager
def folder_lock(folder):
    """Hold `folder` for this process: a second `sim` process (two resumes of one sweep, two
    calibrations in one store) gets a clear error instead of writing the same files. A lock left
    by a process that no longer runs is taken over."""
    lock = Path(folder) / LOCK_FILE
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text("ascii").strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and pid != os.getpid() and pid_alive(pid):
                raise ConfigError(f"another sim process (pid {pid}) is working in this folder", file=folder,
                                  expected="wait for it to finish, or stop it") from None
            lock.unlink(missing_ok=True)  # stale: its process is gone
    else:
        raise ConfigError("cannot lock the folder", file=folder, expected="a folder this user can write to")
    with os.fdopen(fd, "w") as fh:
        fh.write(str(os.getpid()))
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (this process counts; on Windows, where os.kill(pid, 0)
    would terminate it, every process is assumed alive)."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
