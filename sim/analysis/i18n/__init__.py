"""Every piece of text the charts and the report show, in Dutch (``nl``) and English (``en``).

One table, :data:`STRINGS`, maps a key to ``{"nl": ..., "en": ...}``; it is merged from one module
per part of the output (terms, charts, report, catalogue, discover). Strings may hold ``str.format`` fields
(``{year}``). Labels for budget lines, payers, levels and domains live under ``line.*``,
``payer.*``, ``level.*`` and ``domain.*`` (in terms.py); a key the table does not know (a new
budget line the model added) falls back to a readable version of the key itself, so the analysis
never fails on a new column — but add it to terms.py so it gets a proper translation.

Number formatting follows the language (numbers.py): Dutch ``€ 1.234.567`` and ``0,5``; English
``€1,234,567`` and ``0.5``. Negative numbers use the typographic minus sign (U+2212).
"""

from .numbers import MINUS, euro_scale, fmt_eur, fmt_number, fmt_pct, fmt_ratio
from .translate import LANGUAGES, STRINGS, check_language, label, scenario_label, t

__all__ = [
    "LANGUAGES",
    "MINUS",
    "STRINGS",
    "check_language",
    "euro_scale",
    "fmt_eur",
    "fmt_number",
    "fmt_pct",
    "fmt_ratio",
    "label",
    "scenario_label",
    "t",
]
