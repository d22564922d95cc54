"""The shared filters: drawn in the sidebar, kept in widget state (so they
survive moving between pages), read from the URL on a first visit and written
back to it on every run (so a copied link reopens the same view).

Also the page's "now": the end of the date filter, else the newest date in the
record, never the clock.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from presence.app.data import dataset
from presence.record.dataset import Dataset
from presence.view import query, text
from presence.view.filters import Filters, PageOption, from_query, read_page_options

EARLIEST = dt.date(1995, 1, 1)


def today() -> dt.date:
    return dt.date.today()


def sidebar_filters(ds: Dataset) -> Filters:
    """Draw the shared filters; read them from the URL on first run, write them back always."""
    missions, hosts, contributors = query.filter_choices(ds)
    names = query.country_names(ds)

    if "f_init" not in st.session_state:
        f = from_query(st.query_params.to_dict(), missions=set(missions),
                       countries=set(names))
        dropped = list(f.dropped)
        # The slider raises on a value outside its range: clamp, and say so.
        start, end = f.start or EARLIEST, f.end or today()
        if not EARLIEST <= start <= today():
            dropped.append(f"from={start} is outside {EARLIEST} to {today()}; clamped")
            start = min(max(start, EARLIEST), today())
        if not EARLIEST <= end <= today():
            dropped.append(f"to={end} is outside {EARLIEST} to {today()}; clamped")
            end = min(max(end, EARLIEST), today())
        st.session_state.update(
            f_dropped=dropped,
            f_init=True, f_mission=list(f.missions), f_host=list(f.hosts),
            f_contributor=[c for c in f.contributors if c in contributors] or [],
            f_dates=(min(start, end), max(start, end)))

    sb = st.sidebar
    sb.header("Filters")
    if st.session_state.get("f_dropped"):
        # Plain text: the link's own words must never render as a link or an image.
        sb.warning("Parts of the link were ignored: "
                   + text.md_escape("; ".join(st.session_state.f_dropped)))
    sb.multiselect("Mission", list(missions), key="f_mission",
                   format_func=lambda m: f"{m} — {missions[m]}")
    sb.multiselect("Host country", hosts, key="f_host", format_func=lambda c: names.get(c, c),
                   help="Where the troops are. Also narrows the Budgets page.")
    sb.multiselect("Contributing nation", contributors, key="f_contributor",
                   format_func=lambda c: names.get(c, c),
                   help="Narrows national contingents; mission totals stay whole.")
    sb.slider("Dates", min_value=EARLIEST, max_value=today(), key="f_dates", format="YYYY-MM")
    start, end = st.session_state.f_dates
    f = Filters(missions=tuple(st.session_state.f_mission), hosts=tuple(st.session_state.f_host),
                contributors=tuple(st.session_state.f_contributor),
                start=start if start != EARLIEST else None,
                end=end if end != today() else None)
    if any(f.to_query().values()):
        sb.button("Clear filters", on_click=clear_filters, width="stretch")
    sb.caption("The address bar holds these filters: copy it to share this view.")
    return f


def seed_page_options(options: dict[str, PageOption]) -> None:
    """On a first visit, set a page's own widgets from its URL keys (see
    filters.read_page_options); a "1"/"0" option seeds a toggle. Says what was ignored."""
    fresh = {p: o for p, o in options.items() if o.widget not in st.session_state}
    values, ignored = read_page_options(st.query_params.to_dict(), fresh)
    for param, value in values.items():
        flag = set(fresh[param].allowed) == {"1", "0"}
        st.session_state[fresh[param].widget] = value == "1" if flag else value
    if ignored:
        st.caption("Ignored in the link (not a value this page knows): "
                   + text.md_escape(", ".join(ignored)))


def set_page_query(**params: str) -> None:
    """A page's own URL keys (the map's `at`), written after the page has run."""
    st.session_state["page_query"] = params


def sync_query(f: Filters, extra: dict[str, str] | None = None) -> None:
    """Make the URL say exactly the filters plus this page's own keys.

    Another page's keys (the map's `at`, the Sources page's `source`) are
    dropped, so a copied link never carries state the page cannot show.
    """
    wanted = {**f.to_query(), **(extra or {})}
    for key in list(st.query_params):
        if key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def clear_filters() -> None:
    st.session_state.update(f_mission=[], f_host=[], f_contributor=[], f_dropped=[],
                            f_dates=(EARLIEST, today()))


def filter_by_country(code: str, role: str = "host") -> None:
    """Used by map clicks: select one country in the sidebar (a callback, before widgets)."""
    key = "f_host" if role == "host" else "f_contributor"
    st.session_state[key] = [code]


def filters() -> Filters:
    """The filters dashboard.py drew for this run."""
    return st.session_state.get("filters", Filters())


def chosen_date(f: Filters) -> dt.date:
    """'Now' for a page: the end of the date range, else the newest date in the
    record (never the clock: the map must not be titled with a month nobody
    reported on)."""
    return f.end or query.latest_date(dataset()).day


def now_phrase(f: Filters) -> str:
    """Says which 'now' a page shows, and why that one."""
    if f.end:
        return f"as of **{f.end:%d %b %Y}** (the end of the date filter)"
    return (f"as of **{query.latest_date(dataset()).label}**, the newest date in the record "
            "(not today's date)")


def now_label(f: Filters) -> str:
    """The page's 'now' in a title: the filter's end day, else the newest figure's
    date as precisely as it was given."""
    return f"{f.end:%d %b %Y}" if f.end else query.latest_date(dataset()).label


def map_select_handler(key: str):
    """A callback for map clicks: the clicked country becomes the host filter."""
    def handler():
        state = st.session_state.get(key)
        points = (state or {}).get("selection", {}).get("points", []) if state else []
        for point in points:
            data = point.get("customdata")
            code = point.get("location") or (data[0] if isinstance(data, list) and data else None)
            if code in query.REGION:
                filter_by_country(code, "host")
                return
    return handler
