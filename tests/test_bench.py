"""`sim bench` (sim/bench): the table of the four figures, the record file, and bad input.

Nothing here is timed: sizes are tiny, and the speed targets live in sim/bench/table.py only.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from sim.bench import record as rec
from sim.bench import table
from sim.bench.reference import ModelTiming
from sim.bench.sweep import SweepTiming
from sim.cli import main
from sim.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SMALL_SWEEP = str(ROOT / "experiments" / "sweep-small.toml")
TODAY = dt.date.today().isoformat()


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return code, out.out, out.err


# ------------------------------------------------------------------------------ the table
@pytest.mark.slow
def test_the_table_has_every_line_beside_its_target(tmp_path, capsys):
    """make bench at tiny sizes: the six lines (two of them the record's last full runs), each with
    its target, a met? cell, a date and what was measured or extrapolated; nothing judged, since
    nothing is at the target's size."""
    record = tmp_path / "bench-record.json"
    rec.write_entry(record, "nl", {"households": 8_200_000, "years": 40, "seconds": 595.8, "peak_gib": 2.1})
    code, out, _ = run_cli(["bench", "--table", "--households", "200", "--years", "0.25", "--nl-households", "300",
                            "--sweep-config", SMALL_SWEEP, "--sweep-evaluations", "4", "--record", str(record)],
                           capsys)
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    header, lines = rows[0], rows[1:]
    assert [c.strip() for c in header.strip("|").split("|")] == table.HEADER
    assert len(lines) == 6
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    targets = [c[1] for c in cells]
    assert targets == ["< 1 s", "≥ 100×", "< 5 min, < 8 GiB", "< 5 min, < 8 GiB", "< 15 min", "< 15 min"]
    assert "24,000 households × 40 years" in cells[0][0] and "Mesa" in cells[1][0]
    assert "stand-in" in cells[2][0] and "last full run" in cells[3][0]
    assert "stand-in" in cells[4][0] and "last full run" in cells[5][0]
    # Measured now at tiny sizes: dated today, not judged; the record's run: its date, judged on its figures.
    assert [c[3] for c in cells] == ["–", "–", "–", "no", "–", "–"]
    assert [c[4] for c in cells] == [TODAY, TODAY, TODAY, TODAY, TODAY, "–"]
    assert cells[0][5].startswith("measured at 200 households") and cells[1][5].startswith("measured, same run")
    assert "extrapolated ×27,333 from 300 households" in cells[2][5]
    assert cells[3][2] == "9 min 56 s, 2.1 GiB" and cells[3][5].startswith("measured in full")
    assert cells[4][5].startswith("extrapolated from 4 evaluations to 47")
    assert cells[5][2] == "never run in full" and "make bench-sweep" in cells[5][5]
    assert "load average" in out and "preliminary" in out
    assert json.loads(record.read_text())["nl"]["seconds"] == 595.8  # the table only reads the record


def test_lines_at_the_targets_size_are_judged():
    """The arithmetic of the stand-ins and the yes/no against the targets, on made-up timings."""
    t = ModelTiming(households=24_000, months=480, bare=False, kernels_seconds=0.3, setup_seconds=0.05,
                    run_seconds=0.8, best_rate=1.5e7, base_mib=200.0, peak_mib=300.0, peak_is_own=True)
    assert table.model_line(t).met is True and table.model_line(t).value == "0.80 s"
    slow = ModelTiming(820_000, 480, False, 0.3, 1.0, 59.0, 7e6, 300.0, 500.0, True)
    line = table.nl_standin_line(slow)
    assert line.value == "10 min 00 s, 2.2 GiB" and line.met is False  # (1 + 59) x 10 s; 300 + 200 x 10 MiB
    assert line.basis == "extrapolated ×10 from 820,000 households"
    bare = ModelTiming(24_000, 480, True, 0.3, 0.05, 0.2, 6e7, 200.0, 250.0, True, (5000, 12, 5e5))
    assert table.bare_line(bare).value == "120.0×" and table.bare_line(bare).met is True
    s = SweepTiming(table.FULL_SWEEP, total=7193, evaluations=42, workers=2, fixed_seconds=4.0, seconds=24.0,
                    cpu_seconds=42.0)
    assert s.per_evaluation == pytest.approx(0.5) and s.extrapolated_seconds == pytest.approx(4 + 7191 * 0.5)
    assert table.sweep_standin_line(s).met is False and table.sweep_standin_line(s).value == "1 h 00 min"
    noisy = SweepTiming(table.FULL_SWEEP, 7193, 42, 2, fixed_seconds=30.0, seconds=21.0, cpu_seconds=42.0, note="x")
    assert noisy.per_evaluation == pytest.approx(0.5)  # no marginal cost visible: wall / K, an upper bound
    full = {"date": "2026-12-02", "config": table.FULL_SWEEP, "evaluations": 7193, "workers": 2, "seconds": 840.0}
    assert table.sweep_record_line(full).met is True and table.sweep_record_line(full).date == "2026-12-02"
    assert table.sweep_record_line({**full, "workers": 4}).met is None  # not on the target's 2 cores


def test_rendered_table_numbers_its_notes():
    lines = [table.Line("a", "< 1 s", "2 s", False, TODAY, "measured", "the details"),
             table.Line("b", "< 1 s", "–", None, "–", "not recorded")]
    text = table.render(lines, "footer").splitlines()
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in text[2:4]]
    assert cells == [["a", "< 1 s", "2 s", "no", TODAY, "measured [1]"], ["b", "< 1 s", "–", "–", "–", "not recorded"]]
    assert text[-2:] == ["[1] the details", "footer"]


# ------------------------------------------------------------------------------ the record
def test_the_record_keeps_each_entry_and_stamps_the_new_one(tmp_path):
    path = tmp_path / "docs" / "bench-record.json"
    assert rec.read_record(path) == {"format": 1}  # no file yet: nothing recorded
    rec.write_entry(path, "nl", {"households": 8_200_000, "years": 40, "seconds": 500.0, "peak_gib": 2.0})
    rec.write_entry(path, "sweep", {"config": table.FULL_SWEEP, "evaluations": 7193, "workers": 2, "seconds": 900.0})
    rec.write_entry(path, "nl", {"households": 8_200_000, "years": 40, "seconds": 280.0, "peak_gib": 2.5})
    data = rec.read_record(path)
    assert data["nl"]["seconds"] == 280.0 and data["sweep"]["seconds"] == 900.0
    assert data["nl"]["date"] == TODAY and data["nl"]["cores"] >= 1 and "commit" in data["nl"]
    assert json.loads(path.read_text()) == data and not list(path.parent.glob(".*.tmp"))


def test_the_committed_record_reads():
    data = rec.read_record(rec.DEFAULT_PATH)
    assert data["format"] == 1 and data["nl"]["households"] == 8_200_000


@pytest.mark.parametrize("text, culprit", [
    ("{not json", "not JSON"),
    ('["format", 1]', "format"),
    ('{"format": 2}', "format"),
    ('{"format": 1, "nl": 5}', "key 'nl'"),
    ('{"format": 1, "nl": {"date": "yesterday", "households": 1, "years": 1, "seconds": 1, "peak_gib": 1}}',
     "nl.date"),
    ('{"format": 1, "nl": {"date": "2026-12-01", "households": 1, "years": 1, "peak_gib": 1}}', "nl.seconds"),
    ('{"format": 1, "sweep": {"date": "2026-12-01", "evaluations": 1, "workers": 2, "seconds": NaN}}',
     "sweep.seconds"),
    ('{"format": 1, "dask_scaling": {"date": "2026-12-01", "evaluations": 4, "seconds_1": 1, "seconds_2": 1, '
     '"ratio": "fast", "cpu_seconds_per_evaluation": 1}}', "dask_scaling.ratio"),
])
def test_a_damaged_record_is_named_and_never_overwritten(text, culprit, tmp_path):
    path = tmp_path / "bench-record.json"
    path.write_text(text)
    for act in (lambda: rec.read_record(path),
                lambda: rec.write_entry(path, "nl", {"households": 1, "years": 1, "seconds": 1.0, "peak_gib": 1.0})):
        with pytest.raises(ConfigError) as err:
            act()
        assert str(path) in str(err.value) and culprit in str(err.value)
    assert path.read_text() == text


@pytest.mark.parametrize("mode", [["--table"], ["--nl", "--households", "100", "--years", "1"],
                                  ["--sweep", "full"], ["--dask-scaling"]])
def test_a_damaged_record_stops_every_long_measurement_before_it_starts(mode, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a sweep that got through would write results/ here
    path = tmp_path / "bench-record.json"
    path.write_text("{damaged")
    code, out, err = run_cli(["bench", *mode, "--record", str(path)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "damaged bench record" in err
    assert "model:" not in out and not (tmp_path / "results").exists() and path.read_text() == "{damaged"


@pytest.mark.parametrize("mode", [["--nl", "--households", "100", "--years", "1"], ["--sweep", "full"],
                                  ["--dask-scaling"]])
def test_a_record_that_cannot_be_written_stops_a_long_measurement_before_it_starts(mode, tmp_path, capsys,
                                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, out, err = run_cli(["bench", *mode, "--record", str(blocker / "bench-record.json")], capsys)
    assert code == 2 and "--record" in err and "cannot write" in err and "model:" not in out
    assert not (tmp_path / "results").exists()


def test_a_record_that_is_a_folder_is_named(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the bench record"):
        rec.read_record(tmp_path)


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("args, culprit", [
    (["--households", "0"], "--households"),
    (["--years", "nan"], "--years"),
    (["--table", "--years", "nan"], "--years"),
    (["--nl", "--households", "0"], "--households"),
    (["--table", "--nl-households", "0"], "--nl-households"),
    (["--table", "--sweep-evaluations", "3"], "--sweep-evaluations"),
    (["--sweep", "1000000"], "key '--sweep':"),
    (["--sweep", "lots"], "--sweep"),
    (["--table", "--workers", "0"], "--workers"),
    (["--bare", "--table"], "--bare"),
    (["--table", "--sweep-config", "no-such-sweep.toml"], "no-such-sweep.toml"),
])
def test_bad_bench_options_get_one_line_before_any_work(args, culprit, tmp_path, capsys):
    code, out, err = run_cli(["bench", *args, "--record", str(tmp_path / "r.json")], capsys)
    assert code == 2 and culprit in err and len(err.strip().splitlines()) == 1
    assert "model:" not in out and not (tmp_path / "r.json").exists()


# ------------------------------------------------------------------------------ Dask
def test_dask_scaling_refuses_fewer_evaluations_than_two_design_blocks(tmp_path, capsys):
    code, _, err = run_cli(["bench", "--dask-scaling", "--sweep-config", SMALL_SWEEP, "--sweep-evaluations", "6",
                            "--record", str(tmp_path / "r.json")], capsys)
    assert code == 2 and "--sweep-evaluations" in err and "at least 10" in err and "Traceback" not in err


@pytest.mark.slow
def test_dask_scaling_prints_both_times_and_the_ratio_and_records_them(tmp_path, capsys):
    pytest.importorskip("distributed")
    record = tmp_path / "bench-record.json"
    code, out, _ = run_cli(["bench", "--dask-scaling", "--sweep-config", SMALL_SWEEP, "--sweep-evaluations", "10",
                            "--record", str(record)], capsys)
    assert code == 0
    assert "1 worker(s)" in out and "2 worker(s)" in out and "two workers / one worker:" in out
    entry = rec.read_record(record)["dask_scaling"]
    assert entry["evaluations"] == 10 and entry["date"] == TODAY
    assert math.isclose(entry["ratio"], entry["seconds_2"] / entry["seconds_1"], rel_tol=0.01)
    assert entry["cpu_seconds_per_evaluation"] > 0
