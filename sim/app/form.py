"""The adviser's side of the what-if screen: the form, with each message next to its field.

The form edits a `Settings` (sim.app.settings); `check` there decides what is valid, with the
experiment loader's own rules, and this module only places each message under its field.
"""
from __future__ import annotations

import dataclasses

import solara

from ..analysis.i18n import t
from ..analysis.report_sections import html_text
from ..params import presets
from ..params.catalogue import catalogue
from .settings import MODES, PRESETS, Settings


@solara.component
def FieldError(errors: dict, name: str):
    if name in errors:
        solara.HTML(tag="div", unsafe_innerHTML=str(html_text(errors[name])), classes=["field-error"],
                    attributes={"data-testid": f"error-{name}", "role": "alert"})


def _buy(s: Settings, ident: str) -> tuple:
    for i, mode, amount in s.buys:
        if i == ident:
            return mode, amount
    return MODES[0], None


def _with_buy(s: Settings, ident: str, mode=None, amount=...) -> Settings:
    old_mode, old_amount = _buy(s, ident)
    entry = (ident, mode or old_mode, old_amount if amount is ... else amount)
    others = [b for b in s.buys if b[0] != ident]
    keep = entry[2] is not None or entry[1] != MODES[0]
    return dataclasses.replace(s, buys=tuple(sorted(others + ([entry] if keep else []))))


@solara.component
def Form(settings: solara.Reactive, errors: dict):
    s: Settings = settings.value
    lang = s.language

    def update(**changes):
        settings.value = dataclasses.replace(settings.value, **changes)

    with solara.Row():
        solara.ToggleButtonsSingle(value=lang, values=["nl", "en"], on_value=lambda v: update(language=v))
    known = presets()
    solara.Select(t("app.municipality", lang), value=s.preset, values=list(PRESETS),
                  on_value=lambda v: update(preset=v, households=None))
    solara.Text(known[s.preset].get("label", s.preset), style={"font-size": "0.85rem", "color": "#555"})
    solara.InputInt(t("app.households", lang), value=s.n_households, on_value=lambda v: update(households=v))
    FieldError(errors, "households")

    solara.HTML(tag="h4", unsafe_innerHTML=str(html_text(t('app.buy_h', lang))))
    solara.Text(t("app.buy_help", lang), style={"font-size": "0.85rem"})
    FieldError(errors, "buys")
    labels = {m: t(f"app.mode_{m}", lang) for m in MODES}
    for e in catalogue():
        mode, amount = _buy(s, e.id)
        with solara.Column(classes=[f"buy-{e.id}"], gap="0px"):
            solara.Text(e.name[lang], style={"font-size": "0.9rem", "font-weight": "500"})
            with solara.Row(style={"align-items": "center", "flex-wrap": "nowrap"}):
                solara.InputFloat(labels[mode], value=amount, optional=True,
                                  on_value=lambda v, i=e.id: settings.set(_with_buy(settings.value, i, amount=v)))
                solara.ToggleButtonsSingle(value=labels[mode], values=list(labels.values()), dense=True,
                                           on_value=lambda v, i=e.id: settings.set(_with_buy(
                                               settings.value, i, mode=next(m for m, x in labels.items() if x == v))))
            FieldError(errors, f"buy:{e.id}")
    with solara.Column(classes=["generic"]):
        solara.InputFloat(t("app.generic", lang), value=s.generic or None, optional=True,
                          on_value=lambda v: update(generic=v or 0.0))
    FieldError(errors, "generic")

    solara.HTML(tag="h4", unsafe_innerHTML=str(html_text(t('app.time_h', lang))))
    with solara.Row():
        solara.InputInt(t("app.from_year", lang), value=s.from_year, optional=True,
                        on_value=lambda v: update(from_year=v))
        solara.InputInt(t("app.until_year", lang), value=s.until_year, optional=True,
                        on_value=lambda v: update(until_year=v))
    FieldError(errors, "from_year")
    FieldError(errors, "until_year")
    with solara.Row():
        solara.InputInt(t("app.horizon_start", lang), value=s.start_year, on_value=lambda v: update(start_year=v))
        solara.InputInt(t("app.horizon_years", lang), value=s.years, on_value=lambda v: update(years=v))
    FieldError(errors, "start_year")
    FieldError(errors, "years")
    FieldError(errors, "form")

    views = {"all": t("app.perspective_all", lang), "municipality": t("app.perspective_municipality", lang)}
    solara.Text(t("app.perspective", lang))
    solara.ToggleButtonsSingle(value=views[s.perspective], values=list(views.values()),
                               on_value=lambda v: update(perspective=next(k for k, x in views.items() if x == v)))
