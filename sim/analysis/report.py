"""One self-contained ``report.html`` for an adviser to mail to a council clerk.

The file has no external resources: charts are embedded as base64 PNG, styles are inline, there
are no scripts, web fonts or links that load anything. Images carry alt text; tables have
captions and header cells. Dutch (``nl``) or English (``en``).

The page is templates/report.html.j2 (Jinja2, every value escaped); report_sections.py and
report_league.py give it its headline, tables and figures as plain data.
"""

from __future__ import annotations

import datetime as _dt
import functools
import tempfile
from collections.abc import Mapping
from pathlib import Path

import jinja2
import pandas as pd

from . import report_sections as sections
from .charts import all_charts, league_chart
from .i18n import fmt_number, fmt_pct, t
from .report_league import interventions_table
from .summary import DEFAULT_DISCOUNT_RATE, Summary, summarise

TIMESERIES_FILES = ("timeseries.parquet", "timeseries.csv", "ts.parquet", "ts.csv")
ASSUMPTION_FILES = ("assumptions.csv", "parameters.csv")
QUALITY_METRICS = [("self_reliance_growth", "pp"), ("referrals_back", "count"), ("flow_heavier_care", "count"),
                   ("gate_share_over_8w", "pct"), ("gate_wait_mean_weeks", "weeks")]
GENERATION_METRICS = [("transmission_mp", "pct"), ("transmission_not_mp", "pct"), ("second_generation_cost", "eur")]


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


# ---------------------------------------------------------------- the report


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sim.analysis", "templates"),
        autoescape=True,
        finalize=sections.html_text,  # escape as html.escape does, not as markupsafe (see html_text)
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")


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
    all_scen = s.scenarios
    shown = [x for x in (scenarios or all_scen) if x in all_scen]
    others = [x for x in shown if x != s.baseline]
    focus = focus if focus in all_scen and focus != s.baseline else (others[0] if others else None)
    has_league = league is not None and len(league) > 0
    page = _page(s, language, title=title, labels=labels, shown=shown, others=others, focus=focus,
                 discount_rate=discount_rate, generic_lever=generic_lever, has_league=has_league,
                 assumptions=_load_assumptions(assumptions, results_dir_or_frames))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cdir = Path(charts_dir) if charts_dir is not None else Path(tmp)
        made = all_charts(s, cdir, language=language, ts=ts, spend_per_household=spend_per_household,
                          focus=focus, labels=labels, scenarios=scenarios)
        page["figures"] = sections.chart_figures(made, s, focus, others, language, labels)
        if has_league:
            chart = league_chart(league, language=language, out_dir=cdir, labels=labels)
            page["interventions"] = interventions_table(league, language, labels)
            page["league_figure"] = sections.figure(chart.png, t("alt.league", language), t("caption.league", language),
                                                    len(page["figures"]) + 1)
        page_html = _template().render(page)
    out_path.write_text(page_html, encoding="utf-8")
    return out_path


def _page(s: Summary, language: str, *, title, labels, shown, others, focus, discount_rate, generic_lever,
          has_league, assumptions) -> dict:
    """What the template shows, except the charts (which need the charts folder)."""
    meta = s.meta
    first, last = int(meta.get("first_year", 0)), int(meta.get("last_year", 0))
    rate = float(meta.get("discount_rate", discount_rate))
    reps = meta.get("replications") or {}
    caveats = ["report.caveat_forecast"]
    caveats += ["report.caveat_generic_lever"] if generic_lever else []
    caveats += ["report.caveat_catalogue"] if has_league else []
    caveats += ["report.caveat_evidence", "report.caveat_wrong_pocket", "report.caveat_public_budgets",
                "report.caveat_bands_params" if meta.get("parameter_uncertainty") else "report.caveat_bands_chance"]
    if meta.get("self_reliance_method") == "domain_mean":
        caveats.append("report.caveat_self_reliance")
    return {
        "language": language,
        "t": functools.partial(t, language=language),
        "title": title or t("report.title", language),
        "first": first,
        "last": last,
        "years": int(meta.get("horizon_years", last - first + 1)),
        "replications": max(reps.values()) if isinstance(reps, dict) and reps else reps or len(s.replications),
        "rate_pct": fmt_pct(rate, language, 2),
        "rate_decimal": fmt_number(rate, language, 4),
        "date": _dt.date.today().isoformat(),
        "headline": sections.headline(s, focus, language, labels) if focus else None,
        "key_tables": [sections.key_table(s, others, language, labels),
                       sections.terms_table(s, others, language, labels)] if others else [],
        "wrong_pocket": sections.wrong_pocket_table(s, others, language, labels) if others else None,
        "interventions": None,
        "league_figure": None,
        "figures": [],
        "quality": sections.metric_table(s, shown, QUALITY_METRICS, t("report.quality_caption", language), language,
                                         labels),
        "generations": sections.metric_table(s, shown, GENERATION_METRICS, t("report.gen_caption", language),
                                             language, labels),
        "assumptions": sections.assumptions_table(assumptions, language),
        "caveats": caveats,
    }
