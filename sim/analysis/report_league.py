"""The report's interventions section: the league table (sim.analysis.league) as a report table,
nl/en; the template (templates/report.html.j2) lays it out with the league chart."""
from __future__ import annotations

import pandas as pd

from .i18n import fmt_eur, fmt_number, fmt_pct, label, scenario_label, t
from .report_sections import Table, cell, text_cell
from .summary import BREAK_EVEN_WITHIN


def _evidence(text: str, language: str) -> str:
    return " + ".join(t(f"evidence.{g}", language) for g in str(text).split(" + ") if g)


def interventions_table(league: pd.DataFrame, language: str, labels) -> Table:
    header = [t("league.col.scenario", language), t("league.col.evidence", language),
              t("league.col.participants", language), t("league.col.cost_pp", language),
              t("league.col.npv", language), t("league.col.bcr", language),
              t("league.col.bcr_municipality", language), t("league.col.p_be", language),
              t("league.col.gains", language)]
    rows = []
    for _, r in league.iterrows():
        gains = ", ".join(label("payer", p, language) for p in str(r.get("who_gains") or "").split() if p)
        chances = " / ".join(fmt_pct(r[f"p_break_even_{w}y"], language) for w in BREAK_EVEN_WITHIN)
        cells = [
            text_cell(_evidence(r["evidence"], language)),
            cell(fmt_number(r["participants"], language, 0)),
            cell(fmt_eur(r["cost_per_participant"], language)),
            cell(fmt_eur(r["npv"], language), fmt_eur(r["npv_p05"], language), fmt_eur(r["npv_p95"], language)),
            cell(fmt_number(r["benefit_cost_ratio"], language, 2), fmt_number(r["benefit_cost_ratio_p05"], language, 2),
                 fmt_number(r["benefit_cost_ratio_p95"], language, 2)),
            cell(fmt_number(r.get("bcr_municipality"), language, 2)),
            cell(chances),
            text_cell(gains or t("league.nobody", language)),
        ]
        rows.append((scenario_label(r["scenario"], language, labels=labels), cells))
    return Table(t("report.league_caption", language), header, rows, num_from=2)
