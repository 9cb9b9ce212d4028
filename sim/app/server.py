"""`sim app`: serve the what-if screen on this machine, without internet.

Solara's front end (Vue, Vuetify, fonts) comes from the `solara-assets` package, served by this
server itself: `SOLARA_ASSETS_PROXY` keeps asset URLs on localhost and the package's copy
answers them, so the page loads without reaching a CDN. Solara's start-up telemetry is switched
off. The server is uvicorn running Solara's Starlette app, as `solara run` does, without its
version check (a network call).
"""
from __future__ import annotations

import os
import sys
import threading
import time
import webbrowser

OFFLINE_ENV = {
    "SOLARA_APP": "sim.app.pages",
    "SOLARA_ASSETS_PROXY": "True",  # asset URLs on this server, answered from solara-assets
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_MODE": "production",
    "SOLARA_THEME_SHOW_BANNER": "False",
}


def serve(host: str = "127.0.0.1", port: int = 8765, *, open_browser: bool = True, cache=None) -> int:
    """Run the app until Ctrl-C or SIGTERM; stop every process it started on the way out."""
    for key, value in OFFLINE_ENV.items():  # before Solara reads its settings on import
        os.environ.setdefault(key, value)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    if cache is not None:
        os.environ["SIM_APP_CACHE"] = str(cache)
    import warnings

    import uvicorn

    # plain http on localhost: Solara falls back to samesite=lax cookies, as it should, and says so each page
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    from . import runner as runner_module

    r = runner_module.runner()  # start the warm worker now, before the first question
    url = f"http://{host}:{port}/"
    print(f"sim app: {url} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    config = uvicorn.Config("solara.server.starlette:app", host=host, port=port, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    if open_browser:
        def when_ready():
            while not server.started and not server.should_exit:
                time.sleep(0.1)
            if server.started:
                webbrowser.open(url)
        threading.Thread(target=when_ready, daemon=True).start()
    try:
        server.run()
    finally:
        r.close()
    return 0
