"""presence.view.normalise: spending in proportion, on a crafted table and on the shipped one."""
import pandas as pd
import pytest

from presence.record.dataset import load_dataset
from presence.view import normalise
from presence.view.filters import Filters


def crafted() -> pd.DataFrame:
    rows = [
        ("AAA", 2020, "milex_share_gdp", 1.5, "percent_of_gdp", "s-share"),
        ("AAA", 2020, "milex_usd", 200_000_000.0, "usd_current", "s-usd"),
        ("AAA", 2020, "population", 4_000_000.0, "persons", "s-pop"),
        ("AAA", 2021, "milex_usd", 300_000_000.0, "usd_current", "s-usd"),  # no population
        ("BBB", 2021, "milex_share_gdp", 2.25, "percent_of_gdp", "s-share"),
        ("BBB", 2021, "population", 1_000_000.0, "persons", "s-pop"),       # no spending
        ("BBB", 2022, "milex_share_gdp", 2.5, "percent_of_gdp", "s-share"),
        ("BBB", 2022, "milex_share_gdp", 2.4, "percent_of_gdp", "s-other"),  # second source
    ]
    frame = pd.DataFrame(rows, columns=["country", "year", "indicator", "value", "unit",
                                        "source_id"])
    return frame.assign(note="")


def test_share_of_gdp_is_the_published_value_and_keeps_two_sources_apart():
    out = normalise.normalised(crafted(), "share_gdp")
    assert list(zip(out.country, out.year, out.value, out.source_id)) == [
        ("AAA", 2020, 1.5, "s-share"), ("BBB", 2021, 2.25, "s-share"),
        ("BBB", 2022, 2.4, "s-other"), ("BBB", 2022, 2.5, "s-share")]


def test_per_person_needs_both_series_and_divides_them():
    out = normalise.normalised(crafted(), "per_capita")
    # 2021 for AAA lacks a population and BBB lacks spending: left out, not filled in
    assert list(zip(out.country, out.year)) == [("AAA", 2020)]
    assert out.value.iloc[0] == 50.0
    assert (out.source_id.iloc[0], out.population_source_id.iloc[0]) == ("s-usd", "s-pop")


def test_filters_narrow_countries_and_years():
    out = normalise.normalised(crafted(), "share_gdp", countries=("BBB",), first_year=2022)
    assert set(out.year) == {2022} and set(out.country) == {"BBB"}
    assert normalise.normalised(crafted(), "share_gdp", countries=("ZZZ",)).empty


def test_an_unknown_basis_is_a_named_error():
    with pytest.raises(normalise.UnknownBasis, match="constant"):
        normalise.normalised(crafted(), "constant")


@pytest.fixture(scope="module")
def shipped():
    return load_dataset()


def test_every_shipped_indicator_cites_a_dataset_source_with_url_and_date(shipped):
    sources = shipped.sources.set_index("source_id")
    cited = sources.loc[shipped.indicators.source_id.unique()]
    assert (cited.kind == "dataset").all()
    assert cited.url.str.startswith("https://github.com/open-numbers/").all()
    assert cited.published.notna().all() and (cited.title != "").all()


@pytest.mark.parametrize("country, year, indicator, value", [
    # read in the open-numbers WDI files at commit 01a34e8 (see sources.csv)
    ("ALB", 2023, "milex_share_gdp", 1.74399),
    ("XKX", 2008, "milex_share_gdp", 0.0163),
    ("SRB", 2023, "milex_usd", 2135767103.37299),
    ("HRV", 1992, "milex_usd", 36272977.87139),
    ("MNE", 2023, "population", 623529),
    ("BIH", 2002, "population", 4188002),
])
def test_shipped_values_are_as_the_source_gives_them(shipped, country, year, indicator, value):
    i = shipped.indicators
    row = i[(i.country == country) & (i.year == year) & (i.indicator == indicator)]
    assert row.value.tolist() == [value]


def test_shipped_usd_figures_agree_with_sipri_figures_recorded_from_other_sources(shipped):
    """Two routes to one SIPRI number: the press reports of SIPRI's 2023 figures in
    budgets.csv (rounded to millions) and the World Bank's copy must agree."""
    b = shipped.budgets
    reported = b[(b.measure == "sipri_expenditure") & (b.currency == "USD") & (b.year == 2023)]
    i = shipped.indicators
    wdi = i[(i.indicator == "milex_usd") & (i.year == 2023)].set_index("country").value
    assert len(reported) >= 4
    for row in reported.itertuples():
        assert abs(wdi[row.country] - row.amount) / row.amount < 0.01, row.country


def test_per_person_on_the_shipped_record_is_plausible_and_filtered(shipped):
    out = normalise.for_filters(shipped, Filters(hosts=("XKX",)), "per_capita")
    assert set(out.country) == {"XKX"} and out.year.min() == 2008
    assert out.set_index("year").value[2023] == pytest.approx(133185465.92279 / 1682668)
    assert out.outlet.str.contains("World Bank").all()
