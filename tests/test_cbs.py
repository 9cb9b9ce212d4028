"""CBS StatLine -> targets CSV, end to end on recorded (hand-written) cbsodata responses.

No network: the client is injected. The recorded files in tests/data/cbs/ follow the shape
cbsodata returns; their numbers are invented (see each file's _note).
"""
import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from sim.calibrate.cbs import (KWB_TABLES, add_fetch_cbs_arguments, fetch_municipality_targets, normalise_code,
                               run_fetch_cbs)
from sim.calibrate.targets import TARGET_COLUMNS, load_targets

DATA = Path(__file__).parent / "data" / "cbs"


class RecordedClient:
    """Answers get_meta / get_data from the recorded files; records every call."""

    def __init__(self):
        self.calls = []

    def _load(self, name):
        path = DATA / name
        if not path.exists():
            raise AssertionError(f"unexpected request, no recording {name}")
        return json.loads(path.read_text("utf-8"))["response"]

    def get_meta(self, table_id, name):
        self.calls.append(("get_meta", table_id, name))
        return self._load(f"{table_id}_{name}.json")

    def get_data(self, table_id, filters=None, select=None, **kwargs):
        self.calls.append(("get_data", table_id, filters, select))
        region = filters.split("'")[1]
        if table_id == "85099NED":
            return self._load(f"{table_id}_{region}_{filters.split('Perioden eq ')[1][1:5]}.json")
        return self._load(f"{table_id}_{region}.json")


def test_normalise_code():
    assert normalise_code("GM1773") == "GM1773"
    assert normalise_code(" gm1961 ") == "GM1961"
    assert normalise_code("1773") == "GM1773"
    assert normalise_code("Olst-Wijhe") is None


def test_fetch_converts_recorded_response_to_targets(tmp_path):
    client = RecordedClient()
    out = tmp_path / "targets_olst-wijhe.csv"
    res = fetch_municipality_targets("GM1773", year=2024, out_path=out, client=client)

    # the request: stem-resolved columns, padded-key-safe filter
    kind, table, filters, select = client.calls[-1]
    assert (kind, table) == ("get_data", "85984NED")
    assert filters == "substringof('GM1773', WijkenEnBuurten)"
    assert "HuishoudensTotaal_29" in select and "WmoClienten_93" in select
    assert "WmoClientenRelatief_94" not in select  # a relative column must not match the count stem

    t = load_targets(out)  # valid targets file with the standard columns
    assert list(t.columns[: len(TARGET_COLUMNS)]) == list(TARGET_COLUMNS)
    v = dict(zip(t["statistic"], t["value"]))
    assert v["persons"] == 10000 and v["households"] == 4000
    assert v["bijstand_per_1000hh"] == pytest.approx(200 / 4000 * 1000)
    assert v["wmo_maatwerk_per_1000hh"] == pytest.approx(480 / 1.2 / 4000 * 1000, rel=1e-4)
    assert v["jeugdhulp_share_youth"] == pytest.approx(0.095)
    assert all("85984NED" in s and "GM1773" in s for s in t["source"])
    assert (t["year"] == 2024).all() and (t["tolerance"] > 0).all()
    assert res.name == "Olst-Wijhe" and res.notes == []


def test_fetch_by_name_skips_missing_column_and_suppressed_value(tmp_path):
    client = RecordedClient()
    res = fetch_municipality_targets("Vijfheerenlanden", year=2023, out_path=None, client=client)
    stats = set(res.targets["statistic"])
    assert res.code == "GM1961"
    assert {"persons", "households", "bijstand_per_1000hh"} <= stats
    assert "wmo_maatwerk_per_1000hh" not in stats  # value suppressed (None)
    assert "jeugdhulp_share_youth" not in stats  # column absent in this edition
    assert any("WmoClienten_85" in n for n in res.notes)
    assert any("PercentageJongerenMetJeugdzorg_" in n for n in res.notes)
    assert dict(zip(res.targets["statistic"], res.targets["value"]))["bijstand_per_1000hh"] == pytest.approx(50.0)


def test_name_lookup_through_region_metadata():
    client = _ZwolleClient()
    res = fetch_municipality_targets("zwolle", year=2023, client=client)
    assert res.code == "GM0193" and res.name == "Zwolle"
    assert ("get_meta", "85618NED", "WijkenEnBuurten") in client.calls


class _ZwolleClient(RecordedClient):
    def get_data(self, table_id, filters=None, select=None, **kwargs):
        self.calls.append(("get_data", table_id, filters, select))
        assert "GM0193" in filters
        return [{"WijkenEnBuurten": "Zwolle", "Codering_3": "GM0193    ", "AantalInwoners_5": 1000,
                 "HuishoudensTotaal_29": 500}]


def test_optional_jeugdzorg_table():
    res = fetch_municipality_targets("GM1773", year=2024, client=RecordedClient(), with_jeugdzorg=True)
    v = dict(zip(res.targets["statistic"], res.targets["value"]))
    assert v["child_protection_per_1000hh"] == pytest.approx(20 / 4000 * 1000)


def test_unknown_year_and_wrong_unit_fail_loudly():
    with pytest.raises(ValueError, match="known"):
        fetch_municipality_targets("GM1773", year=1990, client=RecordedClient())

    class BadUnit(RecordedClient):
        def get_meta(self, table_id, name):
            rows = super().get_meta(table_id, name)
            return [dict(r, Unit="per 1 000 inwoners") if r.get("Key") == "HuishoudensTotaal_29" else r for r in rows]

    with pytest.raises(ValueError, match="absolute count"):
        fetch_municipality_targets("GM1773", year=2024, client=BadUnit())


def test_cli_function(tmp_path, capsys):
    parser = add_fetch_cbs_arguments(argparse.ArgumentParser())
    out = tmp_path / "t.csv"
    args = parser.parse_args(["--municipality", "GM1773", "--year", "2024", "--out", str(out)])
    assert run_fetch_cbs(args, client=RecordedClient()) == 0
    assert "Olst-Wijhe (GM1773)" in capsys.readouterr().out
    assert len(pd.read_csv(out)) == 5
    assert 2023 in KWB_TABLES and KWB_TABLES[2023] == "85618NED"


def test_shipped_targets_files_are_valid():
    root = Path(__file__).resolve().parents[1] / "calibration"
    nl = load_targets(root / "targets_nl.csv")
    assert len(nl) >= 10 and nl["statistic"].is_unique
    for name in ("targets_olst-wijhe.csv", "targets_vijfheerenlanden.csv"):
        t = load_targets(root / name)
        assert t["source"].str.len().min() > 10


def test_cli_reports_network_failure(tmp_path, capsys):
    class Offline(RecordedClient):
        def get_meta(self, table_id, name):
            raise ConnectionError("no route to host")  # requests' ConnectionError is an OSError too

    parser = add_fetch_cbs_arguments(argparse.ArgumentParser())
    out = tmp_path / "t.csv"
    args = parser.parse_args(["--municipality", "GM1773", "--year", "2024", "--out", str(out)])
    assert run_fetch_cbs(args, client=Offline()) == 1
    assert "could not read CBS StatLine" in capsys.readouterr().err
    assert not out.exists()
