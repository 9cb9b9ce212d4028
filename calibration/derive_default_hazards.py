"""Derive the default monthly escalation hazards from a target stationary occupancy.

The default hazards in sim/params/model.toml are not free guesses: for each domain we choose
(a) the share of households at each level in equilibrium, from the national figures in
domain.md, and (b) how long spells last (de-escalation and recovery rates, assumptions).
Flow balance across each cut between level l and l+1 of the chain then fixes the escalation
rate l -> l+1 exactly:

    pi_l * up_l = pi_{l+1} * down_{l+1} + sum_{m >= max(l+1, 2)} pi_m * recover_m

This is the starting point only: cascades, the gate and demography move the occupancy away
from it, which is what `sim calibrate` corrects. Run: python calibration/derive_default_hazards.py
"""
import numpy as np

# Target occupancy L0..L4 (share of households; youth: of households with children).
#  finance: L2+L3+L4 = 7.5% ~ households with registered problem debt 7.6% (CBS, Oct 2020);
#  work:    L3+L4 = 4.9% ~ 401k bijstand households / 8.2M (CBS 2024/09, end 2023);
#  youth:   L3+L4 = 10.2% of families ~ 10.6% of youth <23 with jeugdhulp (CBS Jeugdmonitor 2024);
#  health:  L3+L4 = 12% ~ 1.165M people with a Wmo maatwerkvoorziening (CBS 2020/19) ~ 1.0M households.
# Spell lengths (1/rate, months) are assumptions, documented in the parameter file.
TARGETS = {
    "finance": dict(pi=[0.845, 0.08, 0.055, 0.016, 0.004], down=[10, 12, 24, 36], rec=[24, 36, 120]),
    "work": dict(pi=[0.84, 0.08, 0.031, 0.034, 0.015], down=[12, 12, 30, 60], rec=[24, 30, 120]),
    "youth": dict(pi=[0.72, 0.10, 0.078, 0.09, 0.012], down=[10, 10, 18, 30], rec=[18, 24, 60]),
    "health": dict(pi=[0.72, 0.10, 0.06, 0.11, 0.01], down=[12, 12, 48, 60], rec=[24, 60, 120]),
}


def escalation_rates(pi, down_months, recover_months):
    pi = np.asarray(pi, float)
    down = 1.0 / np.asarray(down_months, float)  # index 0 is L1 -> L0
    rec = np.r_[0.0, 0.0, 1.0 / np.asarray(recover_months, float)]  # indexed by level
    up = []
    for lv in range(4):
        flow_down = pi[lv + 1] * down[lv] + sum(pi[m] * rec[m] for m in range(max(lv + 1, 2), 5))
        up.append(flow_down / pi[lv])
    return np.array(up), down, rec[2:]


if __name__ == "__main__":
    for name, t in TARGETS.items():
        up, down, rec = escalation_rates(t["pi"], t["down"], t["rec"])
        print(f"{name}: onset={up[0]:.5f} escalate={np.round(up[1:], 5).tolist()} "
              f"deescalate={np.round(down, 5).tolist()} recover={np.round(rec, 5).tolist()}")
