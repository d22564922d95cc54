"""The record as the dashboard holds it: loaded once per version of data/, and
the cache of every page's views (frames and figures) keyed on that version.

A changed CSV changes the version, so no chart is ever drawn from an old
record; a broken one stops the page with the validator's report.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from _plotly_utils.utils import convert_to_base64

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


# How many figures are kept by content (see figure()): a few pages' worth of views.
FIGURES_KEPT = 48


def figure(build: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`build(*args, **kwargs)`, made once for the same inputs: a chart function of
    presence.view (frames in, figure out) drawing the same frames again.

    A filter change makes a new view, but often the same charts (the end date moved
    past the newest figure; a contributor filter leaves the mission totals whole):
    those are found here by the content of their frames instead of being built
    again, and the browser, sent the same chart, has nothing to redraw. The figure
    is shared and read-only, like every cached view's.
    """
    key = (build.__module__, build.__qualname__, _content(args), _content(kwargs))
    return _figure(key, build, args, kwargs)


@st.cache_resource(show_spinner=False, max_entries=FIGURES_KEPT)
def _figure(key: tuple, _build: Callable[..., go.Figure], _args: tuple, _kwargs: dict):
    return _sendable(_build(*_args, **_kwargs))


def _content(value) -> object:
    """A key that changes exactly when `value` does, for the arguments of a chart
    function: frames by a digest of every cell (with their columns and types);
    containers by their items; plain values as they are."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest = hashlib.blake2b(digest_size=16)
        _digest_column(digest, "index", frame.index)
        for name, column in frame.items():
            _digest_column(digest, name, column)
        return (type(value).__name__, len(value), digest.hexdigest())
    if isinstance(value, dict):
        return ("dict", tuple((key, _content(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_content(item) for item in value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"data.figure cannot key a {type(value).__name__}: pass frames and "
                    "plain values")


REPR_DIGEST_ROWS = 5_000


def _digest_column(digest, name, column: pd.Series | pd.Index) -> None:
    """Add a column (its name, type and every cell) to a digest. Arrow-backed columns
    (the record's text) by their Arrow buffers; numbers, booleans and dates by their
    bytes; other objects by each cell's repr, joined: repr tells the text 'nan' from a
    missing value and escapes any separator inside a text. Pandas' own row hash costs
    ten times as much on the few rows a map or bar chart is drawn from, and a tenth as
    much on a long column of objects, which it takes."""
    arrow = getattr(column.array, "_pa_array", None)  # Arrow-backed: its buffers as they are
    if arrow is not None:
        digest.update(repr((name, str(column.dtype), len(arrow), arrow.num_chunks)).encode())
        for chunk in arrow.chunks:
            # a slice shares its parent's buffers: where it starts is part of the key
            digest.update(repr((chunk.offset, len(chunk), chunk.null_count)).encode())
            for buffer in chunk.buffers():
                if buffer is not None:
                    digest.update(memoryview(buffer))
        return
    cells = column.to_numpy()
    digest.update(repr((name, str(column.dtype), len(cells))).encode())
    if cells.dtype.kind in "biufcmM":
        digest.update(np.ascontiguousarray(cells).tobytes())
    elif len(cells) <= REPR_DIGEST_ROWS:
        digest.update("\x1f".join(map(repr, cells.tolist())).encode("utf-8", "backslashreplace"))
    else:
        digest.update(pd.util.hash_pandas_object(pd.Series(column), index=False)
                      .to_numpy().tobytes())


def _sendable(fig: go.Figure) -> go.Figure:
    """The same figure, keeping the JSON st.plotly_chart sends, made once.

    st.plotly_chart asks a figure for `to_dict()` (a deep copy of all its
    data) and converts its arrays (numbers to base64, dates and Series to
    lists) on every run: for a cached figure that is the same work for the
    same result every time, most of a warm Troops rerun. A SentFigure keeps
    that result as JSON and hands out a fresh dict parsed from it, a few
    times cheaper. Map shapes stay numpy rings (maps._shapes), shared and
    never copied: they are read-only, and JSON would turn them into lists.
    """
    return SentFigure.adopt(fig)


class SentFigure(go.Figure):
    """A figure whose `to_dict()` is parsed from its JSON, kept from when it was adopted.

    Everything else is the figure as it was built (exports read its traces and
    layout as before). The dict it gives is the caller's to change, as
    go.Figure.to_dict's is, except the shared `geojson` of map layers. A
    cached figure is read-only: a change to it would not reach that JSON.
    """

    @classmethod
    def adopt(cls, fig: go.Figure) -> SentFigure:
        """Make `fig` itself a SentFigure: no second validated copy of its data
        (seconds for a chart of 100,000 points)."""
        if isinstance(fig, cls):  # kept by figure() and again by its view
            return fig
        object.__setattr__(fig, "__class__", cls)  # the figure itself, not a copy
        fig._keep_json()
        return fig

    def __init__(self, *args, **kwargs):  # a copy or unpickling builds it the usual way
        super().__init__(*args, **kwargs)
        self._keep_json()

    def _keep_json(self) -> None:
        # What go.Figure.to_dict gives, without its deep copy of every array and list
        # (a second of a first load at 100,000 points): the dicts are copied, so the
        # typed-array conversion below changes the copy, and the arrays are only read.
        plain = {"data": _tree(self._data), "layout": _tree(self._layout)}
        if self._frame_objs:
            plain["frames"] = _tree([frame._props for frame in self._frame_objs])
        convert_to_base64(plain)
        shapes = {index: trace.geojson for index, (plain_trace, trace)
                  in enumerate(zip(plain["data"], self.data)) if "geojson" in plain_trace}
        for index in shapes:
            del plain["data"][index]["geojson"]
        # kept as UTF-8 bytes: hover texts' "·" and "–" would make a str two bytes a letter
        self._sent_json = pio.to_json(plain, validate=False).encode("utf-8")
        self._sent_shapes = shapes
        self._sent_facts: dict[str, object] = {}

    def to_dict(self) -> dict:
        plain = json.loads(self._sent_json)
        for index, shapes in self._sent_shapes.items():
            plain["data"][index]["geojson"] = shapes
        return plain

    def fact(self, name: str, compute: Callable[[go.Figure], object]) -> object:
        """compute(self), worked out once: the figure never changes, and reading
        its traces through Plotly's properties costs milliseconds on every run."""
        if name not in self._sent_facts:
            self._sent_facts[name] = compute(self)
        return self._sent_facts[name]


def _tree(value):
    """A copy of a figure's dicts (and of lists that hold dicts or lists); arrays and
    lists of plain values are the figure's own, shared, never changed."""
    if isinstance(value, dict):
        return {key: _tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(item, (dict, list, tuple))
                                                for item in value):
        return [_tree(item) for item in value]
    return value


def figure_fact(fig: go.Figure, name: str, compute: Callable[[go.Figure], object]) -> object:
    """compute(fig), kept on a cached view's figure (SentFigure), else computed now."""
    return fig.fact(name, compute) if isinstance(fig, SentFigure) else compute(fig)


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
