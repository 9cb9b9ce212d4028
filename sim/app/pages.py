"""The pages of `sim app`: the what-if screen (/) and the live model (/live).

Solara serves this module (SOLARA_APP=sim.app.pages, see sim.app.server). The what-if screen
holds the adviser's Settings; whenever they are valid the runner (sim.app.runner) is asked for
them, and a thread follows it: the preliminary answer (J-curve first, then every chart), then
the full one, each shown as soon as it is there, with the full run's progress in between.
"""
from __future__ import annotations

import solara

from ..analysis.report_sections import html_text
from ..analysis.i18n import t
from .form import Form
from .live import LivePage
from .navigation import Navigation
from .runner import runner
from .screen import QUICK_CHARTS, SHOWN_CHARTS
from .settings import Settings, check
from .views import CSS, Results, Status

settings = solara.reactive(Settings())  # per browser session (Solara scopes reactive variables so)


def follow(s: Settings, cancel, show, set_progress, set_failure) -> None:
    """Show the best answer to `s` as it improves, until the full answer is on the screen or the
    question changes (`cancel`). Cancelling is checked between steps, never inside one: a thread
    interrupted while it re-renders the page would leave the page half-updated."""
    r = runner()
    r.want(s)
    shown = None
    while not cancel.is_set():
        run = r.run_of(s)
        set_progress((run.progress(), run.total) if run is not None and run.state == "running" else None)
        failure = r.failure(s)
        set_failure(failure)
        found = r.best(s)
        if found is not None:
            best = found[1]
            quick_first = best.stage == "preliminary" and not r.has_screen(s, charts=SHOWN_CHARTS)
            for charts in ((QUICK_CHARTS, SHOWN_CHARTS) if quick_first else (SHOWN_CHARTS,)):
                if shown in ((best.key, SHOWN_CHARTS), (best.key, charts)):
                    continue
                if cancel.is_set():  # an old question: draw nothing more for it
                    return
                screen = r.screen(s, charts=charts)
                if cancel.is_set():
                    return
                show((s, screen))
                shown = (best.key, charts)
            if best.stage == "final" and shown == (best.key, SHOWN_CHARTS):
                set_progress(None)
                return
        if failure and (found is None or shown == (found[1].key, SHOWN_CHARTS)):
            return
        cancel.wait(0.4)


@solara.component
def Downloads(s: Settings, stage: str):
    r = runner()
    lang = s.language
    suffix = "" if stage == "final" else f" ({t('app.preliminary_short', lang)})"
    with solara.Row():
        with solara.FileDownload(lambda: r.toml(s).encode("utf-8"), filename="whatif.toml", mime_type="application/toml"):
            solara.Button(t("app.download_toml", lang) + suffix, icon_name="mdi-download", outlined=True)
        with solara.FileDownload(lambda: r.report(s), filename="report.html", mime_type="text/html"):
            solara.Button(t("app.download_report", lang) + suffix, icon_name="mdi-download", outlined=True)
    solara.Text(t("app.download_note", lang), style={"font-size": "0.85rem", "color": "#555"})


@solara.component
def WhatIf():
    s = settings.value
    lang = s.language
    errors = solara.use_memo(lambda: check(s), [s])
    shown, show = solara.use_state(None)
    progress, set_progress = solara.use_state(None)
    failure, set_failure = solara.use_state("")

    def start(cancel):
        if not errors:
            follow(s, cancel, show, set_progress, set_failure)

    solara.use_thread(start, dependencies=[s, bool(errors)], intrusive_cancel=False)
    screen = shown[1] if shown is not None and shown[0] == s else None
    solara.Style(CSS)
    solara.Title(t("app.title", lang))
    Navigation(lang)
    with solara.Columns([1, 2]):
        with solara.Column():
            Form(settings, errors)
        with solara.Column():
            solara.HTML(tag="h2", unsafe_innerHTML=str(html_text(t('app.title', lang))))
            if errors:
                solara.Warning(t("app.fix_form", lang))
                return
            if failure:
                solara.Error(t("app.failed", lang, error=failure))
                if screen is None:
                    return
            Status(screen, progress, lang)
            if screen is not None:
                Downloads(s, screen.stage)
                Results(screen, lang, s.perspective)


routes = [
    solara.Route(path="/", component=WhatIf),  # tabs: navigation.py, in the page's language
    solara.Route(path="live", component=LivePage),
]
