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

Execution goes through an executor function with the signature of
``sim.run.executor.run_tasks(func, tasks, *, ...)`` where each task has ``.key`` and
``.kwargs``; when none is given a small serial fallback runs the tasks in this process. Task
keys are deterministic (config hash, wave, point, replication), so a store-backed executor can
resume half-finished waves, and with ``store=`` completed waves are saved and skipped on rerun.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from scipy.stats import qmc

from ..files import write_text_atomic
from .targets import validate_targets

__all__ = [
    "METHOD_NAME", "Prior", "Task", "CalibrationResult", "history_match", "evaluate",
    "implausibility", "abc_distance", "normalise_priors", "priors_from_params", "serial_run_tasks", "load_result",
]

METHOD_NAME = "history matching (Sobol waves, implausibility cutoff) + ABC rejection"
_FORMAT_VERSION = 1


# ----------------------------------------------------------------------------- priors
@dataclass(frozen=True)
class Prior:
    """A uniform (or log-uniform) prior on one parameter, addressed by its dotted path."""

    name: str
    low: float
    high: float
    log: bool = False

    def __post_init__(self):
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"prior {self.name!r}: need finite low < high, got ({self.low}, {self.high})")
        if self.log and self.low <= 0:
            raise ValueError(f"prior {self.name!r}: a log-uniform prior needs low > 0, got {self.low}")

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, float)
        if self.log:
            a, b = math.log(self.low), math.log(self.high)
            return np.exp(a + u * (b - a))
        return self.low + u * (self.high - self.low)

    def to_unit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        if self.log:
            a, b = math.log(self.low), math.log(self.high)
            return (np.log(x) - a) / (b - a)
        return (x - self.low) / (self.high - self.low)

    def as_dict(self) -> dict:
        return {"name": self.name, "low": self.low, "high": self.high, "log": self.log}


def normalise_priors(priors: Mapping[str, Any] | Sequence[Prior]) -> list[Prior]:
    """Accept ``{name: (low, high)}``, ``{name: (low, high, "log")}``,
    ``{name: {"low":…, "high":…, "log": bool}}`` or a list of :class:`Prior`."""
    if isinstance(priors, Mapping):
        out = []
        for name, spec in priors.items():
            if isinstance(spec, Prior):
                out.append(spec)
            elif isinstance(spec, Mapping):
                out.append(Prior(str(name), float(spec["low"]), float(spec["high"]), bool(spec.get("log", False))))
            else:
                spec = tuple(spec)
                if len(spec) == 2:
                    out.append(Prior(str(name), float(spec[0]), float(spec[1])))
                elif len(spec) == 3 and spec[2] in ("log", "log-uniform", True):
                    out.append(Prior(str(name), float(spec[0]), float(spec[1]), True))
                else:
                    raise ValueError(f"prior {name!r}: expected (low, high) or (low, high, 'log'), got {spec!r}")
    else:
        out = list(priors)
    if not out:
        raise ValueError("no priors given")
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate prior names: {names}")
    return out


def priors_from_params(keys: Sequence[str], *, log: Sequence[str] = (), leaves: Mapping | None = None) -> list[Prior]:
    """Uniform priors from the ``range`` of scalar parameters in ``sim/params`` (dotted keys).

    Vector parameters are refused: their ``range`` may mean a multiplier on the whole vector
    (e.g. ``hazards.*.escalate``), which only the parameter module can apply; give such priors
    explicitly and map them in ``simulate``. ``log`` lists keys to sample log-uniformly.
    """
    if leaves is None:
        from ..params import default_leaves
        leaves = default_leaves()
    out = []
    for k in keys:
        if k not in leaves:
            raise KeyError(f"unknown parameter {k!r}")
        leaf = leaves[k]
        if leaf.range is None or len(leaf.range) != 2:
            raise ValueError(f"parameter {k!r} has no (low, high) range")
        if isinstance(leaf.value, (list, tuple, dict)) or isinstance(leaf.value, bool):
            raise ValueError(f"parameter {k!r} is not a scalar; give its prior explicitly")
        out.append(Prior(k, float(leaf.range[0]), float(leaf.range[1]), k in set(log)))
    return out


# ----------------------------------------------------------------------------- execution
class Task(NamedTuple):
    """One simulation: ``func(**kwargs)``; ``key`` names its result (same shape as the executor's Task)."""

    key: str
    kwargs: dict


def serial_run_tasks(func: Callable, tasks: Sequence, *, progress: bool = False, **_ignored) -> dict:
    """The local fallback executor: run every task in this process, in order."""
    it = tasks
    if progress:
        try:
            from tqdm import tqdm
            it = tqdm(tasks, desc="simulations", leave=False)
        except ImportError:  # pragma: no cover
            pass
    return {t.key: func(**t.kwargs) for t in it}


def _task_type():
    """The executor's own Task type when it exists, else ours (same fields: key, kwargs)."""
    try:  # the executor module is written in parallel; duck typing covers its absence
        from ..run.executor import Task as ExecTask  # type: ignore
        return ExecTask
    except Exception:
        return Task


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


# ----------------------------------------------------------------------------- statistics
def implausibility(sim_mean, sim_var, n_rep: int, observed, tolerance) -> np.ndarray:
    """I = |sim_mean - obs| / sqrt(tol**2 + sim_var / n_rep); NaN simulations give +inf."""
    sim_mean = np.asarray(sim_mean, float)
    sim_var = np.nan_to_num(np.asarray(sim_var, float), nan=0.0)
    denom = np.sqrt(np.asarray(tolerance, float) ** 2 + sim_var / max(int(n_rep), 1))
    out = np.abs(sim_mean - np.asarray(observed, float)) / denom
    return np.where(np.isfinite(out), out, np.inf)


def abc_distance(sim_mean, observed, tolerance) -> np.ndarray:
    """Tolerance-scaled root-mean-square error over targets (last axis)."""
    z = (np.asarray(sim_mean, float) - np.asarray(observed, float)) / np.asarray(tolerance, float)
    d = np.sqrt(np.mean(z ** 2, axis=-1))
    return np.where(np.isfinite(d), d, np.inf)


def _replication_seeds(seed: int, wave: int, n_rep: int) -> list[int]:
    """Common random numbers: one seed per replication, shared by every set in the wave."""
    return [int(np.random.SeedSequence(seed, spawn_key=(wave, 1, r)).generate_state(1, np.uint32)[0])
            for r in range(n_rep)]


def _sobol(d: int, n: int, seed: int, wave: int, draw: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(wave, 0, draw)))
    sampler = qmc.Sobol(d, scramble=True, seed=rng)
    m = int(math.ceil(math.log2(max(n, 1))))
    return sampler.random_base2(m)[:n]  # a 2**m prefix keeps the balance properties; take the first n


# ----------------------------------------------------------------------------- evaluation
def _target_arrays(targets: pd.DataFrame):
    t = validate_targets(targets)
    dup = t["statistic"][t["statistic"].duplicated()].tolist()
    if dup:
        raise ValueError(f"each target must report a different statistic; repeated: {dup}")
    return t, t["statistic"].tolist(), t["value"].to_numpy(float), t["tolerance"].to_numpy(float)


def _simulate_sets(simulate, param_sets: list[dict], stats: list[str], *, replications: int,
                   seeds: list[int], key_prefix: str, run_tasks, executor_kwargs, progress) -> np.ndarray:
    """Simulate every set with every seed; return S[set, replication, statistic]."""
    make = _task_type()
    where: dict[str, tuple[int, int]] = {}
    tasks = []
    for i, params in enumerate(param_sets):
        for r, s in enumerate(seeds):
            key = f"{key_prefix}-p{i:05d}-r{r:03d}"
            where[key] = (i, r)
            tasks.append(make(key, {"params": params, "seed": s}))
    if run_tasks is None:
        results = serial_run_tasks(simulate, tasks, progress=progress)
    else:
        results = run_tasks(simulate, tasks, **(executor_kwargs or {}))
    values = _collect(results, tasks)
    S = np.full((len(param_sets), replications, len(stats)), np.nan)
    for t, out in zip(tasks, values):
        i, r = where[t.key]
        if not isinstance(out, Mapping):
            raise TypeError(f"simulate must return a dict of statistic -> value; task {t.key} returned {type(out).__name__}")
        missing = [s for s in stats if s not in out]
        if missing:
            raise KeyError(f"simulate did not report statistic(s) {missing} (task {t.key}); "
                           "drop those targets or add them to the model's statistics")
        S[i, r] = [float(np.asarray(out[s], float)) for s in stats]
    return S


def _score(S: np.ndarray, observed, tolerance) -> dict[str, np.ndarray]:
    n_rep = S.shape[1]
    mean = S.mean(axis=1)
    var = S.var(axis=1, ddof=1) if n_rep > 1 else np.zeros_like(mean)
    imp = implausibility(mean, var, n_rep, observed, tolerance)
    srt = np.sort(imp, axis=1)[:, ::-1]
    return {"mean": mean, "var": var, "I": imp, "I_max": srt[:, 0],
            "I_2nd": srt[:, 1] if srt.shape[1] > 1 else np.zeros(len(srt)),
            "distance": abc_distance(mean, observed, tolerance)}


def _frame(priors, stats, names, U: np.ndarray, S: np.ndarray, scores: dict, *, wave: int) -> pd.DataFrame:
    cols: dict[str, Any] = {"wave": np.full(len(U), wave, int), "point": np.arange(len(U))}
    for j, p in enumerate(priors):
        cols[p.name] = p.from_unit(U[:, j])
    for k, (s, n) in enumerate(zip(stats, names)):
        cols[f"sim__{s}"] = scores["mean"][:, k]
        cols[f"sd__{s}"] = np.sqrt(scores["var"][:, k])
    for k, n in enumerate(names):
        cols[f"I__{n}"] = scores["I"][:, k]
    cols["I_max"], cols["I_2nd"], cols["distance"] = scores["I_max"], scores["I_2nd"], scores["distance"]
    cols["n_failed"] = np.isnan(S).any(axis=2).sum(axis=1)
    for j, p in enumerate(priors):
        cols[f"u__{p.name}"] = U[:, j]
    return pd.DataFrame(cols)


def evaluate(simulate: Callable, param_sets: Sequence[Mapping[str, float]], targets: pd.DataFrame, *,
             replications: int, seed: int, run_tasks=None, executor_kwargs=None, key_prefix: str | None = None,
             progress: bool = False) -> pd.DataFrame:
    """Simulate given parameter sets (common random numbers) and score them against targets.

    Returns one row per set: the parameters, ``sim__<statistic>`` (replication mean),
    ``sd__<statistic>``, ``I__<target>``, ``I_max`` and ``distance``. Useful for checking a
    single candidate, e.g. the posterior mean or a known truth.
    """
    t, stats, obs, tol = _target_arrays(targets)
    param_sets = [dict(p) for p in param_sets]
    seeds = _replication_seeds(seed, 0, replications)
    if key_prefix is None:  # keys must differ between different evaluations sharing a task store
        key_prefix = "eval" + _config_hash({"sets": param_sets, "seeds": seeds, "stats": stats,
                                            "simulate": getattr(simulate, "__qualname__", repr(simulate))})
    S = _simulate_sets(simulate, param_sets, stats, replications=replications, seeds=seeds,
                       key_prefix=key_prefix, run_tasks=run_tasks, executor_kwargs=executor_kwargs,
                       progress=progress)
    scores = _score(S, obs, tol)
    df = pd.DataFrame(param_sets)
    for k, s in enumerate(stats):
        df[f"sim__{s}"] = scores["mean"][:, k]
        df[f"sd__{s}"] = np.sqrt(scores["var"][:, k])
    for k, n in enumerate(t["name"]):
        df[f"I__{n}"] = scores["I"][:, k]
    df["I_max"], df["distance"] = scores["I_max"], scores["distance"]
    return df


# ----------------------------------------------------------------------------- result
@dataclass
class CalibrationResult:
    """All simulated sets of all waves plus the flags that pick the plausible and posterior sets.

    ``history`` has one row per simulated set: ``wave``, ``point``, one column per parameter
    (its dotted path), ``sim__<statistic>`` (mean over replications), ``sd__<statistic>``,
    ``I__<target>``, ``I_max``, ``I_2nd``, ``distance``, ``n_failed``, ``u__<parameter>``
    (unit-cube coordinate), ``nroy`` (non-implausible) and, for the final wave, ``abc_accept``.
    """

    priors: list[Prior]
    targets: pd.DataFrame
    config: dict
    history: pd.DataFrame
    boxes: list[dict]
    method: str = METHOD_NAME
    notes: list[str] = field(default_factory=list)

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.priors]

    @property
    def final_wave(self) -> int:
        return int(self.history["wave"].max()) if len(self.history) else 0

    @property
    def plausible(self) -> pd.DataFrame:
        """Non-implausible sets of the final wave."""
        h = self.history
        return h[(h["wave"] == self.final_wave) & h["nroy"]].reset_index(drop=True)

    @property
    def posterior(self) -> pd.DataFrame:
        """Plausible sets accepted by the ABC rejection step."""
        p = self.plausible
        return p[p["abc_accept"]].reset_index(drop=True)

    def posterior_mean(self) -> pd.Series:
        return self.posterior[self.parameter_names].mean()

    def posterior_medoid(self) -> pd.Series:
        """The accepted set closest (in unit-cube coordinates) to all the others: a real, simulated set."""
        post = self.posterior
        if post.empty:
            raise ValueError("empty posterior")
        U = post[[f"u__{n}" for n in self.parameter_names]].to_numpy()
        dist = np.sqrt(((U[:, None, :] - U[None, :, :]) ** 2).sum(-1)).sum(1)
        return post.loc[int(np.argmin(dist)), self.parameter_names]

    def wave_summary(self) -> pd.DataFrame:
        h = self.history
        g = h.groupby("wave")
        return pd.DataFrame({"n": g.size(), "n_nroy": g["nroy"].sum(),
                             "share_nroy": g["nroy"].mean(), "min_I_max": g["I_max"].min()})

    def save(self, out_dir: str | Path, *, prefix: str = "") -> dict[str, Path]:
        """Write ``plausible.csv``, ``posterior.csv`` (parameter columns only, one per dotted
        path), ``history.parquet`` and ``calibration_config.json`` to ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {
            "plausible": out / f"{prefix}plausible.csv",
            "posterior": out / f"{prefix}posterior.csv",
            "history": out / f"{prefix}history.parquet",
            "config": out / f"{prefix}calibration_config.json",
        }
        plaus = self.plausible.drop(columns=[c for c in self.plausible.columns if c.startswith("u__")])
        plaus.to_csv(paths["plausible"], index=False)
        self.posterior[self.parameter_names].to_csv(paths["posterior"], index=False)
        self.history.to_parquet(paths["history"], index=False)
        meta = {
            "method": self.method,
            "config": self.config,
            "priors": [p.as_dict() for p in self.priors],
            "targets": self.targets.to_dict(orient="records"),
            "boxes": self.boxes,
            "waves": self.wave_summary().reset_index().to_dict(orient="records"),
            "n_plausible": int(len(self.plausible)),
            "n_posterior": int(len(self.posterior)),
            "posterior_mean": {k: float(v) for k, v in self.posterior_mean().items()} if len(self.posterior) else None,
            "notes": self.notes,
        }
        write_text_atomic(paths["config"], json.dumps(meta, indent=2, default=_json_default))
        return paths


def load_result(out_dir: str | Path, *, prefix: str = "") -> CalibrationResult:
    """Read back what :meth:`CalibrationResult.save` wrote."""
    out = Path(out_dir)
    meta = json.loads((out / f"{prefix}calibration_config.json").read_text("utf-8"))
    history = pd.read_parquet(out / f"{prefix}history.parquet")
    priors = [Prior(**p) for p in meta["priors"]]
    return CalibrationResult(priors, pd.DataFrame(meta["targets"]), meta["config"], history,
                             meta["boxes"], meta["method"], meta.get("notes", []))


# ----------------------------------------------------------------------------- storage
def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _atomic_write_parquet(path: Path, df: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    df.to_parquet(tmp, index=False)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _config_hash(cfg: dict) -> str:
    return hashlib.sha256(json.dumps(cfg, sort_keys=True, default=_json_default).encode()).hexdigest()[:10]


# ----------------------------------------------------------------------------- waves
def _next_box(U_nroy: np.ndarray, box_lo: np.ndarray, box_hi: np.ndarray, n_prev: int, margin: float):
    """Bounding box of the non-implausible points, widened, inside the previous box."""
    d = U_nroy.shape[1]
    lo, hi = U_nroy.min(axis=0), U_nroy.max(axis=0)
    spacing = (box_hi - box_lo) / max(n_prev, 1) ** (1.0 / d)  # typical distance between design points
    pad = np.maximum(margin * (hi - lo), spacing)
    return np.maximum(lo - pad, box_lo), np.minimum(hi + pad, box_hi)


def _design(n: int, d: int, seed: int, wave: int, lo: np.ndarray, hi: np.ndarray, *,
            screen_points: np.ndarray | None, screen_ok: np.ndarray | None, k_nn: int,
            oversample: int) -> np.ndarray:
    """n Sobol points in [lo, hi]; optionally screened by the nearest-neighbour NROY test."""
    width = np.where(hi > lo, hi - lo, 1.0)
    if screen_points is None:
        return lo + _sobol(d, n, seed, wave, 0) * (hi - lo)
    tree = cKDTree((screen_points - lo) / width)
    k = min(k_nn, len(screen_points))
    chosen: list[np.ndarray] = []
    pool: list[np.ndarray] = []
    for draw in range(4):
        cand = lo + _sobol(d, n * oversample * (2 ** draw), seed, wave, 1 + draw) * (hi - lo)
        _, idx = tree.query((cand - lo) / width, k=k)
        idx = np.asarray(idx).reshape(len(cand), -1)
        ok = screen_ok[idx].any(axis=1)
        chosen = list(cand[ok])
        pool = list(cand[~ok])
        if len(chosen) >= n:
            return np.asarray(chosen[:n])
    # not enough screened candidates: fill with unscreened box points (still space-filling)
    fill = np.asarray(pool[: n - len(chosen)]).reshape(-1, d)
    return np.vstack([np.asarray(chosen).reshape(-1, d), fill])


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
        Top-level (picklable) function ``simulate(params: dict[str, float], seed: int) ->
        dict[str, float]`` mapping each target's ``statistic`` to a simulated value.
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
        passed on (e.g. workers, a task store). ``None`` runs serially in this process.
    store:
        Directory for wave checkpoints; a rerun with the same configuration loads finished
        waves instead of simulating them again (more waves may be asked for on a rerun).
    """
    prs = normalise_priors(priors)
    t, stats, obs, tol = _target_arrays(targets)
    if n_per_wave < 2 or waves < 1 or replications < 1:
        raise ValueError("need n_per_wave >= 2, waves >= 1, replications >= 1")
    if refocus not in ("box", "box+nn"):
        raise ValueError(f"refocus must be 'box' or 'box+nn', got {refocus!r}")
    d = len(prs)
    cfg = {
        "format": _FORMAT_VERSION, "method": METHOD_NAME,
        "simulate": f"{getattr(simulate, '__module__', '?')}.{getattr(simulate, '__qualname__', repr(simulate))}",
        "priors": [p.as_dict() for p in prs],
        "targets": t[["name", "value", "tolerance", "statistic"]].to_dict(orient="records"),
        "n_per_wave": int(n_per_wave), "replications": int(replications), "seed": int(seed),
        "cutoff": float(cutoff), "refocus": refocus, "margin": float(margin), "k_nn": int(k_nn),
        "oversample": int(oversample), "refocus_keep": float(refocus_keep),
    }
    chash = _config_hash(cfg)
    full_cfg = dict(cfg, waves=int(waves), abc_epsilon=abc_epsilon, config_hash=chash)

    store_dir = Path(store) if store is not None else None
    if store_dir is not None:
        store_dir.mkdir(parents=True, exist_ok=True)
        cfg_path = store_dir / "config.json"
        if cfg_path.exists():
            old = json.loads(cfg_path.read_text("utf-8"))
            if old.get("config_hash") != chash:
                raise ValueError(f"store {store_dir} holds a calibration with another configuration "
                                 f"(hash {old.get('config_hash')} != {chash}); use a new store directory")
        else:
            write_text_atomic(cfg_path, json.dumps(dict(cfg, config_hash=chash), indent=2, default=_json_default))

    lo, hi = np.zeros(d), np.ones(d)
    screen_cut = float(cutoff)
    frames: list[pd.DataFrame] = []
    boxes: list[dict] = []
    notes: list[str] = []
    for wave in range(1, waves + 1):
        wave_file = store_dir / f"wave_{wave:02d}.parquet" if store_dir is not None else None
        meta_file = store_dir / f"wave_{wave:02d}.json" if store_dir is not None else None
        if wave_file is not None and wave_file.exists() and meta_file.exists():
            df = pd.read_parquet(wave_file)
            meta = json.loads(meta_file.read_text("utf-8"))
            lo, hi = np.asarray(meta["box_lo"]), np.asarray(meta["box_hi"])
        else:
            if wave == 1 or refocus == "box":
                screen_pts = screen_ok = None
            else:
                prev = pd.concat(frames, ignore_index=True)
                screen_pts = prev[[f"u__{p.name}" for p in prs]].to_numpy()
                screen_ok = (prev["I_max"] <= screen_cut).to_numpy()
            U = _design(n_per_wave, d, seed, wave, lo, hi, screen_points=screen_pts, screen_ok=screen_ok,
                        k_nn=k_nn, oversample=oversample)
            param_sets = [{p.name: float(p.from_unit(U[i, j])) for j, p in enumerate(prs)} for i in range(len(U))]
            seeds = _replication_seeds(seed, wave, replications)
            S = _simulate_sets(simulate, param_sets, stats, replications=replications, seeds=seeds,
                               key_prefix=f"hm{chash}-w{wave:02d}", run_tasks=run_tasks,
                               executor_kwargs=executor_kwargs, progress=progress)
            df = _frame(prs, stats, t["name"].tolist(), U, S, _score(S, obs, tol), wave=wave)
            meta = {"wave": wave, "box_lo": lo.tolist(), "box_hi": hi.tolist(), "seeds": seeds,
                    "n": int(len(df)), "n_nroy": int((df["I_max"] <= cutoff).sum())}
            if wave_file is not None:
                _atomic_write_parquet(wave_file, df)
                write_text_atomic(meta_file, json.dumps(meta, indent=2, default=_json_default))
        df["nroy"] = df["I_max"] <= cutoff
        frames.append(df)
        # refocus on the non-implausible sets; while there are too few of them (early waves,
        # tight tolerances), on the best `refocus_keep` share -- a provisional cutoff used only
        # to place the next wave, never to call a set plausible.
        n_keep = max(d + 1, int(math.ceil(refocus_keep * len(df))))
        finite = np.sort(df["I_max"].to_numpy()[np.isfinite(df["I_max"].to_numpy())])
        if int(df["nroy"].sum()) >= n_keep or len(finite) == 0:
            refocus_cutoff = float(cutoff)
        else:
            refocus_cutoff = float(max(cutoff, finite[min(n_keep, len(finite)) - 1]))
        boxes.append({"wave": wave, "lo": lo.tolist(), "hi": hi.tolist(),
                      "lo_params": {p.name: float(p.from_unit(lo[j])) for j, p in enumerate(prs)},
                      "hi_params": {p.name: float(p.from_unit(hi[j])) for j, p in enumerate(prs)},
                      "n_nroy": int(df["nroy"].sum()), "refocus_cutoff": refocus_cutoff})
        keep = (df["I_max"] <= refocus_cutoff).to_numpy()
        if wave == waves and not df["nroy"].any():
            notes.append(f"final wave {wave}: no non-implausible set (min I_max {df['I_max'].min():.2f}). "
                         "The targets cannot be matched inside the prior box with these tolerances: check "
                         "the targets, the tolerances or the model, or run more waves.")
            warnings.warn(notes[-1], RuntimeWarning, stacklevel=2)
        if not keep.any():
            notes.append(f"wave {wave}: every simulation failed or gave non-finite statistics; stopped")
            warnings.warn(notes[-1], RuntimeWarning, stacklevel=2)
            break
        if refocus_cutoff > cutoff:
            notes.append(f"wave {wave}: {int(df['nroy'].sum())} non-implausible sets; next wave placed around "
                         f"the best {int(keep.sum())} (I_max <= {refocus_cutoff:.2f})")
        if wave < waves:
            U_keep = df.loc[keep, [f"u__{p.name}" for p in prs]].to_numpy()
            lo, hi = _next_box(U_keep, lo, hi, len(df), margin)
            screen_cut = refocus_cutoff

    history = pd.concat(frames, ignore_index=True)
    final = history["wave"] == history["wave"].max()
    accept = history["nroy"] & final
    if abc_epsilon is not None:
        accept &= history["distance"] <= abc_epsilon
    history["abc_accept"] = accept
    return CalibrationResult(prs, t, full_cfg, history, boxes, METHOD_NAME, notes)
