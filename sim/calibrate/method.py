"""History matching over scrambled Sobol designs, with a final ABC rejection step.

The method (named so it can be looked up):

* **History matching** (Craig et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis et al.
  2015) rules parameter sets *out* rather than searching for a best fit. For each candidate set
  and each target k the *implausibility* is

      I_k = |mean_k - obs_k| / sqrt(tol_k**2 + var_k / n_rep)

  where ``mean_k`` and ``var_k`` are the mean and variance of the simulated statistic over
  ``n_rep`` replications, ``obs_k`` the observed value and ``tol_k`` one standard deviation of
  observation error plus model discrepancy (the target's ``tolerance``). A set is
  *non-implausible* when ``max_k I_k <= cutoff``; 3 is the usual cutoff (Pukelsheim's
  three-sigma rule: for any unimodal distribution at least 95% of the mass lies within 3 sd).
* **Waves.** Wave 1 is a scrambled, seeded Sobol design over the whole prior box. Each later
  wave samples the non-implausible region of the previous wave: the box is shrunk to the
  bounding box of the non-implausible sets (widened by a margin and by one design spacing), a
  new Sobol design is drawn in it, and -- with ``refocus="box+nn"`` -- candidates are kept only
  when one of their k nearest already-simulated neighbours was non-implausible (a cheap
  nearest-neighbour stand-in for the emulators of classical history matching). Without
  emulators every candidate costs a simulation, so this screen is what keeps the waves
  efficient.
* **Common random numbers.** Every parameter set within a wave is simulated with the same
  replication seeds, so differences between sets are not noise from different random streams.
  Waves use fresh seeds, so the final set is not tuned to one noise realisation.
* **ABC rejection** (Pritchard et al. 1999; Beaumont et al. 2002) on the final wave: among the
  non-implausible sets, accept those whose tolerance-scaled root-mean-square error
  ``d = sqrt(mean_k ((mean_k - obs_k) / tol_k)**2)`` is at most ``abc_epsilon``. The accepted
  sets are the *posterior* sample written to ``posterior.csv``.

The pieces: the priors and their unit cube (:mod:`.priors`), each wave's points, box and seeds
(:mod:`.design`), implausibility, distance and acceptance (:mod:`.scoring`, pure functions of
simulated statistics and targets) and the result (:mod:`.result`). This module runs the waves:
it turns a design into :class:`sim.run.executor.Task` objects, hands them to an executor with
the signature of :func:`sim.run.executor.run_tasks` (that function itself, serially in this
process, when none is given), scores what comes back and keeps finished waves in a store. Task
keys are deterministic (config hash, wave, point, replication), so a store-backed executor can
resume half-finished waves, and with ``store=`` completed waves are saved and skipped on rerun.
"""
from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..files import write_parquet_atomic, write_text_atomic
from ..manifest import stable_hash, to_json
from ..run.executor import Task
from ..run.executor import run_tasks as executor_run_tasks
from .design import next_box, replication_seeds, wave_design
from .priors import Prior, normalise_priors, unit_to_params
from .result import METHOD_NAME, CalibrationResult
from .scoring import abc_accept, refocus_cutoff, score, target_arrays

__all__ = ["history_match", "evaluate", "KEY_DIGITS"]

_FORMAT_VERSION = 1
#: Hex digits of the method's configuration hash, which prefixes its task keys: stores written
#: by earlier versions are found by it (see sim.manifest.stable_hash).
KEY_DIGITS = 10


# ----------------------------------------------------------------------------- execution
def _runner(run_tasks, executor_kwargs: dict | None, progress: bool) -> Callable[[Callable, list], list]:
    """``run(func, tasks) -> results in task order`` through the given executor."""
    if run_tasks is None:  # workers=1 runs in this process, so `simulate` need not be picklable
        run_tasks = executor_run_tasks
        executor_kwargs = {"workers": 1, "progress": progress, "desc": "simulations", **(executor_kwargs or {})}

    def run(func: Callable, tasks: list) -> list:
        return _collect(run_tasks(func, tasks, **(executor_kwargs or {})), tasks)

    return run


def _collect(results: Any, tasks: Sequence) -> list:
    """Executor results in task order, whether it returns a mapping by key or a list."""
    if isinstance(results, Mapping):
        missing = [t.key for t in tasks if t.key not in results]
        if missing:
            raise RuntimeError(f"executor returned no result for {len(missing)} task(s), e.g. {missing[:3]}")
        return [results[t.key] for t in tasks]
    results = list(results)
    if len(results) != len(tasks):
        raise RuntimeError(f"executor returned {len(results)} results for {len(tasks)} tasks")
    return results


def _simulate_sets(simulate, param_sets: list[dict], stats: list[str], seeds: list[int], key_prefix: str,
                   run) -> np.ndarray:
    """Simulate every set with every seed; return S[set, replication, statistic]."""
    tasks = [Task(f"{key_prefix}-p{i:05d}-r{r:03d}", {"params": params, "seed": s})
             for i, params in enumerate(param_sets) for r, s in enumerate(seeds)]
    S = np.full((len(param_sets), len(seeds), len(stats)), np.nan)
    for n, (task, out) in enumerate(zip(tasks, run(simulate, tasks))):
        if not isinstance(out, Mapping):
            raise TypeError(f"simulate must return a dict of statistic -> value; task {task.key} returned "
                            f"{type(out).__name__}")
        missing = [s for s in stats if s not in out]
        if missing:
            raise KeyError(f"simulate did not report statistic(s) {missing} (task {task.key}); "
                           "drop those targets or add them to the model's statistics")
        S[divmod(n, len(seeds))] = [float(np.asarray(out[s], float)) for s in stats]
    return S


def _statistic_columns(stats: list[str], names: list[str], scores: dict) -> dict[str, np.ndarray]:
    """``sim__``/``sd__`` per statistic, then ``I__`` per target: the columns a scored set shows."""
    cols: dict[str, np.ndarray] = {}
    for k, s in enumerate(stats):
        cols[f"sim__{s}"] = scores["mean"][:, k]
        cols[f"sd__{s}"] = np.sqrt(scores["var"][:, k])
    for k, n in enumerate(names):
        cols[f"I__{n}"] = scores["I"][:, k]
    return cols


# ----------------------------------------------------------------------------- evaluation
def evaluate(simulate: Callable, param_sets: Sequence[Mapping[str, float]], targets: pd.DataFrame, *,
             replications: int, seed: int, run_tasks=None, executor_kwargs=None, key_prefix: str | None = None,
             progress: bool = False) -> pd.DataFrame:
    """Simulate given parameter sets (common random numbers) and score them against targets.

    Returns one row per set: the parameters, ``sim__<statistic>`` (replication mean),
    ``sd__<statistic>``, ``I__<target>``, ``I_max`` and ``distance``. Useful for checking a
    single candidate, e.g. the posterior mean or a known truth. The replication seeds are those
    of a wave 0, which history matching never runs.
    """
    t, stats, obs, tol = target_arrays(targets)
    param_sets = [dict(p) for p in param_sets]
    seeds = replication_seeds(seed, 0, replications)
    if key_prefix is None:  # keys must differ between different evaluations sharing a task store
        key_prefix = "eval" + stable_hash({"sets": param_sets, "seeds": seeds, "stats": stats,
                                           "simulate": getattr(simulate, "__qualname__", repr(simulate))},
                                          digits=KEY_DIGITS)
    S = _simulate_sets(simulate, param_sets, stats, seeds, key_prefix, _runner(run_tasks, executor_kwargs, progress))
    scores = score(S, obs, tol)
    df = pd.DataFrame(param_sets)
    for column, values in _statistic_columns(stats, t["name"].tolist(), scores).items():
        df[column] = values
    df["I_max"], df["distance"] = scores["I_max"], scores["distance"]
    return df


# ----------------------------------------------------------------------------- waves
class _WaveStore:
    """Finished waves of one calibration on disk, so that a rerun simulates only what is missing.

    ``config.json`` names the configuration (a store holds one), ``wave_NN.parquet`` a wave's
    table and ``wave_NN.json`` its box and replication seeds; each is written atomically.
    """

    def __init__(self, folder: Path, config: dict):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.json"
        if path.exists():
            old = json.loads(path.read_text("utf-8"))
            if old.get("config_hash") != config["config_hash"]:
                raise ValueError(f"store {folder} holds a calibration with another configuration "
                                 f"(hash {old.get('config_hash')} != {config['config_hash']}); "
                                 "use a new store directory")
        else:
            write_text_atomic(path, to_json(config, indent=2))
        self.folder = folder

    def _paths(self, wave: int) -> tuple[Path, Path]:
        return self.folder / f"wave_{wave:02d}.parquet", self.folder / f"wave_{wave:02d}.json"

    def load(self, wave: int):
        """(table, box_lo, box_hi) of a finished wave, or None."""
        table, meta = self._paths(wave)
        if not (table.exists() and meta.exists()):
            return None
        box = json.loads(meta.read_text("utf-8"))
        return pd.read_parquet(table), np.asarray(box["box_lo"]), np.asarray(box["box_hi"])

    def save(self, wave: int, table: pd.DataFrame, meta: dict) -> None:
        table_path, meta_path = self._paths(wave)
        write_parquet_atomic(table_path, table)
        write_text_atomic(meta_path, to_json(meta, indent=2))


def _wave_table(priors: list[Prior], targets: pd.DataFrame, stats: list[str], U: np.ndarray, S: np.ndarray,
                scores: dict, *, wave: int) -> pd.DataFrame:
    """One row per set of the wave, in the layout of :attr:`CalibrationResult.history`."""
    cols: dict[str, Any] = {"wave": np.full(len(U), wave, int), "point": np.arange(len(U))}
    for j, p in enumerate(priors):
        cols[p.name] = p.from_unit(U[:, j])
    cols.update(_statistic_columns(stats, targets["name"].tolist(), scores))
    cols["I_max"], cols["I_2nd"], cols["distance"] = scores["I_max"], scores["I_2nd"], scores["distance"]
    cols["n_failed"] = np.isnan(S).any(axis=2).sum(axis=1)
    for j, p in enumerate(priors):
        cols[f"u__{p.name}"] = U[:, j]
    return pd.DataFrame(cols)


@dataclass(frozen=True)
class _WaveSimulation:
    """Design, simulate and score one wave; holds what stays the same from wave to wave."""

    simulate: Callable
    priors: list[Prior]
    targets: tuple  # what scoring.target_arrays returns
    n_per_wave: int
    replications: int
    seed: int
    refocus: str
    k_nn: int
    oversample: int
    key_prefix: str
    run: Callable

    def __call__(self, wave: int, lo, hi, previous: list[pd.DataFrame], screen_cut: float):
        """(the wave's table, its replication seeds); ``previous`` are the tables of earlier waves,
        whose sets with ``I_max <= screen_cut`` the nearest-neighbour screen keeps close to."""
        t, stats, obs, tol = self.targets
        screen = {"screen_points": None, "screen_ok": None}
        if previous and self.refocus == "box+nn":
            prev = pd.concat(previous, ignore_index=True)
            screen = {"screen_points": prev[[f"u__{p.name}" for p in self.priors]].to_numpy(),
                      "screen_ok": (prev["I_max"] <= screen_cut).to_numpy()}
        U = wave_design(self.n_per_wave, len(self.priors), self.seed, wave, lo, hi, **screen, k_nn=self.k_nn,
                        oversample=self.oversample)
        seeds = replication_seeds(self.seed, wave, self.replications)
        S = _simulate_sets(self.simulate, unit_to_params(self.priors, U), stats, seeds,
                           f"{self.key_prefix}-w{wave:02d}", self.run)
        return _wave_table(self.priors, t, stats, U, S, score(S, obs, tol), wave=wave), seeds


def _method_config(simulate, priors: list[Prior], targets: pd.DataFrame, settings: dict) -> dict:
    """What determines the simulations of the waves; its hash names the store and the task keys."""
    name = f"{getattr(simulate, '__module__', '?')}.{getattr(simulate, '__qualname__', repr(simulate))}"
    return {"format": _FORMAT_VERSION, "method": METHOD_NAME, "simulate": name,
            "priors": [p.as_dict() for p in priors],
            "targets": targets[["name", "value", "tolerance", "statistic"]].to_dict(orient="records"),
            **settings}


def _box_record(priors: list[Prior], wave: int, lo, hi, n_nroy: int, cut: float) -> dict:
    return {"wave": wave, "lo": lo.tolist(), "hi": hi.tolist(),
            "lo_params": {p.name: float(p.from_unit(lo[j])) for j, p in enumerate(priors)},
            "hi_params": {p.name: float(p.from_unit(hi[j])) for j, p in enumerate(priors)},
            "n_nroy": n_nroy, "refocus_cutoff": cut}


# (long: mostly its parameter documentation; the code is under 60 lines and the wave loop reads best
# in one piece)
def history_match(simulate: Callable[..., Mapping[str, float]], priors, targets: pd.DataFrame, *,
                  n_per_wave: int, waves: int, replications: int, seed: int, cutoff: float = 3.0,
                  abc_epsilon: float | None = 1.0, refocus: str = "box+nn", margin: float = 0.1,
                  refocus_keep: float = 0.05,
                  k_nn: int = 3, oversample: int = 8, run_tasks=None, executor_kwargs: dict | None = None,
                  store: str | Path | None = None, progress: bool = True) -> CalibrationResult:
    """Calibrate ``simulate`` to ``targets`` by history matching in waves, then ABC rejection.

    Parameters
    ----------
    simulate:
        ``simulate(params: dict[str, float], seed: int) -> dict[str, float]`` mapping each
        target's ``statistic`` to a simulated value; a top-level (picklable) function when the
        executor runs it in other processes.
    priors:
        ``{dotted.name: (low, high)}`` (uniform), ``(low, high, "log")`` (log-uniform), or a
        list of :class:`Prior`.
    targets:
        A targets table (see :mod:`sim.calibrate.targets`); each row needs a distinct statistic.
    n_per_wave, waves, replications, seed:
        Design size per wave, number of waves, replications per set (common random numbers
        within a wave) and the root seed; same seed -> same result.
    cutoff:
        Implausibility cutoff (3 by convention).
    abc_epsilon:
        ABC acceptance threshold on the tolerance-scaled RMS error among the final wave's
        non-implausible sets; ``None`` accepts them all.
    refocus:
        ``"box"`` (Sobol in the shrunk box) or ``"box+nn"`` (plus the nearest-neighbour screen).
    margin, refocus_keep, k_nn, oversample:
        Box widening (share of the box width); the share of a wave that the next wave is placed
        around when fewer sets than that are non-implausible (a provisional cutoff, used only
        for placing the next wave); neighbours and oversampling of the screen.
    run_tasks, executor_kwargs:
        Executor with the signature of ``sim.run.executor.run_tasks``; ``executor_kwargs`` are
        passed on (e.g. workers, a task store). ``None``: ``sim.run.executor.run_tasks`` with
        ``workers=1`` (serially in this process) unless ``executor_kwargs`` say otherwise.
    store:
        Directory for wave checkpoints; a rerun with the same configuration loads finished
        waves instead of simulating them again (more waves may be asked for on a rerun).
    """
    prs = normalise_priors(priors)
    scoring_targets = target_arrays(targets)
    t = scoring_targets[0]
    if n_per_wave < 2 or waves < 1 or replications < 1:
        raise ValueError("need n_per_wave >= 2, waves >= 1, replications >= 1")
    if refocus not in ("box", "box+nn"):
        raise ValueError(f"refocus must be 'box' or 'box+nn', got {refocus!r}")
    cfg = _method_config(simulate, prs, t, {
        "n_per_wave": int(n_per_wave), "replications": int(replications), "seed": int(seed),
        "cutoff": float(cutoff), "refocus": refocus, "margin": float(margin), "k_nn": int(k_nn),
        "oversample": int(oversample), "refocus_keep": float(refocus_keep)})
    chash = stable_hash(cfg, digits=KEY_DIGITS)
    wave_store = _WaveStore(Path(store), dict(cfg, config_hash=chash)) if store is not None else None
    simulate_wave = _WaveSimulation(simulate, prs, scoring_targets, n_per_wave, replications, seed, refocus,
                                    k_nn, oversample, key_prefix=f"hm{chash}",
                                    run=_runner(run_tasks, executor_kwargs, progress))
    lo, hi = np.zeros(len(prs)), np.ones(len(prs))
    screen_cut = float(cutoff)
    frames: list[pd.DataFrame] = []
    boxes: list[dict] = []
    notes: list[str] = []
    for wave in range(1, waves + 1):
        stored = wave_store.load(wave) if wave_store is not None else None
        if stored is not None:
            df, lo, hi = stored
        else:
            df, seeds = simulate_wave(wave, lo, hi, frames, screen_cut)
            if wave_store is not None:
                wave_store.save(wave, df, {"wave": wave, "box_lo": lo.tolist(), "box_hi": hi.tolist(),
                                           "seeds": seeds, "n": int(len(df)),
                                           "n_nroy": int((df["I_max"] <= cutoff).sum())})
        df["nroy"] = df["I_max"] <= cutoff
        frames.append(df)
        keep_cut = refocus_cutoff(df["I_max"].to_numpy(), cutoff, keep_share=refocus_keep, min_keep=len(prs) + 1)
        boxes.append(_box_record(prs, wave, lo, hi, int(df["nroy"].sum()), keep_cut))
        keep = (df["I_max"] <= keep_cut).to_numpy()
        if wave == waves and not df["nroy"].any():
            notes.append(f"final wave {wave}: no non-implausible set (min I_max {df['I_max'].min():.2f}). "
                         "The targets cannot be matched inside the prior box with these tolerances: check "
                         "the targets, the tolerances or the model, or run more waves.")
            warnings.warn(notes[-1], RuntimeWarning, stacklevel=2)
        if not keep.any():
            notes.append(f"wave {wave}: every simulation failed or gave non-finite statistics; stopped")
            warnings.warn(notes[-1], RuntimeWarning, stacklevel=2)
            break
        if keep_cut > cutoff:
            notes.append(f"wave {wave}: {int(df['nroy'].sum())} non-implausible sets; next wave placed around "
                         f"the best {int(keep.sum())} (I_max <= {keep_cut:.2f})")
        if wave < waves:
            lo, hi = next_box(df.loc[keep, [f"u__{p.name}" for p in prs]].to_numpy(), lo, hi, len(df), margin)
            screen_cut = keep_cut

    history = pd.concat(frames, ignore_index=True)
    history["abc_accept"] = abc_accept(history, abc_epsilon)
    full_cfg = dict(cfg, waves=int(waves), abc_epsilon=abc_epsilon, config_hash=chash)
    return CalibrationResult(prs, t, full_cfg, history, boxes, METHOD_NAME, notes)
