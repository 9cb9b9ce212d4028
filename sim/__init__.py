"""Prevention in the Dutch social domain: who pays, who saves, and when — an agent-based model.

Public API for notebooks:
    run_experiment(config)  -> results folder (config: a TOML path, a dict or an Experiment)
    load_results(path)      -> dict of pandas objects (manifest, timeseries, summary, ...)
    PreventionModel         -> the Mesa model itself
"""
__version__ = "0.1.0"

__all__ = ["run_experiment", "load_results", "PreventionModel", "__version__"]


def __getattr__(name):
    if name in ("run_experiment", "load_results"):
        from .run import experiment
        return getattr(experiment, name)
    if name == "PreventionModel":
        from .model.model import PreventionModel
        return PreventionModel
    raise AttributeError(name)
