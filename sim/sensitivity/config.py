"""Reading a sweep config: validated before the first run, resolved into the spec a sweep folder
keeps (`sweep.json`) and a resume reads back.

A sweep config (TOML; see experiments/sweep-small.toml and docs/sensitivity.md, "Sweeping the
model") names an experiment config (population, horizon, seed, scenarios), the scenario to
compare against the experiment's baseline, the method, the design size and the parameters with
their ranges (:mod:`sim.sensitivity.parameters`). Errors name the file, line and key.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from ..config.schema import Section, line_of, option, validate_section
from ..errors import ConfigError
from ..files import check_file, read_toml
from ..manifest import stable_hash, to_json
from ..params import suggest
from .checks import check_known_keys, config_error
from .parameters import check_runs, resolve_parameters

__all__ = ["load_sweep", "config_hash", "runs_hash", "differences", "SweepSection", "ANALYSIS_KEYS",
           "DEFAULT_OUTPUTS"]

DEFAULT_OUTPUTS = ["npv", "break_even_year", "net_cost_municipality", "net_cost_health_insurer", "multiproblem_end"]
#: Settings that only change the analysis, not any run: a sweep can be re-analysed with new ones.
ANALYSIS_KEYS = ("outputs", "num_resamples", "description")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$")


MAX_N = 2**16  # 65,536 base points: days of runs already; 2**40 was a 48 TiB MemoryError


class SweepSection(Section):
    """The [sweep] table. Keys whose default depends on the rest of the config (name: the file's
    name; levels: Morris only) or that are required (experiment, n; scenario unless the
    experiment has one besides the baseline) are None here and settled in load_sweep."""

    name: str | None = None
    description: str = ""
    experiment: str | None = None
    scenario: str | None = None
    method: Literal["sobol", "morris"] = option("sobol", problem="unknown method", expected="sobol | morris")
    n: int | None = option(None, le=MAX_N, problem="n is too large: the design alone would not fit in memory",
                           expected=f"at most {MAX_N} (runs = n x (k + 2); Olst-Wijhe's full sweep has n = 512)")
    seed: int = option(1, ge=0, problem="negative seed", expected="a whole number >= 0")
    calc_second_order: bool = False
    levels: int | None = option(None, ge=2, multiple_of=2, problem="Morris levels must be even",
                                expected="an even whole number >= 2 (4 is usual)")
    num_resamples: int = option(1000, ge=2, problem="too few bootstrap resamples",
                                expected="a whole number >= 2 (1000 is usual)")
    outputs: list | None = option(None, min_length=1, problem="no outputs", expected="a list of output names")
    seeding: Literal["common", "per_block"] = option("common", problem="unknown seeding",
                                                     expected="common | per_block")
    oneway: bool = True
    set: dict = {}


def load_sweep(path) -> dict:
    """Read and validate a sweep config; return the resolved sweep as a JSON-serialisable dict.

    Raises :class:`sim.errors.ConfigError` naming the file and key of the first problem.
    Nothing is written.
    """
    file = check_file(path, what="sweep config", expected="a TOML file")
    data = read_toml(file, what="sweep config")
    sweep = _sweep_table(data, file)
    settings = {**_design_settings(sweep, file), **_output_settings(sweep, file)}
    exp = _experiment(sweep, file)
    parameters = resolve_parameters(data.get("parameters"), file=file,
                                    scenario_overrides=exp["experiment"].scenarios[exp["scenario"]].overrides,
                                    base_b=exp["base_b"], base_s=exp["base_s"])
    spec = {
        **settings,
        "set": exp["sets"],
        "experiment": _experiment_summary(exp),
        "base_overrides": {"baseline": exp["base_b"], "scenario": exp["base_s"]},
        "parameters": parameters,
    }
    spec = json.loads(to_json(spec))  # plain JSON types, as stored
    spec["config_hash"] = config_hash(spec)
    spec["files"] = {"sweep": str(file), "experiment": str(exp["file"]), "posterior": exp["draws"].path}
    check_runs(spec, file=file)
    return spec


def _sweep_table(data: Mapping, file: Path) -> SweepSection:
    """The [sweep] table, its keys known and its values of the right type and range."""
    for section in data:
        if section not in ("sweep", "parameters"):
            raise config_error("unknown section", file=file, key=section,
                               expected="[sweep] and [parameters.\"...\"]",
                               hint=suggest(section, ["sweep", "parameters"]), needles=(f"[{section}", section))
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        raise config_error("missing [sweep] table", file=file, key="sweep",
                           expected="a [sweep] table with experiment, n, ...")
    check_known_keys(sweep, SweepSection.model_fields, file=file, prefix="sweep",
                     needles=lambda key: (f"{key} =", f"{key}="))
    return validate_section(SweepSection, sweep, file=file, prefix="sweep")


def _design_settings(sweep: SweepSection, file: Path) -> dict:
    """name, description, method, n, seed, calc_second_order and levels, checked together."""
    name = sweep.name if sweep.name is not None else file.stem
    if not _NAME_RE.match(name):  # the file's name too, when the config names no sweep
        raise config_error("not usable as a folder name", file=file, key="sweep.name", found=name,
                           expected="letters, digits, '.', '_' or '-', starting with a letter or digit")
    method, n = sweep.method, sweep.n
    if n is None:
        raise config_error("missing key", file=file, key="sweep.n", expected="the base sample size (a power of "
                           "two) for sobol, or the number of trajectories for morris")
    if method == "sobol" and (n < 2 or n & (n - 1)):
        lower = 2 ** max(1, int(math.log2(max(n, 2))))
        raise config_error("n must be a power of two for Sobol", file=file, key="sweep.n", found=n,
                           expected=f"a power of two >= 2, e.g. {lower} or {2 * lower}")
    if method == "morris" and n < 2:
        raise config_error("Morris needs at least 2 trajectories", file=file, key="sweep.n", found=n,
                           expected="n >= 2")
    if sweep.calc_second_order and method != "sobol":
        raise config_error("second-order indices need method = \"sobol\"", file=file, key="sweep.calc_second_order",
                           found=True, expected="false for morris")
    if sweep.levels is not None and method != "morris":
        raise config_error("levels is a Morris setting", file=file, key="sweep.levels",
                           expected="no levels for sobol")
    levels = sweep.levels if sweep.levels is not None else 4
    return {"name": name, "description": sweep.description, "method": method, "n": n, "seed": sweep.seed,
            "calc_second_order": sweep.calc_second_order, "levels": levels if method == "morris" else None}


def _output_settings(sweep: SweepSection, file: Path) -> dict:
    """num_resamples, seeding, oneway and outputs: every output one of sim.sensitivity.model's."""
    from .model import OUTPUTS

    outputs = sweep.outputs if sweep.outputs is not None else list(DEFAULT_OUTPUTS)
    for out in outputs:
        if not isinstance(out, str) or out not in OUTPUTS:
            raise config_error("unknown output", file=file, key="sweep.outputs", found=out,
                               expected="one of " + ", ".join(OUTPUTS),
                               hint=suggest(str(out), OUTPUTS), needles=(f'"{out}"', "outputs"))
    if len(set(outputs)) != len(outputs):
        raise config_error("output listed twice", file=file, key="sweep.outputs", found=outputs)
    return {"num_resamples": sweep.num_resamples, "seeding": sweep.seeding, "oneway": sweep.oneway,
            "outputs": list(outputs)}


def _experiment(sweep: SweepSection, file: Path) -> dict:
    """The experiment config with [sweep.set] laid over it, the scenario compared with its baseline,
    and the overrides each of the two runs starts from."""
    from ..config import load as load_experiment
    from ..params.posterior import parameter_draws

    if sweep.experiment is None:
        raise config_error("missing key", file=file, key="sweep.experiment",
                           expected="the experiment config (path relative to this file), e.g. \"default.toml\"")
    try:
        exp_file = check_file(file.parent / sweep.experiment, what="experiment config", expected="a TOML file")
    except ConfigError as err:
        raise config_error(err.message, file=file, key="sweep.experiment", found=sweep.experiment,
                           expected=f"a TOML file (looked for {err.file})") from None
    load_experiment(exp_file)  # errors in the experiment file itself name that file
    sets = _flatten_set(sweep.set)
    try:
        exp = load_experiment(exp_file, sets=sets)
    except ConfigError as err:
        raise ConfigError(err.message, file=file, key=f"sweep.set.{err.key}" if err.key else "sweep.set",
                          line=line_of(file, "sweep.set", *(err.key or "").split(".")[:1]), found=err.found,
                          expected=err.expected, hint=err.hint) from None
    scenario = _scenario(sweep, exp, file=file, exp_file=exp_file)
    draws = parameter_draws(exp)
    if draws.mode == "sample":
        raise config_error("run.posterior = \"sample\" draws parameters per replication, which a sweep does itself",
                           file=file, key="sweep.set", found="sample",
                           expected='"run.posterior" = "mean" or "none" in [sweep.set]')
    baseline = exp.baseline
    return {
        "experiment": exp, "file": exp_file, "sets": sets, "scenario": scenario, "draws": draws,
        "base_b": {**draws.overrides_for(baseline, 0), **exp.scenario_overrides(baseline)},
        "base_s": {**draws.overrides_for(scenario, 0), **exp.scenario_overrides(scenario)},
    }


def _scenario(sweep: SweepSection, exp, *, file: Path, exp_file: Path) -> str:
    baseline = exp.baseline
    others = [s for s in exp.scenarios if s != baseline]
    if sweep.scenario is not None:
        scenario = sweep.scenario
        if scenario not in others:
            raise config_error("unknown scenario", file=file, key="sweep.scenario", found=scenario,
                               expected=f"a scenario of {exp_file.name} other than the baseline: "
                                        f"{', '.join(others) or 'none'}",
                               hint=suggest(scenario, others))
        return scenario
    if len(others) == 1:
        return others[0]
    raise config_error("missing key", file=file, key="sweep.scenario",
                       expected=f"one of {', '.join(others)} (compared against the baseline {baseline!r})")


def _experiment_summary(exp: Mapping) -> dict:
    """What the spec records of the experiment: what the runs depend on, and its own hash."""
    e = exp["experiment"]
    return {
        "name": e.name,
        "config_hash": e.config_hash,
        "resolved": e.resolved,
        "baseline": e.baseline,
        "scenario": exp["scenario"],
        "households": e.households,
        "start_year": e.start_year,
        "years": e.years,
        "seed": e.seed,
        "discount_rate": e.discount_rate,
        "workers": e.workers,
        "posterior": {k: v for k, v in exp["draws"].describe().items() if k != "file"},
    }


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


# ----------------------------------------------------------------------------------- hashes
def config_hash(spec: Mapping) -> str:
    """Hash of the resolved sweep (not of file paths): what the runs and the analysis depend on.

    16 hex digits of sim.manifest.stable_hash, as sweep folders made before it record.
    """
    return stable_hash({k: v for k, v in spec.items() if k not in ("config_hash", "files")}, digits=16)


def runs_hash(spec: Mapping) -> str:
    """Hash of what the stored runs depend on (the config without :data:`ANALYSIS_KEYS`)."""
    return config_hash({k: v for k, v in spec.items() if k not in ANALYSIS_KEYS})


def differences(old: Mapping, new: Mapping) -> str:
    """The top-level keys in which two resolved sweeps differ, for messages."""
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in ("config_hash", "files") and old.get(k) != new.get(k)]
    return ", ".join(keys) or "nothing"
