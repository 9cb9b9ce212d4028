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

import pandas as pd

from ..errors import ConfigError
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
                          file=path / OUTPUTS_FILE, expected="the file the sweep wrote (sim sweep --resume "
                                                             f"{path} writes it again)")
    outcomes = [c for c in table.columns if c not in params and c not in BOOKKEEPING]
    try:
        inputs = table[params].astype(float)
        values = table[outcomes].apply(pd.to_numeric, errors="coerce")
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{OUTPUTS_FILE} holds a parameter value that is not a number ({err})",
                          file=path / OUTPUTS_FILE, expected="the file the sweep wrote") from None
    return SweepRuns(path, spec, inputs, values)


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
    if not path.is_file():
        raise ConfigError(f"the sweep has no {OUTPUTS_FILE}", file=path.parent,
                          expected=f"a finished sweep (sim sweep --resume {path.parent} writes it again)")
    try:
        return pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise ConfigError(f"cannot read {OUTPUTS_FILE} ({err})", file=path, expected="the file the sweep wrote") \
            from None
