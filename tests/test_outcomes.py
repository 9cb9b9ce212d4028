"""The outcome registry (sim/outcomes.py): every column the model reports is in it, every name
it promises is reported, and years are made of months by each kind's rule (known answers)."""
import numpy as np
import pandas as pd
import pytest

from sim.analysis.summary import yearly
from sim.analysis.synthetic import demo_timeseries
from sim.model import PreventionModel
from sim.outcomes import REGISTRY, Kind, kind_of, name, names, outcome_of, parse_cost_column, year_rule


@pytest.fixture(scope="module")
def model_columns():
    model = PreventionModel({"levers.prevention.per_household": 80, "interventions.voorzorg.budget": 50_000,
                             "interventions.wmo_consulent_extra.budget": 50_000}, households=800, seed=2)
    model.run_years(1)
    return list(model.dataframe().columns)


def test_every_column_the_model_reports_is_registered(model_columns):
    missing = [c for c in model_columns if outcome_of(c) is None]
    assert not missing


def test_every_name_the_registry_promises_is_reported(model_columns):
    promised = [n for e in REGISTRY if all(p not in ("id", "line", "payer") for p in e.parts) for n in e.names()]
    assert set(promised) <= set(model_columns), sorted(set(promised) - set(model_columns))[:5]


def test_the_synthetic_test_data_speaks_the_same_names():
    ts = demo_timeseries(years=2, replications=1, households=200)
    assert [c for c in ts.columns if c not in ("scenario", "replication") and outcome_of(c) is None] == []


def test_names_expand_row_major_and_are_checked():
    assert names("hh__{domain}__{level}")[:2] == ["hh__finance__self_reliant", "hh__finance__emerging"]
    assert name("flow__{flow}__{domain}", flow="onset", domain="youth") == "flow__onset__youth"
    with pytest.raises(ValueError, match="not a domain"):
        name("hh__{domain}__{level}", domain="housing", level="light")
    assert parse_cost_column("cost__wmo__municipality") == ("wmo", "municipality")


@pytest.mark.parametrize("column, kind", [
    ("cost__anything__any_payer", Kind.COST), ("episode__youth__entries", Kind.FLOW),
    ("episode__youth__stock_over_2y", Kind.STOCK), ("programme__stevig_ouderschap__new", Kind.FLOW),
    ("programme__stevig_ouderschap__in_programme", Kind.STOCK), ("gate__wait_weeks_max", Kind.PEAK),
    ("hh__any__light", Kind.STOCK), ("not_a_model_column", Kind.STOCK),
])
def test_kinds(column, kind):
    assert kind_of(column) == kind


def test_a_year_is_made_of_months_by_each_kinds_rule():
    months = np.arange(24)
    ts = pd.DataFrame({
        "scenario": "baseline", "replication": 0, "month": months, "year": 2025 + months // 12,
        "cost__wmo__municipality": 1.0,  # sum: 12 a year
        "households": 100 + months,  # stock: December's value
        "prevention__effectiveness": months % 12,  # mean: 5.5
        "gate__wait_weeks_max": (months * 7) % 12,  # peak: the largest month
        "gate__served": np.where(months % 12 < 6, 1, 3),  # weights of the served mean
        "gate__wait_mean_weeks": np.where(months % 12 < 6, 2.0, 6.0),  # (6*2 + 18*6) / 24 = 5
    })
    yr = yearly(ts).set_index("year")
    assert yr["cost__wmo__municipality"].tolist() == [12.0, 12.0]
    assert yr["households"].tolist() == [111, 123]
    assert yr["prevention__effectiveness"].tolist() == [5.5, 5.5]
    assert yr["gate__wait_weeks_max"].tolist() == [11, 11]
    assert yr["gate__wait_mean_weeks"].tolist() == pytest.approx([5.0, 5.0])
    assert [year_rule(c) for c in ("gate__served", "households")] == ["sum", "last"]
