"""Every output of the model, in one registry: its name, unit, kind and how months make a year.

The model reports one row a month (sim/model/reporters.py); the analysis sums, averages or takes
the year-end value of each column (sim/analysis/summary.py); calibration statistics and the
synthetic test data name columns. All of them take names and rules from here, so adding an
output is one entry below plus the line in the model that counts it.

A name is ``group__part__part``: ``hh__finance__maatwerk``, ``cost__wmo__municipality``. An
entry's template names its parts; parts with fixed values (domains, levels, payers) expand to
concrete names in row-major order, parts without (a catalogue intervention's id) match any text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import product

from .levels import DOMAIN_KEYS, LEVEL_KEYS


class Kind(StrEnum):
    """What a column measures, and so how a year is made of its months."""

    STOCK = "stock"  # counted at the end of the month: a year is its last month
    FLOW = "flow"  # counted over the month: a year is the sum of its months
    COST = "cost"  # euros of the month: a year is the sum
    MEAN = "mean"  # an average over the month: a year is the mean of its months
    SERVED_MEAN = "served_mean"  # a mean over the month's served requests: a year weights months by them
    PEAK = "peak"  # a maximum over the month: a year is the largest of its months


YEAR_RULE = {Kind.STOCK: "last", Kind.FLOW: "sum", Kind.COST: "sum", Kind.MEAN: "mean",
             Kind.SERVED_MEAN: "served_mean", Kind.PEAK: "max"}

# ------------------------------------------------------------------ the parts names are made of
PAYERS = ("municipality", "central_government", "health_insurer", "wlz_office")
INVESTMENT_LINE = "voorliggend_veld_investment"
LINES = (INVESTMENT_LINE, "voorliggend_veld_basis", "wmo", "jeugdwet", "participatiewet", "reintegratie",
         "schuldhulp", "wsnp", "uitvoering", "zvw", "wlz")  # the report's order; the cost book defines the pairs
FLOW_KINDS = ("onset", "to_maatwerk", "to_specialist", "recovery", "referral_back")
PERSON_AGE_BANDS = ((0, 18), (18, 25), (25, 45), (45, 65), (65, 80), (80, 200))
CHILD_AGE_BANDS = ((0, 4), (4, 12), (12, 18), (18, 25))
WAIT_BINS_MONTHS = (0, 1, 2, 3, 4, 7)  # served within the month, 1, 2, 3, 4-6, 7+ months
WAIT_BIN_NAMES = ("0m", "1m", "2m", "3m", "4_6m", "7plus_m")
GENERATIONS = (0, 1, 2)  # 2 stands for 2 and later
EPISODE_FLOWS = ("entries", "reentries_1y", "exits", "ended_months", "ended_over_1y", "ended_over_2y")
EPISODE_STOCKS = ("stock", "stock_over_1y", "stock_over_2y", "stock_over_5y")
PROGRAMME_OUTPUTS = ("eligible", "new", "in_programme", "spend")
PATTERNS = ("childhood_mp__adults", "childhood_mp__now_mp", "childhood_not_mp__adults", "childhood_not_mp__now_mp",
            "exposed__adults", "exposed__adults_maatwerk", "unexposed__adults", "unexposed__adults_maatwerk")


def band_name(lo: int, hi: int) -> str:
    return f"{lo}_{hi - 1}" if hi < 200 else f"{lo}plus"


SPELL_LEVELS = LEVEL_KEYS[1:]  # a spell at self-reliance is not a spell
PERSON_BANDS = tuple(band_name(lo, hi) for lo, hi in PERSON_AGE_BANDS)
CHILD_BANDS = tuple(band_name(lo, hi) for lo, hi in CHILD_AGE_BANDS)
_PARTS = {"domain": DOMAIN_KEYS, "level": LEVEL_KEYS, "spell_level": SPELL_LEVELS, "flow": FLOW_KINDS,
          "line": None, "payer": None,  # open: the cost book's accounts decide the pairs (params.accounts)
          "band": PERSON_BANDS, "child_band": CHILD_BANDS,
          "wait_bin": WAIT_BIN_NAMES, "g": tuple(str(g) for g in GENERATIONS), "pattern": PATTERNS,
          "episode_flow": EPISODE_FLOWS, "episode_stock": EPISODE_STOCKS, "spell_what": ("ended", "months"),
          "id": None}  # None: any text (catalogue ids are data, not code)


@dataclass(frozen=True)
class Outcome:
    template: str  # e.g. "hh__{domain}__{level}"
    kind: Kind
    unit: str
    description: str

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(re.findall(r"\{(\w+)\}", self.template))

    def names(self) -> list[str]:
        """Every concrete name, in row-major order of the parts (like a reshape of the counts)."""
        parts = self.parts
        if any(_PARTS[p] is None for p in parts):
            raise ValueError(f"{self.template} has an open part; it names columns only by matching")
        return [self.template.format(**dict(zip(parts, values))) for values in product(*(_PARTS[p] for p in parts))]

    def name(self, **parts) -> str:
        for part, value in parts.items():
            allowed = _PARTS[part]
            if allowed is not None and str(value) not in allowed:
                raise ValueError(f"{value!r} is not a {part} of {self.template} (one of {', '.join(allowed)})")
        return self.template.format(**parts)

    @property
    def pattern(self) -> re.Pattern:
        regex = re.escape(self.template)
        for part in self.parts:
            allowed = _PARTS[part]
            choice = ".+?" if allowed is None else "|".join(re.escape(v) for v in allowed)
            regex = regex.replace(re.escape("{" + part + "}"), f"(?:{choice})", 1)
        return re.compile(f"^{regex}$")


_E = Outcome
#: Every output the model reports, in the order of its monthly row.
REGISTRY: tuple[Outcome, ...] = (
    _E("month", Kind.STOCK, "month", "months since the start (0-based)"),
    _E("year", Kind.STOCK, "calendar year", "calendar year of the month"),
    _E("gate__queue", Kind.STOCK, "requests", "requests waiting for an assessment at the month's end"),
    _E("gate__requests", Kind.FLOW, "requests", "new requests for maatwerk at the gate"),
    _E("gate__served", Kind.FLOW, "requests", "requests assessed (served)"),
    _E("gate__wait_mean_weeks", Kind.SERVED_MEAN, "weeks", "mean wait of the month's served requests"),
    _E("gate__wait_weeks_max", Kind.PEAK, "weeks", "longest wait among the month's served requests"),
    _E("gate__served_over_8w", Kind.FLOW, "requests", "served requests that waited over the 8-week norm"),
    _E("gate__hidden_requests", Kind.FLOW, "requests", "latent need that became a request (outreach)"),
    _E("gate__latent", Kind.STOCK, "households", "households with unrevealed need"),
    _E("gate__crises_while_waiting", Kind.FLOW, "households", "escalations of households in the queue"),
    _E("gate__wait_hist__{wait_bin}", Kind.FLOW, "requests", "served requests by months waited"),
    _E("households", Kind.STOCK, "households", "households in the population"),
    _E("persons", Kind.STOCK, "persons", "persons in the population (heads, partners, children)"),
    _E("children", Kind.STOCK, "persons", "children living at home"),
    _E("multiproblem", Kind.STOCK, "households", "households at maatwerk or above in two or more domains"),
    _E("cost__{line}__{payer}", Kind.COST, "EUR (2023 prices) per month", "euros booked to a budget line and payer"),
    _E("gen{g}__households", Kind.STOCK, "households", "households by generation (2 = 2 and later)"),
    _E("gen{g}__multiproblem", Kind.STOCK, "households", "multi-problem households by generation"),
    _E("gen{g}__cost", Kind.COST, "EUR (2023 prices) per month", "euros of households by generation"),
    _E("gen__{pattern}", Kind.STOCK, "persons", "adults heading households formed in the run, by childhood"),
    _E("demo__{id}", Kind.FLOW, "events", "demographic events (births, deaths, moves, partnerships)"),
    _E("prevention__budget", Kind.FLOW, "EUR per month", "spending of the generic prevention lever"),
    _E("prevention__contacted", Kind.STOCK, "households", "households in contact with the generic lever"),
    _E("prevention__new_contacts", Kind.FLOW, "households", "new contacts of the generic lever"),
    _E("prevention__effectiveness", Kind.MEAN, "share", "effectiveness of the generic lever this month"),
    _E("flow__{flow}__{domain}", Kind.FLOW, "households", "level changes by kind and domain"),
    _E("spell__{domain}__{spell_level}__{spell_what}", Kind.FLOW, "spells | months",
       "completed spells at a level (count, and their summed months)"),
    _E("episode__{domain}__{episode_flow}", Kind.FLOW, "episodes | months", "care episodes: entries, exits"),
    _E("episode__{domain}__{episode_stock}", Kind.STOCK, "episodes", "care episodes running, by duration"),
    _E("hh__{domain}__{level}", Kind.STOCK, "households", "households at a level in a domain"),
    _E("hh__any__{level}", Kind.STOCK, "households", "households by their highest level over the domains"),
    _E("pop__age__{band}", Kind.STOCK, "persons", "persons by age band"),
    _E("children__{child_band}__{level}", Kind.STOCK, "persons", "children by age band and household youth level"),
    _E("children__youth__{level}", Kind.STOCK, "persons", "children by their household's youth level"),
    _E("youth_clients__maatwerk", Kind.STOCK, "persons", "children in youth care, maatwerk"),
    _E("youth_clients__specialist", Kind.STOCK, "persons", "children in youth care, specialist"),
    _E("pop__under_23", Kind.STOCK, "persons", "persons under 23 (the Jeugdwet's ages)"),
    _E("care__laws_1plus", Kind.STOCK, "households", "households using one or more of the three laws (12 months)"),
    _E("care__laws_2plus", Kind.STOCK, "households", "households using two or more of the three laws (12 months)"),
    _E("programme__{id}__eligible", Kind.STOCK, "households", "households eligible for a catalogue intervention"),
    _E("programme__{id}__new", Kind.FLOW, "households", "new participants of a catalogue intervention"),
    _E("programme__{id}__in_programme", Kind.STOCK, "households", "participants of a catalogue intervention"),
    _E("programme__{id}__spend", Kind.FLOW, "EUR per month", "spending on a catalogue intervention"),
    _E("programme__{id}__fte", Kind.STOCK, "FTE", "gate capacity bought by an intervention"),
)
del _E


@lru_cache(maxsize=None)
def outcome(template: str) -> Outcome:
    """The registry entry with this template."""
    for entry in REGISTRY:
        if entry.template == template:
            return entry
    raise KeyError(f"no outcome {template!r} in sim/outcomes.py")


def name(template: str, **parts) -> str:
    """A concrete column name: name("hh__{domain}__{level}", domain="work", level="light")."""
    return outcome(template).name(**parts)


def names(template: str) -> list[str]:
    return outcome(template).names()


@lru_cache(maxsize=4096)
def outcome_of(column: str) -> Outcome | None:
    """The entry a column belongs to (None for a column the model does not report)."""
    for entry in REGISTRY:
        if entry.pattern.match(column):
            return entry
    return None


def kind_of(column: str) -> Kind:
    """A column's kind; a column outside the registry counts as a stock (year-end value)."""
    entry = outcome_of(column)
    return entry.kind if entry is not None else Kind.STOCK


def year_rule(column: str) -> str:
    """How a year is made of the column's months: "sum", "last", "mean", "max" or "served_mean"."""
    return YEAR_RULE[kind_of(column)]


def cost_column(line: str, payer: str) -> str:
    return f"cost__{line}__{payer}"


def parse_cost_column(column: str) -> tuple[str, str]:
    """``"cost__wmo__municipality"`` → ``("wmo", "municipality")``."""
    parts = column.split("__")
    if len(parts) != 3 or parts[0] != "cost" or not parts[1] or not parts[2]:
        raise ValueError(f"cost column must look like cost__<line>__<payer>, got {column!r}")
    return parts[1], parts[2]


def is_cost_column(column) -> bool:
    return isinstance(column, str) and column.startswith("cost__")
