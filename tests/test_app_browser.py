"""`sim app` in a real browser: Debian's chromium driven by Playwright (no browser download).

The app runs as a subprocess on a free port, in a process group of its own that is always killed
at the end, failure or not. One walk through the screen, on a small town to keep it quick: the
page loads without asking any host but this one, a budget changes and so do the J-curve and the
key figures, a bad budget gets a message next to its field, the experiment TOML and the council
report download, and `sim run` of the downloaded TOML gives the figures the screen showed.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.analysis import report_sections as sections
from sim.analysis.summary import Summary

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 150_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app's URL; the server and everything it started are killed afterwards."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("chromium not installed (make browser); the app's browser test is skipped")
    pytest.importorskip("playwright.sync_api")
    port = _free_port()
    cache = tmp_path_factory.mktemp("app-cache")
    log = open(cache / "app.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "sim", "app", "--no-browser", "--port", str(port),
                             "--cache", str(cache / "runs")], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("sim app did not start:\n" + (cache / "app.log").read_text("utf-8", "replace"))
                time.sleep(0.3)
        yield url
    finally:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)  # the server, its worker, a `sim run` child and its workers
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        log.close()
        try:  # nothing of the group may outlive the test
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def page(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1000})
            pg.requested = []
            pg.on("request", lambda r: pg.requested.append(r.url))
            pg.set_default_timeout(WAIT_MS)
            pg.goto(app)
            yield pg
        finally:
            browser.close()


def _enter(page, locator, value: str) -> None:
    field = page.locator(locator) if locator.startswith(".") else page.get_by_label(locator, exact=True)
    field.fill(value)
    field.press("Enter")


def _text(page, test_id: str) -> str:
    return page.get_by_test_id(test_id).inner_text()


def _wait_changed(page, test_id: str, old: str) -> str:
    deadline = time.time() + WAIT_MS / 1000
    while time.time() < deadline:
        loc = page.get_by_test_id(test_id)
        if loc.count() and (new := loc.inner_text()) != old:
            return new
        time.sleep(0.2)
    raise AssertionError(f"{test_id} did not change from {old!r}")


def _jcurve_src(page) -> str:
    return page.locator(".figure-jcurve img").first.get_attribute("src") or ""


def test_the_what_if_screen_end_to_end(page, tmp_path):
    page.get_by_test_id("status").wait_for()  # the default question's first answer
    tabs = page.get_by_role("tab")
    # in the screen's language (Vuetify writes tab names in capitals: compare without case)
    assert [tabs.nth(i).inner_text().strip().lower() for i in range(tabs.count())] == ["wat als?", "kijk erin"]
    # a small town, ten years: quick enough for a test
    _enter(page, "Aantal huishoudens", "600")
    _enter(page, "Horizon (jaren)", "10")
    page.locator("[data-stage]").first.wait_for()
    before_figures = _wait_changed(page, "key-figures", "")
    before_curve = _jcurve_src(page)
    assert "Voorlopig" in _text(page, "status") or "Antwoord" in _text(page, "status")

    # the adviser doubles the early-warning budget: the J-curve and the key figures change
    _enter(page, ".buy-vroegsignalering_schulden input", "400000")
    after_figures = _wait_changed(page, "key-figures", before_figures)
    page.wait_for_function("old => { const i = document.querySelector('.figure-jcurve img'); "
                           "return i && i.src !== old; }", arg=before_curve)
    assert after_figures != before_figures

    # a negative budget: a message next to the field, no stack trace, no run
    _enter(page, ".buy-voorzorg input", "-5")
    error = page.get_by_test_id("error-buy:voorzorg")
    error.wait_for()
    assert "Moet 0 of meer zijn" in error.inner_text()
    assert "Traceback" not in page.inner_text("body")
    _enter(page, ".buy-voorzorg input", "")
    error.wait_for(state="detached")

    # the full answer, then take it home
    page.locator("[data-stage='final']").wait_for()
    shown = _text(page, "key-figures")
    with page.expect_download() as toml_download:
        page.get_by_role("button", name="Experiment (TOML)").click()
    toml = tmp_path / "whatif.toml"
    toml_download.value.save_as(toml)
    with page.expect_download() as report_download:
        page.get_by_role("button", name="Raadsrapport (HTML)").click()
    report = tmp_path / "report.html"
    report_download.value.save_as(report)
    assert report.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    assert "400000" in toml.read_text("utf-8") and "households = 600" in toml.read_text("utf-8")

    # the page asked nobody but this server (no CDN, no telemetry)
    hosts = {u.split("/")[2] for u in page.requested if u.startswith("http")}
    assert hosts == {page.url.split("/")[2]}, hosts

    # `sim run` of the downloaded file gives the figures the screen showed
    out = tmp_path / "results"
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(toml), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    s = Summary.from_dir(folder)
    config = json.loads((folder / "manifest.json").read_text("utf-8"))["config"]
    labels = {name: body["label"] for name, body in config["scenarios"].items()}
    table = sections.key_table(s, ["choice"], "nl", labels)
    for c in table.rows[0][1]:
        assert c.text in shown, (c.text, shown)
        if c.interval:
            assert c.interval[0] in shown and c.interval[1] in shown


def test_the_live_page_steps_the_model(page, app):
    page.goto(app)
    page.get_by_role("tab", name="Kijk erin").click()  # the tab, in the page's language, leads there
    month = page.get_by_test_id("live-month")
    month.wait_for()
    assert page.url.rstrip("/").endswith("/live")
    assert month.inner_text().startswith("Maand 0")
    page.get_by_role("button", name="12 stappen (1 jaar)").click()
    page.wait_for_function("() => document.querySelector('[data-testid=live-month]').innerText.startsWith('Maand 12')")
    assert "Traceback" not in page.inner_text("body")
