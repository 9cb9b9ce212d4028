"""Time `sim app`'s answers in a real browser and take the README's screenshot.

    .venv/bin/python docs/measure_app.py [--out docs/img/app.png]

Starts `sim app` on a free port (its own process group, killed at the end), opens the page in
Debian's chromium (Playwright) and times, from the page request, the first (preliminary) answer
to the default question — Vijfheerenlanden, 24,000 households, debt help — and the full one.
Prints both with the machine's load average; the screenshot is of the full answer.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/img/app.png")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "sim", "app", "--no-browser", "--port", str(port)],
                            start_new_session=True, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        time.sleep(8)  # let the app's worker warm up, as it has before anyone asks in the room
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1150})
            page.set_default_timeout(600_000)
            t0 = time.perf_counter()
            page.goto(url)
            page.locator("[data-stage='preliminary'], [data-stage='final']").first.wait_for()
            first = time.perf_counter() - t0
            page.locator(".figure-jcurve img").wait_for()
            curve = time.perf_counter() - t0
            page.locator("[data-stage='final']").wait_for()
            page.locator(".figure-break_even_distribution img").wait_for()
            final = time.perf_counter() - t0
            page.screenshot(path=args.out)
            browser.close()
        load = os.getloadavg()
        print(f"first answer {first:.1f} s (J-curve {curve:.1f} s), full answer {final:.1f} s; "
              f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; screenshot {args.out}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
