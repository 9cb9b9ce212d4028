"""The problem definition (sim/problem.py): what a sampled number means for each kind of
parameter, and which runs of a pair it is set in -- by hand."""
import pytest

from sim.problem import AppliesTo, Kind, Parameter, overrides


def test_a_value_replaces_a_factor_multiplies_an_element_replaces_one_entry():
    value = Parameter("hazards.finance.onset", 0.0, 0.1)
    factor = Parameter("costs.wmo", 0.5, 2.0, kind=Kind.FACTOR)
    element = Parameter.from_name("generations.transmission[1]", 0.0, 1.0)
    assert element.kind is Kind.ELEMENT and element.key == "generations.transmission" and element.index == 1
    base = {"costs.wmo": [100.0, [10.0, 20.0]], "generations.transmission": [0.1, 0.2, 0.3]}
    got = overrides({"hazards.finance.onset": 0.02, "costs.wmo": 1.5, "generations.transmission[1]": 0.9},
                    {p.name: p for p in (value, factor, element)}, base)
    assert got == {"hazards.finance.onset": 0.02, "costs.wmo": [150.0, [15.0, 30.0]],
                   "generations.transmission": [0.1, 0.9, 0.3]}
    assert base["generations.transmission"] == [0.1, 0.2, 0.3]  # the run's own overrides are not touched


def test_two_elements_of_one_list_both_land_and_whole_numbers_are_rounded():
    params = {n: Parameter.from_name(n, 0, 50, integer=True) for n in ("a.list[0]", "a.list[2]", "a.count")}
    got = overrides({"a.list[0]": 3.4, "a.list[2]": 7.6, "a.count": 2.5}, params, {"a.list": [0, 0, 0]})
    assert got == {"a.list": [3, 0, 8], "a.count": 2}


def test_a_lever_is_set_in_the_scenario_only():
    lever = Parameter("levers.prevention.per_household", 0, 200, applies_to=AppliesTo.SCENARIO)
    world = Parameter("hazards.work.onset", 0, 0.1)
    params = {p.name: p for p in (lever, world)}
    row = {"levers.prevention.per_household": 150.0, "hazards.work.onset": 0.01}
    assert overrides(row, params, {}, run="baseline") == {"hazards.work.onset": 0.01}
    assert overrides(row, params, {}, run="scenario") == {"levers.prevention.per_household": 150.0,
                                                           "hazards.work.onset": 0.01}


def test_a_factor_without_an_own_value_multiplies_the_default():
    factor = Parameter("burn_in_years", 0.5, 2.0, kind=Kind.FACTOR)
    assert overrides({"burn_in_years": 2.0}, {"burn_in_years": factor}, {}, defaults={"burn_in_years": 5}) == \
        {"burn_in_years": 10.0}


@pytest.mark.parametrize("make", [
    lambda: Parameter("x", 1.0, 0.0),
    lambda: Parameter("x", float("nan"), 1.0),
    lambda: Parameter("x[1]", 0.0, 1.0),  # an element must say so
    lambda: Parameter("x", 0.0, 1.0, kind=Kind.ELEMENT),
])
def test_impossible_parameters_are_refused(make):
    with pytest.raises(ValueError):
        make()
