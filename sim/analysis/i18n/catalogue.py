"""Texts of the intervention catalogue's report section and charts, nl and en (merged into
sim.analysis.i18n.STRINGS, so `t()` finds them like every other text)."""

EVIDENCE = {
    "nl_rct": {"nl": "Nederlandse RCT", "en": "Dutch RCT"},
    "rct": {"nl": "buitenlandse RCT", "en": "foreign RCT"},
    "quasi_experimental": {"nl": "quasi-experimenteel", "en": "quasi-experimental"},
    "observational": {"nl": "observationeel", "en": "observational"},
    "practice_based": {"nl": "praktijkgestuurd", "en": "practice-based"},
    "expert_opinion": {"nl": "oordeel van experts", "en": "expert opinion"},
    "assumption": {"nl": "aanname (generieke hefboom)", "en": "assumption (generic lever)"},
}

STRINGS = {
    **{f"evidence.{k}": v for k, v in EVIDENCE.items()},
    "trial.title": {"nl": "Virtuele trials: gepubliceerd en gesimuleerd effect",
                    "en": "Virtual trials: published and simulated effect"},
    "trial.published": {"nl": "gepubliceerd (95%-BI)", "en": "published (95% CI)"},
    "trial.simulated": {"nl": "gesimuleerd (95%-BI)", "en": "simulated (95% CI)"},
    "trial.risk_ratio": {"nl": "relatief risico (interventie / controle)", "en": "risk ratio (intervention / control)"},
    "trial.risk_difference": {"nl": "risicoverschil (interventie - controle)",
                              "en": "risk difference (intervention - control)"},
    "league.title": {"nl": "Netto contante waarde per interventie (5-95% van de simulaties)",
                     "en": "Net present value per intervention (5-95% of runs)"},
    "league.npv_axis": {"nl": "netto contante waarde, alle publieke betalers ({unit})",
                        "en": "net present value, all public payers ({unit})"},
    "report.league_h": {"nl": "Interventies: wat ze kosten, opleveren, voor wie en wanneer",
                        "en": "Interventions: what they cost, what they save, for whom and when"},
    "report.league_intro": {
        "nl": ("Per scenario de ingekochte interventies uit de catalogus, met de bewijskracht erachter. Kosten per "
               "deelnemer zijn de uitgaven gedeeld door de deelnemers over de hele looptijd. De baten-kostenverhouding "
               "per betaler is de contante besparing van die betaler gedeeld door de hele contante investering; samen "
               "tellen ze op tot het totaal. Effecten zijn per simulatie getrokken uit hun betrouwbaarheidsinterval."),
        "en": ("Per scenario, the catalogue interventions it buys and the strength of the evidence behind them. Cost "
               "per participant is the spending over the participants of the whole horizon. The benefit-cost ratio "
               "per payer is that payer's discounted saving over the whole discounted investment; they add up to the "
               "total. Effects are drawn per run from their confidence intervals."),
    },
    "report.league_caption": {"nl": "Ranglijst van interventies (gemiddelde over de simulaties)",
                              "en": "League table of interventions (mean over runs)"},
    "league.col.scenario": {"nl": "Scenario", "en": "Scenario"},
    "league.col.evidence": {"nl": "Bewijs", "en": "Evidence"},
    "league.col.participants": {"nl": "Deelnemers", "en": "Participants"},
    "league.col.cost_pp": {"nl": "Kosten per deelnemer", "en": "Cost per participant"},
    "league.col.npv": {"nl": "Netto contante waarde", "en": "Net present value"},
    "league.col.bcr": {"nl": "Baten / kosten", "en": "Benefit / cost"},
    "league.col.bcr_municipality": {"nl": "waarvan gemeente", "en": "of which municipality"},
    "league.col.p_be": {"nl": "Kans terugverdiend binnen 4 / 8 / 12 / 20 jaar",
                        "en": "Chance of breaking even within 4 / 8 / 12 / 20 years"},
    "league.col.gains": {"nl": "Wie wint", "en": "Who gains"},
    "league.nobody": {"nl": "niemand", "en": "nobody"},
    "league.portfolio": {"nl": "{n} interventies", "en": "{n} interventions"},
    "alt.league": {"nl": "Staafdiagram van de netto contante waarde per interventie met de spreiding over de simulaties.",
                   "en": "Bar chart of the net present value per intervention with the spread over the runs."},
    "caption.league": {
        "nl": "Netto contante waarde per scenario (groen: levert op, rood: kost geld), met tussen haakjes de bewijskracht.",
        "en": "Net present value per scenario (green: saves, red: costs), with the strength of the evidence in brackets.",
    },
    "report.caveat_catalogue": {
        "nl": ("De effecten van de interventies komen uit de catalogus (sim/params/interventions). Alleen VoorZorg, "
               "Stevig Ouderschap en de Eigen Kracht-conferentie zijn op een Nederlandse trial geijkt (sim trial); de "
               "andere rusten op zwakker bewijs of op gelabelde aannames met een ruim interval. Waar geen effect is "
               "gevonden, staat dat in de catalogus."),
        "en": ("The interventions' effects come from the catalogue (sim/params/interventions). Only VoorZorg, Stevig "
               "Ouderschap and the family group conference are calibrated to a Dutch trial (sim trial); the others "
               "rest on weaker evidence or on labelled assumptions with wide intervals. Where no effect was found, "
               "the catalogue says so."),
    },
}
