"""The record as the dashboard holds it: loaded once per version of data/, and
the cache of every page's views (frames and figures) keyed on that version.

A changed CSV changes the version, so no chart is ever drawn from an old
record; a broken one stops the page with the validator's report.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from presence.record.dataset import Dataset, DatasetError, data_dir, load_dataset
from presence.view import query
from presence.view.filters import Filters


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
