"""Experiment configs and results folders: bad input fails early and writes nothing; a run
records what made it; parallel equals serial; every shipped example runs end to end."""
import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config import load, load_dict
from sim.errors import ConfigError
from sim.run.experiment import load_results, run_experiment

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
SMALL = ["population.households=600", "horizon.years=3", "run.replications=2", 'run.posterior="none"']
# Shipped examples keep their horizon (their yearly budgets must fall inside it) on a small town.
SMALL_TOWN = ["population.households=400", "run.replications=2", 'run.posterior="none"']


def write(tmp_path, text, name="exp.toml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


BAD_CONFIGS = {
    "unknown key": ("[run]\nreplicatons = 3\n", ["key 'run.replicatons'", "did you mean 'run.replications'", ":2"]),
    "unknown section": ("[horizn]\nyears = 3\n", ["key 'horizn'", "did you mean 'horizon'"]),
    "wrong type": ('[horizon]\nyears = "ten"\n', ["key 'horizon.years'", "wrong type", "whole number"]),
    "probability above one": ('[parameters]\n"latent_demand.non_take_up" = 1.5\n',
                              ["parameters.latent_demand.non_take_up", "probability in [0, 1]", "1.5"]),
    "negative money": ('[scenarios.x]\n"levers.prevention.per_household" = -10\n',
                       ["scenarios.x.levers.prevention.per_household", "non-negative amount of money"]),
    "zero horizon": ("[horizon]\nyears = 0\n", ["horizon.years", "1 to 200 years"]),
    "unknown preset": ('[population]\npreset = "olst-wyhe"\n', ["population.preset", "did you mean 'olst-wijhe'"]),
    "unknown parameter in scenario": ('[scenarios.x]\n"prevention.escalation_reductoin" = 0.2\n',
                                      ["scenarios.x.prevention.escalation_reductoin",
                                       "did you mean 'prevention.escalation_reduction'"]),
    "bad toml": ("[run\nseed = 1\n", ["not valid TOML", ":1"]),
    "bad scenario name": ('[scenarios."my scenario"]\n', ["scenarios.my scenario", "letters, digits"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_config_fails_before_any_work_with_a_clear_message(case, command, tmp_path, capsys):
    text, fragments = BAD_CONFIGS[case]
    path = write(tmp_path, text)
    out = tmp_path / "results"
    args = [command, str(path)] + (["--out", str(out)] if command == "run" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert not out.exists() or not any(out.iterdir())


def test_set_overrides_any_key_and_is_validated():
    exp = load(EXPERIMENTS / "default.toml", sets=dict(
        [("population.households", 2000), ("horizon.years", 5), ("scenarios.invest_100.levers.prevention.per_household", 80.0)]))
    assert exp.households == 2000 and exp.years == 5
    assert exp.scenario_overrides("invest_100")["levers.prevention.per_household"] == 80.0
    with pytest.raises(ConfigError, match="horizon.yeers"):
        load(EXPERIMENTS / "default.toml", sets={"horizon.yeers": 5})


def test_extends_layers_a_config_over_its_base(tmp_path):
    write(tmp_path, '[population]\npreset = "olst-wijhe"\n[run]\nseed = 5\n[scenarios.a]\n'
                    '"levers.prevention.per_household" = 10.0\n', "base.toml")
    child = write(tmp_path, 'extends = "base.toml"\n[run]\nreplications = 3\n[scenarios.b]\n'
                            '"levers.prevention.per_household" = 20.0\n')
    exp = load(child)
    assert exp.preset == "olst-wijhe" and exp.households == 7600 and exp.seed == 5 and exp.replications == 3
    assert list(exp.scenarios) == ["baseline", "a", "b"]
    loop = write(tmp_path, 'extends = "exp.toml"\n', "exp.toml")
    with pytest.raises(ConfigError, match="loop"):
        load(loop)


def test_run_writes_a_complete_folder_with_manifest(tmp_path):
    folder = run_experiment(EXPERIMENTS / "default.toml", sets=dict(
        [("population.households", 600), ("horizon.years", 3), ("run.replications", 2), ("run.posterior", "none")]),
        out=tmp_path, workers=1, progress=False)
    assert folder.parent == tmp_path and folder.name.startswith("default-")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    results = load_results(folder)
    manifest = results["manifest"]
    for key in ("config", "config_hash", "seeds", "package_versions", "git_commit", "started", "finished", "seconds"):
        assert key in manifest
    assert manifest["config"]["population"]["households"] == 600
    assert manifest["seeds"]["root"] == 20261123
    assert manifest["package_versions"]["mesa"].startswith("3.")
    ts = results["timeseries"]
    assert len(ts) == 3 * 2 * 36
    assert set(ts["scenario"]) == {"baseline", "invest_100", "portfolio_100"}
    summary = results["summary"]
    assert list(summary.columns) == ["scenario", "metric", "mean", "p05", "p95"]
    metrics = set(summary.loc[summary["scenario"] == "invest_100", "metric"])
    for m in ("npv", "benefit_cost_ratio", "break_even_year", "p_break_even_4y", "p_break_even_8y",
              "p_break_even_12y", "p_break_even_20y", "net_cost_municipality", "net_cost_health_insurer"):
        assert m in metrics
    assert (folder / "report.html").stat().st_size > 10000
    assert len(list((folder / "charts").glob("*.png"))) >= 4
    # The catalogue portfolio gets a league-table row, a chart and a report section.
    league = pd.read_csv(folder / "league.csv")
    assert list(league["scenario"]) == ["portfolio_100"]
    row = league.iloc[0]
    assert row["participants"] > 0 and row["spend"] == pytest.approx(2.4e6 * 3)
    payers = [c for c in league.columns if c.startswith("bcr_")]
    assert sum(row[c] for c in payers) == pytest.approx(row["benefit_cost_ratio"], rel=1e-9, abs=1e-12)
    assert row["p_break_even_4y"] <= row["p_break_even_8y"] <= row["p_break_even_12y"] <= row["p_break_even_20y"]
    report = (folder / "report.html").read_text("utf-8")
    assert 'id="interventions"' in report and (folder / "charts" / "league.png").is_file()


def test_parallel_equals_serial(tmp_path):
    sets = dict([("population.households", 500), ("horizon.years", 2), ("run.replications", 3),
                 ("run.posterior", "none")])
    serial = run_experiment(EXPERIMENTS / "default.toml", sets=sets, out=tmp_path / "a", workers=1,
                            progress=False, analyse=False)
    parallel = run_experiment(EXPERIMENTS / "default.toml", sets=sets, out=tmp_path / "b", workers=2,
                              progress=False, analyse=False)
    pd.testing.assert_frame_equal(pd.read_parquet(serial / "timeseries.parquet"),
                                  pd.read_parquet(parallel / "timeseries.parquet"))


def test_a_failed_run_leaves_nothing_behind(tmp_path, monkeypatch):
    import sim.run.executor as experiment  # the study folder calls the executor's run_tasks

    def boom(*args, **kwargs):
        raise RuntimeError("worker exploded")
    monkeypatch.setattr(experiment, "run_tasks", boom)
    existing = tmp_path / "default-earlier"
    existing.mkdir()
    (existing / "manifest.json").write_text("{}")
    with pytest.raises(RuntimeError):
        run_experiment(EXPERIMENTS / "default.toml", out=tmp_path, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["default-earlier"]
    assert (existing / "manifest.json").read_text() == "{}"


def test_run_experiment_takes_a_dict():
    exp = load_dict({"experiment": {"name": "nb"}, "population": {"households": 300}, "horizon": {"years": 1},
                     "run": {"replications": 1, "posterior": "none"},
                     "scenarios": {"x": {"levers.prevention.per_household": 30.0}}})
    assert exp.name == "nb" and list(exp.scenarios) == ["baseline", "x"]


@pytest.mark.parametrize("config", sorted(p.name for p in EXPERIMENTS.glob("*.toml") if not p.name.startswith(("sweep", "calibrate"))))
def test_shipped_example_runs_end_to_end(config, tmp_path, capsys):
    assert main(["run", str(EXPERIMENTS / config), "--out", str(tmp_path), "--quiet", "--workers", "1"]
                + [a for s in SMALL_TOWN for a in ("--set", s)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert folder.is_dir() and (folder / "report.html").is_file() and (folder / "summary.csv").is_file()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["config"]["population"]["households"] == 400
    assert manifest["config"]["horizon"]["years"] == load(EXPERIMENTS / config).years


def test_sim_report_rewrites_the_report_in_the_other_language(tmp_path, capsys):
    assert main(["run", str(EXPERIMENTS / "default.toml"), "--out", str(tmp_path), "--quiet", "--workers", "1"]
                + [a for s in SMALL for a in ("--set", s)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    english = (folder / "report.html").read_text("utf-8")
    summary_before = (folder / "summary.csv").read_bytes()
    assert main(["report", str(folder), "--language", "nl"]) == 0
    dutch = (folder / "report.html").read_text("utf-8")
    assert dutch != english and 'lang="nl"' in dutch
    assert (folder / "summary.csv").read_bytes() == summary_before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    assert len(list((folder / "charts").glob("*.svg"))) >= 4


def test_an_interrupted_run_resumes_to_the_numbers_of_an_uninterrupted_one(tmp_path, monkeypatch, capsys):
    """Runs are stored as they finish: Ctrl-C after three of six keeps them, and `sim run
    --resume` computes only the other three and ends with the same time series."""
    import sim.run.executor as experiment  # the study folder calls the executor's run_tasks

    sets = ["population.households=600", "horizon.years=2", "run.replications=2", 'run.posterior="none"']
    args = ["run", str(EXPERIMENTS / "default.toml"), "--quiet", "--workers", "1"] + [a for s in sets for a in ("--set", s)]
    assert main(args + ["--out", str(tmp_path / "whole")]) == 0
    whole = Path(capsys.readouterr().out.strip().splitlines()[-1])

    real = experiment.run_tasks

    def interrupted(func, tasks, **kw):
        real(func, list(tasks)[:3], **kw)
        raise KeyboardInterrupt
    monkeypatch.setattr(experiment, "run_tasks", interrupted)
    assert main(args + ["--out", str(tmp_path / "cut")]) == 130
    err = capsys.readouterr().err
    kept = [p for p in (tmp_path / "cut").iterdir()]
    assert len(kept) == 1 and kept[0].name.startswith(".tmp-") and f"sim run --resume {kept[0]}" in err
    assert "kept 3 of 6 finished runs" in err

    computed = []

    def counting(func, tasks, **kw):
        def spy(**kwargs):
            computed.append(kwargs["scenario"])
            return func(**kwargs)
        spy.__name__ = func.__name__
        return real(spy, tasks, **kw)
    monkeypatch.setattr(experiment, "run_tasks", counting)
    assert main(["run", "--resume", str(kept[0]), "--quiet", "--workers", "1"]) == 0
    resumed = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(computed) == 3 and resumed.parent == tmp_path / "cut" and not kept[0].exists()
    pd.testing.assert_frame_equal(pd.read_parquet(whole / "timeseries.parquet"),
                                  pd.read_parquet(resumed / "timeseries.parquet"))
    assert (whole / "summary.csv").read_bytes() == (resumed / "summary.csv").read_bytes()
    assert sorted(p.name for p in resumed.iterdir()) == sorted(p.name for p in whole.iterdir())


@pytest.mark.parametrize("make, culprit", [
    (lambda p: None, "no such run folder"),
    (lambda p: p.mkdir(), "not a run folder that can be resumed"),
    (lambda p: (p.mkdir(), (p / "run.json").write_text('{"tasks": [')), "damaged run.json"),
    (lambda p: (p.mkdir(), (p / "manifest.json").write_text("{}")), "nothing to resume"),
])
def test_resume_on_a_wrong_folder_says_what_is_wrong(make, culprit, tmp_path, capsys):
    folder = tmp_path / ".tmp-x"
    make(folder)
    assert main(["run", "--resume", str(folder)]) == 2
    err = capsys.readouterr().err
    assert culprit in err and "Traceback" not in err


def test_sim_report_rewrites_the_report_sim_run_wrote_byte_for_byte(tmp_path, capsys):
    """`sim report` reads the summary, league table and assumptions back from their CSVs; what it
    writes must be what `sim run` wrote (an empty 'who gains' once read back as NaN, and
    assumption values as unformatted text)."""
    sets = ["population.households=500", "run.replications=2", 'run.posterior="none"']
    args = ["run", str(EXPERIMENTS / "league-table.toml"), "--quiet", "--workers", "1", "--out", str(tmp_path)]
    assert main(args + [a for s in sets for a in ("--set", s)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    written = (folder / "report.html").read_bytes()
    assert main(["report", str(folder)]) == 0
    assert (folder / "report.html").read_bytes() == written


def test_a_run_interrupted_while_writing_its_results_resumes(tmp_path, monkeypatch, capsys):
    """Ctrl-C after every run is stored, while the report is written (manifest.json already
    there): the folder still resumes, and the resume only writes the results again."""
    import sim.analysis.pipeline as pipeline

    sets = ["population.households=400", "horizon.years=2", "run.replications=1", 'run.posterior="none"']
    args = ["run", str(EXPERIMENTS / "default.toml"), "--quiet", "--workers", "1", "--out", str(tmp_path)]
    real = pipeline.analyse_folder

    def interrupted(*a, **kw):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "analyse_folder", interrupted)
    assert main(args + [a for s in sets for a in ("--set", s)]) == 130
    kept = next(tmp_path.iterdir())
    assert (kept / "manifest.json").is_file() and (kept / "run.json").is_file()
    assert f"resume with: sim run --resume {kept}" in capsys.readouterr().err
    monkeypatch.setattr(pipeline, "analyse_folder", real)
    assert main(["run", "--resume", str(kept), "--quiet", "--workers", "1"]) == 0
    done = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert (done / "report.html").is_file() and not kept.exists() and not (done / "run.json").exists()
