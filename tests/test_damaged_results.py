"""Damaged and edited results folders: `sim run --resume` and `sim report` refuse them in one
line naming the file (or key) before any work, and change nothing (the hostile-input rules of
tests/test_hostile_input.py, for the folders the tool writes itself)."""
from __future__ import annotations

import os
import shutil

import pytest

from sim.cli import main
from test_hostile_input import EXPERIMENTS, run_cli


@pytest.fixture
def interrupted_run(tmp_path, monkeypatch, capsys):
    """The temporary folder of a small `sim run` stopped after its first run."""
    import sim.run.executor as executor

    real = executor.run_tasks

    def interrupted(func, tasks, **kw):
        real(func, list(tasks)[:1], **kw)
        raise KeyboardInterrupt
    monkeypatch.setattr(executor, "run_tasks", interrupted)
    sets = ["population.households=300", "horizon.years=1", "run.replications=2", 'run.posterior="none"']
    assert main(["run", str(EXPERIMENTS / "default.toml"), "--quiet", "--workers", "1", "--out", str(tmp_path / "r")]
                + [a for s in sets for a in ("--set", s)]) == 130
    capsys.readouterr()
    monkeypatch.setattr(executor, "run_tasks", real)
    return next((tmp_path / "r").iterdir())


def _edit_state(folder, edit):
    import json

    state = json.loads((folder / "run.json").read_text("utf-8"))
    edit(state)
    (folder / "run.json").write_text(json.dumps(state), "utf-8")


@pytest.mark.parametrize("edit, culprit", [
    (lambda s: s.update(tasks=5), "6 tasks expected"),
    (lambda s: s.update(tasks=[{"key": "x"}] * 6), "task baseline__r0000 differs"),
    (lambda s: s.update(source=5), "its config does not load"),
    (lambda s: s["source"]["population"].update(households=-5), "population.households"),
    (lambda s: s["tasks"][3]["kwargs"].update(households="abc"), "task invest_100__r0001 differs"),
    (lambda s: s["tasks"][3]["kwargs"]["overrides"].update({"levers.prevention.per_household": 5.0}),
     "task invest_100__r0001 differs"),  # would silently give other numbers
    (lambda s: s["tasks"][2]["kwargs"]["overrides"].update({"gate.cost_per_fte": float("nan")}), "not a finite number"),
])
def test_resuming_a_run_whose_run_json_was_edited_is_refused_before_any_run(edit, culprit, interrupted_run, capsys):
    """These gave TypeError/KeyError tracebacks, or ran the edited tasks."""
    _edit_state(interrupted_run, edit)
    before = sorted(p.name for p in interrupted_run.rglob("*"))
    code, err = run_cli(["run", "--resume", str(interrupted_run), "--quiet", "--workers", "1"], capsys)
    assert code == 2 and "run.json was edited or damaged" in err and culprit in err, err
    assert sorted(p.name for p in interrupted_run.rglob("*")) == before


@pytest.mark.parametrize("damage, culprit", [
    (lambda runs: [(p.unlink(), p.mkdir()) for p in runs.glob("*.parquet")], "is not a file"),
    (lambda runs: (shutil.rmtree(runs), runs.write_text("x")), "is not a folder"),
    (lambda runs: [p.write_bytes(p.read_bytes()[:500]) for p in runs.glob("*.parquet")], "is unreadable"),
])
def test_resuming_a_run_whose_stored_runs_are_damaged_names_the_file(damage, culprit, interrupted_run, capsys):
    """A folder where a run's file belongs, or a file where the store belongs, gave a traceback
    (the first after computing the run again)."""
    damage(interrupted_run / "runs")
    code, err = run_cli(["run", "--resume", str(interrupted_run), "--quiet", "--workers", "1"], capsys)
    assert code == 2 and "runs" in err and culprit in err, err


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("finished")
    sets = ["population.households=300", "horizon.years=2", "run.replications=1", 'run.posterior="none"']
    assert main(["run", str(EXPERIMENTS / "default.toml"), "--quiet", "--workers", "1", "--out", str(out)]
                + [a for s in sets for a in ("--set", s)]) == 0
    return next(out.iterdir())


def _cut(path):
    path.write_bytes(path.read_bytes()[:300])


@pytest.mark.parametrize("name, damage, culprit", [
    ("summary.csv", _cut, "cut off in its last row"),  # was read silently, rows missing from the report
    ("summary.csv", lambda p: p.write_bytes(b""), "empty file"),
    ("cumulative.csv", lambda p: p.write_bytes(b"\xff\xfe" + p.read_text().encode("utf-16-le")), "not UTF-8"),
    ("wrong_pocket.csv", lambda p: p.write_text("a,b\n1,2\n"), "no column scenario"),
    ("replications.csv", lambda p: p.unlink(), "replications.csv file not found"),
    ("summary_meta.json", lambda p: p.write_text("{"), "damaged summary_meta.json"),
    ("yearly.parquet", lambda p: p.write_bytes(b"PAR1"), "damaged yearly.parquet"),
    ("league.csv", lambda p: p.write_text("garbage\n"), "no column scenario, who_gains"),
    ("assumptions.csv", lambda p: p.write_bytes(os.urandom(64) + b"\n"), "assumptions.csv"),
    ("summary.csv", lambda p: (p.unlink(), p.mkdir()), "a folder where a file belongs"),
    ("report.html", lambda p: (p.unlink(), p.mkdir()), "a folder where a file belongs"),
    ("charts", lambda p: (shutil.rmtree(p), p.write_text("x")), "not a folder"),
])
def test_sim_report_on_damaged_summary_files_names_the_file_and_changes_nothing(name, damage, culprit, finished_run,
                                                                                 tmp_path, capsys):
    """Each of these was a pandas/json/os traceback, the last three after the charts were drawn."""
    folder = tmp_path / finished_run.name
    shutil.copytree(finished_run, folder)
    damage(folder / name)
    before = {p.name: (p.stat().st_mtime_ns, p.is_dir()) for p in folder.rglob("*")}
    code, err = run_cli(["report", str(folder)], capsys)
    assert code == 2 and str(folder / name) in err and culprit in err, err
    assert {p.name: (p.stat().st_mtime_ns, p.is_dir()) for p in folder.rglob("*")} == before


@pytest.mark.parametrize("edit, culprit", [
    (lambda c: c["experiment"].update(language="de"), "config.experiment.language"),  # was a ValueError traceback
    (lambda c: c.update(scenarios=5), "config.scenarios"),  # TypeError
    (lambda c: c["run"].update(baseline="nope"), "config.run.baseline"),  # KeyError
    (lambda c: c["run"].update(discount_rate="abc"), "config.run.discount_rate"),  # a report at another rate
    (lambda c: c["scenarios"]["invest_100"].update(spend_per_household="x"), "spend_per_household"),
])
def test_sim_report_on_an_edited_manifest_names_the_key(edit, culprit, finished_run, tmp_path, capsys):
    import json

    folder = tmp_path / finished_run.name
    shutil.copytree(finished_run, folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    edit(manifest["config"])
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    code, err = run_cli(["report", str(folder)], capsys)
    assert code == 2 and "damaged manifest.json" in err and culprit in err, err
