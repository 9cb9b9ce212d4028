"""Calibration: targets as data, history matching + ABC rejection, fit report, CBS fetch.

    from sim.calibrate import history_match, fit_report, load_targets
    res = history_match(simulate, priors, load_targets("calibration/targets_nl.csv"),
                        n_per_wave=256, waves=4, replications=3, seed=1)
    res.save("calibration/")            # plausible.csv, posterior.csv, history.parquet, config JSON
    fit_report(res, None, "calibration/")  # fit.csv, fit.png

The method: sim/calibrate/method.py runs the waves on :mod:`sim.run.executor`; priors.py,
design.py (Sobol points, boxes, seeds), scoring.py (implausibility, ABC) and result.py are its
parts. From the command line: ``sim calibrate calibration/calibrate-nl.toml`` (config:
sim/calibrate/config.py, its [priors] table config_priors.py, the model fingerprint
fingerprint.py; run, store, check and outputs: sim/calibrate/run.py; the model as simulator:
sim/calibrate/simulate.py). See docs/calibration.md.
"""
from .cbs import fetch_municipality_targets
from .method import evaluate, history_match
from .priors import Prior, priors_from_params
from .report import fit_report, fit_table
from .result import METHOD_NAME, CalibrationResult, load_result
from .scoring import implausibility
from .statistics import STATISTICS, model_statistics
from .targets import TARGET_COLUMNS, load_targets, merge_targets, validate_targets, write_targets

__all__ = [
    "METHOD_NAME", "CalibrationResult", "Prior", "evaluate", "history_match", "implausibility",
    "load_result", "priors_from_params", "fit_report", "fit_table", "fetch_municipality_targets",
    "STATISTICS", "model_statistics", "TARGET_COLUMNS", "load_targets", "merge_targets",
    "validate_targets", "write_targets",
]
