"""Calibration configs: a TOML file in, a validated :class:`CalibrationConfig` out.

Everything is checked before a single simulation runs; every problem is a
:class:`sim.errors.ConfigError` naming the file, the key, what was found and what was expected
(``sim calibrate`` then exits with status 2). Each section is a schema checked by the one config
loader (:mod:`sim.config.schema`); what spans sections is checked here. Paths in the file are
relative to the file.

    [calibration]
    name = "nl"
    targets_file = "targets_nl.csv"        # the targets CSV (sim/calibrate/targets.py)
    targets = ["jeugdhulp_share_youth", …]  # which rows to calibrate on (default: all not excluded)
    output = "."                            # default: the project's calibration/ folder

    [calibration.excluded]                  # rows of the targets file left out, with the reason
    cost_jeugdwet_per_hh_year = "not reachable by occupancy at documented unit costs"

    [model]
    households = 5000         # simulated population (statistics are per household)
    start_year = 2025
    burn_in_years = 5         # default: the parameter burn_in_years
    years = 20                # reported years; the statistics use the last window_months
    window_months = 12

    [method]                  # sim/calibrate/method.py: history matching + ABC rejection
    waves = 3
    n_per_wave = 128
    replications = 2
    seed = 20261123
    cutoff = 3.0
    abc_epsilon = 1.0         # or "none": every plausible set is posterior
    refocus = "box+nn"
    check_replications = 4    # the posterior-mean-vs-defaults check

    [run]
    workers = 0               # 0 = all cores; 1 = serial in this process
    scheduler = ""            # a Dask scheduler address; empty = local processes
    store = ""                # default: <output>/runs/<config hash>/

    [priors]                  # one entry per calibrated parameter (dotted key, or key[i])
    "hazards.finance.onset" = [0.008, 0.016]          # uniform on [low, high]
    "hazards.work.onset" = { low = 0.005, high = 0.02, log = true }
    "hazards.youth.escalate[2]" = { times = [0.5, 1.5] }   # default value x factors
    "generations.transmission[0]" = "range"           # the documented range

A prior must lie inside the parameter's documented ``range`` (sim/params/*.toml); the
``[priors]`` table is read by :mod:`sim.calibrate.config_priors`. The config hash covers the
model code fingerprint (:mod:`sim.calibrate.fingerprint`), so a changed model gets a new store.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ..config.schema import Section, option, validate_section
from ..manifest import stable_hash
from ..params import default_leaves, suggest
from .config_checks import config_error
from .config_priors import parse_priors
from .fingerprint import model_code_fingerprint
from .statistics import STATISTICS
from .targets import load_targets

__all__ = ["CalibrationConfig", "load_config", "config_from_dict", "PROJECT_CALIBRATION_DIR", "CONFIG_HASH_DIGITS"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_CALIBRATION_DIR = PROJECT_ROOT / "calibration"
#: Hex digits of the config hash: the shipped calibration and existing stores
#: (<output>/runs/<config hash>/) are found by it (see sim.manifest.stable_hash).
CONFIG_HASH_DIGITS = 12


# The sections as schemas (sim/config/schema.py): type, default, range and the words of each message.
class CalibrationSection(Section):
    name: str = "calibration"
    description: str = ""
    targets_file: str | None = None  # required: _targets says so, naming an example
    targets: list | None = None      # None: every target not excluded
    output: str = ""
    excluded: dict = {}


class ModelSection(Section):
    households: int = option(5000, ge=50, problem="population too small", expected="at least 50 households")
    start_year: int = option(2025, ge=1900, le=2200, problem="implausible start year", expected="a calendar year")
    burn_in_years: float | None = option(None, ge=0, problem="negative burn-in", expected="0 or more years")
    years: int = option(20, ge=1, problem="too few years", expected="at least 1 reported year")
    window_months: int = 12  # 1 to 12 x years, and 12 for yearly targets: _check_window


class MethodSection(Section):
    waves: int = option(3, ge=1, problem="too small", expected="a whole number >= 1")
    n_per_wave: int = option(128, ge=2, problem="too small", expected="a whole number >= 2")
    replications: int = option(2, ge=1, problem="too small", expected="a whole number >= 1")
    seed: int = option(20261123, ge=0, problem="negative seed", expected="a whole number >= 0")
    cutoff: float = option(3.0, gt=0, problem="bad cutoff", expected="a positive number (3 by convention)")
    abc_epsilon: float | str = option(1.0, expected='a positive number or "none"')  # see _abc_epsilon
    refocus: Literal["box", "box+nn"] = option("box+nn", problem="unknown refocus", expected='"box" or "box+nn"')
    check_replications: int = option(4, ge=1, problem="too small", expected="a whole number >= 1")


class RunSection(Section):
    workers: int = option(0, ge=0, problem="negative number of workers", expected="0 (all cores) or more")
    scheduler: str = ""
    store: str = ""


#: Sections of a calibration config; None = a free table (the priors, read by config_priors).
SECTIONS: dict[str, type[Section] | None] = {
    "calibration": CalibrationSection, "model": ModelSection, "method": MethodSection, "run": RunSection,
    "priors": None,
}


@dataclass(frozen=True)
class CalibrationConfig:
    """A validated calibration config. Paths are absolute."""

    file: Path | None
    name: str
    description: str
    targets_file: Path
    targets: pd.DataFrame = field(repr=False)      # the rows calibrated on, validated
    all_targets: pd.DataFrame = field(repr=False)  # every row of the targets file
    excluded: dict                                  # target name -> reason
    output: Path
    households: int
    start_year: int
    burn_in_years: float
    years: int
    window_months: int
    waves: int
    n_per_wave: int
    replications: int
    seed: int
    cutoff: float
    abc_epsilon: float | None
    refocus: str
    check_replications: int
    workers: int
    scheduler: str
    store: Path | None
    priors: tuple  # of priors.Prior, in file order

    @property
    def target_names(self) -> list[str]:
        return self.targets["name"].tolist()

    def simulation_settings(self) -> dict:
        return {"households": self.households, "start_year": self.start_year,
                "burn_in_years": self.burn_in_years, "years": self.years, "window_months": self.window_months}

    def fingerprint(self) -> dict:
        """What determines the simulations (not the number of waves, ABC threshold or workers)."""
        return {
            "targets": self.targets[["name", "value", "tolerance", "statistic"]].to_dict(orient="records"),
            "all_statistics": sorted(set(self.all_targets["statistic"])),
            "model": self.simulation_settings(),
            "method": {"n_per_wave": self.n_per_wave, "replications": self.replications, "seed": self.seed,
                       "cutoff": self.cutoff, "refocus": self.refocus,
                       "check_replications": self.check_replications},
            "priors": [p.as_dict() for p in self.priors],
            "code": model_code_fingerprint(),
        }

    @property
    def config_hash(self) -> str:
        return stable_hash(self.fingerprint(), digits=CONFIG_HASH_DIGITS)

    @property
    def store_dir(self) -> Path:
        return self.store if self.store is not None else self.output / "runs" / self.config_hash

    def as_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if k not in ("targets", "all_targets", "priors")}
        d["targets"] = self.target_names
        d["priors"] = [p.as_dict() for p in self.priors]
        d["config_hash"] = self.config_hash
        d["store"] = str(self.store_dir)
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in d.items()}


# ----------------------------------------------------------------------------- loading
def load_config(path: str | Path) -> CalibrationConfig:
    """Read and validate a calibration config; raise ConfigError naming the key and the file."""
    from ..files import read_toml

    path = Path(path)
    data = read_toml(path, what="calibration config")
    return config_from_dict(data, file=path.resolve())


def config_from_dict(data: dict, *, file: Path | None = None) -> CalibrationConfig:
    """Validate a parsed config: each section against its schema, then what spans sections (the
    targets and the window, the ABC threshold, the priors); raise the first problem found. ``file``
    is named in the errors and anchors relative paths."""
    here = file.parent if file is not None else Path.cwd()
    cfg = _sections(data, file=file)
    cal, model, method, run = cfg["calibration"], cfg["model"], cfg["method"], cfg["run"]
    targets_file, all_targets, targets = _targets(cal, here=here, file=file)
    _check_window(model, all_targets, targets["name"].tolist(), file=file)
    eps = _abc_epsilon(method["abc_epsilon"], file=file)
    leaves = default_leaves()
    burn = model["burn_in_years"] if model["burn_in_years"] is not None else float(leaves["burn_in_years"].value)
    priors = parse_priors(cfg["priors"], file=file, leaves=leaves)

    output = (here / cal["output"]).resolve() if cal["output"] else PROJECT_CALIBRATION_DIR
    store = (here / run["store"]).resolve() if run["store"] else None
    return CalibrationConfig(
        file=file, name=cal["name"], description=cal["description"], targets_file=targets_file,
        targets=targets, all_targets=all_targets, excluded=dict(cal["excluded"]), output=output,
        households=model["households"], start_year=model["start_year"], burn_in_years=float(burn),
        years=model["years"], window_months=model["window_months"], waves=method["waves"],
        n_per_wave=method["n_per_wave"], replications=method["replications"], seed=method["seed"],
        cutoff=float(method["cutoff"]), abc_epsilon=eps, refocus=method["refocus"],
        check_replications=method["check_replications"], workers=run["workers"], scheduler=run["scheduler"],
        store=store, priors=tuple(priors))


def _sections(data: dict, *, file) -> dict[str, dict]:
    """Every section checked against its schema (defaults filled in); the priors as given."""
    for section in data:
        if section not in SECTIONS:
            raise config_error("unknown section", file=file, key=section, found=section,
                               expected=", ".join(SECTIONS), hint=suggest(section, SECTIONS))
    cfg: dict[str, dict] = {}
    for section, schema in SECTIONS.items():
        body = data.get(section, {})
        if schema is None:
            if not isinstance(body, Mapping):
                raise config_error("wrong type", file=file, key=section, found=body, expected="a table")
            cfg[section] = dict(body)
            continue
        if isinstance(body, Mapping):
            _check_keys(schema, body, section=section, file=file)
        cfg[section] = validate_section(schema, body, file=file, prefix=section).model_dump()
    return cfg


def _check_keys(schema: type[Section], body: Mapping, *, section: str, file) -> None:
    """Unknown keys, named with the key alone in found and in the did-you-mean ('waves', as
    written in the section) -- the schema's own message suggests the dotted key."""
    keys = list(schema.model_fields)
    for key in body:
        if key not in keys:
            raise config_error("unknown key", file=file, key=f"{section}.{key}", found=key,
                               expected=f"one of {', '.join(keys)}", hint=suggest(key, keys))


def _targets(cal: dict, *, here: Path, file) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """(targets file, every row of it, the rows calibrated on) from the [calibration] section."""
    if cal["targets_file"] is None:
        raise config_error("no targets file", file=file, key="calibration.targets_file", found=None,
                           expected="a targets CSV, e.g. targets_nl.csv")
    targets_file = (here / cal["targets_file"]).resolve()
    if not targets_file.is_file():
        raise config_error("targets file not found", file=file, key="calibration.targets_file",
                           found=str(targets_file), expected="a targets CSV relative to the config file")
    all_targets = load_targets(targets_file)
    names = all_targets["name"].tolist()
    chosen = _chosen_targets(cal, names, what=targets_file.name, file=file)
    targets = all_targets.set_index("name").loc[chosen].reset_index()
    for _, row in all_targets.iterrows():
        if row["statistic"] not in STATISTICS:
            raise config_error("the model reports no such statistic", file=targets_file,
                               key=f"{row['name']}.statistic", found=row["statistic"],
                               expected=", ".join(sorted(STATISTICS)), hint=suggest(row["statistic"], STATISTICS))
    dup = targets["statistic"][targets["statistic"].duplicated()].tolist()
    if dup:
        raise config_error("two targets report the same statistic", file=file, key="calibration.targets",
                           found=dup, expected="one target per statistic")
    return targets_file, all_targets, targets


def _chosen_targets(cal: dict, names: list[str], *, what: str, file) -> list[str]:
    """The target names calibrated on: ``targets``, or every target not ``excluded``."""
    excluded = cal["excluded"]
    for name, reason in excluded.items():
        if name not in names:
            raise config_error("unknown target", file=file, key=f"calibration.excluded.{name}", found=name,
                               expected=f"a target of {what}: {', '.join(names)}")
        if not isinstance(reason, str) or not reason.strip():
            raise config_error("an excluded target needs a reason", file=file, key=f"calibration.excluded.{name}",
                               found=reason, expected="a string")
    if cal["targets"] is None:
        chosen = [n for n in names if n not in excluded]
    else:
        chosen = cal["targets"]
        for name in chosen:
            if not isinstance(name, str) or name not in names:
                raise config_error("unknown target", file=file, key="calibration.targets", found=name,
                                   expected=f"a target of {what}: {', '.join(names)}", hint=suggest(str(name), names))
            if name in excluded:
                raise config_error("target both used and excluded", file=file, key="calibration.targets",
                                   found=name, expected="each target either in targets or in [calibration.excluded]")
        if len(set(chosen)) != len(chosen):
            raise config_error("a target is listed twice", file=file, key="calibration.targets", found=chosen,
                               expected="each target once")
    if not chosen:
        raise config_error("no targets to calibrate on", file=file, key="calibration.targets", found=[],
                           expected="at least one target")
    return chosen


def _check_window(model: dict, all_targets: pd.DataFrame, chosen: list[str], *, file) -> None:
    """The statistics' window lies in the reported period, and is a year when a yearly target is used."""
    window, years = model["window_months"], model["years"]
    if not 1 <= window <= 12 * years:
        raise config_error("window outside the reported period", file=file, key="model.window_months",
                           found=window, expected=f"1 to {12 * years} months")
    yearly = [n for n, s in zip(all_targets["name"], all_targets["statistic"])
              if STATISTICS[s].agg == "sum" and n in chosen]
    if yearly and window != 12:
        raise config_error("yearly targets need a 12-month window", file=file, key="model.window_months",
                           found=window,
                           expected=f"12 (targets {', '.join(yearly)} sum their statistic over the window)")


def _abc_epsilon(eps: float | str, *, file) -> float | None:
    """The ABC threshold: a positive number, or None for "none" (every plausible set is posterior)."""
    if eps == "none":
        return None
    if isinstance(eps, str) or not (math.isfinite(eps) and eps > 0):
        raise config_error("bad ABC threshold", file=file, key="method.abc_epsilon", found=eps,
                           expected='a positive number or "none"')
    return eps
