"""Scenario discovery on a finished sweep: read its runs, mark the cases of interest, find the
boxes, write them, the trade-off chart and the sentences into the sweep folder.

Layout, one folder per question so that several can sit side by side::

    SWEEP_DIR/discover-<outcome>-<rule>-<threshold>/     e.g. discover-break_even_year-within-8
        boxes.csv       one row per restricted parameter of each box: its range, the sweep's
                        range, the quasi-p values, and the box's coverage, density and mass
        peeling.csv     every step of every box's peeling trajectory, PRIM's and pruned
        peeling.png/svg the trade-off chart, chosen boxes marked
        sentences.md    one sentence per box, English and Dutch
        summary.json    all of the above in one file, with the rule, settings and versions

Every file is written atomically (sim.files); the same sweep and question give the same bytes,
except summary.json's software versions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..files import write_text_atomic
from .prim import PRIM_SETTINGS, SIGNIFICANCE, Box, find_boxes, workbench_version
from .rule import BREAK_EVEN, OutcomeRule, check_outcome
from .sentences import sentences
from .sweep_data import read_sweep

__all__ = ["Discovery", "discover", "FOLDER_PREFIX"]

FOLDER_PREFIX = "discover-"


@dataclass(frozen=True)
class Discovery:
    folder: Path  # where the files were written
    rule: OutcomeRule
    boxes: list[Box]
    sentences: dict[str, list[str]]  # {"en": [...], "nl": [...]}
    notes: list[str]  # what the user should know about the data (NaN runs, a threshold past the horizon)
    files: list[str]


def discover(sweep_folder, rule: OutcomeRule, *, min_density: float = 0.5, max_boxes: int = 3) -> Discovery:
    """Run PRIM on the sweep's runs for ``rule`` and write the results (module docstring)."""
    if not (0 < min_density <= 1):  # also false for NaN
        raise ConfigError("the minimum density is a share of runs", key="--min-density", found=min_density,
                          expected="a number in (0, 1], e.g. 0.5")
    if not 1 <= max_boxes <= 10:
        raise ConfigError("number of boxes out of range", key="--max-boxes", found=max_boxes,
                          expected="a whole number from 1 to 10")
    runs = read_sweep(sweep_folder)
    out = runs.folder / f"{FOLDER_PREFIX}{rule.slug}"
    if out.exists() and not out.is_dir() or out.is_symlink() and not out.exists():
        raise ConfigError("not a folder", file=out, expected="the folder an earlier `sim discover` wrote, or "
                                                             "nothing: move it away")
    recorded = list(runs.outcomes.columns)
    values = runs.outcomes[rule.outcome] if rule.outcome in recorded else None
    cases = check_outcome(rule, recorded, values, where=runs.folder)
    notes = _notes(rule, values, runs.horizon_years)
    boxes = find_boxes(runs.inputs, cases, min_density=min_density, max_boxes=max_boxes)
    if not boxes:
        raise ConfigError(f"PRIM found no box of runs where {rule.describe()} holds in at least {min_density:.0%} "
                          f"of them with only significant restrictions ({int(cases.sum())} of {len(cases)} runs meet "
                          "it overall)", file=runs.folder,
                          hint="a lower --min-density, a larger sweep (more runs make restrictions significant), "
                               "or another threshold")
    texts = sentences(boxes, rule, runs.parameters)
    out.mkdir(exist_ok=True)
    files = _write(out, runs, rule, boxes, texts, notes, cases, min_density=min_density, max_boxes=max_boxes)
    return Discovery(out, rule, boxes, texts, notes, files)


def _notes(rule: OutcomeRule, values, horizon: int) -> list[str]:
    import numpy as np

    notes = []
    missing = int((~np.isfinite(np.asarray(values, dtype=float))).sum())
    if rule.outcome == BREAK_EVEN:
        if missing:
            notes.append(f"{missing} runs do not pay back within the horizon of {horizon} years (break-even year "
                         f"NaN); they count as {'meeting' if rule.rule == 'beyond' else 'not meeting'} the rule")
        if rule.rule in ("within", "beyond") and rule.threshold >= horizon:
            notes.append(f"the sweep's horizon is {horizon} years, so --{rule.rule} {rule.threshold:g} asks whether "
                         "the investment pays back within the horizon at all")
    elif missing:
        notes.append(f"{missing} runs have no value of {rule.outcome} (NaN); they count as not meeting the rule")
    return notes


def _write(out: Path, runs, rule: OutcomeRule, boxes: list[Box], texts: dict, notes: list[str], cases, *,
           min_density: float, max_boxes: int) -> list[str]:
    import pandas as pd

    from ..analysis.discover_chart import draw_tradeoff_chart
    from ..manifest import provenance, to_json

    boxes_table = pd.DataFrame(_box_rows(boxes, runs.parameters))
    write_text_atomic(out / "boxes.csv", boxes_table.to_csv(index=False))
    peeling = pd.concat([b.trajectory.assign(box=b.number) for b in boxes], ignore_index=True)
    peeling = peeling[["box"] + [c for c in peeling.columns if c != "box"]]
    write_text_atomic(out / "peeling.csv", peeling.to_csv(index=False))
    title = f"{runs.spec.get('name', runs.folder.name)}: scenario discovery, {rule.describe()}"
    files = ["boxes.csv", "peeling.csv"]
    files += draw_tradeoff_chart(boxes, title=title, min_density=min_density, directory=out)
    write_text_atomic(out / "sentences.md", _markdown(runs, rule, texts, cases))
    files.append("sentences.md")
    files.append("summary.json")
    summary = {
        "sweep": runs.spec.get("name"),
        "sweep_folder": runs.folder.resolve(),
        "rule": {"outcome": rule.outcome, "rule": rule.rule, "threshold": rule.threshold,
                 "description": rule.describe()},
        "runs": len(cases),
        "cases_of_interest": int(cases.sum()),
        "settings": {"min_density": min_density, "max_boxes": max_boxes, "significance": SIGNIFICANCE,
                     "choice": "highest F1 of coverage and density among steps pruned to significant restrictions",
                     "prim": PRIM_SETTINGS, "ema_workbench": workbench_version()},
        "boxes": [_box_summary(b) for b in boxes],
        "sentences": texts,
        "notes": notes,
        "files": files,
        **provenance(),
    }
    write_text_atomic(out / "summary.json", to_json(summary, indent=2))
    return files


def _box_rows(boxes: list[Box], parameters: dict) -> list[dict]:
    rows = []
    for b in boxes:
        for name, (low, high) in b.limits.items():
            spec = parameters.get(name, {})
            sweep_low, sweep_high = spec.get("range", (math.nan, math.nan))
            p_low, p_high = b.p_values[name]
            rows.append({"box": b.number, "parameter": name, "low": low, "high": high,
                         "sweep_low": sweep_low, "sweep_high": sweep_high, "scale": bool(spec.get("scale", False)),
                         "unit": spec.get("unit", ""), "p_value_low": p_low, "p_value_high": p_high,
                         "coverage": b.coverage, "density": b.density, "mass": b.mass, "runs": b.runs,
                         "cases": b.hits, "step": b.step})
    return rows


def _box_summary(b: Box) -> dict:
    return {"box": b.number, "step": b.step, "coverage": b.coverage, "density": b.density, "mass": b.mass,
            "runs": b.runs, "cases": b.hits,
            "limits": {name: {"low": lo, "high": hi, "p_value_low": b.p_values[name][0],
                              "p_value_high": b.p_values[name][1]} for name, (lo, hi) in b.limits.items()}}


def _markdown(runs, rule: OutcomeRule, texts: dict, cases) -> str:
    lines = [f"# Scenario discovery: {rule.describe()}", "",
             f"Sweep `{runs.spec.get('name', runs.folder.name)}`: {int(cases.sum())} of {len(cases)} runs meet the "
             "rule. Coverage, density and mass are explained in docs/sensitivity.md, \"Scenario discovery\".", ""]
    for heading, lang in (("English", "en"), ("Nederlands", "nl")):
        lines += [f"## {heading}", ""] + [f"- Box {i}: {s}" for i, s in enumerate(texts[lang], 1)] + [""]
    return "\n".join(lines)
