"""One self-contained ``report.html`` for an adviser to mail to a council clerk.

The file has no external resources: charts are embedded as base64 PNG, styles are inline, there
are no scripts, web fonts or links that load anything. Images carry alt text; tables have
captions and header cells. Dutch (``nl``) or English (``en``).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from . import charts as _charts
from .i18n import fmt_eur, fmt_number, fmt_pct, label, scenario_label, t
from .summary import BREAK_EVEN_WITHIN, DEFAULT_DISCOUNT_RATE, Summary, break_even_index, summarise

TIMESERIES_FILES = ("timeseries.parquet", "timeseries.csv", "ts.parquet", "ts.csv")
ASSUMPTION_FILES = ("assumptions.csv", "parameters.csv")

CSS = """
:root { --ink:#1a1a1a; --muted:#555; --line:#d0d0d0; --accent:#0072B2; --bg-soft:#f4f7fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); line-height: 1.5; margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 3rem;
       font-size: 1.05rem; background: #fff; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; }
p.subtitle { font-size: 1.1rem; color: var(--muted); margin: 0 0 0.4rem; }
p.meta { font-size: 0.9rem; color: var(--muted); margin: 0 0 1rem; }
.headline { background: var(--bg-soft); border-left: 6px solid var(--accent); padding: 0.9rem 1.1rem;
            margin: 1rem 0; }
.headline p { margin: 0.35rem 0; }
.big { font-size: 1.25rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.2rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; color: var(--ink); }
th, td { border-bottom: 1px solid var(--line); padding: 0.4rem 0.5rem; vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
.nw { white-space: nowrap; }
.interval { display: block; color: var(--muted); font-size: 0.85em; }
.pays { color: #a63c00; }
.gains { color: #00664a; }
figure { margin: 1.2rem 0 1.8rem; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { font-size: 0.95rem; color: var(--muted); margin-top: 0.3rem; }
ul.caveats li { margin: 0.4rem 0; }
footer { margin-top: 3rem; font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 0.6rem; }
@media print { body { max-width: none; } figure { page-break-inside: avoid; } }
"""


# ---------------------------------------------------------------- loading


def load_summary(
    source,
    *,
    baseline: str | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> tuple[Summary, pd.DataFrame | None]:
    """A :class:`Summary` (and the time series, if available) from whatever the caller has.

    ``source`` may be a :class:`Summary`; a time-series DataFrame (summarised here); a mapping of
    frames (``summary``, ``cumulative``, ``replications``, ``wrong_pocket``, optional ``yearly``
    and ``meta``, or ``ts``); or a directory holding :meth:`Summary.to_dir` output or a
    time-series file (one of :data:`TIMESERIES_FILES`).
    """
    base = baseline or "baseline"
    if isinstance(source, Summary):
        return source, None
    if isinstance(source, pd.DataFrame):
        return summarise(source, baseline=base, discount_rate=discount_rate), source
    if isinstance(source, Mapping):
        if "ts" in source:
            ts = source["ts"]
            return summarise(ts, baseline=base, discount_rate=discount_rate), ts
        missing = [k for k in ("summary", "cumulative", "replications", "wrong_pocket") if k not in source]
        if missing:
            raise ValueError(f"frames mapping lacks {missing}")
        meta = dict(source.get("meta") or {})
        meta.setdefault("baseline", base)
        return (
            Summary(
                summary=source["summary"],
                cumulative=source["cumulative"],
                replications=source["replications"],
                wrong_pocket=source["wrong_pocket"],
                yearly=source.get("yearly"),
                meta=meta,
            ),
            source.get("ts_frame"),
        )
    d = Path(source)
    if not d.is_dir():
        raise FileNotFoundError(f"{d} is not a results directory")
    if (d / "summary.csv").exists():
        return Summary.from_dir(d), None
    for name in TIMESERIES_FILES:
        p = d / name
        if p.exists():
            ts = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
            return summarise(ts, baseline=base, discount_rate=discount_rate), ts
    raise FileNotFoundError(f"{d} has neither summary.csv nor one of {TIMESERIES_FILES}")


def _load_assumptions(assumptions, source) -> pd.DataFrame | None:
    if assumptions is not None:
        frame = assumptions if isinstance(assumptions, pd.DataFrame) else pd.DataFrame(list(assumptions))
        return frame
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        for name in ASSUMPTION_FILES:
            p = Path(source) / name
            if p.exists():
                return pd.read_csv(p)
    return None


# ---------------------------------------------------------------- formatting helpers


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _nw(text: str) -> str:
    """Escaped text that does not break inside (an amount such as "−€ 2,1 mln")."""
    return f'<span class="nw">{_e(text)}</span>'


def _cell(mean: str, lo: str | None = None, hi: str | None = None, language: str = "nl", cls: str = "num") -> str:
    inner = _nw(mean)
    if lo is not None and hi is not None:
        inner += f'<span class="interval">{_nw(lo)} {_e(t("to", language))} {_nw(hi)}</span>'
    return f'<td class="{cls}">{inner}</td>'


def _th(text: str, *, scope: str = "col", cls: str | None = None) -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<th scope="{scope}"{c}>{_e(text)}</th>'


def _table(caption: str, header: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]], *, num_from: int = 1) -> str:
    """``rows`` = (row header text, list of ready-made ``<td>`` strings)."""
    head = "".join(_th(h, cls="num" if i >= num_from else None) for i, h in enumerate(header))
    body = "".join(f"<tr>{_th(name, scope='row')}{''.join(cells)}</tr>" for name, cells in rows)
    return (f'<div class="table-wrap"><table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _img(path: Path, alt: str, caption: str, n: int, language: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
        f"<figcaption><strong>{_e(t('report.figure', language, n=n))}.</strong> {_e(caption)}</figcaption></figure>"
    )


# ---------------------------------------------------------------- sections


def _headline(s: Summary, scenario: str, language: str, labels) -> str:
    base = s.baseline
    years = int(s.meta.get("horizon_years", 0))
    first = int(s.meta.get("first_year", 0))
    name = _e(scenario_label(scenario, language, baseline=base, labels=labels))
    inv, sav, npv = s.metric(scenario, "investment_discounted"), s.metric(scenario, "savings_discounted"), s.metric(scenario, "npv")
    parts = []
    if _finite(sav[0]) and sav[0] < 0:
        parts.append(
            t("report.headline_invest_neg", language, scenario=name, years=years,
              investment=_e(fmt_eur(inv[0], language)), extra=_e(fmt_eur(-sav[0], language)))
        )
    else:
        parts.append(
            t("report.headline_invest", language, scenario=name, years=years,
              investment=_e(fmt_eur(inv[0], language)), savings=_e(fmt_eur(sav[0], language)))
        )
    key = "report.headline_npv_pos" if npv[0] >= 0 else "report.headline_npv_neg"
    parts.append(
        '<span class="big">'
        + _e(t(key, language, npv=fmt_eur(npv[0], language), npv_abs=fmt_eur(abs(npv[0]), language),
               lo=fmt_eur(npv[1], language), hi=fmt_eur(npv[2], language)))
        + "</span>"
    )
    p_h = s.metric(scenario, "p_break_even_horizon")[0]
    be = s.metric(scenario, "break_even_year")
    if _finite(p_h) and p_h > 0 and _finite(be[0]):
        parts.append(_e(t("report.headline_be", language, p=fmt_pct(p_h, language), be=fmt_number(be[0], language, 1),
                          cal=int(round(first + be[0] - 1)), lo=fmt_number(be[1], language),
                          hi=fmt_number(be[2], language))))
    else:
        parts.append(_e(t("report.headline_no_be", language, years=years)))
    ps = {}
    for y in BREAK_EVEN_WITHIN:
        p = s.metric(scenario, f"p_break_even_{y}y")[0]
        ps[f"p{y}"] = fmt_pct(p, language) if _finite(p) else t("report.beyond_horizon", language)
    parts.append(_e(t("report.headline_terms", language, **ps)))
    wp = s.wrong_pocket[(s.wrong_pocket["scenario"] == scenario) & (s.wrong_pocket["payer"] != "total")]
    for _, r in wp.iterrows():
        if not _finite(r["mean"]) or abs(r["mean"]) < 0.5:
            continue
        payer = label("payer", r["payer"], language)
        if r["mean"] > 0:
            parts.append(f'<span class="pays">{_e(t("report.headline_pays", language, payer=payer, amount=fmt_eur(r["mean"], language)))}</span>')
        else:
            parts.append(f'<span class="gains">{_e(t("report.headline_gains", language, payer=payer, amount=fmt_eur(-r["mean"], language)))}</span>')
    return '<div class="headline">' + "".join(f"<p>{p}</p>" for p in parts) + "</div>"


def _key_table(s: Summary, scenarios: list[str], language: str, labels) -> str:
    first = int(s.meta.get("first_year", 0))
    rows = []
    for sc in scenarios:
        npv = s.metric(sc, "npv")
        bcr = s.metric(sc, "benefit_cost_ratio")
        be = s.metric(sc, "break_even_year")
        p = s.metric(sc, "p_break_even_horizon")
        if _finite(be[0]):
            be_cell = _cell(t("report.be_cell", language, be=fmt_number(be[0], language, 1), cal=int(round(first + be[0] - 1))),
                            fmt_number(be[1], language), fmt_number(be[2], language), language)
        else:
            be_cell = _cell(t("not_within_horizon", language))
        rows.append((
            scenario_label(sc, language, baseline=s.baseline, labels=labels),
            [
                _cell(fmt_eur(npv[0], language), fmt_eur(npv[1], language), fmt_eur(npv[2], language), language),
                _cell(fmt_number(bcr[0], language, 2), fmt_number(bcr[1], language, 2), fmt_number(bcr[2], language, 2), language),
                be_cell,
                _cell(fmt_pct(p[0], language), fmt_pct(p[1], language), fmt_pct(p[2], language), language),
            ],
        ))
    header = [t("report.scenario", language), t("report.col_npv", language), t("report.col_bcr", language),
              t("report.col_be", language), t("report.col_p_horizon", language)]
    return _table(t("report.key_table_caption", language), header, rows)


def _terms_table(s: Summary, scenarios: list[str], language: str, labels) -> str:
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
                cells.append(_cell(fmt_pct(m[0], language), fmt_pct(m[1], language), fmt_pct(m[2], language), language))
            else:
                cells.append(_cell(t("report.beyond_horizon", language)))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return _table(t("report.terms_caption", language), header, rows)


def _wrong_pocket_table(s: Summary, scenarios: list[str], language: str, labels) -> str:
    wp = s.wrong_pocket
    payers = list(dict.fromkeys(wp["payer"]))
    header = [t("report.scenario", language)] + [label("payer", p, language) for p in payers]
    rows = []
    for sc in scenarios:
        cells = []
        for p in payers:
            r = wp[(wp["scenario"] == sc) & (wp["payer"] == p)]
            if r.empty:
                cells.append(_cell(t("not_applicable", language)))
                continue
            r = r.iloc[0]
            cls = "num pays" if r["mean"] > 0.5 else ("num gains" if r["mean"] < -0.5 else "num")
            cells.append(_cell(fmt_eur(r["mean"], language), fmt_eur(r["p05"], language), fmt_eur(r["p95"], language),
                               language, cls=cls))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return _table(t("report.wrong_pocket_caption", language), header, rows)


def _metric_table(s: Summary, scenarios: list[str], metrics: list[tuple[str, str]], caption: str, language: str,
                  labels) -> str:
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
            cells.append(_cell(fmt(mean, kind), fmt(lo, kind), fmt(hi, kind), language))
        rows.append((scenario_label(sc, language, baseline=s.baseline, labels=labels), cells))
    return _table(caption, header, rows)


def _assumptions_table(frame: pd.DataFrame | None, language: str) -> str:
    if frame is None or frame.empty:
        return f"<p>{_e(t('report.assumptions_none', language))}</p>"
    known = {"name": "report.col_name", "value": "report.col_value", "unit": "report.col_unit", "source": "report.col_source"}
    cols = [c for c in known if c in frame.columns] + [c for c in frame.columns if c not in known]
    header = [t(known[c], language) if c in known else str(c) for c in cols]
    head = "".join(_th(h) for h in header)
    body = []
    for _, r in frame.iterrows():
        cells = []
        for i, c in enumerate(cols):
            v = r[c]
            if isinstance(v, float):
                text = fmt_number(v, language, 0 if float(v).is_integer() else (4 if abs(v) < 1 else 2))
            else:
                text = "" if v is None else str(v)
            cells.append(_th(text, scope="row") if i == 0 else f"<td>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<div class=\"table-wrap\"><table><caption>{_e(t('report.assumptions_caption', language))}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def _jcurve_detail(s: Summary, scenarios: list[str], language: str, labels) -> str:
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


# ---------------------------------------------------------------- the report


def write_report(
    results_dir_or_frames,
    *,
    language: str = "nl",
    out_path="report.html",
    assumptions=None,
    spend_per_household: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    focus: str | None = None,
    scenarios: list[str] | None = None,
    ts: pd.DataFrame | None = None,
    baseline: str | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    charts_dir=None,
    title: str | None = None,
    league: pd.DataFrame | None = None,
    generic_lever: bool = True,
) -> Path:
    """Write one self-contained ``report.html`` and return its path.

    ``results_dir_or_frames``: see :func:`load_summary`. ``assumptions``: a DataFrame or a list of
    dicts with keys ``name, value, unit, source`` (read from ``assumptions.csv`` in the results
    directory if not given). ``spend_per_household`` (scenario → € per household per year) adds the
    dose-response chart. ``labels`` renames scenarios for display. ``focus`` is the scenario of the
    headline and the cost-shift chart (default: the first non-baseline scenario). ``ts`` (monthly
    table) gives a smoother households chart; otherwise the yearly table in the summary is used.
    Charts are written to ``charts_dir`` (PNG and SVG, for slides) or to a temporary directory.
    ``league`` (sim.analysis.league) adds the interventions section; ``generic_lever`` says whether
    some scenario uses the generic lever, whose caveat is then shown.
    """
    s, ts_loaded = load_summary(results_dir_or_frames, baseline=baseline, discount_rate=discount_rate)
    ts = ts if ts is not None else ts_loaded
    assumption_frame = _load_assumptions(assumptions, results_dir_or_frames)
    base = s.baseline
    all_scen = s.scenarios
    shown = [x for x in (scenarios or all_scen) if x in all_scen]
    others = [x for x in shown if x != base]
    focus = focus if focus in all_scen and focus != base else (others[0] if others else None)
    meta = s.meta
    first, last = int(meta.get("first_year", 0)), int(meta.get("last_year", 0))
    years = int(meta.get("horizon_years", last - first + 1))
    rate = float(meta.get("discount_rate", discount_rate))
    reps = meta.get("replications") or {}
    n_reps = max(reps.values()) if isinstance(reps, dict) and reps else reps or len(s.replications)
    rate_text = fmt_pct(rate, language, 2)

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cdir = Path(charts_dir) if charts_dir is not None else Path(tmp)
        made = _charts.all_charts(s, cdir, language=language, ts=ts, spend_per_household=spend_per_household,
                                  focus=focus, labels=labels, scenarios=scenarios)
        figures = []
        n = 0
        chart_text = {
            "jcurve": ("alt.jcurve", "caption.jcurve"),
            "cost_shifts": ("alt.shifts", "caption.shifts"),
            "break_even_distribution": ("alt.hist", "caption.hist"),
            "households_by_level": ("alt.levels", "caption.levels"),
            "intergenerational": ("alt.gen", "caption.gen"),
            "dose_response": ("alt.dose", "caption.dose"),
        }
        for key, (alt_key, cap_key) in chart_text.items():
            if key not in made:
                continue
            n += 1
            alt = t(alt_key, language,
                    detail=_jcurve_detail(s, others, language, labels) if key == "jcurve" else "",
                    scenario=scenario_label(focus or "", language, baseline=base, labels=labels))
            figures.append(_img(made[key].png, alt.strip(), t(cap_key, language), n, language))

        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{_e(language)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title or t('report.title', language))}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{_e(title or t('report.title', language))}</h1>",
            f'<p class="subtitle">{_e(t("report.subtitle", language))}</p>',
            f'<p class="meta">{_e(t("report.meta", language, first=first, last=last, years=years, reps=n_reps, rate=rate_text, date=_dt.date.today().isoformat()))}</p>',
            "</header>",
            "<main>",
            f'<section id="question"><h2>{_e(t("report.question_h", language))}</h2><p>{_e(t("report.question", language))}</p></section>',
            f'<section id="key-figures"><h2>{_e(t("report.key_h", language))}</h2>',
            f"<p>{_e(t('report.key_intro', language, rate=rate_text, first=first))}</p>",
        ]
        if focus:
            parts.append(_headline(s, focus, language, labels))
        if others:
            parts.append(_key_table(s, others, language, labels))
            parts.append(_terms_table(s, others, language, labels))
        parts.append("</section>")
        if others:
            parts += [
                f'<section id="wrong-pocket"><h2>{_e(t("report.wrong_pocket_h", language))}</h2>',
                f"<p>{_e(t('report.wrong_pocket_intro', language))}</p>",
                _wrong_pocket_table(s, others, language, labels),
                "</section>",
            ]
        if league is not None and len(league):
            from .charts import league_chart
            from .report_league import league_section

            chart = league_chart(league, language=language, out_dir=cdir, labels=labels)
            n += 1
            parts.append(league_section(league, language, labels,
                                        _img(chart.png, t("alt.league", language), t("caption.league", language),
                                             n, language)))
        if figures:
            parts += [f'<section id="charts"><h2>{_e(t("report.charts_h", language))}</h2>', *figures, "</section>"]
        parts += [
            f'<section id="quality"><h2>{_e(t("report.quality_h", language))}</h2>',
            f"<p>{_e(t('report.quality_intro', language))}</p>",
            _metric_table(s, shown, [("self_reliance_growth", "pp"), ("referrals_back", "count"),
                                     ("flow_heavier_care", "count"), ("gate_share_over_8w", "pct"),
                                     ("gate_wait_mean_weeks", "weeks")],
                          t("report.quality_caption", language), language, labels),
            "</section>",
            f'<section id="generations"><h2>{_e(t("report.gen_h", language))}</h2>',
            f"<p>{_e(t('report.gen_intro', language))}</p>",
            _metric_table(s, shown, [("transmission_mp", "pct"), ("transmission_not_mp", "pct"),
                                     ("second_generation_cost", "eur")],
                          t("report.gen_caption", language), language, labels),
            "</section>",
            f'<section id="assumptions"><h2>{_e(t("report.assumptions_h", language))}</h2>',
            _assumptions_table(assumption_frame, language),
            "</section>",
        ]
        caveats = ["report.caveat_forecast"]
        caveats += ["report.caveat_generic_lever"] if generic_lever else []
        caveats += ["report.caveat_catalogue"] if league is not None and len(league) else []
        caveats += ["report.caveat_evidence", "report.caveat_wrong_pocket", "report.caveat_public_budgets",
                   "report.caveat_bands_params" if meta.get("parameter_uncertainty") else "report.caveat_bands_chance"]
        if meta.get("self_reliance_method") == "domain_mean":
            caveats.append("report.caveat_self_reliance")
        parts += [
            f'<section id="caveats"><h2>{_e(t("report.caveats_h", language))}</h2><ul class="caveats">',
            *[f"<li>{_e(t(c, language))}</li>" for c in caveats],
            "</ul></section>",
            f'<section id="method"><h2>{_e(t("report.method_h", language))}</h2>',
            f"<p>{_e(t('report.method', language, reps=n_reps, first=first, rate=fmt_number(rate, language, 4)))}</p>",
            "</section>",
            "</main>",
            f"<footer><p>{_e(t('report.footer', language))}</p></footer>",
            "</body>",
            "</html>",
        ]
    out_path.write_text("\n".join(parts), encoding="utf-8")
    return out_path
