"""The tabs between the app's pages, named in the page's language.

Solara's AppLayout names route tabs by their paths ("Home", "live") whatever the routes' labels;
a `solara.lab.Tabs` put in the AppBar replaces its tabs (AppLayout looks for one there).
"""
from __future__ import annotations

import solara

from ..analysis.i18n import t

PAGES = (("/", "app.tab_whatif"), ("/live", "app.tab_live"))


@solara.component
def Navigation(lang: str):
    router = solara.use_router()
    here = "/" + router.path.strip("/")
    current = next((i for i, (path, _) in enumerate(PAGES) if path == here), 0)
    with solara.AppBar():
        with solara.lab.Tabs(value=current, on_value=lambda i: router.push(PAGES[i][0]), align="center"):
            for _, key in PAGES:
                solara.lab.Tab(t(key, lang))
