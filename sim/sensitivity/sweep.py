"""The life of a sweep folder: start or resume a sweep, run what is missing, analyse, write the
manifest, rename the folder into place.

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
import json
import math
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..files import resolved, write_text_atomic
from ..manifest import to_json
from ..run.store import finished_keys
from ..run.study import StudyFolder
from .config import config_hash, differences, load_sweep, runs_hash
from .design import block_size, make_design, make_tasks, oneway_rows
from .results import analysed_outputs

__all__ = ["run_sweep", "SWEEP_FILE", "DESIGN_FILE", "SESSIONS_FILE", "RUNS_DIR", "MANIFEST", "TEMP_PREFIX"]

SWEEP_FILE, DESIGN_FILE, SESSIONS_FILE, RUNS_DIR = "sweep.json", "design.csv", "sessions.json", "runs"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".sweep-"
RESUME = "sim sweep --resume"


def run_sweep(config=None, *, resume=None, out="results", workers: int | None = None, scheduler=None,
              progress: bool = True, log=None, force: bool = False) -> Path:
    """Run (or resume) a sweep; return its finished results folder.

    ``config``: a sweep config path. ``resume``: a sweep's temporary folder (continue it) or its
    finished folder (recompute the analysis); ``config`` is then optional and, if given, must
    resolve to the same sweep. ``log`` receives the messages for the user (default: stderr at the
    time of the call). A new sweep this machine cannot finish in two days, or hold in memory, is
    refused before its folder is made, unless ``force`` (or a ``scheduler``: the cluster decides).
    """
    log = sys.stderr if log is None else log
    if config is None and resume is None:
        raise ConfigError("nothing to do", expected="a sweep config, or --resume DIR")
    spec = load_sweep(config) if config is not None else None
    if resume is not None:
        folder = _reopen(resolved(resume, what="sweep folder"), spec, log)
        spec = folder.state["spec"]
        design = make_design(spec)
        _check_design(folder.path, design)
    else:
        design = make_design(spec)
        if scheduler is None:
            _check_fits(spec, len(design) + len(oneway_rows(spec)), workers, force=force)
        folder = StudyFolder.create(Path(out), spec["name"], {"format": 1, "spec": spec,
                                                              "design": design.attrs["sensitivity"]},
                                    state_file=SWEEP_FILE, resume_command=RESUME, prefix=TEMP_PREFIX, with_pid=False)
        write_text_atomic(folder.path / DESIGN_FILE, design.to_csv())
    finished_folder = folder.finished
    print(_summary_line(spec, len(design), len(oneway_rows(spec))), file=log)
    if resume is not None:
        print(("re-analysing finished sweep " if finished_folder else "resuming sweep in ") + str(folder.path),
              file=log)
    if not finished_folder:
        print(f"run store: {folder.store}\n"
              f"if interrupted, resume with: {RESUME} {folder.path}", file=log)
    log.flush()

    with folder.locked():
        written, notes, sessions = _run_and_analyse(spec, design, folder, workers=workers, scheduler=scheduler,
                                                    progress=progress, log=log)
        _write_manifest(spec, design, folder.state, folder.path, written=written, notes=notes, sessions=sessions)
        if finished_folder:
            return folder.path
        return folder.complete(prefix=TEMP_PREFIX, keep=True)  # store and state stay: it can be analysed again


def _check_fits(spec: Mapping, evaluations: int, workers: int | None, *, force: bool) -> None:
    """Refuse a sweep too long or too big for this machine (sim.run.resources), before any folder."""
    from ..params import Parameters
    from ..run.resources import check_fits, check_workers, estimate

    e = spec["experiment"]
    n_workers = check_workers(workers if workers is not None else e["workers"], evaluations,
                              key="--workers" if workers is not None else "run.workers")
    burn_in = Parameters.build(dict(spec["base_overrides"]["baseline"]))["burn_in_years"]
    est = estimate(households=e["households"], years=e["years"], burn_in_years=burn_in, runs=2 * evaluations,
                   workers=n_workers, runs_key="sweep.n", kept_runs=0)
    check_fits(est, force=force, what=f"sweep {spec['name']}")


def _reopen(path: Path, spec: Mapping | None, log) -> StudyFolder:
    """An existing sweep folder, checked; with the analysis settings of ``spec`` adopted when only
    those differ."""
    from .parameters import check_runs

    if not (path / SWEEP_FILE).is_file():
        raise ConfigError("not a sweep folder", file=path, expected=f"a folder with {SWEEP_FILE} "
                          f"(the {TEMP_PREFIX}... folder printed when the sweep started, or a finished sweep)")
    folder = StudyFolder.reopen(path, state_file=SWEEP_FILE, resume_command=RESUME, required=("spec",),
                                finished_marker=MANIFEST, verb="sim sweep")
    stored = folder.state["spec"]
    if config_hash(stored) != stored["config_hash"]:
        raise ConfigError("sweep.json was edited", file=path / SWEEP_FILE, key="spec",
                          expected="the file as the sweep wrote it")
    if spec is not None and spec["config_hash"] != stored["config_hash"]:
        if runs_hash(spec) != runs_hash(stored):
            raise ConfigError("the config differs from the sweep being resumed in what the runs depend on",
                              file=spec["files"]["sweep"], found=differences(stored, spec),
                              expected="the same experiment, scenario, method, design and parameters",
                              hint="resume without CONFIG to finish the stored sweep, or start a new sweep")
        # Only analysis settings changed (outputs, num_resamples, description): adopt them.
        print(f"analysis settings changed ({differences(stored, spec)}); no run is repeated", file=log)
        folder.state["spec"] = {**spec, "files": stored.get("files", spec["files"])}
        folder.write_state()
    check_runs(folder.state["spec"])
    return folder


def _run_and_analyse(spec: Mapping, design, folder: Path, *, workers, scheduler, progress, log):
    """Run the missing runs of the design and the one-way runs, then write the tables and charts.
    Returns (files written, notes, every session's record, this one last)."""
    from ..manifest import code_hash
    from ..run.resources import check_workers
    from .design import tasks_per_batch
    from .model import evaluate
    from .results import analyse

    tasks = make_tasks(spec, design)
    sessions_path = folder.path / SESSIONS_FILE
    sessions = _read_json(sessions_path) if sessions_path.is_file() else []
    n_workers = check_workers(workers if workers is not None else spec["experiment"]["workers"], len(tasks),
                              key="--workers" if workers is not None else "run.workers")
    session = {"started": _now(), "finished": None, "seconds": None,
               "workers": None if scheduler is not None else (n_workers or "all cores"),
               "scheduler": str(scheduler) if scheduler is not None else None, "code_hash": code_hash()}
    code_note = None
    if {s.get("code_hash") for s in sessions} - {None, session["code_hash"]}:
        code_note = ("the model code (sim/**/*.py, sim/params) changed since an earlier session of this sweep: "
                     "runs stored before and after may come from different models")
        print(f"warning: {code_note}", file=log)
    sessions.append(session)
    write_text_atomic(sessions_path, json.dumps(sessions, indent=2))
    store = folder.store
    stored_before = finished_keys(store)
    t0 = time.perf_counter()
    results = folder.run(evaluate, tasks, keep_on_failure=True, workers=n_workers or None, scheduler=scheduler,
                         progress=progress, desc=spec["name"], batch_size=tasks_per_batch(spec))
    session["computed"] = sum(1 for t in tasks if t.key not in stored_before)

    notes: list[str] = []
    written = analyse(spec, design, results, folder.path, notes)
    notes = list(dict.fromkeys(([code_note] if code_note else []) + notes))
    for note in notes:
        print(f"note: {note}", file=log)
    session["seconds"] = round(time.perf_counter() - t0, 3)
    session["finished"] = _now()
    write_text_atomic(sessions_path, json.dumps(sessions, indent=2))
    return written, notes, sessions


def _write_manifest(spec: Mapping, design, state: Mapping, folder: Path, *, written: list[str], notes: list[str],
                    sessions: list[dict]) -> None:
    from ..manifest import provenance

    e, session, tasks = spec["experiment"], sessions[-1], len(design) + len(oneway_rows(spec))
    manifest = {
        "sweep": spec["name"],
        "kind": "sensitivity sweep",
        "config": spec,
        "config_file": spec.get("files", {}).get("sweep"),
        "config_hash": spec["config_hash"],
        "experiment_config_hash": e["config_hash"],
        "design": state.get("design", design.attrs["sensitivity"]),
        "runs": {"design": len(design), "oneway": tasks - len(design), "total": tasks,
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
            "bootstrap": "SeedSequence([design, 0x5EED]) for SALib's resamples (sim.sensitivity.analyze)",
        },
        "outputs": spec["outputs"],
        "outputs_analysed": analysed_outputs(spec),
        "files": sorted(written + [DESIGN_FILE, SWEEP_FILE, SESSIONS_FILE, MANIFEST]),
        "notes": notes,
        **provenance(),
        "started": sessions[0]["started"],
        "finished": session["finished"],
        "seconds": round(sum(_session_seconds(sessions, i, folder / RUNS_DIR) for i in range(len(sessions))), 3),
        "sessions": sessions,
    }
    write_text_atomic(folder / MANIFEST, to_json(manifest, indent=2))


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


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _read_json(path: Path):
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"damaged {path.name} ({err})", file=path,
                          expected="the file a sweep writes; start the sweep again") from None
