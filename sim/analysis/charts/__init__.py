"""Charts for slides and the report: PNG (150 dpi, 16:9) and SVG, Dutch or English.

Every function takes frames from :mod:`sim.analysis.summary` (and the time-series table where it
needs one), a ``language`` (``"nl"``/``"en"``) and an output directory; it writes
``<name>.png`` and ``<name>.svg`` and returns their paths as :class:`ChartPaths`.

One module per kind of chart: payback.py (J-curve, break-even distribution, dose-response),
shifts.py (who pays), households.py (levels of support, generations), catalogue.py (forest plot,
league table); style.py holds what they share. :func:`all_charts` makes every chart a run allows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from .catalogue import forest_plot, league_chart
from .households import households_by_level, intergenerational, level_table
from .payback import break_even_distribution, dose_response, jcurve
from .shifts import cost_shifts, yearly_shifts
from .style import (
    DPI,
    FIGSIZE,
    GREY,
    LEVEL_COLOURS,
    LINE_COLOURS,
    OKABE_ITO,
    PAYER_COLOURS,
    SCENARIO_COLOURS,
    STYLE,
    ChartPaths,
    scenario_colours,
    slug,
)

__all__ = [
    "DPI",
    "FIGSIZE",
    "GREY",
    "LEVEL_COLOURS",
    "LINE_COLOURS",
    "OKABE_ITO",
    "PAYER_COLOURS",
    "SCENARIO_COLOURS",
    "STYLE",
    "ChartPaths",
    "all_charts",
    "break_even_distribution",
    "cost_shifts",
    "dose_response",
    "forest_plot",
    "households_by_level",
    "intergenerational",
    "jcurve",
    "league_chart",
    "level_table",
    "scenario_colours",
    "slug",
    "yearly_shifts",
]

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
    only: Collection[str] | None = None,
) -> dict[str, ChartPaths]:
    """Every chart the data allow, for a :class:`~sim.analysis.summary.Summary`. Keys are chart names.
    ``only`` (chart names) draws just those of them (the what-if screen's quick first answer)."""
    want = (lambda name: True) if only is None else (lambda name: name in only)
    base = summary.baseline
    others = [s for s in summary.scenarios if s != base]
    focus = focus or (others[0] if others else None)
    horizon = int(summary.meta.get("horizon_years") or summary.cumulative["year"].nunique())
    out: dict[str, ChartPaths] = {}
    if others and not summary.cumulative.empty:
        if want("jcurve"):
            out["jcurve"] = jcurve(summary.cumulative, out_dir, language=language, scenarios=scenarios, baseline=base,
                                   labels=labels)
        if want("cost_shifts"):
            out["cost_shifts"] = cost_shifts(summary.cumulative, out_dir, scenario=focus, language=language,
                                             baseline=base, labels=labels, name="cost_shifts")
    if others and not summary.cumulative.empty and want("break_even_distribution"):
        out["break_even_distribution"] = break_even_distribution(
            summary.replications, out_dir, horizon_years=horizon, language=language, scenarios=scenarios,
            baseline=base, labels=labels)
    level_source = ts if ts is not None else summary.yearly
    if want("households_by_level") and level_source is not None and any(c.startswith("hh__") for c in level_source.columns):
        panels = [base, focus] if focus and scenarios is None else scenarios
        out["households_by_level"] = households_by_level(level_source, out_dir, language=language,
                                                         scenarios=panels, baseline=base, labels=labels)
    if want("intergenerational") and (summary.summary["metric"] == "transmission_mp").any():
        out["intergenerational"] = intergenerational(summary.summary, out_dir, language=language, scenarios=scenarios,
                                                     baseline=base, labels=labels)
    if spend_per_household and want("dose_response"):
        present = {s: v for s, v in spend_per_household.items() if s in summary.scenarios}
        if any(s != base for s in present):
            out["dose_response"] = dose_response(summary.summary, present, out_dir, language=language, baseline=base,
                                                 horizon_years=horizon)
    return out
