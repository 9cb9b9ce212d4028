"""The pieces of report.html as plain data for its template (templates/report.html.j2): the
headline, the tables (caption, header, rows of cells) and the figures.

Numbers are formatted here, in the report's language; the markup, and escaping it, is the
template's.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from .charts import ChartPaths
from .i18n import fmt_eur, fmt_number, fmt_pct, label, scenario_label, t
from .summary import BREAK_EVEN_WITHIN, Summary, break_even_index


def html_text(value) -> Markup:
    """``value`` escaped the way :func:`html.escape` does it (``&#x27;``, ``&quot;``), as report.html
    always has; Jinja's own escaping (markupsafe) writes ``&#39;`` and ``&#34;``. Markup passes."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


@dataclass(frozen=True)
class Cell:
    """A figure that does not break, with its 90% interval under it if given; or, with
    ``css_class`` None, plain text."""

    text: str
    interval: tuple[str, str] | None = None
    css_class: str | None = "num"


def cell(text: str, lo: str | None = None, hi: str | None = None, css_class: str = "num") -> Cell:
    return Cell(text, None if lo is None or hi is None else (lo, hi), css_class)


def text_cell(text: str) -> Cell:
    return Cell(text, css_class=None)


@dataclass(frozen=True)
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Cell]]]  # (row header, its cells)
    num_from: int | None = 1  # header cells from this column on align right, like the figures under them


@dataclass(frozen=True)
class Figure:
    number: int
    png_base64: str
    alt: str
    caption: str


@dataclass(frozen=True)
class Sentence:
    text: str  # or Markup, for a text that holds markup of its own
    css_class: str | None = None


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------- key figures


def headline(s: Summary, scenario: str, language: str, labels) -> list[Sentence]:
    """The focus scenario in sentences: what it costs and saves, whether and when it pays back,
    and which payer pays or gains."""
    years = int(s.meta.get("horizon_years", 0))
    first = int(s.meta.get("first_year", 0))
    inv, sav, npv = s.metric(scenario, "investment_discounted"), s.metric(scenario, "savings_discounted"), s.metric(scenario, "npv")
    if _finite(sav[0]) and sav[0] < 0:
        key, outcome = "report.headline_invest_neg", {"extra": fmt_eur(-sav[0], language)}
    else:
        key, outcome = "report.headline_invest", {"savings": fmt_eur(sav[0], language)}
    # This text holds markup of its own (<strong>), so its fields are escaped one by one instead.
    fields = {"scenario": scenario_label(scenario, language, baseline=s.baseline, labels=labels),
              "investment": fmt_eur(inv[0], language), **outcome}
    sentences = [Sentence(Markup(t(key, language, years=years, **{k: html_text(v) for k, v in fields.items()})))]
    npv_key = "report.headline_npv_pos" if npv[0] >= 0 else "report.headline_npv_neg"
    sentences.append(Sentence(t(npv_key, language, npv=fmt_eur(npv[0], language), npv_abs=fmt_eur(abs(npv[0]), language),
                                lo=fmt_eur(npv[1], language), hi=fmt_eur(npv[2], language)), "big"))
    p_h = s.metric(scenario, "p_break_even_horizon")[0]
    be = s.metric(scenario, "break_even_year")
    if _finite(p_h) and p_h > 0 and _finite(be[0]):
        sentences.append(Sentence(t("report.headline_be", language, p=fmt_pct(p_h, language),
                                    be=fmt_number(be[0], language, 1), cal=int(round(first + be[0] - 1)),
                                    lo=fmt_number(be[1], language), hi=fmt_number(be[2], language))))
    else:
        sentences.append(Sentence(t("report.headline_no_be", language, years=years)))
    terms = {}
    for y in BREAK_EVEN_WITHIN:
        p = s.metric(scenario, f"p_break_even_{y}y")[0]
        terms[f"p{y}"] = fmt_pct(p, language) if _finite(p) else t("report.beyond_horizon", language)
    sentences.append(Sentence(t("report.headline_terms", language, **terms)))
    wp = s.wrong_pocket[(s.wrong_pocket["scenario"] == scenario) & (s.wrong_pocket["payer"] != "total")]
    for _, r in wp.iterrows():
        if not _finite(r["mean"]) or abs(r["mean"]) < 0.5:
            continue
        payer = label("payer", r["payer"], language)
        if r["mean"] > 0:
            sentences.append(Sentence(t("report.headline_pays", language, payer=payer,
                                        amount=fmt_eur(r["mean"], language)), "pays"))
        else:
            sentences.append(Sentence(t("report.headline_gains", language, payer=payer,
                                        amount=fmt_eur(-r["mean"], language)), "gains"))
    return sentences


def key_table(s: Summary, scenarios: list[str], language: str, labels) -> Table:
    first = int(s.meta.get("first_year", 0))
    rows = []
    for sc in scenarios:
        npv = s.metric(sc, "npv")
        bcr = s.metric(sc, "benefit_cost_ratio")
        be = s.metric(sc, "break_even_year")
        p = s.metric(sc, "p_break_even_horizon")
        if _finite(be[0]):
            be_cell = cell(t("report.be_cell", language, be=fmt_number(be[0], language, 1), cal=int(round(first + be[0] - 1))),
                           fmt_number(be[1], language), fmt_number(be[2], language))
        else:
            be_cell = cell(t("not_within_horizon", language))
        rows.append((
            scenario_label(sc, language, baseline=s.baseline, labels=labels),
            [
                cell(fmt_eur(npv[0], language), fmt_eur(npv[1], language), fmt_eur(npv[2], language)),
                cell(fmt_number(bcr[0], language, 2), fmt_number(bcr[1], language, 2), fmt_number(bcr[2], language, 2)),
                be_cell,
                cell(fmt_pct(p[0], language), fmt_pct(p[1], language), fmt_pct(p[2], language)),
            ],
        ))
    header = [t("report.scenario", language), t("report.col_npv", language), t("report.col_bcr", language),
              t("report.col_be", language), t("report.col_p_horizon", language)]
    return Table(t("report.key_table_caption", language), header, rows)


def terms_table(s: Summary, scenarios: list[str], language: str, labels) -> Table:
    header = [t("report.scenario", language)] + [
        (t("hist.council_term_1", language) if y == 4 else t("hist.council_terms", language, n=y // 4))
        + " " + t("report.years_paren", language, years=y)
        for y in BREAK_EVEN_WITHIN
    ]
    rows = []
    for sc in scenarios:
        cells = []
        for y in BREAK_EVEN_WITHIN:
            m = s.metric(sc, f"p_break_even_{y}y")
            if _finite(m[0]):
                cells.append(cell(fmt_pct(m[0], language), fmt_pct(m[1], language), fmt_pct(m[2], language)))
            else:
                cells.append(cell(t("report.beyond_horizon", language)))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return Table(t("report.terms_caption", language), header, rows)


def wrong_pocket_table(s: Summary, scenarios: list[str], language: str, labels) -> Table:
    wp = s.wrong_pocket
    payers = list(dict.fromkeys(wp["payer"]))
    header = [t("report.scenario", language)] + [label("payer", p, language) for p in payers]
    rows = []
    for sc in scenarios:
        cells = []
        for p in payers:
            r = wp[(wp["scenario"] == sc) & (wp["payer"] == p)]
            if r.empty:
                cells.append(cell(t("not_applicable", language)))
                continue
            r = r.iloc[0]
            css = "num pays" if r["mean"] > 0.5 else ("num gains" if r["mean"] < -0.5 else "num")
            cells.append(cell(fmt_eur(r["mean"], language), fmt_eur(r["p05"], language), fmt_eur(r["p95"], language),
                              css_class=css))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return Table(t("report.wrong_pocket_caption", language), header, rows)


# ---------------------------------------------------------------- quality, generations, assumptions


def metric_table(s: Summary, scenarios: list[str], metrics: list[tuple[str, str]], caption: str, language: str,
                 labels) -> Table:
    """``metrics`` = (metric name, kind) with kind in pp / count / pct / weeks / eur."""
    def fmt(v, kind):
        if kind == "pp":
            return f"{fmt_number(100 * v, language, 1)} pp" if _finite(v) else t("not_applicable", language)
        if kind == "pct":
            return fmt_pct(v, language, 1)
        if kind == "weeks":
            return fmt_number(v, language, 1)
        if kind == "eur":
            return fmt_eur(v, language)
        return fmt_number(v, language)

    present = [(m, k) for m, k in metrics if (s.summary["metric"] == m).any()]
    header = [t("report.scenario", language)] + [t(f"metric.{m}", language) for m, _ in present]
    rows = []
    for sc in scenarios:
        cells = []
        for m, kind in present:
            mean, lo, hi = s.metric(sc, m)
            cells.append(cell(fmt(mean, kind), fmt(lo, kind), fmt(hi, kind)))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return Table(caption, header, rows)


def assumptions_table(frame: pd.DataFrame | None, language: str) -> Table | None:
    """Every parameter as run, one row each (None without a parameter table)."""
    if frame is None or frame.empty:
        return None
    known = {"name": "report.col_name", "value": "report.col_value", "unit": "report.col_unit", "source": "report.col_source"}
    cols = [c for c in known if c in frame.columns] + [c for c in frame.columns if c not in known]
    header = [t(known[c], language) if c in known else str(c) for c in cols]
    rows = []
    for _, r in frame.iterrows():
        texts = []
        for c in cols:
            v = r[c]
            if isinstance(v, float):
                texts.append(fmt_number(v, language, 0 if float(v).is_integer() else (4 if abs(v) < 1 else 2)))
            else:
                texts.append("" if v is None else str(v))
        rows.append((texts[0], [text_cell(x) for x in texts[1:]]))
    return Table(t("report.assumptions_caption", language), header, rows, num_from=None)


# ---------------------------------------------------------------- figures

# The charts of a run in the order the report shows them, with the keys of their alt text and caption.
CHART_TEXTS = {
    "jcurve": ("alt.jcurve", "caption.jcurve"),
    "cost_shifts": ("alt.shifts", "caption.shifts"),
    "break_even_distribution": ("alt.hist", "caption.hist"),
    "households_by_level": ("alt.levels", "caption.levels"),
    "intergenerational": ("alt.gen", "caption.gen"),
    "dose_response": ("alt.dose", "caption.dose"),
}


def figure(png: Path, alt: str, caption: str, number: int) -> Figure:
    return Figure(number, base64.b64encode(Path(png).read_bytes()).decode("ascii"), alt, caption)


def chart_figures(made: Mapping[str, ChartPaths], s: Summary, focus: str | None, others: list[str], language: str,
                  labels) -> list[Figure]:
    """The charts :func:`~sim.analysis.charts.all_charts` made, as numbered figures with alt text."""
    figures = []
    for key, (alt_key, caption_key) in CHART_TEXTS.items():
        if key not in made:
            continue
        alt = t(alt_key, language,
                detail=jcurve_detail(s, others, language, labels) if key == "jcurve" else "",
                scenario=scenario_label(focus or "", language, baseline=s.baseline, labels=labels))
        figures.append(figure(made[key].png, alt.strip(), t(caption_key, language), len(figures) + 1))
    return figures


def jcurve_detail(s: Summary, scenarios: list[str], language: str, labels) -> str:
    """What the J-curve shows, in words: per scenario the year its mean line breaks even."""
    data = s.cumulative[(s.cumulative["view"] == "total") & (s.cumulative["basis"] == "discounted")]
    bits = []
    for sc in scenarios:
        d = data[data["scenario"] == sc].sort_values("year")
        name = scenario_label(sc, language, baseline=s.baseline, labels=labels)
        be = break_even_index(d["mean"].to_numpy(), tolerance=1e-9 * max(1.0, float(d["mean"].abs().max() or 0)))
        if len(d) and _finite(be):
            year = int(d["year"].iloc[0]) + int(be) - 1
            bits.append(f"{name}: {t('jcurve.break_even_mean_path', language, year=year)}")
        else:
            bits.append(t("jcurve.no_break_even", language, scenario=name))
    return "; ".join(bits) + "."
