"""The cost book: every euro of a month, booked to a budget line and a payer.

Three sources, nothing else: households at a level of a domain (unit cost per household-year
from sim/params/costs.toml; for youth maatwerk and specialist care, per child in care), the
voorliggend-veld investment (the generic lever, booked to its funder, and the catalogue
interventions, booked to their payers), and the gate's consultants (FTE x
cost per FTE, implementation staff). Columns of the
book are `params.accounts`, pairs of (budget line, payer).

Prices set euros and nothing else: no rule reads a `costs.*` parameter. A run therefore keeps
what each month's euros were computed from (`MonthCosts`, its ledger), and `reprice` books the
same months at other prices, with the numbers a simulation at those prices gives, bit for bit
(tests/test_reprice.py): a sweep row that varies only a price is not simulated again.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..outcomes import GENERATIONS, cost_column
from ..params import INVESTMENT_LINE, STAFF_LINE


@dataclass(frozen=True)
class MonthCosts:
    """What one month's euros are computed from, whatever the prices."""

    payable: np.ndarray  # [generation, domain, level]: households, or children in care (reporters.census)
    investment_per_year: float  # the generic lever's budget this year
    staff_fte: float  # the gate's own consultants
    programme_spend: dict  # payer -> this month's catalogue spending

    @property
    def nbytes(self) -> int:
        return self.payable.nbytes + 64 * (3 + len(self.programme_spend))


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


def generation_costs(payable: np.ndarray, params) -> np.ndarray:
    """Euros of one month by generation (the unit costs of all payers), from `payable`
    [generation, domain, level]."""
    return np.einsum("gdl,dl->g", payable, params.unit_cost.sum(axis=2)) / 12.0


def month_euros(month: MonthCosts, params) -> np.ndarray:
    """The month's book at `params`' prices."""
    return book(month.payable.sum(axis=0), params, investment_per_year=month.investment_per_year,
                staff_fte=month.staff_fte, programme_spend=month.programme_spend)


def reprice(frame, ledger: list[MonthCosts], params):
    """A run's monthly outputs (`PreventionModel.dataframe()`) with its euros booked at `params`'
    prices, from the run's ledger (one `MonthCosts` per reported month); every other column is
    left as it is. `params` must differ from the run's only in prices (`costs.*`)."""
    if len(ledger) != len(frame):
        raise ValueError(f"a ledger of {len(ledger)} months for a run of {len(frame)}")
    out = frame.copy()
    if not len(ledger):
        return out
    out[[cost_column(line, payer) for line, payer in params.accounts]] = np.array(
        [month_euros(month, params) for month in ledger])
    out[[f"gen{g}__cost" for g in GENERATIONS]] = np.array(
        [generation_costs(month.payable, params) for month in ledger])
    return out
