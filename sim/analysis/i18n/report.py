"""Texts of report.html, nl and en, in the order of its sections: question, key figures, who pays,
quality, generations, assumptions, caveats, method (merged into sim.analysis.i18n.STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
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
}
