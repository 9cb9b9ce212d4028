"""Every piece of text the charts and the report show, in Dutch (``nl``) and English (``en``).

One table, :data:`STRINGS`, maps a key to ``{"nl": ..., "en": ...}``. Strings may hold
``str.format`` fields (``{year}``). Labels for budget lines, payers, levels and domains live
under ``line.*``, ``payer.*``, ``level.*`` and ``domain.*``; a key the table does not know (a new
budget line the model added) falls back to a readable version of the key itself, so the analysis
never fails on a new column — but add it here so it gets a proper translation.

Number formatting follows the language: Dutch ``€ 1.234.567`` and ``0,5``; English ``€1,234,567``
and ``0.5``. Negative numbers use the typographic minus sign (U+2212).
"""

from __future__ import annotations

import math

LANGUAGES = ("nl", "en")
MINUS = "\u2212"

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
    # ---- report ----
    "report.title": {
        "nl": "Loont investeren in het voorliggend veld?",
        "en": "Does investing in prevention (the voorliggend veld) pay back?",
    },
    "report.subtitle": {
        "nl": "Resultaten van een simulatiemodel van huishoudens, zorg en kosten in het sociaal domein",
        "en": "Results of a simulation model of households, care and costs in the Dutch social domain",
    },
    "report.meta": {
        "nl": "Horizon {first}–{last} ({years} jaar) · {reps} simulaties per scenario · discontovoet {rate} per jaar · gemaakt op {date}",
        "en": "Horizon {first}–{last} ({years} years) · {reps} simulation runs per scenario · discount rate {rate} a year · made on {date}",
    },
    "report.question_h": {"nl": "De vraag", "en": "The question"},
    "report.question": {
        "nl": (
            "Gemeenten geven het meeste geld uit aan de achterkant: zware, individueel toegekende zorg voor "
            "huishoudens bij wie de problemen al zijn opgelopen. Het voorstel is om meer te investeren aan de "
            "voorkant, in het voorliggend veld: vrij toegankelijke, vroege hulp via welzijnswerk, scholen, huisarts "
            "en woningcorporatie. Die investering kost nu geld; de besparingen komen later, en misschien bij een "
            "andere betaler. Dit rapport beantwoordt drie vragen: verdient de investering zich terug, wanneer, "
            "en wie betaalt en wie profiteert?"
        ),
        "en": (
            "Dutch municipalities spend most of their social-domain money at the back of the chain: heavy, "
            "individually assessed care for households whose problems have already escalated. The proposal is to "
            "invest more at the front, in the voorliggend veld: freely accessible early help through welfare work, "
            "schools, GPs and housing corporations. That investment costs money now; the savings come later, and "
            "perhaps to another payer. This report answers three questions: does the investment pay back, when, "
            "and who pays and who gains?"
        ),
    },
    "report.key_h": {"nl": "Kerncijfers", "en": "Key figures"},
    "report.key_intro": {
        "nl": (
            "Alle bedragen zijn verschillen met het basispad (huidig beleid), in constante prijzen, verdisconteerd "
            "tegen {rate} per jaar naar {first}. Tussen haakjes staat het 90%-interval: in 90% van de simulaties "
            "lag de uitkomst daartussen."
        ),
        "en": (
            "All amounts are differences from the baseline (current policy), in constant prices, discounted at "
            "{rate} a year to {first}. In brackets is the 90% interval: 90% of the simulation runs fell within it."
        ),
    },
    "report.headline_invest": {
        "nl": "In scenario <strong>{scenario}</strong> wordt over {years} jaar {investment} extra geïnvesteerd (verdisconteerd); de besparingen elders zijn {savings}.",
        "en": "In scenario <strong>{scenario}</strong>, {investment} extra is invested over {years} years (discounted); the savings elsewhere are {savings}.",
    },
    "report.headline_invest_neg": {
        "nl": "In scenario <strong>{scenario}</strong> wordt over {years} jaar {investment} extra geïnvesteerd (verdisconteerd); in plaats van besparingen stijgen de kosten elders met {extra}.",
        "en": "In scenario <strong>{scenario}</strong>, {investment} extra is invested over {years} years (discounted); instead of savings, costs elsewhere rise by {extra}.",
    },
    "report.headline_npv_pos": {
        "nl": "Per saldo levert het {npv} op (netto contante waarde; 90%-interval {lo} tot {hi}).",
        "en": "On balance it gains {npv} (net present value; 90% interval {lo} to {hi}).",
    },
    "report.headline_npv_neg": {
        "nl": "Per saldo kost het {npv_abs} (netto contante waarde {npv}; 90%-interval {lo} tot {hi}).",
        "en": "On balance it costs {npv_abs} (net present value {npv}; 90% interval {lo} to {hi}).",
    },
    "report.headline_be": {
        "nl": "In {p} van de simulaties is de investering binnen de horizon terugverdiend, gemiddeld in jaar {be} ({cal}; 90%-interval jaar {lo} tot {hi}).",
        "en": "In {p} of the runs the investment pays back within the horizon, on average in year {be} ({cal}; 90% interval year {lo} to {hi}).",
    },
    "report.headline_no_be": {
        "nl": "In geen van de simulaties is de investering binnen de horizon van {years} jaar terugverdiend.",
        "en": "In none of the runs does the investment pay back within the {years}-year horizon.",
    },
    "report.headline_terms": {
        "nl": "Kans op terugverdienen binnen één raadsperiode (4 jaar): {p4}; binnen twee: {p8}; drie: {p12}; vijf: {p20}.",
        "en": "Chance of paying back within one council term (4 years): {p4}; within two: {p8}; three: {p12}; five: {p20}.",
    },
    "report.headline_pays": {"nl": "{payer} betaalt per saldo {amount} meer.", "en": "{payer} pays {amount} more on balance."},
    "report.headline_gains": {"nl": "{payer} bespaart per saldo {amount}.", "en": "{payer} saves {amount} on balance."},
    "report.key_table_caption": {"nl": "Kerncijfers per scenario", "en": "Key figures per scenario"},
    "report.scenario": {"nl": "Scenario", "en": "Scenario"},
    "report.col_npv": {"nl": "Netto contante waarde", "en": "Net present value"},
    "report.col_bcr": {"nl": "Baten per geïnvesteerde euro", "en": "Benefit per euro invested"},
    "report.col_be": {"nl": "Terugverdienjaar", "en": "Break-even year"},
    "report.col_p_horizon": {"nl": "Kans terugverdiend binnen horizon", "en": "Chance of break-even within horizon"},
    "report.terms_caption": {
        "nl": "Kans dat de investering is terugverdiend binnen 1, 2, 3 of 5 raadsperiodes",
        "en": "Chance that the investment has paid back within 1, 2, 3 or 5 council terms",
    },
    "report.years_paren": {"nl": "({years} jaar)", "en": "({years} years)"},
    "report.beyond_horizon": {"nl": "voorbij horizon", "en": "beyond horizon"},
    "report.be_cell": {"nl": "jaar {be} ({cal})", "en": "year {be} ({cal})"},
    "report.wrong_pocket_h": {"nl": "Wie betaalt, wie profiteert?", "en": "Who pays, who gains?"},
    "report.wrong_pocket_intro": {
        "nl": (
            "Positief betekent: deze betaler is per saldo meer kwijt dan in het basispad; negatief betekent: hij "
            "bespaart. Betaalt de gemeente en bespaart een ander (bijvoorbeeld de zorgverzekeraar), dan is er een "
            "'wrong pocket'-probleem: wie investeert, ziet de baten niet terug in de eigen begroting."
        ),
        "en": (
            "Positive means this payer spends more on balance than in the baseline; negative means it saves. If the "
            "municipality pays and someone else saves (for example the health insurer), there is a wrong-pocket "
            "problem: whoever invests does not see the benefits in their own budget."
        ),
    },
    "report.wrong_pocket_caption": {
        "nl": "Netto meerkosten per betaler over de hele horizon, verdisconteerd (gemiddelde en 90%-interval)",
        "en": "Net extra cost per payer over the whole horizon, discounted (mean and 90% interval)",
    },
    "report.charts_h": {"nl": "Grafieken", "en": "Charts"},
    "report.quality_h": {"nl": "Kwaliteit en doorstroming", "en": "Quality and flow"},
    "report.quality_intro": {
        "nl": (
            "Indicatoren uit de sociale agenda van Vijfheerenlanden: groei van zelfredzaamheid, terugverwijzingen "
            "naar de 0e lijn, instroom in zwaardere zorg en wachttijden bij de toegang (wettelijke termijn: 8 weken). "
            "Waarden over de hele horizon, per scenario (niet als verschil)."
        ),
        "en": (
            "Indicators from the Vijfheerenlanden social agenda: growth in self-reliance, referrals back to "
            "community support, flow into heavier care and waiting times at the gate (legal limit: 8 weeks). "
            "Values over the whole horizon, per scenario (not as differences)."
        ),
    },
    "report.quality_caption": {"nl": "Kwaliteitsindicatoren per scenario", "en": "Quality indicators per scenario"},
    "report.gen_h": {"nl": "Generaties", "en": "Generations"},
    "report.gen_intro": {
        "nl": (
            "Problemen gaan vaak over van ouder op kind. Het model volgt kinderen die tijdens de simulatie een eigen "
            "huishouden beginnen, en kijkt of zij zelf multiprobleem zijn, naar of zij opgroeiden in een "
            "multiprobleemgezin."
        ),
        "en": (
            "Problems are often passed from parent to child. The model follows children who start their own household "
            "during the run and checks whether they are multi-problem themselves, by whether they grew up in a "
            "multi-problem household."
        ),
    },
    "report.gen_caption": {"nl": "Overdracht tussen generaties per scenario", "en": "Intergenerational transmission per scenario"},
    "report.assumptions_h": {"nl": "Aannames", "en": "Assumptions"},
    "report.assumptions_caption": {
        "nl": "Belangrijkste parameters, met eenheid en bron",
        "en": "Main parameters, with unit and source",
    },
    "report.assumptions_none": {
        "nl": "Er is geen parametertabel meegegeven bij dit rapport.",
        "en": "No parameter table was supplied with this report.",
    },
    "report.col_name": {"nl": "Parameter", "en": "Parameter"},
    "report.col_value": {"nl": "Waarde", "en": "Value"},
    "report.col_unit": {"nl": "Eenheid", "en": "Unit"},
    "report.col_source": {"nl": "Bron", "en": "Source"},
    "report.caveats_h": {"nl": "Kanttekeningen", "en": "Caveats"},
    "report.caveat_forecast": {
        "nl": (
            "Dit is een model, geen voorspelling. Het laat zien wat er volgt uit de aannames in dit rapport; verander de "
            "aannames en de uitkomst verandert mee."
        ),
        "en": (
            "This is a model, not a forecast. It shows what follows from the assumptions in this report; change the "
            "assumptions and the results change with them."
        ),
    },
    "report.caveat_evidence": {
        "nl": (
            "Het bewijs dat preventie zich terugverdient is gemengd. Onderzoek naar de jeugdzorg (AEF, 'Stelsel in "
            "groei', 2020) vond dat gerichte preventie de uitgaven aan jeugdhulp juist kan verhogen: er worden meer "
            "huishoudens geholpen (ruwweg acht voor elk huishouden dat anders zou zijn vastgelopen), en een lagere "
            "drempel brengt verborgen vraag aan het licht."
        ),
        "en": (
            "The evidence that prevention pays back is mixed. A study of Dutch youth-care spending (AEF, 'Stelsel in "
            "groei', 2020) found that targeted prevention can raise youth-care spending: more households are helped "
            "(roughly eight for each one that would otherwise have escalated), and a lower threshold reveals hidden demand."
        ),
    },
    "report.caveat_wrong_pocket": {
        "nl": (
            "Wrong pocket: ook als de maatschappij als geheel wint, kan de gemeente per saldo verliezen, omdat een "
            "deel van de besparing bij de zorgverzekeraar, het zorgkantoor of het Rijk terechtkomt. Kijk daarom naar "
            "de tabel per betaler, niet alleen naar het totaal."
        ),
        "en": (
            "Wrong pocket: even when society as a whole gains, the municipality can lose on balance, because part of "
            "the savings lands with the health insurer, the long-term-care office or central government. Look at the "
            "table per payer, not only at the total."
        ),
    },
    "report.caveat_public_budgets": {
        "nl": (
            "Het model telt alleen publieke budgetten: gemeente, Rijk, zorgverzekeraar en zorgkantoor. Wat "
            "huishoudens zelf betalen of winnen (inkomen, eigen bijdragen, schulden), wat werkgevers, "
            "woningcorporaties, schuldeisers en vrijwilligers merken, en gezondheid of welzijn als zodanig staan er "
            "niet in."
        ),
        "en": (
            "The model counts public budgets only: municipality, central government, health insurer and long-term-care "
            "office. What households pay or gain themselves (income, own contributions, debts), what employers, housing "
            "corporations, creditors and volunteers notice, and health or well-being as such are not included."
        ),
    },
    "report.caveat_generic_lever": {
        "nl": (
            "Waar een scenario de generieke hefboom gebruikt, volgt wat de investering doet uit algemene aannames over "
            "'contact' met het voorliggend veld (sneller signaleren, minder escalatie, sneller herstel), niet uit het "
            "bewijs voor een bepaald programma. Lees die terugverdientijd als wat deze aannames opleveren, niet als een "
            "bewezen effect; de interventies uit de catalogus hebben elk hun eigen bewijs."
        ),
        "en": (
            "Where a scenario uses the generic lever, what its investment does follows from generic assumptions about "
            "'contact' with the voorliggend veld (earlier detection, less escalation, faster recovery), not from the "
            "evidence for a particular programme. Read that payback time as what these assumptions produce, not as a "
            "proven effect; the catalogue's interventions each carry their own evidence."
        ),
    },
    "report.caveat_bands_chance": {
        "nl": (
            "De intervallen tonen alleen de rol van toeval binnen het model (welke huishoudens toevallig in de "
            "problemen komen). Ze tonen niet de onzekerheid in de aannames zelf. De echte onzekerheid is dus groter."
        ),
        "en": (
            "The intervals only show the role of chance within the model (which households happen to run into "
            "problems). They do not show the uncertainty in the assumptions themselves, so the real uncertainty is larger."
        ),
    },
    "report.caveat_bands_params": {
        "nl": (
            "De intervallen tonen de rol van toeval in het model én van onzekerheid in de aannames, voor zover die "
            "aannames zijn gevarieerd. Onzekerheid die niet in het model zit (andere mechanismen, beleidswijzigingen) "
            "staat er niet in."
        ),
        "en": (
            "The intervals show the role of chance within the model and of uncertainty in the assumptions, as far as "
            "those were varied. Uncertainty the model does not contain (other mechanisms, policy changes) is not included."
        ),
    },
    "report.caveat_self_reliance": {
        "nl": (
            "Zelfredzaamheid is hier benaderd als het gemiddelde aandeel zelfredzaam over de domeinen, omdat de "
            "uitvoer geen aantal huishoudens bevat dat in alle domeinen zelfredzaam is."
        ),
        "en": (
            "Self-reliance is approximated here as the mean share self-reliant across domains, because the output "
            "has no count of households self-reliant in every domain."
        ),
    },
    "report.method_h": {"nl": "Werkwijze", "en": "Method"},
    "report.method": {
        "nl": (
            "Elk scenario is {reps} keer gesimuleerd, met dezelfde toevalsgetallen als het basispad (simulatie 1 van "
            "een scenario wordt vergeleken met simulatie 1 van het basispad). Maanden zijn opgeteld tot "
            "kalenderjaren; het eerste jaar ({first}) wordt niet verdisconteerd, jaar t daarna met factor "
            "1/(1+{rate})^t. Netto contante waarde = verdisconteerde besparingen min verdisconteerde investering. "
            "Het terugverdienjaar is het eerste jaar vanaf wanneer de opgetelde besparingen tot het einde van de "
            "horizon minstens gelijk blijven aan de opgetelde investering (jaar 1 = {first}). Kansen hebben een "
            "90%-Wilsoninterval."
        ),
        "en": (
            "Each scenario was simulated {reps} times, with the same random numbers as the baseline (run 1 of a "
            "scenario is compared with run 1 of the baseline). Months are added up to calendar years; the first "
            "year ({first}) is not discounted, year t after it by a factor 1/(1+{rate})^t. Net present value = "
            "discounted savings minus discounted investment. The break-even year is the first year from which the "
            "cumulative savings stay at or above the cumulative investment until the end of the horizon "
            "(year 1 = {first}). Probabilities carry a 90% Wilson interval."
        ),
    },
    "report.figure": {"nl": "Figuur {n}", "en": "Figure {n}"},
    "report.footer": {
        "nl": "Gemaakt met het simulatiemodel voor het voorliggend veld. Dit bestand is op zichzelf staand en kan worden gemaild.",
        "en": "Made with the prevention simulation model. This file is self-contained and can be mailed.",
    },
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


from .i18n_catalogue import STRINGS as _CATALOGUE_STRINGS  # noqa: E402  (after the table it extends)

STRINGS.update(_CATALOGUE_STRINGS)


def t(key: str, language: str, **fields) -> str:
    """The text for ``key`` in ``language``, with ``fields`` filled in."""
    _check_language(language)
    try:
        text = STRINGS[key][language]
    except KeyError:
        raise KeyError(f"no translation for {key!r} in {language!r}; add it to sim/analysis/i18n.py") from None
    return text.format(**fields) if fields else text


def label(kind: str, key: str, language: str) -> str:
    """Label of a budget line, payer, level or domain (``kind`` = line/payer/level/domain).

    Unknown keys fall back to the key with underscores as spaces, capitalised.
    """
    _check_language(language)
    entry = STRINGS.get(f"{kind}.{key}")
    if entry is None:
        return key.replace("_", " ").capitalize()
    return entry[language]


def scenario_label(name: str, language: str, *, baseline: str = "baseline", labels: dict | None = None) -> str:
    """Display name of a scenario: the caller's label, the translated baseline, or the name itself."""
    if labels and name in labels:
        return str(labels[name])
    if name == baseline:
        return t("baseline", language)
    return str(name)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")


# ---------------------------------------------------------------- numbers


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x, language: str, decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (nl) or ``1,234.5`` (en); NaN → n/a."""
    _check_language(language)
    if not _finite(x):
        return t("not_applicable", language)
    x = float(x)
    s = f"{abs(x):,.{decimals}f}"
    if language == "nl":
        s = s.translate(str.maketrans({",": ".", ".": ","}))
    negative = x < 0 and round(abs(x), decimals) != 0
    return (MINUS if negative else "") + s


def euro_scale(values, language: str) -> tuple[float, str]:
    """A divisor and unit label for a set of euro amounts (for chart axes)."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    top = float(np.max(np.abs(arr))) if arr.size else 0.0
    if top >= 1e9:
        return 1e9, t("unit.eur_billion", language)
    if top >= 1e6:
        return 1e6, t("unit.eur_million", language)
    if top >= 1e4:
        return 1e3, t("unit.eur_thousand", language)
    return 1.0, t("unit.eur", language)


def fmt_eur(x, language: str, *, compact: bool = True) -> str:
    """Euro amount: ``€ 1.234`` / ``€1,234``.

    With ``compact`` (default): ≥ 1 million as ``€ 1,23 mln`` / ``€1.23 million`` (one decimal from
    10 million), ≥ 10 thousand rounded to three significant digits (``€ 939.000``).
    """
    if not _finite(x):
        return t("not_applicable", language)
    x = float(x)
    sign = MINUS if x < 0 else ""
    a = abs(x)
    if compact and a >= 1e9:
        body = f"{fmt_number(a / 1e9, language, 2)} {t('unit.bn', language)}"
    elif compact and a >= 1e6:
        body = f"{fmt_number(a / 1e6, language, 1 if a >= 1e7 else 2)} {t('unit.mln', language)}"
    else:
        if compact and a >= 1e4:
            a = float(f"{a:.3g}")  # three significant digits: € 939.000 rather than € 939.343
        body = fmt_number(a, language, 0)
        if body == "0":
            sign = ""
    sep = " " if language == "nl" else ""  # nl: "€ 100", en: "€100"
    return f"{sign}€{sep}{body}"


def fmt_pct(p, language: str, decimals: int = 0) -> str:
    """Share 0..1 as a percentage: ``0.45`` → ``45%``."""
    if not _finite(p):
        return t("not_applicable", language)
    return f"{fmt_number(100 * float(p), language, decimals)}%"


def fmt_ratio(x, language: str, decimals: int = 2) -> str:
    return fmt_number(x, language, decimals)
