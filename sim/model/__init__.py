"""The household model. `PreventionModel` is imported lazily so that sim.params can use the
level definitions without importing the model that reads the parameters."""
from .levels import Domain, Level

__all__ = ["Domain", "Level", "PreventionModel"]


def __getattr__(name):
    if name == "PreventionModel":
        from .model import PreventionModel
        return PreventionModel
    raise AttributeError(name)
