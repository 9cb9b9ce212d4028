"""`sim sweep CONFIG`: a Sobol or Morris sensitivity sweep of the whole model, resumable.

A sweep config (TOML; see experiments/sweep-small.toml and docs/sensitivity.md, "Sweeping the
model") names an experiment config (population, horizon, seed, scenarios), the scenario to
compare against the experiment's baseline, the method, the design size and the parameters with
their ranges. Everything is validated before the first run.

Layout of a sweep folder::

    results/.sweep-<name>-<stamp>/      while running (the run store; resume from here)
        sweep.json                      resolved config + design metadata: all a resume needs
        design.csv                      the design (index "run")
        sessions.json                   start/end of every session (first run, resumes)
        runs/                           one stored result per model evaluation (sim.run.store)
    results/<name>-<stamp>/             the same folder, renamed into place when complete, plus
        manifest.json outputs.csv indices.csv (Sobol) | morris.csv (Morris) s2.csv (optional)
        oneway.csv charts/

Why the store lives inside the sweep folder: a sweep is one unit of work; its runs, design and
results travel and get archived together, and a resumed sweep can never pick up runs of another
design. Why the whole folder is renamed at the end (as `sim run` does): a folder without the
`.sweep-` prefix is always complete.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..files import folder_lock, read_toml, write_text_atomic

__all__ = ["add_parser", "load_sweep", "run_sweep", "SWEEP_KEYS", "PARAMETER_KEYS", "METHODS"]

METHODS = ("sobol", "morris")
SEEDING = ("common", "per_block")
APPLIES_TO = ("both", "scenario")
SWEEP_KEYS = {
    "name": str, "description": str, "experiment": str, "scenario": str, "method": str, "n": int, "seed": int,
    "calc_second_order": bool, "levels": int, "num_resamples": int, "outputs": list, "seeding": str,
    "oneway": bool, "set": dict,
}
PARAMETER_KEYS = {"range": list, "scale": bool, "applies_to": str}
DEFAULT_OUTPUTS = ["npv", "break_even_year", "net_cost_municipality", "net_cost_health_insurer", "multiproblem_end"]
#: Outputs that are NaN by design in some runs, and the finite stand-in the indices use.
ANALYSED_AS = {"break_even_year": "break_even_year_capped"}
INDICES_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]

SWEEP_FILE, DESIGN_FILE, SESSIONS_FILE, RUNS_DIR = "sweep.json", "design.csv", "sessions.json", "runs"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".sweep-"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$")
_TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}


# =====================================================================================  config
def _line_of(path: Path, *needles: str, key: str | None = None) -> int | None:
    """Best-effort line of the first needle found (outside comments), else of ``key = ...``."""
    try:
        lines = [line.split("#", 1)[0] for line in Path(path).read_text("utf-8").splitlines()]
    except (OSError, TypeError):
        return None
    for needle in needles:
        if needle:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    if key:
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return number
    return None


def _err(message: str, *, file: Path, key: str | None = None, found=None, expected=None, hint=None,
         needles: tuple = ()) -> ConfigError:
    line = _line_of(file, *needles, key=key.split(".")[-1] if key else None)
    return ConfigError(message, file=file, key=key, line=line, found=found, expected=expected, hint=hint)


def _check_type(value, kind, *, file: Path, key: str):
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise _err("wrong type", file=file, key=key, found=value, expected=_TYPE_NAMES[kind])
    return value


def _check_choice(value, allowed, *, file: Path, key: str, what: str, needles: tuple = ()):
    """`value` must be one of `allowed`; otherwise an error that lists them and suggests one."""
    if value not in allowed:
        raise _err(f"unknown {what}", file=file, key=key, found=value, expected=" | ".join(allowed),
                   hint=_suggest(value, allowed), needles=needles)
    return value


def _suggest(key: str, candidates) -> str | None:
    from ..params import suggest

    return suggest(key, candidates)


def _flatten_set(tree: Mapping, prefix: str = "") -> dict:
    """[sweep.set] as dotted keys; nested tables and quoted dotted keys both work.

    A table under a parameter key (a by-year budget) is kept whole.
    """
    from ..params import default_leaves

    leaves = default_leaves()
    out = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        param = re.sub(r"^(parameters\.|scenarios\.[^.]+\.)", "", dotted)
        if isinstance(value, dict) and param not in leaves:
            out.update(_flatten_set(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def _flatten_parameters(tree: Mapping, leaves: Mapping, *, file: Path, prefix: str = "") -> dict:
    """[parameters."a.b"] and [parameters.a.b] both give {"a.b": {range, scale, applies_to}}."""
    out: dict[str, dict] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if not isinstance(value, dict):
            raise _err("a sweep parameter must be a table", file=file, key=f"parameters.{dotted}", found=value,
                       expected='a table, e.g. [parameters."prevention.escalation_reduction"] with '
                                "optional range = [low, high], scale, applies_to",
                       needles=(dotted,))
        if dotted in leaves or not value or any(k in PARAMETER_KEYS for k in value):
            if dotted in out:
                raise _err("parameter listed twice", file=file, key=f"parameters.{dotted}", needles=(dotted,))
            out[dotted] = value
        else:
            for sub, spec in _flatten_parameters(value, leaves, file=file, prefix=dotted + ".").items():
                if sub in out:
                    raise _err("parameter listed twice", file=file, key=f"parameters.{sub}", needles=(sub,))
                out[sub] = spec
    return out


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


def _all_numbers(value) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_all_numbers(v) for v in value)
    return _is_number(value)


def _all_ints(value) -> bool:
    if isinstance(value, list):
        return all(_all_ints(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _flat_numbers(value) -> list[float]:
    if isinstance(value, list):
        return [x for v in value for x in _flat_numbers(v)]
    return [float(value)]


def _resolve_parameter(key: str, body: Mapping, leaf, *, file: Path, scenario_sets: bool, base_b, base_s) -> dict:
    """One [parameters."key"] table -> its resolved spec (range, scale, integer, applies_to)."""
    where = f"parameters.{key}"
    for k in body:
        if k not in PARAMETER_KEYS:
            raise _err("unknown key", file=file, key=f"{where}.{k}", found=k,
                       expected=f"one of {', '.join(PARAMETER_KEYS)}", hint=_suggest(k, PARAMETER_KEYS),
                       needles=(f"{k} =", key))
        _check_type(body[k], PARAMETER_KEYS[k], file=file, key=f"{where}.{k}")
    default = leaf.value
    if isinstance(default, bool):
        raise _err("a switch cannot be sampled", file=file, key=where, found=default,
                   expected="a numeric parameter", hint="compare switched-on and -off runs as two scenarios",
                   needles=(key,))
    if isinstance(default, str):
        raise _err("a choice cannot be sampled", file=file, key=where, found=default, expected="a numeric parameter",
                   hint="compare the choices as scenarios", needles=(key,))
    if isinstance(default, dict):
        raise _err("a by-year table cannot be sampled", file=file, key=where, expected="a numeric parameter",
                   hint="sample levers.prevention.per_household or .fixed instead", needles=(key,))
    is_list = isinstance(default, list)
    if is_list and not _all_numbers(default):
        raise _err("only numeric list parameters can be sampled", file=file, key=where, needles=(key,))
    scale = body.get("scale", True if is_list else False)
    if is_list and not scale:
        raise _err("a list parameter can only be sampled as a factor on the whole list", file=file,
                   key=f"{where}.scale", found=False, expected="scale = true (or leave scale out)",
                   needles=("scale", key))
    integer = _all_ints(default)

    if "range" in body:
        rng = body["range"]
        if len(rng) != 2 or not all(_is_number(v) for v in rng):
            raise _err("a range is two finite numbers", file=file, key=f"{where}.range", found=rng,
                       expected="[low, high]", needles=("range", key))
        low, high = float(rng[0]), float(rng[1])
        if not low < high:
            raise _err("range must have low < high", file=file, key=f"{where}.range", found=rng,
                       expected="[low, high] with low < high", needles=("range", key))
        range_from = "sweep config"
    else:
        if leaf.range is None:
            raise _err("the parameter has no default range in sim/params", file=file, key=f"{where}.range",
                       expected="range = [low, high]", needles=(key,))
        low, high = float(leaf.range[0]), float(leaf.range[1])
        if scale and not is_list:
            raise _err("scale = true on a single number needs an explicit range (a factor range, e.g. [0.5, 2.0]); "
                       "the range in sim/params bounds the value itself", file=file, key=f"{where}.range",
                       expected="range = [low, high] as factors", needles=(key,))
        if is_list:
            values = _flat_numbers(default)
            if all(low <= v <= high for v in values):
                # The range could bound each element (e.g. cascades.matrix in [0, 2]): not a factor.
                raise _err("the range of this list in sim/params bounds its elements and cannot be read as a "
                           "factor", file=file, key=f"{where}.range", found=list(leaf.range),
                           expected="range = [low, high] as factors on the whole list, e.g. [0.5, 1.5]",
                           needles=(key,))
        range_from = "sim/params"
    if "applies_to" in body:
        applies_to = _check_choice(body["applies_to"], APPLIES_TO, file=file, key=f"{where}.applies_to",
                                   what="value", needles=("applies_to",))
    else:
        # A lever the scenario sets (and the baseline does not share) is the policy under test.
        applies_to = "scenario" if scenario_sets and base_b.get(key, default) != base_s.get(key, default) else "both"
    return {
        "range": [low, high],
        "range_from": range_from,
        "scale": bool(scale),
        "integer": bool(integer),
        "applies_to": applies_to,
        "unit": "factor on " + leaf.unit if scale else leaf.unit,
        "value": {"baseline": base_b.get(key, default), "scenario": base_s.get(key, default)},
        "default": default,
    }


def load_sweep(path) -> dict:
    """Read and validate a sweep config; return the resolved sweep as a JSON-serialisable dict.

    Raises :class:`sim.errors.ConfigError` naming the file and key of the first problem.
    Nothing is written.
    """
    from ..params.posterior import parameter_draws
    from ..config import load as load_experiment
    from ..params import default_leaves
    from .model import OUTPUTS

    file = Path(path).resolve()
    data = read_toml(file, what="sweep config")
    for section in data:
        if section not in ("sweep", "parameters"):
            raise _err("unknown section", file=file, key=section, expected="[sweep] and [parameters.\"...\"]",
                       hint=_suggest(section, ["sweep", "parameters"]), needles=(f"[{section}", section))
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        raise _err("missing [sweep] table", file=file, key="sweep", expected="a [sweep] table with experiment, n, ...")
    for key, value in sweep.items():
        if key not in SWEEP_KEYS:
            raise _err("unknown key", file=file, key=f"sweep.{key}", found=key,
                       expected=f"one of {', '.join(SWEEP_KEYS)}", hint=_suggest(key, SWEEP_KEYS),
                       needles=(f"{key} =", f"{key}="))
        _check_type(value, SWEEP_KEYS[key], file=file, key=f"sweep.{key}")

    name = sweep.get("name", file.stem)
    if not _NAME_RE.match(name):
        raise _err("not usable as a folder name", file=file, key="sweep.name", found=name,
                   expected="letters, digits, '.', '_' or '-', starting with a letter or digit")
    method = _check_choice(sweep.get("method", "sobol"), METHODS, file=file, key="sweep.method", what="method")
    if "n" not in sweep:
        raise _err("missing key", file=file, key="sweep.n",
                   expected="the base sample size (a power of two) for sobol, or the number of trajectories for morris")
    n = sweep["n"]
    if method == "sobol" and (n < 2 or n & (n - 1)):
        lower = 2 ** max(1, int(math.log2(max(n, 2))))
        raise _err("n must be a power of two for Sobol", file=file, key="sweep.n", found=n,
                   expected=f"a power of two >= 2, e.g. {lower} or {2 * lower}")
    if method == "morris" and n < 2:
        raise _err("Morris needs at least 2 trajectories", file=file, key="sweep.n", found=n, expected="n >= 2")
    seed = sweep.get("seed", 1)
    if seed < 0:
        raise _err("negative seed", file=file, key="sweep.seed", found=seed, expected="a whole number >= 0")
    calc_second_order = sweep.get("calc_second_order", False)
    if calc_second_order and method != "sobol":
        raise _err("second-order indices need method = \"sobol\"", file=file, key="sweep.calc_second_order",
                   found=True, expected="false for morris")
    if "levels" in sweep and method != "morris":
        raise _err("levels is a Morris setting", file=file, key="sweep.levels", expected="no levels for sobol")
    levels = sweep.get("levels", 4)
    if levels < 2 or levels % 2:
        raise _err("Morris levels must be even", file=file, key="sweep.levels", found=levels,
                   expected="an even whole number >= 2 (4 is usual)")
    num_resamples = sweep.get("num_resamples", 1000)
    if num_resamples < 2:
        raise _err("too few bootstrap resamples", file=file, key="sweep.num_resamples", found=num_resamples,
                   expected="a whole number >= 2 (1000 is usual)")
    seeding = _check_choice(sweep.get("seeding", "common"), SEEDING, file=file, key="sweep.seeding", what="seeding")
    outputs = sweep.get("outputs", list(DEFAULT_OUTPUTS))
    if not outputs:
        raise _err("no outputs", file=file, key="sweep.outputs", found=outputs, expected="a list of output names")
    for out in outputs:
        if not isinstance(out, str) or out not in OUTPUTS:
            raise _err("unknown output", file=file, key="sweep.outputs", found=out,
                       expected="one of " + ", ".join(OUTPUTS),
                       hint=_suggest(str(out), OUTPUTS), needles=(f'"{out}"', "outputs"))
    if len(set(outputs)) != len(outputs):
        raise _err("output listed twice", file=file, key="sweep.outputs", found=outputs)

    # ---------------------------------------------------------------- experiment
    if "experiment" not in sweep:
        raise _err("missing key", file=file, key="sweep.experiment",
                   expected="the experiment config (path relative to this file), e.g. \"default.toml\"")
    exp_file = (file.parent / sweep["experiment"]).resolve()
    if not exp_file.is_file():
        raise _err("experiment config not found", file=file, key="sweep.experiment", found=sweep["experiment"],
                   expected=f"a TOML file (looked for {exp_file})")
    load_experiment(exp_file)  # errors in the experiment file itself name that file
    sets = _flatten_set(sweep.get("set", {}))
    try:
        exp = load_experiment(exp_file, sets=sets)
    except ConfigError as err:
        raise ConfigError(err.message, file=file, key=f"sweep.set.{err.key}" if err.key else "sweep.set",
                          line=_line_of(file, *(err.key or "").split(".")[:1], key="set"), found=err.found,
                          expected=err.expected, hint=err.hint) from None
    baseline = exp.baseline
    others = [s for s in exp.scenarios if s != baseline]
    if "scenario" in sweep:
        scenario = sweep["scenario"]
        if scenario not in others:
            raise _err("unknown scenario", file=file, key="sweep.scenario", found=scenario,
                       expected=f"a scenario of {exp_file.name} other than the baseline: {', '.join(others) or 'none'}",
                       hint=_suggest(scenario, others))
    elif len(others) == 1:
        scenario = others[0]
    else:
        raise _err("missing key", file=file, key="sweep.scenario",
                   expected=f"one of {', '.join(others)} (compared against the baseline {baseline!r})")
    draws = parameter_draws(exp)
    if draws.mode == "sample":
        raise _err("run.posterior = \"sample\" draws parameters per replication, which a sweep does itself",
                   file=file, key="sweep.set", found="sample",
                   expected='"run.posterior" = "mean" or "none" in [sweep.set]')
    base_b = {**draws.overrides_for(baseline, 0), **exp.scenario_overrides(baseline)}
    base_s = {**draws.overrides_for(scenario, 0), **exp.scenario_overrides(scenario)}

    # ---------------------------------------------------------------- parameters
    leaves = default_leaves()
    raw = data.get("parameters")
    if not isinstance(raw, dict) or not raw:
        raise _err("no parameters to sweep", file=file, key="parameters",
                   expected='at least one table like [parameters."prevention.escalation_reduction"]')
    flat = _flatten_parameters(raw, leaves, file=file)
    parameters = {}
    for key, body in flat.items():
        if key not in leaves:
            raise _err("unknown parameter", file=file, key=f"parameters.{key}", found=key,
                       expected="a parameter defined in sim/params (`sim params` lists them)",
                       hint=_suggest(key, leaves), needles=(key,))
        parameters[key] = _resolve_parameter(key, body, leaves[key], file=file,
                                             scenario_sets=key in exp.scenarios[scenario].overrides,
                                             base_b=base_b, base_s=base_s)

    spec = {
        "name": name,
        "description": sweep.get("description", ""),
        "method": method,
        "n": n,
        "seed": seed,
        "calc_second_order": bool(calc_second_order),
        "levels": levels if method == "morris" else None,
        "num_resamples": num_resamples,
        "seeding": seeding,
        "oneway": bool(sweep.get("oneway", True)),
        "outputs": list(outputs),
        "set": sets,
        "experiment": {
            "name": exp.name,
            "config_hash": exp.config_hash,
            "resolved": exp.resolved,
            "baseline": baseline,
            "scenario": scenario,
            "households": exp.households,
            "start_year": exp.start_year,
            "years": exp.years,
            "seed": exp.seed,
            "discount_rate": exp.discount_rate,
            "workers": exp.workers,
            "posterior": {k: v for k, v in draws.describe().items() if k != "file"},
        },
        "base_overrides": {"baseline": base_b, "scenario": base_s},
        "parameters": parameters,
    }
    spec = json.loads(json.dumps(spec, default=_json_default))  # plain JSON types, as stored
    spec["config_hash"] = config_hash(spec)
    spec["files"] = {"sweep": str(file), "experiment": str(exp_file), "posterior": draws.path}
    check_runs(spec, file=file)
    return spec


def _json_default(o):
    import numpy as np

    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


#: Settings that only change the analysis, not any run: a sweep can be re-analysed with new ones.
ANALYSIS_KEYS = ("outputs", "num_resamples", "description")


def runs_hash(spec: Mapping) -> str:
    """Hash of what the stored runs depend on (the config without :data:`ANALYSIS_KEYS`)."""
    return config_hash({k: v for k, v in spec.items() if k not in ANALYSIS_KEYS})


def _differences(old: Mapping, new: Mapping) -> str:
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in ("config_hash", "files") and old.get(k) != new.get(k)]
    return ", ".join(keys) or "nothing"


def config_hash(spec: Mapping) -> str:
    """Hash of the resolved sweep (not of file paths): what the runs depend on."""
    body = {k: v for k, v in spec.items() if k not in ("config_hash", "files")}
    text = json.dumps(body, sort_keys=True, default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# =====================================================================================  design & tasks
def bounds_of(spec: Mapping) -> dict[str, tuple[float, float]]:
    return {k: (float(p["range"][0]), float(p["range"][1])) for k, p in spec["parameters"].items()}


def make_design(spec: Mapping):
    from . import sample

    bounds = bounds_of(spec)
    if spec["method"] == "sobol":
        return sample.saltelli(bounds, spec["n"], seed=spec["seed"], calc_second_order=spec["calc_second_order"])
    return sample.morris(bounds, spec["n"], seed=spec["seed"], levels=spec["levels"])


def block_size(spec: Mapping) -> int:
    k = len(spec["parameters"])
    if spec["method"] == "morris":
        return k + 1
    return 2 * k + 2 if spec["calc_second_order"] else k + 2


def run_key(run: int) -> str:
    return f"run-{int(run):06d}"


def oneway_rows(spec: Mapping) -> list[tuple[str, dict]]:
    """(key, row) of the one-way runs: every parameter at its low and high bound, others at defaults."""
    if not spec["oneway"]:
        return []
    rows = [("oneway__reference", {})]
    for key, p in spec["parameters"].items():
        rows.append((f"oneway__{key}__low", {key: float(p["range"][0])}))
        rows.append((f"oneway__{key}__high", {key: float(p["range"][1])}))
    return rows


def _eval_kwargs(spec: Mapping) -> dict:
    e = spec["experiment"]
    return {
        "parameters": {k: {"scale": p["scale"], "integer": p["integer"], "applies_to": p["applies_to"]}
                       for k, p in spec["parameters"].items()},
        "baseline": {"name": e["baseline"], "overrides": spec["base_overrides"]["baseline"]},
        "scenario": {"name": e["scenario"], "overrides": spec["base_overrides"]["scenario"]},
        "households": e["households"],
        "start_year": e["start_year"],
        "years": e["years"],
        "seed": e["seed"],
        "discount_rate": e["discount_rate"],
        "defaults": {k: p["default"] for k, p in spec["parameters"].items() if p["scale"]},
    }


def make_tasks(spec: Mapping, design) -> list:
    """One Task per design row (key ``run-NNNNNN`` from the design's run index), then the one-way runs."""
    from ..run.executor import Task

    common = _eval_kwargs(spec)
    block = block_size(spec)
    tasks = []
    for run, row in zip(design.index, design.to_dict("records")):
        replication = 0 if spec["seeding"] == "common" else int(run) // block
        tasks.append(Task(run_key(run), {**common, "row": {k: float(v) for k, v in row.items()},
                                         "replication": replication}))
    for key, row in oneway_rows(spec):
        tasks.append(Task(key, {**common, "row": row, "replication": 0}))
    return tasks


def check_runs(spec: Mapping, *, file=None) -> None:
    """Build the model parameters of the extreme runs before anything runs.

    Checked for both runs: the defaults, each parameter alone at its low and high bound, and all
    parameters at their low (high) bounds together. Every design row lies inside this box, and
    the model's constraints (value ranges per element, hazard sums per level) are monotone in
    each parameter, so these corners catch an invalid range up front; a run that still fails
    stops the sweep with the key of its design row (its finished runs stay stored).
    """
    from ..params import Parameters
    from .model import run_overrides

    kw = _eval_kwargs(spec)
    params, defaults = kw["parameters"], kw["defaults"]
    file = file or spec.get("files", {}).get("sweep")
    low = {k: float(p["range"][0]) for k, p in spec["parameters"].items()}
    high = {k: float(p["range"][1]) for k, p in spec["parameters"].items()}
    cases = [(key, side, {key: bound[key]}) for key in spec["parameters"] for side, bound in
             (("low", low), ("high", high))]
    cases += [(None, "low", low), (None, "high", high)]
    for which in ("baseline", "scenario"):
        base = kw[which]["overrides"]
        for key, side, row in cases:
            try:
                Parameters.build(run_overrides(row, params, base, which, defaults))
            except ConfigError as err:
                what = (f"parameter at its {side} bound" if key else
                        f"all parameters at their {side} bounds together")
                raise ConfigError(f"the {which} run is invalid with this {what}: {err.message}"
                                  + (f" (at {err.key})" if err.key and err.key != key else ""),
                                  file=file, key=f"parameters.{key}.range" if key else "parameters",
                                  line=_line_of(file, key) if (file and key) else None,
                                  found=err.found, expected=err.expected, hint=err.hint) from None


# =====================================================================================  files

def _write_csv(path: Path, frame, **kwargs) -> None:
    write_text_atomic(path, frame.to_csv(**kwargs))




def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _read_json(path: Path):
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"damaged {path.name} ({err})", file=path,
                          expected="the file a sweep writes; start the sweep again") from None


def _unique(path: Path) -> Path:
    target, k = path, 2
    while target.exists():
        target = path.with_name(f"{path.name}-{k}")
        k += 1
    return target


# =====================================================================================  analysis
def analysed_outputs(spec: Mapping) -> list[str]:
    out = []
    for name in spec["outputs"]:
        name = ANALYSED_AS.get(name, name)
        if name not in out:
            out.append(name)
    return out


def _analyse(spec: Mapping, design, results: Mapping[str, Mapping], folder: Path, notes: list[str]) -> list[str]:
    """Write outputs.csv, indices.csv | morris.csv (+ s2.csv), oneway.csv and charts; return file names."""
    import numpy as np
    import pandas as pd

    from . import analyze
    from .model import OUTPUTS

    keys = [run_key(r) for r in design.index]
    Y = pd.DataFrame([{name: float(results[k][name]) for name in OUTPUTS} for k in keys], index=design.index)
    table = design.copy()
    block = block_size(spec)
    table.insert(0, "replication", [0 if spec["seeding"] == "common" else int(r) // block for r in design.index])
    table.insert(0, "key", keys)
    table = pd.concat([table, Y], axis=1)
    table.index.name = "run"
    written = ["outputs.csv"]
    _write_csv(folder / "outputs.csv", table)

    names = analysed_outputs(spec)
    params = list(spec["parameters"])
    frames, s2_frames = [], []
    for name in names:
        y = Y[[name]]
        bad = int((~np.isfinite(y[name].to_numpy())).sum())
        if bad:
            notes.append(f"output {name!r}: {bad} of {len(y)} runs are not finite (NaN); its indices are NaN")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if bad:
                res = None
            elif spec["method"] == "sobol":
                res = analyze.sobol(design, y, num_resamples=spec["num_resamples"])
            else:
                res = analyze.morris(design, y, num_resamples=spec["num_resamples"])
        for w in caught:
            text = str(w.message)
            notes.append(text if name in text else f"output {name!r}: {text}")
        if res is None:
            cols = INDICES_COLUMNS if spec["method"] == "sobol" else analyze.MORRIS_COLUMNS
            res = pd.DataFrame([[name, p] + [math.nan] * (len(cols) - 2) for p in params], columns=cols)
        else:
            numeric = list(res.columns[2:])
            void = ~np.isfinite(res[numeric].to_numpy(float)).all(axis=1)
            if void.any():
                # A nearly constant output: the A and B rows (or a bootstrap resample of them)
                # have zero variance and the ratio estimators divide by it. An estimate whose
                # interval is undefined is not reported: the whole row becomes NaN.
                res.loc[void, numeric] = math.nan
                notes.append(f"output {name!r}: the indices of {int(void.sum())} of {len(void)} parameters (or their "
                             "intervals) were not finite - the output hardly varies over the design's A and B rows - "
                             "and are reported as NaN; more runs (a larger n) or another output are needed")
            if spec["method"] == "sobol" and spec["calc_second_order"]:
                s2_frames.append(analyze.second_order(res))
        frames.append(res)
    result = pd.concat(frames, ignore_index=True)
    if spec["method"] == "sobol":
        result = result[INDICES_COLUMNS]
        _write_csv(folder / "indices.csv", result, index=False)
        written.append("indices.csv")
        if s2_frames:
            _write_csv(folder / "s2.csv", pd.concat(s2_frames, ignore_index=True), index=False)
            written.append("s2.csv")
    else:
        _write_csv(folder / "morris.csv", result, index=False)
        written.append("morris.csv")

    oneway = None
    if spec["oneway"]:
        ref = results["oneway__reference"]
        rows = []
        for name in names:
            for key, p in spec["parameters"].items():
                lo, hi = results[f"oneway__{key}__low"][name], results[f"oneway__{key}__high"][name]
                rows.append({"output": name, "parameter": key, "low": p["range"][0], "high": p["range"][1],
                             "scale": p["scale"], "reference": float(ref[name]), "output_low": float(lo),
                             "output_high": float(hi), "swing": abs(float(hi) - float(lo))})
        oneway = pd.DataFrame(rows)
        _write_csv(folder / "oneway.csv", oneway, index=False)
        written.append("oneway.csv")

    charts = folder / "charts"
    charts.mkdir(exist_ok=True)
    written += [f"charts/{p}" for p in _charts(spec, result, oneway, charts)]
    return written


# =====================================================================================  charts
_COLOURS = {"S1": "#0072B2", "ST": "#E69F00", "low": "#56B4E9", "high": "#D55E00", "ref": "#000000"}


def _save(fig, directory: Path, stem: str) -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    names = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None})):
        target = directory / f"{stem}.{ext}"
        tmp = directory / f".{stem}.{ext}.{os.getpid()}.tmp"
        fig.savefig(tmp, format=ext, dpi=110, metadata=meta)
        os.replace(tmp, target)
        names.append(target.name)
    return names


def _grid(n_panels: int, n_params: int):
    from matplotlib.figure import Figure

    cols = 1 if n_panels == 1 else 2
    rows = math.ceil(n_panels / cols)
    height = max(2.0, 0.4 * n_params + 1.2)
    fig = Figure(figsize=(6.4 * cols, height * rows + 0.9))
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n_panels)]
    return fig, axes


def _short(key: str) -> str:
    return key if len(key) <= 38 else "..." + key[-35:]


def _undefined(ax) -> None:
    ax.text(0.5, 0.5, "not defined\n(output constant or not finite; see manifest notes)", transform=ax.transAxes,
            ha="center", va="center", fontsize=9, color="#666666")


def _finish(fig, title: str, handles) -> None:
    fig.suptitle(title, fontsize=11)
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))


def _charts(spec: Mapping, result, oneway, directory: Path) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NaN bars of undefined outputs
        return _draw_charts(spec, result, oneway, directory)


def _draw_charts(spec: Mapping, result, oneway, directory: Path) -> list[str]:
    import numpy as np
    from matplotlib.patches import Patch
    from matplotlib.lines import Line2D

    names = list(dict.fromkeys(result["output"]))
    params = list(spec["parameters"])
    versus = f"{spec['experiment']['scenario']} vs {spec['experiment']['baseline']}"
    err = {"elinewidth": 1, "capsize": 2}
    written = []
    fig, axes = _grid(len(names), len(params))
    sobol = spec["method"] == "sobol"
    for ax, name in zip(axes, names):
        r = result[result["output"] == name].set_index("parameter").loc[params]
        first = "ST" if sobol else "mu_star"
        r = r.iloc[np.argsort(-np.nan_to_num(r[first].to_numpy(), nan=-np.inf), kind="stable")]
        y = np.arange(len(params))
        if sobol:
            ax.barh(y - 0.2, r["S1"].fillna(0), 0.4, xerr=r["S1_conf"].fillna(0), color=_COLOURS["S1"], error_kw=err)
            ax.barh(y + 0.2, r["ST"].fillna(0), 0.4, xerr=r["ST_conf"].fillna(0), color=_COLOURS["ST"], error_kw=err)
            ax.set_xlabel("share of output variance (95% interval)", fontsize=9)
            ax.axvline(0, color="#888888", linewidth=0.8)
        else:
            ax.barh(y, r["mu_star"].fillna(0), 0.6, xerr=r["mu_star_conf"].fillna(0), color=_COLOURS["S1"],
                    error_kw=err)
            ax.plot(r["sigma"], y, "o", color=_COLOURS["ST"])
            ax.set_xlabel("effect of a full-range change (output units)", fontsize=9)
        if r[first].isna().all():
            _undefined(ax)
        ax.set_yticks(y, [_short(p) for p in r.index])
        ax.invert_yaxis()
        ax.set_title(name, fontsize=10)
        ax.tick_params(labelsize=8)
    if sobol:
        handles = [Patch(color=_COLOURS["S1"], label="S1 (first order)"), Patch(color=_COLOURS["ST"], label="ST (total)")]
    else:
        handles = [Patch(color=_COLOURS["S1"], label="mu* (95% interval)"),
                   Line2D([], [], marker="o", linestyle="", color=_COLOURS["ST"], label="sigma")]
    _finish(fig, f"{spec['name']}: {'Sobol indices' if sobol else 'Morris screening'} ({versus})", handles)
    written += _save(fig, directory, "indices" if sobol else "morris")

    if oneway is not None:
        fig, axes = _grid(len(names), len(params))
        for ax, name in zip(axes, names):
            o = oneway[oneway["output"] == name].sort_values("swing", ascending=False, kind="stable", na_position="last")
            ref = float(o["reference"].iloc[0]) if len(o) else math.nan
            y = np.arange(len(o))
            if math.isfinite(ref):
                ax.barh(y - 0.18, o["output_low"] - ref, 0.36, left=ref, color=_COLOURS["low"])
                ax.barh(y + 0.18, o["output_high"] - ref, 0.36, left=ref, color=_COLOURS["high"])
                ax.axvline(ref, color=_COLOURS["ref"], linewidth=1)
            if not math.isfinite(ref) or o["swing"].fillna(0).eq(0).all():
                _undefined(ax) if not math.isfinite(ref) else ax.text(
                    0.5, 0.5, "no one-way effect", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                    color="#666666")
            labels = [f"{_short(p)} [{_fmt(lo)}, {_fmt(hi)}]{' (factor)' if sc else ''}"
                      for p, lo, hi, sc in zip(o["parameter"], o["low"], o["high"], o["scale"])]
            ax.set_yticks(y, labels)
            ax.invert_yaxis()
            ax.set_title(name, fontsize=10)
            ax.tick_params(labelsize=8)
        handles = [Patch(color=_COLOURS["low"], label="parameter at its low bound"),
                   Patch(color=_COLOURS["high"], label="parameter at its high bound"),
                   Line2D([], [], color=_COLOURS["ref"], label="all parameters at their defaults")]
        _finish(fig, f"{spec['name']}: one-way effects, others at their defaults ({versus}; one run each, same seed)",
                handles)
        written += _save(fig, directory, "tornado")
    return written


def _fmt(x: float) -> str:
    return f"{x:.4g}"


# =====================================================================================  running
def _summary_line(spec: Mapping, n_design: int, n_oneway: int) -> str:
    e = spec["experiment"]
    size = f"n={spec['n']}" if spec["method"] == "sobol" else f"r={spec['n']} trajectories"
    return (f"sweep {spec['name']}: {spec['method']} ({size}), {len(spec['parameters'])} parameters, "
            f"{n_design} design runs + {n_oneway} one-way runs; each run = {e['baseline']} + {e['scenario']}, "
            f"{e['households']:,} households x {e['years']} years")


def _session_seconds(sessions: list[dict], i: int, store: Path) -> float:
    """Wall time of session ``i``; for a killed one, up to its last stored run."""
    session = sessions[i]
    if session.get("seconds") is not None:
        return float(session["seconds"])
    started = dt.datetime.fromisoformat(session["started"]).timestamp()
    until = (dt.datetime.fromisoformat(sessions[i + 1]["started"]).timestamp() if i + 1 < len(sessions)
             else math.inf)
    last = started
    if store.is_dir():
        for entry in os.scandir(store):
            mtime = entry.stat().st_mtime
            if not entry.name.startswith(".") and mtime <= until:
                last = max(last, mtime)
    return max(0.0, last - started)


def run_sweep(config=None, *, resume=None, out="results", workers: int | None = None, scheduler=None,
              progress: bool = True, log=sys.stderr) -> Path:
    """Run (or resume) a sweep; return its finished results folder.

    ``config``: a sweep config path. ``resume``: a sweep's temporary folder (continue it) or its
    finished folder (recompute the analysis); ``config`` is then optional and, if given, must
    resolve to the same sweep.
    """
    if config is None and resume is None:
        raise ConfigError("nothing to do", expected="a sweep config, or --resume DIR")
    spec = load_sweep(config) if config is not None else None

    if resume is not None:
        folder = Path(resume).resolve()
        if not (folder / SWEEP_FILE).is_file():
            raise ConfigError("not a sweep folder", file=folder, expected=f"a folder with {SWEEP_FILE} "
                              f"(the {TEMP_PREFIX}... folder printed when the sweep started, or a finished sweep)")
        state = _read_json(folder / SWEEP_FILE)
        stored = state["spec"]
        if config_hash(stored) != stored["config_hash"]:
            raise ConfigError("sweep.json was edited", file=folder / SWEEP_FILE, key="spec",
                              expected="the file as the sweep wrote it")
        if spec is not None and spec["config_hash"] != stored["config_hash"]:
            if runs_hash(spec) != runs_hash(stored):
                raise ConfigError("the config differs from the sweep being resumed in what the runs depend on",
                                  file=spec["files"]["sweep"], found=_differences(stored, spec),
                                  expected="the same experiment, scenario, method, design and parameters",
                                  hint="resume without CONFIG to finish the stored sweep, or start a new sweep")
            # Only analysis settings changed (outputs, num_resamples, description): adopt them.
            print(f"analysis settings changed ({_differences(stored, spec)}); no run is repeated", file=log)
            state["spec"] = {**spec, "files": stored.get("files", spec["files"])}
            write_text_atomic(folder / SWEEP_FILE, json.dumps(state, indent=2, default=_json_default))
        spec = state["spec"]
        check_runs(spec)
        finished_folder = (folder / MANIFEST).is_file()
        design = make_design(spec)
        _check_design(folder, design)
        stamp = state["stamp"]
        print(_summary_line(spec, len(design), len(oneway_rows(spec))), file=log)
        print(("re-analysing finished sweep " if finished_folder else "resuming sweep in ") + str(folder), file=log)
    else:
        design = make_design(spec)
        started = dt.datetime.now(dt.timezone.utc)
        stamp = started.strftime("%Y%m%dT%H%M%S")
        root = Path(out)
        root.mkdir(parents=True, exist_ok=True)
        folder = _unique(root / f"{TEMP_PREFIX}{spec['name']}-{stamp}").resolve()
        folder.mkdir()
        state = {"format": 1, "stamp": stamp, "created": started.isoformat(), "spec": spec,
                 "design": design.attrs["sensitivity"]}
        write_text_atomic(folder / SWEEP_FILE, json.dumps(state, indent=2, default=_json_default))
        _write_csv(folder / DESIGN_FILE, design)
        finished_folder = False
        print(_summary_line(spec, len(design), len(oneway_rows(spec))), file=log)
    if not finished_folder:
        print(f"run store: {folder / RUNS_DIR}\n"
              f"if interrupted, resume with: sim sweep --resume {folder}", file=log)
    log.flush()

    with folder_lock(folder) as lock:
        return _run_locked(spec, design, state, folder, stamp, finished_folder, lock, workers=workers,
                           scheduler=scheduler, progress=progress, log=log)


def _run_locked(spec, design, state, folder, stamp, finished_folder, lock, *, workers, scheduler, progress, log):
    """The rest of run_sweep, with the folder locked against a second resume."""
    from ..run.executor import run_tasks
    from ..manifest import code_hash, package_versions, git_commit
    from .model import evaluate

    tasks = make_tasks(spec, design)
    sessions_path = folder / SESSIONS_FILE
    sessions = _read_json(sessions_path) if sessions_path.is_file() else []
    from ..run.resources import check_workers

    n_workers = check_workers(workers if workers is not None else spec["experiment"]["workers"], len(tasks),
                              key="--workers" if workers is not None else "run.workers")
    session = {"started": _now(), "finished": None, "seconds": None,
               "workers": None if scheduler is not None else (n_workers or "all cores"),
               "scheduler": str(scheduler) if scheduler is not None else None, "code_hash": code_hash()}
    earlier = {s.get("code_hash") for s in sessions} - {None, session["code_hash"]}
    code_note = None
    if earlier:
        code_note = ("the model code (sim/**/*.py, sim/params) changed since an earlier session of this sweep: "
                     "runs stored before and after may come from different models")
        print(f"warning: {code_note}", file=log)
    sessions.append(session)
    write_text_atomic(sessions_path, json.dumps(sessions, indent=2))
    store = folder / RUNS_DIR
    before = set(os.listdir(store)) if store.is_dir() else set()
    t0 = time.perf_counter()
    results = run_tasks(evaluate, tasks, workers=n_workers or None, scheduler=scheduler, store=store,
                        progress=progress, desc=spec["name"])
    stored_before = {f.rsplit(".", 1)[0] for f in before if not f.startswith(".")}
    session["computed"] = sum(1 for t in tasks if t.key not in stored_before)

    notes: list[str] = []
    written = _analyse(spec, design, results, folder, notes)
    notes = list(dict.fromkeys(([code_note] if code_note else []) + notes))
    for note in notes:
        print(f"note: {note}", file=log)
    session["seconds"] = round(time.perf_counter() - t0, 3)
    session["finished"] = _now()
    write_text_atomic(sessions_path, json.dumps(sessions, indent=2))

    e = spec["experiment"]
    manifest = {
        "sweep": spec["name"],
        "kind": "sensitivity sweep",
        "config": spec,
        "config_file": spec.get("files", {}).get("sweep"),
        "config_hash": spec["config_hash"],
        "experiment_config_hash": e["config_hash"],
        "design": state.get("design", design.attrs["sensitivity"]),
        "runs": {"design": len(design), "oneway": len(tasks) - len(design), "total": len(tasks),
                 "computed_this_session": session["computed"]},
        "seeds": {
            "design": spec["seed"],
            "model_root": e["seed"],
            "seeding": spec["seeding"],
            "scheme": ("baseline and scenario of every run share one seed (common random numbers): "
                       "replication_seed(model_root, replication), "
                       + ("replication 0 for every design row and one-way run"
                          if spec["seeding"] == "common" else
                          f"replication = run // {block_size(spec)} (one seed per design block); "
                          "one-way runs use replication 0")),
            "bootstrap": "derived from the design seed (sim.sensitivity.analyze)",
        },
        "outputs": spec["outputs"],
        "outputs_analysed": analysed_outputs(spec),
        "files": sorted(written + [DESIGN_FILE, SWEEP_FILE, SESSIONS_FILE, MANIFEST]),
        "notes": notes,
        "package_versions": package_versions(),
        "git_commit": git_commit(),
        "started": sessions[0]["started"],
        "finished": session["finished"],
        "seconds": round(sum(_session_seconds(sessions, i, store) for i in range(len(sessions))), 3),
        "sessions": sessions,
    }
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2, default=_json_default))
    if finished_folder:
        return folder
    name = folder.name
    final_name = name[len(TEMP_PREFIX):] if name.startswith(TEMP_PREFIX) else f"{spec['name']}-{stamp}"
    target = _unique(folder.parent / final_name)
    lock.unlink(missing_ok=True)  # the lock stays behind; the folder moves
    os.replace(folder, target)
    return target


def _check_design(folder: Path, design) -> None:
    import numpy as np
    import pandas as pd

    stored = pd.read_csv(folder / DESIGN_FILE, index_col="run")
    if list(stored.columns) != list(design.columns) or len(stored) != len(design) or not np.allclose(
            stored.to_numpy(float), design.to_numpy(float), rtol=1e-12, atol=0.0):
        raise ConfigError("the design regenerated from sweep.json differs from the stored design.csv "
                          "(a different scipy or code version?)", file=folder / DESIGN_FILE,
                          expected="the same design as when the sweep started",
                          hint="finish the sweep with the software it started with")


# =====================================================================================  CLI
def cmd_sweep(args) -> int:
    from ..run.executor import TaskError

    from ..run.resources import check_workers

    check_workers(args.workers, 1)  # checked once more, against the number of runs, in run_sweep
    try:
        folder = run_sweep(args.config, resume=args.resume, out=args.out, workers=args.workers,
                           scheduler=args.scheduler, progress=not args.quiet)
    except TaskError as exc:
        print(f"error: {exc}\nfinished runs are kept; fix the cause and resume with --resume "
              "(the folder printed at the start)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; finished runs are kept: resume with --resume (the folder printed at the start)",
              file=sys.stderr)
        return 130
    print(folder)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep", help="Sobol/Morris sensitivity sweep of the model (resumable); prints the results folder last",
        description="Run a sensitivity sweep described by a sweep config (see docs/sensitivity.md, "
                    "'Sweeping the model'). The run store is a hidden folder next to the results, printed "
                    "at the start; --resume continues it after a crash or kill.")
    p.add_argument("config", nargs="?", default=None, help="sweep config (TOML); optional with --resume")
    p.add_argument("--resume", metavar="DIR", default=None,
                   help="continue a killed sweep (its .sweep-... folder) or re-analyse a finished one")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local processes (default: run.workers of the experiment; 0 = all cores; 1 = serial)")
    p.add_argument("--scheduler", default=None, metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--out", default="results", metavar="DIR",
                   help="folder for results (default: results; ignored with --resume)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sweep)
