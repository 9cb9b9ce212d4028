"""Charts, translations and the HTML report (including a headless-Chromium render)."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sim.analysis import charts
from sim.analysis.i18n import LANGUAGES, STRINGS, fmt_eur, fmt_number, fmt_pct, label, t
from sim.analysis.report import write_report
from sim.analysis.summary import summarise
from sim.analysis.synthetic import demo_timeseries, make_streams, timeseries_from_yearly

SPEND = {"baseline": 0.0, "invest_50": 50.0, "invest_100": 100.0, "invest_200": 200.0}
ASSUMPTIONS = [
    {"name": "Discontovoet", "value": 0.0225, "unit": "per jaar", "source": "Werkgroep discontovoet (2020)"},
    {"name": "Kosten jeugdhulp per cliënt", "value": 13000, "unit": "€/jaar", "source": "Jeugdautoriteit (afgeleid)"},
    {"name": "Kosten per bereikt huishouden", "value": 450, "unit": "€/jaar", "source": "aanname <breed>"},
]


@pytest.fixture(scope="module")
def demo():
    ts = demo_timeseries(replications=16, years=12, households=2000, seed=7)
    return ts, summarise(ts)


@pytest.fixture(scope="module")
def hand():
    """Hand-checkable case in euros: invest €100k/yr for 5 years, save €60k/yr from year 3 to 12, rate 0."""
    inv = [100_000] * 5 + [0] * 7
    sav = [0, 0] + [60_000] * 10
    ts = timeseries_from_yearly(make_streams(inv, {"cost__wmo__municipality": sav}), replications=3)
    return summarise(ts, discount_rate=0.0)


# ---------------------------------------------------------------- i18n


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_has_both_languages_with_the_same_fields():
    for key, entry in STRINGS.items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)
        assert _fields(entry["nl"]) == _fields(entry["en"]), key


def test_labels_cover_known_lines_payers_levels_domains():
    from sim.analysis.summary import DOMAINS, LEVELS, LINE_ORDER, PAYER_ORDER

    for kind, keys in (("line", LINE_ORDER), ("payer", PAYER_ORDER), ("level", LEVELS), ("domain", DOMAINS)):
        for k in keys:
            assert f"{kind}.{k}" in STRINGS
    assert label("line", "new_budget_line", "nl") == "New budget line"  # unknown keys degrade gracefully
    with pytest.raises(ValueError):
        t("year", "de")


def test_number_formatting():
    assert fmt_eur(100_000, "nl") == "€ 100.000"
    assert fmt_eur(100_000, "en") == "€100,000"
    assert fmt_eur(-2_345_678, "nl") == "\u2212€ 2,35 mln"
    assert fmt_eur(12_345_678, "en") == "€12.3 million"
    assert fmt_eur(939_343, "nl") == "€ 939.000"
    assert fmt_number(1234.5, "nl", 1) == "1.234,5"
    assert fmt_number(-0.2, "en") == "0"
    assert fmt_pct(0.875, "nl") == "88%"
    assert fmt_number(float("nan"), "nl") == "n.v.t."


# ---------------------------------------------------------------- charts


def _check_pair(paths: charts.ChartPaths, *texts: str) -> None:
    assert paths.png.exists() and paths.svg.exists()
    with Image.open(paths.png) as im:
        w, h = im.size
    assert w >= 1800 and h >= 1000  # 150 dpi, slide-sized
    svg = paths.svg.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in texts:
        assert text in svg, text


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_chart_writes_png_and_svg_with_translated_text(demo, tmp_path, language):
    ts, s = demo
    horizon = s.meta["horizon_years"]
    _check_pair(charts.jcurve(s.cumulative, tmp_path, language=language), t("jcurve.title", language))
    _check_pair(
        charts.cost_shifts(s.cumulative, tmp_path, scenario="invest_100", language=language),
        t("shifts.by_line", language),
        t("payer.health_insurer", language),
    )
    _check_pair(
        charts.households_by_level(ts, tmp_path, language=language, scenarios=["baseline", "invest_100"]),
        t("levels.title", language),
        t("level.self_reliant", language),
    )
    _check_pair(
        charts.break_even_distribution(s.replications, tmp_path, horizon_years=horizon, language=language),
        t("hist.title", language),
    )
    _check_pair(charts.intergenerational(s.summary, tmp_path, language=language), t("gen.title", language))
    _check_pair(charts.dose_response(s.summary, SPEND, tmp_path, language=language, horizon_years=horizon),
                t("dose.title", language))
    assert {p.stem for p in tmp_path.glob("*.png")} == {p.stem for p in tmp_path.glob("*.svg")}


def test_households_chart_falls_back_to_sum_over_domains(demo, tmp_path):
    ts, s = demo
    no_highest = ts.drop(columns=[c for c in ts.columns if c.startswith("hh__any__")])
    table, highest = charts.level_table(no_highest)
    assert not highest
    # sum over four domains of a household count: four times the households
    assert table[["self_reliant", "emerging", "light", "maatwerk", "specialist"]].sum(axis=1).iloc[0] == pytest.approx(
        4 * 2000, rel=0.01
    )
    _check_pair(charts.households_by_level(no_highest, tmp_path, language="en"), t("levels.title_sum", "en"))
    # the yearly table works too (end-of-year stocks)
    _check_pair(charts.households_by_level(s.yearly, tmp_path, language="nl", name="levels_yearly"))


def test_cost_shift_bars_add_up_to_the_yearly_net(demo):
    _, s = demo
    by_line = charts.yearly_shifts(s.cumulative, scenario="invest_50", view="line")
    by_payer = charts.yearly_shifts(s.cumulative, scenario="invest_50", view="payer")
    assert by_line.sum(axis=1).to_numpy() == pytest.approx(by_payer.sum(axis=1).to_numpy())
    total = s.cumulative.query("scenario == 'invest_50' and view == 'total' and basis == 'nominal'").sort_values("year")
    assert by_line.sum(axis=1).cumsum().to_numpy() == pytest.approx(total["mean"].to_numpy())


def test_dose_response_needs_a_known_scenario(demo, tmp_path):
    _, s = demo
    with pytest.raises(ValueError):
        charts.dose_response(s.summary, {"nope": 1.0}, tmp_path)


def test_scenario_colours_are_okabe_ito_and_stable():
    c = charts.scenario_colours(["baseline", "a", "b"])
    assert c["baseline"] == charts.GREY
    assert set(c.values()) - {charts.GREY} <= set(charts.OKABE_ITO.values())
    assert c == charts.scenario_colours(["baseline", "a", "b"])


# ---------------------------------------------------------------- the report


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(html_text: str) -> list[tuple[str, dict]]:
    p = _Collector()
    p.feed(html_text)
    return p.tags


@pytest.fixture(scope="module")
def reports(demo, tmp_path_factory):
    ts, s = demo
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for lang in LANGUAGES:
        paths[lang] = write_report(
            s, language=lang, out_path=out / f"report_{lang}.html", assumptions=ASSUMPTIONS, ts=ts,
            spend_per_household=SPEND, charts_dir=out / f"charts_{lang}",
        )
    return paths


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_is_self_contained_and_accessible(reports, language):
    text = reports[language].read_text(encoding="utf-8")
    tags = _parse(text)
    html_tag = next(a for tag, a in tags if tag == "html")
    assert html_tag["lang"] == language
    imgs = [a for tag, a in tags if tag == "img"]
    assert len(imgs) == 6
    for a in imgs:
        assert a["src"].startswith("data:image/png;base64,")
        assert a.get("alt", "").strip()
    assert not any(tag in ("script", "link", "iframe") for tag, _ in tags)
    for _, a in tags:  # nothing that would load from outside
        for attr in ("src", "href"):
            assert not str(a.get(attr, "")).startswith(("http:", "https:", "//")), a
    assert "@import" not in text and "url(" not in text
    # tables have captions and header cells
    assert text.count("<table>") == text.count("<caption>") >= 6
    assert '<th scope="col"' in text and '<th scope="row"' in text
    # the question, the caveats, the assumptions (escaped)
    assert t("report.question_h", language) in text
    assert "AEF" in text
    assert "aanname &lt;breed&gt;" in text
    assert "Werkgroep discontovoet (2020)" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_shows_key_figures(demo, reports, language):
    _, s = demo
    text = reports[language].read_text(encoding="utf-8")
    for scen in ("invest_50", "invest_100", "invest_200"):
        npv = s.metric(scen, "npv")
        for v in npv:
            assert fmt_eur(v, language) in text, (scen, v)
        assert fmt_number(s.metric(scen, "benefit_cost_ratio")[0], language, 2) in text
        assert fmt_pct(s.metric(scen, "p_break_even_horizon")[0], language) in text
        be = s.metric(scen, "break_even_year")[0]
        if np.isfinite(be):
            assert fmt_number(be, language, 1) in text
    assert t("report.wrong_pocket_h", language) in text
    for payer in ("municipality", "health_insurer"):
        assert label("payer", payer, language) in text


def test_report_hand_case_numbers_in_both_languages(hand, tmp_path):
    nl = write_report(hand, language="nl", out_path=tmp_path / "nl.html").read_text(encoding="utf-8")
    en = write_report(hand, language="en", out_path=tmp_path / "en.html").read_text(encoding="utf-8")
    # NPV €100,000; BCR 1.2; break-even in year 11 = 2035; investment €500,000; savings €600,000
    assert "€ 100.000" in nl and "€100,000" in en
    assert "1,20" in nl and "1.20" in en
    assert "jaar 11,0 (2035)" in nl and "year 11.0 (2035)" in en
    assert "€ 500.000" in nl and "€600,000" in en
    assert "Gemeente bespaart per saldo € 100.000" in nl
    assert "Municipality saves €100,000 on balance" in en
    assert "Loont investeren" in nl and "Does investing" in en
    assert "Kanttekeningen" in nl and "Caveats" in en
    # what the report counts, and that the lever's effects are assumptions, said in both languages
    assert "alleen publieke budgetten" in nl and "public budgets only" in en
    assert "algemene aannames" in nl and "generic assumptions" in en


def test_report_from_results_directory(demo, tmp_path):
    _, s = demo
    s.to_dir(tmp_path)
    pd.DataFrame(ASSUMPTIONS).to_csv(tmp_path / "assumptions.csv", index=False)
    out = write_report(tmp_path, language="en", out_path=tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    assert "Kosten jeugdhulp per cliënt" in text  # assumptions picked up from the directory
    assert len([1 for tag, _ in _parse(text) if tag == "img"]) == 5  # no spend mapping: no dose-response


def test_report_from_time_series_frame(tmp_path):
    ts = demo_timeseries(replications=3, years=5, households=300)
    out = write_report(ts, language="nl", out_path=tmp_path / "r.html")
    assert "Kerncijfers" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- headless browser

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]
PROBE = """
<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-images-total', String(imgs.length));
  document.body.setAttribute('data-images-loaded', String(ok.length));
  document.body.setAttribute('data-min-width', String(Math.min.apply(null, ok.map(function (i) { return i.naturalWidth; }))));
});
</script>
"""


def _chromium() -> str | None:
    for c in CHROMIUM_CANDIDATES:
        found = shutil.which(c)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium():
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (apt-get install -y chromium); headless render test skipped")
    return exe


def _run(exe: str, args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_renders_in_headless_chromium(chromium, demo, reports, tmp_path, language):
    _, s = demo
    probe = tmp_path / "probe.html"
    probe.write_text(reports[language].read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    res = _run(chromium, ["--virtual-time-budget=15000", "--dump-dom", probe.as_uri()], tmp_path)
    dom = res.stdout
    assert res.returncode == 0, res.stderr[-2000:]
    m = re.search(r'data-images-total="(\d+)" data-images-loaded="(\d+)" data-min-width="(\d+)"', dom)
    assert m, dom[:500]
    total, loaded, min_width = map(int, m.groups())
    assert total == loaded == 6
    assert min_width >= 1800
    npv = fmt_eur(s.metric("invest_50", "npv")[0], language)
    assert npv in dom
    assert t("report.title", language) in dom

    shot = tmp_path / "shot.png"
    res = _run(chromium, ["--window-size=1280,2400", f"--screenshot={shot}", reports[language].as_uri()], tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1280, 2400)
        # not a blank page: plenty of distinct colours (text and charts)
        colours = im.convert("RGB").resize((320, 600)).getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50
