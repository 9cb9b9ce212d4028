"""Numbers and euro amounts as the language writes them: Dutch ``€ 1.234.567`` and ``0,5``;
English ``€1,234,567`` and ``0.5``. Negative numbers use the typographic minus sign (U+2212)."""

from __future__ import annotations

import math

from .translate import check_language, t

MINUS = "\u2212"


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x, language: str, decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (nl) or ``1,234.5`` (en); NaN → n/a."""
    check_language(language)
    if not _finite(x):
        return t("not_applicable", language)
    x = float(x)
    s = f"{abs(x):,.{decimals}f}"
    if language == "nl":
        s = s.translate(str.maketrans({",": ".", ".": ","}))
    negative = x < 0 and round(abs(x), decimals) != 0
    return (MINUS if negative else "") + s


def euro_scale(values, language: str) -> tuple[float, str]:
    """A divisor and unit label for a set of euro amounts (for chart axes)."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    top = float(np.max(np.abs(arr))) if arr.size else 0.0
    if top >= 1e9:
        return 1e9, t("unit.eur_billion", language)
    if top >= 1e6:
        return 1e6, t("unit.eur_million", language)
    if top >= 1e4:
        return 1e3, t("unit.eur_thousand", language)
    return 1.0, t("unit.eur", language)


def fmt_eur(x, language: str, *, compact: bool = True) -> str:
    """Euro amount: ``€ 1.234`` / ``€1,234``.

    With ``compact`` (default): ≥ 1 million as ``€ 1,23 mln`` / ``€1.23 million`` (one decimal from
    10 million), ≥ 10 thousand rounded to three significant digits (``€ 939.000``).
    """
    if not _finite(x):
        return t("not_applicable", language)
    x = float(x)
    sign = MINUS if x < 0 else ""
    a = abs(x)
    if compact and a >= 1e9:
        body = f"{fmt_number(a / 1e9, language, 2)} {t('unit.bn', language)}"
    elif compact and a >= 1e6:
        body = f"{fmt_number(a / 1e6, language, 1 if a >= 1e7 else 2)} {t('unit.mln', language)}"
    else:
        if compact and a >= 1e4:
            a = float(f"{a:.3g}")  # three significant digits: € 939.000 rather than € 939.343
        body = fmt_number(a, language, 0)
        if body == "0":
            sign = ""
    sep = " " if language == "nl" else ""  # nl: "€ 100", en: "€100"
    return f"{sign}€{sep}{body}"


def fmt_pct(p, language: str, decimals: int = 0) -> str:
    """Share 0..1 as a percentage: ``0.45`` → ``45%``."""
    if not _finite(p):
        return t("not_applicable", language)
    return f"{fmt_number(100 * float(p), language, decimals)}%"


def fmt_ratio(x, language: str, decimals: int = 2) -> str:
    return fmt_number(x, language, decimals)
