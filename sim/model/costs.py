"""The cost book: every euro of a month, booked to a budget line and a payer.

Three sources, nothing else: households at a level of a domain (unit cost per household-year
from sim/params/costs.toml; for youth maatwerk and specialist care, per child in care), the
voorliggend-veld investment (the generic lever, booked to its funder, and the catalogue
interventions, booked to their payers), and the gate's consultants (FTE x
cost per FTE, implementation staff). Columns of the
book are `params.accounts`, pairs of (budget line, payer).
"""
from __future__ import annotations

import numpy as np

from ..params import INVESTMENT_LINE, STAFF_LINE


def book(counts: np.ndarray, params, *, investment_per_year: float, staff_fte: float,
         programme_spend: dict | None = None) -> np.ndarray:
    """Euros of one month per account; `counts` [domain, level] are what the unit costs are per
    (households, or children in care for youth maatwerk and above: reporters.census 'payable');
    `programme_spend` is this month's catalogue spending by payer (rules/programmes.py)."""
    euros = np.einsum("dl,dla->a", counts.astype(float), params.unit_cost) / 12.0
    euros[params.accounts.index((INVESTMENT_LINE, params.budget.funder))] += investment_per_year / 12.0
    for payer, amount in (programme_spend or {}).items():
        euros[params.accounts.index((INVESTMENT_LINE, payer))] += amount
    euros[params.accounts.index((STAFF_LINE, "municipality"))] += staff_fte * params["gate.cost_per_fte"] / 12.0
    return euros
