"""The what-if screen's settings (sim/app/settings.py): the config they stand for, the TOML file
written from it, the cache key, and the form's messages. No server, no model runs."""
from __future__ import annotations

import dataclasses
import tomllib

import pandas as pd
import pytest

from sim.app.screen import perspective_view
from sim.app.settings import (CHOICE, Settings, check, run_key, to_config, to_toml, toml_comment)
from sim.cli import main
from sim.run.experiment import resolve_experiment

QUESTION = Settings(preset="olst-wijhe", households=900, years=12,
                    buys=(("schuldhulpmaatje", "participants", 25), ("voorzorg", "budget", 150_000.5),
                          ("vroegsignalering_schulden", "budget", 40_000)),
                    generic=12.5, from_year=2027, until_year=2029, language="en")


def _scenarios(exp) -> dict:
    return {name: (sc.overrides, sc.label) for name, sc in exp.scenarios.items()}


@pytest.mark.parametrize("s", [QUESTION, Settings(), dataclasses.replace(QUESTION, until_year=None, generic=0.0),
                               QUESTION.preliminary()])
def test_written_toml_validates_and_resolves_to_the_same_experiment(s, tmp_path, capsys):
    config = to_config(s)
    path = tmp_path / "whatif.toml"
    path.write_text(to_toml(config, comment=toml_comment(s)), "utf-8")
    assert tomllib.loads(path.read_text("utf-8")) == config
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    from_file, from_dict = resolve_experiment(path), resolve_experiment(config)
    assert _scenarios(from_file) == _scenarios(from_dict)
    assert (from_file.households, from_file.replications, from_file.years, from_file.seed) == \
        (from_dict.households, from_dict.replications, from_dict.years, from_dict.seed)


def test_the_time_profile_reaches_every_bought_entry_and_the_generic_lever():
    exp = resolve_experiment(to_config(QUESTION))
    o = exp.scenarios[CHOICE].overrides
    for ident in ("schuldhulpmaatje", "voorzorg", "vroegsignalering_schulden"):
        assert (o[f"interventions.{ident}.start_year"], o[f"interventions.{ident}.stop_after_year"]) == (2027, 2029)
    assert o["interventions.schuldhulpmaatje.participants"] == 25
    assert o["levers.prevention.per_household"] == 12.5
    assert (o["levers.prevention.profile"], o["levers.prevention.start_year"],
            o["levers.prevention.stop_after_year"]) == ("stop", 2027, 2029)
    assert exp.scenarios["baseline"].overrides == {}
    assert set(exp.interventions) == {"schuldhulpmaatje", "voorzorg", "vroegsignalering_schulden"}


def test_cache_key_is_the_run_not_its_words():
    key = run_key(to_config(QUESTION))
    assert key == run_key(to_config(dataclasses.replace(QUESTION, language="nl", perspective="municipality")))
    assert key != run_key(to_config(dataclasses.replace(QUESTION, generic=12.0)))
    assert key != run_key(to_config(dataclasses.replace(QUESTION, until_year=2030)))
    assert key != run_key(to_config(QUESTION.preliminary()))
    # an entry bought for 0 is not bought: the same run as leaving it out
    zero = dataclasses.replace(QUESTION, buys=QUESTION.buys + (("poh_jeugd", "budget", 0),))
    assert run_key(to_config(zero)) == key


def test_preliminary_is_smaller_and_says_so():
    p = Settings().preliminary()
    assert p.n_households == 3000 and p.replications == 3 and p.preliminary_stage
    assert to_config(p)["experiment"]["name"] == "whatif-preliminary"
    assert "preliminary" in toml_comment(p)
    small = Settings(households=500).preliminary()
    assert small.n_households == 500


@pytest.mark.parametrize("language, changes, field, words", [
    ("en", {"buys": (("voorzorg", "budget", -5.0),)}, "buy:voorzorg", "Must be 0 or more"),
    ("nl", {"buys": (("voorzorg", "budget", -5.0),)}, "buy:voorzorg", "Moet 0 of meer zijn"),
    ("en", {"generic": -1.0, "buys": ()}, "generic", "Must be 0 or more"),
    ("en", {"until_year": 2070}, "until_year", "Outside the horizon: choose a year from 2026 to 2055"),
    ("nl", {"from_year": 2020}, "from_year", "Valt buiten de horizon: kies een jaar van 2026 tot en met 2055"),
    ("en", {"buys": (), "generic": 0.0}, "buys", "Choose at least one intervention"),
    ("en", {"from_year": 2030, "until_year": 2028}, "until_year", "before the first year"),
    ("en", {"households": 5}, "households", "Choose 100 to 250,000 households"),
    ("en", {"years": 0}, "years", "horizon must be 1 to 200 years"),
])
def test_form_messages_come_from_the_config_check_and_name_the_field(language, changes, field, words):
    errors = check(dataclasses.replace(Settings(language=language), **changes))
    assert field in errors, errors
    assert words in errors[field]
    assert "Traceback" not in errors[field]


def test_valid_settings_have_no_messages():
    assert check(QUESTION) == {}
    assert check(Settings()) == {}


def test_municipality_perspective_keeps_only_its_cost_lines():
    ts = pd.DataFrame({"scenario": ["a"], "replication": [0], "month": [0], "year": [2026],
                       "cost__wmo__municipality": [1.0], "cost__zvw__health_insurer": [2.0], "hh__any__light": [3]})
    assert list(perspective_view(ts, "all").columns) == list(ts.columns)
    assert list(perspective_view(ts, "municipality").columns) == ["scenario", "replication", "month", "year",
                                                                  "cost__wmo__municipality", "hh__any__light"]
    with pytest.raises(ValueError):
        perspective_view(ts, "society")
