"""Analysis stage: summary metrics, charts and the HTML report.

Takes DataFrames (the model's monthly time-series table, or frames derived from it); never runs
the model. Entry points:

* :func:`summarise` — time series → :class:`Summary` (summary.csv frame, cumulative costs,
  per-replication metrics, wrong-pocket table, yearly table, meta).
* :mod:`sim.analysis.charts` — PNG + SVG charts (:func:`all_charts` for all of them).
* :func:`write_report` — one self-contained ``report.html`` (nl or en).
"""

from .charts import (
    ChartPaths,
    all_charts,
    break_even_distribution,
    cost_shifts,
    dose_response,
    households_by_level,
    intergenerational,
    jcurve,
)
from .report import load_summary, write_report
from .summary import (
    DEFAULT_DISCOUNT_RATE,
    Summary,
    break_even_index,
    cumulative_net_cost,
    differences,
    npv,
    replication_metrics,
    scenario_metrics,
    summarise,
    wrong_pocket,
    yearly,
)

__all__ = [
    "DEFAULT_DISCOUNT_RATE",
    "ChartPaths",
    "Summary",
    "all_charts",
    "break_even_distribution",
    "break_even_index",
    "cost_shifts",
    "cumulative_net_cost",
    "differences",
    "dose_response",
    "households_by_level",
    "intergenerational",
    "jcurve",
    "load_summary",
    "npv",
    "replication_metrics",
    "scenario_metrics",
    "summarise",
    "wrong_pocket",
    "write_report",
    "yearly",
]
