"""Charts of a sensitivity sweep (`sim sweep`): the indices with their intervals, and the tornado
of one-way effects. One panel per analysed output; PNG and SVG of each.

The same sweep gives byte-identical files: PNGs carry no software tag, SVGs no date, and the ids
inside an SVG are derived from a fixed salt (``svg.hashsalt``) instead of a random one.
"""
from __future__ import annotations

import io
import math
import warnings
from collections.abc import Mapping
from pathlib import Path

from ..files import write_bytes_atomic

__all__ = ["draw_sweep_charts", "save_figure", "SVG_HASH_SALT"]

SVG_HASH_SALT = "sim-sweep"
_COLOURS = {"S1": "#0072B2", "ST": "#E69F00", "low": "#56B4E9", "high": "#D55E00", "ref": "#000000"}
_ERROR_BARS = {"elinewidth": 1, "capsize": 2}


def draw_sweep_charts(spec: Mapping, result, oneway, directory: Path) -> list[str]:
    """Draw charts/indices.* (Sobol) or charts/morris.* (Morris), and charts/tornado.* when the
    sweep has one-way runs; return the file names written.

    ``result`` is the indices table (indices.csv or morris.csv), ``oneway`` that of oneway.csv.
    """
    import matplotlib

    with warnings.catch_warnings(), matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        warnings.simplefilter("ignore", RuntimeWarning)  # NaN bars of undefined outputs
        written = _indices_chart(spec, result, directory)
        if oneway is not None:
            written += _tornado_chart(spec, oneway, directory)
    return written


def _versus(spec: Mapping) -> str:
    return f"{spec['experiment']['scenario']} vs {spec['experiment']['baseline']}"


def _indices_chart(spec: Mapping, result, directory: Path) -> list[str]:
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    names = list(dict.fromkeys(result["output"]))
    params = list(spec["parameters"])
    sobol = spec["method"] == "sobol"
    fig, axes = _grid(len(names), len(params))
    for ax, name in zip(axes, names):
        r = result[result["output"] == name].set_index("parameter").loc[params]
        first = "ST" if sobol else "mu_star"
        r = r.iloc[np.argsort(-np.nan_to_num(r[first].to_numpy(), nan=-np.inf), kind="stable")]
        y = np.arange(len(params))
        if sobol:
            ax.barh(y - 0.2, r["S1"].fillna(0), 0.4, xerr=r["S1_conf"].fillna(0), color=_COLOURS["S1"],
                    error_kw=_ERROR_BARS)
            ax.barh(y + 0.2, r["ST"].fillna(0), 0.4, xerr=r["ST_conf"].fillna(0), color=_COLOURS["ST"],
                    error_kw=_ERROR_BARS)
            ax.set_xlabel("share of output variance (95% interval)", fontsize=9)
            ax.axvline(0, color="#888888", linewidth=0.8)
        else:
            ax.barh(y, r["mu_star"].fillna(0), 0.6, xerr=r["mu_star_conf"].fillna(0), color=_COLOURS["S1"],
                    error_kw=_ERROR_BARS)
            ax.plot(r["sigma"], y, "o", color=_COLOURS["ST"])
            ax.set_xlabel("effect of a full-range change (output units)", fontsize=9)
        if r[first].isna().all():
            _undefined(ax)
        _label_panel(ax, y, [_short(p) for p in r.index], name)
    if sobol:
        handles = [Patch(color=_COLOURS["S1"], label="S1 (first order)"),
                   Patch(color=_COLOURS["ST"], label="ST (total)")]
    else:
        handles = [Patch(color=_COLOURS["S1"], label="mu* (95% interval)"),
                   Line2D([], [], marker="o", linestyle="", color=_COLOURS["ST"], label="sigma")]
    title = f"{spec['name']}: {'Sobol indices' if sobol else 'Morris screening'} ({_versus(spec)})"
    _finish(fig, title, handles)
    return save_figure(fig, directory, "indices" if sobol else "morris")


def _tornado_chart(spec: Mapping, oneway, directory: Path) -> list[str]:
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    names = list(dict.fromkeys(oneway["output"]))
    fig, axes = _grid(len(names), len(spec["parameters"]))
    for ax, name in zip(axes, names):
        o = oneway[oneway["output"] == name].sort_values("swing", ascending=False, kind="stable", na_position="last")
        ref = float(o["reference"].iloc[0]) if len(o) else math.nan
        y = np.arange(len(o))
        if math.isfinite(ref):
            ax.barh(y - 0.18, o["output_low"] - ref, 0.36, left=ref, color=_COLOURS["low"])
            ax.barh(y + 0.18, o["output_high"] - ref, 0.36, left=ref, color=_COLOURS["high"])
            ax.axvline(ref, color=_COLOURS["ref"], linewidth=1)
            if o["swing"].fillna(0).eq(0).all():
                ax.text(0.5, 0.5, "no one-way effect", transform=ax.transAxes, ha="center", va="center",
                        fontsize=9, color="#666666")
        else:
            _undefined(ax)
        labels = [f"{_short(p)} [{lo:.4g}, {hi:.4g}]{' (factor)' if sc else ''}"
                  for p, lo, hi, sc in zip(o["parameter"], o["low"], o["high"], o["scale"])]
        _label_panel(ax, y, labels, name)
    handles = [Patch(color=_COLOURS["low"], label="parameter at its low bound"),
               Patch(color=_COLOURS["high"], label="parameter at its high bound"),
               Line2D([], [], color=_COLOURS["ref"], label="all parameters at their defaults")]
    _finish(fig, f"{spec['name']}: one-way effects, others at their defaults ({_versus(spec)}; one run each, "
                 "same seed)", handles)
    return save_figure(fig, directory, "tornado")


def _grid(n_panels: int, n_params: int):
    from matplotlib.figure import Figure

    cols = 1 if n_panels == 1 else 2
    rows = math.ceil(n_panels / cols)
    height = max(2.0, 0.4 * n_params + 1.2)
    fig = Figure(figsize=(6.4 * cols, height * rows + 0.9))
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n_panels)]
    return fig, axes


def _label_panel(ax, y, labels: list[str], title: str) -> None:
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)


def _short(key: str) -> str:
    return key if len(key) <= 38 else "..." + key[-35:]


def _undefined(ax) -> None:
    ax.text(0.5, 0.5, "not defined\n(output constant or not finite; see manifest notes)", transform=ax.transAxes,
            ha="center", va="center", fontsize=9, color="#666666")


def _finish(fig, title: str, handles) -> None:
    fig.suptitle(title, fontsize=11)
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))


def save_figure(fig, directory: Path, stem: str) -> list[str]:
    """PNG and SVG of `fig`, each written atomically; without the PNG's software tag and the
    SVG's date, so that the same sweep gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    names = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=ext, dpi=110, metadata=meta)
        write_bytes_atomic(directory / f"{stem}.{ext}", buffer.getvalue())
        names.append(f"{stem}.{ext}")
    return names
