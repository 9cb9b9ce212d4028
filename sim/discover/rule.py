"""The question scenario discovery answers, as one outcome and one rule: which runs count as
"cases of interest" for PRIM.

The grammar is deliberately small; exactly one rule per command:

* ``--outcome break_even_year --within N``: the investment pays back within N years
  (break-even year <= N). A run that never pays back within the horizon (NaN) does not meet it.
* ``--outcome break_even_year --beyond N``: the complement, it does not pay back within N years
  (break-even year > N, or never). ``--beyond`` the horizon asks "when does it never pay back?".
* ``--outcome NAME --above X`` / ``--below X``: the outcome is strictly above / below X, e.g.
  ``npv --above 0`` or ``net_cost_municipality --below 0`` (the municipality saves money).
  A run whose outcome is NaN (undefined, e.g. a benefit-cost ratio without investment) meets
  neither.

Why ``--within`` and ``--beyond`` exist only for the break-even year: they are years counted
from the start, and only there does NaN have a meaning (never) that a rule must decide about.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from ..outcomes import PAYERS

__all__ = ["OutcomeRule", "make_rule", "check_outcome", "check_threshold", "RULES", "BREAK_EVEN"]

BREAK_EVEN = "break_even_year"
RULES = ("within", "beyond", "above", "below")
_SYMBOL = {"within": "<=", "beyond": ">", "above": ">", "below": "<"}
NET_COST_PREFIX = "net_cost_"


@dataclass(frozen=True)
class OutcomeRule:
    """One outcome and one rule; :meth:`meets` says which runs are cases of interest."""

    outcome: str
    rule: str  # one of RULES
    threshold: float

    def meets(self, values) -> np.ndarray:
        """Boolean per run. NaN (never pays back, or undefined) meets only ``beyond``."""
        v = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            if self.rule == "within":
                return v <= self.threshold
            if self.rule == "beyond":
                return ~(v <= self.threshold)  # NaN = never pays back: beyond every N
            if self.rule == "above":
                return v > self.threshold
            return v < self.threshold

    @property
    def slug(self) -> str:
        """For the output folder's name: ``break_even_year-within-8``, ``npv-above-0``."""
        return f"{self.outcome}-{self.rule}-{self.threshold:g}"

    def describe(self) -> str:
        """``break_even_year <= 8 (never pays back: not met)``, for messages and the summary."""
        text = f"{self.outcome} {_SYMBOL[self.rule]} {self.threshold:g}"
        if self.rule == "within":
            text += " (never pays back: not met)"
        elif self.rule == "beyond":
            text += " or never pays back"
        elif self.outcome == BREAK_EVEN:
            text += " (never pays back: not met)"
        return text


def check_threshold(value: float, flag: str, *, years: bool) -> float:
    """A finite number; for a number of years also > 0."""
    value = float(value)
    if not math.isfinite(value) or (years and value <= 0):
        what = "a positive number of years, e.g. 8" if years else "a finite number, e.g. 0"
        raise ConfigError("the threshold must be " + ("a positive, finite number" if years else "a finite number"),
                          key=flag, found=value, expected=what)
    return value


def make_rule(outcome: str, *, within=None, beyond=None, above=None, below=None) -> OutcomeRule:
    """The rule the command line asked for, checked in itself (not yet against a sweep)."""
    given = {name: value for name, value in (("within", within), ("beyond", beyond), ("above", above),
                                             ("below", below)) if value is not None}
    if len(given) != 1:
        raise ConfigError("give exactly one rule for the outcome", key="--outcome", found=sorted(given) or None,
                          expected="--within N or --beyond N (break_even_year), or --above X or --below X")
    (rule, value), = given.items()
    check_payer(outcome)
    if rule in ("within", "beyond") and outcome != BREAK_EVEN:
        raise ConfigError(f"--{rule} counts years to break-even and applies to {BREAK_EVEN} only",
                          key=f"--{rule}", found=outcome, expected=f"--outcome {BREAK_EVEN}, or --above X / --below X")
    return OutcomeRule(outcome, rule, check_threshold(value, f"--{rule}", years=rule in ("within", "beyond")))


def check_payer(outcome: str) -> None:
    """``net_cost_<payer>`` must name a payer of the cost book (or ``total``)."""
    if outcome.startswith(NET_COST_PREFIX):
        payer = outcome[len(NET_COST_PREFIX):]
        if payer not in PAYERS and payer != "total":
            from ..params import suggest

            raise ConfigError(f"unknown payer {payer!r}", key="--outcome", found=outcome,
                              expected="net_cost_ followed by one of " + ", ".join(PAYERS + ("total",)),
                              hint=suggest(payer, PAYERS))


def check_outcome(rule: OutcomeRule, recorded: Sequence[str], values, *, where) -> np.ndarray:
    """The cases of interest of ``rule`` in a sweep whose runs recorded ``recorded`` outcomes
    (``values``: the outcome's column); refuses a rule that does not split the runs."""
    if rule.outcome not in recorded:
        from ..params import suggest

        raise ConfigError(f"the sweep did not record the outcome {rule.outcome!r}", file=where, key="--outcome",
                          found=rule.outcome, expected="one of " + ", ".join(recorded),
                          hint=suggest(rule.outcome, recorded))
    v = np.asarray(values, dtype=float)
    y = rule.meets(v)
    n, k = len(y), int(y.sum())
    if 0 < k < n:
        return y
    finite = v[np.isfinite(v)]
    spread = (f"{rule.outcome} ranges from {finite.min():.4g} to {finite.max():.4g}" if finite.size
              else f"{rule.outcome} is NaN in every run")
    if finite.size < n:
        spread += f", NaN in {n - finite.size} runs"
    which = "every one" if k == n else "none"
    raise ConfigError(f"{which} of the {n} runs meets {rule.describe()}: there is nothing to tell apart ({spread})",
                      file=where, key=f"--{rule.rule}", found=rule.threshold,
                      expected="a threshold that some runs meet and others do not")
