"""Provenance for every study: what a results folder records so that it can be reproduced and
so that a resume can refuse to mix runs of two models.

One place for the config hash, the code fingerprint, package versions, the git commit and the
JSON encoding of numpy values. `sim run`, `sim sweep` and `sim calibrate` all write their
manifests from here.
"""
from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]  # the repository (or site-packages) above sim/
PACKAGES = ("prevention-sim", "mesa", "numpy", "scipy", "pandas", "matplotlib", "pyarrow", "SALib")


def json_default(o: Any):
    """numpy scalars and arrays, and paths, as plain JSON; anything else is an error rather than
    a silently different string."""
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def to_json(obj: Any, **kwargs) -> str:
    return json.dumps(obj, default=json_default, **kwargs)


def stable_hash(obj: Any, *, digits: int = 16) -> str:
    """SHA-256 of the object's sorted JSON. The number of digits differs per study only because
    stores written by earlier versions are found by it (calibration: 12 for the config, 10 for its
    store keys); new uses take the default."""
    return hashlib.sha256(to_json(obj, sort_keys=True).encode()).hexdigest()[:digits]


def git_commit() -> str | None:
    """HEAD of the repository, with "-dirty" when tracked files differ from it."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5)
        return (out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")) if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def code_hash() -> str:
    """Hash of the model's source and parameter files (sim/**/*.py, sim/**/*.toml).

    Recorded per session: a run resumed after the model code changed mixes runs of two models,
    which no config hash can see (git's "-dirty" does not say what changed).
    """
    package = Path(__file__).resolve().parent  # sim/
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml")]):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def package_versions() -> dict:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def provenance() -> dict:
    """What every manifest records about the software that made it."""
    return {"package_versions": package_versions(), "git_commit": git_commit(), "code_hash": code_hash()}
