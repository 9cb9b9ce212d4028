"""Derive the default hazards and risk types of each domain from sourced stocks, flows and spells.

The defaults in sim/params/model.toml are not free guesses. For each domain the *plain chain*
(every other mechanism off) is a mixture of two Markov chains, the low-risk type's and the
high-risk type's (docs/odd.md 7.8). Its prevalence, yearly inflow, spell-length distribution
(of ended spells and of the open ones) and re-entry within a year follow from the hazards in
closed form (stationary distribution, absorbing sub-chain, see `mixture`). This script fits the
onset, the three escalation steps, two scales on the exit hazards (below and inside the care
episode), the high-risk share and the two type ratios of each domain to the targets below by weighted least squares, with a weak
prior pulling the escalation steps and the exit scale towards the previous defaults (the data
cannot tell them apart) and a weak prior on the type parameters (else the fit may explain long
spells by making everyone high-risk). It prints the TOML values.

The full model then adds cascades, age, children and inheritance, which raise the hazards of
households with other problems; `FULL_MODEL_FACTOR` divides the stock and inflow targets by how
much higher the full model ran with the plain-chain fit (measured, see docs/calibration.md), so
that the full model lands near the data before `sim calibrate` refines it.
Run: python calibration/derive_default_hazards.py
"""
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sim.params import chain_matrix, chain_stationary  # noqa: E402  (the model's own chain, not a copy)

N_LEVELS = 5

# Previous defaults (homogeneous chain): onset, escalate x3, deescalate x4, recover x3.
PREVIOUS = {
    "finance": ([0.01274], [0.09191, 0.02081, 0.00903], [0.1, 0.08333, 0.04167, 0.02778], [0.04167, 0.02778, 0.00833]),
    "work": ([0.01097], [0.06417, 0.07715, 0.01103], [0.08333, 0.08333, 0.03333, 0.01667], [0.04167, 0.03333, 0.00833]),
    "youth": ([0.02539], [0.16083, 0.11474, 0.00667], [0.1, 0.1, 0.05556, 0.03333], [0.05556, 0.04167, 0.01667]),
    "health": ([0.01771], [0.09417, 0.07014, 0.00227], [0.08333, 0.08333, 0.02083, 0.01667], [0.04167, 0.01667, 0.00833]),
}
EPISODE_FROM = {"finance": 2, "work": 3, "youth": 3, "health": 3}
WORKING_AGE = 0.71  # share of households whose head is below the pension age (the model's age mix)
FAMILIES = 0.32  # share of households with children at home (CBS 71487ned: 31.6%, 1 Jan 2024)
CHILDREN_PER_FAMILY_IN_CARE = 1.25  # 1 + youth.siblings_in_care x (1.76 - 1) children per family
# Full model over plain chain, per domain and statistic, measured with the plain-chain fit
# (20,000 households, year 20, two seeds; docs/calibration.md, "Where the defaults come from").
FULL_MODEL_FACTOR = {"finance": {"prev": 1.342, "flow_2": 1.284, "top": 1.925},
                     "work": {"prev": 1.164, "entries": 1.259, "top": 1.208},
                     "youth": {"prev": 1.4256, "top": 2.03},  # prev: 0.81 measured on the share of children x 1.76 children per family
                     "health": {"prev": 1.044, "top": 1.235}}

# (statistic, value, tolerance) per domain, in the plain chain's own population; sources in
# calibration/targets_nl.csv (the rows named in the comments).
TARGETS = {
    "finance": [("prev", 0.076, 0.015),                        # problem_debt_share
                ("stock_over_1y", 0.75, 0.06),                  # problem_debt_stock_over_1y_share
                ("stock_over_2y", 0.53, 0.07),                  # problem_debt_stock_over_2y_share
                ("flow_2", 9.207e-3, 2.3e-3),                   # debt_requests_per_1000hh_year
                # assumption (the earlier default profile): statutory restructuring (Wsnp) and
                # protective administration, the specialist level, hold ~0.4% of households
                ("top", 0.004, 0.002)],
    "work": [("prev", 0.0489 / WORKING_AGE, 0.0073 / WORKING_AGE),  # bijstand_per_1000hh
             ("entries", 10.1e-3 / WORKING_AGE, 2.0e-3 / WORKING_AGE),  # bijstand_inflow_per_1000hh_year
             ("reentry", 0.234, 0.05),                          # bijstand_reentry_share
             ("stock_over_5y", 0.50, 0.06),                     # bijstand_stock_over_5y_share
             ("ended_over_1y", 0.63, 0.06),                     # bijstand_ended_over_1y_share
             ("ended_over_2y", 0.46, 0.06),                     # bijstand_ended_over_2y_share
             # assumption (the earlier default profile): a third of bijstand households are at the
             # specialist level (long-term, multi-problem, extra support): 1.5% of households
             ("top", 0.015 / WORKING_AGE, 0.005 / WORKING_AGE)],
    # jeugdhulp_share_youth as families in care over families: 0.106 x 0.534 children in care per
    # household / 1.25 children in care per family / 0.32 families per household
    "youth": [("prev", 0.106 * 0.534 / CHILDREN_PER_FAMILY_IN_CARE / FAMILIES, 0.02),
              ("top", 8.16e-3 / 1.1 / FAMILIES, 0.006),         # youth_specialist_per_1000hh
              ("mean_len", 11.9, 3.0)],                         # jeugdhulp_ended_mean_months
    "health": [("prev", 0.11839, 0.018),                        # wmo_maatwerk_per_1000hh
               # specialist share: Wmo accommodation and shelter (verblijf en opvang), 47,775 of
               # 1,220,910 clients in 2020 (CBS, Monitor Langdurige Zorg) = 3.9% of clients
               ("top", 0.11839 * 47775 / 1220910, 0.003)],
}
FIXED_TYPES = {"health": (0.1, 3.0, 0.5)}  # no flow or spell data: share, up_ratio, exit_ratio kept


def one_type(P, thr, horizon=600):
    pi = chain_stationary(P)
    inside = np.arange(N_LEVELS) >= thr
    Q, R = P[np.ix_(inside, inside)], P[np.ix_(inside, ~inside)]
    v = np.zeros(inside.sum())
    v[0] = 1.0
    surv, exit_dist = [], np.zeros((~inside).sum())
    for _ in range(horizon + 1):  # survival P(T > k) of an episode that starts at level thr
        surv.append(v.sum())
        exit_dist += v @ R
        v = v @ Q
    w, back = exit_dist / max(exit_dist.sum(), 1e-300), 0.0
    for _ in range(12):  # back inside within 12 months of the exit
        back += (w @ P[np.ix_(~inside, inside)]).sum()
        w = w @ P[np.ix_(~inside, ~inside)]
    return pi, np.array(surv), back


def mixture(up, down, rec, share, up_ratio, exit_ratio, thr):
    """Yearly and spell statistics of the two-type chain of one domain."""
    d2, r2 = down * exit_ratio, rec * exit_ratio
    up2 = np.clip(np.minimum(up * up_ratio, 1 - d2 - r2), 0, None)
    stats = [one_type(chain_matrix(u, d, r), thr) + (u,) for u, d, r in ((up, down, rec), (up2, d2, r2))]
    w = np.array([1 - share, share])
    pi = sum(wi * s[0] for wi, s in zip(w, stats))
    ent = np.array([wi * s[0][thr - 1] * s[3][thr - 1] for wi, s in zip(w, stats)])
    # An episode that began k months ago is open with probability surv[k] (k = 0 this month),
    # and one that ends after T months lasted more than k with probability surv[k].
    surv = (ent[0] * stats[0][1] + ent[1] * stats[1][1]) / ent.sum()
    open_mass = surv
    return {"prev": pi[thr:].sum(), "top": pi[-1], "entries": 12 * ent.sum(),
            "flow_2": 12 * sum(wi * s[0][2] * s[3][2] for wi, s in zip(w, stats)),
            "ended_over_1y": surv[12], "ended_over_2y": surv[24], "mean_len": surv.sum(),
            "stock_over_1y": open_mass[13:].sum() / open_mass.sum(),
            "stock_over_2y": open_mass[25:].sum() / open_mass.sum(),
            "stock_over_5y": open_mass[61:].sum() / open_mass.sum(),
            "reentry": (ent[0] * stats[0][2] + ent[1] * stats[1][2]) / ent.sum(), "pi": pi}


def unpack(x, name):
    """x: log onset, log factors on the three escalation steps, log scales on the exit hazards
    below and inside the episode, then (unless fixed) logit share, log(up_ratio - 1), logit
    exit_ratio."""
    onset, esc, down, rec = (np.asarray(a, float) for a in PREVIOUS[name])
    up = np.r_[np.exp(x[0]), esc * np.exp(x[1:4]), 0.0]
    inside = np.arange(N_LEVELS) >= EPISODE_FROM[name]
    scale = np.where(inside, np.exp(x[5]), np.exp(x[4]))
    down, rec = np.r_[0.0, down] * scale, np.r_[0.0, 0.0, rec] * scale
    if name in FIXED_TYPES:
        share, up_ratio, exit_ratio = FIXED_TYPES[name]
    else:
        share, up_ratio, exit_ratio = 1 / (1 + np.exp(-x[6])), 1 + np.exp(x[7]), 1 / (1 + np.exp(-x[8]))
    return up, down, rec, share, up_ratio, exit_ratio


def fit(name):
    factor = FULL_MODEL_FACTOR[name]
    fixed = name in FIXED_TYPES

    def residuals(x):
        up, down, rec, share, up_ratio, exit_ratio = unpack(x, name)
        # Weak priors: escalation and exit scales near the previous ones, a high-risk share near
        # 15% and an up-ratio near 3, which the data alone cannot pin down. Without spell data
        # (health) the exit scales are held near the assumed profile.
        exit_sd = 0.2 if fixed else 1.0
        prior = np.r_[x[1:4], x[4:6] / exit_sd,
                      [] if fixed else x[6:] - [np.log(0.15 / 0.85), np.log(2.0), 0.0]]
        if (up + down + rec > 1).any() or (up * up_ratio + (down + rec) * exit_ratio > 1).any():
            return np.full(len(TARGETS[name]) + len(prior), 1e3)
        s = mixture(up, down, rec, share, up_ratio, exit_ratio, EPISODE_FROM[name])
        res = [(s[k] - v / factor.get(k, 1.0)) / t for k, v, t in TARGETS[name]]
        return np.r_[res, prior]

    x0 = np.r_[np.log(PREVIOUS[name][0][0]) - 0.5, 0, 0, 0, 0, 0]
    if not fixed:
        x0 = np.r_[x0, np.log(0.15 / 0.85), np.log(3.0), 0.0]
    return least_squares(residuals, x0, method="trf")


if __name__ == "__main__":
    for name in PREVIOUS:
        sol = fit(name)
        up, down, rec, share, up_ratio, exit_ratio = unpack(sol.x, name)
        s = mixture(up, down, rec, share, up_ratio, exit_ratio, EPISODE_FROM[name])
        print(f"[{name}] onset={up[0]:.5f} escalate={np.round(up[1:4], 5).tolist()} "
              f"deescalate={np.round(down[1:], 5).tolist()} recover={np.round(rec[2:], 5).tolist()}")
        print(f"    high_risk_share={share:.3f} up_ratio={up_ratio:.2f} exit_ratio={exit_ratio:.3f}")
        factor = FULL_MODEL_FACTOR[name]
        print("    " + ", ".join(f"{k} {s[k]:.4g} (data {v:.4g}, aimed at {v / factor.get(k, 1.0):.4g} in the plain chain)"
                                for k, v, _ in TARGETS[name]))
