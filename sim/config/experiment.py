"""Load, merge and validate experiment configs.

A config has the sections below; every key is optional except at least one scenario. A config
can `extends = "other.toml"` (a path relative to itself): the other file is read first and
this one is laid over it, scenario by scenario, so a municipality keeps one base file.

    extends = "base.toml"
    [experiment]  name, description, language ("nl" | "en")
    [population]  preset, households
    [horizon]     start_year, years
    [run]         replications, seed, workers, discount_rate, baseline, posterior, effect_uncertainty
    [parameters]  dotted model-parameter overrides for every scenario
    [scenarios.NAME]  label, description, spend_per_household, and dotted overrides
    [scenarios.NAME.interventions.ID]  budget | participants, by_year, start_year, stop_after_year
                  for a catalogue intervention (sim/params/interventions/ID.toml); ID `custom` is
                  the generic lever (levers.prevention.*)
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

from ..errors import ConfigError
from ..files import check_file, read_toml
from ..manifest import stable_hash
from ..params import Parameters, default_leaves, presets, suggest
from .schema import Section, line_of, option, validate_section

#: An experiment's name names its results folder: no path separators, no hidden or empty name.
FOLDER_NAME = r'^[^./\\:*?"<>|\x00-\x1f][^/\\:*?"<>|\x00-\x1f]{0,99}$'


class ExperimentSection(Section):
    name: str = option("experiment", pattern=FOLDER_NAME, problem="not usable as a folder name",
                       expected="1 to 100 characters without / \\ : * ? \" < > |, not starting with '.'")
    description: str = ""
    language: Literal["nl", "en"] = option("en", problem="unknown language", expected="nl or en")


class PopulationSection(Section):
    preset: str = "vijfheerenlanden"
    households: int | None = option(None, ge=1, problem="no households", expected="a whole number of at least 1")


MAX_YEARS = 200  # generations enough; 100,000 years would run for hours on a wrong estimate


class HorizonSection(Section):
    start_year: int = option(2025, ge=1900, le=2200, problem="implausible start year", expected="a calendar year")
    years: int = option(30, ge=1, le=MAX_YEARS, problem=f"the horizon must be 1 to {MAX_YEARS} years",
                        expected=f"a whole number from 1 to {MAX_YEARS}")


class RunSection(Section):
    replications: int = option(10, ge=1, problem="no replications", expected="a whole number >= 1")
    seed: int = option(20261123, ge=0, problem="negative seed", expected="a whole number >= 0")
    workers: int = option(0, ge=0, problem="negative number of workers", expected="0 (all cores) or more")
    discount_rate: float = option(0.0225, ge=0.0, le=0.2, problem="discount rate out of range",
                                 expected="a rate in [0, 0.2]")
    baseline: str = "baseline"
    posterior: Literal["auto", "none", "mean", "sample"] = option(
        "auto", problem="unknown posterior mode", expected="auto | none | mean | sample")
    effect_uncertainty: bool = True


class ScenarioMeta(Section):
    label: str | None = None
    description: str = ""
    spend_per_household: float | None = None


#: Sections of an experiment config; None = a free table (parameter overrides, scenarios).
SECTIONS: dict[str, type[Section] | None] = {
    "extends": None, "experiment": ExperimentSection, "population": PopulationSection,
    "horizon": HorizonSection, "run": RunSection, "parameters": None, "scenarios": None,
}
SCENARIO_META = tuple(ScenarioMeta.model_fields)
LANGUAGES = ("nl", "en")  # = ExperimentSection.language
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$")
POSTERIOR_MODES = ("auto", "none", "mean", "sample")  # = RunSection.posterior


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    overrides: dict  # dotted parameter key -> value, on top of the experiment's parameters
    description: str = ""
    spend_per_household: float | None = None


@dataclass(frozen=True)
class Experiment:
    name: str
    description: str
    language: str
    preset: str
    households: int
    start_year: int
    years: int
    replications: int
    seed: int
    workers: int
    discount_rate: float
    baseline: str
    posterior: str
    parameters: dict
    scenarios: dict  # name -> Scenario, baseline first
    source: str | None = None
    resolved: dict = field(default_factory=dict, repr=False)
    effect_uncertainty: bool = True

    @property
    def interventions(self) -> tuple:
        """Catalogue entries that some scenario buys, in catalogue order."""
        bought = set()
        for name in self.scenarios:
            params = Parameters.build(self.scenario_overrides(name))
            bought |= {lever.id for lever in params.programmes if lever.active}
        from ..params.catalogue import catalogue

        return tuple(e.id for e in catalogue() if e.id in bought)

    @property
    def config_hash(self) -> str:
        return stable_hash(self.resolved)

    def scenario_overrides(self, name: str) -> dict:
        merged = dict(self.parameters)
        merged.update(self.scenarios[name].overrides)
        return merged


# ------------------------------------------------------------------------- reading files


def _read(path: Path, seen: tuple = ()) -> dict:
    if path in seen:
        raise ConfigError("config extends itself in a loop", file=path, key="extends",
                          found=" -> ".join(str(p) for p in seen + (path,)))
    data = read_toml(path)
    base = data.pop("extends", None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise ConfigError("wrong type", file=path, key="extends", found=base, expected="a path to a TOML file")
    try:
        parent_file = check_file(path.parent / base, what="extended config")
    except ConfigError as err:
        raise ConfigError(err.message, file=path, key="extends", line=line_of(path, "extends"), found=base,
                          expected=f"a TOML file, relative to this one (looked for {err.file})") from None
    parent = _read(parent_file, seen + (path,))
    return _merge(parent, data)


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "by_year":
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


CUSTOM = "interventions.custom."  # the generic lever, as the catalogue's `custom` entry


def _flatten_overrides(tree: Mapping, leaves: Mapping, prefix: str = "") -> dict:
    """Nested or dotted TOML keys -> dotted parameter keys; stop at a known leaf."""
    out = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if dotted.startswith(CUSTOM):
            dotted = "levers.prevention." + dotted[len(CUSTOM):]
        if isinstance(value, dict) and dotted not in leaves:
            out.update(_flatten_overrides(value, leaves, dotted + "."))
        else:
            out[dotted] = value
    return out


def _check_years(overrides: Mapping, hor: Mapping, *, file, prefix: str) -> None:
    """Yearly tables and start/stop years must fall inside the horizon: a budget for a year the
    run never reaches would be ignored without a word."""
    first, last = hor["start_year"], hor["start_year"] + hor["years"] - 1
    for key, value in overrides.items():
        years = []
        if key.endswith("by_year") and isinstance(value, Mapping):
            years = [(f"{key}.{y}", y) for y in value]
        elif key.endswith(("start_year", "stop_after_year")) and key.startswith(("interventions.", "levers.")) \
                and not isinstance(value, bool) and isinstance(value, int) and value != 0:
            years = [(key, value)]
        for shown, year in years:
            try:
                inside = first <= int(year) <= last
            except (TypeError, ValueError):
                continue  # not a year: the parameter check names it
            if not inside:
                raise ConfigError("a year outside the horizon", file=file, key=prefix + shown,
                                  line=line_of(file, key.split(".by_year")[0]), found=year,
                                  expected=f"a calendar year from {first} to {last} (horizon), or 0 where allowed")


# ------------------------------------------------------------------------- --set overrides


def parse_set(assignment: str) -> tuple[str, Any]:
    """'KEY=VALUE' from the command line; VALUE is read as TOML (42, 0.5, true, "x", [1, 2])."""
    if "=" not in assignment:
        raise ConfigError("--set needs KEY=VALUE", found=assignment, expected="e.g. horizon.years=5")
    key, raw = (part.strip() for part in assignment.split("=", 1))
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key, value


def _apply_set(data: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    head = parts[0]
    if head == "parameters" and len(parts) >= 2 and all(parts[1:]):
        data.setdefault("parameters", {})[".".join(parts[1:])] = value
        return
    if head == "scenarios" and len(parts) >= 3:
        known = data.get("scenarios") or {}
        if parts[1] not in known:  # a typo must not create a new, nearly empty scenario
            raise ConfigError("--set names a scenario the config does not have", key=key, found=parts[1],
                              expected=f"one of {', '.join(known) or '(no scenarios)'}",
                              hint=suggest(parts[1], known))
        known[parts[1]][".".join(parts[2:])] = value
        return
    if SECTIONS.get(head) is not None and len(parts) == 2:
        data.setdefault(head, {})[parts[1]] = value
        return
    raise ConfigError("--set names no config key", key=key,
                      expected="section.key (e.g. horizon.years), parameters.<parameter> or "
                               "scenarios.<name>.<parameter>",
                      hint=suggest(key, [f"{s}.{k}" for s, model in SECTIONS.items() if model for k in model.model_fields]))


# ------------------------------------------------------------------------- validation


def load_dict(data: Mapping, *, file=None, sets: Mapping[str, Any] | None = None) -> Experiment:
    """Validate a config given as a dict (as read from TOML)."""
    data = copy.deepcopy(dict(data))
    data.pop("extends", None)
    for key, value in (sets or {}).items():
        _apply_set(data, key, value)
    for section in data:
        if section not in SECTIONS:
            raise ConfigError("unknown section", file=file, key=section, line=line_of(file, section),
                              expected=", ".join(s for s in SECTIONS if s != "extends"),
                              hint=suggest(section, SECTIONS))
    cfg = {section: validate_section(model, data.get(section, {}), file=file, prefix=section).model_dump()
           for section, model in SECTIONS.items() if model is not None}
    cfg["parameters"], cfg["scenarios"] = data.get("parameters", {}), data.get("scenarios", {})

    def bad(key, message, value, expected):
        return ConfigError(message, file=file, key=key, line=line_of(file, key), found=value, expected=expected)

    exp, pop, hor, run = cfg["experiment"], cfg["population"], cfg["horizon"], cfg["run"]
    known = presets()
    if pop["preset"] not in known:
        raise ConfigError("unknown municipality preset", file=file, key="population.preset",
                          line=line_of(file, "population.preset"), found=pop["preset"],
                          expected=", ".join(known), hint=suggest(pop["preset"], known))
    households = pop["households"] if pop["households"] is not None else known[pop["preset"]]["households"]

    leaves = default_leaves()
    if not isinstance(cfg["parameters"], dict):
        raise bad("parameters", "wrong type", cfg["parameters"], "a table of parameter = value")
    if not isinstance(cfg["scenarios"], dict):
        raise bad("scenarios", "wrong type", cfg["scenarios"], "[scenarios.NAME] tables")
    parameters = _flatten_overrides(cfg["parameters"], leaves)
    _validate_params(parameters, file=file, prefix="parameters.")
    _check_years(parameters, hor, file=file, prefix="parameters.")
    scenarios_raw = cfg["scenarios"] or {}
    if run["baseline"] not in scenarios_raw:
        if "baseline" in (data.get("run") or {}):  # named on purpose: a misspelling must not add one
            raise bad("run.baseline", "the baseline names no scenario", run["baseline"],
                      f"one of {', '.join(scenarios_raw) or '(no scenarios)'}")
        scenarios_raw = {run["baseline"]: {"label": "Baseline"}, **scenarios_raw}
    scenarios = {name: _scenario(name, body, parameters=parameters, leaves=leaves, horizon=hor, file=file)
                 for name, body in sorted(scenarios_raw.items(), key=lambda kv: kv[0] != run["baseline"])}
    resolved = {"experiment": exp, "population": {"preset": pop["preset"], "households": households},
                "horizon": hor, "run": run, "parameters": parameters,
                "scenarios": {n: {"label": s.label, "description": s.description, "overrides": s.overrides,
                                  "spend_per_household": s.spend_per_household} for n, s in scenarios.items()}}
    return Experiment(name=exp["name"], description=exp["description"], language=exp["language"],
                      preset=pop["preset"], households=int(households), start_year=hor["start_year"],
                      years=hor["years"], replications=run["replications"], seed=run["seed"],
                      workers=run["workers"], discount_rate=run["discount_rate"], baseline=run["baseline"],
                      posterior=run["posterior"], effect_uncertainty=run["effect_uncertainty"],
                      parameters=parameters, scenarios=scenarios,
                      source=str(file) if file else None, resolved=resolved)


def _scenario(name: str, body, *, parameters: dict, leaves, horizon: Mapping, file) -> Scenario:
    """One [scenarios.NAME] table: its label and description, and its parameter overrides checked
    on top of the experiment's [parameters]."""
    if not SCENARIO_NAME.match(name):
        raise ConfigError("scenario names name files", file=file, key=f"scenarios.{name}",
                          line=line_of(file, f"scenarios.{name}"), found=name,
                          expected="letters, digits, '_' and '-' only (e.g. invest_100)")
    if not isinstance(body, dict):
        raise ConfigError("wrong type", file=file, key=f"scenarios.{name}", line=line_of(file, f"scenarios.{name}"),
                          found=body, expected="a table of overrides")
    meta = validate_section(ScenarioMeta, {k: v for k, v in body.items() if k in SCENARIO_META}, file=file,
                            prefix=f"scenarios.{name}").model_dump(exclude_unset=True)
    overrides = _flatten_overrides({k: v for k, v in body.items() if k not in SCENARIO_META}, leaves)
    _validate_params({**parameters, **overrides}, file=file, prefix=f"scenarios.{name}.", own=set(overrides))
    _check_years(overrides, horizon, file=file, prefix=f"scenarios.{name}.")
    return Scenario(name=name, label=meta.get("label", name), overrides=overrides,
                    description=meta.get("description", ""),
                    spend_per_household=meta.get("spend_per_household",
                                                 overrides.get("levers.prevention.per_household")))


def _validate_params(overrides: dict, *, file, prefix: str, own: set | None = None) -> None:
    """Check overrides against the parameter definitions; name the key as the user wrote it
    (under the scenario when the scenario set it, else under [parameters])."""
    try:
        Parameters.build(overrides)
    except ConfigError as err:
        key = err.key or ""
        related = own is None or any(o.startswith(key) or key.startswith(o) for o in own)
        shown = (prefix if related else "parameters.") + key
        raise ConfigError(err.message, file=file, key=shown, line=line_of(file, key.split(".by_year")[0]),
                          found=err.found, expected=err.expected, hint=err.hint) from None


def load(path, *, sets: Mapping[str, Any] | None = None) -> Experiment:
    """Read, merge (extends) and validate an experiment config file."""
    path = check_file(path, what="config", expected="a TOML file")
    data = _read(path)
    section = data.setdefault("experiment", {})
    if isinstance(section, dict) and "name" not in section:  # not a table: load_dict names it
        section["name"] = path.stem
    return load_dict(data, file=path, sets=sets)
