"""The peeling trade-off chart of scenario discovery (`sim discover`): coverage against density
along each box's peeling trajectory, with the box that was chosen marked. One panel per box;
PNG and SVG, byte-identical for the same input (see sim.analysis.sweep_charts).

Two series per panel, because the chosen box is a pruned step (sim/discover/prim.py): PRIM's
own steps (grey), and the same steps with the restrictions that could be chance removed (blue);
the candidates are the blue points at or above the minimum density.
"""
from __future__ import annotations

from pathlib import Path

from .sweep_charts import SVG_HASH_SALT, save_figure

__all__ = ["draw_tradeoff_chart"]

_COLOURS = {"prim": "#999999", "significant": "#0072B2", "chosen": "#D55E00", "floor": "#666666"}


def draw_tradeoff_chart(boxes, *, title: str, min_density: float, directory: Path, stem: str = "peeling") -> list[str]:
    """Draw ``stem``.png and .svg in ``directory``; return the file names.

    ``boxes``: :class:`sim.discover.prim.Box` objects, each with its trajectory table.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        fig = Figure(figsize=(max(7.0, 4.6 * len(boxes) + 0.6), 5.0))
        for i, box in enumerate(boxes):
            ax = fig.add_subplot(1, len(boxes), i + 1)
            _panel(ax, box, min_density)
        handles = [Line2D([], [], color=_COLOURS["prim"], marker="o", markersize=4, label="PRIM's peeling steps"),
                   Line2D([], [], color=_COLOURS["significant"], marker="o", markersize=4, linestyle="",
                          label="the same, significant restrictions only"),
                   Line2D([], [], color=_COLOURS["chosen"], marker="o", markersize=11, markerfacecolor="none",
                          linestyle="", markeredgewidth=2, label="chosen box (coverage and density gain balanced)"),
                   Line2D([], [], color=_COLOURS["floor"], linestyle="--", label=f"minimum density {min_density:g}")]
        fig.suptitle(title, fontsize=10)
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.1, 1, 1))
        return save_figure(fig, directory, stem)


def _panel(ax, box, min_density: float) -> None:
    tr = box.trajectory
    ax.plot(tr["coverage"], tr["density"], "-o", color=_COLOURS["prim"], markersize=3, linewidth=1)
    ax.plot(tr["significant_coverage"], tr["significant_density"], "o", color=_COLOURS["significant"], markersize=3)
    ax.axhline(min_density, color=_COLOURS["floor"], linestyle="--", linewidth=0.8)
    ax.plot([box.coverage], [box.density], "o", markersize=12, markerfacecolor="none", markeredgewidth=2,
            color=_COLOURS["chosen"])
    ax.annotate(f"box {box.number} (step {box.step})\ncoverage {box.coverage:.0%}, density {box.density:.0%}\n"
                f"{len(box.limits)} parameter{'s' if len(box.limits) != 1 else ''} restricted",
                (box.coverage, box.density), xytext=(0.04, 0.06), textcoords="axes fraction", fontsize=8,
                arrowprops={"arrowstyle": "-", "color": _COLOURS["chosen"], "linewidth": 0.8})
    ax.set_xlim(-0.02, 1.05)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("coverage: share of all cases of interest in the box", fontsize=8)
    ax.set_ylabel("density: share of the box's runs that are cases", fontsize=8)
    ax.set_title(f"box {box.number}", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(color="#eeeeee", linewidth=0.6)
