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
import platform
import shutil
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..config import Experiment, load, load_dict
from .executor import Task, run_tasks

TIMESERIES = "timeseries.parquet"
MANIFEST = "manifest.json"


def replication_seed(root: int, replication: int) -> np.random.SeedSequence:
    """Child `replication` of SeedSequence(root), the same for every scenario."""
    return np.random.SeedSequence(root, spawn_key=(replication,))


def simulate(*, overrides: Mapping[str, Any], households: int, start_year: int, years: int, seed: int,
             replication: int, scenario: str) -> pd.DataFrame:
    """One model run -> its monthly outputs (a top-level function, so workers can import it)."""
    from ..model import PreventionModel

    model = PreventionModel(dict(overrides), households=households, start_year=start_year,
                            seed=replication_seed(seed, replication))
    model.run_years(years)
    df = model.dataframe()
    df.insert(0, "scenario", scenario)
    df.insert(1, "replication", replication)
    return df


def effect_draws(exp: Experiment) -> dict[int, dict]:
    """Per replication, a quantile of each bought intervention's effect interval (Monte Carlo
    over the evidence, as WSIPP does): the same draw for every scenario of a replication, so
    scenarios stay paired. Empty when run.effect_uncertainty is off or nothing is bought."""
    ids = exp.interventions if exp.effect_uncertainty else ()
    if not ids:
        return {}
    out = {}
    for r in range(exp.replications):
        u = np.random.default_rng(np.random.SeedSequence(exp.seed, spawn_key=(r, 1))).random(len(ids))
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


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parents[2],
                             capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=5)
        return (out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")) if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def package_versions() -> dict:
    names = ["prevention-sim", "mesa", "numpy", "scipy", "pandas", "matplotlib", "pyarrow"]
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def resolve_experiment(config, sets: Mapping[str, Any] | None = None) -> Experiment:
    if isinstance(config, Experiment):
        return config
    if isinstance(config, Mapping):
        return load_dict(config, sets=sets)
    return load(config, sets=sets)


def _unique_folder(root: Path, name: str, stamp: str) -> Path:
    target = root / f"{name}-{stamp}"
    k = 2
    while target.exists():
        target = root / f"{name}-{stamp}-{k}"
        k += 1
    return target


def run_experiment(config, *, sets: Mapping[str, Any] | None = None, out: str | os.PathLike | None = None,
                   workers: int | None = None, scheduler=None, progress: bool = True, analyse: bool = True) -> Path:
    """Run an experiment (a path, a dict or an Experiment); return its results folder.

    `workers` overrides run.workers (0 or None = all cores); `scheduler` sends the runs to a
    Dask cluster instead. With `analyse`, the summary, charts and report are written too.
    """
    exp = resolve_experiment(config, sets)
    from ..calibrate.posterior import parameter_draws  # experiments use the calibrated parameters

    draws = parameter_draws(exp)
    root = Path(out) if out is not None else Path("results")
    root.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    tmp = root / f".tmp-{exp.name}-{stamp}-{os.getpid()}"
    t0 = time.perf_counter()
    try:
        tmp.mkdir(parents=True)
        n_workers = workers if workers is not None else (exp.workers or None)
        results = run_tasks(simulate, tasks_for(exp, draws.overrides_for), workers=n_workers or None,
                            scheduler=scheduler, progress=progress, desc=exp.name)
        ts = pd.concat(list(results.values()), ignore_index=True)
        bought = [c for c in ts.columns if c.startswith("programme__")]  # only scenarios that buy it report it
        ts[bought] = ts[bought].fillna(0.0)
        ts.to_parquet(tmp / TIMESERIES, index=False)
        finished = dt.datetime.now(dt.timezone.utc)
        manifest = {
            "experiment": exp.name,
            "config": exp.resolved,
            "config_file": exp.source,
            "config_hash": exp.config_hash,
            "seeds": {"root": exp.seed, "replications": exp.replications,
                      "scheme": "replication r of every scenario uses SeedSequence(root, spawn_key=(r,))"},
            "parameters": draws.describe(),
            "interventions": {"bought": list(exp.interventions), "effect_uncertainty": exp.effect_uncertainty,
                              "scheme": "replication r draws each effect's quantile from "
                                        "SeedSequence(root, spawn_key=(r, 1)), the same for every scenario"},
            "package_versions": package_versions(),
            "git_commit": git_commit(),
            "started": started.isoformat(),
            "finished": finished.isoformat(),
            "seconds": round(time.perf_counter() - t0, 3),
            "runs": len(results),
            "workers": n_workers or "all cores",
            "scheduler": str(scheduler) if scheduler is not None else None,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), "utf-8")
        if analyse:
            from ..analysis.pipeline import analyse_folder
            analyse_folder(tmp, ts=ts, manifest=manifest)
        target = _unique_folder(root, exp.name, stamp)
        os.replace(tmp, target)
        return target
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_results(path) -> dict:
    """A results folder as pandas objects: manifest (dict), timeseries, summary and the other tables."""
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise FileNotFoundError(f"{path} is not a results folder (no {MANIFEST})")
    out: dict[str, Any] = {"manifest": json.loads((path / MANIFEST).read_text("utf-8")),
                           "timeseries": pd.read_parquet(path / TIMESERIES)}
    for csv in sorted(path.glob("*.csv")):
        out[csv.stem] = pd.read_csv(csv)
    return out
