"""``sim calibrate CONFIG``: validate, history-match the model in waves, check, save, report.

Steps (each one resumable from the store, ``<output>/runs/<config hash>/`` unless the config
says otherwise; ``calibration/runs/`` is git-ignored):

1. :func:`sim.calibrate.config.load_config` validates the whole config (ConfigError, exit 2).
2. :func:`sim.calibrate.method.history_match` runs the waves through the project executor
   (:func:`sim.run.executor.run_tasks`: local processes, all cores by default, or Dask with
   ``--scheduler``). Every model run is stored under ``<store>/tasks/`` as soon as it finishes
   and every finished wave under ``<store>/wave_NN.*``: a rerun after a crash simulates only
   what is missing, a rerun after success simulates nothing.
3. **Check against the defaults.** The posterior mean and the default parameters are simulated
   with the same fresh seeds (``check_replications`` each) and scored on every target of the
   targets file. The result is written over ``<output>/posterior.csv`` only when the posterior
   mean fits the calibrated targets better than the defaults (smaller tolerance-scaled RMS
   error); otherwise nothing in ``<output>`` changes and the command fails (``--force``
   overrides). An empty posterior (no set accepted) never replaces a posterior.
4. :meth:`CalibrationResult.save` (posterior.csv, plausible.csv, history.parquet,
   calibration_config.json) and :func:`sim.calibrate.report.fit_report` (fit.csv, fit.png) write
   to ``<output>``, plus ``check.csv`` (defaults vs posterior mean on every target, calibrated
   or not). calibration_config.json gains the validated config, the check and the wall time.
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import write_text_atomic
from ..manifest import stable_hash, to_json
from .config import CalibrationConfig
from .fingerprint import model_code_fingerprint
from .method import KEY_DIGITS, evaluate, history_match
from .report import fit_report
from .result import CalibrationResult
from .simulate import ModelSimulator

__all__ = ["CalibrationFailed", "RunOutcome", "run_calibration", "simulator_for", "check_against_defaults"]

#: Columns of check.csv.
CHECK_COLUMNS = ("target", "used", "observed", "tolerance", "defaults_mean", "defaults_z",
                 "posterior_mean_mean", "posterior_mean_z")


class CalibrationFailed(RuntimeError):
    """The calibration ran but its result must not replace the shipped one."""


@dataclass
class RunOutcome:
    result: CalibrationResult
    check: pd.DataFrame
    paths: dict
    seconds: float
    simulations_run: int
    store: Path


def simulator_for(cfg: CalibrationConfig, statistics) -> ModelSimulator:
    return ModelSimulator(households=cfg.households, years=cfg.years, burn_in_years=cfg.burn_in_years,
                          window_months=cfg.window_months, statistics=tuple(statistics),
                          start_year=cfg.start_year)


class _CountingRunTasks:
    """Wraps run_tasks; counts the tasks that were not already in the store (i.e. were simulated)."""

    def __init__(self, run_tasks, store: Path):
        self.run_tasks, self.store, self.simulated = run_tasks, store, 0

    def __call__(self, func, tasks, **kwargs):
        from ..run.store import finished_keys

        tasks = list(tasks)
        done = finished_keys(self.store)
        self.simulated += sum(t.key not in done for t in tasks)
        return self.run_tasks(func, tasks, **kwargs)


def _rms(z: np.ndarray) -> float:
    z = np.asarray(z, float)
    return float(np.sqrt(np.mean(z ** 2))) if len(z) else float("nan")


def check_against_defaults(cfg: CalibrationConfig, result: CalibrationResult, *, run_tasks, executor_kwargs):
    """Simulate defaults and posterior mean with common seeds on every target of the file.

    Returns (table, summary): one row per target with means and tolerance-scaled errors;
    summary holds the RMS error and the largest |z| over the calibrated targets for both.
    """
    every = cfg.all_targets
    sim = simulator_for(cfg, every["statistic"].tolist())
    mean = {k: float(v) for k, v in result.posterior_mean().items()}
    ev = evaluate(sim, [{}, mean], every, replications=cfg.check_replications, seed=cfg.seed,
                  run_tasks=run_tasks, executor_kwargs=executor_kwargs,
                  key_prefix=f"check{cfg.config_hash}-{stable_hash(mean, digits=KEY_DIGITS)}")
    rows = []
    for _, t in every.iterrows():
        col = f"sim__{t['statistic']}"
        d, p = float(ev.loc[0, col]), float(ev.loc[1, col])
        rows.append({"target": t["name"], "used": t["name"] in cfg.target_names, "observed": float(t["value"]),
                     "tolerance": float(t["tolerance"]), "defaults_mean": d,
                     "defaults_z": (d - t["value"]) / t["tolerance"], "posterior_mean_mean": p,
                     "posterior_mean_z": (p - t["value"]) / t["tolerance"]})
    table = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    used = table[table["used"]]
    summary = {
        "replications": cfg.check_replications,
        "defaults_rms_z": _rms(used["defaults_z"]), "posterior_mean_rms_z": _rms(used["posterior_mean_z"]),
        "defaults_max_abs_z": float(used["defaults_z"].abs().max()),
        "posterior_mean_max_abs_z": float(used["posterior_mean_z"].abs().max()),
        "posterior_mean_within_tolerance": used.loc[used["posterior_mean_z"].abs() <= 1, "target"].tolist(),
        "posterior_mean_outside_tolerance": used.loc[~(used["posterior_mean_z"].abs() <= 1), "target"].tolist(),
    }
    summary["improves"] = bool(summary["posterior_mean_rms_z"] < summary["defaults_rms_z"])
    return table, summary


def run_calibration(cfg: CalibrationConfig, *, workers: int | None = None, scheduler: str | None = None,
                    output: str | Path | None = None, force: bool = False, progress: bool = True,
                    log=print) -> RunOutcome:
    """Run the calibration a validated config describes; see the module docstring. The store is
    locked while it runs: a second calibration of the same config is refused, not interleaved."""
    from ..files import folder_lock

    out = Path(output).resolve() if output is not None else cfg.output
    store = cfg.store_dir if output is None or cfg.store is not None else out / "runs" / cfg.config_hash
    store.mkdir(parents=True, exist_ok=True)
    with folder_lock(store):
        try:
            return _run_calibration(cfg, workers=workers, scheduler=scheduler, output=output, force=force,
                                    progress=progress, log=log)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: every finished run and wave is in the store
            from ..run.store import finished_keys

            done = len(finished_keys(store / "tasks"))
            again = f"sim calibrate {cfg.file}" if getattr(cfg, "file", None) else "the same sim calibrate command"
            print(f"kept {done} finished simulations in {store}; resume with: {again}", file=sys.stderr)
            raise


def _run_calibration(cfg: CalibrationConfig, *, workers, scheduler, output, force, progress, log) -> RunOutcome:
    from ..run.executor import run_tasks

    t0 = time.perf_counter()
    out = Path(output).resolve() if output is not None else cfg.output
    store = cfg.store_dir if output is None or cfg.store is not None else out / "runs" / cfg.config_hash
    from ..run.resources import MAX_WORKERS, check_workers

    workers = check_workers(cfg.workers if workers is None else workers, MAX_WORKERS)
    scheduler = scheduler if scheduler is not None else (cfg.scheduler or None)
    counting = _CountingRunTasks(run_tasks, store / "tasks")
    executor_kwargs = {"workers": workers or None, "scheduler": scheduler, "store": str(store / "tasks"),
                       "progress": progress, "desc": f"calibration {cfg.name}"}
    names = ", ".join(p.name for p in cfg.priors)
    log(f"calibration {cfg.name}: {len(cfg.priors)} parameters ({names}); {len(cfg.targets)} targets; "
        f"{cfg.waves} waves x {cfg.n_per_wave} sets x {cfg.replications} replications; "
        f"{cfg.households:,} households, {cfg.burn_in_years:g}+{cfg.years} years; store {store}")

    sim = simulator_for(cfg, cfg.targets["statistic"].tolist())
    result = history_match(sim, list(cfg.priors), cfg.targets, n_per_wave=cfg.n_per_wave, waves=cfg.waves,
                           replications=cfg.replications, seed=cfg.seed, cutoff=cfg.cutoff,
                           abc_epsilon=cfg.abc_epsilon, refocus=cfg.refocus, run_tasks=counting,
                           executor_kwargs=executor_kwargs, store=store, progress=progress)
    log(result.wave_summary().to_string())
    for note in result.notes:
        log(f"note: {note}")
    keep = store / "result"
    if result.posterior.empty:
        result.save(keep)
        raise CalibrationFailed(
            f"no parameter set was accepted (plausible: {len(result.plausible)}, ABC epsilon {cfg.abc_epsilon}); "
            f"{out / 'posterior.csv'} left unchanged. Inspect {keep} (history.parquet), then widen priors, run "
            "more waves or revisit the targets")

    check, summary = check_against_defaults(cfg, result, run_tasks=counting, executor_kwargs=executor_kwargs)
    log(f"posterior: {len(result.posterior)} sets; check ({cfg.check_replications} replications, common seeds): "
        f"RMS error {summary['defaults_rms_z']:.2f} (defaults) -> {summary['posterior_mean_rms_z']:.2f} "
        f"(posterior mean) tolerances; largest |error| {summary['defaults_max_abs_z']:.2f} -> "
        f"{summary['posterior_mean_max_abs_z']:.2f}")
    if not summary["improves"] and not force:
        result.save(keep)
        check.to_csv(keep / "check.csv", index=False)
        raise CalibrationFailed(
            f"the posterior mean does not fit the calibrated targets better than the defaults (RMS "
            f"{summary['posterior_mean_rms_z']:.2f} vs {summary['defaults_rms_z']:.2f}); {out} left unchanged "
            f"(result in {keep}; --force saves it anyway)")

    seconds = time.perf_counter() - t0
    paths = _save(cfg, result, check, summary, out, store, seconds, counting.simulated)
    log(f"wrote {', '.join(sorted(p.name for p in paths.values()))} to {out} in {seconds:.0f} s "
        f"({counting.simulated} new simulations)")
    return RunOutcome(result, check, paths, seconds, counting.simulated, store)


def _save(cfg, result, check, summary, out: Path, store: Path, seconds: float, simulated: int) -> dict:
    # Stage everything next to the store first, then move file by file: an interrupted save never
    # leaves a posterior.csv from one run beside a fit.csv from another for long.
    stage = store / "staged"
    if stage.exists():
        shutil.rmtree(stage)
    paths = result.save(stage)
    paths.update({f"fit_{k}": v for k, v in fit_report(result, None, stage).items()})
    check.to_csv(stage / "check.csv", index=False)
    paths["check"] = stage / "check.csv"
    meta = json.loads(paths["config"].read_text("utf-8"))
    meta["calibration"] = cfg.as_dict()
    meta["calibration"]["output"] = str(out)
    meta["excluded_targets"] = cfg.excluded
    meta["check_against_defaults"] = summary
    meta["model_fingerprint"] = model_code_fingerprint()  # what the posterior was computed for
    log_file = store / "runs.json"  # every invocation on this store, so a resume keeps the first run's time
    runs = json.loads(log_file.read_text("utf-8")) if log_file.is_file() else []
    runs.append({"finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(seconds, 1),
                 "new_simulations": simulated})
    write_text_atomic(log_file, json.dumps(runs, indent=2))
    meta["run"] = {"seconds": round(seconds, 1), "new_simulations": simulated,
                   "total_seconds_on_store": round(sum(r["seconds"] for r in runs), 1),
                   "simulations_on_store": int(sum(r["new_simulations"] for r in runs)),
                   "invocations": runs, "python": sys.version.split()[0]}
    write_text_atomic(paths["config"], to_json(meta, indent=2))
    out.mkdir(parents=True, exist_ok=True)
    final = {}
    for key, p in paths.items():
        target = out / p.name
        shutil.copyfile(p, target.with_name(f".{target.name}.tmp"))
        target.with_name(f".{target.name}.tmp").replace(target)
        final[key] = target
    return final
