"""From a results folder's time series to its summary tables, charts and report.

Called at the end of `sim run` (on the temporary folder, before it is moved into place) and by
`sim report RESULTS_DIR`. The analysis reads what the run wrote; it never runs the model.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from ..files import read_csv
from ..params import resolve
from .report import write_report
from .summary import SUMMARY_AGAIN, Summary, summarise


def assumptions_table(overrides: dict) -> pd.DataFrame:
    """Every parameter as run (defaults with the experiment's common overrides), with its source."""
    rows = []
    for leaf in resolve(overrides).values():
        rows.append({"name": leaf.key, "value": leaf.value, "unit": leaf.unit,
                     "source": leaf.source + ("" if leaf.key not in overrides else " (set by this experiment)")})
    return pd.DataFrame(rows)


def read_assumptions(path) -> pd.DataFrame:
    """assumptions.csv as written: values back to numbers, lists and tables (CSV stores their
    text), so `sim report` formats them as `sim run` did."""
    frame = read_csv(path, columns=("name", "value"), expected=SUMMARY_AGAIN, dtype={"value": str}, keep_default_na=False)
    frame["value"] = [_literal(v) for v in frame["value"]]
    return frame


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def analyse_folder(folder, *, ts: pd.DataFrame | None = None, manifest: dict | None = None,
                   language: str | None = None, only_report: bool = False) -> Path:
    """Write summary CSVs, charts/ and report.html into `folder`; return the report's path.

    With `only_report` (``sim report``) an existing summary is read, not recomputed, and only
    the charts and the report are rewritten — each replaced whole, never half-written."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise FileNotFoundError(f"{folder} is not a results folder (no manifest.json)")
    manifest = manifest or json.loads((folder / "manifest.json").read_text("utf-8"))
    cfg = manifest["config"]
    baseline = cfg["run"]["baseline"]
    language = language or cfg["experiment"]["language"]
    if ts is None:
        ts = pd.read_parquet(folder / "timeseries.parquet")
    if only_report and (folder / "summary.csv").is_file():
        summary = Summary.from_dir(folder)
        assumptions = read_assumptions(folder / "assumptions.csv")
    else:
        sampled = (manifest.get("parameters") or {}).get("posterior") == "sample"
        summary = summarise(ts, baseline=baseline, discount_rate=cfg["run"]["discount_rate"],
                            parameter_uncertainty=sampled)
        summary.meta["experiment"] = manifest.get("experiment")
        summary.meta["config_hash"] = manifest.get("config_hash")
        summary.to_dir(folder)
        assumptions = assumptions_table(cfg.get("parameters") or {})
        assumptions.to_csv(folder / "assumptions.csv", index=False)
    from .league import league_table, scenario_interventions

    league_file = folder / "league.csv"
    if only_report and league_file.is_file():
        league = read_csv(league_file, columns=("scenario", "who_gains"),
                          expected="the file `sim run` wrote; delete it and `sim report` computes it again")
        league["who_gains"] = league["who_gains"].fillna("")  # an empty cell = nobody gains, not NaN
    else:
        league = league_table(ts, cfg, discount_rate=cfg["run"]["discount_rate"])
        if league is not None:
            league.to_csv(league_file, index=False)
    generic = any("custom" in ids for ids in scenario_interventions(cfg).values())
    scenarios = cfg["scenarios"]
    labels = {name: s.get("label") or name for name, s in scenarios.items()}
    spend = {name: float(s["spend_per_household"]) for name, s in scenarios.items()
             if s.get("spend_per_household") is not None}
    spend.setdefault(baseline, 0.0)
    tmp, charts_tmp = folder / ".report.html.tmp", folder / ".charts.tmp"
    shutil.rmtree(charts_tmp, ignore_errors=True)
    try:
        write_report(summary, language=language, out_path=tmp, assumptions=assumptions,
                     spend_per_household=spend if len(spend) > 2 else None, labels=labels, ts=ts,
                     baseline=baseline, discount_rate=cfg["run"]["discount_rate"], charts_dir=charts_tmp,
                     title=cfg["experiment"].get("description") or cfg["experiment"].get("name"),
                     league=league, generic_lever=generic)
        shutil.rmtree(folder / "charts", ignore_errors=True)
        os.replace(charts_tmp, folder / "charts")
        os.replace(tmp, folder / "report.html")
    finally:
        shutil.rmtree(charts_tmp, ignore_errors=True)
        tmp.unlink(missing_ok=True)
    return folder / "report.html"
