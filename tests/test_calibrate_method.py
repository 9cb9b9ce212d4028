"""Known-answer tests of the calibration method (history matching + ABC rejection).

Toy: a two-state Markov chain, onset p and recovery q, 2,000 units for 200 steps (see
sim/calibrate/toy.py). Targets are the analytic stationary share p/(p+q) and mean spell length
1/q at the truth p = 0.05, q = 0.2, each with a 5% tolerance. Claims tested:

* the truth is non-implausible and lies inside the final plausible set (its bounding box, and
  a plausible set within 10% of it);
* the posterior mean is within 10% of the truth in each parameter (the posterior spread here is
  a few per cent, so 10% is a loose but meaningful bound);
* a wrong target (spell length 10 instead of 5) rules the truth out;
* same seed -> identical result; a different seed -> a different design;
* common random numbers: every set in a wave gets the same replication seeds;
* resume: a run interrupted in wave 2 and rerun on the same store gives the same result as an
  uninterrupted run, without simulating wave 1 again.
"""
import warnings

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.method import evaluate, history_match
from sim.calibrate.priors import Prior, normalise_priors, priors_from_params
from sim.calibrate.report import FIT_COLUMNS, fit_report
from sim.calibrate.result import load_result
from sim.calibrate.scoring import implausibility
from sim.calibrate.statistics import model_statistics
from sim.calibrate.toy import TOY_PRIORS, TRUE_PARAMS, analytic_two_state, simulate_two_state, toy_targets
from sim.run.executor import run_tasks

SETTINGS = dict(n_per_wave=64, waves=3, replications=2, seed=7, progress=False)
P, Q = "hazards.toy.onset", "hazards.toy.recover"


class CountingExecutor:
    """An executor with run_tasks' signature that counts tasks and can fail on a wave."""

    def __init__(self, fail_on: str | None = None, as_list: bool = False):
        self.tasks = []
        self.fail_on = fail_on
        self.as_list = as_list

    def __call__(self, func, tasks, **kwargs):
        tasks = list(tasks)
        if self.fail_on and any(self.fail_on in t.key for t in tasks):
            raise RuntimeError("simulated crash")
        self.tasks.extend(tasks)
        out = run_tasks(func, tasks, workers=1, progress=False)
        return [out[t.key] for t in tasks] if self.as_list else out


@pytest.fixture(scope="module")
def baseline():
    return history_match(simulate_two_state, TOY_PRIORS, toy_targets(), **SETTINGS)


def test_toy_simulator_matches_its_analytic_values():
    sim = simulate_two_state(TRUE_PARAMS, seed=3)
    a = analytic_two_state(TRUE_PARAMS)
    assert sim["share_with_problem"] == pytest.approx(a["share_with_problem"], rel=0.05)
    assert sim["mean_spell_length"] == pytest.approx(a["mean_spell_length"], rel=0.05)


def test_implausibility_formula_and_priors():
    i = implausibility([1.5, np.nan], [0.04, 0.0], 4, [1.0, 1.0], [0.3, 0.1])
    assert i[0] == pytest.approx(0.5 / np.sqrt(0.09 + 0.01))
    assert i[1] == np.inf  # failed simulation -> ruled out
    pr = normalise_priors({"a": (1.0, 100.0, "log"), "b": {"low": 0, "high": 2}})
    assert pr[0] == Prior("a", 1.0, 100.0, True)
    assert pr[0].from_unit(0.5) == pytest.approx(10.0)
    assert pr[1].to_unit(pr[1].from_unit(0.25)) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        Prior("c", 0.0, 1.0, log=True)


def test_priors_from_parameter_ranges():
    from types import SimpleNamespace as Leaf
    leaves = {"hazards.x.onset": Leaf(value=0.01, range=(0.005, 0.02)),
              "hazards.x.escalate": Leaf(value=[0.1, 0.2], range=(0.5, 2.0))}
    (p,) = priors_from_params(["hazards.x.onset"], log=["hazards.x.onset"], leaves=leaves)
    assert p == Prior("hazards.x.onset", 0.005, 0.02, True)
    with pytest.raises(ValueError, match="not a scalar"):
        priors_from_params(["hazards.x.escalate"], leaves=leaves)


def test_recovers_truth(baseline):
    res = baseline
    plaus, post = res.plausible, res.posterior
    assert len(plaus) >= 10 and len(post) >= 2
    assert (plaus["I_max"] <= 3).all()
    # the truth lies inside the non-implausible region ...
    for k, v in TRUE_PARAMS.items():
        assert plaus[k].min() <= v <= plaus[k].max()
    rel = np.abs(plaus[[P, Q]] / pd.Series(TRUE_PARAMS) - 1).max(axis=1)
    assert rel.min() < 0.10
    # ... and is itself non-implausible
    at_truth = evaluate(simulate_two_state, [TRUE_PARAMS], toy_targets(), replications=2, seed=1)
    assert at_truth.loc[0, "I_max"] <= 3
    # the posterior mean is within 10% of the truth in each parameter
    mean = res.posterior_mean()
    assert mean[P] == pytest.approx(TRUE_PARAMS[P], rel=0.10)
    assert mean[Q] == pytest.approx(TRUE_PARAMS[Q], rel=0.10)
    medoid = res.posterior_medoid()
    assert set(medoid.index) == {P, Q}
    # waves concentrate: the share of non-implausible sets grows
    share = res.wave_summary()["share_nroy"].to_numpy()
    assert share[-1] > share[0]


def test_wrong_target_excludes_truth():
    wrong = toy_targets()
    wrong.loc[wrong["statistic"] == "mean_spell_length", ["value", "tolerance"]] = [10.0, 0.5]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = history_match(simulate_two_state, TOY_PRIORS, wrong, **SETTINGS)
    at_truth = evaluate(simulate_two_state, [TRUE_PARAMS], wrong, replications=2, seed=1)
    assert at_truth.loc[0, "I_max"] > 3
    plaus = res.plausible
    assert len(plaus) > 0  # the wrong target is matchable (q = 0.1, p = 0.025), just not by the truth
    assert (plaus[Q] < 0.15).all()
    rel = np.abs(plaus[[P, Q]] / pd.Series(TRUE_PARAMS) - 1).max(axis=1)
    assert rel.min() > 0.2


def test_deterministic(baseline):
    again = history_match(simulate_two_state, TOY_PRIORS, toy_targets(), **SETTINGS)
    pd.testing.assert_frame_equal(baseline.history, again.history)
    other = history_match(simulate_two_state, TOY_PRIORS, toy_targets(), **dict(SETTINGS, waves=1, seed=8))
    first = baseline.history[baseline.history["wave"] == 1]
    assert not np.allclose(first[P].to_numpy(), other.history[P].to_numpy())


def test_common_random_numbers_and_task_keys():
    ex = CountingExecutor(as_list=True)  # list-returning executors are accepted too
    history_match(simulate_two_state, TOY_PRIORS, toy_targets(), run_tasks=ex, **dict(SETTINGS, waves=2))
    assert len(ex.tasks) == 2 * 64 * 2
    keys = [t.key for t in ex.tasks]
    assert len(set(keys)) == len(keys) and all("-w0" in k and "-p" in k and "-r" in k for k in keys)
    for wave in ("-w01-", "-w02-"):
        seeds = {}
        for t in ex.tasks:
            if wave in t.key:
                point = t.key.split("-p")[1][:5]
                seeds.setdefault(point, []).append(t.kwargs["seed"])
        assert len({tuple(s) for s in seeds.values()}) == 1  # same seeds for every set in the wave
    s1 = [t.kwargs["seed"] for t in ex.tasks if "-w01-" in t.key][:2]
    s2 = [t.kwargs["seed"] for t in ex.tasks if "-w02-" in t.key][:2]
    assert s1 != s2  # fresh seeds per wave


def test_resume_after_interruption(baseline, tmp_path):
    store = tmp_path / "store"
    crash = CountingExecutor(fail_on="-w02-")
    with pytest.raises(RuntimeError, match="simulated crash"):
        history_match(simulate_two_state, TOY_PRIORS, toy_targets(), run_tasks=crash, store=store, **SETTINGS)
    assert len(crash.tasks) == 64 * 2  # wave 1 done and saved
    assert (store / "wave_01.parquet").exists() and not (store / "wave_02.parquet").exists()

    rerun = CountingExecutor()
    res = history_match(simulate_two_state, TOY_PRIORS, toy_targets(), run_tasks=rerun, store=store, **SETTINGS)
    assert len(rerun.tasks) == 2 * 64 * 2  # waves 2 and 3 only
    assert not any("-w01-" in t.key for t in rerun.tasks)
    pd.testing.assert_frame_equal(res.history, baseline.history)

    # a finished store is reused entirely; another configuration is refused
    again = CountingExecutor()
    history_match(simulate_two_state, TOY_PRIORS, toy_targets(), run_tasks=again, store=store, **SETTINGS)
    assert again.tasks == []
    with pytest.raises(ValueError, match="another configuration"):
        history_match(simulate_two_state, TOY_PRIORS, toy_targets(), store=store, **dict(SETTINGS, seed=99))


def test_save_and_fit_report(baseline, tmp_path):
    paths = baseline.save(tmp_path)
    post = pd.read_csv(paths["posterior"])
    assert list(post.columns) == [P, Q] and len(post) == len(baseline.posterior)
    plaus = pd.read_csv(paths["plausible"])
    assert {"sim__share_with_problem", "I__toy_spell", "I_max", "distance", "abc_accept"} <= set(plaus.columns)
    loaded = load_result(tmp_path)
    pd.testing.assert_frame_equal(loaded.history, baseline.history)

    out = fit_report(loaded, None, tmp_path / "report")
    fit = pd.read_csv(out["csv"])
    assert tuple(fit.columns) == FIT_COLUMNS
    assert fit["within"].all()
    assert out["png"].stat().st_size > 1000

    from sim.calibrate.cli import main  # the same through `sim calibrate report`
    assert main(["report", "--result", str(tmp_path), "--out", str(tmp_path / "cli")]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "cli" / "fit.csv"), fit)


def test_model_statistics_mapping():
    months = 24
    ts = pd.DataFrame({
        "month": range(months), "households": 1000.0, "persons": 2100.0, "children": 400.0,
        "youth_clients__maatwerk": 30.0, "youth_clients__specialist": 10.0, "pop__under_23": 400.0,
        "care__laws_1plus": 200.0, "care__laws_2plus": 25.0,
        # bijstand episodes: 2 entries a month, 1 a re-entry; 3 exits, 36 months between them, 2 over a year
        "episode__work__entries": 2.0, "episode__work__reentries_1y": 1.0, "episode__work__exits": 3.0,
        "episode__work__ended_months": 36.0, "episode__work__ended_over_1y": 2.0,
        "episode__work__stock": 50.0, "episode__work__stock_over_5y": 25.0,
        "hh__health__maatwerk": 100.0, "hh__health__specialist": 20.0,
        "hh__work__maatwerk": 40.0, "hh__work__specialist": 10.0,
        "hh__finance__light": 50.0, "hh__finance__maatwerk": 20.0, "hh__finance__specialist": 5.0,
        "cost__wmo__municipality": 50_000.0, "cost__jeugdwet__municipality": 40_000.0,
        "cost__participatiewet__municipality": 60_000.0, "cost__participatiewet__central_government": 2_000.0,
        "flow__to_maatwerk__finance": 1.0,
    })
    s = model_statistics(ts)
    assert s["jeugdhulp_share_youth"] == pytest.approx(0.1)
    assert s["wmo_maatwerk_per_1000hh"] == pytest.approx(120.0)
    assert s["bijstand_per_1000hh"] == pytest.approx(50.0)
    assert s["problem_debt_share"] == pytest.approx(0.075)
    assert s["cost_wmo_per_hh_year"] == pytest.approx(600.0)
    assert s["cost_participatiewet_per_hh_year"] == pytest.approx(744.0)
    assert s["debt_requests_per_1000hh_year"] == pytest.approx(12.0)
    assert s["youth_specialist_per_1000hh"] == pytest.approx(10.0)
    assert s["care_laws_1plus_share"] == pytest.approx(0.2)
    assert s["care_laws_2plus_share_of_users"] == pytest.approx(0.125)
    assert s["bijstand_inflow_per_1000hh_year"] == pytest.approx(24.0)  # 12 x 2 per 1000 households
    assert s["bijstand_reentry_share"] == pytest.approx(0.5)
    assert s["bijstand_ended_mean_months"] == pytest.approx(12.0)
    assert s["bijstand_ended_over_1y_share"] == pytest.approx(2 / 3)
    assert s["bijstand_stock_over_5y_share"] == pytest.approx(0.5)
    assert "intergen_rr_maatwerk" not in s  # its columns are absent: left out, not invented
    with pytest.raises(KeyError, match="gen__exposed"):
        model_statistics(ts, ["intergen_rr_maatwerk"])


def test_runs_through_the_project_executor(baseline, tmp_path):
    """The same calibration through sim.run.executor.run_tasks (serial, with its task store)."""
    executor = pytest.importorskip("sim.run.executor")
    kw = dict(workers=1, store=tmp_path / "tasks", progress=False)
    res = history_match(simulate_two_state, TOY_PRIORS, toy_targets(), run_tasks=executor.run_tasks,
                        executor_kwargs=kw, **SETTINGS)
    pd.testing.assert_frame_equal(res.history, baseline.history)
    assert len(list((tmp_path / "tasks").glob("*.npz"))) == 3 * 64 * 2
