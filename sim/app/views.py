"""The results side of the what-if screen: a Screen (sim.app.screen) as Solara components.

The headline, tables and figures are the report's own (sim.analysis.report_sections); they are
written here with the report's markup and classes (a number, its 90% interval under it), every
text escaped as the report escapes it.
"""
from __future__ import annotations

import solara

from ..analysis.i18n import fmt_number, t
from ..analysis.report_sections import Table, html_text

CSS = """
.whatif table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; font-size: 0.92rem; }
.whatif caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
.whatif th, .whatif td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
.whatif .num { text-align: right; white-space: nowrap; }
.whatif .interval { display: block; color: #666; font-size: 0.85em; }
.whatif .pays { color: #a33; } .whatif .gains { color: #176; }
.whatif .headline p { margin: 0.25rem 0; font-size: 1rem; } .whatif .headline .big { font-size: 1.15rem; font-weight: 600; }
.whatif figcaption { font-size: 0.9rem; color: #555; margin: 0.2rem 0 1rem; }
.whatif .preliminary { background: #fff4d6; padding: 0.4rem 0.6rem; border-left: 4px solid #e6a700; }
.whatif .final { background: #e8f4ec; padding: 0.4rem 0.6rem; border-left: 4px solid #2e8b57; }
.field-error { color: #b00020; font-size: 0.85rem; margin: -0.4rem 0 0.4rem; }
"""


def table_html(tab: Table, language: str) -> str:
    head = "".join(f'<th scope="col"{_num(tab, i)}>{html_text(h)}</th>' for i, h in enumerate(tab.header))
    body = []
    for row_header, cells in tab.rows:
        tds = []
        for c in cells:
            text = str(html_text(c.text))
            if c.interval:
                text += (f'<span class="interval">{html_text(c.interval[0])} {html_text(t("to", language))} '
                         f'{html_text(c.interval[1])}</span>')
            tds.append(f'<td class="{html_text(c.css_class)}">{text}</td>' if c.css_class else f"<td>{text}</td>")
        body.append(f'<tr><th scope="row">{html_text(row_header)}</th>{"".join(tds)}</tr>')
    return (f"<table><caption>{html_text(tab.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _num(tab: Table, i: int) -> str:
    return ' class="num"' if tab.num_from is not None and i >= tab.num_from else ""


def headline_html(sentences) -> str:
    return "".join(f'<p class="{html_text(s.css_class)}">{html_text(s.text)}</p>' if s.css_class
                   else f"<p>{html_text(s.text)}</p>" for s in sentences)


@solara.component
def Html(html: str, test_id: str = ""):
    solara.HTML(tag="div", unsafe_innerHTML=html, attributes={"data-testid": test_id} if test_id else {})


@solara.component
def FigureView(screen, name: str):
    index = screen.figures_by_name.get(name)
    if index is None:
        return
    png, alt, caption = screen.figures[index]
    with solara.Div(classes=[f"figure-{name}"]):
        solara.Image(png, width="100%")
        Html(f"<figcaption>{html_text(caption)}</figcaption>", test_id=f"figure-{name}")


@solara.component
def Status(screen, progress, language: str):
    """Preliminary or final, and how far the full answer is."""
    if screen is None:
        solara.Text(t("app.waiting", language))
        solara.ProgressLinear(True)
        return
    fields = {"replications": screen.replications, "households": fmt_number(screen.households, language),
              "seconds": fmt_number(screen.seconds, language, 1)}
    if screen.stage == "preliminary":
        Html(f'<div class="preliminary" data-stage="preliminary">{html_text(t("app.preliminary", language, **fields))}'
             "</div>", test_id="status")
    else:
        Html(f'<div class="final" data-stage="final">{html_text(t("app.final", language, **fields))}</div>',
             test_id="status")
    if progress is not None and screen.stage == "preliminary":
        done, total = progress
        solara.ProgressLinear(value=100 * done / max(total, 1))
        solara.Text(t("app.progress", language, done=done, total=total))


@solara.component
def Results(screen, language: str, perspective: str):
    """Headline, J-curve, council terms, key figures, payers, budget lines, levels, generations."""
    key, terms, payers, lines, generations = screen.tables
    with solara.Div(classes=["whatif"]):
        if perspective == "municipality":
            solara.Info(t("app.perspective_note", language))
        Html(f'<div class="headline">{headline_html(screen.headline)}</div>', test_id="headline")
        FigureView(screen, "jcurve")
        Html(table_html(terms, language), test_id="terms")
        Html(table_html(key, language), test_id="key-figures")
        Html(table_html(payers, language), test_id="payers")
        Html(table_html(lines, language), test_id="lines")
        FigureView(screen, "cost_shifts")
        FigureView(screen, "households_by_level")
        Html(table_html(generations, language), test_id="generations")
        FigureView(screen, "intergenerational")
        FigureView(screen, "break_even_distribution")
