"""The four speed figures beside their targets, as one table (`make bench`).

Each line says what was measured and what was extrapolated, and when. The targets live here
and only here (issue 13; the README's "Speed" section repeats them): tests never time anything.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NL_HOUSEHOLDS, NL_YEARS = 8_200_000, 40
MODEL_HOUSEHOLDS, MODEL_MONTHS = 24_000, 480
FULL_SWEEP = "experiments/sweep-olst-wijhe.toml"
NOT_JUDGED = "; not the size of the target, so not judged"
TARGETS = {
    "model": ("< 1 s", 1.0),  # 24,000 households x 40 years, every mechanism on, one core: run seconds
    "bare": ("≥ 100×", 100.0),  # every mechanism off vs the object-per-household Mesa model, same run
    "nl": ("< 5 min, < 8 GiB", (300.0, 8.0)),  # 8.2 M households x 40 years on 2 cores: wall s, peak GiB
    "sweep": ("< 15 min", 900.0),  # Sobol N = 512 x 12, Olst-Wijhe, 20 years, 2 cores: wall s
}


@dataclass(frozen=True)
class Line:
    figure: str
    target: str
    value: str
    met: bool | None  # None: not judged (no figure, or not the size of the target)
    date: str
    basis: str  # short: measured, or extrapolated from what
    detail: str = ""  # printed as a numbered note under the table

    def cells(self) -> list[str]:
        met = "–" if self.met is None else ("yes" if self.met else "no")
        return [self.figure, self.target, self.value, met, self.date, self.basis]


HEADER = ["figure", "target", "value", "met?", "date", "measured / extrapolated"]


def render(lines: list[Line], footer: str = "") -> str:
    """A Markdown table (readable as plain text, pastes into the README), its notes, the footer."""
    rows = [HEADER]
    notes = []
    for line in lines:
        cells = line.cells()
        if line.detail:
            notes.append(f"[{len(notes) + 1}] {line.detail}")
            cells[-1] += f" [{len(notes)}]"
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def fmt(row):
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |"

    text = [fmt(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [fmt(r) for r in rows[1:]]
    return "\n".join(text + notes + ([footer] if footer else []))


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def today() -> str:
    return dt.date.today().isoformat()


# --------------------------------------------------------------------------- the lines
def _factor(x: float) -> str:
    return f"{x:,.0f}" if x >= 9.95 else f"{x:.2g}"


def _size(households, months) -> str:
    return f"{households:,} households × {months / 12:g} years"


def model_line(t) -> Line:
    """24,000 households x 40 years, every mechanism on (a reference.ModelTiming)."""
    target, limit = TARGETS["model"]
    judged = (t.households, t.months) == (MODEL_HOUSEHOLDS, MODEL_MONTHS)
    return Line(f"{_size(MODEL_HOUSEHOLDS, MODEL_MONTHS)}, every mechanism on, one core", target,
                duration(t.run_seconds), t.run_seconds < limit if judged else None, today(),
                "measured" + ("" if judged else f" at {_size(t.households, t.months)}"),
                f"the run alone (set-up {t.setup_seconds:.2f} s apart): {t.rate / 1e6:.1f} M household-months/s, "
                f"peak {t.peak_mib:,.0f} MiB" + ("" if judged else NOT_JUDGED))


def bare_line(t) -> Line:
    target, limit = TARGETS["bare"]
    ref_households, ref_months, ref_best = t.reference
    judged = (t.households, t.months) == (MODEL_HOUSEHOLDS, MODEL_MONTHS)
    return Line("every mechanism off vs the idiomatic Mesa model", target, f"{t.speedup:,.1f}×",
                t.speedup >= limit if judged else None, today(),
                "measured, same run" + ("" if judged else f", at {_size(t.households, t.months)}"),
                f"best of 3 interleaved stretches each: {t.best_rate / 1e6:.1f} M vs {ref_best / 1e6:.2f} M "
                f"household-months/s; the Mesa model (agents.shuffle_do, DataCollector) at "
                f"{_size(ref_households, ref_months)}" + ("" if judged else NOT_JUDGED))


def nl_standin_line(t) -> Line:
    """The Netherlands extrapolated from a smaller population: time linear in households and months,
    the population's memory linear in households."""
    target, (limit_s, limit_gib) = TARGETS["nl"]
    scale = NL_HOUSEHOLDS / t.households
    seconds = (t.setup_seconds + t.run_seconds * NL_YEARS * 12 / t.months) * scale
    gib = t.peak_mib_at(NL_HOUSEHOLDS) / 1024
    judged = t.months == NL_YEARS * 12
    basis = f"extrapolated ×{_factor(scale)} from {t.households:,} households" + (
        "" if judged else f" and ×{_factor(NL_YEARS * 12 / t.months)} from {t.months / 12:g} years")
    detail = (f"set-up {t.setup_seconds:.2f} s + run {t.run_seconds:.2f} s measured; memory "
              f"{t.base_mib:,.0f} MiB before the population + "
              f"{(t.peak_mib - t.base_mib) * 2**20 / t.households:,.0f} bytes per household at the peak")
    if not t.peak_is_own:
        detail += " (the process's peak since it started: an overestimate)"
    return Line(f"Netherlands, {NL_HOUSEHOLDS / 1e6:.1f} M households × {NL_YEARS} years (stand-in)", target,
                f"{duration(seconds)}, {gib:.1f} GiB", (seconds < limit_s and gib < limit_gib) if judged else None,
                today(), basis, detail + ("" if judged else NOT_JUDGED))


def nl_record_line(entry: dict | None) -> Line:
    target, (limit_s, limit_gib) = TARGETS["nl"]
    figure = f"Netherlands, {NL_HOUSEHOLDS / 1e6:.1f} M households × {NL_YEARS} years (last full run)"
    if entry is None:
        return Line(figure, target, "not recorded", None, "–", "run `make bench-nl` (about 10 min)")
    full = entry["households"] == NL_HOUSEHOLDS and entry["years"] == NL_YEARS
    basis = "measured in full" if full else f"measured at {entry['households']:,.0f} households × {entry['years']:g} years"
    met = (entry["seconds"] < limit_s and entry["peak_gib"] < limit_gib) if full else None
    return Line(figure, target, f"{duration(entry['seconds'])}, {entry['peak_gib']:.1f} GiB", met, entry["date"],
                basis, _context(entry, "set-up + run, one process") + ("" if full else NOT_JUDGED))


def sweep_standin_line(t) -> Line:
    """A sweep.SweepTiming extrapolated to the whole design."""
    target, limit = TARGETS["sweep"]
    seconds = t.extrapolated_seconds
    detail = (f"{t.config} on {t.workers} workers: {t.per_evaluation:.2f} s wall per evaluation + "
              f"{t.fixed_seconds:.1f} s fixed (pool start-up, one evaluation per worker); "
              f"{t.cpu_per_evaluation:.2f} CPU-s per evaluation; the analysis is not in it")
    if t.note:
        detail += f"; {t.note}"
    judged = t.config == FULL_SWEEP and t.workers == 2
    return Line("Sobol N = 512 × 12 parameters, Olst-Wijhe, 20 years, 2 cores (stand-in)", target, duration(seconds),
                seconds < limit if judged else None, today(),
                f"extrapolated from {t.evaluations} evaluations to {t.total:,}", detail + ("" if judged else NOT_JUDGED))


def sweep_record_line(entry: dict | None) -> Line:
    target, limit = TARGETS["sweep"]
    figure = "Sobol N = 512 × 12 parameters, Olst-Wijhe, 20 years, 2 cores (last full run)"
    if entry is None:
        return Line(figure, target, "never run in full", None, "–", "run `make bench-sweep`")
    judged = entry.get("config") == FULL_SWEEP and entry["workers"] == 2
    return Line(figure, target, duration(entry["seconds"]), entry["seconds"] < limit if judged else None,
                entry["date"], "measured in full",
                _context(entry, f"`sim sweep` of {entry['evaluations']:,.0f} evaluations on {entry['workers']:.0f} "
                                f"workers, analysis included") + ("" if judged else NOT_JUDGED))


def _context(entry: dict, what: str) -> str:
    parts = [what]
    if entry.get("load_average_before") is not None:
        parts.append(f"load average {entry['load_average_before']} before")
    if entry.get("commit"):
        parts.append(f"commit {str(entry['commit'])[:10]}")
    if entry.get("note"):
        parts.append(str(entry["note"]))
    return "; ".join(parts)
