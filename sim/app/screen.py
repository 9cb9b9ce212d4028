"""What the what-if screen shows of one run, made by the report's own code.

A run's folder (written by `sim run` or sim.run.experiment.run_experiment) is summarised with
sim.analysis.summary.summarise, its charts drawn by sim.analysis.charts.all_charts, and its
headline and tables built by sim.analysis.report_sections — the same functions, texts and
numbers as report.html. The only thing this module adds is the choice of perspective: for the
municipality's budget the summary is made of the municipality's cost columns alone (every other
payer's lines left out), so NPV, break-even, the J-curve and the chance of breaking even per
council term are the municipality's.

Everything returned is plain data (strings, bytes, the report's Table and Sentence objects), so
it is computed in a worker process and cached by the page.
"""
from __future__ import annotations

import base64
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis import report_sections as sections
from ..analysis.charts import all_charts
from ..analysis.i18n import fmt_eur, label, t
from ..analysis.report import GENERATION_METRICS
from ..analysis.summary import Summary, cost_columns, parse_cost_column, summarise

PERSPECTIVES = ("all", "municipality")
SHOWN_CHARTS = ("jcurve", "break_even_distribution", "cost_shifts", "households_by_level", "intergenerational")


@dataclass
class Screen:
    """One run as the screen shows it."""

    stage: str  # preliminary | final
    complete: bool  # every chart drawn (else only QUICK_CHARTS)
    language: str
    perspective: str
    households: int
    replications: int
    seconds: float  # of the run
    headline: list = field(default_factory=list)  # report_sections.Sentence
    tables: list = field(default_factory=list)  # report_sections.Table, in the order shown
    figures: list = field(default_factory=list)  # (png bytes, alt, caption)
    figures_by_name: dict = field(default_factory=dict)  # chart name -> index in figures
    numbers: dict = field(default_factory=dict)  # the focus scenario's summary rows: metric -> (mean, p05, p95)


def perspective_view(ts: pd.DataFrame, perspective: str) -> pd.DataFrame:
    """The time series seen from `perspective`: all public payers as run, or the municipality's
    own cost lines only (the other payers' cost columns left out)."""
    if perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be one of {PERSPECTIVES}, got {perspective!r}")
    if perspective == "all":
        return ts
    other = [c for c in cost_columns(ts) if parse_cost_column(c)[1] != "municipality"]
    return ts.drop(columns=other)


def lines_table(s: Summary, scenario: str, language: str) -> sections.Table:
    """Net extra cost per budget line at the horizon, discounted, with its interval (the cost
    shifts chart's numbers as a table)."""
    cum = s.cumulative
    last = cum[(cum["scenario"] == scenario) & (cum["view"] == "line") & (cum["basis"] == "discounted")]
    last = last[last["year"] == last["year"].max()]
    rows = []
    for _, r in last.iterrows():
        if abs(r["mean"]) < 0.5 and abs(r["p05"]) < 0.5 and abs(r["p95"]) < 0.5:
            continue  # a line this choice does not touch
        css = "num pays" if r["mean"] > 0.5 else ("num gains" if r["mean"] < -0.5 else "num")
        rows.append((label("line", r["key"], language),
                     [sections.cell(fmt_eur(r["mean"], language), fmt_eur(r["p05"], language),
                                    fmt_eur(r["p95"], language), css_class=css)]))
    return sections.Table(t("app.lines_caption", language), [t("app.line", language), t("app.amount", language)], rows)


QUICK_CHARTS = ("jcurve",)  # the first answer shows these at once, the rest when drawn


def make_screen(folder, *, perspective: str, language: str, stage: str, charts=SHOWN_CHARTS,
                labels: dict | None = None) -> Screen:
    """The screen of the run in results folder `folder`, with the charts named in `charts`;
    `labels` (scenario -> name) in the screen's language, else the run's own."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    cfg = manifest["config"]
    baseline = cfg["run"]["baseline"]
    ts = perspective_view(pd.read_parquet(folder / "timeseries.parquet"), perspective)
    s = summarise(ts, baseline=baseline, discount_rate=cfg["run"]["discount_rate"])
    labels = labels or {name: body.get("label") or name for name, body in cfg["scenarios"].items()}
    others = [x for x in s.scenarios if x != baseline]
    focus = others[0]
    screen = Screen(stage=stage, complete=set(charts) >= set(SHOWN_CHARTS), language=language, perspective=perspective,
                    households=int(cfg["population"]["households"]), replications=int(cfg["run"]["replications"]),
                    seconds=float(manifest.get("seconds") or 0.0))
    screen.headline = sections.headline(s, focus, language, labels)
    screen.tables = [sections.key_table(s, others, language, labels), sections.terms_table(s, others, language, labels),
                     sections.wrong_pocket_table(s, others, language, labels), lines_table(s, focus, language),
                     sections.metric_table(s, s.scenarios, GENERATION_METRICS, t("report.gen_caption", language),
                                           language, labels)]
    with tempfile.TemporaryDirectory() as tmp:
        made = all_charts(s, Path(tmp), language=language, ts=ts, focus=focus, labels=labels, only=charts)
        figures = sections.chart_figures(made, s, focus, others, language, labels)
        names = [k for k in sections.CHART_TEXTS if k in made]  # chart_figures keeps this order
        for name, fig in zip(names, figures):
            screen.figures_by_name[name] = len(screen.figures)
            screen.figures.append((base64.b64decode(fig.png_base64), fig.alt, fig.caption))
    rows = s.summary[s.summary["scenario"] == focus]
    screen.numbers = {r.metric: (float(r.mean), float(r.p05), float(r.p95)) for r in rows.itertuples()}
    return screen
