"""Nothing silent, nothing left behind: what a hostile-but-fair user throws at `sim`.

Each case asserts the exit code, that the one-line message names the culprit, that no Python
traceback is printed, and that nothing on disk changed.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"
POSTERIOR = ROOT / "calibration" / "posterior.csv"


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return code, out.err


def config(tmp_path, text, name="exp.toml", encoding="utf-8", bom=False):
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


BASE = f'extends = "{(EXPERIMENTS / "baseline.toml").as_posix()}"\n'


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    path = config(tmp_path, BASE + '[experiment]\nname = "bom"\n', bom=True)
    code, _ = run_cli(["validate", str(path)], capsys)
    assert code == 0


def test_a_latin1_config_names_the_file_and_the_byte(tmp_path, capsys):
    path = config(tmp_path, BASE + '[experiment]\ndescription = "café"\n', encoding="latin-1")
    code, err = run_cli(["validate", str(path)], capsys)
    assert code == 2 and str(path) in err and "not UTF-8" in err and "0xe9" in err


@pytest.mark.parametrize("sets, culprit", [
    (["scenarios.invest_10.levers.prevention.per_household=5"], "did you mean 'invest_100'"),
    (['run.baseline="baseine"'], "run.baseline"),
    (["parameters.prevention.cost_per_household_reached=nan"], "not a finite number"),
    (["parameters.gate.cost_per_fte=inf"], "not a finite number"),
    (["scenarios.invest_100.levers.prevention.per_household=inf"], "not a finite number"),
    (["parameters.levers.prevention.domain_weights=[1.0, nan, 0.0, 0.0]"], "not a finite number"),
    (["parameters.levers.prevention.by_year={2090 = 5.0}"], "outside the horizon"),
    (["run.discount_rate=nan"], "run.discount_rate"),
    (["parameters=5"], "key 'parameters': --set names no config key"),
])
def test_bad_values_and_typos_are_refused_with_the_culprit_named(sets, culprit, capsys):
    code, err = run_cli(["validate", str(EXPERIMENTS / "default.toml")] + [a for s in sets for a in ("--set", s)],
                        capsys)
    assert code == 2 and culprit in err


@pytest.fixture
def damaged_posterior(tmp_path):
    """Swap in a damaged calibration/posterior.csv for one test and put the real one back."""
    saved = tmp_path / "posterior.saved"
    shutil.copy2(POSTERIOR, saved)

    def damage(text_or_bytes):
        data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
        POSTERIOR.write_bytes(data)
    yield damage
    shutil.copy2(saved, POSTERIOR)


def _rows():
    return POSTERIOR.read_text("utf-8").splitlines()


@pytest.mark.parametrize("how, culprit", [
    (lambda rows: "\n".join(rows[:-5]) + "\n", "different number of rows"),  # truncated
    (lambda rows: "\n".join(rows[:1]) + "\n", "no rows"),
    (lambda rows: "", "not a readable CSV"),
    (lambda rows: "\n".join([rows[0], rows[1].replace(rows[1].split(",")[2], "abc", 1)] + rows[2:]) + "\n",
     "not a finite number"),
    (lambda rows: "\n".join([rows[0], rows[1].replace(rows[1].split(",")[0], "nan", 1)] + rows[2:]) + "\n",
     "not a finite number"),
    (lambda rows: "\n".join([rows[0], rows[1].replace(rows[1].split(",")[0], "-0.5", 1)] + rows[2:]) + "\n",
     "posterior row 1"),
    (lambda rows: b"\xff\xfe" + "\n".join(rows).encode("utf-16-le"), "not UTF-8"),
])
def test_a_damaged_posterior_is_an_error_naming_it_before_any_folder_is_made(how, culprit, damaged_posterior,
                                                                              tmp_path, capsys):
    damaged_posterior(how(_rows()))
    out = tmp_path / "results"
    for verb in (["validate", str(EXPERIMENTS / "default.toml")],
                 ["run", str(EXPERIMENTS / "default.toml"), "--out", str(out), "--set", "population.households=300"]):
        code, err = run_cli(verb, capsys)
        assert code == 2 and "posterior.csv" in err and culprit in err, err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("make, culprit", [
    (lambda p: None, "no such results folder"),
    (lambda p: p.mkdir(), "not a results folder"),
    (lambda p: (p.mkdir(), (p / "manifest.json").write_text('{"config": ')), "damaged manifest.json"),
    (lambda p: (p.mkdir(), (p / "manifest.json").write_text('{"config": {"run": {"baseline": "b"}, "scenarios": {}}}'),
                (p / "timeseries.parquet").write_bytes(b"PAR1 not really")), "damaged timeseries.parquet"),
    (lambda p: p.write_text("a file"), "not a folder"),
])
def test_sim_report_on_a_missing_foreign_or_damaged_folder_says_what_is_wrong(make, culprit, tmp_path, capsys):
    folder = tmp_path / "results-x"
    make(folder)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, err = run_cli(["report", str(folder)], capsys)
    assert code == 2 and culprit in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("args, culprit", [
    (["--workers", "-3"], "--workers"),
    (["--workers", "100000"], "--workers"),
    (["--set", "population.households=100000000", "--set", "run.replications=1"], "memory"),
    (["--set", "population.households=8200000", "--set", "run.replications=400", "--workers", "1"], "too long"),
])
def test_options_and_sizes_beyond_the_machine_are_refused_before_any_work(args, culprit, tmp_path, capsys):
    out = tmp_path / "results"
    code, err = run_cli(["run", str(EXPERIMENTS / "default.toml"), "--out", str(out), "--quiet"] + args, capsys)
    assert code == 2 and culprit in err
    assert not out.exists()


def test_the_time_estimate_has_a_cost_per_household_month_and_per_month():
    from sim.run.resources import HOUSEHOLD_MONTHS_PER_SECOND, SECONDS_PER_MONTH, estimate

    est = estimate(households=6000, years=1, burn_in_years=1, runs=4, workers=2)
    assert est.workers == 2
    assert est.seconds == pytest.approx(4 * 24 * (SECONDS_PER_MONTH + 6000 / HOUSEHOLD_MONTHS_PER_SECOND) / 2)
    assert est.slowest() == "population.households"
    assert estimate(households=6000, years=1, burn_in_years=1, runs=5000, workers=2).slowest() == "run.replications"


@pytest.mark.parametrize("sets, culprit", [
    ({"n = 8 ": "n = 65536 ", '"population.households" = 1000': '"population.households" = 200000'}, "sweep.n"),
    ({"n = 8 ": "n = 512 ", '"population.households" = 1000': '"population.households" = 8200000'},
     "population.households"),
])
def test_a_sweep_this_machine_cannot_finish_is_refused_naming_what_makes_it_long(sets, culprit, tmp_path, capsys):
    text = (EXPERIMENTS / "sweep-small.toml").read_text("utf-8").replace(
        'experiment = "default.toml"', f'experiment = "{(EXPERIMENTS / "default.toml").as_posix()}"')
    for old, new in sets.items():
        assert old in text
        text = text.replace(old, new)
    code, err = run_cli(["sweep", str(config(tmp_path, text)), "--out", str(tmp_path / "out"), "--workers", "1"],
                        capsys)
    assert code == 2 and "would take too long" in err and f"key '{culprit}'" in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("verb", [["run", str(EXPERIMENTS / "default.toml")],
                                  ["sweep", str(EXPERIMENTS / "sweep-small.toml")], ["trial", "voorzorg"], ["bench"],
                                  ["calibrate", str(ROOT / "calibration" / "calibrate-nl.toml")]],
                         ids=lambda verb: verb[0])
def test_an_empty_out_is_refused_rather_than_taken_as_the_current_folder(verb, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(verb + ["--out", ""])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "--out: an empty path" in err and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, culprit", [
    (["bench", "--years", "-5"], "--years"),
    (["bench", "--years", "nan"], "--years"),
    (["bench", "--households", "0"], "--households"),
    (["validate", str(EXPERIMENTS / "default.toml"), "--set",
      "scenarios.portfolio_100.interventions.voorzorg.start_year=2027.5"], "not a whole number"),
    (["run", str(EXPERIMENTS / "default.toml"), "--scheduler", "not an address", "--quiet",
      "--set", "population.households=300", "--set", "horizon.years=1"], "--scheduler"),
])
def test_bad_options_get_one_line(args, culprit, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a run that got through would write results/ here
    code, err = run_cli(args, capsys)
    assert code == 2 and culprit in err
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").iterdir())


@pytest.mark.parametrize("below", ["", "sub/folder"])
def test_out_through_a_symbolic_link_to_nothing_names_the_link(below, tmp_path, capsys):
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    out = tmp_path / "link" / below if below else tmp_path / "link"
    code, err = run_cli(["run", str(EXPERIMENTS / "default.toml"), "--out", str(out), "--quiet",
                         "--set", "population.households=300"], capsys)
    assert code == 2 and f"{tmp_path / 'link'} is a symbolic link to nothing" in err, err
    assert not (tmp_path / "nowhere").exists()


def test_out_pointing_at_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    code, err = run_cli(["run", str(EXPERIMENTS / "default.toml"), "--out", str(target), "--quiet",
                         "--set", "population.households=300", "--set", "horizon.years=1"], capsys)
    assert code == 2 and "--out" in err and target.read_text() == "x"


def test_sim_params_into_a_closed_pipe_is_quiet():
    proc = subprocess.run(f"{sys.executable} -m sim params | head -1", shell=True, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout.startswith("| parameter") and "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_sigterm_stops_a_run_keeping_what_finished_and_no_process(tmp_path):
    """What a cluster scheduler or a container stop sends: exit 143, no results folder but the
    hidden, resumable one with the command that resumes it, and no worker process left without
    its parent."""
    out = tmp_path / "results"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "run", str(EXPERIMENTS / "default.toml"), "--out", str(out),
                             "--quiet", "--workers", "2", "--set", "population.households=30000",
                             "--set", 'run.posterior="none"'],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and any(p.name.startswith(".tmp-") for p in out.iterdir())):
        time.sleep(0.2)
    time.sleep(3)  # the workers are busy now
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the run had no worker processes to test with"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "terminated" in err and "Traceback" not in err
    kept = [p for p in out.iterdir()]
    assert len(kept) == 1 and kept[0].name.startswith(".tmp-") and (kept[0] / "run.json").is_file()
    assert f"resume with: sim run --resume {kept[0]}" in err and not (kept[0] / ".lock").exists()
    def alive():
        return [pid for pid in children if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    deadline = time.time() + 10
    while alive() and time.time() < deadline:
        time.sleep(0.2)
    alive = alive()
    if alive:  # clean up before failing
        for pid in alive:
            os.kill(int(pid), signal.SIGKILL)
    assert not alive


def test_a_folder_lock_refuses_a_second_live_process_and_takes_over_a_stale_one(tmp_path):
    from sim.errors import ConfigError
    from sim.files import folder_lock

    (tmp_path / ".lock").write_text(str(os.getppid()))  # a process that is alive: pytest's parent
    with pytest.raises(ConfigError, match=f"pid {os.getppid()}"):
        with folder_lock(tmp_path):
            pass
    (tmp_path / ".lock").write_text("2147483646")  # no such process
    with folder_lock(tmp_path) as lock:
        assert lock.read_text() == str(os.getpid())
    assert not (tmp_path / ".lock").exists()


def test_resuming_a_sweep_another_process_holds_or_one_with_a_damaged_state_is_refused(tmp_path, capsys):
    folder = tmp_path / ".sweep-x-1"
    folder.mkdir()
    (folder / "sweep.json").write_text('{"format": 1, "spec": ')
    code, err = run_cli(["sweep", "--resume", str(folder)], capsys)
    assert code == 2 and "damaged sweep.json" in err
    assert sorted(p.name for p in folder.iterdir()) == ["sweep.json"]


def _odd_files(tmp_path):
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "loop-a.toml").symlink_to(tmp_path / "loop-b.toml")
    (tmp_path / "loop-b.toml").symlink_to(tmp_path / "loop-a.toml")
    (tmp_path / "empty.toml").write_bytes(b"")
    (tmp_path / "comments.toml").write_text("# The default experiment: Vijfheerenlanden, 30 years,\n# no extra")


@pytest.mark.parametrize("name, culprit", [
    ("folder.toml", "is a folder, not a file"),
    ("loop-a.toml", "symbolic link to nothing (or in a loop)"),
    ("empty.toml", "is empty (no keys)"),
    ("comments.toml", "is empty (no keys)"),  # cut off before its first key: not the baseline by default
])
def test_a_folder_a_symlink_loop_or_an_empty_file_as_config_is_named_as_such(name, culprit, tmp_path, capsys):
    _odd_files(tmp_path)
    for verb in (["validate"], ["run", "--out", str(tmp_path / "results"), "--quiet"], ["sweep"]):
        code, err = run_cli(verb + [str(tmp_path / name)], capsys)
        assert code == 2 and name in err and culprit in err, err
    assert not (tmp_path / "results").exists()


def test_extends_or_resume_through_a_symlink_loop_or_a_folder_names_it(tmp_path, capsys):
    _odd_files(tmp_path)
    for target, culprit in (("loop-a.toml", "symbolic link to nothing"), ("folder.toml", "a folder, not a file"),
                            ("missing.toml", "not found")):
        path = config(tmp_path, f'extends = "{target}"\n', name="child.toml")
        code, err = run_cli(["validate", str(path)], capsys)
        assert code == 2 and "child.toml:1, key 'extends'" in err and culprit in err and target in err, err
    code, err = run_cli(["sweep", "--resume", str(tmp_path / "loop-a.toml")], capsys)
    assert code == 2 and "symbolic link in a loop" in err


@pytest.mark.parametrize("text, culprit", [
    ("experiment = 5\n", "key 'experiment': wrong type; found 5; expected a table"),
    (BASE + "scenarios = 5\n", "key 'scenarios': wrong type; found 5"),
    (BASE + "scenarios = [1, 2]\n", "key 'scenarios': wrong type"),
    (BASE + "[horizon]\nyears = 100000\n", "key 'horizon.years'"),  # ran for hours on an estimate of 90 s
])
def test_sections_of_the_wrong_type_or_an_absurd_horizon_are_one_line(text, culprit, tmp_path, capsys):
    code, err = run_cli(["validate", str(config(tmp_path, text))], capsys)
    assert code == 2 and culprit in err, err


@pytest.mark.parametrize("name", ["../escaped", "a/b", "", ".hidden", "tab\there"])
def test_an_experiment_name_that_is_no_folder_name_is_refused_before_any_folder(name, tmp_path, capsys):
    """`../escaped` left an empty `.tmp-..` folder, wrote the results beside --out and printed a
    path that did not exist."""
    out = tmp_path / "results"
    code, err = run_cli(["run", str(EXPERIMENTS / "baseline.toml"), "--out", str(out), "--quiet",
                         "--set", f"experiment.name={name!r}".replace("'", '"'),
                         "--set", "population.households=300", "--set", "horizon.years=1"], capsys)
    assert code == 2 and "experiment.name" in err and "not usable as a folder name" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_sweep_with_an_absurd_n_is_refused_before_any_folder(tmp_path, capsys):
    """n = 2**40 passed `sim validate` and `sim sweep` died in a 48 TiB MemoryError traceback."""
    text = (EXPERIMENTS / "sweep-small.toml").read_text("utf-8").replace("n = 8 ", "n = 1099511627776 ")
    path = config(tmp_path, text.replace('experiment = "default.toml"',
                                         f'experiment = "{(EXPERIMENTS / "default.toml").as_posix()}"'))
    for verb in (["validate", str(path)], ["sweep", str(path), "--out", str(tmp_path / "out")]):
        code, err = run_cli(verb, capsys)
        assert code == 2 and "sweep.n" in err and "too large" in err, err
    assert not (tmp_path / "out").exists()
