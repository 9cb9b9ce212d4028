"""The calibration of the national model (`sim calibrate`), end to end.

* (a) the shipped posterior (calibration/posterior.csv, its mean, exactly as an experiment with
  run.posterior = mean uses it) reproduces every target the config calibrates on within that
  target's tolerance -- one standard deviation as written in targets_nl.csv, nothing widened --
  at 5,000 households with burn-in, horizon and window from calibration/calibrate-nl.toml;
  targets the config excludes are named (skipped with their reason);
* (b) config errors exit with status 2 and a message naming the key and the file;
* (c) a tiny `sim calibrate` run into a temporary folder writes posterior.csv (one column per
  calibrated parameter) and fit.csv with exactly the documented columns;
* (d) rerunning the same tiny config on the same store simulates nothing.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.config import load_config
from sim.calibrate.config_priors import prior_bounds
from sim.calibrate.posterior import read_posterior, row_overrides
from sim.calibrate.report import FIT_COLUMNS
from sim.calibrate.run import CHECK_COLUMNS
from sim.calibrate.simulate import ModelSimulator
from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "calibration" / "calibrate-nl.toml"
POSTERIOR = ROOT / "calibration" / "posterior.csv"
TARGETS = ROOT / "calibration" / "targets_nl.csv"

#: Targets of targets_nl.csv the national calibration leaves out on purpose (docs/calibration.md,
#: "What the model is not calibrated on"); the config must say the same.
EXCLUDED = {
    "child_protection_per_1000hh": "the youth specialist level also holds residential care; "
                                   "youth_specialist_per_1000hh is the target",
}
#: Targets the calibration uses but whose posterior-mean value is documented to lie outside one
#: tolerance (docs/calibration.md), by name with the reason; for them the test checks the weaker
#: claim (within the cutoff) and that they are still outside (so the docs get updated). None now.
NOT_WITHIN_TOLERANCE: dict[str, str] = {}
#: Youth specialist care is a count of ~8 per 1000 households and the relative risk a ratio of
#: small groups: 4 x 20k households (~15 s) are needed for a test that
#: separates "within tolerance" from chance (sd of the mean ~0.38 tolerance).
CHECK_HOUSEHOLDS = 20000
CHECK_REPLICATIONS = 4


# ----------------------------------------------------------------------------- (a) the shipped fit
@pytest.fixture(scope="module")
def nl_config():
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def calibrated_statistics(nl_config):
    """Replication means of every target statistic at the posterior mean (as run.posterior = mean)."""
    if not POSTERIOR.is_file():
        pytest.fail(f"{POSTERIOR} is missing: run `sim calibrate {CONFIG.relative_to(ROOT)}`")
    mean = read_posterior(POSTERIOR).mean().to_dict()  # assembled exactly like run.posterior = mean:
    assert row_overrides(pd.Series(mean))                # ModelSimulator applies posterior.row_overrides
    sim = ModelSimulator(households=CHECK_HOUSEHOLDS, years=nl_config.years,
                         burn_in_years=nl_config.burn_in_years, window_months=nl_config.window_months,
                         statistics=tuple(nl_config.all_targets["statistic"]), start_year=nl_config.start_year)
    seeds = [int(np.random.SeedSequence(nl_config.seed, spawn_key=(77, r)).generate_state(1)[0])
             for r in range(CHECK_REPLICATIONS)]
    return pd.DataFrame([sim(mean, seed) for seed in seeds]).mean()


def test_config_uses_every_target_except_the_documented_exclusions(nl_config):
    every = pd.read_csv(TARGETS)["name"].tolist()
    assert set(nl_config.excluded) == set(EXCLUDED)
    assert not set(NOT_WITHIN_TOLERANCE) & set(EXCLUDED)
    assert sorted(nl_config.target_names) == sorted(n for n in every if n not in EXCLUDED)
    assert 10 <= len(nl_config.priors) <= 16
    assert list(read_posterior(POSTERIOR).columns) == [p.name for p in nl_config.priors]


@pytest.mark.parametrize("target", list(pd.read_csv(TARGETS)["name"]))
def test_calibrated_baseline_reproduces_target(target, nl_config, calibrated_statistics):
    """Within tolerance; a target documented in NOT_WITHIN_TOLERANCE must still be outside it
    (the documentation stays true) but within the implausibility cutoff (3 tolerances)."""
    if target in EXCLUDED:
        pytest.skip(f"{target} is excluded from the calibration: {EXCLUDED[target]}")
    row = nl_config.all_targets.set_index("name").loc[target]
    miss = abs(calibrated_statistics[row["statistic"]] - row["value"])
    message = (f"{target}: simulated {calibrated_statistics[row['statistic']]:.4g} vs observed {row['value']:.4g} "
               f"(tolerance {row['tolerance']:.4g})")
    if target in NOT_WITHIN_TOLERANCE:
        assert row["tolerance"] < miss <= nl_config.cutoff * row["tolerance"], message
    else:
        assert miss <= row["tolerance"], message


def test_shipped_check_says_the_posterior_mean_beats_the_defaults():
    meta = json.loads((ROOT / "calibration" / "calibration_config.json").read_text("utf-8"))
    check = meta["check_against_defaults"]
    assert check["improves"] and check["posterior_mean_rms_z"] < check["defaults_rms_z"]
    assert meta["n_posterior"] == len(pd.read_csv(POSTERIOR)) > 0
    fit = pd.read_csv(ROOT / "calibration" / "fit.csv")
    assert list(fit.columns) == list(FIT_COLUMNS)
    assert set(fit["target"]) == set(load_config(CONFIG).target_names)


def test_shipped_calibration_was_computed_for_this_model():
    """No stale calibration: the posterior was computed for the model code and default parameters
    as they are now (docstrings, comments and parameter sources aside)."""
    from sim.calibrate.fingerprint import model_code_fingerprint
    meta = json.loads((ROOT / "calibration" / "calibration_config.json").read_text("utf-8"))
    recorded, now = meta.get("model_fingerprint"), model_code_fingerprint()
    assert recorded == now, (
        f"calibration/posterior.csv was computed for model fingerprint {recorded}, the model is now {now}: "
        f"recalibrate with `sim calibrate {CONFIG.relative_to(ROOT)}` (about 15 minutes on 2 cores) and commit "
        "calibration/")
    assert meta["calibration"]["config_hash"] == load_config(CONFIG).config_hash, (
        f"calibration/ was computed for another version of {CONFIG.name} or of its targets: "
        f"rerun `sim calibrate {CONFIG.relative_to(ROOT)}`")


def test_fingerprint_ignores_docstrings_and_sources_but_not_rules_or_values():
    from sim.calibrate.fingerprint import _syntax_without_docstrings, _values_only
    a = 'def f(x):\n    """Doubles."""\n    return 2 * x  # why\n'
    b = 'def f(x):\n    """Twice x, reworded."""\n    return 2 * x\n'
    c = 'def f(x):\n    """Doubles."""\n    return 3 * x\n'
    assert _syntax_without_docstrings(a) == _syntax_without_docstrings(b) != _syntax_without_docstrings(c)
    leaf = {"p": {"value": 0.1, "unit": "share", "source": "CBS 2023"}}
    assert _values_only(leaf) == _values_only({"p": {"value": 0.1, "unit": "-", "source": "CBS 2024"}})
    assert _values_only(leaf) != _values_only({"p": {"value": 0.2, "unit": "share", "source": "CBS 2023"}})


# ----------------------------------------------------------------------------- (b) validation
def _write(tmp_path: Path, body: str, name: str = "cal.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), "utf-8")
    return path


GOOD = f"""
[calibration]
name = "tiny"
targets_file = "{TARGETS.as_posix()}"
targets = ["problem_debt_share", "debt_requests_per_1000hh_year"]
output = "out"

[model]
households = 600
burn_in_years = 1
years = 3

[method]
waves = 1
n_per_wave = 6
replications = 1
seed = 1
cutoff = 50.0
abc_epsilon = "none"
check_replications = 1

[run]
workers = 1

[priors]
"hazards.finance.onset" = [0.0012, 0.0022]
"hazards.finance.escalate[1]" = {{ times = [0.7, 0.95] }}
"""


@pytest.mark.parametrize("old, new, key, words", [
    ("waves = 1", "wavs = 1", "method.wavs", "did you mean 'waves'"),
    ('"hazards.finance.onset" = [0.0012, 0.0022]', '"hazards.finance.onst" = [0.0012, 0.0022]',
     "priors.hazards.finance.onst", "did you mean 'hazards.finance.onset'"),
    ('"hazards.finance.onset" = [0.0012, 0.0022]', '"hazards.finance.onset" = [0.0022, 0.0012]',
     "priors.hazards.finance.onset", "low < high"),
    ('"hazards.finance.onset" = [0.0012, 0.0022]', '"hazards.finance.onset" = [0.0001, 0.0022]',
     "priors.hazards.finance.onset", "documented range"),
    ('times = [0.7, 0.95]', 'times = [0.2, 0.95]', "priors.hazards.finance.escalate[1]", "documented range"),
    ('"hazards.finance.escalate[1]"', '"hazards.finance.escalate[3]"', "priors.hazards.finance.escalate[3]",
     "index"),
    ('"problem_debt_share"', '"problem_dept_share"', "calibration.targets", "did you mean 'problem_debt_share'"),
    ("[run]", "[runn]", "runn", "did you mean 'run'"),
    ('abc_epsilon = "none"', 'abc_epsilon = "all"', "method.abc_epsilon", '"none"'),
    ("households = 600", "households = 6.5", "model.households", "whole number"),
])
def test_config_errors_exit_2_naming_key_and_file(tmp_path, capsys, old, new, key, words):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    assert main(["calibrate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and f"key '{key}'" in err and words in err, err
    assert not (tmp_path / "out").exists()  # nothing ran


def test_missing_config_and_targets_file_exit_2(tmp_path, capsys):
    assert main(["calibrate", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml" in capsys.readouterr().err
    path = _write(tmp_path, GOOD.replace(TARGETS.as_posix(), "missing.csv"))
    assert main(["calibrate", str(path)]) == 2
    assert "calibration.targets_file" in capsys.readouterr().err


def test_prior_bounds_follow_the_documented_ranges():
    leaves = __import__("sim.params", fromlist=["default_leaves"]).default_leaves()
    esc = leaves["hazards.youth.escalate"].value[2]
    assert prior_bounds("hazards.youth.escalate[2]") == pytest.approx((0.5 * esc, 2.0 * esc))  # multiplier
    assert prior_bounds("generations.transmission[1]") == (0.0, 1.5)  # bounds every element
    assert prior_bounds("hazards.finance.onset") == tuple(leaves["hazards.finance.onset"].range)


# ----------------------------------------------------------------------------- (c) + (d) tiny run
def test_tiny_calibration_writes_outputs_and_resumes_without_simulating(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path, GOOD)
    out = tmp_path / "out"
    # --force: this tiny run is about the files and the resume, not about beating the defaults
    assert main(["calibrate", str(path), "--quiet", "--force"]) == 0
    capsys.readouterr()
    for name in ("posterior.csv", "plausible.csv", "fit.csv", "fit.png", "calibration_config.json",
                 "history.parquet", "check.csv"):
        assert (out / name).is_file(), name
    posterior = pd.read_csv(out / "posterior.csv")
    assert list(posterior.columns) == ["hazards.finance.onset", "hazards.finance.escalate[1]"]
    assert len(posterior) == 6  # abc_epsilon = "none", generous cutoff: every set is kept
    assert list(pd.read_csv(out / "fit.csv").columns) == list(FIT_COLUMNS)
    assert list(pd.read_csv(out / "check.csv").columns) == list(CHECK_COLUMNS)
    meta = json.loads((out / "calibration_config.json").read_text("utf-8"))
    assert meta["run"]["new_simulations"] == 6 + 2  # 6 sets x 1 replication + the check (2 sets x 1)
    store = out / "runs" / load_config(path).config_hash
    waves = sorted(store.glob("wave_*.parquet"))
    stamps = {p: p.stat().st_mtime_ns for p in waves}
    before = (out / "posterior.csv").read_bytes()

    # (d) the same config on the same store: nothing may be simulated again
    def no_simulation(self, params, seed):
        raise AssertionError("resumed calibration simulated again")

    monkeypatch.setattr(ModelSimulator, "__call__", no_simulation)
    assert main(["calibrate", "run", str(path), "--quiet", "--force"]) == 0
    assert "(0 new simulations)" in capsys.readouterr().err
    assert (out / "posterior.csv").read_bytes() == before
    assert {p: p.stat().st_mtime_ns for p in waves} == stamps
    assert json.loads((out / "calibration_config.json").read_text("utf-8"))["run"]["new_simulations"] == 0


def test_a_second_calibration_of_the_same_store_is_refused_while_one_runs(tmp_path, capsys):
    """The store is locked: a live process holding it (here: pytest's parent) keeps a second
    calibration out, with one line naming the process; nothing is simulated or written."""
    import os

    path = _write(tmp_path, GOOD)
    store = tmp_path / "out" / "runs" / load_config(path).config_hash
    store.mkdir(parents=True)
    (store / ".lock").write_text(str(os.getppid()))
    assert main(["calibrate", str(path), "--quiet", "--force"]) == 2
    err = capsys.readouterr().err
    assert f"pid {os.getppid()}" in err and "Traceback" not in err
    assert sorted(p.name for p in store.iterdir()) == [".lock"]


def test_an_interrupted_calibration_keeps_its_runs_and_says_how_to_resume(tmp_path, capsys, monkeypatch):
    """Ctrl-C (or SIGTERM, which sim turns into it) after three simulations: exit 130, the three
    stay in the store, the message names the command that resumes, and the rerun simulates only
    the rest."""
    path = _write(tmp_path, GOOD)
    real = ModelSimulator.__call__
    calls = []

    def interrupted(self, params, seed):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(seed)
        return real(self, params, seed)

    monkeypatch.setattr(ModelSimulator, "__call__", interrupted)
    assert main(["calibrate", str(path), "--quiet", "--force"]) == 130
    err = capsys.readouterr().err
    assert "kept 3 finished simulations" in err and f"resume with: sim calibrate {path}" in err
    monkeypatch.setattr(ModelSimulator, "__call__", real)
    assert main(["calibrate", str(path), "--quiet", "--force"]) == 0
    assert "(5 new simulations)" in capsys.readouterr().err  # 6 - 3 of the wave, + 2 of the check
