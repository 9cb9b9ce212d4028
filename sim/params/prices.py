"""One price year for every euro: the Dutch CPI brings other years' figures to it.

A cost from `year` in euros becomes `euros * cpi(price_year) / cpi(year)`. US dollar figures
(WSIPP) are first indexed with the US CPI-U to a year with a known exchange rate, then turned
into euros at that year's average rate. Years outside the tables are refused, never guessed.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from ..errors import ConfigError


@lru_cache(maxsize=1)
def _tables() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("prices.toml").read_text("utf-8"))


def price_year() -> int:
    return int(_tables()["price_year"]["value"])


@lru_cache(maxsize=None)
def cpi(year: int) -> float:
    """The Dutch CPI as a level with 2015 = 100, chained from the yearly changes."""
    change = {int(y): float(v) for y, v in _tables()["cpi_change"]["value"].items()}
    first, last = min(change) - 1, max(change)
    if not first <= year <= last:
        raise ConfigError("no consumer price index for this year", key="price_year", found=year,
                          expected=f"a year from {first} to {last} (sim/params/prices.toml)")
    level = 100.0
    if year >= 2015:
        for y in range(2016, year + 1):
            level *= 1.0 + change[y] / 100.0
    else:
        for y in range(2015, year, -1):
            level /= 1.0 + change[y] / 100.0
    return level


def index_factor(year: int) -> float:
    """Multiply euros of `year` by this to get euros of the model's price year."""
    return cpi(price_year()) / cpi(int(year))


def to_model_prices(euros: float, year: int) -> float:
    return float(euros) * index_factor(year)


def usd_to_model_euros(dollars: float, year: int) -> float:
    """US dollars of `year` -> euros of the model's price year (via the US CPI-U and the
    exchange rate of the latest year both tables have)."""
    t = _tables()
    us = {int(y): float(v) for y, v in t["us_cpi_u"]["value"].items()}
    fx = {int(y): float(v) for y, v in t["usd_per_eur"]["value"].items()}
    if int(year) not in us:
        raise ConfigError("no US price index for this year", key="price_year", found=year,
                          expected=f"one of {sorted(us)} (sim/params/prices.toml)")
    bridge = max(set(us) & set(fx))
    euros = dollars * us[bridge] / us[int(year)] / fx[bridge]
    return to_model_prices(euros, bridge)
