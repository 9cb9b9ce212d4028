"""Look inside: the model stepping month by month, its households moving between levels.

A Mesa-style live page (step, play, reset, a parameter or two) in plain Solara and matplotlib:
Mesa's SolaraViz draws agents on a grid or network space, which these households do not have.
Each month the page asks the model for its household agents (`model.household_agents()`, Mesa
agents built from the model's columns) and draws them, one dot per household per domain, in the
column of its level; the dots that changed level this month are ringed. Under it, the households
by their highest level, month by month. A small population (a few hundred households) keeps the
dots readable; the model and its rules are the full ones.
"""
from __future__ import annotations

import zlib

import numpy as np
import solara
from matplotlib.figure import Figure

from ..analysis.charts.style import LEVEL_COLOURS
from ..analysis.report_sections import html_text
from ..analysis.i18n import label, t
from ..levels import DOMAINS, LEVELS
from .navigation import Navigation

language = solara.reactive("nl")
households = solara.reactive(300)
lever = solara.reactive(0.0)


def _position(household_id: int, domain: int) -> tuple[float, float]:
    """A fixed place inside its level's column for each household (the same every month)."""
    h = zlib.crc32(f"{household_id}:{domain}".encode())
    return ((h & 0xFFFF) / 0xFFFF - 0.5) * 0.8, ((h >> 16) & 0xFFFF) / 0xFFFF


def snapshot(model) -> dict[int, tuple]:
    """household id -> its level in each domain, from the model's Mesa agents."""
    return {a.household_id: tuple(int(a.levels[d]) for d in DOMAINS) for a in model.household_agents()}


def draw_households(now: dict, before: dict, lang: str) -> Figure:
    fig = Figure(figsize=(11, 3.6), dpi=90, layout="constrained")
    axes = fig.subplots(1, len(DOMAINS), sharey=True)
    colours = [LEVEL_COLOURS[lv.key] for lv in LEVELS]
    for d, ax in zip(DOMAINS, axes):
        xs, ys, cs, moved = [], [], [], []
        for hid, levels in now.items():
            dx, y = _position(hid, int(d))
            xs.append(levels[d] + dx)
            ys.append(y)
            cs.append(colours[levels[d]])
            moved.append(hid in before and before[hid][d] != levels[d])
        xs, ys, moved = np.array(xs), np.array(ys), np.array(moved, bool)
        ax.scatter(xs, ys, c=cs, s=14, linewidths=0)
        if moved.any():
            ax.scatter(xs[moved], ys[moved], s=60, facecolors="none", edgecolors="black", linewidths=1.2)
        ax.set_title(label("domain", d.key, lang))
        ax.set_xticks(range(len(LEVELS)), [label("level", lv.key, lang) for lv in LEVELS], rotation=35,
                      ha="right", fontsize=8)
        ax.set_yticks([])
        ax.set_xlim(-0.6, len(LEVELS) - 0.4)
    return fig


def draw_history(history: list, start_year: int, lang: str) -> Figure:
    fig = Figure(figsize=(11, 2.6), dpi=90, layout="constrained")
    ax = fig.subplots()
    counts = np.array(history) if history else np.zeros((0, len(LEVELS)))
    months = np.arange(len(counts))
    bottom = np.zeros(len(counts))
    for i, lv in enumerate(LEVELS):
        ax.fill_between(months, bottom, bottom + counts[:, i], color=LEVEL_COLOURS[lv.key], step="post",
                        label=label("level", lv.key, lang))
        bottom = bottom + counts[:, i]
    ax.set_xlim(0, max(12, len(counts) - 1))
    ax.set_title(t("app.live_levels", lang))
    ax.set_xlabel(f"{'maand sinds' if lang == 'nl' else 'month since'} {start_year}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


def _highest(now: dict) -> list[int]:
    counts = [0] * len(LEVELS)
    for levels in now.values():
        counts[max(levels)] += 1
    return counts


@solara.component
def LivePage():
    from ..model import PreventionModel

    lang = language.value
    generation, set_generation = solara.use_state(0)  # a new model on Reset
    model = solara.use_memo(lambda: PreventionModel({"levers.prevention.per_household": max(0.0, float(lever.value or 0.0))},
                                                    households=int(households.value), start_year=2026, seed=1),
                            [generation, households.value, lever.value])
    state = solara.use_ref(None)
    if state.current is None or state.current["model"] is not model:
        now = snapshot(model)
        state.current = {"model": model, "now": now, "before": {}, "history": [_highest(now)]}
    tick, set_tick = solara.use_state(0)
    playing, set_playing = solara.use_state(False)

    def step(n: int = 1):
        st = state.current
        for _ in range(n):
            st["model"].step()
            st["before"], st["now"] = st["now"], snapshot(st["model"])
            st["history"].append(_highest(st["now"]))
        set_tick(lambda x: x + n)

    def play(cancel):
        while playing and not cancel.is_set():
            step()
            cancel.wait(0.3)

    solara.use_thread(play, dependencies=[playing, generation, model], intrusive_cancel=False)
    st = state.current
    moved = sum(1 for hid, lv in st["now"].items() if hid in st["before"] and st["before"][hid] != lv)
    Navigation(lang)
    with solara.Column():
        with solara.Row():
            solara.ToggleButtonsSingle(value=lang, values=["nl", "en"], on_value=language.set)
        solara.HTML(tag="h2", unsafe_innerHTML=str(html_text(t('app.live_h', lang))))
        solara.Text(t("app.live_intro", lang))
        with solara.Row():
            solara.Button(t("app.live_step", lang), on_click=lambda: step(1), disabled=playing)
            solara.Button(t("app.live_year", lang), on_click=lambda: step(12), disabled=playing)
            solara.Button(t("app.live_pause", lang) if playing else t("app.live_play", lang),
                          on_click=lambda: set_playing(not playing))
            solara.Button(t("app.live_reset", lang), on_click=lambda: (set_playing(False),
                                                                        set_generation(generation + 1)))
        with solara.Row():
            solara.SliderInt(t("app.households", lang), value=households, min=100, max=1000, step=100)
            solara.InputFloat(t("app.live_with", lang), value=lever)
        month = model.month
        solara.HTML(tag="div", unsafe_innerHTML=t("app.live_month", lang, month=month, year=model.calendar_year,
                                                  moved=moved), attributes={"data-testid": "live-month"})
        solara.FigureMatplotlib(draw_households(st["now"], st["before"], lang), format="png")
        solara.FigureMatplotlib(draw_history(st["history"], model.start_year, lang), format="png")
