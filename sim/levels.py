"""Life domains and problem levels: the state space every household moves through.

The base module of the package: parameters, model and analysis all import it, and it imports
nothing of theirs."""
from enum import IntEnum


class Domain(IntEnum):
    FINANCE = 0  # money and debt
    WORK = 1  # work and income
    YOUTH = 2  # parenting and youth
    HEALTH = 3  # health and self-care

    @property
    def key(self) -> str:
        return self.name.lower()


class Level(IntEnum):
    SELF_RELIANT = 0  # zelfredzaam
    EMERGING = 1  # risk signals, nobody asks for help yet
    LIGHT = 2  # light support in the voorliggend veld
    MAATWERK = 3  # a formal, individually assessed provision
    SPECIALIST = 4  # heavy or specialist care

    @property
    def key(self) -> str:
        return self.name.lower()


DOMAINS = tuple(Domain)
LEVELS = tuple(Level)
N_DOMAINS = len(DOMAINS)
N_LEVELS = len(LEVELS)
DOMAIN_KEYS = tuple(d.key for d in DOMAINS)
LEVEL_KEYS = tuple(lv.key for lv in LEVELS)

# The same as plain ints, for compiled (numba) kernels, which freeze module globals as constants.
FINANCE, WORK, YOUTH, HEALTH = (int(d) for d in Domain)
SELF_RELIANT, EMERGING, LIGHT, MAATWERK, SPECIALIST = (int(lv) for lv in Level)

# A household is multi-problem when this many domains are at maatwerk or above.
MULTIPROBLEM_DOMAINS = 2

# A care episode in a domain is a spell at or above this level: registered problem debt
# (finance, light support or more, as CBS counts it), bijstand (work), jeugdhulp (youth) and a
# Wmo maatwerkvoorziening (health) at maatwerk or above. Register statistics on inflow, spell
# lengths and re-entry count these episodes (model/episodes.py).
EPISODE_FROM = (LIGHT, MAATWERK, MAATWERK, MAATWERK)
