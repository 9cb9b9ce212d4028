"""Run an experiment: scenarios x replications through the executor, into a results folder.

Replication r of every scenario uses the same seed (child r of SeedSequence(run.seed)), so
scenarios are compared on common random numbers, and the numbers do not depend on how many
workers ran them. The folder is written under a hidden temporary name and renamed into place
only when complete: a failed or interrupted run leaves nothing half-written in results/.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..config import Experiment, load, load_dict
from ..errors import ConfigError
from ..manifest import provenance, to_json
from ..params import Parameters
from ..seeds import effect_quantile_rng
from .evaluate import scenario_run
from .study import StudyFolder
from .executor import Task

TIMESERIES = "timeseries.parquet"
MANIFEST = "manifest.json"


def effect_draws(exp: Experiment) -> dict[int, dict]:
    """Per replication, a quantile of each bought intervention's effect interval (Monte Carlo
    over the evidence, as WSIPP does): the same draw for every scenario of a replication, so
    scenarios stay paired. Empty when run.effect_uncertainty is off or nothing is bought."""
    ids = exp.interventions if exp.effect_uncertainty else ()
    if not ids:
        return {}
    out = {}
    for r in range(exp.replications):
        u = effect_quantile_rng(exp.seed, r).random(len(ids))
        out[r] = {f"interventions.{i}.effect_quantile": float(0.001 + 0.998 * q) for i, q in zip(ids, u)}
    return out


def tasks_for(exp: Experiment, overrides_for=None) -> list[Task]:
    """One task per scenario x replication; `overrides_for(scenario, r)` may add parameter draws,
    and the effects of bought interventions are drawn per replication (effect_draws)."""
    tasks = []
    effects = effect_draws(exp)
    for name in exp.scenarios:
        for r in range(exp.replications):
            overrides = exp.scenario_overrides(name)
            if overrides_for is not None:
                overrides = {**overrides_for(name, r), **overrides}
            overrides = {**effects.get(r, {}), **overrides}
            tasks.append(Task(f"{name}__r{r:04d}", dict(
                overrides=overrides, households=exp.households, start_year=exp.start_year, years=exp.years,
                seed=exp.seed, replication=r, scenario=name)))
    return tasks


def resolve_experiment(config, sets: Mapping[str, Any] | None = None) -> Experiment:
    if isinstance(config, Experiment):
        return config
    if isinstance(config, Mapping):
        return load_dict(config, sets=sets)
    return load(config, sets=sets)


def experiment_estimate(exp: Experiment, workers: int | None):
    """Memory and time of the experiment on this machine (sim.run.resources)."""
    from .resources import estimate

    burn_in = Parameters.build(exp.parameters)["burn_in_years"]
    return estimate(households=exp.households, years=exp.years, burn_in_years=burn_in,
                    runs=len(exp.scenarios) * exp.replications, workers=workers)


#: What the analysis writes into a results folder (sim.analysis.pipeline, Summary.to_dir).
WRITTEN = ("summary.csv", "cumulative.csv", "replications.csv", "wrong_pocket.csv", "summary_meta.json",
           "yearly.parquet", "assumptions.csv", "league.csv", "report.html", "charts")
STATE = "run.json"  # in a run's temporary folder: everything a resume needs
RESUME = "sim run --resume"


def run_experiment(config=None, *, sets: Mapping[str, Any] | None = None, out: str | os.PathLike | None = None,
                   workers: int | None = None, scheduler=None, progress: bool = True, analyse: bool = True,
                   force: bool = False, resume: str | os.PathLike | None = None) -> Path:
    """Run an experiment (a path, a dict or an Experiment), or finish a killed one (`resume`, its
    temporary folder); return its results folder.

    `workers` overrides run.workers (0 or None = all cores); `scheduler` sends the runs to a
    Dask cluster instead. With `analyse`, the summary, charts and report are written too. A run
    this machine's memory cannot hold is refused before it starts, unless `force`. Every run is
    stored as it finishes; Ctrl-C or SIGTERM keep the finished runs in the temporary folder and
    print the command that resumes, which ends with the numbers an uninterrupted run gives.
    """
    from .resources import check_fits, check_workers

    if resume is not None:
        folder = StudyFolder.reopen(resume, state_file=STATE, resume_command=RESUME, finished_marker=MANIFEST,
                                    required=("tasks", "source", "config_hash"), verb="sim run")
        state = folder.state
        exp = _resumed_experiment(state, folder.path / STATE)
        folder.check_same_code(force=force)
    else:
        exp = resolve_experiment(config, sets)
        from ..params.posterior import parameter_draws  # experiments use the calibrated parameters

        draws = parameter_draws(exp)
        tasks = tasks_for(exp, draws.overrides_for)
        state = {"format": 1, "experiment": exp.name, "config_hash": exp.config_hash,
                 "source": _source_of(exp), "config_file": exp.source, "parameters": draws.describe(),
                 "tasks": [{"key": t.key, "kwargs": t.kwargs} for t in tasks]}
    n_tasks = len(state["tasks"])
    n_workers = check_workers(workers if workers is not None else exp.workers, n_tasks,
                              key="--workers" if workers is not None else "run.workers")
    if scheduler is None:
        check_fits(experiment_estimate(exp, n_workers), force=force, what=f"experiment {exp.name}")
    if resume is None:
        folder = StudyFolder.create(Path(out) if out is not None else Path("results"), exp.name, state,
                                    state_file=STATE, resume_command=RESUME)
    with folder.locked():
        return _finish(exp, folder, n_workers, scheduler, progress, analyse, resumed=resume is not None)


def _resumed_experiment(state: dict, file: Path) -> Experiment:
    """The experiment a run's state file describes, checked against its tasks: an edited or
    damaged run.json is refused before any run, never run as something else."""
    def damaged(what):
        return ConfigError(f"run.json was edited or damaged: {what}", file=file,
                           expected=f"the file `sim run` wrote; start again with `sim run CONFIG`")
    try:
        exp = load_dict(state["source"])
    except (ConfigError, TypeError, ValueError, AttributeError) as err:
        raise damaged(f"its config does not load ({err})") from None
    if exp.config_hash != state["config_hash"]:
        raise damaged("its config does not match its config hash")
    tasks, expected, not_set = state["tasks"], tasks_for(exp), object()
    if not isinstance(tasks, list) or len(tasks) != len(expected):
        raise damaged(f"{len(expected)} tasks expected")
    for task, want in zip(tasks, expected):
        kwargs = task.get("kwargs") if isinstance(task, dict) else None
        overrides = kwargs.get("overrides") if isinstance(kwargs, dict) else None
        if not isinstance(overrides, dict) or task.get("key") != want.key \
                or {k: v for k, v in kwargs.items() if k != "overrides"} != \
                {k: v for k, v in want.kwargs.items() if k != "overrides"} \
                or any(overrides.get(k, not_set) != v for k, v in want.kwargs["overrides"].items()):
            raise damaged(f"task {want.key} differs from the experiment's")
        try:
            Parameters.build(kwargs["overrides"])
        except ConfigError as err:
            raise damaged(f"task {want.key}: {err}") from None
    return exp


def _finish(exp, folder: StudyFolder, n_workers, scheduler, progress, analyse, *, resumed: bool) -> Path:
    state = folder.state
    tasks = [Task(t["key"], t["kwargs"]) for t in state["tasks"]]
    t0 = time.perf_counter()
    results = folder.run(scenario_run, tasks, workers=n_workers, scheduler=scheduler, progress=progress, desc=exp.name)
    with folder.finishing():
        ts = pd.concat([results[t.key] for t in tasks], ignore_index=True)
        bought = [c for c in ts.columns if c.startswith("programme__")]  # only scenarios that buy it report it
        ts[bought] = ts[bought].fillna(0.0)
        ts.to_parquet(folder.path / TIMESERIES, index=False)
        finished = dt.datetime.now(dt.timezone.utc)
        manifest = {
            "experiment": exp.name,
            "config": exp.resolved,
            "config_file": state["config_file"],
            "config_hash": exp.config_hash,
            "seeds": {"root": exp.seed, "replications": exp.replications,
                      "scheme": "replication r of every scenario uses SeedSequence(root, spawn_key=(r,))"},
            "parameters": state["parameters"],
            "interventions": {"bought": list(exp.interventions), "effect_uncertainty": exp.effect_uncertainty,
                              "scheme": "replication r draws each effect's quantile from "
                                        "SeedSequence(root, spawn_key=(r, 1)), the same for every scenario"},
            **provenance(),
            "code_hash": state["code_hash"],  # of the session that started the run
            "started": state["started"],
            "finished": finished.isoformat(),
            "seconds": round(time.perf_counter() - t0, 3),
            "resumed": resumed,
            "runs": len(results),
            "workers": n_workers or "all cores",
            "scheduler": str(scheduler) if scheduler is not None else None,
        }
        (folder.path / MANIFEST).write_text(to_json(manifest, indent=2), "utf-8")
        if analyse:
            from ..analysis.pipeline import analyse_folder
            analyse_folder(folder.path, ts=ts, manifest=manifest)
    return folder.complete(exp.name)


def _source_of(exp: Experiment) -> dict:
    """The experiment as a config dict that load_dict turns back into the same experiment."""
    r = exp.resolved
    return {"experiment": r["experiment"], "population": r["population"], "horizon": r["horizon"],
            "run": r["run"], "parameters": r["parameters"],
            "scenarios": {name: {"label": s["label"], "description": s["description"],
                                 **({"spend_per_household": s["spend_per_household"]}
                                    if s["spend_per_household"] is not None else {}),
                                 **s["overrides"]} for name, s in r["scenarios"].items()}}


def check_results_folder(path) -> dict:
    """The manifest of a results folder, or ConfigError saying what is wrong and what to do:
    missing, not a folder, not a results folder, damaged manifest or time series."""
    path = Path(path)
    again = "run the experiment again with `sim run CONFIG`"
    if not path.exists():
        raise ConfigError("no such results folder", file=path, expected="a folder printed by `sim run`")
    if not path.is_dir():
        raise ConfigError("not a folder", file=path, expected="a results folder printed by `sim run`")
    if not (path / MANIFEST).is_file():
        raise ConfigError(f"not a results folder (no {MANIFEST})", file=path,
                          expected="a folder printed by `sim run` (sweep folders: `sim sweep --resume`)")
    try:
        manifest = json.loads((path / MANIFEST).read_bytes().decode("utf-8"))
        manifest["config"]["run"]["baseline"], manifest["config"]["scenarios"]  # noqa: B018 (the keys used)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise ConfigError(f"damaged {MANIFEST}", file=path / MANIFEST, expected=f"the manifest `sim run` writes; {again}") \
            from None
    try:
        import pyarrow.parquet as pq

        columns = set(pq.read_schema(path / TIMESERIES).names)
    except Exception:  # any reading failure means the same thing to the user
        raise ConfigError(f"missing or damaged {TIMESERIES}", file=path / TIMESERIES, expected=again) from None
    if not {"scenario", "replication", "month", "year"} <= columns:
        raise ConfigError(f"{TIMESERIES} lacks the run's columns", file=path / TIMESERIES, expected=again)
    _check_manifest_config(manifest["config"], path / MANIFEST, again)
    for name in WRITTEN:  # what `sim report` replaces must be what it was, or the report fails half-way
        target = path / name
        if (target.is_dir() != (name == "charts")) and (target.exists() or target.is_symlink()):
            raise ConfigError("a folder where a file belongs" if target.is_dir() else "not a folder", file=target,
                              expected=f"the {'folder' if name == 'charts' else 'file'} `sim run` wrote; move it "
                                       "away and `sim report` writes it again")
    return manifest


def _check_manifest_config(cfg, file: Path, again: str) -> None:
    """The keys of a manifest's config that the report uses, by the experiment config's own
    schemas: an edited language, discount rate, baseline or scenario table is named, not a
    traceback or a report at another rate."""
    from ..config.experiment import ExperimentSection, RunSection, ScenarioMeta
    from ..config.schema import validate_section

    def used(section, model):
        return {k: v for k, v in (section if isinstance(section, Mapping) else {}).items() if k in model.model_fields}
    try:
        for name, model, keys in (("experiment", ExperimentSection, ("language", "name", "description")),
                                  ("run", RunSection, ("discount_rate", "baseline"))):
            section = cfg.get(name)
            validate_section(model, {k: v for k, v in used(section, model).items() if k in keys}
                             if isinstance(section, Mapping) else section, file=file, prefix=f"config.{name}")
        scenarios = cfg["scenarios"]
        if not isinstance(scenarios, Mapping):
            raise ConfigError("wrong type", file=file, key="config.scenarios", found=scenarios, expected="a table")
        if cfg["run"]["baseline"] not in scenarios:
            raise ConfigError("the baseline names no scenario", file=file, key="config.run.baseline",
                              found=cfg["run"]["baseline"], expected="one of config.scenarios")
        for name, scenario in scenarios.items():
            validate_section(ScenarioMeta, used(scenario, ScenarioMeta) if isinstance(scenario, Mapping) else scenario,
                             file=file, prefix=f"config.scenarios.{name}")
    except ConfigError as err:
        raise ConfigError(f"damaged {MANIFEST}: {err.message}", file=file, key=err.key, found=err.found,
                          expected=f"{err.expected} (the manifest `sim run` writes; {again})") from None


def load_results(path) -> dict:
    """A results folder as pandas objects: manifest (dict), timeseries, summary and the other tables."""
    path = Path(path)
    check_results_folder(path)
    out: dict[str, Any] = {"manifest": json.loads((path / MANIFEST).read_text("utf-8")),
                           "timeseries": pd.read_parquet(path / TIMESERIES)}
    for csv in sorted(path.glob("*.csv")):
        out[csv.stem] = pd.read_csv(csv)
    return out
