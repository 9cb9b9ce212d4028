"""Tests for sim.run.executor and sim.run.store.

The toy task functions live at module top level because the process pool
(spawn) and Dask workers import them by name. For the same reason pandas is
imported inside the functions that need it: every pool worker imports this
module, and pandas would add ~0.5 s to each of the many pool start-ups here.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from sim.run.executor import (
    MAX_BATCH_SIZE,
    Task,
    TaskError,
    _BatchSizer,
    run_tasks,
)
from sim.run.store import ResultStore, StoreError

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


# ----------------------------------------------------------------- toy tasks
def toy(*, seed: int, n: int = 4, sleep: float = 0.0, marker_dir: str | None = None):
    """Deterministic in ``seed``; optionally slow and leaving a call marker."""
    if marker_dir is not None:
        Path(marker_dir, f"called-{seed}").touch()
    if sleep:
        time.sleep(sleep)
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=n), "u": float(rng.random()), "seed": seed, "label": f"s{seed}"}


def toy_frame(*, seed: int):
    import pandas as pd

    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"cost": rng.gamma(2.0, size=6), "count": rng.integers(0, 9, size=6)})
    df.index = pd.RangeIndex(6, name="month")
    return df


def toy_reverse_sleep(*, seed: int, total: int):
    """Early tasks sleep longest, so completion order is the reverse of task order."""
    time.sleep(0.01 * (total - seed))
    return toy(seed=seed)


def guarded(*, seed: int, allowed: frozenset):
    """Like ``toy`` but refuses to run for keys that should have been resumed."""
    if seed not in allowed:
        raise AssertionError(f"seed {seed} recomputed although it was stored")
    return toy(seed=seed)


def fails_on(*, seed: int, bad: int, marker_dir: str | None = None):
    if seed == bad:
        raise ValueError(f"bad parameter combination {seed}")
    return toy(seed=seed, marker_dir=marker_dir)


def tasks_for(n: int, **extra) -> list[Task]:
    return [Task(f"run-{i:03d}", {"seed": i, **extra}) for i in range(n)]


def assert_results_equal(a: dict, b: dict) -> None:
    import pandas as pd

    assert list(a) == list(b)
    for key in a:
        ra, rb = a[key], b[key]
        if isinstance(ra, pd.DataFrame):
            pd.testing.assert_frame_equal(ra, rb)
        else:
            assert sorted(ra) == sorted(rb), key
            for field in ra:
                np.testing.assert_array_equal(np.asarray(ra[field]), np.asarray(rb[field]))


def markers(marker_dir: Path) -> set[int]:
    return {int(p.name.split("-")[1]) for p in marker_dir.glob("called-*")}


# ----------------------------------------------------------------- behaviour
def test_serial_pool_and_dask_give_identical_results_in_task_order(tmp_path):
    distributed = pytest.importorskip("distributed")
    tasks = [Task(f"r{i}", {"seed": i, "total": 12}) for i in range(12)]
    serial = run_tasks(toy_reverse_sleep, tasks, workers=1, progress=False)
    pool = run_tasks(toy_reverse_sleep, tasks, workers=2, batch_size=1, progress=False)
    assert list(serial) == [t.key for t in tasks]
    assert_results_equal(serial, pool)
    # Independent runs really differ (guards against a constant toy func).
    assert serial["r0"]["u"] != serial["r1"]["u"]

    frame_tasks = tasks_for(10)
    frames = run_tasks(toy_frame, frame_tasks, workers=1, progress=False)
    # The cluster lives only inside this test: on 2 cores its idle scheduler
    # and workers would otherwise slow every later pool test down.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        # Workers are separate processes: make this test module importable there.
        client.run(sys.path.insert, 0, str(TESTS))
        dask = run_tasks(toy_reverse_sleep, tasks, scheduler=client, progress=False)
        assert_results_equal(serial, dask)
        # By address, with DataFrame results going to the store.
        dask_frames = run_tasks(
            toy_frame, frame_tasks, scheduler=cluster.scheduler_address,
            store=tmp_path, progress=False,
        )
    assert_results_equal(frames, dask_frames)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{t.key}.parquet" for t in frame_tasks]
    # Resumed DataFrames (read back from parquet) equal freshly computed ones.
    resumed = run_tasks(toy_frame, frame_tasks, workers=1, store=tmp_path, progress=False)
    assert_results_equal(frames, resumed)


def test_adaptive_batching_matches_fixed_batching():
    tasks = tasks_for(300)
    adaptive = run_tasks(toy, tasks, workers=2, progress=False)
    fixed = run_tasks(toy, tasks, workers=2, batch_size=7, progress=False)
    assert_results_equal(adaptive, fixed)


def test_resume_recomputes_only_missing_tasks(tmp_path):
    store = tmp_path / "store"
    tasks = tasks_for(12)
    first = run_tasks(toy, tasks, workers=1, store=store, progress=False)
    deleted = {2, 5, 11}
    for i in deleted:
        (store / f"run-{i:03d}.npz").unlink()
    func = functools.partial(guarded, allowed=frozenset(deleted))
    second = run_tasks(func, tasks, workers=2, store=store, progress=False)
    assert_results_equal(first, second)

    # Nothing missing: no task runs at all, not even with an always-failing func.
    third = run_tasks(functools.partial(guarded, allowed=frozenset()), tasks, store=store, progress=False)
    assert_results_equal(first, third)


def test_resume_in_pool_runs_each_missing_task_once(tmp_path):
    store, calls = tmp_path / "store", tmp_path / "calls"
    calls.mkdir()
    tasks = tasks_for(20, marker_dir=str(calls))
    run_tasks(toy, tasks[:8], workers=2, store=store, progress=False)
    assert markers(calls) == set(range(8))
    for p in calls.iterdir():
        p.unlink()
    run_tasks(toy, tasks, workers=2, store=store, progress=False)
    assert markers(calls) == set(range(8, 20))


def test_task_error_names_key_and_keeps_finished_results(tmp_path):
    for workers in (1, 2):
        store = tmp_path / f"store{workers}"
        tasks = tasks_for(10)
        func = functools.partial(fails_on, bad=6)
        with pytest.raises(TaskError, match="run-006") as info:
            run_tasks(func, tasks, workers=workers, store=store, batch_size=1, progress=False)
        assert info.value.key == "run-006"
        assert "bad parameter combination 6" in str(info.value)
        kept = set(ResultStore(store).keys())
        assert "run-006" not in kept
        # Serial stops exactly at the failure; the pool may have finished more.
        assert {f"run-{i:03d}" for i in range(6)} <= kept
        # After fixing the cause, only the unfinished tasks run.
        calls = tmp_path / f"calls{workers}"
        calls.mkdir()
        fixed = functools.partial(fails_on, bad=-1, marker_dir=str(calls))
        run_tasks(fixed, tasks, workers=workers, store=store, progress=False)
        assert markers(calls) == set(range(10)) - {int(k[-3:]) for k in kept}


def test_partially_written_temp_file_is_ignored(tmp_path):
    root = tmp_path / "store"
    store = ResultStore(root)
    full = tmp_path / "scratch.npz"
    np.savez(full, **{k: np.asarray(v) for k, v in toy(seed=3).items()})
    blob = full.read_bytes()
    full.unlink()
    # What a writer killed mid-write leaves behind: truncated, hidden, .tmp.
    # One from a dead process on this host, one from a live one (this process).
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    from sim.run.store import _host_tag

    stale = root / f".run-003.{_host_tag()}.{dead_pid}.deadbeef.tmp"
    live = root / f".run-004.{_host_tag()}.{os.getpid()}.cafebabe.tmp"
    stale.write_bytes(blob[: len(blob) // 2])
    live.write_bytes(blob[: len(blob) // 3])
    assert store.keys() == []

    calls = tmp_path / "calls"
    calls.mkdir()
    tasks = tasks_for(6, marker_dir=str(calls))
    out = run_tasks(toy, tasks, workers=1, store=root, progress=False)
    assert markers(calls) == set(range(6))  # the temp files did not count as done
    assert_results_equal(out, run_tasks(toy, tasks, workers=1, progress=False))
    assert not stale.exists(), "temp file of a dead writer should be tidied"
    assert live.exists(), "temp file of a live writer must be left alone"
    assert store.keys() == [t.key for t in tasks]


def test_store_formats_roundtrip_and_refuse_pickle_only_objects(tmp_path):
    store = ResultStore(tmp_path)
    value = toy(seed=1)
    store.save("a", value)
    back = store.load("a")
    assert_results_equal({"a": value}, {"a": back})
    assert isinstance(back["u"], np.floating) and back["label"] == "s1"
    frame = toy_frame(seed=2)
    store.save("b", frame)
    assert_results_equal({"b": frame}, {"b": store.load("b")})
    with pytest.raises(StoreError, match="object dtype"):
        store.save("c", {"bad": [object()]})
    with pytest.raises(StoreError, match="DataFrame or a dict"):
        store.save("c", [1, 2, 3])
    assert store.keys() == ["a", "b"] and store.temp_files() == []
    # A complete-looking but corrupt file is an error, not a silent recompute.
    (tmp_path / "d.npz").write_bytes(b"not a zip")
    with pytest.raises(StoreError, match="d.npz"):
        store.load("d")


def test_kill_9_mid_sweep_then_resume(tmp_path):
    store = tmp_path / "store"
    n = 40
    script = textwrap.dedent(
        f"""
        from sim.run.executor import Task, run_tasks
        from test_executor import toy
        tasks = [Task(f"run-{{i:03d}}", {{"seed": i, "sleep": 0.1}}) for i in range({n})]
        run_tasks(toy, tasks, workers=1, store={str(store)!r}, progress=False)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS)])}
    # Serial in the subprocess: results are written by the submitting process
    # in every mode, so this is the process whose death matters; pool workers
    # killed with it would be orphaned (zombies where PID 1 does not reap).
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if store.is_dir() and len(ResultStore(store).keys()) >= 6:
                break
            if proc.poll() is not None:
                pytest.fail(f"sweep subprocess exited early with {proc.returncode}")
            time.sleep(0.02)
        else:
            pytest.fail("sweep subprocess produced no results in time")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    survivors = ResultStore(store)
    done = survivors.keys()
    assert 6 <= len(done) < n, "the kill should land part way through the sweep"
    for key in done:  # every file that looks complete is complete
        survivors.load(key)

    tasks = [Task(f"run-{i:03d}", {"seed": i, "sleep": 0.1}) for i in range(n)]
    resumed = run_tasks(toy, tasks, workers=2, store=store, progress=False)
    assert survivors.keys() == [t.key for t in tasks]
    assert survivors.temp_files() == []  # the killed writer's temp files were tidied
    # Reference run without interruption. The sleep only slows the task down
    # (outputs depend on the seed alone), so it is skipped to save 4 s.
    quick = [Task(t.key, {**t.kwargs, "sleep": 0.0}) for t in tasks]
    uninterrupted = run_tasks(toy, quick, workers=1, progress=False)
    assert_results_equal(resumed, uninterrupted)


def test_death_in_the_middle_of_a_write_leaves_no_complete_looking_file(tmp_path):
    """Deterministic version of the kill test: the writer dies half-way through a file."""
    store = tmp_path / "store"
    script = textwrap.dedent(
        f"""
        import io, os
        import sim.run.store as st
        from sim.run.executor import Task, run_tasks
        from test_executor import toy

        real_write, saves = st._write_npz, []

        def write_then_die(fh, arrays):
            saves.append(1)
            if len(saves) < 3:
                return real_write(fh, arrays)
            buf = io.BytesIO()
            real_write(buf, arrays)
            fh.write(buf.getvalue()[: len(buf.getvalue()) // 2])
            fh.flush()
            os._exit(137)  # like kill -9: no cleanup, no finally blocks

        st._write_npz = write_then_die
        tasks = [Task(f"run-{{i:03d}}", {{"seed": i}}) for i in range(6)]
        run_tasks(toy, tasks, workers=1, store={str(store)!r}, progress=False)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS)])}
    proc = subprocess.run([sys.executable, "-c", script], env=env, timeout=60)
    assert proc.returncode == 137
    survivors = ResultStore(store)
    assert survivors.keys() == ["run-000", "run-001"]
    assert len(survivors.temp_files()) == 1  # the half-written run-002
    calls = tmp_path / "calls"
    calls.mkdir()
    tasks = tasks_for(6, marker_dir=str(calls))
    resumed = run_tasks(toy, tasks, workers=1, store=store, progress=False)
    assert markers(calls) == {2, 3, 4, 5}
    assert survivors.temp_files() == []
    assert_results_equal(resumed, run_tasks(toy, tasks_for(6), workers=1, progress=False))


# --------------------------------------------------------------- validation
def test_bad_keys_and_arguments_are_rejected_before_running():
    with pytest.raises(ValueError, match="invalid task key"):
        Task("../escape", {})
    with pytest.raises(ValueError, match="invalid task key"):
        Task(".hidden", {})
    with pytest.raises(ValueError, match="duplicate task key"):
        run_tasks(toy, [Task("a", {"seed": 1}), Task("a", {"seed": 2})], progress=False)
    with pytest.raises(ValueError, match="workers"):
        run_tasks(toy, tasks_for(2), workers=0, progress=False)
    with pytest.raises(TypeError, match="scheduler"):
        run_tasks(toy, tasks_for(2), scheduler=42, progress=False)
    assert run_tasks(toy, [], progress=False) == {}


def test_batch_sizer_adapts_to_task_duration_and_keeps_tail_parallel():
    sizer = _BatchSizer(None)
    assert sizer.next_size(1000, 2) == 1  # unknown duration: one task per batch
    sizer.observe(10, 0.2)  # 20 ms per task -> ~25 per 0.5 s batch
    assert sizer.next_size(10_000, 2) == 25
    assert sizer.next_size(20, 2) == 5  # tail: at most remaining / (2 * slots)
    slow = _BatchSizer(None)
    slow.observe(1, 60.0)
    assert slow.next_size(10_000, 2) == 1  # long tasks are never grouped
    fast = _BatchSizer(None)
    fast.observe(1000, 0.001)
    assert fast.next_size(10**7, 2) == MAX_BATCH_SIZE
    assert _BatchSizer(4).next_size(3, 8) == 4
