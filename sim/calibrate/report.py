"""Fit report: every target against what the calibrated parameter sets produce.

``fit.csv`` has the columns ``target, kind, observed, simulated_mean, simulated_p05,
simulated_p95, tolerance, within, observed_in_widened_band``. The simulated columns summarise,
over the posterior sets (or the plausible sets when the ABC step accepted none), each set's
replication-mean of the target's statistic. ``kind`` groups the targets: stock, flow (inflow,
requests, re-entry), duration (spell lengths), cost, structure (demography, piling up).

``within`` is the criterion every used target must meet: the posterior's mean lies within one
tolerance of the observed value. ``observed_in_widened_band`` is the looser question whether
the observed value lies in the simulated 90% band ``[p05 - tolerance, p95 + tolerance]``,
i.e. whether some calibrated set *can* produce it; it is reported, not used to pass a target.

The chart (``fit.png``) puts every target on one standardised axis, (simulated - observed) /
tolerance, grouped by kind, so figures in euros, shares, months and counts can be read
together: the bar is the p05-p95 interval, the dot the mean, the grey band +-1 tolerance and
the dotted lines the implausibility cutoff.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .targets import validate_targets

__all__ = ["FIT_COLUMNS", "fit_table", "fit_report"]

FIT_COLUMNS = ("target", "kind", "observed", "simulated_mean", "simulated_p05", "simulated_p95", "tolerance", "within",
               "observed_in_widened_band")
KINDS = ("stock", "flow", "duration", "cost", "structure")


def target_kind(statistic: str) -> str:
    """Which kind of figure a statistic is, for grouping the report."""
    if statistic.startswith("cost_"):
        return "cost"
    if any(k in statistic for k in ("_over_", "_months")):
        return "duration"
    if any(k in statistic for k in ("inflow", "requests", "reentry")):
        return "flow"
    if any(k in statistic for k in ("care_laws", "under_23", "intergen")):
        return "structure"
    return "stock"


def _sets(result) -> tuple[pd.DataFrame, str]:
    post = result.posterior
    if len(post):
        return post, f"posterior ({len(post)} sets)"
    plaus = result.plausible
    if len(plaus):
        return plaus, f"plausible ({len(plaus)} sets; ABC accepted none)"
    final = result.history[result.history["wave"] == result.final_wave]
    return final, f"final wave ({len(final)} sets; none non-implausible)"


def fit_table(result, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``fit.csv`` table; ``targets`` defaults to the ones the result was calibrated on.

    Another targets table may be passed (e.g. a municipality's figures) as long as its
    statistics were simulated (``sim__<statistic>`` columns exist).
    """
    t = validate_targets(targets if targets is not None else result.targets)
    sets, _ = _sets(result)
    rows = []
    for _, row in t.iterrows():
        col = f"sim__{row['statistic']}"
        if col not in sets.columns:
            raise KeyError(f"target {row['name']!r}: statistic {row['statistic']!r} was not simulated")
        x = sets[col].to_numpy(float)
        x = x[np.isfinite(x)]
        if len(x):
            mean, p05, p95 = float(x.mean()), float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))
        else:
            mean = p05 = p95 = float("nan")
        tol, obs = float(row["tolerance"]), float(row["value"])
        rows.append({"target": row["name"], "kind": target_kind(row["statistic"]), "observed": obs,
                     "simulated_mean": mean, "simulated_p05": p05, "simulated_p95": p95, "tolerance": tol,
                     "within": bool(len(x)) and abs(mean - obs) <= tol,
                     "observed_in_widened_band": bool(len(x)) and (p05 - tol) <= obs <= (p95 + tol)})
    table = pd.DataFrame(rows, columns=list(FIT_COLUMNS))
    order = table["kind"].map({k: i for i, k in enumerate(KINDS)})
    return table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def fit_report(result, targets: pd.DataFrame | None, out_dir: str | Path, *, cutoff: float | None = None,
               prefix: str = "") -> dict[str, Path]:
    """Write ``fit.csv`` and ``fit.png`` to ``out_dir``; return their paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t = validate_targets(targets if targets is not None else result.targets)
    table = fit_table(result, t)
    csv_path = out / f"{prefix}fit.csv"
    table.to_csv(csv_path, index=False)

    _, which = _sets(result)
    cutoff = float(cutoff if cutoff is not None else result.config.get("cutoff", 3.0))
    units = dict(zip(t["name"], t["unit"]))
    n = len(table)
    fig, ax = plt.subplots(figsize=(9, 0.55 * n + 1.8))
    y = np.arange(n)[::-1]
    z = lambda v, r: (v - r["observed"]) / r["tolerance"]  # noqa: E731
    ax.axvspan(-1, 1, color="0.88", label="±1 tolerance")
    ax.axvline(0, color="k", lw=1)
    for c in (-cutoff, cutoff):
        ax.axvline(c, color="0.4", ls=":", lw=1)
    lim = cutoff + 1
    for yi, (_, r) in zip(y, table.iterrows()):
        lo_, hi_, m = z(r["simulated_p05"], r), z(r["simulated_p95"], r), z(r["simulated_mean"], r)
        color = "tab:blue" if r["within"] else "tab:red"
        clip = lambda v: float(np.clip(v, -lim * 1.5, lim * 1.5)) if np.isfinite(v) else np.nan  # noqa: E731
        ax.plot([clip(lo_), clip(hi_)], [yi, yi], color=color, lw=3, solid_capstyle="butt")
        ax.plot([clip(m)], [yi], "o", color=color)
        lim = max(lim, min(abs(np.nan_to_num(lo_)), 10), min(abs(np.nan_to_num(hi_)), 10))
    labels = [f"[{r['kind']}] {r['target']}\nobs {r['observed']:.4g} {units.get(r['target'], '')}"
              for _, r in table.iterrows()]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(-lim * 1.1, lim * 1.1)
    ax.set_xlabel("(simulated − observed) / tolerance\nbar: p05–p95 over sets, dot: mean; red: mean more than one tolerance off")
    ax.set_title(f"Calibration fit — {which}; dotted: implausibility cutoff ±{cutoff:g}", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    png_path = out / f"{prefix}fit.png"
    fig.savefig(png_path, dpi=120)
    plt.close(fig)
    return {"csv": csv_path, "png": png_path}
