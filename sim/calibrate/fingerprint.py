"""The model code fingerprint: which model a calibration was computed for.

It is part of the calibration config hash, so a changed model gets a fresh store, and the
shipped calibration records it (``model_fingerprint`` in calibration/calibration_config.json,
checked by tests/test_calibration_model.py). It differs from :func:`sim.manifest.code_hash`,
which hashes every source byte of the package: this one hashes only what the model computes,
and ignores docstrings, comments and parameter sources, so rewording them does not make the
shipped calibration stale.
"""
from __future__ import annotations

import ast
import hashlib
import json
import tomllib
from pathlib import Path

__all__ = ["model_code_fingerprint"]

SIM = Path(__file__).resolve().parents[1]  # the sim/ package


def model_code_fingerprint() -> str:
    """Hash of what the model computes: its code and default parameters.

    Python files count by their syntax tree without docstrings, parameter files by their values
    (not their sources or units), so rewording a comment or a source does not make the
    calibration stale, while any change to a rule or a number does."""
    h = hashlib.sha256()
    code = [SIM / "levels.py"] + sorted((SIM / "model").rglob("*.py")) + sorted((SIM / "params").glob("*.py")) \
        + [SIM / "calibrate" / "statistics.py"]
    for f in code:
        h.update(str(f.relative_to(SIM)).encode())
        h.update(_syntax_without_docstrings(f.read_text("utf-8")).encode())
    for f in sorted((SIM / "params").glob("*.toml")):
        h.update(str(f.relative_to(SIM)).encode())
        h.update(json.dumps(_values_only(tomllib.loads(f.read_text("utf-8"))), sort_keys=True).encode())
    return h.hexdigest()[:12]


def _syntax_without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def _values_only(tree):
    if isinstance(tree, dict):
        return {k: _values_only(v) for k, v in tree.items() if k not in ("source", "unit")}
    return tree
