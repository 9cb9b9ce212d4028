"""Texts of scenario discovery (`sim discover`), nl and en: the sentence per box, its outcome
clauses and conditions, and the names of parameters as they read inside a sentence (merged into
sim.analysis.i18n.STRINGS).

Parameter names (``param.<key>``) are lower-case noun phrases, because they stand in the middle
of a sentence ("... in 85% of runs where non-take-up is below 0.2"). A parameter without an
entry reads as its key (``'hazards.work.onset'``): add it here when a sweep varies it.
Dutch conditions are subordinate clauses (``waarin X lager is dan 0,2``): verb last.
"""

STRINGS: dict[str, dict[str, str]] = {
    # ---- one sentence per box ----
    "discover.sentence": {
        "nl": "{outcome} in {density} van de {runs} waarin {conditions}. Deze runs zijn {coverage} van alle runs "
              "waarin dat gebeurt, en {mass} van alle runs.",
        "en": "{outcome} in {density} of {runs} where {conditions}. These runs are {coverage} of all runs where "
              "that happens, and {mass} of all runs.",
    },
    # A second box is found among the runs outside the first: its density is over those runs.
    "discover.runs": {"nl": "runs", "en": "runs"},
    "discover.runs_outside": {"nl": "runs buiten {boxes}", "en": "runs outside {boxes}"},
    "discover.box": {"nl": "box {numbers}", "en": "box {numbers}"},
    "discover.boxes": {"nl": "boxen {numbers}", "en": "boxes {numbers}"},
    "discover.and": {"nl": "en", "en": "and"},
    # ---- the outcome rule as a main clause ----
    "discover.within": {"nl": "de investering verdient zich binnen {years} {year_word} terug",
                        "en": "the investment pays back within {years} {year_word}"},
    "discover.beyond": {"nl": "de investering verdient zich niet binnen {years} {year_word} terug",
                        "en": "the investment does not pay back within {years} {year_word}"},
    "discover.above": {"nl": "{outcome} is hoger dan {threshold}", "en": "{outcome} is above {threshold}"},
    "discover.below": {"nl": "{outcome} is lager dan {threshold}", "en": "{outcome} is below {threshold}"},
    "discover.above_plural": {"nl": "{outcome} zijn hoger dan {threshold}", "en": "{outcome} are above {threshold}"},
    "discover.below_plural": {"nl": "{outcome} zijn lager dan {threshold}", "en": "{outcome} are below {threshold}"},
    "discover.year": {"nl": "jaar", "en": "year"},
    "discover.years": {"nl": "jaar", "en": "years"},
    # ---- one restricted parameter, as a condition ----
    "discover.cond_above": {"nl": "{parameter} hoger is dan {low}", "en": "{parameter} is above {low}"},
    "discover.cond_below": {"nl": "{parameter} lager is dan {high}", "en": "{parameter} is below {high}"},
    "discover.cond_between": {"nl": "{parameter} tussen {low} en {high} ligt",
                              "en": "{parameter} is between {low} and {high}"},
    # ... and for a name in the plural (PLURAL below): the verb agrees
    "discover.cond_above_plural": {"nl": "{parameter} hoger zijn dan {low}", "en": "{parameter} are above {low}"},
    "discover.cond_below_plural": {"nl": "{parameter} lager zijn dan {high}", "en": "{parameter} are below {high}"},
    "discover.cond_between_plural": {"nl": "{parameter} tussen {low} en {high} liggen",
                                     "en": "{parameter} are between {low} and {high}"},
    "discover.factor": {"nl": "{value}× de standaardwaarde", "en": "{value}× its default"},
    # ---- outcomes, as the subject of a sentence (the verb is "is", or "are" for those in PLURAL) ----
    "discover.outcome.break_even_year": {"nl": "het terugverdienjaar", "en": "the break-even year"},
    "discover.outcome.npv": {"nl": "de netto contante waarde", "en": "the net present value"},
    "discover.outcome.benefit_cost_ratio": {"nl": "de baten-kostenverhouding", "en": "the benefit-cost ratio"},
    "discover.outcome.investment_discounted": {"nl": "de verdisconteerde investering",
                                               "en": "the discounted investment"},
    "discover.outcome.savings_discounted": {"nl": "de verdisconteerde besparing", "en": "the discounted savings"},
    "discover.outcome.net_cost_total": {"nl": "het netto kostenverschil voor alle betalers samen",
                                        "en": "the net extra cost to all payers together"},
    "discover.outcome.net_cost": {"nl": "het netto kostenverschil voor {payer}", "en": "the net extra cost to {payer}"},
    "discover.outcome.multiproblem_end": {"nl": "het aantal multiprobleemhuishoudens aan het eind",
                                          "en": "the number of multi-problem households at the end"},
    "discover.outcome.delta_multiproblem_end": {
        "nl": "de verandering in het aantal multiprobleemhuishoudens aan het eind",
        "en": "the change in the number of multi-problem households at the end",
    },
    # Payers inside a sentence: Dutch needs the article (de gemeente, het Rijk).
    "discover.payer.municipality": {"nl": "de gemeente", "en": "the municipality"},
    "discover.payer.central_government": {"nl": "het Rijk", "en": "central government"},
    "discover.payer.health_insurer": {"nl": "de zorgverzekeraar", "en": "the health insurer"},
    "discover.payer.wlz_office": {"nl": "het zorgkantoor (Wlz)", "en": "the long-term care office (Wlz)"},
    # ---- parameters the sweep configs vary (experiments/sweep-*.toml) ----
    "param.prevention.escalation_reduction": {"nl": "de vermindering van escalatie door preventie",
                                              "en": "the escalation reduction by prevention"},
    "param.prevention.recovery_boost": {"nl": "de versnelling van herstel door preventie",
                                        "en": "the recovery boost by prevention"},
    "param.prevention.detection_boost": {"nl": "de versnelling van vroegsignalering door preventie",
                                         "en": "the early-detection boost by prevention"},
    "param.prevention.cost_per_household_reached": {"nl": "de jaarlijkse kosten per bereikt huishouden",
                                                    "en": "the yearly cost per household reached"},
    "param.prevention.targeting": {"nl": "de gerichtheid van preventie op huishoudens met risico",
                                   "en": "the targeting of prevention on households at risk"},
    "param.prevention.learning_years": {"nl": "het aantal jaren tot preventie volledig werkt",
                                        "en": "the years until prevention works fully"},
    "param.latent_demand.non_take_up": {"nl": "het niet-gebruik", "en": "non-take-up"},
    "param.latent_demand.contact_take_up": {"nl": "het effect van contact op het niet-gebruik",
                                            "en": "the effect of contact on non-take-up"},
    "param.hazards.finance.onset": {"nl": "de maandelijkse kans op nieuwe geldproblemen",
                                    "en": "the monthly chance of new money problems"},
    "param.hazards.youth.escalate": {"nl": "de escalatiekans in het jeugddomein",
                                     "en": "the escalation hazard in the youth domain"},
    "param.generations.transmission": {"nl": "de overdracht van ouder op kind",
                                       "en": "the transmission from parent to child"},
    "param.costs.youth.specialist.jeugdwet": {"nl": "de jaarlijkse kosten van specialistische jeugdhulp per kind",
                                              "en": "the yearly cost of specialist youth care per child"},
    "param.levers.prevention.per_household": {"nl": "het preventiebudget per huishouden",
                                              "en": "the prevention budget per household"},
    "param.levers.prevention.fixed": {"nl": "het vaste preventiebudget", "en": "the fixed prevention budget"},
}

# Names above that are plural in a language, so that the verb of their clause agrees
# ("de jaarlijkse kosten ... lager zijn dan", "the discounted savings are above").
PLURAL: dict[str, frozenset[str]] = {
    "nl": frozenset({"param.prevention.cost_per_household_reached", "param.costs.youth.specialist.jeugdwet"}),
    "en": frozenset({"param.prevention.learning_years", "discover.outcome.savings_discounted"}),
}
