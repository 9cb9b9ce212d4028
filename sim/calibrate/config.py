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

A prior must lie inside the parameter's documented ``range`` (sim/params/*.toml). For a list
of probabilities whose ``range`` reaches above 1 (``hazards.*.escalate`` etc.) the range is a
multiplier on each default element; otherwise (e.g. ``generations.transmission``) it bounds
every element directly.
"""
from __future__ import annotations

import ast
import hashlib
import json
import math
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..params import Parameters, check_value, default_leaves, suggest
from .priors import Prior
from .statistics import STATISTICS
from .targets import load_targets

__all__ = ["CalibrationConfig", "load_config", "prior_bounds", "PROJECT_CALIBRATION_DIR", "parse_prior_key"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_CALIBRATION_DIR = PROJECT_ROOT / "calibration"

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
_ELEMENT = re.compile(r"^(?P<key>[^\[\]]+)\[(?P<i>\d+)\]$")
_PRIOR_FIELDS = ("low", "high", "log", "times")


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
    priors: tuple  # of method.Prior, in file order

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
        text = json.dumps(self.fingerprint(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

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


def model_code_fingerprint() -> str:
    """Hash of what the model computes: its code and default parameters. A changed model gets a
    fresh calibration store, and the shipped calibration records it (tests/test_calibration_fresh.py).

    Python files count by their syntax tree without docstrings, parameter files by their values
    (not their sources or units), so rewording a comment or a source does not make the
    calibration stale, while any change to a rule or a number does."""
    h = hashlib.sha256()
    base = PROJECT_ROOT / "sim"
    code = [base / "levels.py"] + sorted((base / "model").rglob("*.py")) + sorted((base / "params").glob("*.py")) \
        + [base / "calibrate" / "statistics.py"]
    for f in code:
        h.update(str(f.relative_to(base)).encode())
        h.update(_syntax_without_docstrings(f.read_text("utf-8")).encode())
    for f in sorted((base / "params").glob("*.toml")):
        h.update(str(f.relative_to(base)).encode())
        h.update(json.dumps(_values_only(tomllib.loads(f.read_text("utf-8"))), sort_keys=True).encode())
    return h.hexdigest()[:12]


def _syntax_without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def _values_only(tree):
    if isinstance(tree, dict):
        return {k: _values_only(v) for k, v in tree.items() if k not in ("source", "unit")}
    return tree


# ----------------------------------------------------------------------------- helpers
def _line_of(path: Path | None, key: str) -> int | None:
    """Best-effort line number of a key in the file, for the error message."""
    if path is None or not Path(path).is_file():
        return None
    last = key.split(".")[-1] if "[" not in key and '"' not in key else key.split(".", 1)[-1]
    candidates = [f'"{last}"', f"{last} ", f"{last}="]
    if key.startswith("priors."):
        candidates = [f'"{key[len("priors."):]}"'] + candidates
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        if any(c in code for c in candidates):
            return number
    return None


def _err(message: str, *, file, key, found=None, expected=None, hint=None) -> ConfigError:
    return ConfigError(message, file=file, key=key, line=_line_of(file, key), found=found, expected=expected,
                       hint=hint)


def _check_type(value, kind, *, file, key):
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if k is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if k is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if k in (str, list, dict) and isinstance(value, k):
            return value
    names = {int: "a whole number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    raise _err("wrong type", file=file, key=key, found=value, expected=" or ".join(names[k] for k in kinds))


def parse_prior_key(name: str) -> tuple[str, int | None]:
    m = _ELEMENT.match(name)
    return (m.group("key"), int(m.group("i"))) if m else (name, None)


def _is_multiplier_range(leaf) -> bool:
    """A list of probabilities whose range reaches above 1: the range multiplies each element."""
    return (isinstance(leaf.value, list) and leaf.range is not None
            and leaf.unit.lower().startswith("probability") and float(leaf.range[1]) > 1.0)


def prior_bounds(name: str, leaves=None) -> tuple[float, float] | None:
    """The documented bounds of a scalar parameter or of one element of a flat list parameter."""
    leaves = leaves or default_leaves()
    key, index = parse_prior_key(name)
    leaf = leaves[key]
    if leaf.range is None:
        return None
    lo, hi = float(leaf.range[0]), float(leaf.range[1])
    if index is not None and _is_multiplier_range(leaf):
        v = float(leaf.value[index])
        return (min(v * lo, v * hi), max(v * lo, v * hi))
    return (lo, hi)


def _default_value(name: str, leaves) -> float:
    key, index = parse_prior_key(name)
    value = leaves[key].value
    return float(value[index] if index is not None else value)


def _prior_key_candidates(leaves) -> list[str]:
    out = []
    for key, leaf in leaves.items():
        if isinstance(leaf.value, list) and leaf.value and not isinstance(leaf.value[0], list):
            out += [f"{key}[{i}]" for i in range(len(leaf.value))]
        out.append(key)
    return out


def _parse_prior(name: str, spec: Any, *, file, leaves) -> Prior:
    key = f"priors.{name}"
    base, index = parse_prior_key(name)
    if base not in leaves:
        raise _err("unknown parameter", file=file, key=key, found=name,
                   expected="a parameter defined in sim/params (see `sim params`), or key[i] for one element "
                            "of a list parameter", hint=suggest(name, _prior_key_candidates(leaves)))
    leaf = leaves[base]
    value = leaf.value
    if index is None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "a list" if isinstance(value, list) else type(value).__name__
            raise _err("only numbers can be calibrated", file=file, key=key, found=what,
                       expected="a numeric parameter" + (f", or one element such as {base}[0]"
                                                         if isinstance(value, list) else ""))
    else:
        if not isinstance(value, list) or (value and isinstance(value[0], list)):
            raise _err("[i] needs a flat list parameter", file=file, key=key, found=name,
                       expected=f"{base} without [i]" if not isinstance(value, list) else "a flat list parameter")
        if index >= len(value):
            raise _err("element index out of range", file=file, key=key, found=index,
                       expected=f"an index from 0 to {len(value) - 1} ({base} has {len(value)} elements)")
    documented = prior_bounds(name, leaves)
    default = _default_value(name, leaves)
    log = False
    if isinstance(spec, str):
        if spec != "range":
            raise _err("unknown prior", file=file, key=key, found=spec,
                       expected='[low, high], { low = …, high = …, log = false }, { times = [a, b] } or "range"')
        if documented is None:
            raise _err("parameter has no documented range", file=file, key=key, found=spec,
                       expected="explicit bounds [low, high]")
        low, high = documented
    elif isinstance(spec, list):
        if len(spec) != 2:
            raise _err("a prior needs two bounds", file=file, key=key, found=spec, expected="[low, high]")
        low, high = (_check_type(v, float, file=file, key=key) for v in spec)
    elif isinstance(spec, dict):
        unknown = [k for k in spec if k not in _PRIOR_FIELDS]
        if unknown:
            raise _err("unknown field in prior", file=file, key=f"{key}.{unknown[0]}", found=unknown[0],
                       expected=", ".join(_PRIOR_FIELDS), hint=suggest(unknown[0], _PRIOR_FIELDS))
        log = spec.get("log", False)
        if not isinstance(log, bool):
            raise _err("wrong type", file=file, key=f"{key}.log", found=log, expected="true or false")
        if "times" in spec:
            if "low" in spec or "high" in spec:
                raise _err("give either times or low/high", file=file, key=key, found=spec,
                           expected="{ times = [a, b] } or { low = …, high = … }")
            times = spec["times"]
            if not isinstance(times, list) or len(times) != 2:
                raise _err("times needs two factors", file=file, key=f"{key}.times", found=times,
                           expected="[a, b]: the prior is [a x default, b x default]")
            a, b = (_check_type(v, float, file=file, key=f"{key}.times") for v in times)
            low, high = a * default, b * default
        else:
            missing = [k for k in ("low", "high") if k not in spec]
            if missing:
                raise _err("prior lacks a bound", file=file, key=f"{key}.{missing[0]}", found=spec,
                           expected="{ low = …, high = … }")
            low = _check_type(spec["low"], float, file=file, key=f"{key}.low")
            high = _check_type(spec["high"], float, file=file, key=f"{key}.high")
    else:
        raise _err("wrong type", file=file, key=key, found=spec,
                   expected='[low, high], { low = …, high = …, log = false }, { times = [a, b] } or "range"')

    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise _err("bad prior range", file=file, key=key, found=[low, high], expected="finite bounds with low < high")
    if log and low <= 0:
        raise _err("a log-uniform prior needs a positive lower bound", file=file, key=key, found=low,
                   expected="low > 0")
    if documented is not None:
        slack = 1e-9 * max(abs(documented[0]), abs(documented[1]), 1.0)
        if low < documented[0] - slack or high > documented[1] + slack:
            how = (f"{leaf.range[0]}-{leaf.range[1]} x default {default:g}" if index is not None
                   and _is_multiplier_range(leaf) else f"range {leaf.range[0]}-{leaf.range[1]}")
            raise _err("prior outside the parameter's documented range", file=file, key=key, found=[low, high],
                       expected=f"bounds within [{documented[0]:.6g}, {documented[1]:.6g}] ({how} in sim/params)")
    for bound in (low, high):
        try:
            if index is None:
                check_value(leaf, bound)
            else:
                vec = list(value)
                vec[index] = bound
                check_value(leaf, vec)
        except ConfigError as exc:
            raise _err("prior bound not a valid value of the parameter", file=file, key=key, found=bound,
                       expected=exc.expected) from None
    return Prior(name, float(low), float(high), bool(log))


def _check_hazard_corners(priors: list[Prior], *, file) -> None:
    """Every prior at its upper bound must still give valid hazards (totals <= 1 per level)."""
    from .posterior import row_overrides

    hazard = [p for p in priors if p.name.startswith("hazards.")]
    if not hazard:
        return
    overrides = row_overrides(pd.Series({p.name: p.high for p in hazard}, dtype=float))
    try:
        Parameters.build(overrides)
    except ConfigError as exc:
        raise ConfigError("the priors allow hazards whose total leaves a level with probability above 1",
                          file=file, key=f"priors.{exc.key}", found=exc.found,
                          expected="lower upper bounds for the hazards of that domain") from None


# ----------------------------------------------------------------------------- loading
def load_config(path: str | Path) -> CalibrationConfig:
    """Read and validate a calibration config; raise ConfigError naming the key and the file."""
    from ..files import read_toml

    path = Path(path)
    data = read_toml(path, what="calibration config")
    return config_from_dict(data, file=path.resolve())


def config_from_dict(data: dict, *, file: Path | None = None) -> CalibrationConfig:
    here = file.parent if file is not None else Path.cwd()
    for section in data:
        if section not in SECTIONS:
            raise _err("unknown section", file=file, key=section, found=section,
                       expected=", ".join(SECTIONS), hint=suggest(section, SECTIONS))
    cfg: dict[str, dict] = {}
    for section, keys in SECTIONS.items():
        body = data.get(section, {})
        if not isinstance(body, dict):
            raise _err("wrong type", file=file, key=section, found=body, expected="a table")
        if keys is None:
            cfg[section] = dict(body)
            continue
        merged = dict(DEFAULTS.get(section, {}))
        for key, value in body.items():
            dotted = f"{section}.{key}"
            if key not in keys:
                raise _err("unknown key", file=file, key=dotted, found=key, expected=f"one of {', '.join(keys)}",
                           hint=suggest(key, keys))
            merged[key] = _check_type(value, keys[key], file=file, key=dotted)
        cfg[section] = merged

    cal, model, method, run = cfg["calibration"], cfg["model"], cfg["method"], cfg["run"]

    def bad(key, message, value, expected):
        return _err(message, file=file, key=key, found=value, expected=expected)

    # targets
    if "targets_file" not in cal:
        raise bad("calibration.targets_file", "no targets file", None, "a targets CSV, e.g. targets_nl.csv")
    targets_file = (here / cal["targets_file"]).resolve()
    if not targets_file.is_file():
        raise bad("calibration.targets_file", "targets file not found", str(targets_file),
                  "a targets CSV relative to the config file")
    all_targets = load_targets(targets_file)
    names = all_targets["name"].tolist()
    excluded = cal["excluded"]
    for name, reason in excluded.items():
        if name not in names:
            raise bad(f"calibration.excluded.{name}", "unknown target", name, f"a target of {targets_file.name}: "
                      f"{', '.join(names)}")
        if not isinstance(reason, str) or not reason.strip():
            raise bad(f"calibration.excluded.{name}", "an excluded target needs a reason", reason, "a string")
    if "targets" in cal:
        chosen = cal["targets"]
        for name in chosen:
            if not isinstance(name, str) or name not in names:
                raise _err("unknown target", file=file, key="calibration.targets", found=name,
                           expected=f"a target of {targets_file.name}: {', '.join(names)}",
                           hint=suggest(str(name), names))
            if name in excluded:
                raise bad("calibration.targets", "target both used and excluded", name,
                          "each target either in targets or in [calibration.excluded]")
        if len(set(chosen)) != len(chosen):
            raise bad("calibration.targets", "a target is listed twice", chosen, "each target once")
    else:
        chosen = [n for n in names if n not in excluded]
    if not chosen:
        raise bad("calibration.targets", "no targets to calibrate on", [], "at least one target")
    targets = all_targets.set_index("name").loc[chosen].reset_index()
    for _, row in all_targets.iterrows():
        if row["statistic"] not in STATISTICS:
            raise _err("the model reports no such statistic", file=targets_file, key=f"{row['name']}.statistic",
                       found=row["statistic"], expected=", ".join(sorted(STATISTICS)),
                       hint=suggest(row["statistic"], STATISTICS))
    dup = targets["statistic"][targets["statistic"].duplicated()].tolist()
    if dup:
        raise bad("calibration.targets", "two targets report the same statistic", dup, "one target per statistic")

    # model
    leaves = default_leaves()
    burn = model.get("burn_in_years", float(leaves["burn_in_years"].value))
    if model["households"] < 50:
        raise bad("model.households", "population too small", model["households"], "at least 50 households")
    if burn < 0:
        raise bad("model.burn_in_years", "negative burn-in", burn, "0 or more years")
    if model["years"] < 1:
        raise bad("model.years", "too few years", model["years"], "at least 1 reported year")
    if not 1 <= model["window_months"] <= 12 * model["years"]:
        raise bad("model.window_months", "window outside the reported period", model["window_months"],
                  f"1 to {12 * model['years']} months")
    yearly = [n for n, s in zip(all_targets["name"], all_targets["statistic"])
              if STATISTICS[s].agg == "sum" and n in chosen]
    if yearly and model["window_months"] != 12:
        raise bad("model.window_months", "yearly targets need a 12-month window", model["window_months"],
                  f"12 (targets {', '.join(yearly)} sum their statistic over the window)")
    if not 1900 <= model["start_year"] <= 2200:
        raise bad("model.start_year", "implausible start year", model["start_year"], "a calendar year")

    # method
    for key, low in (("waves", 1), ("n_per_wave", 2), ("replications", 1), ("check_replications", 1)):
        if method[key] < low:
            raise bad(f"method.{key}", "too small", method[key], f"a whole number >= {low}")
    if method["seed"] < 0:
        raise bad("method.seed", "negative seed", method["seed"], "a whole number >= 0")
    if not (math.isfinite(method["cutoff"]) and method["cutoff"] > 0):
        raise bad("method.cutoff", "bad cutoff", method["cutoff"], "a positive number (3 by convention)")
    eps = method["abc_epsilon"]
    if isinstance(eps, str):
        if eps != "none":
            raise bad("method.abc_epsilon", "bad ABC threshold", eps, 'a positive number or "none"')
        eps = None
    elif not (math.isfinite(eps) and eps > 0):
        raise bad("method.abc_epsilon", "bad ABC threshold", eps, 'a positive number or "none"')
    if method["refocus"] not in ("box", "box+nn"):
        raise bad("method.refocus", "unknown refocus", method["refocus"], '"box" or "box+nn"')

    # run
    if run["workers"] < 0:
        raise bad("run.workers", "negative number of workers", run["workers"], "0 (all cores) or more")

    # priors
    if not cfg["priors"]:
        raise bad("priors", "no parameters to calibrate", {}, 'at least one entry like "hazards.finance.onset" = [low, high]')
    priors = [_parse_prior(str(name), spec, file=file, leaves=leaves) for name, spec in cfg["priors"].items()]
    for p in priors:
        base, index = parse_prior_key(p.name)
        if index is None and any(parse_prior_key(q.name)[0] == base and q.name != p.name for q in priors):
            raise bad(f"priors.{p.name}", "a list parameter and one of its elements both calibrated", p.name,
                      "either the elements or nothing of it")
    _check_hazard_corners(priors, file=file)

    output = (here / cal["output"]).resolve() if cal["output"] else PROJECT_CALIBRATION_DIR
    store = (here / run["store"]).resolve() if run["store"] else None
    return CalibrationConfig(
        file=file, name=cal["name"], description=cal["description"], targets_file=targets_file,
        targets=targets, all_targets=all_targets, excluded=dict(excluded), output=output,
        households=model["households"], start_year=model["start_year"], burn_in_years=float(burn),
        years=model["years"], window_months=model["window_months"], waves=method["waves"],
        n_per_wave=method["n_per_wave"], replications=method["replications"], seed=method["seed"],
        cutoff=float(method["cutoff"]), abc_epsilon=eps, refocus=method["refocus"],
        check_replications=method["check_replications"], workers=run["workers"], scheduler=run["scheduler"],
        store=store, priors=tuple(priors))
