"""When does it pay back: the J-curve of cumulative net cost, the distribution of the break-even
year over the runs, and net present value against the amount invested (dose-response)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..i18n import euro_scale, fmt_number, fmt_pct, scenario_label, t
from ..summary import break_even_index, scenario_order
from .style import (
    FIGSIZE,
    GREY,
    OKABE_ITO,
    ChartPaths,
    euro_axis,
    new_figure,
    pct_axis,
    save_chart,
    scenario_colours,
    scenarios_in,
    slide_style,
    year_axis,
)


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
    chosen = scenarios_in(data, scenarios, baseline, with_baseline=False)
    colours = scenario_colours(scenario_order(cumulative, baseline), baseline)
    scale, unit = euro_scale(data[["mean", "p05", "p95"]].to_numpy(), language)
    with slide_style():
        fig, ax = new_figure()
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
        year_axis(ax)
        euro_axis(ax, scale, language)
        return save_chart(fig, out_dir, name)


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
    chosen = scenarios_in(reps, scenarios, baseline, with_baseline=False)[:max_panels]
    colours = scenario_colours(scenario_order(replications, baseline), baseline)
    never_x = horizon_years + 2
    with slide_style():
        height = min(9.0, 2.2 + 2.1 * len(chosen))
        fig, axes = new_figure(figsize=(FIGSIZE[0], max(FIGSIZE[1], height)), nrows=len(chosen), sharex=True,
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
            pct_axis(ax, language)
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
        return save_chart(fig, out_dir, name)


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
    with slide_style():
        fig, (a1, a2) = new_figure(ncols=2)
        a1.axhline(0, color="black", linewidth=1.5)
        a1.fill_between(d["spend"], d["npv_lo"] / scale, d["npv_hi"] / scale, color=colour, alpha=0.2, linewidth=0,
                        label=t("band_90", language))
        a1.plot(d["spend"], d["npv"] / scale, color=colour, marker="o", markersize=9, label=t("mean", language))
        a1.set_ylabel(t("dose.npv", language, unit=unit))
        a1.set_xlabel(t("dose.xlabel", language))
        euro_axis(a1, scale, language)
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
        return save_chart(fig, out_dir, name)
