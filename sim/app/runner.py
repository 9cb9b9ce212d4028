"""The runs behind the what-if screen: a cache keyed by settings, and two ways to compute.

* **The first answer** (preliminary: fewer households and replications, sim.app.settings) runs
  in one warm worker process that started with the app (imports done, compiled kernels loaded):
  `run_experiment(config, workers=1)` there takes a few seconds.
* **The full answer** is `sim run` of the very TOML file the screen offers for download, in a
  subprocess on all cores, with its progress read from its run store as runs finish. Its
  results folder holds the report.html `sim run` writes. A newer question stops it (SIGTERM,
  which `sim run` handles by stopping its workers); going back starts it again.

Every run is kept under `root/<run key>/` for the life of the app (or longer, with a cache folder
of one's own), and every screen made of a run is kept in memory by (run, perspective, language,
charts), so going back to earlier settings is instant. One conductor thread decides what runs
next: always the question asked last.
"""
from __future__ import annotations

import concurrent.futures as cf
import ctypes
import dataclasses
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .settings import Settings, run_key, to_config, to_toml, toml_comment

MANIFEST, RUNS = "manifest.json", "runs"


@dataclass
class Run:
    key: str
    stage: str  # preliminary | final
    out: Path  # the folder the results folder is written into
    total: int  # runs (scenarios x replications)
    state: str = "running"  # running | done | failed
    folder: Path | None = None
    error: str = ""
    started: float = 0.0
    seconds: float = 0.0

    def progress(self) -> int:
        """Runs finished so far (read from the run store of the study folder being written)."""
        if self.state == "done":
            return self.total
        from ..run.store import finished_keys

        return sum(len(finished_keys(tmp / RUNS)) for tmp in self.out.glob(".tmp-*"))


# ---------------------------------------------------------------- in the worker process


def _warm_up() -> bool:
    """Load what every answer needs (imports, compiled kernels, fonts) before the first question."""
    import matplotlib

    matplotlib.use("Agg")
    import importlib

    importlib.import_module("sim.analysis.charts")  # matplotlib, fonts and the chart code
    from ..params.posterior import parameter_draws
    from ..run.evaluate import time_series
    from ..run.experiment import resolve_experiment
    from .settings import Settings, to_config

    time_series(overrides={}, households=200, start_year=2026, years=1, seed=1, replication=0)
    parameter_draws(resolve_experiment(to_config(Settings().preliminary())))  # reads and caches the posterior (~3 s)
    return True


def _preliminary(config: dict, out: str) -> str:
    from ..run.experiment import run_experiment

    return str(run_experiment(config, out=out, workers=1, progress=False, analyse=False))


def _screen(folder: str, perspective: str, language: str, stage: str, charts: tuple, labels: dict):
    import matplotlib

    matplotlib.use("Agg")
    from .screen import make_screen

    return make_screen(folder, perspective=perspective, language=language, stage=stage, charts=charts, labels=labels)


def _report(folder: str, language: str) -> bytes:
    """The folder's report.html in `language` (written by `sim run`, or now for a preliminary run)."""
    from ..analysis.pipeline import analyse_folder

    path = Path(folder)
    return analyse_folder(path, language=language, only_report=(path / "summary.csv").is_file()).read_bytes()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the `sim run` child gets SIGTERM when the app dies, however it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


# ---------------------------------------------------------------- the runner


class Runner:
    """Answers questions (Settings) by runs, preliminary first, and keeps every answer."""

    def __init__(self, root=None, *, warm: bool = True):
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="sim-app-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._runs: dict[str, Run] = {}
        self._screens: dict[tuple, object] = {}
        self._reports: dict[tuple, bytes] = {}
        self._wanted: Settings | None = None
        self._wake = threading.Event()
        self._closed = False
        self._proc: subprocess.Popen | None = None
        self._proc_run: Run | None = None
        self._pool = cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.warm = self._pool.submit(_warm_up) if warm else None
        self._thread = threading.Thread(target=self._conduct, name="sim-app-runner", daemon=True)
        self._thread.start()

    # -------------------------------------------------------- asking

    def want(self, s: Settings) -> None:
        """Make `s` the question to answer next (a preliminary answer first, then the full one)."""
        with self._lock:
            self._wanted = s
        self._wake.set()

    def run_of(self, s: Settings) -> Run | None:
        return self._runs.get(run_key(to_config(s)))

    def best(self, s: Settings) -> tuple[Settings, Run] | None:
        """The most precise finished answer to `s`: the full run if done, else the preliminary one."""
        for stage in (s, s.preliminary()):
            run = self.run_of(stage)
            if run is not None and run.state == "done":
                return stage, run
        return None

    def failure(self, s: Settings) -> str:
        for stage in (s.preliminary(), s):
            run = self.run_of(stage)
            if run is not None and run.state == "failed":
                return run.error
        return ""

    def screen(self, s: Settings, *, charts: tuple):
        """The screen of the best answer to `s` (blocks while it is drawn; then cached)."""
        found = self.best(s)
        if found is None:
            return None
        stage, run = found
        key = (run.key, s.perspective, s.language, tuple(charts))
        if key not in self._screens:
            labels = {name: body["label"] for name, body in to_config(s)["scenarios"].items()}  # in its language
            screen = self._pool.submit(_screen, str(run.folder), s.perspective, s.language, run.stage,
                                       tuple(charts), labels).result()
            screen.seconds = run.seconds
            self._screens[key] = screen
        return self._screens[key]

    def has_screen(self, s: Settings, *, charts: tuple) -> bool:
        found = self.best(s)
        return found is not None and (found[1].key, s.perspective, s.language, tuple(charts)) in self._screens

    def toml(self, s: Settings) -> str:
        """The experiment file that reproduces the best answer to `s` (what the screen shows)."""
        found = self.best(s)
        stage = found[0] if found else s
        stage = dataclasses.replace(stage, language=s.language, perspective=s.perspective)
        return to_toml(to_config(stage), comment=toml_comment(stage))

    def report(self, s: Settings) -> bytes:
        found = self.best(s)
        if found is None:
            return b""
        run = found[1]
        key = (run.key, s.language)
        if key not in self._reports:
            self._reports[key] = self._pool.submit(_report, str(run.folder), s.language).result()
        return self._reports[key]

    # -------------------------------------------------------- computing

    def _conduct(self) -> None:
        while not self._closed:
            self._wake.wait(0.25)
            self._wake.clear()
            try:
                self._step()
            except Exception as err:  # never let the conductor die; the page shows the failure
                print(f"sim app: {type(err).__name__}: {err}", file=sys.stderr)

    def _step(self) -> None:
        self._collect()
        s = self._wanted
        if s is None or self._closed:
            return
        final_key = run_key(to_config(s))
        final = self._runs.get(final_key)
        if final is not None and final.state in ("done", "failed"):
            return
        prelim = self.run_of(s.preliminary())
        if prelim is None:
            self._stop_final()  # the room waits for the first answer: give it the cores
            self._run_preliminary(s.preliminary())
            if self.run_of(s.preliminary()).state == "done":  # draw its J-curve before the full run takes the cores
                from .screen import QUICK_CHARTS

                self.screen(s, charts=QUICK_CHARTS)
            return
        if final is None and (self._proc is None or self._proc_run.key != final_key):
            self._stop_final()
            self._start_final(s)

    def _out(self, key: str) -> Path:
        return self.root / key

    def _run_preliminary(self, s: Settings) -> None:
        config = to_config(s)
        key = run_key(config)
        run = Run(key, "preliminary", self._out(key), total=2 * s.replications, started=time.perf_counter())
        self._runs[key] = run
        try:
            folder = self._pool.submit(_preliminary, config, str(run.out)).result()
        except Exception as err:
            run.state, run.error = "failed", _one_line(err)
            return
        run.folder, run.seconds, run.state = Path(folder), time.perf_counter() - run.started, "done"

    def _start_final(self, s: Settings) -> None:
        config = to_config(s)
        key = run_key(config)
        out = self._out(key)
        shutil.rmtree(out, ignore_errors=True)  # a stopped run's leftovers
        out.mkdir(parents=True)
        toml = out / "experiment.toml"
        toml.write_text(to_toml(config, comment=toml_comment(s)), "utf-8")
        run = Run(key, "final", out, total=2 * s.replications, started=time.perf_counter())
        log = open(out / "sim-run.log", "wb")
        self._proc = subprocess.Popen([sys.executable, "-m", "sim", "run", str(toml), "--out", str(out), "--quiet"],
                                      stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        log.close()
        self._proc_run = run
        self._runs[key] = run

    def _collect(self) -> None:
        """A finished `sim run`: its folder (the last line it printed), or its error."""
        proc, run = self._proc, self._proc_run
        if proc is None or proc.poll() is None:
            return
        out = proc.stdout.read().decode("utf-8", "replace").strip().splitlines()
        proc.stdout.close()
        self._proc = self._proc_run = None
        if proc.returncode == 0 and out and (Path(out[-1]) / MANIFEST).is_file():
            run.folder, run.seconds, run.state = Path(out[-1]), time.perf_counter() - run.started, "done"
        else:
            log = (run.out / "sim-run.log").read_text("utf-8", "replace").strip().splitlines()
            run.state, run.error = "failed", (log[-1] if log else f"sim run exited with {proc.returncode}")

    def _stop_final(self) -> None:
        """Stop the full run in progress (a newer question came); asking again restarts it."""
        proc, run = self._proc, self._proc_run
        if proc is None:
            return
        _terminate(proc)
        proc.stdout.close()
        self._proc = self._proc_run = None
        self._runs.pop(run.key, None)
        shutil.rmtree(run.out, ignore_errors=True)

    def close(self) -> None:
        """Stop everything this runner started (the `sim run` child, the worker process)."""
        self._closed = True
        self._wake.set()
        if self._proc is not None:
            _terminate(self._proc)
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)


def _terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # sim run stops its workers and exits 143
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[-1] if text else ''}"


_RUNNER: Runner | None = None


def runner() -> Runner:
    """The app's one runner (made by sim.app.server at start, or here on first use)."""
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = Runner(os.environ.get("SIM_APP_CACHE") or None)
    return _RUNNER
