"""Texts of the what-if screen (`sim app`), nl and en (merged into sim.analysis.i18n.STRINGS, so
`t()` finds them like every other text). The results on that screen use the report's own texts
(report.*, caption.*, payer.*, line.*); only the form, the status and the buttons are here."""

STRINGS = {
    "app.title": {"nl": "Wat als? Preventie in het sociaal domein", "en": "What if? Prevention in the social domain"},
    "app.tab_whatif": {"nl": "Wat als?", "en": "What if?"},
    "app.tab_live": {"nl": "Kijk erin", "en": "Look inside"},
    "app.nav_whatif": {"nl": "Wat als", "en": "What if"},
    "app.nav_live": {"nl": "Kijk erin", "en": "Look inside"},
    "app.municipality": {"nl": "Gemeente", "en": "Municipality"},
    "app.households": {"nl": "Aantal huishoudens", "en": "Number of households"},
    "app.buy_h": {"nl": "Wat koopt de gemeente?", "en": "What does the council buy?"},
    "app.buy_help": {
        "nl": "Per interventie uit de catalogus een budget per jaar (euro) of een aantal deelnemers per jaar; "
              "leeg of 0 = niet kopen.",
        "en": "Per catalogue intervention a yearly budget (euros) or a number of participants a year; "
              "empty or 0 = not bought.",
    },
    "app.mode_budget": {"nl": "budget €/jaar", "en": "budget €/year"},
    "app.mode_participants": {"nl": "deelnemers/jaar", "en": "participants/year"},
    "app.generic": {"nl": "Generieke hefboom (€ per huishouden per jaar)",
                    "en": "Generic lever (€ per household per year)"},
    "app.time_h": {"nl": "Wanneer", "en": "When"},
    "app.from_year": {"nl": "Vanaf jaar", "en": "From year"},
    "app.until_year": {"nl": "Tot en met jaar (leeg = tot het eind)", "en": "Until year (empty = to the end)"},
    "app.horizon_start": {"nl": "Eerste jaar van de berekening", "en": "First year of the run"},
    "app.horizon_years": {"nl": "Horizon (jaren)", "en": "Horizon (years)"},
    "app.perspective": {"nl": "Perspectief", "en": "Perspective"},
    "app.perspective_all": {"nl": "Alle publieke betalers", "en": "All public payers"},
    "app.perspective_municipality": {"nl": "Begroting van de gemeente", "en": "The municipality's budget"},
    "app.perspective_note": {
        "nl": "Kerncijfers, terugverdienjaar en J-curve hieronder alleen voor de gemeente. Het rapport (en `sim run`) "
              "rekent voor alle publieke betalers; de gemeente staat daar in de tabel per betaler.",
        "en": "Key figures, break-even and J-curve below for the municipality alone. The report (and `sim run`) "
              "counts all public payers; the municipality is its row in the table per payer.",
    },
    "app.language": {"nl": "Taal", "en": "Language"},
    "app.compute": {"nl": "Bereken", "en": "Calculate"},
    "app.preliminary": {
        "nl": "Voorlopig: {replications} simulaties met {households} huishoudens. Het precieze antwoord wordt "
              "berekend …",
        "en": "Preliminary: {replications} runs with {households} households. The full answer is being computed …",
    },
    "app.preliminary_short": {"nl": "voorlopig", "en": "preliminary"},
    "app.final": {"nl": "Antwoord: {replications} simulaties met {households} huishoudens ({seconds} s).",
                  "en": "Answer: {replications} runs with {households} households ({seconds} s)."},
    "app.progress": {"nl": "{done} van {total} simulaties klaar", "en": "{done} of {total} runs done"},
    "app.waiting": {"nl": "Eerste antwoord wordt berekend …", "en": "Computing a first answer …"},
    "app.failed": {"nl": "De berekening is mislukt: {error}", "en": "The calculation failed: {error}"},
    "app.download_toml": {"nl": "Experiment (TOML)", "en": "Experiment (TOML)"},
    "app.download_report": {"nl": "Raadsrapport (HTML)", "en": "Council report (HTML)"},
    "app.download_note": {
        "nl": "`sim run` van dit bestand geeft precies de getallen op dit scherm.",
        "en": "`sim run` of this file gives exactly the figures on this screen.",
    },
    "app.lines_caption": {
        "nl": "Netto meerkosten per budgetlijn over de hele horizon, verdisconteerd (gemiddelde en 90%-interval)",
        "en": "Net extra cost per budget line over the whole horizon, discounted (mean and 90% interval)",
    },
    "app.line": {"nl": "Budgetlijn", "en": "Budget line"},
    "app.amount": {"nl": "Bedrag", "en": "Amount"},
    "app.scenario_label": {"nl": "Uw keuze", "en": "Your choice"},
    "app.fix_form": {"nl": "Verbeter eerst de invoer hierboven.", "en": "Correct the input above first."},
    # messages next to a field; the config check (sim.config) decides, these words say it
    "app.err.negative": {"nl": "Moet 0 of meer zijn (gevonden: {found}).", "en": "Must be 0 or more (found: {found})."},
    "app.err.year": {"nl": "Valt buiten de horizon: kies een jaar van {first} tot en met {last}.",
                     "en": "Outside the horizon: choose a year from {first} to {last}."},
    "app.err.empty": {"nl": "Kies minstens één interventie of de generieke hefboom.",
                      "en": "Choose at least one intervention or the generic lever."},
    "app.err.order": {"nl": "Het eindjaar ligt vóór het beginjaar.", "en": "The last year is before the first year."},
    "app.err.number": {"nl": "Geen getal: {found}.", "en": "Not a number: {found}."},
    "app.err.households": {"nl": "Kies 100 tot {most} huishoudens (de app is voor één gemeente).",
                           "en": "Choose 100 to {most} households (the app is for one municipality)."},
    "app.err.other": {"nl": "Ongeldig: {message}", "en": "Not valid: {message}"},
    # the live page
    "app.live_h": {"nl": "Huishoudens maand voor maand", "en": "Households month by month"},
    "app.live_intro": {
        "nl": "Elke stip is een huishouden. Per leefgebied staat het in de kolom van zijn niveau; bij elke stap "
              "(een maand) kunnen huishoudens een niveau op of neer gaan of herstellen.",
        "en": "Each dot is a household. In each domain it sits in the column of its level; with every step "
              "(a month) households can move a level up or down, or recover.",
    },
    "app.live_step": {"nl": "Stap (1 maand)", "en": "Step (1 month)"},
    "app.live_year": {"nl": "12 stappen (1 jaar)", "en": "12 steps (1 year)"},
    "app.live_play": {"nl": "Afspelen", "en": "Play"},
    "app.live_pause": {"nl": "Pauze", "en": "Pause"},
    "app.live_reset": {"nl": "Opnieuw", "en": "Reset"},
    "app.live_month": {"nl": "Maand {month} ({year}); {moved} huishoudens van niveau veranderd",
                       "en": "Month {month} ({year}); {moved} households changed level"},
    "app.live_with": {"nl": "Met de generieke hefboom (€ per huishouden per jaar)",
                      "en": "With the generic lever (€ per household per year)"},
    "app.live_levels": {"nl": "Huishoudens per hoogste niveau", "en": "Households by highest level"},
}
