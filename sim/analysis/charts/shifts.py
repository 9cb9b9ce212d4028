"""Who pays: the yearly extra (+) and saved (−) cost of a scenario, by budget line and by payer."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..i18n import euro_scale, label, scenario_label, t
from ..summary import LINE_ORDER, PAYER_ORDER
from .style import FIGSIZE, ChartPaths, euro_axis, key_colour, new_figure, save_chart, slide_style, slug, year_axis


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
        c = key_colour(kind, k, i)
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
    year_axis(ax)
    euro_axis(ax, scale, language)
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
    with slide_style():
        fig, (a1, a2) = new_figure(figsize=(FIGSIZE[0], 8.5), ncols=2, sharey=True)
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
        return save_chart(fig, out_dir, name or f"cost_shifts_{slug(scenario)}")
