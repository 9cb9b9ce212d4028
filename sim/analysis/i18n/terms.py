"""Names of things, nl and en: budget lines, payers, levels, domains, units, metrics and the words
the charts and tables share (merged into sim.analysis.i18n.STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
    # ---- budget lines (cost__{line}__{payer}) ----
    "line.voorliggend_veld_investment": {
        "nl": "Voorliggend veld: extra investering",
        "en": "Prevention (voorliggend veld): extra investment",
    },
    "line.voorliggend_veld_basis": {
        "nl": "Voorliggend veld: basis",
        "en": "Prevention (voorliggend veld): basic",
    },
    "line.wmo": {"nl": "Wmo (maatschappelijke ondersteuning)", "en": "Wmo (social support)"},
    "line.jeugdwet": {"nl": "Jeugdwet (jeugdhulp)", "en": "Jeugdwet (youth care)"},
    "line.participatiewet": {
        "nl": "Participatiewet (bijstand, beschermingsbewind)",
        "en": "Participatiewet (social assistance, protective administration)",
    },
    "line.reintegratie": {"nl": "Re-integratie (participatiebudget)", "en": "Reintegration support"},
    "line.schuldhulp": {"nl": "Schuldhulpverlening", "en": "Debt counselling"},
    "line.wsnp": {"nl": "Wsnp (wettelijke schuldsanering)", "en": "Wsnp (statutory debt restructuring)"},
    "line.uitvoering": {"nl": "Uitvoering (toegang, sociaal team)", "en": "Implementation (gate, social team)"},
    "line.zvw": {"nl": "Zvw (zorgverzekering)", "en": "Zvw (health insurance)"},
    "line.wlz": {"nl": "Wlz (langdurige zorg)", "en": "Wlz (long-term care)"},
    # ---- payers ----
    "payer.municipality": {"nl": "Gemeente", "en": "Municipality"},
    "payer.central_government": {"nl": "Rijk", "en": "Central government"},
    "payer.health_insurer": {"nl": "Zorgverzekeraar", "en": "Health insurer"},
    "payer.wlz_office": {"nl": "Zorgkantoor (Wlz)", "en": "Long-term care office (Wlz)"},
    "payer.total": {"nl": "Alle betalers samen", "en": "All payers together"},
    # ---- levels and domains ----
    "level.self_reliant": {"nl": "Zelfredzaam", "en": "Self-reliant"},
    "level.emerging": {"nl": "Beginnende problemen", "en": "Emerging problems"},
    "level.light": {"nl": "Lichte ondersteuning", "en": "Light support"},
    "level.maatwerk": {"nl": "Maatwerkvoorziening", "en": "Individual provision (maatwerk)"},
    "level.specialist": {"nl": "Specialistische zorg", "en": "Specialist care"},
    "domain.finance": {"nl": "Financiën", "en": "Finance"},
    "domain.work": {"nl": "Werk en inkomen", "en": "Work and income"},
    "domain.youth": {"nl": "Jeugd", "en": "Youth"},
    "domain.health": {"nl": "Gezondheid", "en": "Health"},
    # ---- general ----
    "baseline": {"nl": "Huidig beleid (basispad)", "en": "Current policy (baseline)"},
    "year": {"nl": "Jaar", "en": "Year"},
    "mean": {"nl": "gemiddelde", "en": "mean"},
    "band_90": {"nl": "90%-interval (5e–95e percentiel)", "en": "90% interval (5th–95th percentile)"},
    "not_within_horizon": {"nl": "Niet binnen horizon", "en": "Not within horizon"},
    "not_applicable": {"nl": "n.v.t.", "en": "n/a"},
    "unit.eur": {"nl": "€", "en": "€"},
    "unit.eur_thousand": {"nl": "€ duizend", "en": "€ thousand"},
    "unit.eur_million": {"nl": "€ miljoen", "en": "€ million"},
    "unit.eur_billion": {"nl": "€ miljard", "en": "€ billion"},
    "unit.mln": {"nl": "mln", "en": "million"},
    "unit.bn": {"nl": "mld", "en": "billion"},
    "to": {"nl": "tot", "en": "to"},
    # ---- metric names ----
    "metric.npv": {"nl": "Netto contante waarde (NCW)", "en": "Net present value (NPV)"},
    "metric.investment_discounted": {"nl": "Investering, verdisconteerd", "en": "Investment, discounted"},
    "metric.savings_discounted": {"nl": "Besparingen, verdisconteerd", "en": "Savings, discounted"},
    "metric.benefit_cost_ratio": {"nl": "Baten-kostenverhouding", "en": "Benefit-cost ratio"},
    "metric.break_even_year": {"nl": "Terugverdienjaar (jaren sinds start)", "en": "Break-even year (years since start)"},
    "metric.break_even_calendar_year": {"nl": "Terugverdienjaar (kalenderjaar)", "en": "Break-even year (calendar)"},
    "metric.p_break_even_horizon": {"nl": "Kans terugverdiend binnen horizon", "en": "Chance of break-even within horizon"},
    "metric.p_break_even_4y": {"nl": "Kans terugverdiend binnen 4 jaar", "en": "Chance of break-even within 4 years"},
    "metric.p_break_even_8y": {"nl": "Kans terugverdiend binnen 8 jaar", "en": "Chance of break-even within 8 years"},
    "metric.p_break_even_12y": {"nl": "Kans terugverdiend binnen 12 jaar", "en": "Chance of break-even within 12 years"},
    "metric.p_break_even_20y": {"nl": "Kans terugverdiend binnen 20 jaar", "en": "Chance of break-even within 20 years"},
    "metric.self_reliance_growth": {
        "nl": "Groei zelfredzaamheid (procentpunt)",
        "en": "Growth in self-reliance (percentage points)",
    },
    "metric.referrals_back": {"nl": "Terugverwijzingen naar 0e lijn", "en": "Referrals back to community support"},
    "metric.flow_heavier_care": {"nl": "Instroom zwaardere zorg", "en": "Flow into heavier care"},
    "metric.gate_share_over_8w": {"nl": "Aandeel langer dan 8 weken gewacht", "en": "Share waiting over 8 weeks"},
    "metric.gate_wait_mean_weeks": {"nl": "Gemiddelde wachttijd toegang (weken)", "en": "Mean waiting time at the gate (weeks)"},
    "metric.transmission_mp": {
        "nl": "Overdracht: multiprobleem na multiprobleemjeugd",
        "en": "Transmission: multi-problem after multi-problem childhood",
    },
    "metric.transmission_not_mp": {
        "nl": "Multiprobleem na jeugd zonder multiprobleem",
        "en": "Multi-problem after childhood without",
    },
    "metric.second_generation_cost": {
        "nl": "Kosten 2e en latere generatie, verdisconteerd",
        "en": "Cost of 2nd and later generations, discounted",
    },
    "metric.net_cost": {"nl": "Netto meerkosten {payer}", "en": "Net extra cost {payer}"},
}
