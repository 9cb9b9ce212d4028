"""The intervention catalogue as Markdown, for docs/parameters.md (`sim params`)."""
from __future__ import annotations

from ..levels import DOMAIN_KEYS, LEVEL_KEYS
from ..params import prices
from ..params.catalogue import catalogue


def _sourced(s, fmt="{:g}") -> str:
    value = "not found" if s.value is None else fmt.format(s.value)
    return f"{value} ({s.source})"


def catalogue_markdown() -> str:
    out = ["## Interventions (`sim/params/interventions/*.toml`)", "",
           "What a council can buy, one file per entry. Effects are rate ratios on the named monthly "
           "transitions, with their 95% interval, for a household from the month it enrols; `weight` "
           "follows onset (linear), plateau (`lasts`) and fading (half-life). Costs are converted to "
           f"{prices.price_year()} euros with the CBS consumer price index (`sim/params/prices.toml`). "
           "The levers an experiment sets per entry (`interventions.<id>.budget`, `participants`, `by_year`, "
           "`start_year`, `stop_after_year`, `effect_quantile`) are in the parameter table above. "
           "docs/odd.md 7.10 describes the mechanism; docs/interventions-evidence.md the search behind it.", ""]
    for e in catalogue():
        t = e.trial
        target = (f"{' / '.join(DOMAIN_KEYS[d] for d in e.domains)} at {' / '.join(LEVEL_KEYS[lv] for lv in e.levels)}; "
                  f"households: {e.households}"
                  + (f"; youngest child under {e.youngest_child_under:g}" if e.youngest_child_under is not None else ""))
        rows = [
            ("name", f"{e.name['en']} — *{e.name['nl']}*"),
            ("what", e.description["en"]),
            ("kind; payer", f"{e.kind}; {e.payer}"),
            ("evidence", f"{e.evidence}; Databank Effectieve Interventies: {e.dei_rating}"),
            ("target group", target),
            ("eligible per 1,000 households (published)", _sourced(e.eligible_per_1000)),
            ("reach a year; uptake", f"{_sourced(e.reach)}; {_sourced(e.uptake)}"),
            ("cost per participant",
             f"{e.cost.value:g} ({e.cost_price_year} prices) = EUR {e.cost_per_participant:,.0f} in "
             f"{prices.price_year()} prices; {e.cost.source}"),
            ("delivery", f"{e.months} months" + ("; reveals hidden need (outreach)" if e.reveals_hidden_need else "")),
        ]
        for eff in e.effects:
            rows.append((f"effect `{eff.label}`", f"rate ratio {eff.rate_ratio:g} (95% {eff.ci[0]:g}–{eff.ci[1]:g}); "
                                                   f"{eff.basis}"))
        if e.effects:
            rows.append(("timing", f"onset {e.onset_months} months, lasts {e.lasts_months} months, half-life "
                                   f"{e.half_life_months:g} months; {e.timing_source}"))
        if t:
            ci = f"{t.ci[0]:g}–{t.ci[1]:g}" if t.ci else "not published"
            rows.append(("trial (`sim trial`)", f"{t.design}, n = {t.n}; {t.outcome_text}, {t.follow_up_months} "
                                                f"months; {t.measure} {t.published:g} (95% {ci}); {t.source}"))
        if e.transfer_caveat:
            rows.append(("transfer caveat", e.transfer_caveat))
        rows.append(("sources", "; ".join(e.sources)))
        out += [f"### `{e.id}`", "", "| | |", "|---|---|",
                *[f"| {k} | {str(v).replace('|', '/')} |" for k, v in rows], ""]
    return "\n".join(out)
