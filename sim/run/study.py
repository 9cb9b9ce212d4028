"""The lifecycle a study's folder goes through, from start to a finished folder or a resume
(`sim run`: .tmp-<name>-<stamp>-<pid>, run.json; `sim sweep`: .sweep-<name>-<stamp>, sweep.json).

    results/.tmp-<name>-<stamp>-<pid>/   while running: the state file (everything a resume
                                          needs), runs/ (one file per finished run, written
                                          atomically by sim.run.store) and a .lock
    results/<name>-<stamp>/               renamed into place when complete (a sweep keeps its
                                          store and state there, to be analysed again)

Ctrl-C and SIGTERM (which sim.cli turns into KeyboardInterrupt) stop the workers, keep every
finished run and print the command that resumes; a resume runs only what is missing and ends
with the numbers an uninterrupted study gives. A failing task is a bug, not an interruption: the
folder is removed (a sweep keeps what finished). A second process on the same folder is refused
(sim.files.folder_lock). `sim calibrate` keeps its store under its config hash instead, because
its outputs replace the shipped calibration only after the check (sim/calibrate/run.py).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ConfigError
from ..files import folder_lock, write_text_atomic
from ..manifest import code_hash, to_json

RUNS_DIR = "runs"


class StudyFolder:
    """One study's working folder and its state file."""

    def __init__(self, path: Path, state: dict, *, state_file: str, resume_command: str):
        self.path, self.state, self.state_file = Path(path), state, state_file
        self.resume_command = resume_command  # e.g. "sim run --resume"

    @property
    def store(self) -> Path:
        return self.path / RUNS_DIR

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, root, name: str, state: dict, *, state_file: str, resume_command: str,
               prefix: str = ".tmp-", with_pid: bool = True) -> "StudyFolder":
        """A new temporary folder under `root` (``<prefix><name>-<stamp>[-<pid>]``) holding `state`,
        stamped with the start time and the code hash. The state is read back from the file, so
        fresh and resumed studies read their tasks from the same bytes and cannot differ."""
        root = Path(root)
        check_writable(root)
        started = dt.datetime.now(dt.timezone.utc)
        state = {**state, "stamp": started.strftime("%Y%m%dT%H%M%S"), "started": started.isoformat(),
                 "code_hash": code_hash()}
        path = unique_path(root / (f"{prefix}{name}-{state['stamp']}" + (f"-{os.getpid()}" if with_pid else "")))
        path.mkdir(parents=True)
        path = path.resolve()
        write_text_atomic(path / state_file, to_json(state, indent=1))
        state = json.loads((path / state_file).read_text("utf-8"))
        return cls(path, state, state_file=state_file, resume_command=resume_command)

    @classmethod
    def reopen(cls, folder, *, state_file: str, resume_command: str, required: Sequence[str],
               finished_marker: str, verb: str) -> "StudyFolder":
        """The folder of an interrupted study (or of a finished sweep, which keeps its state to be
        analysed again), or ConfigError saying why it cannot be resumed (missing, finished and
        complete, not a study folder, damaged state)."""
        path = Path(folder)
        if not path.is_dir():
            raise ConfigError("no such run folder to resume", file=path,
                              expected=f"the .tmp-... folder `{verb}` printed")
        if not (path / state_file).is_file():
            finished = (path / finished_marker).is_file()
            raise ConfigError("nothing to resume here" if finished else "not a run folder that can be resumed",
                              file=path, expected="a finished run needs no resume (`sim report` rewrites its report)"
                              if finished else f"the folder `{verb}` printed when it was interrupted (it holds "
                              f"{state_file})")
        try:
            state = json.loads((path / state_file).read_bytes().decode("utf-8"))
            missing = [key for key in (*required, "stamp") if key not in state]
        except (UnicodeDecodeError, json.JSONDecodeError, TypeError):
            missing = ["(readable JSON)"]
        if missing:
            raise ConfigError(f"damaged {state_file}", file=path / state_file,
                              expected=f"the file `{verb}` wrote; start again with `{verb} CONFIG`")
        study = cls(path.resolve(), state, state_file=state_file, resume_command=resume_command)
        study.finished_marker = finished_marker
        return study

    finished_marker = "manifest.json"

    @property
    def finished(self) -> bool:
        """Whether the study's results were written. With its state file still there, a `sim run`
        was interrupted while writing them (resuming writes them again); a finished sweep keeps
        its state on purpose, to be analysed again."""
        return (self.path / self.finished_marker).is_file()

    def write_state(self) -> None:
        write_text_atomic(self.path / self.state_file, to_json(self.state, indent=1))

    def check_same_code(self, *, force: bool) -> None:
        """Refuse to mix runs of two models unless forced: the code changed since the study began."""
        if self.state.get("code_hash") != code_hash() and not force:
            raise ConfigError("the model code changed since this run started: finished and new runs would "
                              "come from different models", file=self.path,
                              expected="a fresh start, or --force to finish it anyway")

    # ------------------------------------------------------------------ running
    @contextmanager
    def locked(self):
        with folder_lock(self.path) as lock:
            yield lock

    def run(self, func: Callable, tasks: Sequence, *, keep_on_failure: bool = False, **executor) -> dict:
        """`tasks` through sim.run.executor.run_tasks into this folder's store. A failing task
        removes the folder (a bug, not an interruption) unless `keep_on_failure`: a long study
        keeps what finished, to resume after the cause is fixed."""
        from .executor import run_tasks

        try:
            return run_tasks(func, tasks, store=self.store, **executor)
        except KeyboardInterrupt:
            print(f"kept {self.finished_runs()} of {len(tasks)} finished runs; resume with: "
                  f"{self.resume_command} {self.path}", file=sys.stderr)
            raise
        except BaseException:
            if not keep_on_failure:
                shutil.rmtree(self.path, ignore_errors=True)
            raise

    @contextmanager
    def finishing(self):
        """Writing the results: an interruption here loses nothing, every run is stored."""
        try:
            yield
        except KeyboardInterrupt:
            print(f"resume with: {self.resume_command} {self.path}", file=sys.stderr)
            raise

    def finished_runs(self) -> int:
        from .store import finished_keys

        return len(finished_keys(self.store))

    def complete(self, name: str | None = None, *, prefix: str = ".tmp-", keep: bool = False) -> Path:
        """Rename the folder into place: `<name>-<stamp>[-k]`, or with no name the folder's own
        name without `prefix`. Unless `keep` (a sweep keeps its store and state, to be analysed
        again), the working files go first."""
        if not keep:
            shutil.rmtree(self.store, ignore_errors=True)
            (self.path / self.state_file).unlink(missing_ok=True)
        (self.path / ".lock").unlink(missing_ok=True)
        final = f"{name}-{self.state['stamp']}" if name else self.path.name.removeprefix(prefix)
        target = unique_path(self.path.parent / final)
        os.replace(self.path, target)
        self.path = target
        return target


def unique_path(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`, ... : the first that does not exist (two studies started
    in the same second never share a folder)."""
    target, k = Path(path), 2
    while target.exists():
        target = Path(path).with_name(f"{Path(path).name}-{k}")
        k += 1
    return target


def check_writable(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{os.getpid()}"
        probe.mkdir()
        probe.rmdir()
    except OSError as err:
        dangling = next((p for p in (root, *root.parents) if p.is_symlink() and not p.exists()), None)
        why = err.strerror if dangling is None else f"{dangling} is a symbolic link to nothing or in a loop"
        raise ConfigError(f"cannot write results here ({why})", file=root, key="--out",
                          expected="a folder this user can write to") from None
