"""Calibration configs: a TOML file in, a validated :class:`CalibrationConfig` out.

Everything is checked before a single simulation runs; every problem is a
:class:`sim.errors.ConfigError` naming the file, the key, what was found and what was expected
(``sim calibrate`` then exits with status 2). Paths in the file are relative to the file.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..manifest import stable_hash
from ..params import default_leaves, suggest
from .config_checks import check_type, config_error
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

SECTIONS: dict[str, dict[str, Any] | None] = {
    "calibration": {"name": str, "description": str, "targets_file": str, "targets": list, "output": str,
                    "excluded": dict},
    "model": {"households": int, "start_year": int, "burn_in_years": float, "years": int, "window_months": int},
    "method": {"waves": int, "n_per_wave": int, "replications": int, "seed": int, "cutoff": float,
               "abc_epsilon": (float, str), "refocus": str, "check_replications": int},
    "run": {"workers": int, "scheduler": str, "store": str},
    "priors": None,
}
DEFAULTS = {
    "calibration": {"name": "calibration", "description": "", "output": "", "excluded": {}},
    "model": {"households": 5000, "start_year": 2025, "years": 20, "window_months": 12},
    "method": {"waves": 3, "n_per_wave": 128, "replications": 2, "seed": 20261123, "cutoff": 3.0,
               "abc_epsilon": 1.0, "refocus": "box+nn", "check_replications": 4},
    "run": {"workers": 0, "scheduler": "", "store": ""},
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
    """Validate a parsed config section by section, raising the first problem found; ``file``
    is named in the errors and anchors relative paths."""
    here = file.parent if file is not None else Path.cwd()
    cfg = _typed_sections(data, file=file)
    cal, model, method, run = cfg["calibration"], cfg["model"], cfg["method"], cfg["run"]
    targets_file, all_targets, targets = _targets(cal, here=here, file=file)
    leaves = default_leaves()
    burn = _check_model(model, all_targets, targets["name"].tolist(), leaves=leaves, file=file)
    eps = _check_method(method, file=file)
    if run["workers"] < 0:
        raise config_error("negative number of workers", file=file, key="run.workers", found=run["workers"],
                           expected="0 (all cores) or more")
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


def _typed_sections(data: dict, *, file) -> dict[str, dict]:
    """Every section as a table of known keys of the right type, defaults filled in."""
    for section in data:
        if section not in SECTIONS:
            raise config_error("unknown section", file=file, key=section, found=section,
                               expected=", ".join(SECTIONS), hint=suggest(section, SECTIONS))
    cfg: dict[str, dict] = {}
    for section, keys in SECTIONS.items():
        body = data.get(section, {})
        if not isinstance(body, dict):
            raise config_error("wrong type", file=file, key=section, found=body, expected="a table")
        if keys is None:
            cfg[section] = dict(body)
            continue
        merged = dict(DEFAULTS.get(section, {}))
        for key, value in body.items():
            dotted = f"{section}.{key}"
            if key not in keys:
                raise config_error("unknown key", file=file, key=dotted, found=key,
                                   expected=f"one of {', '.join(keys)}", hint=suggest(key, keys))
            merged[key] = check_type(value, keys[key], file=file, key=dotted)
        cfg[section] = merged
    return cfg


def _targets(cal: dict, *, here: Path, file) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """(targets file, every row of it, the rows calibrated on) from the [calibration] section."""
    if "targets_file" not in cal:
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
    if "targets" not in cal:
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


def _check_model(model: dict, all_targets: pd.DataFrame, chosen: list[str], *, leaves, file) -> float:
    """Check the [model] section; return the burn-in in years (default: the parameter's)."""
    def bad(key, message, value, expected):
        return config_error(message, file=file, key=f"model.{key}", found=value, expected=expected)

    burn = model.get("burn_in_years", float(leaves["burn_in_years"].value))
    if model["households"] < 50:
        raise bad("households", "population too small", model["households"], "at least 50 households")
    if burn < 0:
        raise bad("burn_in_years", "negative burn-in", burn, "0 or more years")
    if model["years"] < 1:
        raise bad("years", "too few years", model["years"], "at least 1 reported year")
    if not 1 <= model["window_months"] <= 12 * model["years"]:
        raise bad("window_months", "window outside the reported period", model["window_months"],
                  f"1 to {12 * model['years']} months")
    yearly = [n for n, s in zip(all_targets["name"], all_targets["statistic"])
              if STATISTICS[s].agg == "sum" and n in chosen]
    if yearly and model["window_months"] != 12:
        raise bad("window_months", "yearly targets need a 12-month window", model["window_months"],
                  f"12 (targets {', '.join(yearly)} sum their statistic over the window)")
    if not 1900 <= model["start_year"] <= 2200:
        raise bad("start_year", "implausible start year", model["start_year"], "a calendar year")
    return burn


def _check_method(method: dict, *, file) -> float | None:
    """Check the [method] section; return the ABC threshold (None: accept every plausible set)."""
    def bad(key, message, value, expected):
        return config_error(message, file=file, key=f"method.{key}", found=value, expected=expected)

    for key, low in (("waves", 1), ("n_per_wave", 2), ("replications", 1), ("check_replications", 1)):
        if method[key] < low:
            raise bad(key, "too small", method[key], f"a whole number >= {low}")
    if method["seed"] < 0:
        raise bad("seed", "negative seed", method["seed"], "a whole number >= 0")
    if not (math.isfinite(method["cutoff"]) and method["cutoff"] > 0):
        raise bad("cutoff", "bad cutoff", method["cutoff"], "a positive number (3 by convention)")
    eps = method["abc_epsilon"]
    if isinstance(eps, str):
        if eps != "none":
            raise bad("abc_epsilon", "bad ABC threshold", eps, 'a positive number or "none"')
        eps = None
    elif not (math.isfinite(eps) and eps > 0):
        raise bad("abc_epsilon", "bad ABC threshold", eps, 'a positive number or "none"')
    if method["refocus"] not in ("box", "box+nn"):
        raise bad("refocus", "unknown refocus", method["refocus"], '"box" or "box+nn"')
    return eps
