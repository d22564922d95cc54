"""Queries against the shipped dataset; expectations are computed from the CSVs."""
import datetime as dt

import pandas as pd
import pytest

from presence.view import query
from presence.view.filters import Filters


def test_strength_at_is_the_estimate_in_force_at_the_date(ds):
    from presence.view import estimate
    when = pd.Timestamp("2010-06-30")
    s = query.strength_at(ds, when, Filters()).set_index("mission_id")
    assert set(s.index) == {"KFOR", "EUFOR-ALTHEA"}  # SFOR and IFOR had ended
    series = query.estimates(ds, Filters())
    k = series[(series.mission_id == "KFOR") & (series.status == estimate.LEVEL)]
    latest = k[k.start <= when].iloc[-1]
    assert s.loc["KFOR", "value"] == round(latest.value)
    assert (s.loc["KFOR", "low"], s.loc["KFOR", "high"]) == (latest.low, latest.high)
    assert s.loc["KFOR", "label"] == latest.label
    figures = query.troops(ds, Filters(missions=("KFOR",)), totals=True)
    assert (figures[figures.as_of_start <= when].as_of_start.max()
            >= s.loc["KFOR", "date"] - pd.Timedelta(days=31))


def test_disagreeing_sources_both_come_through(ds):
    """Two sources of one date both stay in the figures, and the estimate of their
    period spans them in its band instead of picking one."""
    tot = query.troops(ds, Filters(), totals=True)
    trusted = query.in_area(tot)[query.in_area(tot).flag.fillna("") != "doubtful"]
    trusted = trusted[trusted.precision == "day"]
    clash = trusted[trusted.date >= "2000-01-01"].groupby(["mission_id", "date"]) \
        .value.nunique()
    assert (clash > 1).any(), "the record holds same-date disagreements"
    for mission, date in clash[clash > 1].index:
        same = trusted[(trusted.mission_id == mission) & (trusted.date == date)]
        assert len(tot[(tot.mission_id == mission) & (tot.date == date)]) >= len(same)
        est = query.estimates(ds, Filters(missions=(mission,)))
        period = est[est.period == same.as_of.iloc[0][:7]].iloc[0]
        assert period.low <= same.value.min() < same.value.max() <= period.high
        assert period.n_sources >= same.source_id.nunique()


def test_mission_filter_and_dates(ds):
    f = Filters(missions=("SFOR",), start=dt.date(2000, 1, 1), end=dt.date(2002, 12, 31))
    t = query.troops(ds, f)
    assert set(t.mission_id) == {"SFOR"}
    assert t.as_of_end.min() >= pd.Timestamp("2000-01-01")
    assert t.as_of_start.max() <= pd.Timestamp("2002-12-31")
    assert {"outlet", "url", "source_title"} <= set(t.columns)


def test_contributor_filter_keeps_totals(ds):
    t = query.troops(ds, Filters(contributors=("ITA",)))
    assert set(t.contributor) == {"ALL", "ITA"}


def test_contingents_drop_stale_figures(ds):
    when = pd.Timestamp("2025-06-01")
    c = query.contingents_at(ds, when, Filters(missions=("KFOR",)))
    assert not c.empty
    assert (c.date >= when - query.CONTINGENT_WINDOW).all() and (c.date <= when).all()
    assert c.groupby("contributor").date.nunique().max() == 1


def test_host_presence_shades_only_hosts(ds):
    p = query.host_presence_at(ds, "2025-06-01", Filters()).set_index("iso_a3")
    assert p.loc["XKX", "troops"] > 0 and p.loc["BIH", "troops"] > 0
    assert p.loc["SRB", "troops"] == 0
    assert set(p.index) == set(query.REGION)


def test_budget_conversion_uses_sourced_rates(ds):
    b = query.budgets(ds, Filters())
    rates = ds.rates.groupby(["currency", "year"]).per_usd.first()
    row = b[(b.currency != "USD") & (b.currency != "EUR") & b.amount_usd.notna()].iloc[0]
    assert row.amount_usd == pytest.approx(row.amount / rates[(row.currency, row.year)])
    no_rate = b[b.apply(lambda r: r.currency not in ("USD",)
                        and (r.currency, r.year) not in rates.index, axis=1)]
    assert no_rate.amount_usd.isna().all(), "no rate on file means no conversion, not a guess"


def test_year_on_year_change_only_between_adjacent_years(ds):
    b = query.budgets(ds, Filters(hosts=("XKX",)), "ministry_budget")
    row = b[(b.year == 2025) & (b.source_id == "alfapress-2025-03-10-rutte-visit")].iloc[0]
    assert set(b.country) == {"XKX"}
    assert 2024 in set(b.year) and pd.notna(row.change_pct)


def test_recent_changes_are_between_reported_totals(ds):
    ch = query.recent_changes(ds, Filters(missions=("KFOR",)), limit=5)
    assert len(ch) == 5
    assert (ch.change == ch["to"] - ch["from"]).all()
    assert ch.date.is_monotonic_decreasing


def test_wider_figures_stay_off_strength_and_alerts(ds):
    """A total that also counts troops outside the area (rear bases, reserves abroad)
    is shown as its own marker, never as the mission's strength or a change:
    the estimate is the same with or without those rows."""
    from presence.view import charts, estimate
    tot = query.troops(ds, Filters(), totals=True)
    wide, area = tot[tot.wider], query.in_area(tot)
    assert not wide.empty and len(area) == len(tot) - len(wide)
    with_wider = estimate.series(tot, ds.events)
    without = estimate.series(area, ds.events)
    pd.testing.assert_frame_equal(with_wider, without)
    fig = charts.strength_over_time(tot)
    marks = [t for t in fig.data if t.name == "counts troops outside the area"]
    assert len(marks) == 1 and len(marks[0].x) == len(wide)


def test_sources_count_what_they_back(ds):
    s = query.sources(ds).set_index("source_id")
    seed = s.loc["alfapress-2025-03-10-rutte-visit"]
    assert (seed.troops, seed.budgets, seed.events) == (3, 2, 3)
    backed = query.figures_for_source(ds, "alfapress-2025-03-10-rutte-visit")
    assert set(backed) == {"troops", "budgets", "events"}


def test_map_steps_cover_the_years(ds):
    steps = query.map_steps(ds, Filters(), dt.date(2025, 6, 1))
    assert steps[0] == "1995-12-31" and steps[-1] == "2025-06-01"
    assert len(steps) == 31


def test_events_until_and_sources_search(ds):
    latest = query.events(ds, Filters(), until="2010-12-31", newest_first=3)
    assert len(latest) == 3 and latest.when.is_monotonic_decreasing
    assert latest.when.max() <= pd.Timestamp("2010-12-31")
    older = query.events(ds, Filters(), until="2010-12-31")
    assert latest.when.max() == older.when.max()
    # an event tied to no mission shows only while a chosen mission ran
    loose = ds.events[ds.events.mission_id.isna()]
    assert not loose.empty
    life = ds.missions.set_index("mission_id")
    for mission in ("SFOR", "EUFOR-ALTHEA"):
        shown = query.events(ds, Filters(missions=(mission,)))
        ran = loose.date_start.between(life.loc[mission, "started_start"],
                                       life.loc[mission, "ended_end"]
                                       if pd.notna(life.loc[mission, "ended_end"])
                                       else pd.Timestamp.max)
        assert set(shown[shown.mission_id.isna()].title) == set(loose[ran].title)
    assert query.events(ds, Filters(missions=("SFOR",))).mission_id.notna().all()
    found = query.sources(ds, "nato chief")
    assert "alfapress-2025-03-10-rutte-visit" in set(found.source_id)
    assert (found.title.str.contains("nato chief", case=False)
            | found.outlet.str.contains("nato chief", case=False)).all()
    assert len(found) < len(query.sources(ds))


def test_contributor_filter_narrows_the_map_to_that_nation(ds):
    when = query.latest_date(ds).day
    everyone = query.host_presence_at(ds, when, Filters()).set_index("iso_a3")
    usa = query.host_presence_at(ds, when, Filters(contributors=("USA",))).set_index("iso_a3")
    conts = query.contingents_at(ds, when, Filters(contributors=("USA",)))
    for host in ("XKX", "BIH"):
        mine = conts[conts.host_country == host].value.sum()
        assert usa.loc[host, "troops"] == mine
    assert 0 < usa.loc["XKX", "troops"] < everyone.loc["XKX", "troops"]
    assert everyone.loc["BIH", "troops"] > 0


def test_one_nation_one_row_in_contingents(ds):
    """Two sources of one date for a nation make one row with a range, not two bars."""
    for when in ("1999-12-31", "2008-12-31", "2025-06-01"):
        c = query.contingents_at(ds, when, Filters())
        assert not c.duplicated(["mission_id", "contributor"]).any()
        assert ((c.low <= c.value) & (c.value <= c.high)).all()


def test_estimates_asked_for_in_parts_are_those_of_the_whole_record():
    """The record's series are computed as they are first asked for (the Troops page
    asks for the nations its chart draws): whatever was asked before, an answer is what
    the whole record's series give, rows, order and column types alike."""
    from presence.record.dataset import DEFAULT_DATA_DIR, load_dataset
    from presence.view import estimate

    fresh = load_dataset(DEFAULT_DATA_DIR)  # nothing computed for it yet
    whole = estimate.series(query.troops(fresh, Filters(), apply_dates=False), fresh.events)
    italy = query.estimates(fresh, Filters(contributors=("ITA",)), totals=False)
    pd.testing.assert_frame_equal(
        italy[estimate.COLUMNS],
        whole[(whole.contributor == "ITA")].reset_index(drop=True), check_exact=True)
    kfor = query.estimates(fresh, Filters(missions=("KFOR",)), totals=True)
    everything = query.estimates(fresh, Filters(), totals=None)
    pd.testing.assert_frame_equal(everything[estimate.COLUMNS], whole, check_exact=True)
    pd.testing.assert_frame_equal(
        kfor[estimate.COLUMNS],
        whole[(whole.mission_id == "KFOR") & (whole.contributor == "ALL")].reset_index(drop=True),
        check_exact=True)


def test_a_kept_selection_is_not_changed_by_what_a_caller_does_to_it(ds):
    """troops() and estimates() hand out the same rows again for the same selection (a
    date moved by a day); what one caller writes into its frame reaches no other."""
    f = Filters(missions=("KFOR",), end=dt.date(2020, 6, 30))
    for get in (lambda: query.troops(ds, f, totals=True),
                lambda: query.estimates(ds, f, totals=True)):
        first = get()
        expected = first.value.copy()
        first["value"] = -1
        first.loc[0, "mission_id"] = "changed"
        again = get()
        pd.testing.assert_series_equal(again.value, expected)
        assert (again.mission_id == "KFOR").all()
    moved = query.troops(ds, Filters(missions=("KFOR",), end=dt.date(2020, 6, 29)),
                         totals=True)
    assert len(moved) <= len(query.troops(ds, f, totals=True))
