"""The one config loader (sim/config/schema.py): each kind of problem becomes one ConfigError
naming the key, the line, what was found and what was expected."""
from typing import Literal

import pytest

from sim.config.schema import Section, line_of, option, validate_section
from sim.errors import ConfigError


class Demo(Section):
    replications: int = option(10, ge=1, problem="no replications", expected="a whole number >= 1")
    rate: float = 0.5
    mode: Literal["fast", "exact"] = "fast"
    on: bool = True


@pytest.fixture
def toml(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text('# a demo\n[demo]\nrate = 0.5\n"replications" = 3\nmode = "fast"  # mode = x\n', "utf-8")
    return path


@pytest.mark.parametrize("data, message, found, expected, hint", [
    ({"replications": 3.0}, "wrong type", 3.0, "a whole number", None),
    ({"replications": True}, "wrong type", True, "a whole number", None),
    ({"replications": 0}, "no replications", 0, "a whole number >= 1", None),
    ({"rate": float("nan")}, "not a finite number", None, "a finite number", None),
    ({"rate": "0.5"}, "wrong type", "0.5", "a number", None),
    ({"on": 1}, "wrong type", 1, "true or false", None),
    ({"mode": "exakt"}, "not an allowed value", "exakt", "fast or exact", "exact"),
    ({"replicatons": 3}, "unknown key", None, "one of replications, rate, mode, on", "demo.replications"),
])
def test_each_problem_is_one_message(toml, data, message, found, expected, hint):
    with pytest.raises(ConfigError) as info:
        validate_section(Demo, data, file=toml, prefix="demo")
    err = info.value
    assert err.message == message and err.file == toml and err.expected == expected
    assert err.key == "demo." + next(iter(data))
    if found is not None:
        assert err.found == found
    assert (hint is None) or (hint in (err.hint or ""))


def test_unknown_keys_are_reported_before_other_problems(toml):
    with pytest.raises(ConfigError, match="unknown key"):
        validate_section(Demo, {"replications": 0, "zzz": 1}, file=toml, prefix="demo")


def test_a_valid_section_keeps_defaults_and_makes_whole_numbers_floats_where_numbers_are_asked():
    got = validate_section(Demo, {"rate": 1}, file=None, prefix="demo").model_dump()
    assert got == {"replications": 10, "rate": 1.0, "mode": "fast", "on": True}
    assert isinstance(got["rate"], float)


def test_a_section_that_is_not_a_table_is_named(toml):
    with pytest.raises(ConfigError, match="wrong type") as info:
        validate_section(Demo, 5, file=toml, prefix="demo")
    assert info.value.expected == "a table"


def test_line_of_finds_the_key_outside_comments(toml):
    assert line_of(toml, "demo.replications") == 4
    assert line_of(toml, "demo.mode") == 5
    assert line_of(toml, "demo") == 2
    assert line_of(toml, "demo.absent") is None
    assert line_of(toml, "demo.rate", "mode =") == 5  # a needle wins over the key
    assert line_of(None, "demo.rate") is None


def test_sim_validate_knows_all_three_kinds_of_config(tmp_path, capsys):
    from pathlib import Path

    from sim.cli import main

    root = Path(__file__).resolve().parents[1]
    for path, kind in ((root / "experiments" / "default.toml", "valid —"),
                       (root / "experiments" / "sweep-small.toml", "valid sweep"),
                       (root / "calibration" / "calibrate-nl.toml", "valid calibration")):
        assert main(["validate", str(path)]) == 0
        assert kind in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('[calibration]\nname = "x"\nwavs = 3\n', "utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml:3" in err and "calibration.wavs" in err and "Traceback" not in err
