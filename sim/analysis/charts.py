"""Charts for slides and the report: PNG (150 dpi, 16:9) and SVG, Dutch or English.

Every function takes frames from :mod:`sim.analysis.summary` (and the time-series table where it
needs one), a ``language`` (``"nl"``/``"en"``) and an output directory; it writes
``<name>.png`` and ``<name>.svg`` and returns their paths as :class:`ChartPaths`.

Matplotlib is used through :class:`matplotlib.figure.Figure` with the Agg renderer, never through
``pyplot``, so nothing here touches global backend state. Colours come from the Okabe–Ito palette
(safe for the common forms of colour blindness); fonts are large enough for a slide.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .i18n import euro_scale, fmt_number, fmt_pct, label, scenario_label, t
from .summary import HIGHEST_PREFIXES, LEVELS, LINE_ORDER, PAYER_ORDER, break_even_index, scenario_order

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#7F7F7F"
# order for scenario lines: strong colours first; yellow last (weak on white)
SCENARIO_COLOURS = ["blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "yellow"]
LEVEL_COLOURS = {
    "self_reliant": OKABE_ITO["bluish_green"],
    "emerging": OKABE_ITO["sky_blue"],
    "light": OKABE_ITO["yellow"],
    "maatwerk": OKABE_ITO["orange"],
    "specialist": OKABE_ITO["vermillion"],
}
LINE_COLOURS = {
    "voorliggend_veld_investment": OKABE_ITO["blue"],
    "voorliggend_veld_basis": OKABE_ITO["sky_blue"],
    "wmo": OKABE_ITO["bluish_green"],
    "jeugdwet": OKABE_ITO["orange"],
    "participatiewet": OKABE_ITO["reddish_purple"],
    "reintegratie": "#882255",  # Paul Tol's wine: distinct from the Okabe-Ito eight for colour-blind readers
    "schuldhulp": OKABE_ITO["yellow"],
    "wsnp": "#999933",  # Paul Tol's olive: apart from the Okabe-Ito eight for colour-blind readers
    "uitvoering": GREY,
    "zvw": OKABE_ITO["vermillion"],
    "wlz": OKABE_ITO["black"],
}
PAYER_COLOURS = {
    "municipality": OKABE_ITO["blue"],
    "central_government": OKABE_ITO["orange"],
    "health_insurer": OKABE_ITO["bluish_green"],
    "wlz_office": OKABE_ITO["reddish_purple"],
}
EXTRA_COLOURS = [OKABE_ITO[c] for c in ("sky_blue", "yellow", "black")] + ["#B0B0B0"]

FIGSIZE = (13.333, 7.5)  # 16:9 slide
DPI = 150
STYLE = {
    "font.family": ["DejaVu Sans", "sans-serif"],  # DejaVu ships with matplotlib: no font warnings
    "font.size": 16,
    "axes.titlesize": 20,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 16,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 14,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 3,
    "svg.fonttype": "none",
    "svg.hashsalt": "sim-analysis",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}


class ChartPaths(NamedTuple):
    png: Path
    svg: Path


@contextmanager
def _style():
    with matplotlib.rc_context(STYLE):
        yield


def _new_figure(figsize=FIGSIZE, **subplot_kw) -> tuple[Figure, object]:
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(**subplot_kw) if subplot_kw else fig.subplots()
    return fig, axes


def _save(fig: Figure, out_dir, name: str) -> ChartPaths:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    fig.savefig(png, dpi=DPI, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return ChartPaths(png, svg)


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("_") or "scenario"


def scenario_colours(scenarios: Iterable[str], baseline: str = "baseline") -> dict[str, str]:
    """A fixed colour per scenario (baseline grey), the same in every chart."""
    colours, i = {}, 0
    for s in scenarios:
        if s == baseline:
            colours[s] = GREY
        else:
            colours[s] = OKABE_ITO[SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]]
            i += 1
    return colours


def _key_colour(kind: str, key: str, i: int) -> str:
    table = LINE_COLOURS if kind == "line" else PAYER_COLOURS
    return table.get(key, EXTRA_COLOURS[i % len(EXTRA_COLOURS)])


def _euro_axis(ax, scale: float, language: str, axis: str = "y") -> None:
    decimals = 1 if scale >= 1e6 else 0
    fmt = FuncFormatter(lambda v, _pos: fmt_number(v, language, decimals if abs(v) % 1 else 0))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _year_axis(ax, axis: str = "x") -> None:
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_major_locator(MaxNLocator(integer=True, nbins=8))
    a.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))


def _pct_axis(ax, language: str, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda v, _pos: fmt_pct(v, language)))


def _scenarios_in(frame: pd.DataFrame, scenarios, baseline: str, *, with_baseline: bool) -> list[str]:
    present = scenario_order(frame, baseline)
    chosen = [s for s in (scenarios or present) if s in present]
    if not with_baseline:
        chosen = [s for s in chosen if s != baseline]
    return chosen


# ---------------------------------------------------------------- J-curve


def jcurve(
    cumulative: pd.DataFrame,
    out_dir,
    *,
    language: str = "nl",
    scenarios: list[str] | None = None,
    baseline: str = "baseline",
    labels: Mapping[str, str] | None = None,
    basis: str = "discounted",
    name: str = "jcurve",
) -> ChartPaths:
    """Cumulative net cost (scenario − baseline, all payers) per year: mean line, 5–95 % band, break-even.

    The break-even year marked is that of the *mean* path (the line drawn).
    """
    data = cumulative[(cumulative["view"] == "total") & (cumulative["basis"] == basis)]
    chosen = _scenarios_in(data, scenarios, baseline, with_baseline=False)
    colours = scenario_colours(scenario_order(cumulative, baseline), baseline)
    scale, unit = euro_scale(data[["mean", "p05", "p95"]].to_numpy(), language)
    with _style():
        fig, ax = _new_figure()
        ax.axhline(0, color="black", linewidth=1.5, zorder=1)
        handles = []
        marks = []
        for s in chosen:
            d = data[data["scenario"] == s].sort_values("year")
            x = d["year"].to_numpy(dtype=float)
            c = colours[s]
            name_s = scenario_label(s, language, baseline=baseline, labels=labels)
            ax.fill_between(x, d["p05"] / scale, d["p95"] / scale, color=c, alpha=0.15, linewidth=0)
            ax.plot(x, d["p05"] / scale, color=c, linewidth=1, linestyle=":")
            ax.plot(x, d["p95"] / scale, color=c, linewidth=1, linestyle=":")
            be = break_even_index(d["mean"].to_numpy(), tolerance=1e-9 * max(1.0, d["mean"].abs().max()))
            if math.isfinite(be):
                year = int(x[0]) + int(be) - 1
                ax.axvline(year, color=c, linestyle="--", linewidth=2)
                marks.append((year, c, t("jcurve.break_even", language, year=year)))
            else:
                name_s = t("jcurve.no_break_even", language, scenario=name_s)
            (line,) = ax.plot(x, d["mean"] / scale, color=c, marker="o", markersize=6, label=name_s)
            handles.append(line)
        y_top = ax.get_ylim()[1]
        for year, c, text in marks:
            ax.text(year - 0.08, y_top, text, color=c, fontsize=14, fontweight="bold", rotation=90, va="top",
                    ha="right", bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
        handles.append(Patch(color=GREY, alpha=0.3, label=t("band_90", language)))
        if marks:
            handles.append(Line2D([], [], color=GREY, linestyle="--", linewidth=2,
                                  label=t("jcurve.break_even_legend", language)))
        ax.legend(handles=handles, loc="lower left")
        subtitle = textwrap.fill(t("jcurve.subtitle", language), 105)
        ax.set_title(t("jcurve.title", language), pad=14 + 22 * (subtitle.count("\n") + 1))
        ax.text(0, 1.015, subtitle, transform=ax.transAxes, fontsize=14, color="#333333", va="bottom")
        ax.set_ylabel(t("jcurve.ylabel", language, unit=unit))
        ax.set_xlabel(t("year", language))
        _year_axis(ax)
        _euro_axis(ax, scale, language)
        return _save(fig, out_dir, name)


# ---------------------------------------------------------------- cost shifts


def yearly_shifts(cumulative: pd.DataFrame, *, scenario: str, view: str, basis: str = "nominal") -> pd.DataFrame:
    """Mean yearly net cost per key (wide: year × key), recovered from the cumulative means."""
    d = cumulative[(cumulative["scenario"] == scenario) & (cumulative["view"] == view) & (cumulative["basis"] == basis)]
    wide = d.pivot(index="year", columns="key", values="mean").sort_index()
    return wide.diff().fillna(wide.iloc[:1]) if len(wide) else wide


def _stacked_diverging(ax, wide: pd.DataFrame, kind: str, scale: float, language: str) -> list:
    order = LINE_ORDER if kind == "line" else PAYER_ORDER
    keys = [k for k in order if k in wide.columns] + [k for k in wide.columns if k not in order]
    x = wide.index.to_numpy(dtype=float)
    pos = np.zeros(len(x))
    neg = np.zeros(len(x))
    handles = []
    for i, k in enumerate(keys):
        v = wide[k].to_numpy(dtype=float) / scale
        if not np.any(np.abs(v) > 1e-12):
            continue
        up = np.where(v > 0, v, 0.0)
        down = np.where(v < 0, v, 0.0)
        c = _key_colour(kind, k, i)
        ax.bar(x, up, bottom=pos, color=c, width=0.8, edgecolor="white", linewidth=0.5)
        bars = ax.bar(x, down, bottom=neg, color=c, width=0.8, edgecolor="white", linewidth=0.5,
                      label=label(kind, k, language))
        handles.append(bars)
        pos += up
        neg += down
    (net,) = ax.plot(x, wide[keys].sum(axis=1).to_numpy() / scale, color="black", marker="D", markersize=7,
                     linewidth=2.5, label=t("shifts.net", language))
    handles.append(net)
    ax.axhline(0, color="black", linewidth=1)
    _year_axis(ax)
    _euro_axis(ax, scale, language)
    return handles


def cost_shifts(
    cumulative: pd.DataFrame,
    out_dir,
    *,
    scenario: str,
    language: str = "nl",
    baseline: str = "baseline",
    labels: Mapping[str, str] | None = None,
    basis: str = "nominal",
    name: str | None = None,
) -> ChartPaths:
    """Yearly extra (+) and saved (−) cost of ``scenario`` against the baseline, by budget line and by payer."""
    by_line = yearly_shifts(cumulative, scenario=scenario, view="line", basis=basis)
    by_payer = yearly_shifts(cumulative, scenario=scenario, view="payer", basis=basis)
    if by_line.empty:
        raise ValueError(f"no cumulative rows for scenario {scenario!r}")
    vals = np.concatenate([by_line.clip(lower=0).sum(axis=1), by_line.clip(upper=0).sum(axis=1)])
    scale, unit = euro_scale(vals, language)
    with _style():
        fig, (a1, a2) = _new_figure(figsize=(FIGSIZE[0], 8.5), ncols=2, sharey=True)
        h1 = _stacked_diverging(a1, by_line, "line", scale, language)
        h2 = _stacked_diverging(a2, by_payer, "payer", scale, language)
        a1.set_title(t("shifts.by_line", language), fontsize=17)
        a2.set_title(t("shifts.by_payer", language), fontsize=17)
        a1.set_ylabel(t("shifts.ylabel", language, unit=unit))
        a1.set_xlabel(t("year", language))
        a2.set_xlabel(t("year", language))
        a1.legend(handles=h1, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=12)
        a2.legend(handles=h2, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=12)
        fig.suptitle(
            t("shifts.title", language, scenario=scenario_label(scenario, language, baseline=baseline, labels=labels)),
            fontsize=20, fontweight="bold", x=0.01, ha="left",
        )
        return _save(fig, out_dir, name or f"cost_shifts_{slug(scenario)}")


# ---------------------------------------------------------------- households per level


def level_table(frame: pd.DataFrame, *, baseline: str = "baseline") -> tuple[pd.DataFrame, bool]:
    """Mean households per level over replications, per scenario and time point.

    Uses ``hh__any__<level>`` (the model's households by their highest level across domains;
    ``hh__highest__``/``hh__all__`` accepted too) when present, each household counted once at its
    heaviest level; otherwise sums ``hh__<domain>__<level>`` over domains (household-domains).
    Works on the monthly table (``month`` → fractional calendar years) or the yearly table
    (end-of-year stocks). Returns (frame with ``scenario, time`` and one column per level, used_highest).
    """
    prefix = next((p for p in HIGHEST_PREFIXES if any(c.startswith(p) for c in frame.columns)), None)
    highest = prefix is not None
    levels = {}
    for level in LEVELS:
        if highest:
            cols = [f"{prefix}{level}"] if f"{prefix}{level}" in frame.columns else []
        else:
            cols = [c for c in frame.columns if c.startswith("hh__") and c.endswith(f"__{level}") and c.count("__") == 2
                    and not c.startswith(HIGHEST_PREFIXES)]
        if cols:
            levels[level] = frame[cols].sum(axis=1)
    if not levels:
        raise ValueError("no hh__<domain>__<level> columns to chart")
    data = pd.DataFrame(levels)
    data["scenario"] = frame["scenario"].astype(str).to_numpy()
    if "month" in frame.columns:
        # calendar time: infer the start month from how many months the first calendar year holds
        first_year = int(frame["year"].min())
        first = frame[(frame["year"] == first_year)]
        months_first = first.groupby(["scenario", "replication"])["month"].nunique().max()
        start_offset = 12 - int(months_first)
        data["time"] = first_year + (frame["month"].to_numpy() + start_offset + 0.5) / 12.0
    else:
        data["time"] = frame["year"].to_numpy(dtype=float) + 1.0  # end of year
    out = data.groupby(["scenario", "time"], sort=False).mean().reset_index()
    order = {s: i for i, s in enumerate(scenario_order(out, baseline))}
    out = out.sort_values(["scenario", "time"], key=lambda s: s.map(order) if s.name == "scenario" else s)
    return out.reset_index(drop=True), highest


def households_by_level(
    frame: pd.DataFrame,
    out_dir,
    *,
    language: str = "nl",
    scenarios: list[str] | None = None,
    baseline: str = "baseline",
    labels: Mapping[str, str] | None = None,
    max_panels: int = 4,
    name: str = "households_by_level",
) -> ChartPaths:
    """Stacked area of households per level over time, one panel per scenario (heaviest level at the bottom)."""
    table, highest = level_table(frame, baseline=baseline)
    chosen = _scenarios_in(table, scenarios, baseline, with_baseline=True)[:max_panels]
    levels = [lv for lv in reversed(LEVELS) if lv in table.columns]  # specialist at the bottom
    with _style():
        fig, axes = _new_figure(ncols=len(chosen), sharey=True, squeeze=False)
        axes = axes[0]
        for ax, s in zip(axes, chosen):
            d = table[table["scenario"] == s]
            ax.stackplot(d["time"].to_numpy(), *[d[lv].to_numpy() for lv in levels],
                         colors=[LEVEL_COLOURS.get(lv, GREY) for lv in levels],
                         labels=[label("level", lv, language) for lv in levels], edgecolor="white", linewidth=0.3)
            ax.set_title(scenario_label(s, language, baseline=baseline, labels=labels), fontsize=16)
            ax.set_xlabel(t("year", language))
            _year_axis(ax)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=max(3, 8 // len(chosen))))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, language)))
            ax.grid(False)
        axes[0].set_ylabel(t("levels.ylabel" if highest else "levels.ylabel_sum", language))
        handles, lbls = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], lbls[::-1], loc="outside right center")
        fig.suptitle(t("levels.title" if highest else "levels.title_sum", language), fontsize=20,
                     fontweight="bold", x=0.01, ha="left")
        return _save(fig, out_dir, name)


# ---------------------------------------------------------------- break-even distribution


def break_even_distribution(
    replications: pd.DataFrame,
    out_dir,
    *,
    horizon_years: int,
    language: str = "nl",
    scenarios: list[str] | None = None,
    baseline: str = "baseline",
    labels: Mapping[str, str] | None = None,
    max_panels: int = 4,
    name: str = "break_even_distribution",
) -> ChartPaths:
    """Share of replications per break-even year (1-based), plus a "not within horizon" bar."""
    reps = replications[replications["scenario"] != baseline]
    chosen = _scenarios_in(reps, scenarios, baseline, with_baseline=False)[:max_panels]
    colours = scenario_colours(scenario_order(replications, baseline), baseline)
    never_x = horizon_years + 2
    with _style():
        height = min(9.0, 2.2 + 2.1 * len(chosen))
        fig, axes = _new_figure(figsize=(FIGSIZE[0], max(FIGSIZE[1], height)), nrows=len(chosen), sharex=True,
                                squeeze=False)
        axes = axes[:, 0]
        ymax = 0.0
        for ax, s in zip(axes, chosen):
            be = reps.loc[reps["scenario"] == s, "break_even_year"].to_numpy(dtype=float)
            n = len(be)
            years = np.arange(1, horizon_years + 1)
            counts = np.array([np.sum(be == y) for y in years]) / max(n, 1)
            never = np.sum(~np.isfinite(be)) / max(n, 1)
            ax.bar(years, counts, color=colours[s], width=0.85)
            ax.bar([never_x], [never], color="white", edgecolor=GREY, hatch="//", width=0.85, linewidth=1.5)
            for k in range(4, horizon_years, 4):
                ax.axvline(k + 0.5, color=GREY, linestyle=":", linewidth=1.5)
            ymax = max(ymax, 0.05, float(max(counts.max(initial=0), never)) * 1.25)
            ax.text(0.01, 0.95, scenario_label(s, language, baseline=baseline, labels=labels), transform=ax.transAxes,
                    ha="left", va="top", fontsize=16, fontweight="bold", color=colours[s])
            ax.text(never_x, never, fmt_pct(never, language), ha="center", va="bottom", fontsize=13)
            _pct_axis(ax, language)
            ax.grid(axis="x", visible=False)
        for ax in axes:
            ax.set_ylim(0, ymax)
        top = axes[0]
        for k in range(4, horizon_years, 4):
            n_terms = k // 4
            term = t("hist.council_term_1", language) if n_terms == 1 else t("hist.council_terms", language, n=n_terms)
            top.text(k + 0.5, top.get_ylim()[1], term, rotation=0,
                     ha="center", va="bottom", fontsize=11, color=GREY)
        ticks = list(range(1, horizon_years + 1, 1 if horizon_years <= 12 else 2)) + [never_x]
        axes[-1].set_xticks(ticks)
        axes[-1].set_xticklabels([str(x) for x in ticks[:-1]] + [textwrap.fill(t("not_within_horizon", language), 12)])
        axes[-1].set_xlabel(t("hist.xlabel", language))
        fig.supylabel(t("hist.ylabel", language), fontsize=16)
        fig.suptitle(t("hist.title", language), fontsize=20, fontweight="bold", x=0.01, ha="left")
        return _save(fig, out_dir, name)


# ---------------------------------------------------------------- intergenerational


def _metric_table(summary: pd.DataFrame, metric: str, scenarios: list[str]) -> pd.DataFrame:
    d = summary[summary["metric"] == metric].set_index("scenario")
    return d.reindex(scenarios)[["mean", "p05", "p95"]]


def intergenerational(
    summary: pd.DataFrame,
    out_dir,
    *,
    language: str = "nl",
    scenarios: list[str] | None = None,
    baseline: str = "baseline",
    labels: Mapping[str, str] | None = None,
    name: str = "intergenerational",
) -> ChartPaths:
    """Transmission shares (MP vs not-MP childhood) and second-generation cost per scenario."""
    chosen = _scenarios_in(summary, scenarios, baseline, with_baseline=True)
    colours = scenario_colours(scenario_order(summary, baseline), baseline)
    names = [scenario_label(s, language, baseline=baseline, labels=labels) for s in chosen]
    mp = _metric_table(summary, "transmission_mp", chosen)
    not_mp = _metric_table(summary, "transmission_not_mp", chosen)
    cost = _metric_table(summary, "second_generation_cost", chosen)
    scale, unit = euro_scale(cost.to_numpy(), language)
    y = np.arange(len(chosen))[::-1].astype(float)
    h = 0.38

    def err(tab: pd.DataFrame, s: float = 1.0):
        m = tab["mean"].to_numpy() / s
        return np.vstack([np.clip(m - tab["p05"].to_numpy() / s, 0, None), np.clip(tab["p95"].to_numpy() / s - m, 0, None)])

    with _style():
        fig, (a1, a2) = _new_figure(ncols=2, sharey=True)
        a1.barh(y + h / 2, mp["mean"], height=h, color=OKABE_ITO["vermillion"], xerr=err(mp), capsize=4,
                label=t("gen.childhood_mp", language))
        a1.barh(y - h / 2, not_mp["mean"], height=h, color=OKABE_ITO["sky_blue"], xerr=err(not_mp), capsize=4,
                label=t("gen.childhood_not_mp", language))
        a1.set_yticks(y)
        a1.set_yticklabels(names)
        a1.set_title(t("gen.transmission", language), fontsize=17)
        _pct_axis(a1, language, axis="x")
        a1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=1)
        a1.grid(axis="y", visible=False)
        a2.barh(y, cost["mean"] / scale, height=0.6, color=[colours[s] for s in chosen], xerr=err(cost, scale),
                capsize=4)
        a2.set_title(t("gen.second_cost", language), fontsize=17)
        a2.set_xlabel(t("gen.second_cost_unit", language, unit=unit))
        _euro_axis(a2, scale, language, axis="x")
        a2.grid(axis="y", visible=False)
        fig.suptitle(t("gen.title", language), fontsize=20, fontweight="bold", x=0.01, ha="left")
        return _save(fig, out_dir, name)


# ---------------------------------------------------------------- dose-response


def dose_response(
    summary: pd.DataFrame,
    spend_per_household: Mapping[str, float],
    out_dir,
    *,
    language: str = "nl",
    baseline: str = "baseline",
    horizon_years: int | None = None,
    name: str = "dose_response",
) -> ChartPaths:
    """NPV (with 5–95 % band) and break-even year against yearly spend per household.

    ``spend_per_household`` maps scenario → euros per household per year; scenarios missing from
    the summary are skipped. The baseline, if mapped, is drawn at NPV 0.
    """
    points = []
    for s, spend in spend_per_household.items():
        if s == baseline:
            points.append((float(spend), 0.0, 0.0, 0.0, math.nan, math.nan, math.nan, math.nan))
            continue
        rows = summary[summary["scenario"] == s].set_index("metric")
        if rows.empty or "npv" not in rows.index:
            continue
        n, be, p = rows.loc["npv"], rows.loc["break_even_year"], rows.loc["p_break_even_horizon"]
        points.append((float(spend), n["mean"], n["p05"], n["p95"], be["mean"], be["p05"], be["p95"], p["mean"]))
    if not points:
        raise ValueError("none of the scenarios in spend_per_household is in the summary")
    d = pd.DataFrame(points, columns=["spend", "npv", "npv_lo", "npv_hi", "be", "be_lo", "be_hi", "p"]).sort_values("spend")
    scale, unit = euro_scale(d[["npv", "npv_lo", "npv_hi"]].to_numpy(), language)
    colour = OKABE_ITO["blue"]
    with _style():
        fig, (a1, a2) = _new_figure(ncols=2)
        a1.axhline(0, color="black", linewidth=1.5)
        a1.fill_between(d["spend"], d["npv_lo"] / scale, d["npv_hi"] / scale, color=colour, alpha=0.2, linewidth=0,
                        label=t("band_90", language))
        a1.plot(d["spend"], d["npv"] / scale, color=colour, marker="o", markersize=9, label=t("mean", language))
        a1.set_ylabel(t("dose.npv", language, unit=unit))
        a1.set_xlabel(t("dose.xlabel", language))
        _euro_axis(a1, scale, language)
        a1.legend(loc="best")
        b = d[np.isfinite(d["be"])]
        if not b.empty:
            yerr = np.vstack([np.clip(b["be"] - b["be_lo"], 0, None), np.clip(b["be_hi"] - b["be"], 0, None)])
            a2.errorbar(b["spend"], b["be"], yerr=yerr, color=OKABE_ITO["vermillion"], marker="s", markersize=9,
                        capsize=6, linewidth=2.5)
            for _, r in b.iterrows():
                a2.annotate(t("dose.p_label", language, p=fmt_pct(r["p"], language)), (r["spend"], r["be"]),
                            textcoords="offset points", xytext=(10, 8), fontsize=13)
        if horizon_years:
            a2.axhline(horizon_years, color=GREY, linestyle="--", linewidth=1.5)
            a2.text(a2.get_xlim()[0], horizon_years, " " + t("not_within_horizon", language) + " ↑", va="bottom",
                    fontsize=12, color=GREY)
            a2.set_ylim(0, horizon_years + 2)
        a2.set_ylabel(t("dose.break_even", language))
        a2.set_xlabel(t("dose.xlabel", language))
        a2.yaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in (a1, a2):
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, language)))
        fig.suptitle(t("dose.title", language), fontsize=20, fontweight="bold", x=0.01, ha="left")
        return _save(fig, out_dir, name)


# ---------------------------------------------------------------- all at once


def all_charts(
    summary,
    out_dir,
    *,
    language: str = "nl",
    ts: pd.DataFrame | None = None,
    spend_per_household: Mapping[str, float] | None = None,
    focus: str | None = None,
    labels: Mapping[str, str] | None = None,
    scenarios: list[str] | None = None,
) -> dict[str, ChartPaths]:
    """Every chart the data allow, for a :class:`~sim.analysis.summary.Summary`. Keys are chart names."""
    base = summary.baseline
    others = [s for s in summary.scenarios if s != base]
    focus = focus or (others[0] if others else None)
    horizon = int(summary.meta.get("horizon_years") or summary.cumulative["year"].nunique())
    out: dict[str, ChartPaths] = {}
    if others and not summary.cumulative.empty:
        out["jcurve"] = jcurve(summary.cumulative, out_dir, language=language, scenarios=scenarios, baseline=base,
                               labels=labels)
        out["cost_shifts"] = cost_shifts(summary.cumulative, out_dir, scenario=focus, language=language,
                                         baseline=base, labels=labels, name="cost_shifts")
        out["break_even_distribution"] = break_even_distribution(
            summary.replications, out_dir, horizon_years=horizon, language=language, scenarios=scenarios,
            baseline=base, labels=labels)
    level_source = ts if ts is not None else summary.yearly
    if level_source is not None and any(c.startswith("hh__") for c in level_source.columns):
        panels = [base, focus] if focus and scenarios is None else scenarios
        out["households_by_level"] = households_by_level(level_source, out_dir, language=language,
                                                         scenarios=panels, baseline=base, labels=labels)
    if (summary.summary["metric"] == "transmission_mp").any():
        out["intergenerational"] = intergenerational(summary.summary, out_dir, language=language, scenarios=scenarios,
                                                     baseline=base, labels=labels)
    if spend_per_household:
        present = {s: v for s, v in spend_per_household.items() if s in summary.scenarios}
        if any(s != base for s in present):
            out["dose_response"] = dose_response(summary.summary, present, out_dir, language=language, baseline=base,
                                                 horizon_years=horizon)
    return out
