"""Default parameters as data, validated overrides, and the typed object the model reads.

The parameter files (model.toml, costs.toml, presets.toml beside this file) are the single
home of every number that comes from the world: each leaf carries its value, unit and source.
`Parameters.build(overrides)` turns them into arrays once, so the rules never dig in dicts.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Mapping

import numpy as np

from ..errors import ConfigError
from ..levels import DOMAIN_KEYS, LEVEL_KEYS, N_DOMAINS, N_LEVELS
from ..outcomes import INVESTMENT_LINE, PAYERS  # noqa: F401 (importers take them from here too)
from . import prices

STAFF_LINE = "uitvoering"
BUIG_LINE = "participatiewet"
# Bijstand benefits, paid from the BUIG budget: the share the municipality keeps of them is
# payers.buig_municipal_share, the rest is booked to central government.
BUIG_LEVELS = (("work", "maatwerk"), ("work", "specialist"))


@dataclass(frozen=True)
class Leaf:
    """One parameter: its value and where it comes from."""

    key: str
    value: Any
    unit: str
    source: str
    range: tuple | None = None
    payer: str | None = None
    price_year: int | None = None


def _read_toml(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


def _leaves(tree: dict, prefix: str = "") -> dict[str, Leaf]:
    out: dict[str, Leaf] = {}
    for name, node in tree.items():
        key = f"{prefix}{name}"
        if isinstance(node, dict) and "value" in node:
            rng = node.get("range")
            out[key] = Leaf(key, node["value"], node.get("unit", ""), node.get("source", ""),
                            tuple(rng) if rng is not None else None, node.get("payer"), node.get("price_year"))
        elif isinstance(node, dict):
            out.update(_leaves(node, key + "."))
    return out


def default_leaves() -> dict[str, Leaf]:
    """Every default parameter by dotted key (e.g. 'hazards.finance.onset'); the caller's own
    copy (list values included), so changing it changes no other caller's defaults."""
    return {key: dataclasses.replace(leaf, value=copy.deepcopy(leaf.value))
            if isinstance(leaf.value, (list, dict)) else leaf for key, leaf in _parsed_leaves().items()}


@functools.cache
def _parsed_leaves() -> dict[str, Leaf]:
    # Parsed once per process: the files ship with the package, and a sweep builds parameters
    # several times per evaluation (5 ms each, parsing).
    leaves = _leaves(_read_toml("model.toml"))
    leaves.update(_leaves(_read_toml("costs.toml"), "costs."))
    from .catalogue import lever_leaves

    leaves.update(_leaves(lever_leaves(), "interventions."))
    return leaves


def presets() -> dict[str, dict]:
    return _read_toml("presets.toml")


def suggest(key: str, candidates) -> str | None:
    match = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _expectation(leaf: Leaf) -> tuple[str, float | None, float | None]:
    unit = leaf.unit.lower()
    if unit.startswith("probability"):
        return "a probability in [0, 1]", 0.0, 1.0
    if unit.startswith("share"):
        return "a share in [0, 1]", 0.0, 1.0
    if unit.startswith("fte"):
        return "a non-negative number of FTE", 0.0, None
    if unit.startswith("eur"):
        return "a non-negative amount of money", 0.0, None
    if unit.startswith(("multiplier", "relative effect", "fte", "hours", "years", "months", "births", "participants",
                        "calendar year")):
        return f"a non-negative number ({leaf.unit})", 0.0, None
    return f"a number ({leaf.unit})", None, None


def check_value(leaf: Leaf, value: Any, *, file=None) -> Any:
    """Validate one override against its default's type and unit; return the cleaned value."""
    err = dict(file=file, key=leaf.key, found=value)
    default = leaf.value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError("wrong type", expected="true or false", **err)
        return value
    if isinstance(default, str):
        choices = [c.strip() for c in leaf.unit.split(":", 1)[-1].split("|")] if leaf.unit.startswith("choice") else None
        if not isinstance(value, str) or (choices and value not in choices):
            raise ConfigError("not an allowed choice", expected=" | ".join(choices or ["a string"]), **err)
        return value
    if isinstance(default, dict):  # by-year tables: {year: euros or FTE}
        if not isinstance(value, Mapping):
            raise ConfigError("wrong type", expected="a table of calendar year = amount", **err)
        what = "a non-negative number of FTE" if "fte" in leaf.unit.lower() else "a non-negative amount of money"
        if not all(isinstance(a, (int, float)) and not isinstance(a, bool) and math.isfinite(a) for a in value.values()):
            bad = next(a for a in value.values() if not (isinstance(a, (int, float)) and math.isfinite(a)))
            raise ConfigError("not a finite number", expected=what, found=bad, file=file, key=leaf.key)
        cleaned = {}
        for year, amount in value.items():
            try:
                year_int = int(year)
            except (TypeError, ValueError):
                raise ConfigError("not a calendar year", expected="a year such as 2025", file=file,
                                  key=f"{leaf.key}.{year}", found=year) from None
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
                raise ConfigError("negative or not a number", expected=what,
                                  file=file, key=f"{leaf.key}.{year}", found=amount)
            cleaned[year_int] = float(amount)
        return cleaned
    what, low, high = _expectation(leaf)
    if isinstance(default, list):
        arr = np.asarray(default, dtype=float)
        try:
            new = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ConfigError("wrong type", expected=f"a list of numbers shaped {arr.shape}", **err) from None
        if isinstance(value, bool) or new.shape != arr.shape:
            raise ConfigError("wrong shape", expected=f"a list of numbers shaped {arr.shape}", **err)
        if not np.isfinite(new).all():
            raise ConfigError("not a finite number", expected=f"every element {what}", **err)
        # Only element-wise units are range-checked; Gompertz coefficients may be negative.
        if (low is not None and (new < low).any()) or (high is not None and (new > high).any()):
            raise ConfigError("out of range", expected=f"every element {what}", **err)
        return new.tolist()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError("wrong type", expected=what, **err)
    if not math.isfinite(value):
        raise ConfigError("not a finite number", expected=what, **err)
    if leaf.unit.startswith("quantile") and not 0.0 < value < 1.0:
        raise ConfigError("out of range", expected="a quantile strictly between 0 and 1", **err)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ConfigError("out of range", expected=what, **err)
    if isinstance(default, int):  # years, counts: a fraction would be truncated without a word
        if not float(value).is_integer():
            raise ConfigError("not a whole number", expected=f"a whole number ({leaf.unit})", **err)
        return int(value)
    return float(value)


def resolve(overrides: Mapping[str, Any] | None = None, *, file=None) -> dict[str, Leaf]:
    """Defaults with validated overrides applied; unknown keys are errors with a suggestion."""
    leaves = default_leaves()
    for key, value in (overrides or {}).items():
        if key not in leaves:
            raise ConfigError("unknown parameter", file=file, key=key,
                              expected="a parameter defined in sim/params (see docs/parameters.md)",
                              hint=suggest(key, leaves))
        leaf = leaves[key]
        leaves[key] = Leaf(key, check_value(leaf, value, file=file), leaf.unit, leaf.source,
                           leaf.range, leaf.payer, leaf.price_year)
    return leaves


# ------------------------------------------------------------------------- typed parameters


def chain_matrix(up, down, rec) -> np.ndarray:
    """The monthly 5x5 Markov matrix from [level] hazards of moving up one level, down one level
    and straight back to self-reliant; what is left stays."""
    P = np.zeros((N_LEVELS, N_LEVELS))
    for lv in range(N_LEVELS):
        if lv < N_LEVELS - 1:
            P[lv, lv + 1] += up[lv]
        if lv > 0:
            P[lv, lv - 1] += down[lv]
        P[lv, 0] += rec[lv]
        P[lv, lv] += 1.0 - P[lv].sum()
    return P


def chain_stationary(P: np.ndarray) -> np.ndarray:
    """The stationary distribution pi = pi P of a monthly chain matrix (least squares, sum 1)."""
    A = np.vstack([P.T - np.eye(len(P)), np.ones(len(P))])
    return np.linalg.lstsq(A, np.r_[np.zeros(len(P)), 1.0], rcond=None)[0]


@dataclass(frozen=True)
class Switches:
    cascades: bool
    capacity: bool
    demography: bool
    generations: bool
    prevention: bool
    latent_demand: bool
    heterogeneity: bool

    @classmethod
    def all_off(cls) -> dict[str, bool]:
        return {f"switches.{name}": False for name in cls.__dataclass_fields__}


@dataclass(frozen=True)
class Budget:
    """The voorliggend-veld investment lever: a yearly amount with a time profile."""

    per_household: float
    fixed: float
    profile: str
    start_year: int
    ramp_years: int
    stop_after_year: int
    by_year: dict
    funder: str

    def euros_in_year(self, calendar_year: int, first_year: int, households: int) -> float:
        """Yearly budget for `calendar_year`; `households` is the starting population."""
        if calendar_year in self.by_year:
            return self.by_year[calendar_year]
        full = self.per_household * households + self.fixed
        start = self.start_year or first_year
        if full <= 0 or calendar_year < start:
            return 0.0
        if self.profile == "ramp":
            return full * min(1.0, (calendar_year - start + 1) / max(self.ramp_years, 1))
        if self.profile == "stop" and calendar_year > self.stop_after_year:
            return 0.0
        return full


@dataclass(frozen=True)
class ProgrammeLever:
    """What an experiment buys of one catalogue intervention: a yearly budget or a number of
    participants, from `start_year` to `stop_after_year`, with explicit `by_year` budgets."""

    id: str
    budget: float
    participants: float
    by_year: dict
    start_year: int
    stop_after_year: int
    effect_quantile: float

    @property
    def active(self) -> bool:
        return self.budget > 0 or self.participants > 0 or any(x > 0 for x in self.by_year.values())

    def in_year(self, calendar_year: int, first_year: int) -> tuple[str, float]:
        """('budget', euros) or ('participants', count) for one calendar year."""
        if calendar_year in self.by_year:
            return "budget", self.by_year[calendar_year]
        mode, amount = ("participants", self.participants) if self.participants > 0 else ("budget", self.budget)
        start = self.start_year or first_year
        if calendar_year < start or (self.stop_after_year and calendar_year > self.stop_after_year):
            return mode, 0.0
        return mode, amount


def _programme_levers(v: dict, file) -> tuple:
    from .catalogue import catalogue

    out = []
    for e in catalogue():
        p = f"interventions.{e.id}."
        lever = ProgrammeLever(e.id, v[p + "budget"], v[p + "participants"], dict(v[p + "by_year"]),
                               int(v[p + "start_year"]), int(v[p + "stop_after_year"]), v[p + "effect_quantile"])
        if lever.budget > 0 and lever.participants > 0:
            raise ConfigError("both a budget and a number of participants", file=file, key=p + "participants",
                              found=lever.participants, expected=f"either {p}budget or {p}participants, not both")
        if lever.participants > 0 and e.kind == "gate_capacity":
            raise ConfigError("gate capacity is bought with a budget", file=file, key=p + "participants",
                              found=lever.participants, expected=f"{p}budget (euros a year, bought as FTE)")
        if lever.stop_after_year and lever.start_year and lever.stop_after_year < lever.start_year:
            raise ConfigError("stops before it starts", file=file, key=p + "stop_after_year",
                              found=lever.stop_after_year, expected=f"a year from {lever.start_year} on, or 0")
        out.append(lever)
    return tuple(out)


@dataclass(frozen=True)
class Parameters:
    """Everything the model reads, as arrays. Built once from the resolved leaves."""

    leaves: dict = field(repr=False)
    switches: Switches
    # Hazards as [domain, level] monthly probabilities of moving up one level, down one
    # level, or straight back to self-reliant. up[:, 4] = 0; down[:, 0] = 0; recover[:, :2] = 0.
    up: np.ndarray
    down: np.ndarray
    recover: np.ndarray
    cascade: np.ndarray
    budget: Budget
    accounts: tuple  # (budget line, payer) pairs, the cost book's columns
    unit_cost: np.ndarray  # [domain, level, account] EUR per household per year, in prices.price_year()
    programmes: tuple = ()  # a ProgrammeLever per catalogue entry, in catalogue order

    def __getitem__(self, key: str):
        return self.leaves[key].value

    @property
    def hazard_table(self) -> np.ndarray:
        """[domain * 5 + level, (up, down, recover)] as float32, for one gather per month."""
        cached = self.__dict__.get("_hazard_table")
        if cached is None:
            cached = np.stack([self.up, self.down, self.recover], axis=-1).reshape(-1, 3).astype(np.float32)
            object.__setattr__(self, "_hazard_table", cached)
        return cached

    @classmethod
    def build(cls, overrides: Mapping[str, Any] | None = None, *, file=None) -> "Parameters":
        leaves = resolve(overrides, file=file)
        v = {k: leaf.value for k, leaf in leaves.items()}
        up = np.zeros((N_DOMAINS, N_LEVELS))
        down = np.zeros((N_DOMAINS, N_LEVELS))
        rec = np.zeros((N_DOMAINS, N_LEVELS))
        for d, name in enumerate(DOMAIN_KEYS):
            up[d, 0] = v[f"hazards.{name}.onset"]
            up[d, 1:4] = v[f"hazards.{name}.escalate"]
            down[d, 1:] = v[f"hazards.{name}.deescalate"]
            rec[d, 2:] = v[f"hazards.{name}.recover"]
            exits = (down[d] + rec[d]) * v["heterogeneity.exit_ratio"][d]  # the high-risk type's
            if (exits > 1).any():
                lv = int(np.argmax(exits > 1))
                raise ConfigError("the high-risk type leaves a level with total probability above 1", file=file,
                                  key=f"heterogeneity.exit_ratio[{d}]", found=float(v["heterogeneity.exit_ratio"][d]),
                                  expected=f"(deescalate + recover) x exit_ratio <= 1 at {name} level {LEVEL_KEYS[lv]}")
            total = up[d] + down[d] + rec[d]
            if (total > 1).any():
                lv = int(np.argmax(total > 1))
                raise ConfigError("hazards leave a level with total probability above 1", file=file,
                                  key=f"hazards.{name}", found=float(total[lv]),
                                  expected=f"onset/escalate + deescalate + recover <= 1 at level {LEVEL_KEYS[lv]}")
        accounts: list[tuple[str, str]] = []
        cost_leaves = [leaf for k, leaf in leaves.items() if k.startswith("costs.")]
        for leaf in cost_leaves:
            _, dom, lvl, line = leaf.key.split(".")
            if dom not in DOMAIN_KEYS or lvl not in LEVEL_KEYS or leaf.payer not in PAYERS:
                raise ConfigError("cost entry names an unknown domain, level or payer", key=leaf.key,
                                  expected=f"domains {DOMAIN_KEYS}, levels {LEVEL_KEYS}, payers {PAYERS}")
            if (line, leaf.payer) not in accounts:
                accounts.append((line, leaf.payer))
        for payer in PAYERS:
            accounts.append((INVESTMENT_LINE, payer))
        accounts.append((STAFF_LINE, "municipality"))
        if (BUIG_LINE, "central_government") not in accounts:  # always a column, so scenarios align
            accounts.append((BUIG_LINE, "central_government"))
        unit_cost = np.zeros((N_DOMAINS, N_LEVELS, len(accounts)))
        for leaf in cost_leaves:  # in the model's price year
            _, dom, lvl, line = leaf.key.split(".")
            factor = prices.index_factor(leaf.price_year) if leaf.price_year else 1.0
            unit_cost[DOMAIN_KEYS.index(dom), LEVEL_KEYS.index(lvl), accounts.index((line, leaf.payer))] = leaf.value * factor
        kept = v["payers.buig_municipal_share"]
        local, rijk = accounts.index((BUIG_LINE, "municipality")), accounts.index((BUIG_LINE, "central_government"))
        for dom, lvl in BUIG_LEVELS:
            cell = unit_cost[DOMAIN_KEYS.index(dom), LEVEL_KEYS.index(lvl)]
            cell[local], cell[rijk] = cell[local] * kept, cell[rijk] + cell[local] * (1.0 - kept)
        p = "levers.prevention."
        budget = Budget(v[p + "per_household"], v[p + "fixed"], v[p + "profile"], int(v[p + "start_year"]),
                        int(v[p + "ramp_years"]), int(v[p + "stop_after_year"]), dict(v[p + "by_year"]),
                        v[p + "funder"])
        switches = Switches(**{k.split(".")[1]: val for k, val in v.items() if k.startswith("switches.")})
        return cls(leaves=leaves, switches=switches, up=up, down=down, recover=rec,
                   cascade=np.asarray(v["cascades.matrix"], float), budget=budget,
                   accounts=tuple(accounts), unit_cost=unit_cost, programmes=_programme_levers(v, file))

    @property
    def risk_factors(self) -> np.ndarray:
        """[domain, (up, down, recover)] multipliers of the high-risk type's hazards
        (rules/hazards.py); the low-risk type has the plain hazards."""
        up = np.asarray(self["heterogeneity.up_ratio"], float)
        exit_ = np.asarray(self["heterogeneity.exit_ratio"], float)
        return np.stack([up, exit_, exit_], axis=-1).astype(np.float32)

    def transition_matrix(self, domain: int, *, high_risk: bool = False) -> np.ndarray:
        """The monthly 5x5 Markov matrix of one domain with every other mechanism switched off,
        for the low-risk type (the plain hazards) or the high-risk type."""
        up, down, rec = self.up[domain].copy(), self.down[domain].copy(), self.recover[domain].copy()
        if high_risk:
            f_up, f_down, f_rec = self.risk_factors[domain].astype(float)
            down, rec = down * f_down, rec * f_rec
            up = np.clip(np.minimum(up * f_up, 1.0 - down - rec), 0.0, None)  # as the kernel caps it
        return chain_matrix(up, down, rec)

    def stationary(self, domain: int, *, high_risk: bool = False) -> np.ndarray:
        """Equilibrium occupancy of the plain chain of one domain (of one risk type)."""
        return chain_stationary(self.transition_matrix(domain, high_risk=high_risk))
