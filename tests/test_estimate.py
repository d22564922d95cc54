"""The best-estimate rule (presence.view.estimate), on small made-up series and on the record.

The made-up series are built through the same dataset loader the dashboard
uses (a real data directory in tmp_path), so the columns the rule reads are
the ones query.troops really produces.
"""
import csv
import shutil

import pandas as pd
import pytest

from presence.record import dates
from presence.record.dataset import DEFAULT_DATA_DIR, load_dataset
from presence.view import estimate, query
from presence.view.filters import Filters


def record(tmp_path, figures, events=()):
    """A dataset with the shipped missions, sources and budgets, and only `figures`:
    (mission, contributor, as_of, value, qualifier, kind, scope, flag) rows, each
    from its own source of that kind."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    shipped = load_dataset(target)
    with open(target / "sources.csv", newline="", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    troop_cols = list(pd.read_csv(target / "troops.csv", nrows=0).columns)
    troops = []
    for i, (mission, contributor, as_of, value, qualifier, kind, scope, flag) in \
            enumerate(figures):
        sid = f"src-{i}"
        sources.append({"source_id": sid, "kind": kind, "url": f"https://example.org/{i}",
                        "title": f"Source {i}", "outlet": f"Outlet {i}",
                        "published": "2025-01-01", "language": "en", "note": ""})
        row = {"mission_id": mission, "contributor": contributor,
               "host_country": shipped.missions.set_index("mission_id").at[mission,
                                                                           "host_country"],
               "as_of": as_of, "value": value, "qualifier": qualifier, "source_id": sid,
               "scope": scope, "flag": flag, "note": ""}
        troops.append({c: row.get(c, "") for c in troop_cols})
    event_cols = list(pd.read_csv(target / "events.csv", nrows=0).columns)
    event_rows = []
    for i, (day, mission, kind) in enumerate(events):
        sid = f"evt-{i}"
        sources.append({"source_id": sid, "kind": "article", "url": f"https://example.org/e{i}",
                        "title": f"Event {i}", "outlet": "Wire", "published": day,
                        "language": "en", "note": ""})
        row = {"date": day, "mission_id": mission, "country": "BIH" if mission != "KFOR"
               else "XKX", "kind": kind, "title": f"{kind} {i}", "source_id": sid}
        event_rows.append({c: row.get(c, "") for c in event_cols})
    for name, header, rows in (("sources", list(sources[0]), sources),
                               ("troops", troop_cols, troops),
                               ("events", event_cols, event_rows)):
        with open(target / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return load_dataset(target)


def fig(as_of, value, kind="article", qualifier="approx", scope="", flag="",
        mission="EUFOR-ALTHEA", contributor="ALL"):
    return (mission, contributor, as_of, value, qualifier, kind, scope, flag)


def test_disagreeing_same_day_sources_give_one_estimate_and_a_band(tmp_path):
    ds = record(tmp_path, [fig("2024-06-01", 1100), fig("2025-03-09", 1500),
                           fig("2025-03-10", 1000), fig("2025-06-01", 1100)])
    s = query.estimates(ds, Filters())
    march = s[s.period == "2025-03"].iloc[0]
    assert (march.low, march.high, march.n_sources) == (1000, 1500, 2)
    assert march.value == 1250  # the median of the two
    assert (s.alert == "").all(), "two sources disagreeing is never a change"
    assert s.level.iloc[-1] == 1100


def test_a_lone_outlier_is_held_not_a_change(tmp_path):
    ds = record(tmp_path, [fig("2004-06-28", 7000, mission="SFOR"),
                           fig("2004-11-17", 12000, mission="SFOR"),
                           fig("2004-12-02", 7000, mission="SFOR")])
    s = query.estimates(ds, Filters()).set_index("period")
    assert s.loc["2004-11", "status"] == estimate.HELD
    assert s.loc["2004-11", "level"] == 7000
    assert (s.alert == "").all()
    now = query.strength_at(ds, "2004-11-30", Filters(missions=("SFOR",))).iloc[0]
    assert now.value == 7000 and now.held_value == 12000


def test_a_move_confirmed_by_the_next_figure_is_a_change(tmp_path):
    ds = record(tmp_path, [fig("2007-03-01", 6500), fig("2007-12-10", 2500),
                           fig("2008-09", 2500)])
    s = query.estimates(ds, Filters()).set_index("period")
    assert s.loc["2007-12", "alert"] == "drawdown"
    assert s.loc["2007-12", "change"] == -4000
    assert s.loc["2007-12", "confirmed_by"].startswith("later figure")
    assert s.loc["2008-09", "alert"] == ""


def test_a_move_confirmed_by_an_event_or_a_second_source(tmp_path):
    ds = record(tmp_path, [fig("2022-01", 600), fig("2022-06-15", 1100)],
                events=[("2022-02-24", "EUFOR-ALTHEA", "reinforcement")])
    s = query.estimates(ds, Filters()).set_index("period")
    assert s.loc["2022-06", "alert"] == "reinforcement"
    assert s.loc["2022-06", "confirmed_by"].startswith("event (24 Feb 2022")
    ds = record(tmp_path / "two", [fig("2022-01", 600), fig("2022-06-15", 1100),
                                   fig("2022-06-20", 1100)])
    s = query.estimates(ds, Filters()).set_index("period")
    assert s.loc["2022-06", "confirmed_by"] == "2 sources"


def test_an_official_series_wins_over_a_press_report_of_the_same_month(tmp_path):
    ds = record(tmp_path, [fig("2017-02", 4273, kind="placemat", qualifier="exact",
                               mission="KFOR"),
                           fig("2017-02-10", 5000, mission="KFOR"),
                           fig("2017-02-20", 5100, mission="KFOR")])
    s = query.estimates(ds, Filters()).iloc[0]
    assert s.value == 4273 and s.basis == "official"
    assert (s.low, s.high, s.n_sources) == (4273, 5100, 3)


def test_wider_and_doubtful_figures_never_set_the_estimate(tmp_path):
    ds = record(tmp_path, [fig("2022-02-24", 600), fig("2022-02-24", 3500, scope="wider"),
                           fig("2022-03", 2000, flag="doubtful")])
    s = query.estimates(ds, Filters())
    assert list(s.value) == [600]


def test_a_year_only_figure_never_precedes_the_mission_start(tmp_path):
    ds = record(tmp_path, [fig("1999", 50000, mission="KFOR"),
                           fig("2001", 38000, mission="KFOR"),
                           fig("2001-05", 39000, mission="KFOR")])
    started = ds.missions.set_index("mission_id").at["KFOR", "started_start"]
    s = query.estimates(ds, Filters())
    first = s.iloc[0]
    assert first.label == "1999" and first.start == started and first.date > started
    assert first.date == dates.midpoint(started, pd.Timestamp("1999-12-31"))
    # a year with a finer-dated figure takes its estimate from that figure
    assert list(s.period) == ["1999", "2001-05"]
    t = query.troops(ds, Filters())
    assert (t.shown_at >= started).all() and (t.span_start >= started).all()


def test_a_bound_the_level_meets_moves_nothing(tmp_path):
    ds = record(tmp_path, [fig("2023-11-21", 4500, mission="KFOR"),
                           fig("2024-12", 4000, qualifier="lower", mission="KFOR"),
                           fig("2025-01", 4300, mission="KFOR")])
    s = query.estimates(ds, Filters()).set_index("period")
    assert s.loc["2024-12", "status"] == estimate.BOUND
    assert s.loc["2024-12", "level"] == 4500
    assert (s.alert == "").all()


@pytest.mark.parametrize("text,expected", [("1999", "1999"), ("2025-04", "Apr 2025"),
                                           ("2025-03-10", "10 Mar 2025")])
def test_dates_read_as_precise_as_their_source(text, expected):
    assert dates.label(text) == expected


def test_on_the_record_changes_are_moves_of_the_estimate(ds):
    """Every flagged change moves the level by the threshold, and the level only
    moves on a confirmed change or a small drift."""
    s = query.estimates(ds, Filters(), totals=None)
    for _, group in s.groupby(["mission_id", "contributor"]):
        level = None
        for r in group.itertuples():
            if r.alert:
                assert abs(r.value - level) / level * 100 >= estimate.CHANGE_SHARE
                assert r.confirmed_by
            if r.status == estimate.HELD:
                assert r.level == level
            if r.status == estimate.LEVEL:
                level = r.value
            assert r.level == level


def test_at_takes_each_series_latest_adopted_period_by_the_date(ds):
    """at() against a plain reading of the rule, on the shipped record and many dates:
    per series, the last period begun by then that is a level (or, with newest=True,
    a level or held figure), and a newer held figure when there is one."""
    series = query.estimates(ds, Filters(), totals=None)
    groups = [(key, group[["start", "status", "date", "value", "label"]].to_dict("records"))
              for key, group in series.groupby(["mission_id", "contributor"], sort=False)]
    for when in pd.date_range("1996-01-01", "2026-06-01", freq="173D"):
        for newest in (False, True):
            got = estimate.at(series, when, newest=newest)
            wanted = {estimate.LEVEL, estimate.HELD} if newest else {estimate.LEVEL}
            expected = {}
            for key, rows in groups:
                begun = [r for r in rows if r["start"] <= when]
                chosen = [r for r in begun if r["status"] in wanted]
                if not chosen:
                    continue
                last = chosen[-1]
                newer = [r for r in begun
                         if r["status"] == estimate.HELD and r["date"] > last["date"]]
                expected[key] = (last["value"], last["label"],
                                 newer[-1]["value"] if newer else None)
            found = {(r.mission_id, r.contributor): (r.value, r.label,
                                                     None if pd.isna(r.held_value)
                                                     else r.held_value)
                     for r in got.itertuples()} if not got.empty else {}
            assert found == expected, when


def test_at_reads_each_frame_it_is_given(tmp_path):
    """at() keeps arrays per series frame; a second frame (another filter's series)
    is read for itself, not through the first one's arrays."""
    first = query.estimates(record(tmp_path / "a", [fig("2020-03", 600), fig("2021-03", 620)]),
                            Filters(), totals=True)
    second = query.estimates(record(tmp_path / "b", [fig("2020-03", 1500)]),
                             Filters(), totals=True)
    when = pd.Timestamp("2022-01-01")
    for _ in range(2):
        assert estimate.at(first, when).set_index("mission_id").at["EUFOR-ALTHEA", "value"] == 620
        assert estimate.at(second, when).set_index("mission_id").at["EUFOR-ALTHEA", "value"] \
            == 1500


def test_at_reads_a_frame_whose_series_are_interleaved(ds):
    """A caller may pass the periods of several series in date order (interleaved): each
    series' estimate is still its own newest period begun by the date."""
    series = query.estimates(ds, Filters(), totals=True)
    by_date = series.sort_values("start", kind="stable").reset_index(drop=True)
    for when in ("2003-06-01", "2024-01-01"):
        keys = ["mission_id", "contributor"]
        a = estimate.at(series, pd.Timestamp(when)).sort_values(keys).reset_index(drop=True)
        b = estimate.at(by_date, pd.Timestamp(when)).sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
