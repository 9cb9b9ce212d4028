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

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..problem import Parameter, overrides, parse_element
from . import default_leaves

POSTERIOR_FILE = Path(__file__).resolve().parents[2] / "calibration" / "posterior.csv"


def read_posterior(path: Path = POSTERIOR_FILE) -> pd.DataFrame:
    """Parameter columns of a posterior file, validated (once per version of the file)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None:
        return _read_posterior(path)
    return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return _read_posterior(Path(path))


def _read_posterior(path: Path) -> pd.DataFrame:
    """Parameter columns of a posterior file (unknown non-parameter columns dropped), checked:
    readable text, at least one parameter column, every value a finite number, list elements
    inside their list, values the parameters accept, and — for the shipped file — as many rows
    and the same columns as the calibration recorded in calibration_config.json. A damaged file
    is an error naming it, never a silently different posterior mean."""
    path = Path(path)
    try:
        table = pd.read_csv(path, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("posterior file not found", file=path, expected="a CSV written by `sim calibrate`") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"posterior file is not UTF-8 text (byte {err.start})", file=path,
                          expected="the CSV `sim calibrate` writes") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise ConfigError(f"posterior file is not a readable CSV ({str(err).splitlines()[0]})", file=path,
                          expected="the CSV `sim calibrate` writes; run it again") from None
    leaves = default_leaves()
    keep = []
    for column in table.columns:
        key, index = parse_element(str(column))
        if key in leaves:
            if index is not None and index >= len(leaves[key].value):
                raise ConfigError("posterior column names a list element that does not exist", file=path,
                                  key=column, expected=f"{key}[0] to {key}[{len(leaves[key].value) - 1}]")
            keep.append(column)
    if not keep:
        raise ConfigError("posterior file has no parameter columns", file=path,
                          expected="columns named like hazards.finance.onset or key[i]")
    if table.empty:
        raise ConfigError("posterior file has no rows", file=path, expected="at least one parameter set")
    values = table[keep].apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(float))
    if bad.any():
        row, col = map(int, np.argwhere(bad)[0])
        raise ConfigError("posterior value is not a finite number", file=path, line=row + 2, key=keep[col],
                          found=table[keep].iloc[row, col], expected="a number (the file may be damaged: "
                                                                     "run `sim calibrate` again)")
    _check_against_record(path, values)
    try:
        from . import Parameters
        for i in range(len(values)):
            Parameters.build(row_overrides(values.iloc[i]))
    except ConfigError as err:
        raise ConfigError(f"posterior row {i + 1}: {err.message}", file=path, line=i + 2, key=err.key,
                          found=err.found, expected=err.expected) from None
    return values


def _check_against_record(path: Path, values: pd.DataFrame) -> None:
    """The shipped posterior must have the rows and columns its calibration wrote."""
    record = path.parent / "calibration_config.json"
    if path.resolve() != POSTERIOR_FILE.resolve() or not record.is_file():
        return
    import json

    try:
        meta = json.loads(record.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError("calibration record is damaged", file=record, expected="the JSON `sim calibrate` writes") \
            from None
    n, columns = meta.get("n_posterior"), list((meta.get("posterior_mean") or {}).keys())
    if n is not None and len(values) != n:
        raise ConfigError("posterior file has a different number of rows than the calibration wrote", file=path,
                          found=len(values), expected=f"{n} rows ({record.name}); the file may be truncated")
    if columns and list(values.columns) != columns:
        raise ConfigError("posterior file has other columns than the calibration wrote", file=path,
                          found=list(values.columns), expected=f"{columns} ({record.name})")


def row_overrides(row: pd.Series) -> dict:
    """One posterior row -> parameter overrides, by the problem definition's rule (sim/problem.py):
    a column ``key[i]`` sets one element of a list onto the defaults, any other column the value
    (rounded where the parameter is a whole number)."""
    leaves = default_leaves()
    parameters = {}
    for column in row.index:
        key, index = parse_element(column)
        default = None if index is not None else leaves[key].value
        parameters[column] = Parameter.from_name(
            column, integer=isinstance(default, int) and not isinstance(default, bool))
    return overrides({column: float(value) for column, value in row.items()}, parameters, {})


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
