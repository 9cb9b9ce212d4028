"""One burn-in, several continuations (sim/model/burn_in.py): a run started from another run's
burn-in snapshot gives the numbers of a run that simulates its own burn-in, bit for bit."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.config import load
from sim.model import PreventionModel
from sim.model.burn_in import BURN_IN_INERT
from sim.params.posterior import parameter_draws
from sim.run.experiment import tasks_for
from sim.seeds import replication_seed

EXPERIMENTS = sorted(p for p in Path(__file__).parent.parent.glob("experiments/*.toml") if not p.stem.startswith("sweep"))
SMALL = {"population.households": 600, "run.replications": 2}
YEARS = 3  # of each run: enough to see every lever act
UNSHARED: dict[str, set] = {}  # shipped scenarios that change the world the burn-in simulates


def _model(overrides, *, burn_in=None, households=600, replication=0):
    return PreventionModel(dict(overrides), households=households, start_year=2025,
                           seed=replication_seed(7, replication), burn_in=burn_in)


def _same_state(a, b) -> bool:
    for table in ("households", "children"):
        ta, tb = getattr(a, table), getattr(b, table)
        if ta.n != tb.n or any(not np.array_equal(ta._data[c][: ta.n], tb._data[c][: tb.n]) for c in ta._data):
            return False
    return a.streams == b.streams and a.keys == b.keys and (a.tick, a.next_id, a.queue) == (b.tick, b.next_id, b.queue)


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_shipped_scenario_continues_the_baselines_burn_in_exactly(path):
    exp = load(path, sets=SMALL)
    draws = parameter_draws(exp)
    tasks = tasks_for(exp, draws.overrides_for)
    baseline = {t.kwargs["replication"]: t.kwargs for t in tasks if t.kwargs["scenario"] == exp.baseline}
    unshared = set()
    for task in tasks:
        kw = task.kwargs
        base = baseline[kw["replication"]]
        seed = lambda: replication_seed(kw["seed"], kw["replication"])  # noqa: E731 -- a fresh sequence per model
        snapshot = PreventionModel(base["overrides"], households=kw["households"], start_year=kw["start_year"],
                                   seed=seed()).burn_in_snapshot()
        own = PreventionModel(kw["overrides"], households=kw["households"], start_year=kw["start_year"], seed=seed())
        if own.burn_in_key != snapshot.key:
            unshared.add(kw["scenario"])  # the scenario changes what the burn-in reads: no sharing
            continue
        shared = PreventionModel(kw["overrides"], households=kw["households"], start_year=kw["start_year"],
                                 seed=seed(), burn_in=snapshot)
        own.run_years(YEARS)
        shared.run_years(YEARS)
        assert own.dataframe().equals(shared.dataframe()), f"{path.stem}: {task.key}"
    assert unshared == UNSHARED.get(path.stem, set())


def test_the_default_experiments_scenarios_all_share_the_baselines_burn_in():
    exp = load(Path(__file__).parent.parent / "experiments/default.toml", sets=SMALL)
    keys = {PreventionModel(exp.scenario_overrides(name), households=600, seed=replication_seed(1, 0)).burn_in_key
            for name in exp.scenarios}
    assert len(keys) == 1


@pytest.mark.parametrize("overrides", [
    {"levers.prevention.per_household": 250.0, "levers.prevention.profile": "ramp"},
    {"interventions.voorzorg.budget": 500000.0, "interventions.schuldhulpmaatje.budget": 300000.0},
    {"prevention.escalation_reduction": 0.6, "prevention.detection_boost": 3.0},
    {"costs.youth.specialist.jeugdwet": 99999.0},
    {"latent_demand.contact_take_up": 1.0, "latent_demand.reveal": 0.6},
], ids=["levers", "interventions", "prevention", "costs", "contact's effect on latent demand"])
def test_the_burn_in_does_not_read_the_inert_families(overrides):
    assert all(key.startswith(BURN_IN_INERT) for key in overrides)
    default, changed = _model({}), _model(overrides)
    assert default.burn_in_key == changed.burn_in_key
    assert _same_state(default.burn_in_snapshot(), changed.burn_in_snapshot())


def test_a_parameter_the_burn_in_reads_changes_the_key_and_the_state():
    default, changed = _model({}), _model({"hazards.finance.onset": 0.004})
    assert default.burn_in_key != changed.burn_in_key
    assert not _same_state(default.burn_in_snapshot(), changed.burn_in_snapshot())


@pytest.mark.parametrize("other", [
    dict(overrides={"hazards.finance.onset": 0.004}), dict(overrides={}, households=700),
    dict(overrides={}, replication=1)], ids=["parameter", "population", "seed"])
def test_a_burn_in_from_another_run_is_refused(other):
    snapshot = _model({}).burn_in_snapshot()
    with pytest.raises(ValueError, match="another population"):
        _model(other.pop("overrides"), burn_in=snapshot, **other)


def test_one_snapshot_starts_several_runs_and_is_not_changed_by_them():
    model = _model({})
    snapshot = model.burn_in_snapshot()
    model.run_years(1)
    for _ in range(2):
        again = _model({}, burn_in=snapshot)
        again.run_years(1)
        assert again.dataframe().equals(model.dataframe())


def _run_key(model):
    from sim.model.burn_in import run_key

    return run_key(model.params, households=model.households0, start_year=model.start_year,
                   burn_in_months=model.burn_in_months, months=12, seed=replication_seed(7, 0))


def test_a_run_without_lever_does_not_read_what_prevention_would_do():
    plain = _model({})
    changed = _model({"prevention.escalation_reduction": 0.6, "prevention.recovery_boost": 0.9,
                      "prevention.learning_years": 0.0, "levers.prevention.profile": "ramp",
                      "latent_demand.contact_take_up": 1.0, "latent_demand.reveal": 0.6})
    assert _run_key(plain) == _run_key(changed) is not None
    plain.run_years(1)
    changed.run_years(1)
    assert plain.dataframe().equals(changed.dataframe())


def test_a_run_with_a_lever_is_another_run_and_prices_are_not_part_of_the_key():
    plain = _run_key(_model({}))
    lever = _run_key(_model({"levers.prevention.per_household": 50.0}))
    assert len({plain, lever, _run_key(_model({"interventions.voorzorg.budget": 100000.0}))}) == 3
    assert lever != _run_key(_model({"levers.prevention.per_household": 60.0}))
    assert _run_key(_model({"costs.youth.specialist.jeugdwet": 99999.0})) == plain  # costs.reprice books it
    assert _run_key(_model({"levers.prevention.per_household": 50.0, "costs.youth.specialist.jeugdwet": 1.0})) == lever


def test_the_evaluator_reuses_runs_with_identical_numbers():
    from sim.run import reuse
    from sim.run.evaluate import time_series

    reuse.clear()
    kw = dict(households=500, start_year=2025, years=2, seed=3, replication=0)
    fresh = time_series(overrides={"levers.prevention.per_household": 80.0}, **kw)
    assert (reuse.burn_ins.hits, len(reuse.burn_ins), len(reuse.finished_runs)) == (0, 1, 1)
    baseline = time_series(overrides={}, **kw)
    assert reuse.burn_ins.hits == 1 and len(reuse.finished_runs) == 2
    baseline["month"] = -1  # the caller's copy: the cache keeps its own
    again = time_series(overrides={"prevention.escalation_reduction": 0.5}, **kw)
    assert reuse.finished_runs.hits == 1 and (again["month"] >= 0).all()
    reuse.clear()
    assert time_series(overrides={"levers.prevention.per_household": 80.0}, **kw).equals(fresh)
    assert time_series(overrides={}, **kw).equals(again)


def test_the_bounded_cache_forgets_the_least_recently_used_and_refuses_what_is_too_big():
    from sim.run.reuse import BoundedCache

    cache = BoundedCache(10, len)
    cache["a"], cache["b"] = "xxxx", "yyyy"
    assert cache["a"] == "xxxx"  # a is now the most recently used
    cache["c"] = "zzzz"
    assert list(cache) == ["a", "c"] and cache.bytes == 8
    cache["d"] = "w" * 11
    assert "d" not in cache and cache.bytes == 8
