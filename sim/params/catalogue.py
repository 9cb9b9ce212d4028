"""The intervention catalogue: what a council can buy, with its evidence, as data.

One TOML file per intervention in `interventions/` beside this file (docs/parameters.md,
'Interventions', describes every field). An entry names its target group, reach, uptake and
cost per participant (in its own price year; converted here to the model's), and its effects as
rate ratios on named transitions ("youth: light -> maatwerk") with a confidence interval, a time
profile (onset, how long the full effect lasts, the half-life of its fading) and the evidence
behind them. Entries with a `[trial]` table can be re-run as a virtual trial (`sim trial`).

The levers an experiment sets per entry (`interventions.<id>.budget`, `.participants`, ...) are
ordinary parameters, made here from the catalogue, so --set, sweeps and configs reach them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..files import read_toml
from ..levels import DOMAIN_KEYS, LEVEL_KEYS
from . import prices

HAZARD_KINDS = ("up", "down", "recover")  # the order of the hazard table's last axis
EVIDENCE_GRADES = ("nl_rct", "rct", "quasi_experimental", "observational", "practice_based", "expert_opinion")
HOUSEHOLDS = ("any", "with_children", "single_parent")
KINDS = ("programme", "gate_capacity")
OUTCOME_EVENTS = ("reaches", "leaves")
MEASURES = ("risk_ratio", "risk_difference")
ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
TRANSITION = re.compile(r"^\s*(\w+)\s*:\s*(\w+)\s*->\s*(\w+)\s*$")
MAX_WINDOW_MONTHS = 600  # an effect is followed for at most 50 years after enrolment


@dataclass(frozen=True)
class Sourced:
    value: float | None  # None: not found
    source: str


@dataclass(frozen=True)
class Effect:
    label: str  # as written, e.g. "youth: light -> maatwerk"
    domain: int
    from_level: int
    kind: int  # index into HAZARD_KINDS
    rate_ratio: float
    ci: tuple[float, float]
    basis: str

    def at_quantile(self, q: float) -> float:
        """The rate ratio at quantile q of a log-normal through the 95% interval."""
        if q == 0.5 or self.ci[0] == self.ci[1]:
            return self.rate_ratio
        from scipy.stats import norm

        se = (math.log(self.ci[1]) - math.log(self.ci[0])) / (2 * 1.959964)
        return float(math.exp(math.log(self.rate_ratio) + norm.ppf(q) * se))


@dataclass(frozen=True)
class Trial:
    design: str
    n: int
    population: str
    follow_up_months: int
    outcome_domain: int
    outcome_event: str  # 'reaches': at or above the level at any month; 'leaves': below it at the end
    outcome_level: int
    outcome_text: str
    measure: str  # risk_ratio (intervention over control) or risk_difference (intervention minus control)
    published: float
    ci: tuple[float, float] | None
    source: str


@dataclass(frozen=True)
class Intervention:
    id: str
    file: str
    kind: str
    name: dict  # language -> text
    description: dict
    evidence: str
    dei_rating: str
    payer: str
    sources: tuple
    transfer_caveat: str
    domains: tuple  # target domain indices; eligible when at one of `levels` in any of them
    levels: tuple
    households: str
    youngest_child_under: float | None
    eligible_per_1000: Sourced
    reach: Sourced
    uptake: Sourced
    cost_per_participant: float  # euros of the model's price year
    cost: Sourced  # as published, with `price_year`
    cost_price_year: int
    months: int
    effects: tuple
    onset_months: int
    lasts_months: int
    half_life_months: float
    timing_source: str
    reveals_hidden_need: bool
    trial: Trial | None

    @property
    def window(self) -> int:
        """Months after enrolment in which the effect is followed (until under 1% of it is left)."""
        fade = 0 if self.half_life_months <= 0 else math.ceil(self.half_life_months * math.log2(100))
        return max(1, min(MAX_WINDOW_MONTHS, self.lasts_months + fade))

    def weight(self, months: int) -> float:
        """Share of the full effect `months` after enrolment: a linear onset, a plateau, then
        exponential fading with the half-life."""
        if months >= self.window:
            return 0.0
        ramp = 1.0 if self.onset_months <= 0 else min(1.0, (months + 1) / self.onset_months)
        if months < self.lasts_months:
            return ramp
        if self.half_life_months <= 0:
            return 0.0
        return ramp * 0.5 ** ((months - self.lasts_months + 1) / self.half_life_months)


class _Reader:
    """Typed access to one entry's TOML with errors that name the file and key."""

    def __init__(self, path: Path, data: dict, prefix: str = ""):
        self.path, self.data, self.prefix = path, data, prefix

    def error(self, key, message, found=None, expected=None):
        return ConfigError(message, file=self.path, key=self.prefix + key, found=found, expected=expected)

    def get(self, key: str, kind, *, required=True, default=None):
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    raise self.error(key, "missing", expected=_describe(kind))
                return default
            node = node[part]
        if kind is float:
            if isinstance(node, bool) or not isinstance(node, (int, float)) or not math.isfinite(node):
                raise self.error(key, "not a finite number", found=node, expected="a finite number")
            return float(node)
        if kind is int:
            if isinstance(node, bool) or not isinstance(node, int):
                raise self.error(key, "wrong type", found=node, expected="a whole number")
            return node
        if not isinstance(node, kind):
            raise self.error(key, "wrong type", found=node, expected=_describe(kind))
        return node

    def number(self, key: str, low=None, high=None, **kw) -> float | None:
        value = self.get(key, float, **kw)
        if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
            raise self.error(key, "out of range", found=value, expected=f"a number in [{low}, {high}]")
        return value

    def choice(self, key: str, choices, **kw) -> str:
        value = self.get(key, str, **kw)
        if value is not None and value not in choices:
            raise self.error(key, "not an allowed choice", found=value, expected=" | ".join(choices))
        return value

    def texts(self, key: str) -> dict:
        value = self.get(key, dict)
        for lang in ("nl", "en"):
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.error(f"{key}.{lang}", "missing", expected="a text in this language")
        return {lang: value[lang] for lang in ("nl", "en")}

    def sourced(self, key: str, low=0.0, high=None) -> Sourced:
        """{ value = x, source = "..." }, or { value = "not found", source = "..." }."""
        node = self.get(key, dict)
        source = self.get(f"{key}.source", str)
        if node.get("value") == "not found":
            return Sourced(None, source)
        return Sourced(self.number(f"{key}.value", low, high), source)

    def level(self, key: str, name: str) -> int:
        if name not in LEVEL_KEYS:
            raise self.error(key, "unknown level", found=name, expected=" | ".join(LEVEL_KEYS))
        return LEVEL_KEYS.index(name)

    def domain(self, key: str, name: str) -> int:
        if name not in DOMAIN_KEYS:
            raise self.error(key, "unknown domain", found=name, expected=" | ".join(DOMAIN_KEYS))
        return DOMAIN_KEYS.index(name)


def _describe(kind) -> str:
    return {str: "a text", dict: "a table", list: "a list", bool: "true or false", float: "a number",
            int: "a whole number"}.get(kind, str(kind))


def _interval(r: _Reader, key: str, point: float, *, required=True, positive=True) -> tuple[float, float] | None:
    ci = r.get(key, list, required=required)
    if ci is None:
        return None
    if len(ci) != 2 or any(isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x)
                           or (positive and x <= 0) for x in ci) or not ci[0] <= point <= ci[1]:
        raise r.error(key, "not an interval around the estimate", found=ci,
                      expected=f"[low, high]{', both positive,' if positive else ''} with low <= {point} <= high")
    return float(ci[0]), float(ci[1])


def _effect(r: _Reader, i: int) -> Effect:
    key = f"effects[{i}]"
    node = r.data["effects"][i]
    if not isinstance(node, dict):
        raise r.error(key, "wrong type", found=node, expected="an [[effects]] table")
    sub = _Reader(r.path, node, prefix=key + ".")
    label = sub.get("transition", str)
    match = TRANSITION.match(label)
    if not match:
        raise sub.error("transition", "not a transition", found=label,
                      expected="'domain: from-level -> to-level', e.g. 'youth: light -> maatwerk'")
    domain = sub.domain("transition", match.group(1))
    low, high = sub.level("transition", match.group(2)), sub.level("transition", match.group(3))
    if high == low + 1:
        kind = 0
    elif high == low - 1:
        kind = 1
    elif high == 0 and low >= 2:
        kind = 2
    else:
        raise sub.error("transition", "the model has no such transition", found=label,
                      expected="one level up, one level down, or from light or above straight to self_reliant")
    rr = sub.number("rate_ratio", 0.0, 20.0)
    if rr <= 0:
        raise sub.error("rate_ratio", "out of range", found=rr, expected="a positive rate ratio")
    for field in node:
        if field not in ("transition", "rate_ratio", "ci", "basis"):
            raise sub.error(field, "unknown field", expected="transition | rate_ratio | ci | basis")
    return Effect(label.strip(), domain, low, kind, rr, _interval(sub, "ci", rr), sub.get("basis", str))


def _trial(r: _Reader) -> Trial | None:
    if "trial" not in r.data:
        return None
    outcome = r.get("trial.outcome", dict)
    for key in outcome:
        if key not in ("domain", "event", "level", "text"):
            raise r.error(f"trial.outcome.{key}", "unknown field", expected="domain | event | level | text")
    domain = r.domain("trial.outcome.domain", r.get("trial.outcome.domain", str))
    level = r.level("trial.outcome.level", r.get("trial.outcome.level", str))
    measure = r.choice("trial.measure", MEASURES)
    published = r.number("trial.published", *((0.0, 100.0) if measure == "risk_ratio" else (-1.0, 1.0)))
    if measure == "risk_ratio" and published <= 0:
        raise r.error("trial.published", "out of range", found=published, expected="a positive risk ratio")
    return Trial(design=r.choice("trial.design", EVIDENCE_GRADES), n=r.get("trial.n", int),
                 population=r.get("trial.population", str),
                 follow_up_months=int(r.number("trial.follow_up_months", 1, 240)),
                 outcome_domain=domain, outcome_event=r.choice("trial.outcome.event", OUTCOME_EVENTS),
                 outcome_level=level, outcome_text=outcome.get("text", ""), measure=measure, published=published,
                 ci=_interval(r, "trial.ci", published, required=False, positive=measure == "risk_ratio"),
                 source=r.get("trial.source", str))


def read_entry(path: Path) -> Intervention:
    data = read_toml(path, what="intervention")
    r = _Reader(path, data)
    known = {"id", "kind", "name", "description", "evidence", "dei_rating", "payer", "sources", "transfer_caveat",
             "target", "delivery", "effects", "effect_timing", "trial"}
    for key in data:
        if key not in known:
            raise r.error(key, "unknown field", expected=" | ".join(sorted(known)))
    for table, fields in SUBTABLES.items():
        for key in r.get(table, dict, required=False, default={}):
            if key not in fields:
                raise r.error(f"{table}.{key}", "unknown field", expected=" | ".join(fields))
    if not all(isinstance(x, str) and x.strip() for x in r.get("sources", list)):
        raise r.error("sources", "not a list of texts", expected="one text per source, with its year")
    ident = r.get("id", str)
    if not ID.match(ident) or ident != path.stem:
        raise r.error("id", "not the file's name", found=ident, expected=f"'{path.stem}' (lowercase, digits, _)")
    from . import PAYERS

    kind = r.choice("kind", KINDS)
    effects = tuple(_effect(r, i) for i in range(len(r.get("effects", list, required=kind == "programme") or [])))
    if kind == "programme" and not effects:
        raise r.error("effects", "a programme needs at least one effect", expected="[[effects]] tables")
    cost = r.sourced("delivery.cost_per_participant")
    year = r.get("delivery.cost_per_participant.price_year", int)
    currency = r.choice("delivery.cost_per_participant.currency", ("EUR", "USD"), required=False, default="EUR")
    if cost.value is None:
        raise r.error("delivery.cost_per_participant.value", "a cost is needed to book the spending",
                      expected="a number (an assumption, labelled as such in its source, when not found)")
    euros = prices.usd_to_model_euros(cost.value, year) if currency == "USD" else prices.to_model_prices(cost.value, year)
    domains = tuple(r.domain("target.domains", d) for d in r.get("target.domains", list))
    levels = tuple(r.level("target.levels", lv) for lv in r.get("target.levels", list))
    if not domains or not levels:
        raise r.error("target", "an empty target group", expected="at least one domain and one level")
    reveals = r.get("delivery.reveals_hidden_need", bool, required=False, default=False)
    return Intervention(
        id=ident, file=str(path), kind=kind, name=r.texts("name"), description=r.texts("description"),
        evidence=r.choice("evidence", EVIDENCE_GRADES), dei_rating=r.get("dei_rating", str),
        payer=r.choice("payer", PAYERS), sources=tuple(r.get("sources", list)),
        transfer_caveat=r.get("transfer_caveat", str, required=False, default=""),
        domains=domains, levels=levels, households=r.choice("target.households", HOUSEHOLDS),
        youngest_child_under=r.number("target.youngest_child_under", 0.0, 23.0, required=False),
        eligible_per_1000=r.sourced("target.eligible_per_1000", 0.0, 1000.0),
        reach=r.sourced("delivery.reach", 0.0, 1.0), uptake=r.sourced("delivery.uptake", 0.0, 1.0),
        cost_per_participant=euros, cost=cost, cost_price_year=year,
        months=int(r.number("delivery.months", 1, 120)), effects=effects,
        onset_months=int(r.number("effect_timing.onset_months", 0, 120, required=kind == "programme", default=0)),
        lasts_months=int(r.number("effect_timing.lasts_months", 1, MAX_WINDOW_MONTHS, required=kind == "programme",
                                  default=1)),
        half_life_months=r.number("effect_timing.half_life_months", 0, 240, required=kind == "programme", default=0),
        timing_source=r.get("effect_timing.source", str, required=kind == "programme", default=""),
        reveals_hidden_need=reveals, trial=_trial(r))


CATALOGUE_DIR = "interventions"
SUBTABLES = {
    "target": ("domains", "levels", "households", "youngest_child_under", "eligible_per_1000"),
    "delivery": ("reach", "uptake", "cost_per_participant", "months", "reveals_hidden_need"),
    "effect_timing": ("onset_months", "lasts_months", "half_life_months", "source"),
    "trial": ("design", "n", "population", "follow_up_months", "outcome", "measure", "published", "ci", "source"),
}


@lru_cache(maxsize=1)
def catalogue() -> tuple[Intervention, ...]:
    """Every entry, in file-name order."""
    folder = Path(str(resources.files(__package__).joinpath(CATALOGUE_DIR)))
    return tuple(read_entry(p) for p in sorted(folder.glob("*.toml")))


def entry(name: str) -> Intervention:
    by_id = {e.id: e for e in catalogue()}
    if name not in by_id:
        from . import suggest

        raise ConfigError("no such intervention in the catalogue", key=name,
                          expected=" | ".join(by_id), hint=suggest(name, by_id))
    return by_id[name]


LEVER_FIELDS = ("budget", "participants", "by_year", "start_year", "stop_after_year", "effect_quantile")


def lever_leaves() -> dict:
    """The levers of every entry as parameter tree nodes: interventions.<id>.<field>."""
    tree = {}
    for e in catalogue():
        tree[e.id] = {
            "budget": {"value": 0.0, "unit": "EUR/year",
                       "source": f"lever: yearly budget for {e.name['en']}; buys participants at the entry's cost "
                                 "with diminishing returns as the reachable households run out"},
            "participants": {"value": 0.0, "unit": "participants/year",
                             "source": f"lever: participants a year in {e.name['en']} (instead of a budget); "
                                       "at most the households the entry can reach"},
            "by_year": {"value": {}, "unit": "EUR by calendar year",
                        "source": "lever: explicit yearly budgets; replace `budget` for the listed years"},
            "start_year": {"value": 0, "unit": "calendar year (0 = the first year)",
                           "source": "lever: the first year the intervention is bought"},
            "stop_after_year": {"value": 0, "unit": "calendar year (0 = never)",
                                "source": "lever: the last year the intervention is bought"},
            "effect_quantile": {"value": 0.5, "unit": "quantile of the effect's 95% interval (0.5 = the estimate)",
                                "source": "uncertainty: 0.5 is the point estimate; runs with run.effect_uncertainty "
                                          "draw it per replication from the whole log-normal (0.1% to 99.9%)", "range": [0.001, 0.999]},
        }
    return tree
