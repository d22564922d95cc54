import datetime as dt

from presence.view.filters import Filters, from_query


def test_round_trip_through_the_url():
    f = Filters(missions=("KFOR", "EUFOR-ALTHEA"), hosts=("XKX",), contributors=("ITA", "USA"),
                start=dt.date(2010, 1, 1), end=dt.date(2020, 12, 31))
    q = f.to_query()
    assert q == {"mission": "KFOR,EUFOR-ALTHEA", "host": "XKX", "contributor": "ITA,USA",
                 "from": "2010-01-01", "to": "2020-12-31"}
    assert from_query(q) == f


def test_empty_filters_make_an_empty_query():
    assert Filters().to_query() == {}
    assert "no filters" in Filters().describe()


def test_bad_link_parts_are_dropped_and_reported():
    f = from_query({"mission": "kfor,NOPE", "host": "XKX,ZZZ", "from": "2020-31-12",
                    "to": "2001-01-01"}, missions={"KFOR"}, countries={"XKX"})
    assert f.missions == ("KFOR",)
    assert f.hosts == ("XKX",)
    assert f.start is None and f.end == dt.date(2001, 1, 1)
    assert any("NOPE" in d for d in f.dropped) and any("ZZZ" in d for d in f.dropped)
    assert any("from=2020-31-12" in d for d in f.dropped)


def test_swapped_dates_are_put_right():
    f = from_query({"from": "2020-01-01", "to": "2010-01-01"})
    assert f.start == dt.date(2010, 1, 1) and f.end == dt.date(2020, 1, 1)


def test_describe_names_countries():
    f = Filters(hosts=("XKX",))
    assert f.describe({"XKX": "Kosovo"}) == "host: Kosovo"


def test_embed_mode_keys_are_not_reported_as_ignored():
    """An embed code's link adds Streamlit's `embed` and `embed_options`: the filters
    read around them and say nothing was ignored."""
    f = from_query({"mission": "KFOR", "embed": "true", "embed_options": ["light_theme",
                                                                          "show_padding"]},
                   missions={"KFOR"}, countries={"XKX"})
    assert f.missions == ("KFOR",) and f.dropped == ()


def test_a_pages_own_url_keys_read_back_and_written_only_off_their_default():
    from presence.view.filters import PageOption, page_options_query, read_page_options

    options = {"measure": PageOption("w_measure", ("a", "b"), "a"),
               "log": PageOption("w_log", ("1", "0"), "0")}
    values, ignored = read_page_options({"measure": "b", "log": "yes", "x": "1"}, options)
    assert values == {"measure": "b", "log": "0"} and ignored == ["log=yes"]
    assert page_options_query(options, values) == {"measure": "b"}
    assert page_options_query(options, {"measure": "a", "log": "1"}) == {"log": "1"}
