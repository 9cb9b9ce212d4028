"""Municipal calibration targets from CBS StatLine (open data), through the ``cbsodata`` package.

One call, :func:`fetch_municipality_targets`, pulls a municipality's figures and writes them as
a targets CSV with the same columns as ``calibration/targets_nl.csv``; the rows report the
same statistics as the national targets, so :func:`sim.calibrate.targets.merge_targets` can lay
them over the national ones.

Tables and columns, and how sure we are of them (checked 2026-11 against third-party code and
CBS table pages in the search corpora; nothing here was checked against the live CBS API,
which this workplace cannot reach):

* **Kerncijfers wijken en buurten (KWB)**, one table per year: 2019 84583NED, 2020 84799NED,
  2021 85039NED, 2022 85318NED, 2023 85618NED, 2024 85984NED, 2025 86165NED. The 2023 and 2024
  ids are used the same way by several independent projects; 2019-2022 and 2025 by one or two.
  The region dimension is ``WijkenEnBuurten`` with keys ``GM1773    `` (padded to 10
  characters; hence the ``substringof`` filter) and the municipality row also carries
  ``Codering_3``. Column names end in a position number that changes between years
  (``HuishoudensTotaal_28`` in older editions, ``_29`` in 2023-2025), so columns are found by
  their stem in the table's ``DataProperties`` at run time, never hard-coded. Stems used
(required: the first two; the others are skipped with a note when an edition lacks them):
  ``AantalInwoners_``, ``HuishoudensTotaal_``, ``PersonenPerSoortUitkeringBijstand_``,
  ``WmoClienten_``, ``PercentageJongerenMetJeugdzorg_``. The reference period of the
  social-security and care columns can lag the table year; check the table's notes.
* **Jeugdzorg; gebruik, vorm, regio (85099NED)**, optional: measure ``JongerenMetJeugdzorg_1``,
  dimensions ``RegioS``, ``VormenVanJeugdzorg``, ``Perioden`` (as used by one third-party
  project; the care-form titles "JH 1 Totaal jeugdhulp" and "JB 1 Totaal jeugdbescherming"
  come from the same source). Unverified beyond that: off by default.
* **Not used**: 37789ksz is *Sociale zekerheid; kerncijfers, uitkeringen naar uitkeringssoort*,
  a national monthly series, not per municipality. The Wmo tables *Wmo-cliënten; type
  maatwerkvoorziening, wijken* (84753NED for 2019, 86189NED for 2022) and *financieringsvorm*
  (84664NED 2019, 85995NED 2024) have ``WmoClienten_5`` and ``WmoClientenPer1000Inwoners_6``
  per municipality and district; the KWB column covers the same count, so one table suffices.
  Region codes: GM1773 = Olst-Wijhe, GM1961 = Vijfheerenlanden (CBS municipality codes 1773 and
  1961).

Every check that can fail at CBS's side fails loudly: an unknown year, a column stem with no
match, a count column whose unit is relative ("per 1 000 …"), or a municipality with no row.
A suppressed or missing value skips that target and says so in the returned notes.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..files import path_argument
from .targets import TARGET_COLUMNS, validate_targets, write_targets

__all__ = [
    "KWB_TABLES", "JEUGDZORG_TABLE", "KNOWN_MUNICIPALITIES", "CBSFetch",
    "fetch_municipality_targets", "normalise_code", "add_fetch_cbs_arguments", "run_fetch_cbs",
]

#: Kerncijfers wijken en buurten, one table per year (see the module notes for how sure we are).
KWB_TABLES: dict[int, str] = {
    2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED",
    2023: "85618NED", 2024: "85984NED", 2025: "86165NED",
}
JEUGDZORG_TABLE = "85099NED"
KNOWN_MUNICIPALITIES = {"GM1773": "Olst-Wijhe", "GM1961": "Vijfheerenlanden"}

#: Assumption shared with the national Wmo target: clients per client household.
WMO_PERSONS_PER_HOUSEHOLD = 1.2

# measure -> (column stem, kind); kind "count" refuses relative units, "percent" wants a %.
_KWB_REQUIRED = ("code", "persons", "households")
_KWB_MEASURES = {
    "code": ("Codering_", "text"),
    "persons": ("AantalInwoners_", "count"),
    "households": ("HuishoudensTotaal_", "count"),
    "bijstand": ("PersonenPerSoortUitkeringBijstand_", "count"),
    "wmo_clients": ("WmoClienten_", "count"),
    "jeugdzorg_pct": ("PercentageJongerenMetJeugdzorg_", "percent"),
}


@dataclass
class CBSFetch:
    """What a fetch produced: the targets table and notes on anything skipped."""

    code: str
    name: str
    year: int
    targets: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def normalise_code(value: str) -> str | None:
    """``"GM1773"``, ``"gm1773"``, ``"1773"`` -> ``"GM1773"``; anything else -> None (a name)."""
    s = str(value).strip().upper()
    if re.fullmatch(r"GM\d{4}", s):
        return s
    if re.fullmatch(r"\d{1,4}", s):
        return f"GM{int(s):04d}"
    return None


def _client(client):
    if client is not None:
        return client
    import cbsodata  # only when really fetching
    return cbsodata


def _resolve_municipality(value: str, table: str, client) -> tuple[str, str]:
    code = normalise_code(value)
    if code is not None:
        return code, KNOWN_MUNICIPALITIES.get(code, code)
    wanted = str(value).strip().lower()
    for c, n in KNOWN_MUNICIPALITIES.items():
        if n.lower() == wanted:
            return c, n
    regions = client.get_meta(table, "WijkenEnBuurten")
    hits = [(str(r.get("Key", "")).strip(), str(r.get("Title", "")).strip()) for r in regions
            if str(r.get("Key", "")).strip().startswith("GM") and str(r.get("Title", "")).strip().lower() == wanted]
    if len(hits) != 1:
        raise ValueError(f"municipality {value!r}: {len(hits)} matches in {table}; give the code (e.g. GM1773)")
    return hits[0]


def _resolve_columns(props: Sequence[Mapping], measures: Mapping[str, tuple[str, str]], table: str, *,
                     required: Sequence[str] = (), notes: list[str] | None = None) -> dict[str, dict]:
    """Find each measure's column by stem + position number; check its unit.

    A required measure without exactly one match raises; an optional one is left out with a note.
    """
    out: dict[str, dict] = {}
    for measure, (stem, kind) in measures.items():
        hits = [p for p in props if re.fullmatch(re.escape(stem) + r"\d+", str(p.get("Key", "")))]
        if len(hits) != 1:
            msg = f"{table}: expected one column named {stem}<n>, found {[h.get('Key') for h in hits]}"
            if measure in required or notes is None:
                raise KeyError(msg)
            notes.append(msg + "; its targets are skipped")
            continue
        unit = str(hits[0].get("Unit") or "").strip().lower()
        if kind == "count" and ("per " in unit or "%" in unit):
            raise ValueError(f"{table}: column {hits[0]['Key']} has unit {unit!r}, expected an absolute count")
        if kind == "percent" and "%" not in unit:
            raise ValueError(f"{table}: column {hits[0]['Key']} has unit {unit!r}, expected a percentage")
        out[measure] = {"key": hits[0]["Key"], "unit": unit, "title": hits[0].get("Title", "")}
    return out


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        x = float(str(v).strip()) if isinstance(v, str) else float(v)
    except ValueError:
        return None  # '.', 'x' and similar CBS markers for missing or suppressed values
    return x if x == x else None


def _row(name, value, unit, year, definition, source, tolerance, derivation, statistic) -> dict:
    return dict(zip(TARGET_COLUMNS, (name, value, unit, year, definition, source, tolerance, derivation, statistic)))


# (long: the StatLine tables one after another, each with its own source note, as the targets file lists them)
def fetch_municipality_targets(municipality: str, *, year: int, out_path: str | Path | None = None,
                               client=None, with_jeugdzorg: bool = False) -> CBSFetch:
    """Fetch a municipality's figures from CBS StatLine and turn them into calibration targets.

    Parameters
    ----------
    municipality:
        CBS code (``GM1773``, ``1773``) or exact name (``Olst-Wijhe``).
    year:
        Kerncijfers wijken en buurten edition (see :data:`KWB_TABLES`).
    out_path:
        Where to write the targets CSV (optional).
    client:
        Object with ``get_data(table_id, filters=..., select=...)`` and ``get_meta(table_id,
        name)`` like the ``cbsodata`` module (the default); tests pass recorded responses.
    with_jeugdzorg:
        Also read child-protection counts from 85099NED (unverified table; see module notes).
    """
    year = int(year)
    if year not in KWB_TABLES:
        raise ValueError(f"no Kerncijfers wijken en buurten table known for {year}; known: {sorted(KWB_TABLES)}")
    table = KWB_TABLES[year]
    cl = _client(client)
    code, name = _resolve_municipality(municipality, table, cl)
    notes: list[str] = []
    cols = _resolve_columns(cl.get_meta(table, "DataProperties"), _KWB_MEASURES, table,
                            required=_KWB_REQUIRED, notes=notes)
    select = ["WijkenEnBuurten"] + [c["key"] for c in cols.values()]
    rows = cl.get_data(table, filters=f"substringof('{code}', WijkenEnBuurten)", select=select)
    code_key = cols["code"]["key"]
    mine = [r for r in rows if str(r.get(code_key, "")).strip() == code]
    if len(mine) != 1:
        raise ValueError(f"{table}: expected one row for {code}, got {len(mine)} (of {len(rows)} returned)")
    row = mine[0]
    if name == code:
        name = str(row.get("WijkenEnBuurten", code)).strip()
    val = {m: _num(row.get(c["key"])) for m, c in cols.items() if m != "code"}
    today = _dt.date.today().isoformat()
    src = lambda m: (f"CBS StatLine {table} (Kerncijfers wijken en buurten {year}), column {cols[m]['key']}, "  # noqa: E731
                     f"region {code} ({name}); fetched {today} with cbsodata")
    out: list[dict] = []
    hh = val["households"]

    def need(*ms) -> bool:
        absent = [m for m in ms if m not in cols]
        if absent:
            return False  # column not in this edition: already noted
        miss = [m for m in ms if val.get(m) is None]
        if miss:
            notes.append(f"skipped a target: no value for {', '.join(cols[m]['key'] for m in miss)} (missing or suppressed)")
        return not miss

    if need("persons"):
        out.append(_row("persons", val["persons"], "persons", year,
                        f"Inhabitants of {name} ({code}); model: mean number of persons", src("persons"),
                        max(1.0, 0.01 * val["persons"]), "", "persons"))
    if need("households"):
        out.append(_row("households", hh, "households", year,
                        f"Private households in {name} ({code}); model: mean number of households",
                        src("households"), max(1.0, 0.01 * hh), "", "households"))
    if need("bijstand", "households") and hh:
        v = val["bijstand"] / hh * 1000
        out.append(_row("bijstand_per_1000hh", round(v, 3), "benefit households per 1000 households", year,
                        "Households receiving bijstand per 1000 households; model: households at work level maatwerk or specialist",
                        src("bijstand") + f"; households {cols['households']['key']}", round(0.15 * v, 3),
                        f"{val['bijstand']:.0f} persons with bijstand ~ benefit units ~ households (as for the national target) "
                        f"/ {hh:.0f} households x 1000", "bijstand_per_1000hh"))
    if need("wmo_clients", "households") and hh:
        v = val["wmo_clients"] / WMO_PERSONS_PER_HOUSEHOLD / hh * 1000
        out.append(_row("wmo_maatwerk_per_1000hh", round(v, 3), "households per 1000 households", year,
                        "Households with a Wmo maatwerkvoorziening per 1000 households; model: households at health level maatwerk or specialist",
                        src("wmo_clients") + f"; households {cols['households']['key']}", round(0.15 * v, 3),
                        f"{val['wmo_clients']:.0f} Wmo clients / {WMO_PERSONS_PER_HOUSEHOLD} clients per client household "
                        f"(assumption, range 1.0-1.4) / {hh:.0f} households x 1000", "wmo_maatwerk_per_1000hh"))
    if need("jeugdzorg_pct"):
        v = val["jeugdzorg_pct"] / 100.0
        out.append(_row("jeugdhulp_share_youth", round(v, 5), "share of youth", year,
                        "Share of young people with jeugdzorg in natura (CBS KWB definition; includes child protection, "
                        "age band as defined by CBS, not the national target's under-23); model: share of children whose household "
                        "is at youth level maatwerk or specialist",
                        src("jeugdzorg_pct"), 0.015, f"{val['jeugdzorg_pct']}% / 100", "jeugdhulp_share_youth"))
    raw = {"kwb_row": row, "kwb_columns": cols}

    if with_jeugdzorg:
        jz = cl.get_data(JEUGDZORG_TABLE, filters=f"substringof('{code}', RegioS) and Perioden eq '{year}JJ00'")
        raw["jeugdzorg_rows"] = jz
        jb = [r for r in jz if str(r.get("VormenVanJeugdzorg", "")).strip().lower().startswith("jb 1")]
        n_jb = _num(jb[0].get("JongerenMetJeugdzorg_1")) if len(jb) == 1 else None
        if n_jb is None or not hh:
            notes.append(f"{JEUGDZORG_TABLE}: no child-protection count for {code} in {year} (rows: {len(jz)})")
        else:
            v = n_jb / hh * 1000
            out.append(_row("child_protection_per_1000hh", round(v, 4), "children per 1000 households", year,
                            "Young people with a child-protection measure during the year per 1000 households (the national "
                            "target counts measures on 30 June, so this count runs higher); model: children in youth-specialist "
                            "households per 1000 households",
                            f"CBS StatLine {JEUGDZORG_TABLE}, JongerenMetJeugdzorg_1, care form 'JB 1 Totaal jeugdbescherming', "
                            f"region {code}, {year}; households from {table}; fetched {today} with cbsodata",
                            round(0.3 * v, 4), f"{n_jb:.0f} / {hh:.0f} households x 1000", "child_protection_per_1000hh"))

    if not out:
        raise ValueError(f"no targets could be built for {code} from {table}: {notes}")
    targets = validate_targets(pd.DataFrame(out))
    if out_path is not None:
        write_targets(targets, out_path)
    return CBSFetch(code, name, year, targets, notes, raw)


# ----------------------------------------------------------------------------- CLI
def add_fetch_cbs_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Arguments of ``sim calibrate fetch-cbs`` (for the lead to mount on the ``sim`` command)."""
    parser.add_argument("--municipality", required=True, help="CBS code (GM1773) or exact name (Olst-Wijhe)")
    parser.add_argument("--year", type=int, required=True, help=f"Kerncijfers wijken en buurten edition: {sorted(KWB_TABLES)}")
    parser.add_argument("--out", required=True, type=path_argument, help="targets CSV to write, e.g. calibration/targets_olst-wijhe.csv")
    parser.add_argument("--with-jeugdzorg", action="store_true",
                        help=f"also read child-protection counts from {JEUGDZORG_TABLE} (unverified table)")
    parser.set_defaults(func=run_fetch_cbs)
    return parser


def run_fetch_cbs(args: argparse.Namespace, *, client=None) -> int:
    """Run ``fetch-cbs`` from parsed arguments; prints what was written. Returns an exit code."""
    try:
        res = fetch_municipality_targets(args.municipality, year=args.year, out_path=args.out, client=client,
                                         with_jeugdzorg=getattr(args, "with_jeugdzorg", False))
    except OSError as err:  # requests' errors are OSErrors: no network, DNS, HTTP error status
        print(f"error: could not read CBS StatLine ({err.__class__.__name__}: {err}); nothing written",
              file=sys.stderr)
        return 1
    print(f"{res.name} ({res.code}), {res.year}: wrote {len(res.targets)} targets to {args.out}")
    for _, r in res.targets.iterrows():
        print(f"  {r['name']:<28} {r['value']:>12.4g} {r['unit']}  (tolerance {r['tolerance']:.3g})")
    for n in res.notes:
        print(f"  note: {n}")
    return 0
