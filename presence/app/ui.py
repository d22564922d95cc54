"""Streamlit glue shared by every page: the dataset, the sidebar filters, exports.

Filters live in widget state (so they survive moving between pages) and are
mirrored into the URL on every run (so a copied link reopens the same view).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from presence.record.dataset import Dataset, DatasetError, data_dir, load_dataset
from presence.view import export, query, text
from presence.view.filters import Filters, from_query

EARLIEST = dt.date(1995, 1, 1)
PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _stamp(directory: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.csv")))


@st.cache_resource(show_spinner=False)
def _load(directory: str, stamp: tuple) -> Dataset:
    return load_dataset(directory)


@st.cache_data(show_spinner=False)
def _coverage(directory: str, stamp: tuple) -> str:
    from presence.record.coverage import report

    return report(_load(directory, stamp))


def coverage_report() -> str:
    """data/'s coverage report, computed once per version of the CSVs."""
    directory = data_dir()
    return _coverage(str(directory), _stamp(directory))


def data_version() -> tuple:
    """Which version of data/ the server holds: part of the key of every cached view,
    so an edited CSV is never shown through an old chart."""
    directory = data_dir()
    return str(directory), _stamp(directory)


# How many views (one filter state and page options each) a page keeps: a reader
# going back and forth between a few states gets them at once, and a server's
# memory stays bounded however many states its readers try.
VIEWS_KEPT = 16


_VIEWS: dict[tuple, Callable] = {}


def cached_view(build: Callable) -> Callable:
    """Cache a page's view (its frames and figures) on (data version, filters,
    options), shared by every session.

    `build(version, *args)` must take only small values (filters, dates,
    options) so the key is cheap to hash, must read the dataset through
    `dataset()` (not a page's global), and returns a namespace whose values are
    read-only. A resource cache, not a data cache: st.cache_data would pickle
    each Plotly figure and validate it again on every hit, which costs more
    than building it. The cached function is made once per version of the
    page's code, not on every run (making one reads the page's source).
    """
    code = build.__code__
    key = (build.__module__, build.__qualname__, code.co_code, code.co_consts)
    if key not in _VIEWS:
        @functools.wraps(build)
        def view(*args):
            built = build(*args)
            for name, value in vars(built).items():
                if isinstance(value, go.Figure):
                    setattr(built, name, _sendable(value))
            return built

        _VIEWS[key] = st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)(view)
    return _VIEWS[key]


def _sendable(fig: go.Figure) -> go.Figure:
    """The same figure in the form st.plotly_chart sends, made once.

    st.plotly_chart copies a figure and converts its arrays (numbers to base64,
    dates and Series to lists) on every run; a cached figure rebuilt from its
    own JSON gives the same JSON for a fraction of that work (the Troops
    charts: about a seventh). Map shapes stay numpy rings (maps._shapes):
    copied whole, they are cheaper than the lists JSON would make of them.
    """
    plain = json.loads(fig.to_json())
    for trace, original in zip(plain["data"], fig.data):
        if "geojson" in trace:
            trace["geojson"] = original.geojson
    return go.Figure(plain)


def dataset() -> Dataset:
    """The validated dataset, reloaded when a CSV changes; stops the page on errors."""
    directory = data_dir()
    try:
        return _load(str(directory), _stamp(directory))
    except DatasetError as exc:
        st.error(f"The dataset in {directory} does not validate, so nothing is shown.")
        st.code(str(exc), language=None)
        st.stop()


def today() -> dt.date:
    return dt.date.today()


def sidebar_filters(ds: Dataset) -> Filters:
    """Draw the shared filters; read them from the URL on first run, write them back always."""
    missions = ds.missions.set_index("mission_id")["name"].to_dict()
    names = query.country_names(ds)
    hosts = sorted(set(ds.missions.host_country) | set(query.REGION))
    contributors = sorted(set(ds.troops.contributor) - {"ALL"})

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


def set_page_query(**params: str) -> None:
    """A page's own URL keys (the map's `at`), written after the page has run."""
    st.session_state["page_query"] = params


def run_page(page, f: Filters) -> None:
    """Run the page, then make the URL say the filters and that page's keys."""
    st.session_state["page_query"] = {}
    st.session_state["shell_running"] = True
    try:
        page.run()
    finally:
        st.session_state["shell_running"] = False
    sync_query(f, st.session_state["page_query"])


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


def source_link(source_id: str) -> str:
    return "/sources?" + urlencode({"source": source_id})


def link_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a 'source' column that opens the Sources page on that source."""
    if "source_id" in frame:
        frame = frame.assign(source=frame.source_id.map(source_link))
    return frame


SOURCE_COLUMN = st.column_config.LinkColumn("source", display_text=r"/sources\?source=(.*)",
                                             help="Open this source on the Sources page")
URL_COLUMN = st.column_config.LinkColumn("url", display_text="original ↗")


def chart(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
          geojson: Callable[[], dict] | None = None, on_select=None,
          displayed: pd.DataFrame | None = None) -> object:
    """Render a figure with its export buttons underneath; files are built on click.

    Clicking a point shows its source with a link to the Sources page (maps
    pass their own `on_select`, which filters by the clicked country).
    `frame` is every figure behind the chart (the "full data"); `displayed`,
    when given, is what the chart draws (export.displayed of a troop chart's
    estimates), offered as its own CSV.
    """
    event = st.plotly_chart(fig, key=key, config=PLOT_CONFIG, on_select=on_select or "rerun",
                            selection_mode="points")
    if not on_select:
        show_selected_sources(event)
    export_buttons(fig, key=key, caption=caption, frame=frame, geojson=geojson,
                   displayed=displayed)
    return event


def show_selected_sources(event) -> None:
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    ids = []
    for point in points:
        data = point.get("customdata")
        source_id = data[0] if isinstance(data, (list, tuple)) and data else data
        if isinstance(source_id, str) and source_id not in ids:
            ids.append(source_id)
    if not ids:
        return
    sources = dataset().sources.set_index("source_id")
    lines = []
    for source_id in ids[:10]:
        if source_id in sources.index:
            s = sources.loc[source_id]
            lines.append(f"- {text.md_escape(s.outlet)} ({s.published or 'n.d.'}): "
                         f"*{text.md_escape(s.title)}* — "
                         f"[in this dashboard]({source_link(source_id)}) · [original]({s.url})")
    st.markdown("**Source of the selected point" + ("s" if len(lines) > 1 else "") + ":**\n"
                + "\n".join(lines))


def export_buttons(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
                   geojson: Callable[[], dict] | None = None,
                   displayed: pd.DataFrame | None = None) -> None:
    """Download buttons; `geojson` is a function, so the map's GeoJSON is built on click.

    Image buttons are greyed out, with the reason, when this machine has no
    browser to draw them: inside the download callback the reader would only
    see "Failed to generate file".
    """
    stem = key.replace("_", "-")
    with st.expander("Export this chart or its data", expanded=False):
        try:
            export.check_images()
            images = True
        except export.ExportUnavailable as exc:
            st.warning(str(exc))
            images = False
        st.caption("The chart")
        cols = st.columns(4)
        for col, fmt in zip(cols, ["png", "svg", "pdf", "html"]):
            col.download_button(
                fmt.upper(), data=lambda fmt=fmt: export.figure_bytes(fig, fmt, caption),
                file_name=f"{stem}.{fmt}", key=f"{key}_{fmt}", on_click="ignore",
                mime=export.IMAGE_FORMATS.get(fmt, "text/html"),
                disabled=fmt in export.IMAGE_FORMATS and not images)
        st.caption("Its data")
        cols = iter(st.columns(5))
        if displayed is not None:
            next(cols).download_button(
                "Displayed data (CSV)", data=lambda: export.csv_bytes(displayed),
                file_name=f"{stem}-displayed.csv", mime="text/csv", key=f"{key}_shown_csv",
                on_click="ignore", help="What the chart draws: one row per point, with "
                                        "its date, series, estimate, low, high and number "
                                        "of sources")
        next(cols).download_button(
            "Full data (CSV)", data=lambda: export.csv_bytes(frame, caption),
            file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
            help="Every figure behind the chart, each with its source")
        next(cols).download_button(
            "Excel", data=lambda: export.excel_bytes(frame, caption, dataset().sources,
                                                     displayed),
            file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        next(cols).download_button(
            "About (JSON)", data=lambda: export.about_json_bytes(frame, caption, displayed),
            file_name=f"{stem}.json", mime="application/json", key=f"{key}_about",
            on_click="ignore", help="What the CSV files are: title, filters, sources, data "
                                    "date, licence and citation")
        if geojson is not None:
            next(cols).download_button(
                "GeoJSON", data=lambda: export.geojson_bytes(geojson(), caption),
                file_name=f"{stem}.geojson", mime="application/geo+json",
                key=f"{key}_geojson", on_click="ignore")
        st.caption("Images and HTML carry the title, filters, sources and data date. The CSV "
                   "files are plain (one header line): the displayed data is what the chart "
                   "draws, the full data every figure with its source. Their title, filters, "
                   "sources, licence and citation are in the JSON beside them and in the "
                   "workbook's `about` sheet.")


def make_caption(title: str, f: Filters, frame: pd.DataFrame, date_column: str = "date") -> \
        export.Caption:
    names = query.country_names(dataset())
    return export.Caption(title=title, filters=f.describe(names),
                          data_date=query.data_date(frame, date_column),
                          sources=export.caption_sources(frame))


def filters() -> Filters:
    """The filters dashboard.py drew for this run."""
    return st.session_state.get("filters", Filters())


def require_shell() -> None:
    """Make sure dashboard.py (navigation, sidebar filters) wraps this page.

    Streamlit treats a folder named pages/ beside the entry point as an old-style
    multipage app until the entry point has run once in the process: a link
    straight to /troops on a freshly started server would run the page bare,
    without filters. Turning that mode off and rerunning sends the request
    through dashboard.py, which resolves the same URL to the same page.
    """
    if st.session_state.get("shell_running"):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


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


@st.cache_resource(show_spinner="Preparing every year of the map…", max_entries=8)
def _animation(directory: str, stamp: tuple, f: Filters, steps: tuple[str, ...],
               newest: str | None, start: int):
    from presence.view import maps

    ds = _load(directory, stamp)
    labels = [query.map_label(step, list(steps), newest) for step in steps]
    return maps.presence_animation(query.map_frames(ds, f, list(steps)), labels,
                                   scale_max=query.presence_scale(ds, f), start=start,
                                   title="Foreign troops in the Western Balkans")


def map_animation(f: Filters, steps: tuple[str, ...], newest: str | None, start: int):
    """The map's Play figure (all years as Plotly frames), built once per dataset
    version, filters and steps: it takes seconds, and plays in the browser."""
    directory = data_dir()
    return _animation(str(directory), _stamp(directory), f, steps, newest, start)


def now_label(f: Filters) -> str:
    """The page's 'now' in a title: the filter's end day, else the newest figure's
    date as precisely as it was given."""
    return f"{f.end:%d %b %Y}" if f.end else query.latest_date(dataset()).label


def fmt_estimate(value, low, high, qualifier: str | None = None) -> str:
    """A headline number: the estimate, marked approximate when sources disagree."""
    if value is None or pd.isna(value):
        return "no figure"
    word = {"approx": "≈ ", "upper": "≤ ", "lower": "> "}.get(qualifier or "", "")
    if not word and low != high:
        word = "≈ "
    return f"{word}{int(value):,}"


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


def curator_login_configured() -> bool:
    """Whether a curator can log in here: an OIDC provider (`[auth]` in secrets) or a
    curator password hash (secrets or PRESENCE_CURATOR_HASH). Without one, the Curate
    page is left out of the menu: it could change nothing."""
    from presence.app import auth

    try:
        secrets_obj = st.secrets
        if "auth" in secrets_obj:
            return True
    except Exception:  # no secrets file
        secrets_obj = None
    return auth.configured_hash(secrets_obj) is not None


def curator_login() -> str:
    """The logged-in curator's name; otherwise draws the login and stops the page.

    With no login configured at all, the page says so and stops: the web app
    writes nothing without a curator.
    """
    from presence.app import auth

    try:
        oidc = "auth" in st.secrets
    except Exception:  # no secrets file
        oidc = False
    if oidc:
        if not st.user.is_logged_in:
            st.button("Log in", on_click=st.login)
            st.stop()
        return str(st.user.get("email") or st.user.get("name") or "oidc user")
    if st.session_state.get("curator"):
        return st.session_state.curator
    try:
        secrets_obj = st.secrets
    except Exception:
        secrets_obj = None
    stored = auth.configured_hash(secrets_obj)
    if not stored:
        st.warning("No curator login is configured, so this page cannot change the dataset. "
                   "Set `curator_password_hash` in .streamlit/secrets.toml or the "
                   "PRESENCE_CURATOR_HASH environment variable (make one with "
                   "`presence hash-password`).")
        st.stop()
    try:
        auth.parse_hash(stored)
    except auth.HashError as exc:  # a configuration error, not a wrong password
        st.error("The curator login is misconfigured: "
                 + text.md_escape(str(exc)).replace("$", "\\$") + ". Fix "
                 "`curator_password_hash` (or PRESENCE_CURATOR_HASH); this page writes nothing "
                 "until then.")
        st.stop()
    with st.form("login"):
        name = st.text_input("Your name (for the audit log)")
        password = st.text_input("Curator password", type="password")
        if st.form_submit_button("Log in"):
            if name.strip() and auth.check(password, stored):
                st.session_state.curator = name.strip()
                st.rerun()
            st.error("Name and curator password are both needed, and must be right.")
    st.stop()
