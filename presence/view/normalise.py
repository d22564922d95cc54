"""Budgets in proportion: military spending as a share of GDP and per person.

A nominal budget says little across seven states of very different size and over
thirty years of inflation. What this module offers is only what a public series
lets it say, from data/indicators.csv (the World Bank's copies of SIPRI's figures and
its population series):

- share of GDP: the published ratio, as published (never recomputed from two series
  whose definitions of GDP or of the year might differ);
- per person: SIPRI's spending in current US dollars divided by the same year's
  population, both sourced; a year lacking either is left out, not filled in;
- constant prices: not offered. The record holds no SIPRI constant-dollar series
  and no deflator, and a conversion the record cannot cite is not made.

Pure functions, frame in, frame out: the Budgets page and tests call them alike.
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from presence.record.dataset import Dataset
from presence.view.filters import Filters
from presence.view.query import SOURCE_COLS, SOURCE_RENAME, country_names


class Basis(NamedTuple):
    """One way of showing spending: what it is called, its unit, and what it rests on."""

    label: str
    title: str
    unit: str
    basis: str  # the sentence a chart's caption carries


BASES: dict[str, Basis] = {
    "share_gdp": Basis(
        "Share of GDP", "Military expenditure as a share of GDP", "% of GDP",
        "Military expenditure as a share of GDP, as published by the World Bank from "
        "SIPRI's Military Expenditure Database (WDI MS.MIL.XPND.GD.ZS)."),
    "per_capita": Basis(
        "Per person", "Military expenditure per person", "USD per person (current prices)",
        "SIPRI military expenditure in current US dollars (WDI MS.MIL.XPND.CD) divided "
        "by the same year's population (WDI SP.POP.TOTL); current dollars, so not "
        "adjusted for inflation."),
}
# Why there is no constant-price basis: said on the page, so a reader knows it was asked.
NO_CONSTANT_PRICES = ("Constant prices are not offered: the record holds no sourced "
                      "deflator or SIPRI constant-dollar series, and a conversion it "
                      "cannot cite is not made.")


class UnknownBasis(ValueError):
    """A basis this module does not compute (only those in BASES are)."""


def normalised(indicators: pd.DataFrame, basis: str, countries: tuple[str, ...] = (),
               first_year: int | None = None, last_year: int | None = None) -> pd.DataFrame:
    """One row per country and year: `value` in the basis's unit, with its source(s).

    Columns: country, year, value, source_id (the spending series' source) and
    population_source_id (per person only, else empty). `countries` empty means all.
    Where the table holds two sources for one country, year and indicator, each
    stays a row (disagreement is shown, not averaged)."""
    if basis not in BASES:
        raise UnknownBasis(f"unknown basis {basis!r}; known: {', '.join(BASES)}")
    rows = indicators
    if countries:
        rows = rows[rows.country.isin(countries)]
    if first_year is not None:
        rows = rows[rows.year >= first_year]
    if last_year is not None:
        rows = rows[rows.year <= last_year]
    keep = ["country", "year", "value", "source_id"]
    if basis == "share_gdp":
        out = rows[rows.indicator == "milex_share_gdp"][keep].assign(population_source_id="")
    else:
        spending = rows[rows.indicator == "milex_usd"][keep]
        people = rows[rows.indicator == "population"][["country", "year", "value", "source_id"]]
        people = people.rename(columns={"value": "population",
                                        "source_id": "population_source_id"})
        both = spending.merge(people, on=["country", "year"], how="inner")
        both = both[both.population > 0]
        out = both.assign(value=both.value / both.population)[
            keep + ["population_source_id"]]
    out = out.astype({"year": "int64", "value": "float64"})
    return out.sort_values(["country", "year", "source_id"]).reset_index(drop=True)


def for_filters(ds: Dataset, f: Filters, basis: str) -> pd.DataFrame:
    """`normalised` under the page's filters, with country names and source details
    (outlet, title, url, source_published) for hover text, captions and exports."""
    out = normalised(ds.indicators, basis, f.countries,
                     f.start.year if f.start else None, f.end.year if f.end else None)
    out["country_name"] = out.country.map(country_names(ds))
    src = ds.sources[SOURCE_COLS].rename(columns=SOURCE_RENAME)
    return out.merge(src, on="source_id", how="left")


def countries_with_data(ds: Dataset, basis: str, measure: str | None = None) -> list[str]:
    """Names of the countries a basis has any figure for, to suggest on an empty view.

    "nominal" means the budgets table itself (of one measure, or any)."""
    if basis == "nominal":
        budgets = ds.budgets if not measure else ds.budgets[ds.budgets.measure == measure]
        codes = budgets.country.unique()
    else:
        codes = normalised(ds.indicators, basis).country.unique()
    names = country_names(ds)
    return sorted(names.get(c, c) for c in codes)
