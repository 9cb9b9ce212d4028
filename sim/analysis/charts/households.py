"""Households: how many are at each level of support over time, and what passes from parent to
child (transmission of multiple problems, the cost of later generations)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..i18n import euro_scale, fmt_number, label, scenario_label, t
from ..summary import HIGHEST_PREFIXES, LEVELS, scenario_order
from .style import (
    GREY,
    LEVEL_COLOURS,
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
    chosen = scenarios_in(table, scenarios, baseline, with_baseline=True)[:max_panels]
    levels = [lv for lv in reversed(LEVELS) if lv in table.columns]  # specialist at the bottom
    with slide_style():
        fig, axes = new_figure(ncols=len(chosen), sharey=True, squeeze=False)
        axes = axes[0]
        for ax, s in zip(axes, chosen):
            d = table[table["scenario"] == s]
            ax.stackplot(d["time"].to_numpy(), *[d[lv].to_numpy() for lv in levels],
                         colors=[LEVEL_COLOURS.get(lv, GREY) for lv in levels],
                         labels=[label("level", lv, language) for lv in levels], edgecolor="white", linewidth=0.3)
            ax.set_title(scenario_label(s, language, baseline=baseline, labels=labels), fontsize=16)
            ax.set_xlabel(t("year", language))
            year_axis(ax)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=max(3, 8 // len(chosen))))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, language)))
            ax.grid(False)
        axes[0].set_ylabel(t("levels.ylabel" if highest else "levels.ylabel_sum", language))
        handles, lbls = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], lbls[::-1], loc="outside right center")
        fig.suptitle(t("levels.title" if highest else "levels.title_sum", language), fontsize=20,
                     fontweight="bold", x=0.01, ha="left")
        return save_chart(fig, out_dir, name)


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
    chosen = scenarios_in(summary, scenarios, baseline, with_baseline=True)
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

    with slide_style():
        fig, (a1, a2) = new_figure(ncols=2, sharey=True)
        a1.barh(y + h / 2, mp["mean"], height=h, color=OKABE_ITO["vermillion"], xerr=err(mp), capsize=4,
                label=t("gen.childhood_mp", language))
        a1.barh(y - h / 2, not_mp["mean"], height=h, color=OKABE_ITO["sky_blue"], xerr=err(not_mp), capsize=4,
                label=t("gen.childhood_not_mp", language))
        a1.set_yticks(y)
        a1.set_yticklabels(names)
        a1.set_title(t("gen.transmission", language), fontsize=17)
        pct_axis(a1, language, axis="x")
        a1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=1)
        a1.grid(axis="y", visible=False)
        a2.barh(y, cost["mean"] / scale, height=0.6, color=[colours[s] for s in chosen], xerr=err(cost, scale),
                capsize=4)
        a2.set_title(t("gen.second_cost", language), fontsize=17)
        a2.set_xlabel(t("gen.second_cost_unit", language, unit=unit))
        euro_axis(a2, scale, language, axis="x")
        a2.grid(axis="y", visible=False)
        fig.suptitle(t("gen.title", language), fontsize=20, fontweight="bold", x=0.01, ha="left")
        return save_chart(fig, out_dir, name)
