"""Virtual trials: the study behind a catalogue entry, re-run on the model's own population.

For an entry with a `[trial]` table, after the burn-in every household in the study's target
group (the entry's eligible households) is followed for the study's follow-up. Two arms run on
common random numbers: the same seed, once with the group enrolled at month 0 and once without,
so each household is its own control and the difference is the intervention's alone. The outcome
is the study's, read from the model's levels: `reaches` (at or above a level of a domain at some
month of the follow-up) or `leaves` (below the level at the end). The simulated risk ratio (or
risk difference, as the study reports) pools replications until the virtual trial has enough
participants; its 95% interval is a paired bootstrap over households. Households that leave
the population during the follow-up are dropped from both arms (complete cases).

`fit_scale` finds the power s with which the entry's rate ratios (rr ** s) reproduce a target
risk ratio: how the catalogue's transition effects are calibrated to a published trial.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..seeds import replication_seed

TRIAL_HOUSEHOLDS = 60000
MIN_PARTICIPANTS = 1000  # replications are added until the pooled trial has this many (or MAX_REPLICATIONS)
MAX_REPLICATIONS = 8
TRIAL_SEED = 20261201


@dataclass(frozen=True)
class TrialResult:
    id: str
    measure: str
    published: float
    published_ci: tuple | None
    simulated: float
    simulated_ci: tuple
    participants: int
    risk_intervention: float
    risk_control: float
    outcome: str

    @property
    def within(self) -> bool:
        """The simulated risk ratio lies in the published 95% interval."""
        return self.published_ci is not None and self.published_ci[0] <= self.simulated <= self.published_ci[1]


def _overrides() -> dict:
    """The calibrated parameters (the posterior mean) when a calibration is shipped."""
    from ..params.posterior import POSTERIOR_FILE, read_posterior, row_overrides

    return row_overrides(read_posterior(POSTERIOR_FILE).mean()) if POSTERIOR_FILE.is_file() else {}


def _arm(entry, k: int, *, enrol: bool, ratios, households: int, seed, overrides: dict):
    """One arm: (ids followed, event flags) for the entry's eligible group at month 0."""
    from ..model import PreventionModel
    from ..model.rules.programmes import children_at_home, youngest_child

    model = PreventionModel(overrides, households=households, seed=seed)
    hh, progs, t = model.hh, model.programmes, model.tick
    if ratios is not None:
        progs.set_effect(k, ratios)
    mask = progs.eligible(k, hh, children_at_home(hh, model.children), youngest_child(hh, model.children), t)
    rows = np.flatnonzero(mask)
    ids = hh.id[rows].copy()
    if enrol:
        progs.enrol(hh, rows, k, t)
    trial = entry.trial
    d, level = trial.outcome_domain, trial.outcome_level
    event = np.zeros(len(ids), bool)
    present = np.ones(len(ids), bool)
    for _ in range(trial.follow_up_months):
        model.step()
        pos, here = _rows_of(model.hh.id, ids)
        present &= here
        if trial.outcome_event == "reaches":
            event |= here & (model.hh.level[pos, d] >= level)
    if trial.outcome_event == "leaves":
        event = present & (model.hh.level[pos, d] < level)
    return ids, event, present


def _rows_of(id_column: np.ndarray, ids: np.ndarray):
    """Rows of the households with these ids (rows move when households leave), and which are
    still there."""
    order = np.argsort(id_column, kind="stable")
    at = np.minimum(np.searchsorted(id_column[order], ids), len(order) - 1)
    rows = order[at]
    return rows, id_column[rows] == ids


def run_trial(name: str, *, households: int = TRIAL_HOUSEHOLDS, min_participants: int = MIN_PARTICIPANTS,
              max_replications: int = MAX_REPLICATIONS, seed: int = TRIAL_SEED, scale: float = 1.0,
              overrides: dict | None = None, bootstrap: int = 1000) -> TrialResult:
    """The virtual trial of catalogue entry `name`, its effects at rate_ratio ** scale."""
    from ..errors import ConfigError
    from ..params.catalogue import catalogue, entry as find

    entry = find(name)
    if entry.trial is None:
        raise ConfigError("this intervention has no trial to re-run", key=name,
                          expected=" | ".join(e.id for e in catalogue() if e.trial is not None))
    k = next(i for i, e in enumerate(catalogue()) if e.id == name)
    ratios = [eff.rate_ratio ** scale for eff in entry.effects]
    overrides = _overrides() if overrides is None else overrides
    treated, control = [], []
    for r in range(max_replications):
        if sum(len(x) for x in treated) >= min_participants:
            break
        def same_seed():  # a fresh SeedSequence per arm: spawning children advances it
            return replication_seed(seed, r)

        _, with_it, here_i = _arm(entry, k, enrol=True, ratios=ratios, households=households, seed=same_seed(),
                                  overrides=overrides)
        _, without, here_c = _arm(entry, k, enrol=False, ratios=None, households=households, seed=same_seed(),
                                  overrides=overrides)
        both = here_i & here_c
        treated.append(with_it[both])
        control.append(without[both])
    a, b = np.concatenate(treated), np.concatenate(control)
    measure = entry.trial.measure
    effect = _effect(a, b, measure)
    rng = np.random.default_rng(seed)
    draws = [_effect(a[i], b[i], measure) for i in (rng.integers(0, len(a), len(a)) for _ in range(bootstrap))]
    draws = [x for x in draws if math.isfinite(x)]
    lo, hi = (np.percentile(draws, [2.5, 97.5]) if draws else (math.nan, math.nan))
    return TrialResult(entry.id, measure, entry.trial.published, entry.trial.ci, effect, (float(lo), float(hi)), len(a),
                       float(a.mean()) if len(a) else math.nan, float(b.mean()) if len(b) else math.nan,
                       entry.trial.outcome_text)


def _effect(a: np.ndarray, b: np.ndarray, measure: str) -> float:
    """Risk ratio or risk difference of event flags, intervention (a) against control (b)."""
    if not len(a):
        return math.nan
    if measure == "risk_difference":
        return float(a.mean() - b.mean())
    return float(a.mean() / b.mean()) if b.any() else math.nan


def fit_scale(name: str, target: float, *, low: float = 0.0, high: float = 4.0, **kw) -> float:
    """The power s at which the virtual trial's effect equals `target` (Brent's method, on log
    ratios for a risk ratio; common random numbers make the simulated effect smooth in s)."""
    from scipy.optimize import brentq

    from ..params.catalogue import entry

    scale = math.log if entry(name).trial.measure == "risk_ratio" else (lambda x: x)

    def gap(s):
        return scale(run_trial(name, scale=s, bootstrap=0, **kw).simulated) - scale(target)

    g_low, g_high = gap(low), gap(high)
    if g_low * g_high > 0:
        return low if abs(g_low) < abs(g_high) else high  # the target is outside what the effects can reach
    return float(brentq(gap, low, high, xtol=1e-3))


def trial_table(results):
    """One row per virtual trial: published and simulated effect with intervals, and whether
    the simulated one falls inside the published interval."""
    import pandas as pd

    from ..params.catalogue import entry

    rows = []
    for r in results:
        e = entry(r.id)
        rows.append({"intervention": r.id, "evidence": e.evidence, "measure": r.measure,
                     "published": r.published,
                     "published_low": r.published_ci[0] if r.published_ci else math.nan,
                     "published_high": r.published_ci[1] if r.published_ci else math.nan,
                     "simulated": r.simulated, "simulated_low": r.simulated_ci[0], "simulated_high": r.simulated_ci[1],
                     "within_published_ci": r.within, "participants": r.participants,
                     "risk_intervention": r.risk_intervention, "risk_control": r.risk_control,
                     "outcome": r.outcome, "trial_source": e.trial.source})
    return pd.DataFrame(rows)


def trial_ids() -> tuple:
    from ..params.catalogue import catalogue

    return tuple(e.id for e in catalogue() if e.trial is not None)


def fitted_ratios(name: str, **kw) -> dict:
    """The entry's rate ratios fitted to the published effect and to both ends of its interval."""
    from ..params.catalogue import entry

    e = entry(name)
    targets = {"estimate": e.trial.published}
    if e.trial.ci:
        targets.update(low=e.trial.ci[0], high=e.trial.ci[1])
    out = {}
    for what, target in targets.items():
        s = fit_scale(name, target, **kw)
        out[what] = {"scale": s, "rate_ratios": [round(eff.rate_ratio ** s, 3) for eff in e.effects]}
    return out
