"""Where the calibration's posterior used to be read; it is read by the parameter layer now
(`sim/params/posterior.py`), so running an experiment does not import the calibration. Kept so
that `sim.calibrate.posterior` imports keep working."""
from ..params.posterior import POSTERIOR_FILE, ParameterDraws, parameter_draws, read_posterior, row_overrides

__all__ = ["POSTERIOR_FILE", "ParameterDraws", "parameter_draws", "read_posterior", "row_overrides"]
