"""Prices set euros and nothing else (sim/model/costs.py): a run booked again at other prices
from its ledger is, bit for bit, the run simulated at those prices; the evaluator uses that to
leave a price-only sweep row unsimulated."""
from __future__ import annotations

import pytest

from sim.model import PreventionModel
from sim.model.costs import reprice
from sim.params import Parameters
from sim.seeds import replication_seed

PRICE_KEYS = sorted(k for k in Parameters.build({}).leaves if k.startswith("costs."))
# Every price changed, one of them to nothing: a book that missed one would show it.
OTHER_PRICES = {key: (0.0 if i == 0 else Parameters.build({}).leaves[key].value * (1.37 + 0.01 * i))
                for i, key in enumerate(PRICE_KEYS)}
LEVERS = {
    "no lever": {},
    "generic lever": {"levers.prevention.per_household": 120.0},
    "catalogue": {"interventions.voorzorg.budget": 400000.0, "interventions.schuldhulp_toegang.budget": 300000.0},
}


def _run(overrides, years=3):
    model = PreventionModel(dict(overrides), households=700, start_year=2025, seed=replication_seed(11, 0))
    model.run_years(years)
    return model


@pytest.mark.parametrize("levers", LEVERS.values(), ids=LEVERS.keys())
def test_a_run_booked_at_other_prices_is_the_run_simulated_at_them(levers):
    assert len(PRICE_KEYS) > 10
    at_defaults, at_others = _run(levers), _run({**levers, **OTHER_PRICES})
    simulated = at_others.dataframe()
    assert not at_defaults.dataframe().equals(simulated)  # the prices do change the euros
    booked = reprice(at_defaults.dataframe(), at_defaults.datacollector.ledger, at_others.params)
    assert booked.equals(simulated)
    same = reprice(at_defaults.dataframe(), at_defaults.datacollector.ledger, at_defaults.params)
    assert same.equals(at_defaults.dataframe())


def test_a_ledger_of_another_length_is_refused():
    model = _run({}, years=1)
    with pytest.raises(ValueError, match="ledger of 11 months for a run of 12"):
        reprice(model.dataframe(), model.datacollector.ledger[:-1], model.params)


def test_the_evaluator_books_a_price_only_change_without_simulating():
    from sim.run import reuse
    from sim.run.evaluate import time_series

    kw = dict(households=500, start_year=2025, years=2, seed=3, replication=0)
    for levers in LEVERS.values():
        reuse.clear()
        time_series(overrides=levers, **kw)
        booked = time_series(overrides={**levers, **OTHER_PRICES}, **kw)
        assert reuse.finished_runs.hits == 1 and reuse.burn_ins.hits == 0
        reuse.clear()
        assert booked.equals(time_series(overrides={**levers, **OTHER_PRICES}, **kw))
