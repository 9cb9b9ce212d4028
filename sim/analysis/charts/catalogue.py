"""Charts of the intervention catalogue: the virtual trials' forest plot and the league table."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from ..i18n import euro_scale, t
from .style import GREY, OKABE_ITO, ChartPaths, euro_axis, new_figure, save_chart, slide_style


def forest_plot(results, *, language: str, out_dir, name: str = "forest") -> ChartPaths:
    """Published effect (with its 95% interval) beside the simulated one, per virtual trial.
    Risk ratios on a log axis; a risk difference gets its own panel."""
    groups = {m: [r for r in results if r.measure == m] for m in ("risk_ratio", "risk_difference")}
    groups = {m: rs for m, rs in groups.items() if rs}
    with slide_style():
        fig, axes = new_figure(ncols=len(groups), squeeze=False)
        for ax, (measure, rs) in zip(axes[0], groups.items()):
            for i, r in enumerate(rs):
                y = len(rs) - 1 - i
                if r.published_ci:
                    ax.plot(r.published_ci, [y + 0.15] * 2, color=GREY, lw=3)
                ax.plot([r.published], [y + 0.15], "s", color=GREY, ms=10,
                        label=t("trial.published", language) if i == 0 else None)
                lo, hi = r.simulated_ci
                if math.isfinite(lo) and math.isfinite(hi):
                    ax.plot([lo, hi], [y - 0.15] * 2, color=OKABE_ITO["blue"], lw=3)
                ax.plot([r.simulated], [y - 0.15], "o", color=OKABE_ITO["blue"], ms=10,
                        label=t("trial.simulated", language) if i == 0 else None)
            ax.set_yticks(range(len(rs)), [r.id.replace("_", " ") for r in reversed(rs)])
            ax.axvline(1.0 if measure == "risk_ratio" else 0.0, color="black", lw=1)
            if measure == "risk_ratio":
                ax.set_xscale("log")
            ax.set_xlabel(t(f"trial.{measure}", language))
            ax.grid(axis="y", visible=False)
            ax.legend(loc="lower right")
        fig.suptitle(t("trial.title", language), fontsize=20, fontweight="bold", x=0.02, ha="left")
        return save_chart(fig, out_dir, name)


def league_chart(league: pd.DataFrame, *, language: str, out_dir, labels=None, name: str = "league") -> ChartPaths:
    """Net present value per scenario with its 5-95% range over the runs, best first."""
    labels = labels or {}
    rows = league.iloc[::-1]
    scale, unit = euro_scale(rows[["npv", "npv_p05", "npv_p95"]].to_numpy(float).ravel(), language)
    with slide_style():
        fig, ax = new_figure()
        y = np.arange(len(rows))
        colours = [OKABE_ITO["bluish_green"] if v > 0 else OKABE_ITO["vermillion"] for v in rows["npv"]]
        ax.barh(y, rows["npv"] / scale, color=colours, alpha=0.8)
        # Clipped at 0: with identical runs the mean and a quantile differ in the last bit.
        ax.errorbar(rows["npv"] / scale, y, xerr=[((rows["npv"] - rows["npv_p05"]) / scale).clip(lower=0),
                                                  ((rows["npv_p95"] - rows["npv"]) / scale).clip(lower=0)],
                    fmt="none", ecolor="black", capsize=4, lw=1.5)
        ax.set_yticks(y, [_bar_label(labels.get(s, s), ev, language) for s, ev in zip(rows["scenario"], rows["evidence"])],
                      fontsize=12 if len(rows) > 8 else 14)
        ax.axvline(0, color="black", lw=1)
        ax.set_xlabel(t("league.npv_axis", language, unit=unit))
        ax.set_title(t("league.title", language))
        ax.grid(axis="y", visible=False)
        euro_axis(ax, scale, language, axis="x")
        return save_chart(fig, out_dir, name)


def _bar_label(name: str, evidence: str, language: str) -> str:
    """The scenario's label, wrapped, over its evidence: one grade, or the size of a portfolio."""
    grades = [g for g in str(evidence).split(" + ") if g]
    grade = t(f"evidence.{grades[0]}", language) if len(grades) == 1 else t("league.portfolio", language, n=len(grades))
    return textwrap.shorten(str(name), 38, placeholder="…") + f"\n({grade})"
