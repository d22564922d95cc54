"""Every page run by Streamlit's AppTest, with and without filters."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from presence.view import query
from presence.view.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGES = ["pages/overview.py", "pages/map.py", "pages/troops.py", "pages/budgets.py",
         "pages/sources.py"]


def run(page=None, params=None, data_dir=None, monkeypatch=None):
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        # AppTest cannot open a URL on a page: switch, with the link's query again.
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(str(ROOT / page))
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_filters(page):
    at = run(page)
    assert at.title[0].value
    assert [m.label for m in at.sidebar.multiselect] == ["Mission", "Host country",
                                                         "Contributing nation"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_filters(page):
    params = {"mission": "KFOR", "host": "XKX", "contributor": "ITA", "from": "2005-01-01",
              "to": "2024-12-31"}
    at = run(page, params)
    assert at.sidebar.multiselect[0].value == ["KFOR"]
    assert at.sidebar.multiselect[2].value == ["ITA"]
    for key, value in params.items():
        assert at.query_params[key] == [value] or at.query_params[key] == value


def test_overview_headline_matches_the_query(ds):
    at = run("pages/overview.py", {"to": "2012-06-30"})
    s = query.strength_at(ds, "2012-06-30", Filters())
    labels = {m.label: m.value for m in at.metric}
    for r in s.itertuples():
        label = [k for k in labels if k.startswith(r.mission_id + " ")][0]
        assert f"{int(r.value):,}" in labels[label]


def metric_for(at, mission_id):
    return next(m for m in at.metric if m.label.startswith(mission_id + " "))


def test_overview_never_shows_disagreement_as_a_change(ds):
    """EUFOR in March 2025 (1,500 and 1,000 from outlets a day apart) and SFOR in
    November 2004 (one stale 12,000 between 7,000s): no drawdown, no jump."""
    at = run("pages/overview.py", {"to": "2025-03-31"})
    eufor = metric_for(at, "EUFOR-ALTHEA")
    assert not (eufor.delta or "").startswith("-"), eufor.delta
    changes = at.dataframe[0].value
    march = changes[(changes.mission_id == "EUFOR-ALTHEA") & changes.label.str.contains("2025")]
    assert march.empty or (march.alert != "drawdown").all()

    at = run("pages/overview.py", {"to": "2004-11-30"})
    sfor = metric_for(at, "SFOR")
    t = ds.troops[(ds.troops.mission_id == "SFOR") & (ds.troops.contributor == "ALL")]
    november = t[t.as_of.str.startswith("2004-11")]
    before = t[(t.as_of_start < "2004-11-01") & (t.as_of_start >= "2004-06-01")]
    assert len(november) == 1 and november.value.iloc[0] > 1.5 * before.value.max()
    assert f"{november.value.iloc[0]:,}" not in sfor.value
    assert f"{int(before.value.median()):,}" in sfor.value
    assert not (sfor.delta or "").startswith("+")
    assert "newest date in the record" not in " ".join(c.value for c in at.caption)


def test_now_is_the_newest_date_in_the_record(ds):
    at = run("pages/overview.py")
    newest = query.latest_date(ds)
    assert any(f"as of **{newest.label}**, the newest date in the record" in c.value
               for c in at.caption)


def test_filters_survive_moving_between_pages():
    at = run("pages/troops.py")
    at.sidebar.multiselect[0].set_value(["EUFOR-ALTHEA"]).run()
    assert at.query_params["mission"] in ("EUFOR-ALTHEA", ["EUFOR-ALTHEA"])
    at.switch_page(str(ROOT / "pages/budgets.py")).run()
    assert at.sidebar.multiselect[0].value == ["EUFOR-ALTHEA"]
    assert at.query_params["mission"] in ("EUFOR-ALTHEA", ["EUFOR-ALTHEA"])


def test_bad_link_is_reported_not_fatal():
    at = run("pages/troops.py", {"mission": "NOPE", "from": "yesterday"})
    assert at.sidebar.multiselect[0].value == []
    warning = at.sidebar.warning[0].value
    assert "mission=NOPE" in warning and "from=yesterday" in warning


def test_map_date_is_in_the_link():
    at = run("pages/map.py", {"at": "2004-12-31"})
    assert at.select_slider[0].value == "2004-12-31"
    assert at.query_params["at"] in ("2004-12-31", ["2004-12-31"])
    at.switch_page(str(ROOT / "pages/troops.py")).run()
    assert "at" not in at.query_params


def test_map_accepts_any_date_in_the_link():
    at = run("pages/map.py", {"at": "1999-07-01"})
    assert at.select_slider[0].value == "1999-07-01"
    assert not at.info
    at = run("pages/map.py", {"at": "1900-01-01"})
    assert any("outside the range" in i.value for i in at.info)
    assert at.select_slider[0].value.startswith(at.select_slider[0].options[0])


def test_map_play_is_one_figure_of_frames_played_in_the_browser(ds):
    import json
    import math
    at = run("pages/map.py", {"at": "2008-12-31"})
    steps = at.select_slider[0].options
    at.toggle(key="map_play").set_value(True).run()
    assert not at.exception
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    animated = [c for c in charts if c.get("frames")]
    assert len(animated) == 1
    spec = animated[0]
    assert len(spec["frames"]) == len(steps)
    buttons = [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]]
    assert any("Play" in b for b in buttons) and any("Pause" in b for b in buttons)
    assert spec["layout"]["sliders"][0]["active"] == steps.index("2008")
    hosts = [t for t in spec["data"] if t.get("name") == "host countries"][0]
    assert hosts["zmax"] == pytest.approx(math.log10(query.presence_scale(ds, Filters())))
    assert all("zmax" not in d for frame in spec["frames"] for d in frame["data"])
    assert all("geojson" not in d for frame in spec["frames"] for d in frame["data"])


def test_map_explains_a_country_that_hosted_no_mission(ds):
    at = run("pages/map.py", {"host": "SRB"})
    assert any("Serbia hosted no international mission" in i.value for i in at.info)
    assert any("nation" in c.value and "add" in c.value or "no nation" in c.value
               for c in at.caption)


def test_sources_page_opens_one_source():
    at = run("pages/sources.py", {"source": "alfapress-2025-03-10-rutte-visit"})
    assert any("NATO chief" in s.value for s in at.subheader)
    assert len(at.dataframe) == 4  # the list, then troops, budgets, events


def test_invalid_dataset_is_reported(data_copy, monkeypatch):
    (data_copy / "troops.csv").write_text(
        (data_copy / "troops.csv").read_text().replace(",approx,", ",roughly,", 1))
    monkeypatch.setenv("PRESENCE_DATA", str(data_copy))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("does not validate" in e.value for e in at.error)
    assert any("troops.csv, line" in c.value for c in at.code)


def test_curate_page_is_not_in_the_menu_without_a_curator_login(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESENCE_CURATOR_HASH", raising=False)
    monkeypatch.setenv("PRESENCE_STORE", str(tmp_path / "s.duckdb"))
    at = run()
    assert at.title[0].value  # the Overview ran
    # switch_page finds only pages st.navigation registered: Curate is not one of them
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages/curate.py"))
    at.switch_page(str(ROOT / "pages/sources.py")).run()  # the public pages are there
    assert not at.exception and at.title[0].value == "Sources"


@pytest.mark.parametrize("where", ["environment", "secrets"])
def test_curate_page_is_in_the_menu_with_a_curator_login(where, monkeypatch, tmp_path):
    from presence.app.auth import make_hash

    monkeypatch.delenv("PRESENCE_CURATOR_HASH", raising=False)
    monkeypatch.setenv("PRESENCE_STORE", str(tmp_path / "s.duckdb"))
    at = AppTest.from_file(APP, default_timeout=120)
    if where == "environment":
        monkeypatch.setenv("PRESENCE_CURATOR_HASH", make_hash("pw-for-tests", 1000))
    else:
        at.secrets["curator_password_hash"] = make_hash("pw-for-tests", 1000)
    at.run()
    at.switch_page(str(ROOT / "pages/curate.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert [t.label for t in at.text_input] == ["Your name (for the audit log)",
                                                "Curator password"]
    assert not any("No curator login is configured" in w.value for w in at.warning)


def test_curate_login_then_queue(monkeypatch, tmp_path, data_copy):
    from presence.app.auth import make_hash
    from presence.desk.feed import ingest
    from presence.desk.store import Store

    store_path = tmp_path / "s.duckdb"
    with Store(store_path) as store:
        ingest([str(ROOT / "tests" / "devset" / "sq_kfor_2025.txt")], store)
    import subprocess
    import sys
    subprocess.run([sys.executable, "-m", "presence.cli", "extract", "--store", str(store_path)],
                   check=True, capture_output=True)
    monkeypatch.setenv("PRESENCE_STORE", str(store_path))
    monkeypatch.setenv("PRESENCE_DATA", str(data_copy))
    monkeypatch.setenv("PRESENCE_CURATOR_HASH", make_hash("pw-for-tests"))
    at = run("pages/curate.py")
    at.text_input[0].input("ana")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert any("must be right" in e.value for e in at.error)
    at.text_input[1].input("pw-for-tests")
    at.button[0].click().run()
    assert not at.exception
    assert any("Logged in as **ana**" in c.value for c in at.caption)
    with Store(store_path) as store:
        pending = [c["id"] for c in store.candidates("pending")]
    reader = next(s for s in at.selectbox if s.label == "Read a candidate in its sentence")
    assert sorted(o.split(" · ")[0] for o in reader.options) == sorted(pending)
    assert len(pending) >= 4
    assert any(b.label.startswith("Accept") for b in at.button)
