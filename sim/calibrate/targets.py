"""Calibration targets as data: one row per observed figure, read from a CSV.

A target says what the world shows (``value`` in ``unit`` for ``year``, from ``source``),
how sure we are that the model's number should match it (``tolerance``, one standard
deviation of observation error plus model discrepancy, in the same unit as ``value``) and
which model statistic it is compared with (``statistic``; see :mod:`sim.calibrate.statistics`).
``derivation`` records any arithmetic between the published figure and ``value`` (for
example persons -> households), so a reader can redo it.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import ConfigError

__all__ = ["TARGET_COLUMNS", "load_targets", "validate_targets", "write_targets", "merge_targets"]

#: The columns of every targets CSV, in this order.
TARGET_COLUMNS = (
    "name", "value", "unit", "year", "definition", "source", "tolerance", "derivation", "statistic",
)
_TEXT_REQUIRED = ("name", "unit", "definition", "source", "statistic")


def validate_targets(df: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Check a targets table and return it with clean dtypes.

    Every row needs a unique name, a finite value, a positive finite tolerance, a year, a
    source and the statistic the model must report. Extra columns are kept.
    """
    missing = [c for c in TARGET_COLUMNS if c not in df.columns]
    if missing:
        raise ConfigError("targets table lacks columns", file=file, found=missing,
                          expected=", ".join(TARGET_COLUMNS))
    out = df.copy()
    out["derivation"] = out["derivation"].fillna("").astype(str)
    for col in ("value", "tolerance"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    for i, row in out.iterrows():
        name = row["name"]
        for col in _TEXT_REQUIRED:
            if not isinstance(row[col], str) or not row[col].strip():
                raise ConfigError("empty text field in targets row", file=file, key=f"{name}.{col}",
                                  found=row[col])
        if not math.isfinite(row["value"]):
            raise ConfigError("target value is not a number", file=file, key=f"{name}.value",
                              found=df.loc[i, "value"])
        if not (math.isfinite(row["tolerance"]) and row["tolerance"] > 0):
            raise ConfigError("tolerance must be a positive number", file=file, key=f"{name}.tolerance",
                              found=df.loc[i, "tolerance"], hint="one standard deviation, same unit as value")
        if not math.isfinite(row["year"]):
            raise ConfigError("year must be a number", file=file, key=f"{name}.year", found=df.loc[i, "year"])
    dup = out["name"][out["name"].duplicated()].tolist()
    if dup:
        raise ConfigError("target names must be unique", file=file, found=dup)
    out["year"] = out["year"].astype(int)
    return _in_model_prices(out).reset_index(drop=True)


def _in_model_prices(df: pd.DataFrame) -> pd.DataFrame:
    """Euro targets in the model's price year (sim/params/prices.py), once: a row's euros are
    of its `price_year` column if set, else of its `year`; converted rows record the new one."""
    from ..params import prices

    base = prices.price_year()
    if "price_year" not in df.columns:
        df["price_year"] = pd.NA
    for i, row in df.iterrows():
        if not str(row["unit"]).startswith("EUR"):
            continue
        year = int(row["price_year"]) if pd.notna(row["price_year"]) else int(row["year"])
        if year != base:
            factor = prices.index_factor(year)
            df.loc[i, "value"] = row["value"] * factor
            df.loc[i, "tolerance"] = row["tolerance"] * factor
        df.loc[i, "price_year"] = base
    return df


def load_targets(path: str | Path) -> pd.DataFrame:
    """Read and validate a targets CSV (e.g. ``calibration/targets_nl.csv``)."""
    path = Path(path)
    if not path.exists():
        raise ConfigError("targets file not found", file=path)
    try:
        df = pd.read_csv(path, dtype={"derivation": str}, keep_default_na=False,
                         na_values={"value": [""], "tolerance": [""]}, encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"targets file is not UTF-8 text (byte {err.start})", file=path,
                          expected="a CSV saved as UTF-8") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ConfigError(f"targets file is not a readable CSV ({str(err).splitlines()[0]})", file=path,
                          expected=f"a CSV with columns {', '.join(TARGET_COLUMNS)}") from None
    return validate_targets(df, file=path)


def write_targets(df: pd.DataFrame, path: str | Path) -> Path:
    """Validate and write a targets table with the standard column order."""
    path = Path(path)
    df = validate_targets(df, file=path)
    extra = [c for c in df.columns if c not in TARGET_COLUMNS]
    path.parent.mkdir(parents=True, exist_ok=True)
    df[list(TARGET_COLUMNS) + extra].to_csv(path, index=False)
    return path


def merge_targets(base: pd.DataFrame, local: pd.DataFrame) -> pd.DataFrame:
    """Local rows replace base rows that report the same ``statistic``; the rest are kept.

    Use: national targets as the base, a municipality's fetched figures on top.
    """
    base = validate_targets(base)
    local = validate_targets(local)
    kept = base[~base["statistic"].isin(set(local["statistic"]))]
    return validate_targets(pd.concat([kept, local], ignore_index=True))
