"""Experiment configs: TOML in, a validated `Experiment` out, or a ConfigError naming the
file, the key, the line, what was found and what was expected — before any work starts."""
from .experiment import Experiment, Scenario, load, load_dict, parse_set

__all__ = ["Experiment", "Scenario", "load", "load_dict", "parse_set"]
