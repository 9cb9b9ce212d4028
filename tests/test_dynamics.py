"""Households as the Netherlands has them: risk types, care episodes, youth care per child and
exposure to need — known answers by hand and from the closed-form two-type chain."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from sim.model import PreventionModel, episodes
from sim.model.levels import DOMAIN_KEYS, LEVEL_KEYS, N_DOMAINS, N_LEVELS, Level
from sim.model.population import HOUSEHOLD_COLUMNS, Table, draw_risk_types, high_risk_probability
from sim.params import Parameters, Switches

ROOT = Path(__file__).resolve().parents[1]
ONLY_TYPES = {**Switches.all_off(), "switches.heterogeneity": True}


def _derivation():
    spec = importlib.util.spec_from_file_location("derive", ROOT / "calibration" / "derive_default_hazards.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ risk types
def test_heterogeneity_alone_is_the_mixture_of_two_chains():
    """With every other mechanism off, each domain's occupancy from a non-stationary start is
    the type-weighted mixture of the two chains, sum_t (n_t / n) p0 P_t^t."""
    n, months = 20000, 36
    model = PreventionModel(ONLY_TYPES, households=n, seed=5, burn_in_years=0)
    model.hh.level[:] = np.where(np.arange(n)[:, None] < n // 2, 0, 4).astype(np.int8)
    p0 = np.zeros(N_LEVELS)
    p0[0] = p0[4] = 0.5
    high = model.hh.high_risk.copy()
    model.run_years(months / 12)
    df = model.dataframe()
    for d, dn in enumerate(DOMAIN_KEYS):
        shares = [(~high[:, d]).mean(), high[:, d].mean()]
        assert 0.05 < shares[1] < 0.5
        dists = [p0.copy(), p0.copy()]
        P = [model.params.transition_matrix(d, high_risk=t) for t in (False, True)]
        for t in range(months):
            dists = [dist @ Pt for dist, Pt in zip(dists, P)]
            expected = shares[0] * dists[0] + shares[1] * dists[1]
            observed = np.array([df[f"hh__{dn}__{ln}"].iloc[t] for ln in LEVEL_KEYS]) / n
            sigma = np.sqrt(expected * (1 - expected) / n)
            assert (np.abs(observed - expected) <= 4.5 * sigma + 1e-4).all(), (dn, t, observed, expected)


def test_high_risk_chain_has_longer_spells_and_higher_onset():
    p = Parameters.build()
    for d in range(N_DOMAINS):
        low, high = (p.transition_matrix(d, high_risk=t) for t in (False, True))
        assert high[0, 1] > low[0, 1] and high[3, 3] > low[3, 3]
        assert np.allclose(high.sum(axis=1), 1) and (high >= 0).all()


def test_risk_types_follow_the_gaussian_copula():
    """Marginals as given; two domains both high-risk as often as the bivariate normal says."""
    rng = np.random.default_rng(1)
    n, share, rho = 400_000, 0.2, 0.5
    types = draw_risk_types(np.full((n, N_DOMAINS), share), rho, rng)
    assert np.allclose(types.mean(axis=0), share, atol=0.004)
    cut = norm.ppf(share)
    both = multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]]).cdf([cut, cut])
    assert (types[:, 0] & types[:, 1]).mean() == pytest.approx(both, abs=0.003)
    independent = draw_risk_types(np.full((n, 2), share), 0.0, rng)
    assert (independent[:, 0] & independent[:, 1]).mean() == pytest.approx(share ** 2, abs=0.002)


def test_single_parents_get_the_odds_ratio_and_the_share_holds():
    single = np.r_[np.ones(1000, bool), np.zeros(9000, bool)]
    p = high_risk_probability(0.15, 3.0, single)
    assert p.mean() == pytest.approx(0.15, rel=1e-9)
    odds = p / (1 - p)
    assert odds[0] / odds[-1] == pytest.approx(3.0, rel=1e-9)


# ------------------------------------------------------------------ care episodes
def test_episodes_by_hand():
    """One household's work level month by month: bijstand (level >= maatwerk) from month 0 to 14,
    out for 5 months, back (a re-entry within a year), out again at month 47."""
    hh = Table(HOUSEHOLD_COLUMNS, 4)
    hh.append(1, id=np.array([0]))
    work = [3] * 15 + [1] * 5 + [4] * 27 + [0] * 3
    seen = []
    for month, level in enumerate(work):
        hh.level[0, 1] = level
        seen.append(episodes.update(hh, month))
    total = {k: sum(m[k] for m in seen) for k in seen[0]}
    w = "episode__work__"
    assert total[w + "entries"] == 2 and total[w + "reentries_1y"] == 1 and total[w + "exits"] == 2
    assert total[w + "ended_months"] == 15 + 27
    assert total[w + "ended_over_1y"] == 2 and total[w + "ended_over_2y"] == 1
    assert seen[14][w + "stock_over_1y"] == 1 and seen[12][w + "stock_over_1y"] == 0
    assert seen[46][w + "stock_over_2y"] == 1 and seen[44][w + "stock_over_2y"] == 0
    assert all(total[f"episode__{d}__entries"] == 0 for d in ("finance", "youth", "health"))


def test_episode_statistics_match_the_closed_form_two_type_chain():
    """The simulated inflow, spell lengths and re-entry of bijstand and problem debt, with only
    the risk types on, equal what calibration/derive_default_hazards.py computes in closed form
    for the same hazards — the formulas the defaults were fitted with."""
    derive = _derivation()
    model = PreventionModel(ONLY_TYPES, households=30000, seed=2, burn_in_years=20)
    model.run_years(8)
    df = model.dataframe()
    p = model.params
    for name, d in (("finance", 0), ("work", 1)):
        thr = derive.EPISODE_FROM[name]
        share = float(model.hh.high_risk[:, d].mean())
        f_up, f_exit, _ = p.risk_factors[d].astype(float)
        s = derive.mixture(p.up[d], p.down[d], p.recover[d], share, f_up, f_exit, thr)
        e = lambda what: df[f"episode__{name}__{what}"].sum()  # noqa: E731
        n = df["households"].mean()
        assert e("entries") / n / 8 == pytest.approx(s["entries"], rel=0.06), name
        assert e("ended_over_1y") / e("exits") == pytest.approx(s["ended_over_1y"], abs=0.025), name
        assert e("ended_over_2y") / e("exits") == pytest.approx(s["ended_over_2y"], abs=0.025), name
        assert e("reentries_1y") / e("entries") == pytest.approx(s["reentry"], abs=0.025), name
        stock = df[f"episode__{name}__stock"].sum()
        assert df[f"episode__{name}__stock_over_1y"].sum() / stock == pytest.approx(s["stock_over_1y"], abs=0.03)
        assert df[f"episode__{name}__stock_over_5y"].sum() / stock == pytest.approx(s["stock_over_5y"], abs=0.03)


def test_episode_stock_is_the_occupancy_at_and_above_the_episode_level():
    model = PreventionModel({}, households=3000, seed=3, burn_in_years=1)
    model.run_years(2)
    df = model.dataframe()
    for dn, start in zip(DOMAIN_KEYS, (Level.LIGHT, Level.MAATWERK, Level.MAATWERK, Level.MAATWERK)):
        at_or_above = sum(df[f"hh__{dn}__{LEVEL_KEYS[lv]}"] for lv in range(start, N_LEVELS))
        assert (df[f"episode__{dn}__stock"] == at_or_above).all()


# ------------------------------------------------------------------ exposure follows need
def test_children_are_exposed_to_hidden_and_waiting_need_not_only_to_help():
    from sim.model.rules import generations
    model = PreventionModel({}, households=400, seed=4, burn_in_years=0)
    hh, ch = model.hh, model.children
    hh.level[:] = Level.LIGHT
    hh.latent[:] = False
    hh.waiting_since[:] = -1
    hh.latent[::3, 0] = True  # finance need for maatwerk hidden by non-take-up
    hh.waiting_since[1::3, 3] = 7  # a health request waiting at the gate
    before = ch.exposure.copy()
    generations.accumulate_exposure(hh, ch)
    gained = ch.exposure - before
    home = ch.hh
    assert (gained[:, 0] == (home % 3 == 0)).all() and (gained[:, 3] == (home % 3 == 1)).all()
    assert (gained[:, 1:3] == 0).all() and gained.sum() > 0


# ------------------------------------------------------------------ early detection, without the artifact
DETECTION_ONLY = {"switches.latent_demand": False, "switches.capacity": False,
                  "prevention.escalation_reduction": 0.0, "prevention.recovery_boost": 0.0,
                  "prevention.detection_boost": 2.0, "prevention.initial_effectiveness": 1.0}


def test_early_detection_alone_changes_nothing_but_light_support():
    """Known answer: contact that only detects early moves households into light support but
    leaves every problem on its own path (the same draws decide), so entries into maatwerk and
    specialist care, and their stocks, equal the baseline's exactly; only light support grows.
    (Before, a detected household took on the escalation hazard of light support and raised
    maatwerk entries by a fifth.)"""
    runs = {}
    for budget in (0.0, 150.0):
        model = PreventionModel({**DETECTION_ONLY, "levers.prevention.per_household": budget},
                                households=5000, seed=8, burn_in_years=1)
        model.run_years(4)
        runs[budget] = model.dataframe()
    base, detect = runs[0.0], runs[150.0]
    same = [c for c in base.columns if c.startswith(("flow__to_maatwerk", "flow__to_specialist"))
            or (c.startswith("hh__") and c.endswith(("__maatwerk", "__specialist")))]
    assert len(same) == 18 and (base[same].to_numpy() == detect[same].to_numpy()).all()
    light = [f"hh__{d}__light" for d in DOMAIN_KEYS]
    assert (detect[light].sum(axis=1) > base[light].sum(axis=1)).mean() > 0.9
    assert detect["prevention__contacted"].sum() > 0


def test_early_detection_takes_from_those_who_would_stay_and_keeps_their_severity():
    """At the decision boundaries: a contacted emerging household moves up naturally below the
    natural hazard, moves down as it would without contact, and is detected early only with a
    draw from the mass that would have stayed. Once detected it has the emerging level's hazards:
    a draw below them is the severity catching up (an ordinary L2, no request), not a move to L3."""
    from sim.model.rules import hazards
    p = Parameters.build()
    table = p.hazard_table.reshape(N_DOMAINS, N_LEVELS, 3)
    up1, down1 = float(table[0, 1, 0]), float(table[0, 1, 1])
    effect = np.ones((3, N_DOMAINS, N_LEVELS), np.float32)
    effect[0, :, 1] = 3.0  # contact triples the move up from emerging
    level = np.full((5, N_DOMAINS), 1, np.int8, order="F")
    early = np.zeros((5, N_DOMAINS), np.bool_, order="F")
    u = np.full((5, N_DOMAINS), 0.999, np.float32, order="F")
    u[:, 0] = [0.5 * up1, up1 + 0.5 * down1, up1 + down1 + 0.5 * up1, up1 + down1 + 2.5 * up1, 0.999]
    mod = hazards.Modifiers(contact=np.zeros(5, np.int32), contact_effect=effect[None], detected_early=early)
    new, go_up = hazards.transition(level, table, u, mod)
    assert new[:, 0].tolist() == [2, 0, 2, 1, 1]  # natural up, down, detected, stays (beyond 3 x up), stays
    assert early[:, 0].tolist() == [False, False, True, False, False] and go_up[:, 0].tolist()[:3] == [True, False, True]

    # Next month: two at light support, one detected early and one ordinary, with the same draw
    # below the light level's escalation hazard and below the emerging level's up-hazard.
    level = np.full((2, N_DOMAINS), 2, np.int8, order="F")
    early = np.zeros((2, N_DOMAINS), np.bool_, order="F")
    early[0, 0] = True
    draw = 0.5 * min(up1, float(table[0, 2, 0]))
    u = np.full((2, N_DOMAINS), 0.999, np.float32, order="F")
    u[:, 0] = draw
    new, go_up = hazards.transition(level, table, u, hazards.Modifiers(detected_early=early))
    assert new[:, 0].tolist() == [2, 3] and go_up[:, 0].tolist() == [False, True]
    assert not early[0, 0]  # caught up: an ordinary light-support household from now on
    # A detected household whose problem goes away returns to self-reliant, not to emerging.
    early[0, 0], u[0, 0] = True, up1 + 0.5 * down1
    new, _ = hazards.transition(level, table, u, hazards.Modifiers(detected_early=early))
    assert new[0, 0] == 0 and not early[0, 0]


def test_a_high_risk_type_that_would_leave_a_level_with_probability_above_one_is_refused():
    from sim.errors import ConfigError
    with pytest.raises(ConfigError, match=r"heterogeneity.exit_ratio\[1\]"):
        Parameters.build({"heterogeneity.exit_ratio": [0.5, 15.0, 0.5, 0.5]})
    assert Parameters.build({"heterogeneity.exit_ratio": [0.5, 2.0, 0.5, 0.5]})  # faster exits are fine
