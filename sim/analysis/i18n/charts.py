"""Texts of the charts, nl and en: titles, axes and legends, and the alt texts and captions the
report gives each chart (merged into sim.analysis.i18n.STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
    # ---- J-curve ----
    "jcurve.title": {"nl": "Eerst de kosten, dan de baten", "en": "Costs come before benefits"},
    "jcurve.subtitle": {
        "nl": "Cumulatieve netto meerkosten t.o.v. het basispad, alle betalers, verdisconteerd. Boven nul kost het geld, onder nul levert het op.",
        "en": "Cumulative net extra cost against the baseline, all payers, discounted. Above zero it costs money, below zero it saves.",
    },
    "jcurve.ylabel": {"nl": "Cumulatief ({unit})", "en": "Cumulative ({unit})"},
    "jcurve.break_even": {"nl": "terugverdiend: {year}", "en": "break-even: {year}"},
    "jcurve.break_even_legend": {
        "nl": "vanaf dit jaar blijft de gemiddelde lijn onder nul",
        "en": "from this year the mean line stays below zero",
    },
    "jcurve.break_even_mean_path": {"nl": "gemiddelde lijn terugverdiend: {year}", "en": "mean line breaks even: {year}"},
    "jcurve.no_break_even": {"nl": "{scenario}: niet terugverdiend binnen horizon", "en": "{scenario}: no break-even within horizon"},
    # ---- cost shifts ----
    "shifts.title": {"nl": "Verschuiving van kosten: {scenario} t.o.v. basispad", "en": "Cost shifts: {scenario} vs baseline"},
    "shifts.by_line": {"nl": "Per budgetlijn", "en": "By budget line"},
    "shifts.by_payer": {"nl": "Per betaler", "en": "By payer"},
    "shifts.ylabel": {"nl": "Meer (+) of minder (−) kosten per jaar ({unit})", "en": "More (+) or less (−) cost per year ({unit})"},
    "shifts.net": {"nl": "Netto", "en": "Net"},
    # ---- households per level ----
    "levels.title": {"nl": "Huishoudens naar zwaarste ondersteuning", "en": "Households by heaviest level of support"},
    "levels.title_sum": {
        "nl": "Huishoudens per niveau, opgeteld over domeinen",
        "en": "Households per level, summed over domains",
    },
    "levels.ylabel": {"nl": "Aantal huishoudens", "en": "Number of households"},
    "levels.ylabel_sum": {"nl": "Huishouden-domeinen", "en": "Household-domains"},
    # ---- break-even distribution ----
    "hist.title": {"nl": "Wanneer is de investering terugverdiend?", "en": "When does the investment pay back?"},
    "hist.xlabel": {"nl": "Terugverdienjaar (jaren sinds start)", "en": "Break-even year (years since start)"},
    "hist.ylabel": {"nl": "Aandeel van de simulaties", "en": "Share of simulation runs"},
    "hist.council_term_1": {"nl": "1 raadsperiode", "en": "1 council term"},
    "hist.council_terms": {"nl": "{n} raadsperiodes", "en": "{n} council terms"},
    # ---- intergenerational ----
    "gen.title": {"nl": "Overdracht van problemen tussen generaties", "en": "Problems passed from parent to child"},
    "gen.transmission": {
        "nl": "Aandeel nu zelf multiprobleem",
        "en": "Share now multi-problem themselves",
    },
    "gen.childhood_mp": {"nl": "Opgegroeid in multiprobleemgezin", "en": "Grew up in multi-problem household"},
    "gen.childhood_not_mp": {"nl": "Niet opgegroeid in multiprobleemgezin", "en": "Did not grow up in one"},
    "gen.second_cost": {"nl": "Kosten volgende generaties", "en": "Cost of later generations"},
    "gen.second_cost_unit": {"nl": "{unit}, verdisconteerd", "en": "{unit}, discounted"},
    # ---- dose-response ----
    "dose.title": {"nl": "Meer investeren, meer rendement?", "en": "Does spending more pay more?"},
    "dose.xlabel": {"nl": "Investering per huishouden per jaar (€)", "en": "Investment per household per year (€)"},
    "dose.npv": {"nl": "Netto contante waarde ({unit})", "en": "Net present value ({unit})"},
    "dose.break_even": {"nl": "Terugverdienjaar (jaren sinds start)", "en": "Break-even year (years since start)"},
    "dose.p_label": {"nl": "kans {p}", "en": "chance {p}"},
    # ---- alt texts and captions of charts in the report ----
    "alt.jcurve": {
        "nl": "Lijngrafiek van de cumulatieve netto meerkosten per scenario per jaar, met 90%-interval en het terugverdienjaar. {detail}",
        "en": "Line chart of cumulative net extra cost per scenario per year, with 90% interval and the break-even year. {detail}",
    },
    "alt.shifts": {
        "nl": "Staafgrafiek van meer- en minderkosten per jaar voor {scenario}, per budgetlijn en per betaler.",
        "en": "Bar chart of extra and saved cost per year for {scenario}, by budget line and by payer.",
    },
    "alt.levels": {
        "nl": "Vlakgrafiek van het aantal huishoudens per ondersteuningsniveau over de jaren, per scenario.",
        "en": "Area chart of the number of households per level of support over the years, per scenario.",
    },
    "alt.hist": {
        "nl": "Staafgrafiek van het aandeel simulaties per terugverdienjaar, met een staaf voor niet terugverdiend.",
        "en": "Bar chart of the share of runs per break-even year, with a bar for no break-even.",
    },
    "alt.gen": {
        "nl": "Staafgrafiek van de overdracht van multiproblematiek en de kosten van volgende generaties per scenario.",
        "en": "Bar chart of the transmission of multiple problems and the cost of later generations per scenario.",
    },
    "alt.dose": {
        "nl": "Grafiek van netto contante waarde en terugverdienjaar tegen de investering per huishouden.",
        "en": "Chart of net present value and break-even year against investment per household.",
    },
    "caption.jcurve": {
        "nl": (
            "Cumulatieve netto meerkosten ten opzichte van het basispad. Boven nul kost het beleid geld, onder nul "
            "levert het op. De stippellijn markeert het jaar waarin de gemiddelde lijn onder nul blijft; dat kan "
            "afwijken van het gemiddelde terugverdienjaar in de tabel, dat alleen over de simulaties gaat die "
            "terugverdienen."
        ),
        "en": (
            "Cumulative net extra cost against the baseline. Above zero the policy costs money; below zero it saves. "
            "The dashed line marks the year from which the mean line stays below zero; it can differ from the mean "
            "break-even year in the table, which covers only the runs that pay back."
        ),
    },
    "caption.shifts": {
        "nl": "Waar gaan de kosten omhoog en waar omlaag? Per jaar, niet verdisconteerd.",
        "en": "Where do costs go up and where down? Per year, not discounted.",
    },
    "caption.levels": {
        "nl": "Aantal huishoudens per ondersteuningsniveau (gemiddelde over de simulaties).",
        "en": "Number of households per level of support (mean over runs).",
    },
    "caption.hist": {
        "nl": "Verdeling van het terugverdienjaar over de simulaties.",
        "en": "Distribution of the break-even year over the runs.",
    },
    "caption.gen": {
        "nl": "Overdracht tussen generaties en kosten van volgende generaties.",
        "en": "Transmission between generations and cost of later generations.",
    },
    "caption.dose": {
        "nl": "Rendement en terugverdientijd bij oplopende investering.",
        "en": "Return and payback time for increasing investment.",
    },
}
