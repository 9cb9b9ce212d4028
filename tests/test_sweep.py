"""`sim sweep`: config validation, an end-to-end sweep, worker-count invariance, kill -9 and resume.

Every sweep here is tiny (800 households x 3 years, n = 4, two parameters: 16 design runs plus
5 one-way runs) so the whole file stays well within a minute and a half on two cores.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.sensitivity.config import load_sweep
from sim.sensitivity.results import INDICES_COLUMNS
from sim.sensitivity.model import OUTPUTS, run_overrides

ROOT = Path(__file__).resolve().parents[1]
# An experiment of its own (like experiments/default.toml), so edits there cannot break these tests.
EXPERIMENT = """
[experiment]
name = "tiny-experiment"
[population]
preset = "olst-wijhe"
[horizon]
start_year = 2025
years = 30
[run]
replications = 10
seed = 20261123
[scenarios.baseline]
label = "No extra investment"
[scenarios.invest_100]
label = "EUR 100 per household per year"
"levers.prevention.per_household" = 100.0
"""
OUTPUT_NAMES = ["npv", "net_cost_municipality", "net_cost_health_insurer", "multiproblem_end"]
PARAMETERS = """
[parameters."prevention.escalation_reduction"]
range = [0.0, 0.6]
[parameters."levers.prevention.per_household"]
range = [25, 200]
"""


def write_config(folder: Path, *, name="tiny", sweep_extra="", parameters=PARAMETERS, n=4, method="sobol",
                 outputs=OUTPUT_NAMES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "experiment.toml").write_text(EXPERIMENT, "utf-8")
    path = folder / f"{name}.toml"
    path.write_text(f"""
[sweep]
name = "{name}"
experiment = "experiment.toml"
scenario = "invest_100"
method = "{method}"
n = {n}
seed = 3
outputs = {json.dumps(outputs)}
{sweep_extra}
[sweep.set]
"population.households" = 800
"horizon.years" = 3
"run.posterior" = "none"
"parameters.burn_in_years" = 1
{parameters}
""", "utf-8")
    return path


def sweep(config: Path | None, out: Path, *extra: str) -> Path:
    argv = ["sweep"] + ([str(config)] if config else []) + ["--out", str(out), "--quiet", *extra]
    assert main(argv) == 0
    finished = [p for p in out.iterdir() if not p.name.startswith(".")]
    return max(finished, key=lambda p: p.stat().st_mtime)


def read(folder: Path, name: str) -> bytes:
    return (folder / name).read_bytes()


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    return write_config(tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="module")
def reference(config, tmp_path_factory) -> Path:
    """One uninterrupted serial sweep; the other tests compare against it."""
    return sweep(config, tmp_path_factory.mktemp("serial"), "--workers", "1")


# ------------------------------------------------------------------------------ config errors
BAD = {
    "unknown parameter": (dict(parameters='[parameters."prevention.escalation_reductio"]'),
                          "parameters.prevention.escalation_reductio", "did you mean 'prevention.escalation_reduction'"),
    "bad range": (dict(parameters='[parameters."prevention.escalation_reduction"]\nrange = [0.6, 0.1]'),
                  "parameters.prevention.escalation_reduction.range", "low < high"),
    "range out of bounds": (dict(parameters='[parameters."hazards.finance.onset"]\nrange = [0.0, 1.5]'),
                            "parameters.hazards.finance.onset.range", "probability"),
    "unknown output": (dict(outputs=["npv", "net_cost_municipalty"]), "sweep.outputs",
                       "did you mean 'net_cost_municipality'"),
    "n not a power of two": (dict(n=6), "sweep.n", "power of two"),
    "unknown sweep key": (dict(sweep_extra='methd = "morris"'), "sweep.methd", "did you mean 'method'"),
    "unknown method": (dict(method="sobel"), "sweep.method", "did you mean 'sobol'"),
    "list range not a factor": (dict(parameters='[parameters."cascades.matrix"]'), "parameters.cascades.matrix.range",
                                "factor"),
    # Checked by the one config loader (sim/config/schema.py), in the sweep's words:
    "n not a whole number": (dict(n='"8"'), "sweep.n", "found '8'; expected a whole number"),
    "odd Morris levels": (dict(method="morris", sweep_extra="levels = 3"), "sweep.levels", "levels must be even"),
    "too few resamples": (dict(sweep_extra="num_resamples = 1"), "sweep.num_resamples", "expected a whole number >= 2"),
    "unknown seeding": (dict(sweep_extra='seeding = "per-block"'), "sweep.seeding", "did you mean 'per_block'"),
    "unknown applies_to": (dict(parameters=PARAMETERS + '[parameters."hazards.finance.onset"]\napplies_to = "x"'),
                           "parameters.hazards.finance.onset.applies_to", "expected both | scenario"),
    "unknown parameter key": (dict(parameters='[parameters."hazards.finance.onset"]\nrnge = [0.0, 0.1]'),
                              "parameters.hazards.finance.onset.rnge", "did you mean 'range'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_config_errors_exit_2_and_write_nothing(case, tmp_path, capsys):
    kwargs, key, text = BAD[case]
    config = write_config(tmp_path / "cfg", **kwargs)
    out = tmp_path / "out"
    assert main(["sweep", str(config), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and f"key '{key}'" in err and text in err, err
    assert not out.exists()


def test_resume_needs_a_sweep_folder(tmp_path, capsys):
    assert main(["sweep", "--resume", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


def test_levers_vary_in_the_scenario_only_and_lists_scale(tmp_path):
    config = write_config(tmp_path, parameters=PARAMETERS + '[parameters."hazards.work.escalate"]\n')
    spec = load_sweep(config)
    p = spec["parameters"]
    assert p["levers.prevention.per_household"]["applies_to"] == "scenario"  # invest_100 sets it
    assert p["prevention.escalation_reduction"]["applies_to"] == "both"
    assert p["hazards.work.escalate"]["scale"] and p["hazards.work.escalate"]["range"] == [0.5, 2.0]
    specs = {k: {"scale": v["scale"], "integer": v["integer"], "applies_to": v["applies_to"]} for k, v in p.items()}
    row = {"levers.prevention.per_household": 50.0, "hazards.work.escalate": 2.0}
    defaults = {"hazards.work.escalate": p["hazards.work.escalate"]["default"]}
    base = run_overrides(row, specs, spec["base_overrides"]["baseline"], "baseline", defaults)
    scen = run_overrides(row, specs, spec["base_overrides"]["scenario"], "scenario", defaults)
    assert "levers.prevention.per_household" not in base and scen["levers.prevention.per_household"] == 50.0
    assert base["hazards.work.escalate"] == scen["hazards.work.escalate"] == \
        [2 * v for v in p["hazards.work.escalate"]["default"]]


# ------------------------------------------------------------------------------ sweeps
def test_sweep_end_to_end(reference):
    assert not reference.name.startswith(".")
    assert not any(p.name.startswith(".sweep-") for p in reference.parent.iterdir())  # renamed into place
    indices = pd.read_csv(reference / "indices.csv")
    assert list(indices.columns) == INDICES_COLUMNS
    assert list(dict.fromkeys(indices["output"])) == OUTPUT_NAMES
    assert len(indices) == len(OUTPUT_NAMES) * 2
    assert np.isfinite(indices[INDICES_COLUMNS[2:]].to_numpy()).all()

    design = pd.read_csv(reference / "design.csv", index_col="run")
    outputs = pd.read_csv(reference / "outputs.csv", index_col="run")
    assert len(design) == 4 * (2 + 2)
    assert list(outputs.columns) == ["key", "replication", *design.columns, *OUTPUTS]
    pd.testing.assert_frame_equal(outputs[design.columns], design)
    assert (outputs["replication"] == 0).all()  # common random numbers across the design
    capped = outputs["break_even_year_capped"]
    assert ((capped == 4) == outputs["break_even_year"].isna()).all()  # horizon 3 + 1
    # The lever moves the investment: investment is proportional to the budget per household.
    assert outputs["investment_discounted"].corr(outputs["levers.prevention.per_household"]) > 0.99

    oneway = pd.read_csv(reference / "oneway.csv")
    assert len(oneway) == len(OUTPUT_NAMES) * 2
    for chart in ("indices", "tornado"):
        for ext in ("png", "svg"):
            assert (reference / "charts" / f"{chart}.{ext}").stat().st_size > 1000
    manifest = json.loads(read(reference, "manifest.json"))
    for key in ("config", "config_hash", "seeds", "package_versions", "git_commit", "started", "finished",
                "seconds"):
        assert key in manifest
    assert manifest["runs"] == {"design": 16, "oneway": 5, "total": 21, "computed_this_session": 21}
    assert len(list((reference / "runs").glob("*.npz"))) == 21


def test_parallel_equals_serial(config, reference, tmp_path):
    parallel = sweep(config, tmp_path, "--workers", "2")
    # The charts too: no dates in them, and SVG element ids from a fixed salt rather than a random one.
    for name in ("outputs.csv", "indices.csv", "oneway.csv", "design.csv", "charts/indices.png",
                 "charts/indices.svg", "charts/tornado.svg"):
        assert read(parallel, name) == read(reference, name), name


def test_kill_and_resume(config, reference, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(config), "--out", str(out), "--workers", "1",
                             "--quiet"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        runs: list[Path] = []
        while time.monotonic() < deadline and proc.poll() is None:
            runs = list(out.glob(".sweep-*/runs/*.npz"))
            if len(runs) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the sweep finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    (temp,) = list(out.glob(".sweep-*"))
    assert f"sim sweep --resume {temp.resolve()}" in stderr  # the resume path is printed at the start
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (temp / "runs").glob("*.npz")}
    assert 3 <= len(before) < 21

    assert main(["sweep", "--resume", str(temp), "--workers", "2", "--quiet"]) == 0
    assert not temp.exists()
    (final,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (final / "runs").glob("*.npz")}
    assert len(after) == 21
    assert {k: after[k] for k in before} == before  # nothing stored was recomputed or rewritten
    for name in ("outputs.csv", "indices.csv", "oneway.csv"):
        assert read(final, name) == read(reference, name), name
    manifest = json.loads(read(final, "manifest.json"))
    assert manifest["runs"]["computed_this_session"] == 21 - len(before)
    assert len(manifest["sessions"]) == 2 and manifest["sessions"][0]["finished"] is None

    # --resume on the finished folder re-analyses without a single run.
    outputs_before = read(final, "outputs.csv")
    assert main(["sweep", "--resume", str(final), "--workers", "1", "--quiet"]) == 0
    assert json.loads(read(final, "manifest.json"))["runs"]["computed_this_session"] == 0
    assert read(final, "outputs.csv") == outputs_before


def test_resume_refuses_a_changed_design(config, tmp_path, capsys):
    other = write_config(tmp_path / "cfg", n=8)
    out = tmp_path / "out"
    (out / ".sweep-x").mkdir(parents=True)
    spec = load_sweep(config)
    (out / ".sweep-x" / "sweep.json").write_text(json.dumps({"stamp": "x", "spec": spec}))
    assert main(["sweep", str(other), "--resume", str(out / ".sweep-x")]) == 2
    assert "differs from the sweep being resumed" in capsys.readouterr().err


def test_morris_sweep(tmp_path):
    config = write_config(tmp_path / "cfg", method="morris", n=2, sweep_extra="oneway = false",
                          outputs=["npv", "multiproblem_end"])
    folder = sweep(config, tmp_path / "out", "--workers", "1")
    morris = pd.read_csv(folder / "morris.csv")
    assert list(morris.columns) == ["output", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
    assert np.isfinite(morris[["mu", "mu_star", "sigma"]].to_numpy()).all()
    assert not (folder / "indices.csv").exists() and not (folder / "oneway.csv").exists()
    assert (folder / "charts" / "morris.png").is_file()
    assert len(pd.read_csv(folder / "outputs.csv")) == 2 * 3


def test_dask_resume_equals_serial(reference, tmp_path):
    """The Dask path, cheaply: a copy of the reference sweep with 5 runs deleted, finished on Dask."""
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / reference.name
    shutil.copytree(reference, folder)
    dropped = sorted((folder / "runs").glob("*.npz"))[::5]
    for path in dropped:
        path.unlink()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(sys.path.insert, 0, str(ROOT))
        assert main(["sweep", "--resume", str(folder), "--scheduler", cluster.scheduler_address, "--quiet"]) == 0
    assert json.loads(read(folder, "manifest.json"))["runs"]["computed_this_session"] == len(dropped)
    for name in ("outputs.csv", "indices.csv", "oneway.csv"):
        assert read(folder, name) == read(reference, name), name


def test_seeding_schemes(tmp_path):
    from sim.sensitivity.design import make_design, make_tasks

    for seeding, expected in (("common", [0] * 16), ("per_block", [r // 4 for r in range(16)])):
        spec = load_sweep(write_config(tmp_path / seeding, sweep_extra=f'seeding = "{seeding}"'))
        tasks = make_tasks(spec, make_design(spec))
        assert [t.kwargs["replication"] for t in tasks[:16]] == expected
        assert {t.kwargs["replication"] for t in tasks[16:]} == {0}  # one-way runs
        assert [t.key for t in tasks[:2]] == ["run-000000", "run-000001"]
        assert tasks[16].key == "oneway__reference" and tasks[-1].key == "oneway__levers.prevention.per_household__high"
