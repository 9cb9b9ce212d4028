"""PRIM (the Patient Rule Induction Method) on a table of inputs and a yes/no outcome, with the
EMA Workbench's implementation (``ema_workbench.analysis.prim``), and the rule that picks one
box from each peeling trajectory.

What PRIM does: start from the box holding every run; repeatedly peel off the 5% slice (at the
low or high end of one parameter) whose removal raises the share of cases of interest most;
then paste back slices that raise it further. Every step is a box on the *peeling trajectory*,
from "all runs" (coverage 1, density = the base rate) to a small, dense box.

* **coverage**: the share of all cases of interest that fall inside the box;
* **density**: the share of the runs inside the box that are cases of interest;
* **mass**: the share of all runs that fall inside the box.

Which box of the trajectory is reported (a person would pick it on the trade-off chart; a
command needs a rule, so it is written down here and in docs/sensitivity.md):

1. a candidate restricts at least one parameter, has a density of at least ``min_density``, and
   every restriction is significant (the quasi-p value of Bryant & Lempert 2010, which the
   workbench computes, at most ``SIGNIFICANCE``): a restriction that could be chance is no finding;
2. of the candidates, the one with the best balance of coverage and *density gain* is chosen: the
   harmonic mean of the two (an F1 score), where the gain is how far the box's density goes from
   the base rate (the share of cases among all runs) towards 100%. Plain density would reward
   trivial boxes when most runs are cases: with a base rate of 83%, a box of 85% density covering
   98% of the cases has F1 0.91 but a gain of 0.1. Ties go to fewer restricted parameters, then
   to the earlier step.

Several boxes ("covering"): the runs of the chosen box are removed and PRIM looks again, up to
``max_boxes`` times, while cases of interest remain and a candidate exists. Every box's coverage
is a share of *all* cases of interest; its density is over the runs still left when it was found.

PRIM has no randomness: the same table gives the same boxes.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Box", "find_boxes", "SIGNIFICANCE", "PRIM_SETTINGS", "workbench_version"]

SIGNIFICANCE = 0.05
#: The workbench's own defaults, written out so that the summary can record them.
PRIM_SETTINGS = {"peel_alpha": 0.05, "paste_alpha": 0.05, "mass_min": 0.05, "obj_function": "lenient1"}


@dataclass(frozen=True)
class Box:
    """One box: its restrictions, its statistics and the trajectory it was chosen from."""

    number: int  # 1-based, in the order PRIM found them
    limits: dict[str, tuple[float | None, float | None]]  # restricted parameters: (low or None, high or None)
    p_values: dict[str, tuple[float | None, float | None]]  # quasi-p of each restricted side
    coverage: float
    density: float
    mass: float
    runs: int  # runs inside the box
    hits: int  # cases of interest inside the box
    step: int  # the chosen step of the trajectory
    # Every step: PRIM's (step, coverage, density, mass, restricted, runs, hits), the same pruned to
    # significant restrictions (significant_restricted, _coverage, _density), gain, score, candidate, chosen.
    trajectory: pd.DataFrame = field(repr=False)


def _prim_module():
    """The workbench's prim module, imported without its side effects on this process.

    * Its package warns at import that optional extras (ipyparallel for a parallel evaluator,
      altair for interactive plots) are missing; we use neither, so exactly those two warnings
      are silenced.
    * Its plotting module sets seaborn's colour palette in matplotlib's global settings when it
      is imported, which would recolour every chart drawn later in this process (the report's,
      the sweep's): the import runs inside ``rc_context``, which restores the settings after.
    """
    import matplotlib

    try:
        with warnings.catch_warnings(), matplotlib.rc_context():
            warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
            warnings.filterwarnings("ignore", message="altair based interactive", category=ImportWarning)
            from ema_workbench.analysis import prim
    except ImportError as err:
        from ..errors import ConfigError

        raise ConfigError(f"scenario discovery needs the EMA Workbench ({err})",
                          expected="the project's dependencies installed: pip install -e .") from None
    return prim


def workbench_version() -> str:
    from importlib.metadata import version

    return version("ema_workbench")


def find_boxes(inputs: pd.DataFrame, cases, *, min_density: float = 0.5, max_boxes: int = 3) -> list[Box]:
    """PRIM's boxes for ``cases`` (a boolean per row of ``inputs``, the numeric parameters).

    Returns an empty list when the first trajectory has no candidate (see the module's rule);
    the caller says why in words.
    """
    prim = _prim_module()
    x = inputs.astype(float).reset_index(drop=True)
    y = np.asarray(cases, dtype=bool).astype(int)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} rows of inputs but {len(y)} outcomes")
    with warnings.catch_warnings():
        # Prim.__init__ calls DataFrame.drop(inplace=True), which pandas 3 deprecates; the
        # workbench's concern, not a problem in our data.
        warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame.drop is deprecated",
                                module=r"ema_workbench\.")
        finder = prim.Prim(x, y, peel_alpha=PRIM_SETTINGS["peel_alpha"], paste_alpha=PRIM_SETTINGS["paste_alpha"],
                           mass_min=PRIM_SETTINGS["mass_min"])
        boxes: list[Box] = []
        taken = np.zeros(len(y), dtype=bool)  # runs inside the boxes found so far
        while len(boxes) < max_boxes and y[~taken].any():
            found = finder.find_box()
            if found is None:
                break
            chosen = _choose(found, finder.box_init, min_density, number=len(boxes) + 1)
            if chosen is None:
                break
            box, index = chosen
            found.select(index)  # the next box is searched among the runs outside this one
            taken[found.yi] = True
            boxes.append(box)
    return boxes


def _choose(found, box_init: pd.DataFrame, min_density: float, *, number: int) -> Box | None:
    """The chosen box of one trajectory (module docstring), or None when there is no candidate.

    Every step is first pruned to its significant restrictions (:func:`_prune`); the table
    returned with the box holds both: PRIM's own step and what remains of it after pruning.
    """
    pt = found.peeling_trajectory.iloc[: len(found.peeling_trajectory)].copy()  # before pruning adds rows
    rows = []
    for i in range(len(pt)):
        j = _prune(found, i, box_init)
        kept = found.peeling_trajectory.iloc[j]
        limits, _ = _restrictions(found.box_lims[j], box_init, found.p_values[j])
        rows.append({"pruned": j, "significant_restricted": len(limits),
                     "significant_coverage": float(kept["coverage"]), "significant_density": float(kept["density"])})
    table = pd.DataFrame({
        "step": pt["id"].astype(int).to_numpy(),
        "coverage": pt["coverage"].astype(float).to_numpy(),
        "density": pt["density"].astype(float).to_numpy(),
        "mass": pt["mass"].astype(float).to_numpy(),
        "restricted": pt["res_dim"].astype(int).to_numpy(),
        "runs": pt["n"].astype(int).to_numpy(),
        "hits": pt["k"].astype(int).to_numpy(),
    })
    table = pd.concat([table, pd.DataFrame(rows)], axis=1)
    table["candidate"] = (table["significant_restricted"] > 0) & (table["significant_density"] >= min_density)
    base = float(pt["density"].iloc[0])  # the share of cases among all runs PRIM started from
    table["gain"] = _gain(table["significant_density"].to_numpy(), base)
    c, g = table["significant_coverage"].to_numpy(), table["gain"].to_numpy()
    table["score"] = np.where(c + g > 0, 2 * c * g / np.maximum(c + g, 1e-300), 0.0)
    table["candidate"] &= table["gain"] > 0
    candidates = table[table["candidate"]]
    if candidates.empty:
        return None
    # Highest score (rounded, so that float noise does not decide), then fewer restrictions, then earlier.
    order = np.lexsort((candidates["step"].to_numpy(), candidates["significant_restricted"].to_numpy(),
                        -np.round(candidates["score"].to_numpy(), 12)))
    best = candidates.iloc[int(order[0])]
    table["chosen"] = table["step"] == int(best["step"])
    j = int(best["pruned"])
    kept = found.peeling_trajectory.iloc[j]
    limits, p_values = _restrictions(found.box_lims[j], box_init, found.p_values[j])
    return Box(number=number, limits=limits, p_values=p_values, coverage=float(kept["coverage"]),
               density=float(kept["density"]), mass=float(kept["mass"]), runs=int(kept["n"]), hits=int(kept["k"]),
               step=int(best["step"]), trajectory=table.drop(columns="pruned")), j


def _gain(density: np.ndarray, base: float) -> np.ndarray:
    """How far a box's density goes from the base rate towards 100%: 0 for no better than all
    runs, 1 for a box of cases only."""
    if base >= 1:
        return np.where(density >= 1, 1.0, 0.0)
    return (density - base) / (1 - base)


def _prune(found, i: int, box_init: pd.DataFrame) -> int:
    """Step ``i``'s box without the restrictions that could be chance: the least significant one
    (highest quasi-p above SIGNIFICANCE) is dropped, the others' p-values recomputed, and so on.
    Returns the index of the result on the trajectory (the workbench appends a dropped box to it)."""
    j = i
    while True:
        limits, p_values = _restrictions(found.box_lims[j], box_init, found.p_values[j])
        worst = max(((max(1.0 if p is None else p for p, bound in zip(p_values[name], limits[name])
                          if bound is not None), name) for name in limits), default=None)
        if worst is None or worst[0] <= SIGNIFICANCE:
            return j
        found.drop_restriction(worst[1], j)
        j = len(found.box_lims) - 1


def _restrictions(lims: pd.DataFrame, box_init: pd.DataFrame, qp: dict):
    """({parameter: (low, high)}, {parameter: (qp low, qp high)}) of the restricted parameters;
    an unrestricted side is None (the workbench marks it -1)."""
    limits, p_values = {}, {}
    for name in box_init.columns:
        lo, hi = float(lims.loc[0, name]), float(lims.loc[1, name])
        lo0, hi0 = float(box_init.loc[0, name]), float(box_init.loc[1, name])
        low = lo if lo != lo0 else None
        high = hi if hi != hi0 else None
        if low is None and high is None:
            continue
        limits[name] = (low, high)
        sides = qp.get(name, [-1, -1])
        p_values[name] = tuple(float(p) if (bound is not None and p >= 0) else None
                               for p, bound in zip(sides, (low, high)))
    return limits, p_values
