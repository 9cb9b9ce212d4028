"""The levels as the model's rules import them: the definitions live in `sim/levels.py`, the
base module every layer may import (parameters, model, analysis), so no arrow runs up from the
parameters to the model."""
from ..levels import (
    DOMAIN_KEYS, DOMAINS, EMERGING, EPISODE_FROM, FINANCE, HEALTH, LEVEL_KEYS, LEVELS, LIGHT, MAATWERK,
    MULTIPROBLEM_DOMAINS, N_DOMAINS, N_LEVELS, SELF_RELIANT, SPECIALIST, WORK, YOUTH, Domain, Level,
)

__all__ = ["DOMAIN_KEYS", "DOMAINS", "EMERGING", "EPISODE_FROM", "FINANCE", "HEALTH", "LEVEL_KEYS", "LEVELS",
           "LIGHT", "MAATWERK", "MULTIPROBLEM_DOMAINS", "N_DOMAINS", "N_LEVELS", "SELF_RELIANT", "SPECIALIST",
           "WORK", "YOUTH", "Domain", "Level"]
