"""The adviser's choices on the what-if screen, and the experiment config they stand for.

`Settings` is what the form holds; `to_config` turns it into an experiment config dict (the
same dict `sim run` reads from a TOML file), `to_toml` writes that dict as the file an analyst
can `sim run`, and `check` validates the choices with the experiment loader itself
(sim.config.load_dict), so the form refuses exactly what `sim run` would refuse, with the
message placed next to the field it concerns.

Two settings describe the same run when their configs are equal apart from the words (language,
labels, description): `run_key` is the hash of that part, the cache key of a run.
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

from ..analysis.i18n import fmt_number, t
from ..config import load_dict
from ..errors import ConfigError
from ..manifest import stable_hash
from ..params import presets

BASELINE, CHOICE = "baseline", "choice"
MODES = ("budget", "participants")
GENERIC = "custom"  # the catalogue's name for the generic lever (levers.prevention.*)
PRELIMINARY_HOUSEHOLDS = 3000  # the first answer: fewer households ...
PRELIMINARY_REPLICATIONS = 3   # ... and fewer replications, labelled preliminary
MOST_HOUSEHOLDS = 250_000      # one municipality; the Netherlands is `sim run`'s job
PRESETS = tuple(name for name in presets() if name != "netherlands")


@dataclass(frozen=True)
class Settings:
    """Everything the adviser chooses. `buys` holds (intervention id, mode, amount a year)."""

    preset: str = "vijfheerenlanden"
    households: int | None = None  # None: the preset's number
    buys: tuple = (("schuldhulpmaatje", "budget", 100_000), ("vroegsignalering_schulden", "budget", 200_000))
    generic: float = 0.0  # euros per household per year on the generic lever
    from_year: int | None = None  # None: the first year of the run
    until_year: int | None = None  # None: to the end of the horizon
    start_year: int = 2026
    years: int = 30
    replications: int = 10
    seed: int = 20261123
    language: str = "nl"
    perspective: str = "all"  # all public payers | municipality: how the screen shows it, not what is run
    preliminary_stage: bool = False  # the quick first answer (see preliminary())

    @property
    def n_households(self) -> int:
        if self.households is not None:
            return int(self.households)
        return int(presets()[self.preset]["households"])

    @property
    def bought(self) -> tuple:
        """The buys with an amount above zero (and not NaN)."""
        return tuple((i, m, a) for i, m, a in self.buys if a is not None and not (isinstance(a, float) and
                                                                             math.isnan(a)) and a != 0)

    def preliminary(self) -> "Settings":
        """The same choices on fewer households and replications: the first, quick answer."""
        return dataclasses.replace(self, households=min(self.n_households, PRELIMINARY_HOUSEHOLDS),
                                   replications=min(self.replications, PRELIMINARY_REPLICATIONS),
                                   preliminary_stage=True)


def _label(s: Settings) -> str:
    from ..params.catalogue import entry

    names = [entry(i).name[s.language] for i, _, _ in s.bought]
    if s.generic:
        names.append(t("app.generic", s.language))
    return ", ".join(names) or t("app.scenario_label", s.language)


def _years(s: Settings, lever: dict) -> dict:
    """The time profile: a start year when it is not the run's first, a last year when given."""
    if s.from_year is not None and s.from_year != s.start_year:
        lever["start_year"] = int(s.from_year)
    if s.until_year is not None:
        lever["stop_after_year"] = int(s.until_year)
    return lever


def to_config(s: Settings) -> dict:
    """The experiment config dict of these settings: the baseline and one scenario, `choice`,
    that buys the chosen interventions (and the generic lever) with the chosen time profile."""
    buys = {}
    for ident, mode, amount in s.bought:
        buys[ident] = _years(s, {mode: _number(amount)})
    if s.generic:
        lever = {"per_household": float(s.generic)}
        if s.until_year is not None:
            lever["profile"] = "stop"
        buys[GENERIC] = _years(s, lever)
    what = _label(s)
    return {
        "experiment": {"name": "whatif-preliminary" if s.preliminary_stage else "whatif",
                       "description": f"{t('app.title', s.language)}: {what}", "language": s.language},
        "population": {"preset": s.preset, "households": s.n_households},
        "horizon": {"start_year": int(s.start_year), "years": int(s.years)},
        "run": {"replications": int(s.replications), "seed": int(s.seed)},
        "scenarios": {BASELINE: {"label": t("baseline", s.language)},
                      CHOICE: {"label": what, "interventions": buys}},
    }


def _number(x):
    x = float(x)
    return int(x) if x.is_integer() else x


def run_key(config: dict) -> str:
    """The cache key of a run: the config without its words (language, labels, description)."""
    bare = {k: v for k, v in config.items() if k != "experiment"}
    bare["scenarios"] = {n: {k: v for k, v in body.items() if k not in ("label", "description")}
                         for n, body in config["scenarios"].items()}
    return stable_hash(bare)


# ------------------------------------------------------------------------------- TOML


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v!r}")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _key(k) -> str:
    k = str(k)
    return k if k.replace("_", "").replace("-", "").isalnum() else json.dumps(k)


def to_toml(config: dict, *, comment: str = "") -> str:
    """The config as an experiment TOML file (`sim validate` and `sim run` read it back to the
    same experiment). Tables of tables (scenarios, their interventions) are written dotted."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    for section, body in config.items():
        if section == "scenarios":
            continue
        lines += ["", f"[{section}]"] + [f"{_key(k)} = {_value(v)}" for k, v in body.items()]
    for name, body in config.get("scenarios", {}).items():
        lines += ["", f"[scenarios.{_key(name)}]"]
        for k, v in body.items():
            if k == "interventions":
                lines += [f"interventions.{_key(i)} = {_value(lever)}" for i, lever in v.items()]
            else:
                lines.append(f"{_key(k)} = {_value(v)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def toml_comment(s: Settings) -> str:
    when = "preliminary: fewer households and replications than the full answer\n" if s.preliminary_stage else ""
    return (f"Written by the what-if screen (`sim app`). `sim run` of this file reproduces its figures.\n{when}"
            f"The screen showed the perspective: {s.perspective} "
            f"({'all public payers' if s.perspective == 'all' else 'the municipality alone; the report counts all public payers'}).")


# ------------------------------------------------------------------------------- checking


def check(s: Settings) -> dict[str, str]:
    """Field -> message, empty when the settings are valid. The experiment loader decides what is
    valid; the form adds only what a config allows but a screen question does not (nothing
    bought, a last year before the first)."""
    errors: dict[str, str] = {}
    lang = s.language
    for ident, _, amount in s.buys:
        if isinstance(amount, float) and not math.isfinite(amount):
            errors[f"buy:{ident}"] = t("app.err.number", lang, found=amount)
    if not (100 <= s.n_households <= MOST_HOUSEHOLDS):
        errors["households"] = t("app.err.households", lang, most=fmt_number(MOST_HOUSEHOLDS, lang))
    if not s.bought and not s.generic:
        errors["buys"] = t("app.err.empty", lang)
    if s.from_year is not None and s.until_year is not None and s.until_year < s.from_year:
        errors["until_year"] = t("app.err.order", lang)
    if errors:
        return errors
    try:
        load_dict(to_config(s))
    except ConfigError as err:
        errors[field_of(err.key or "")] = message_of(err, s)
    return errors


def field_of(key: str) -> str:
    """The form field a config key belongs to."""
    parts = key.split(".")
    if key in ("population.households", "population.preset", "horizon.start_year", "horizon.years"):
        return {"population.households": "households", "population.preset": "preset"}.get(key, parts[-1])
    if parts[-1] == "start_year":
        return "from_year"
    if parts[-1] == "stop_after_year":
        return "until_year"
    if len(parts) >= 5 and parts[2] == "interventions":
        return f"buy:{parts[3]}"
    if key.endswith("levers.prevention.per_household"):
        return "generic"
    return "form"


def message_of(err: ConfigError, s: Settings) -> str:
    lang = s.language
    if err.message == "out of range" and isinstance(err.found, (int, float)) and err.found < 0:
        return t("app.err.negative", lang, found=err.found)
    if err.message == "a year outside the horizon":
        return t("app.err.year", lang, first=s.start_year, last=s.start_year + s.years - 1)
    text = err.message + (f"; expected {err.expected}" if err.expected else "")
    return t("app.err.other", lang, message=text)
