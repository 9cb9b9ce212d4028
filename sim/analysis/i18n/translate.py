"""Looking a text up: :data:`STRINGS` (every table of this package merged), :func:`t`,
:func:`label` and :func:`scenario_label`."""

from __future__ import annotations

from . import app, catalogue, charts, discover, report, terms

LANGUAGES = ("nl", "en")


def _merged(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        # A key in two tables would let the later one win silently; say so when the package loads.
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"texts defined twice in sim/analysis/i18n: {sorted(twice)}")
        merged.update(table)
    return merged


STRINGS: dict[str, dict[str, str]] = _merged(terms.STRINGS, charts.STRINGS, report.STRINGS, catalogue.STRINGS,
                                             discover.STRINGS, app.STRINGS)


def t(key: str, language: str, **fields) -> str:
    """The text for ``key`` in ``language``, with ``fields`` filled in."""
    check_language(language)
    try:
        text = STRINGS[key][language]
    except KeyError:
        raise KeyError(f"no translation for {key!r} in {language!r}; add it to a table in sim/analysis/i18n/") from None
    return text.format(**fields) if fields else text


def label(kind: str, key: str, language: str) -> str:
    """Label of a budget line, payer, level or domain (``kind`` = line/payer/level/domain).

    Unknown keys fall back to the key with underscores as spaces, capitalised.
    """
    check_language(language)
    entry = STRINGS.get(f"{kind}.{key}")
    if entry is None:
        return key.replace("_", " ").capitalize()
    return entry[language]


def scenario_label(name: str, language: str, *, baseline: str = "baseline", labels: dict | None = None) -> str:
    """Display name of a scenario: the caller's label, the translated baseline, or the name itself."""
    if labels and name in labels:
        return str(labels[name])
    if name == baseline:
        return t("baseline", language)
    return str(name)


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
