"""From the model's monthly time series to the statistics that calibration targets name.

This is the documented mapping between a target's ``statistic`` column and the model's output
columns. It is a *proposal* for the model's lead to confirm: the column names follow the
announced reporting scheme

* ``households``, ``persons``, ``children``;
* ``hh__{domain}__{level}``: households at a level in a domain (domains finance, work, youth,
  health; levels self_reliant, emerging, light, maatwerk, specialist);
* ``children__{domain}__{level}``: children by the level of their household;
* ``cost__{line}__{payer}``: euros per month booked to a budget line and payer;
* ``flow__to_maatwerk__{domain}``: households entering maatwerk in a month;
* generation stocks (names proposed below, ``gen__…``) and the gate's waiting time
  (``gate__wait_weeks_max``, proposed).

Each statistic is a ratio of column sums averaged over the last ``window_months`` rows (one
row per month), times a scale. ``*`` in a column name matches any suffix (e.g. every payer).
:func:`model_statistics` evaluates them; nothing here knows about the model's classes.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..outcomes import Kind, kind_of
from ..outcomes import name as column_name

__all__ = ["StatSpec", "STATISTICS", "model_statistics", "required_columns"]


@dataclass(frozen=True)
class StatSpec:
    """``scale * agg(numerator) / mean(denominator)`` over the window.

    ``agg`` follows the numerator's kind in the outcome registry (sim/outcomes.py) unless given:
    ``"mean"`` for stocks (average monthly level), ``"sum"`` for flows and costs (total over the
    window; with a 12-month window that is a yearly figure), ``"max"`` for peaks.
    ``ratio_of`` makes a ratio of two other statistics (used for the relative risk).
    """

    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: float = 1.0
    agg: str | None = None
    ratio_of: tuple[str, str] | None = None
    doc: str = ""


_L34 = ("maatwerk", "specialist")
_HH = "hh__{domain}__{level}"
# agg for the registry's kinds of a numerator (a stock is averaged over the window)
_AGG = {Kind.STOCK: "mean", Kind.MEAN: "mean", Kind.FLOW: "sum", Kind.COST: "sum", Kind.PEAK: "max"}
# Care episodes by their register name: (statistic prefix, domain, what it is)
_EPISODES = (("problem_debt", "finance", "registered problem debt"), ("bijstand", "work", "bijstand"),
             ("jeugdhulp", "youth", "jeugdhulp"), ("wmo", "health", "Wmo maatwerk"))

STATISTICS: dict[str, StatSpec] = {
    "households": StatSpec(("households",), doc="mean number of households"),
    "persons": StatSpec(("persons",), doc="mean number of persons"),
    "jeugdhulp_share_youth": StatSpec(
        ("youth_clients__maatwerk", "youth_clients__specialist"), ("pop__under_23",),
        doc="children in youth care (maatwerk or specialist) over persons under 23"),
    "youth_specialist_per_1000hh": StatSpec(
        ("youth_clients__specialist",), ("households",), 1000.0,
        doc="children in youth specialist care (with accommodation or youth protection) per 1000 households"),
    "youth_under_23_per_hh": StatSpec(("pop__under_23",), ("households",), doc="persons under 23 per household"),
    "care_laws_1plus_share": StatSpec(("care__laws_1plus",), ("households",),
                                      doc="share of households that used Participatiewet, Jeugdwet or Wmo maatwerk in the last 12 months"),
    "care_laws_2plus_share_of_users": StatSpec(("care__laws_2plus",), ("care__laws_1plus",),
                                               doc="of those, the share using two or more of the three laws"),
    "child_protection_per_1000hh": StatSpec(
        ("youth_clients__specialist",), ("households",), 1000.0,
        doc="children in youth specialist care per 1000 households (which also holds residential care)"),
    "wmo_maatwerk_per_1000hh": StatSpec(
        tuple(column_name(_HH, domain="health", level=lv) for lv in _L34), ("households",), 1000.0,
        doc="households at health maatwerk or specialist level per 1000 households"),
    "bijstand_per_1000hh": StatSpec(
        tuple(column_name(_HH, domain="work", level=lv) for lv in _L34), ("households",), 1000.0,
        doc="households at work maatwerk or specialist level (bijstand) per 1000 households"),
    "problem_debt_share": StatSpec(
        tuple(column_name(_HH, domain="finance", level=lv) for lv in ("light", "maatwerk", "specialist")), ("households",),
        doc="share of households at finance level light or above"),
    "cost_wmo_per_hh_year": StatSpec(("cost__wmo__*",), ("households",),
                                     doc="Wmo spending over the window (12 months: per year) per household"),
    "cost_jeugdwet_per_hh_year": StatSpec(("cost__jeugdwet__*",), ("households",),
                                          doc="Jeugdwet spending per household per year"),
    "cost_participatiewet_per_hh_year": StatSpec(("cost__participatiewet__*",), ("households",),
                                                 doc="Participatiewet spending (mostly bijstand benefits) per household per year"),
    "debt_requests_per_1000hh_year": StatSpec(("flow__to_maatwerk__finance",), ("households",), 1000.0,
                                              doc="entries into finance maatwerk (debt counselling) per 1000 households per year"),
    # care episodes (model/episodes.py): inflow, re-entry, spell lengths
    **{f"{name}_inflow_per_1000hh_year": StatSpec((f"episode__{d}__entries",), ("households",), 1000.0,
                                                  doc=f"{what} episodes begun per 1000 households per year")
       for name, d, what in _EPISODES},
    **{f"{name}_reentry_share": StatSpec(ratio_of=(f"{name}_reentries_year", f"{name}_entries_year"),
                                         doc=f"share of {what} entries within a year of the previous episode's end")
       for name, d, what in _EPISODES},
    **{f"{name}_{kind}_year": StatSpec((f"episode__{d}__{col}",), doc=f"{what} {kind} in the window")
       for name, d, what in _EPISODES for kind, col in (("reentries", "reentries_1y"), ("entries", "entries"),
                                                        ("exits", "exits"), ("ended_months", "ended_months"),
                                                        ("ended_over_1y", "ended_over_1y"),
                                                        ("ended_over_2y", "ended_over_2y"))},
    **{f"{name}_ended_mean_months": StatSpec(ratio_of=(f"{name}_ended_months_year", f"{name}_exits_year"),
                                             doc=f"mean length of the {what} episodes that ended, months")
       for name, d, what in _EPISODES},
    **{f"{name}_ended_over_{y}_share": StatSpec(ratio_of=(f"{name}_ended_over_{y}_year", f"{name}_exits_year"),
                                                doc=f"share of ended {what} episodes that lasted over {y[0]} year(s)")
       for name, d, what in _EPISODES for y in ("1y", "2y")},
    **{f"{name}_stock_over_{y}_share": StatSpec((f"episode__{d}__stock_over_{y}",), (f"episode__{d}__stock",),
                                                doc=f"share of current {what} episodes that have lasted over {y[0]} year(s)")
       for name, d, what in _EPISODES for y in ("1y", "2y", "5y")},
    # generation stocks -- column names proposed: adults (formed households) by childhood exposure
    "intergen_p_exposed": StatSpec(("gen__exposed__adults_maatwerk",), ("gen__exposed__adults",),
                                   doc="share at maatwerk+ among adults who grew up in a maatwerk household"),
    "intergen_p_unexposed": StatSpec(("gen__unexposed__adults_maatwerk",), ("gen__unexposed__adults",),
                                     doc="same among adults who did not"),
    "intergen_rr_maatwerk": StatSpec(ratio_of=("intergen_p_exposed", "intergen_p_unexposed"),
                                     doc="relative risk: exposed share / unexposed share"),
    "wmo_wait_weeks_max": StatSpec(("gate__wait_weeks_max",),
                                   doc="longest wait at the gate in the window, weeks"),
}


def _match(columns: Sequence[str], patterns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for pat in patterns:
        hits = [c for c in columns if fnmatch.fnmatchcase(c, pat)] if "*" in pat else ([pat] if pat in columns else [])
        if not hits:
            raise KeyError(pat)
        out.extend(h for h in hits if h not in out)
    return out


def _agg_of(statistic: str, columns: Sequence[str]) -> str:
    """The one aggregation the numerator's columns share (their kind in the registry)."""
    aggs = {_AGG.get(kind_of(c), "mean") for c in columns}
    if len(aggs) != 1:
        raise ValueError(f"statistic {statistic!r} adds columns of different kinds ({', '.join(columns)}); give agg")
    return aggs.pop()


def required_columns(names: Sequence[str] | None = None, specs: Mapping[str, StatSpec] | None = None) -> set[str]:
    """Column names (patterns) the given statistics need."""
    specs = STATISTICS if specs is None else specs
    need: set[str] = set()
    for n in names or specs:
        s = specs[n]
        if s.ratio_of:
            need |= required_columns(list(s.ratio_of), specs)
        need |= set(s.numerator) | set(s.denominator)
    return need


def model_statistics(ts: pd.DataFrame, names: Sequence[str] | None = None, *, window_months: int = 12,
                     specs: Mapping[str, StatSpec] | None = None) -> dict[str, float]:
    """Evaluate statistics on a monthly time series (one row per month, oldest first).

    ``names`` defaults to every statistic whose columns are present; a name asked for
    explicitly whose columns are missing raises ``KeyError`` naming the columns.
    """
    specs = STATISTICS if specs is None else specs
    if "month" in ts.columns:
        ts = ts.sort_values("month")
    win = ts.tail(int(window_months))
    cols = list(win.columns)
    explicit = names is not None
    out: dict[str, float] = {}

    def one(name: str) -> float:
        s = specs[name]
        if s.ratio_of:
            a, b = (out[k] if k in out else one(k) for k in s.ratio_of)
            return a / b if b else float("nan")
        columns = _match(cols, s.numerator)
        num = win[columns].sum(axis=1).to_numpy(float)
        agg = s.agg or _agg_of(name, columns)
        if agg == "mean":
            top = num.mean()
        elif agg == "sum":
            top = num.sum()
        elif agg == "max":
            top = num.max()
        else:
            raise ValueError(f"statistic {name!r}: unknown agg {agg!r}")
        if s.denominator:
            den = win[_match(cols, s.denominator)].sum(axis=1).to_numpy(float).mean()
            return float(s.scale * top / den) if den else float("nan")
        return float(s.scale * top)

    for name in (names if explicit else list(specs)):
        if name not in specs:
            raise KeyError(f"unknown statistic {name!r}; known: {sorted(specs)}")
        try:
            out[name] = one(name)
        except KeyError as e:
            if explicit:
                raise KeyError(f"statistic {name!r} needs column {e.args[0]!r}, not in the time series") from None
    return {k: v for k, v in out.items() if names is None or k in names}
