"""One plain-language sentence per box, in Dutch and English, for the report:

    The investment pays back within 8 years in 85% of runs where non-take-up is below 0.2 and
    the escalation reduction by prevention is above 0.3. These runs are 70% of all runs where
    that happens, and 12% of all runs.

Every word comes from sim/analysis/i18n (``discover.*`` and ``param.*``); numbers are written
the language's way (0,2 in Dutch). Box limits are rounded to two significant digits: they are
quantiles of a finite sample, and more digits would claim a precision the sweep does not have.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from ..analysis.i18n import LANGUAGES, STRINGS, fmt_eur, fmt_number, fmt_pct, t
from ..analysis.i18n.discover import PLURAL
from .prim import Box
from .rule import NET_COST_PREFIX, OutcomeRule

__all__ = ["box_sentence", "sentences", "outcome_clause", "fmt_significant"]


def sentences(boxes: list[Box], rule: OutcomeRule, parameters: Mapping[str, Mapping]) -> dict[str, list[str]]:
    """``{"en": [one sentence per box], "nl": [...]}``."""
    return {lang: [box_sentence(box, rule, parameters, lang) for box in boxes] for lang in LANGUAGES}


def box_sentence(box: Box, rule: OutcomeRule, parameters: Mapping[str, Mapping], language: str) -> str:
    """``parameters``: the sweep's resolved [parameters] tables (unit, scale), by key."""
    conditions = [_condition(name, low, high, parameters.get(name, {}), language)
                  for name, (low, high) in box.limits.items()]
    clause = outcome_clause(rule, language)
    if box.number == 1:
        runs = t("discover.runs", language)
    else:  # PRIM looked for this box among the runs outside the earlier ones: so is its density
        earlier = [str(i) for i in range(1, box.number)]
        boxes = t("discover.box" if len(earlier) == 1 else "discover.boxes", language,
                  numbers=_join(earlier, language))
        runs = t("discover.runs_outside", language, boxes=boxes)
    return t("discover.sentence", language, outcome=clause[:1].upper() + clause[1:], runs=runs,
             density=fmt_pct(box.density, language), conditions=_join(conditions, language),
             coverage=fmt_pct(box.coverage, language), mass=fmt_pct(box.mass, language))


def outcome_clause(rule: OutcomeRule, language: str) -> str:
    """"the investment pays back within 8 years", "the net present value is above €0"."""
    if rule.rule in ("within", "beyond"):
        years = fmt_significant(rule.threshold, language, digits=3)
        word = t("discover.year" if rule.threshold == 1 else "discover.years", language)
        return t(f"discover.{rule.rule}", language, years=years, year_word=word)
    threshold = _value(rule.threshold, _is_money_outcome(rule.outcome), language)
    verb = _agreeing(f"discover.{rule.rule}", f"discover.outcome.{rule.outcome}", language)
    return t(verb, language, outcome=_outcome_name(rule.outcome, language), threshold=threshold)


def _outcome_name(outcome: str, language: str) -> str:
    if outcome.startswith(NET_COST_PREFIX) and f"discover.outcome.{outcome}" not in STRINGS:
        payer = outcome[len(NET_COST_PREFIX):]
        return t("discover.outcome.net_cost", language, payer=_text(f"discover.payer.{payer}", language, payer))
    return _text(f"discover.outcome.{outcome}", language, f"'{outcome}'")


def _is_money_outcome(outcome: str) -> bool:
    from ..sensitivity.model import OUTPUTS

    return "(EUR" in OUTPUTS.get(outcome, "")


def _condition(name: str, low, high, spec: Mapping, language: str) -> str:
    label = _text(f"param.{name}", language, f"'{name}'")
    money = not spec.get("scale") and str(spec.get("unit", "")).upper().startswith("EUR")

    def value(x):
        text = _value(x, money, language)
        return t("discover.factor", language, value=text) if spec.get("scale") else text

    if low is not None and high is not None:
        return t(_agreeing("discover.cond_between", f"param.{name}", language), language, parameter=label,
                 low=value(low), high=value(high))
    if low is not None:
        return t(_agreeing("discover.cond_above", f"param.{name}", language), language, parameter=label, low=value(low))
    return t(_agreeing("discover.cond_below", f"param.{name}", language), language, parameter=label, high=value(high))


def _agreeing(clause: str, subject: str, language: str) -> str:
    """The clause's text key with the verb in the subject's number in this language."""
    return f"{clause}_plural" if subject in PLURAL[language] else clause


def _value(x: float, money: bool, language: str) -> str:
    if money:
        return fmt_eur(_round_significant(x, 3), language)
    return fmt_significant(x, language)


def fmt_significant(x: float, language: str, digits: int = 2) -> str:
    """``0.29864`` → ``0.3`` (en) / ``0,3`` (nl); ``0.0023456`` → ``0.0023``; ``1234.5`` → ``1,200``."""
    x = _round_significant(x, digits)
    if x == 0 or not math.isfinite(x):
        return fmt_number(x, language, 0)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = fmt_number(x, language, decimals)
    # 0.30 → 0.3: trailing zeros after the decimal mark add nothing
    mark = "," if language == "nl" else "."
    if mark in text:
        text = text.rstrip("0").rstrip(mark)
    return text


def _round_significant(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _join(parts: list[str], language: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {t('discover.and', language)} " + parts[-1]


def _text(key: str, language: str, fallback: str) -> str:
    """A text of the i18n table, or ``fallback`` for a key it does not have (a parameter no
    sweep config varied before): the sentence is still written, with the key in quotes."""
    entry = STRINGS.get(key)
    return entry[language] if entry else fallback
