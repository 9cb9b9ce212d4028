"""What every chart shares: the slide style, the Okabe–Ito palette and the colours of scenarios,
budget lines, payers and levels, the figure and its writer (PNG + SVG), and the axis formats.

Matplotlib is used through :class:`matplotlib.figure.Figure` with the Agg renderer, never through
``pyplot``, so nothing here touches global backend state. Colours come from the Okabe–Ito palette
(safe for the common forms of colour blindness); fonts are large enough for a slide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..i18n import fmt_number, fmt_pct
from ..summary import scenario_order

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
def slide_style():
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(figsize=FIGSIZE, **subplot_kw) -> tuple[Figure, object]:
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(**subplot_kw) if subplot_kw else fig.subplots()
    return fig, axes


def save_chart(fig: Figure, out_dir, name: str) -> ChartPaths:
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


def key_colour(kind: str, key: str, i: int) -> str:
    table = LINE_COLOURS if kind == "line" else PAYER_COLOURS
    return table.get(key, EXTRA_COLOURS[i % len(EXTRA_COLOURS)])


def euro_axis(ax, scale: float, language: str, axis: str = "y") -> None:
    decimals = 1 if scale >= 1e6 else 0
    fmt = FuncFormatter(lambda v, _pos: fmt_number(v, language, decimals if abs(v) % 1 else 0))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def year_axis(ax, axis: str = "x") -> None:
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_major_locator(MaxNLocator(integer=True, nbins=8))
    a.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))


def pct_axis(ax, language: str, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda v, _pos: fmt_pct(v, language)))


def scenarios_in(frame: pd.DataFrame, scenarios, baseline: str, *, with_baseline: bool) -> list[str]:
    present = scenario_order(frame, baseline)
    chosen = [s for s in (scenarios or present) if s in present]
    if not with_baseline:
        chosen = [s for s in chosen if s != baseline]
    return chosen
