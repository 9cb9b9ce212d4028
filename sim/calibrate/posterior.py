"""How experiments use the calibration: the posterior's mean, or one parameter set per replication.

`calibration/posterior.csv` holds the plausible parameter sets that `sim calibrate` kept, one
row each, one column per dotted parameter key (`hazards.finance.onset`, or `key[i]` for one
element of a list parameter); other columns (weights, simulated targets) are ignored.

run.posterior in an experiment config:
  auto   - `mean` when a posterior file exists, else `none` (the default)
  none   - the defaults in sim/params
  mean   - the posterior mean of every calibrated parameter, for every run
  sample - replication r uses posterior row r of a seeded shuffle: probabilistic sensitivity
           analysis, so the intervals carry parameter uncertainty as well as chance
Explicit overrides in the experiment always win over the posterior.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..params import default_leaves

POSTERIOR_FILE = Path(__file__).resolve().parents[2] / "calibration" / "posterior.csv"
_ELEMENT = re.compile(r"^(?P<key>.+)\[(?P<i>\d+)\]$")


def read_posterior(path: Path = POSTERIOR_FILE) -> pd.DataFrame:
    """Parameter columns of a posterior file (unknown non-parameter columns dropped)."""
    table = pd.read_csv(path)
    leaves = default_leaves()
    keep = []
    for column in table.columns:
        match = _ELEMENT.match(column)
        key = match.group("key") if match else column
        if key in leaves:
            keep.append(column)
    if not keep:
        raise ConfigError("posterior file has no parameter columns", file=path,
                          expected="columns named like hazards.finance.onset or key[i]")
    return table[keep]


def row_overrides(row: pd.Series) -> dict:
    """One posterior row -> parameter overrides (list elements assembled onto the defaults)."""
    leaves = default_leaves()
    out: dict = {}
    for column, value in row.items():
        match = _ELEMENT.match(column)
        if match:
            key = match.group("key")
            values = list(out.get(key, leaves[key].value))
            values[int(match.group("i"))] = float(value)
            out[key] = values
        else:
            default = leaves[column].value
            out[column] = int(round(value)) if isinstance(default, int) and not isinstance(default, bool) else float(value)
    return out


@dataclass
class ParameterDraws:
    mode: str
    path: str | None = None
    rows: list = field(default_factory=list)  # overrides per posterior row used

    def overrides_for(self, scenario: str, replication: int) -> dict:
        if not self.rows:
            return {}
        if self.mode == "mean":
            return self.rows[0]
        return self.rows[replication % len(self.rows)]

    def describe(self) -> dict:
        return {"posterior": self.mode, "file": self.path,
                "sets_used": len(self.rows) if self.mode == "sample" else (1 if self.rows else 0),
                "mean_overrides": self.rows[0] if self.mode == "mean" and self.rows else None}


def parameter_draws(exp, path: Path = POSTERIOR_FILE) -> ParameterDraws:
    mode = exp.posterior
    if mode == "auto":
        mode = "mean" if path.is_file() else "none"
    if mode == "none":
        return ParameterDraws("none")
    if not path.is_file():
        raise ConfigError("run.posterior asks for the calibration but there is none", key="run.posterior",
                          found=exp.posterior, expected=f"a posterior at {path} (run `sim calibrate`) or 'none'")
    table = read_posterior(path)
    if mode == "mean":
        return ParameterDraws("mean", str(path), [row_overrides(table.mean())])
    order = np.random.default_rng(exp.seed).permutation(len(table))
    rows = [row_overrides(table.iloc[i]) for i in order[: max(exp.replications, 1)]]
    return ParameterDraws("sample", str(path), rows)
