"""A finished sweep's runs as scenario discovery reads them: the parameters each design run used
(the inputs) beside every outcome it recorded, both from the sweep's outputs.csv, and the
sweep's resolved config (sweep.json) for the parameters' ranges and units.

Only a finished sweep is read (a folder with manifest.json): a sweep still running or killed
has no outputs.csv yet, and discovering boxes in part of a design would describe the design's
order, not the model.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..files import read_csv
from ..sensitivity.design import block_size
from ..sensitivity.results import OUTPUTS_FILE
from ..sensitivity.sweep import MANIFEST, SWEEP_FILE, TEMP_PREFIX

__all__ = ["SweepRuns", "read_sweep"]

#: Columns of outputs.csv that are neither parameters nor outcomes.
BOOKKEEPING = ("run", "key", "replication")


@dataclass(frozen=True)
class SweepRuns:
    folder: Path
    spec: dict  # the resolved sweep config (sweep.json's "spec")
    inputs: pd.DataFrame  # one column per swept parameter, one row per design run
    outcomes: pd.DataFrame  # one column per recorded outcome, same rows

    @property
    def parameters(self) -> dict:
        return self.spec["parameters"]

    @property
    def horizon_years(self) -> int:
        return int(self.spec["experiment"]["years"])


def read_sweep(folder) -> SweepRuns:
    """The runs of a finished sweep folder, or ConfigError naming what is missing."""
    path = Path(folder)
    finished = "a finished sweep folder (the folder `sim sweep` printed last)"
    if not path.is_dir():
        raise ConfigError("no such folder", file=path, expected=finished)
    if not (path / SWEEP_FILE).is_file():
        raise ConfigError(f"not a sweep folder (no {SWEEP_FILE})", file=path, expected=finished)
    if not (path / MANIFEST).is_file() or path.name.startswith(TEMP_PREFIX):
        raise ConfigError("the sweep has not finished (no manifest.json)", file=path, expected=finished,
                          hint=f"finish it first: sim sweep --resume {path}")
    spec = _read_spec(path / SWEEP_FILE)
    table = _read_outputs(path / OUTPUTS_FILE)
    params = list(spec["parameters"])
    missing = [p for p in params if p not in table.columns]
    if missing:
        raise ConfigError(f"{OUTPUTS_FILE} lacks the columns of swept parameters: {', '.join(missing)}",
                          file=path / OUTPUTS_FILE, expected=_as_written(path))
    outcomes = [c for c in table.columns if c not in params and c not in BOOKKEEPING]
    wrote = _as_written(path)
    rows = _design_rows(spec, path / SWEEP_FILE) or len(table)
    if table["run"].tolist() != list(range(rows)):  # rows lost at a line boundary: the design's order, not the model
        raise ConfigError(f"{OUTPUTS_FILE} does not hold the design's {rows} runs in order (it has {len(table)})",
                          file=path / OUTPUTS_FILE, expected=wrote)
    for group, kind in ((params, "a parameter value"), (outcomes, "an outcome")):
        for column in group:  # an empty cell is NaN (never paid back); text is damage, not NaN
            try:
                values = pd.to_numeric(table[column], errors="raise").astype(float)
            except (TypeError, ValueError) as err:
                raise ConfigError(f"{OUTPUTS_FILE} holds {kind} that is not a number ({err})",
                                  file=path / OUTPUTS_FILE, key=column, expected=wrote) from None
            if group is params and not np.isfinite(values).all():
                raise ConfigError(f"{OUTPUTS_FILE} holds {kind} that is not a finite number",
                                  file=path / OUTPUTS_FILE, key=column, expected=wrote)
            table[column] = values
    return SweepRuns(path, spec, table[params], table[outcomes])


def _design_rows(spec: dict, file: Path) -> int | None:
    """How many runs the sweep's design has (None for a spec that does not say, as in tests)."""
    if "n" not in spec:
        return None
    try:
        rows = spec["n"] * block_size(spec)
        if not isinstance(rows, int) or rows < 1:
            raise ValueError(rows)
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"damaged {file.name} (the design's size: {type(err).__name__} {err})", file=file,
                          expected="the file a sweep writes") from None
    return rows


def _read_spec(path: Path) -> dict:
    try:
        state = json.loads(path.read_bytes().decode("utf-8"))
        spec = state["spec"]
        if not isinstance(spec["parameters"], dict) or "years" not in spec["experiment"]:
            raise KeyError("parameters or experiment.years")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as err:
        raise ConfigError(f"damaged {path.name} ({type(err).__name__}: {err})", file=path,
                          expected="the file a sweep writes") from None
    return spec


def _read_outputs(path: Path) -> pd.DataFrame:
    if not path.exists() and not path.is_symlink():
        raise ConfigError(f"the sweep has no {OUTPUTS_FILE}", file=path.parent,
                          expected=f"a finished sweep (sim sweep --resume {path.parent} writes it again)")
    return read_csv(path, columns=("run",), expected=_as_written(path.parent))


def _as_written(folder: Path) -> str:
    return f"the file the sweep wrote (sim sweep --resume {folder} writes it again)"
