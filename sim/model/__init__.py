from .levels import Domain, Level
from .model import PreventionModel

__all__ = ["Domain", "Level", "PreventionModel"]
