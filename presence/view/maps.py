"""Maps drawn from the project's own GeoJSON on a blank MapLibre style.

No tiles, fonts or CDN map data: the style has no sources and no glyphs, and
every shape comes from geo/. That is what lets the dashboard run on a machine
with no internet.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from presence.view.charts import LAYOUT, MISSION_COLOURS, empty_figure
from presence.view.text import plain

GEO_DIR = Path(__file__).resolve().parents[2] / "geo"
BLANK_STYLE = {"version": 8, "sources": {},
               "layers": [{"id": "sea", "type": "background",
                           "paint": {"background-color": "#dfe9f2"}}]}
CENTER = {"lat": 43.3, "lon": 19.6}
# The colour key under the map, across: beside it, it took a phone's map down to 190 px
# and cut the region off; under it, the map keeps the width (the region needs ~260 px).
COLOURBAR = dict(title=dict(text="Foreign troops", side="top"), orientation="h", thickness=12,
                 len=0.9, x=0.5, xanchor="center", y=-0.02, yanchor="top")
# MapLibre marker symbols need a sprite sheet fetched from a server, so site
# kinds are told apart by colour and size instead.
SITE_STYLE = {"headquarters": ("#111111", 15), "camp": ("#1f4e79", 11), "base": ("#7a7a7a", 11)}
# Arcs for the largest contingents only: forty lines into one point read as a
# knot (1999); the bars beside the map list every nation.
ARC_LIMIT = 12
# Arc widths in the animation, by contingent size: a frame's traces must keep
# their number, so arcs are grouped into a few widths per mission.
ARC_CLASSES = ((0, 250, 1.5), (250, 1_500, 3.5), (1_500, 10 ** 9, 7.0))


def boundaries() -> dict:
    """The region's boundaries as parsed from geo/, read when needed (twice for the map's
    shapes, kept as arrays by _shapes, then on a GeoJSON export): kept, the parsed file
    was 2 MB of Python lists held by the server for nothing."""
    return json.loads((GEO_DIR / "balkans.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _shapes(role: str) -> dict:
    """The boundaries of one role ('region' or 'context') as a figure carries them.

    Each layer gets only its own countries, and every ring is a numpy array:
    Streamlit deep-copies a figure's data on every run before sending it, and
    copying thousands of little coordinate lists cost most of the map's time
    (arrays are copied whole and written out as the same JSON numbers).
    """
    def rings(geometry: dict) -> dict:
        if geometry["type"] == "Polygon":
            return {"type": "Polygon", "coordinates": [np.asarray(r, dtype=float)
                                                       for r in geometry["coordinates"]]}
        return {"type": geometry["type"], "coordinates": [
            [np.asarray(r, dtype=float) for r in polygon] for polygon in geometry["coordinates"]]}

    return {"type": "FeatureCollection", "features": [
        {**f, "geometry": rings(f["geometry"])} for f in boundaries()["features"]
        if f["properties"]["role"] == role]}


@lru_cache(maxsize=1)
def country_points() -> pd.DataFrame:
    return pd.read_csv(GEO_DIR / "countries.csv", keep_default_na=False).set_index("iso_a3")


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[float, float]]:
    """Country code -> (lat, lon) of its dot, as a plain dict for tight loops."""
    pts = country_points()
    return {code: (float(lat), float(lon)) for code, lat, lon in
            zip(pts.index, pts["lat"], pts["lon"])}


def _arc(a: tuple[float, float], b: tuple[float, float], n: int = 24) -> tuple[list, list]:
    """A gentle curve from a to b (lat, lon), so arcs from one place fan out."""
    (la, lo), (lb, lob) = a, b
    t = np.linspace(0, 1, n)
    mid_lat, mid_lon = (la + lb) / 2, (lo + lob) / 2
    # bend perpendicular to the chord, by a fifth of its length
    dlat, dlon = lb - la, lob - lo
    bend_lat, bend_lon = -dlon * 0.2, dlat * 0.2
    lat = (1 - t) ** 2 * la + 2 * (1 - t) * t * (mid_lat + bend_lat) + t ** 2 * lb
    lon = (1 - t) ** 2 * lo + 2 * (1 - t) * t * (mid_lon + bend_lon) + t ** 2 * lob
    return lat.tolist(), lon.tolist()


def _with_neighbours() -> go.Figure:
    """A new map figure whose first layer is the region's neighbours, in grey (one layer
    for the static map and for every frame of Play)."""
    geo = _shapes("context")
    context = [f["properties"]["iso_a3"] for f in geo["features"]]
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=geo, featureidkey="properties.iso_a3", locations=context,
        z=[0] * len(context), colorscale=[[0, "#f4f4f1"], [1, "#f4f4f1"]], showscale=False,
        marker=dict(line=dict(color="#b9b9b0", width=0.6)), hoverinfo="skip",
        name="neighbours"))
    return fig


def _log_scale(top: int) -> tuple[float, float, list[float], list[str]]:
    """A log colour range from 100 troops to `top`, with 1-2-5 ticks written in full.

    Strength runs from 50,000 (Kosovo, 1999) to a few hundred; on a linear
    scale everything after 2005 would be one pale shade.
    """
    top = max(top, 1_000)
    ticks = [v for v in (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
             if v <= top]
    return 1.0, float(np.log10(top)), [float(np.log10(v)) for v in ticks], \
        [f"{v:,}" for v in ticks]


def presence_map(presence: pd.DataFrame, sites: pd.DataFrame, contingents: pd.DataFrame,
                 *, title: str | None, selected: tuple[str, ...] = (), height: int = 560,
                 scale_max: int | None = None) -> go.Figure:
    """Hosts shaded by foreign troops present (the missions' best estimates); camps
    as markers; contributor arcs.

    `scale_max` fixes the top of the colour scale (query.presence_scale), so
    frames of different years share one scale; without it the scale fits
    this frame. Without a `title` the map keeps no room for one: the pages
    write the map's dated title above it (widgets.chart's heading), so the
    same map on another day is the same figure.
    """
    if presence.empty:
        return empty_figure("Nothing to map")
    fig = _with_neighbours()
    zmin, zmax, tickvals, ticktext = _log_scale(
        scale_max or int(presence.troops_high.max()))
    low = presence.troops_low if "troops_low" in presence else presence.troops
    hover = [
        f"<b>{plain(r.name)}</b><br>" + (f"≈ {r.troops:,} foreign troops ({r.missions}, {r.as_of})"
                                  + (f"<br>figures range {lo:,}–{r.troops_high:,}"
                                     if lo != r.troops_high else "")
                                  if r.troops else "no international mission reported")
        + "<br><i>click to filter by this country</i>"
        for r, lo in zip(presence.itertuples(), low)]
    line_width = [2.5 if c in selected else 0.8 for c in presence.iso_a3]
    fig.add_trace(go.Choroplethmap(
        geojson=_shapes("region"), featureidkey="properties.iso_a3", locations=presence.iso_a3,
        z=[max(float(np.log10(v)), zmin) if v > 0 else zmin for v in presence.troops],
        zmin=zmin, zmax=zmax,
        colorscale=[[0, "#ffffff"], [0.02, "#fde0c5"], [0.45, "#f59e60"], [1, "#b2401f"]],
        marker=dict(line=dict(color=["#111" if c in selected else "#555"
                                     for c in presence.iso_a3], width=line_width),
                    opacity=0.9),
        colorbar=dict(COLOURBAR, tickvals=tickvals, ticktext=ticktext),
        hovertext=hover, hoverinfo="text", name="host countries"))

    # Clickable pins, one a country: Streamlit's bundled plotly.js reports no hover or
    # click on MapLibre choropleth fills, but does on markers, so clicks land here.
    pts = country_points()
    pins = presence[presence.iso_a3.isin(pts.index)]
    fig.add_trace(go.Scattermap(
        lat=[pts.loc[c, "lat"] for c in pins.iso_a3], lon=[pts.loc[c, "lon"] for c in pins.iso_a3],
        mode="markers", name="Country (click to filter)", customdata=pins[["iso_a3"]].to_numpy(),
        marker=dict(size=[16 if c in selected else 12 for c in pins.iso_a3], color="#5b6770",
                    opacity=0.55),
        hovertext=[h for h, c in zip(hover, presence.iso_a3) if c in set(pins.iso_a3)],
        hoverinfo="text"))

    if not contingents.empty:
        biggest = max(int(contingents.value.max()), 1)
        for r in contingents.nlargest(ARC_LIMIT, "value").itertuples():
            if r.contributor not in pts.index or r.host_country not in pts.index:
                continue
            lat, lon = _arc(tuple(pts.loc[r.contributor, ["lat", "lon"]]),
                            tuple(pts.loc[r.host_country, ["lat", "lon"]]))
            fig.add_trace(go.Scattermap(
                lat=lat, lon=lon, mode="lines", showlegend=False,
                line=dict(width=1 + 7 * r.value / biggest,
                          color=MISSION_COLOURS.get(r.mission_id, "#555")),
                # Not hoverable: arcs converge on the host and would swallow the clicks
                # that filter by country. The bars beside the map carry their numbers.
                opacity=0.55, hoverinfo="skip", name=r.contributor))

    if not sites.empty:
        for kind, rows in sites.groupby("kind"):
            colour, size = SITE_STYLE.get(kind, ("#333", 10))
            fig.add_trace(go.Scattermap(
                lat=rows.lat, lon=rows.lon, mode="markers", name=kind.capitalize(),
                marker=dict(size=size, color=colour, opacity=0.9),
                hovertext=[f"<b>{plain(r.name)}</b> ({r.mission_id})<br>"
                           f"{'opened ' + r.opened if isinstance(r.opened, str) else ''}"
                           f"{' · closed ' + r.closed if isinstance(r.closed, str) else ''}"
                           f"<br>Source: {plain(r.outlet)}" for r in rows.itertuples()],
                hoverinfo="text"))

    fig.update_layout(**{**LAYOUT, "margin": dict(l=0, r=0, t=50 if title else 8, b=0)},
                      title=title,
                      height=height,
                      map=dict(style=BLANK_STYLE, center=CENTER, zoom=5.2),
                      legend=dict(x=0.01, y=0.02, bgcolor="rgba(255,255,255,0.8)"))
    return fig


def presence_geojson(presence: pd.DataFrame, sites: pd.DataFrame, when: str) -> dict:
    """The map as data: host boundaries with troop counts, and sites as points."""
    by_code = presence.set_index("iso_a3")
    features = []
    for f in boundaries()["features"]:
        code = f["properties"]["iso_a3"]
        if code not in by_code.index:
            continue
        r = by_code.loc[code]
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "iso_a3": code, "name": r["name"], "foreign_troops": int(r.troops),
            "foreign_troops_high": int(r.troops_high), "missions": r.missions,
            "figures_as_of": r.as_of, "map_date": when}})
    for r in sites.itertuples():
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                         "properties": {"site_id": r.site_id, "name": r.name, "kind": r.kind,
                                        "mission_id": r.mission_id, "source_id": r.source_id,
                                        "source_url": r.url, "map_date": when}})
    return {"type": "FeatureCollection", "features": features}


def _frame_traces(presence: pd.DataFrame, sites: pd.DataFrame, contingents: pd.DataFrame,
                  zmin: float, zmax: float, missions: list[str], *,
                  first: bool = False) -> list[go.BaseTraceType]:
    """One frame of the animation, always the same traces in the same order:
    hosts, pins, arcs by mission and width class, sites.

    Only the first carries the boundaries and the pins' places; later frames
    send what changes (shades, hover, arcs, sites), else thirty copies of
    the boundaries would make the page megabytes heavier.
    """
    pts = country_points()
    hover = [f"<b>{plain(r.name)}</b><br>" + (f"≈ {r.troops:,} foreign troops ({r.missions}, {r.as_of})"
                                       if r.troops else "no international mission reported")
             for r in presence.itertuples()]
    shades = [max(float(np.log10(v)), zmin) if v > 0 else zmin for v in presence.troops]
    pinned = [c in pts.index for c in presence.iso_a3]
    hosts = go.Choroplethmap(z=shades, hovertext=hover, hoverinfo="text")
    pins = go.Scattermap(hovertext=[h for h, p in zip(hover, pinned) if p], hoverinfo="text")
    if first:
        hosts.update(geojson=_shapes("region"), featureidkey="properties.iso_a3",
                     locations=presence.iso_a3, zmin=zmin, zmax=zmax)
        pins.update(lat=[pts.loc[c, "lat"] for c, p in zip(presence.iso_a3, pinned) if p],
                    lon=[pts.loc[c, "lon"] for c, p in zip(presence.iso_a3, pinned) if p])
    traces: list[go.BaseTraceType] = [hosts, pins]
    top = contingents.nlargest(ARC_LIMIT, "value").to_dict("records") \
        if not contingents.empty else []
    place = _places()
    for mission_id in missions:
        for low, high, _width in ARC_CLASSES:
            lat, lon = [], []
            for r in top:
                if r["mission_id"] == mission_id and low <= r["value"] < high \
                        and r["contributor"] in place and r["host_country"] in place:
                    a, b = _arc(place[r["contributor"]], place[r["host_country"]])
                    lat += a + [None]
                    lon += b + [None]
            traces.append(go.Scattermap(lat=lat or [None], lon=lon or [None]))
    colours = [SITE_STYLE.get(k, ("#333", 10))[0] for k in sites.kind] if not sites.empty else []
    sizes = [SITE_STYLE.get(k, ("#333", 10))[1] for k in sites.kind] if not sites.empty else []
    traces.append(go.Scattermap(
        lat=list(sites.lat) or [None], lon=list(sites.lon) or [None],
        marker=dict(color=colours or "#333", size=sizes or 10),
        hovertext=[f"<b>{plain(r.name)}</b> ({r.mission_id}, {r.kind})" for r in sites.itertuples()]
        if not sites.empty else None, hoverinfo="text"))
    return traces


def presence_animation(frames: list, labels: list[str], *, scale_max: int, title: str,
                       start: int = 0, height: int = 560) -> go.Figure:
    """The map at every step as Plotly frames: Play and Pause run in the browser.

    Stepping through thirty years by rerunning the page took a server round
    trip and a full redraw per year and could not be paused; frames are sent
    once and played by plotly.js. One colour scale for every frame
    (`scale_max`), so a shade means the same strength in 1999 and 2025.
    `frames` are query.MapFrame (step, presence, sites, contingents).
    """
    if not frames:
        return empty_figure("Nothing to map")
    zmin, zmax, tickvals, ticktext = _log_scale(scale_max)
    missions = list(MISSION_COLOURS)
    fig = _with_neighbours()
    first = _frame_traces(frames[start].presence, frames[start].sites,
                          frames[start].contingents, zmin, zmax, missions, first=True)
    # Styles live on the first frame's traces; frames only change data.
    first[0].update(colorscale=[[0, "#ffffff"], [0.02, "#fde0c5"], [0.45, "#f59e60"],
                                [1, "#b2401f"]],
                    marker=dict(line=dict(color="#555", width=0.8), opacity=0.9),
                    colorbar=dict(COLOURBAR, tickvals=tickvals, ticktext=ticktext),
                    name="host countries")
    first[1].update(mode="markers", name="Country", showlegend=False,
                    marker=dict(size=12, color="#5b6770", opacity=0.55))
    i = 2
    for mission_id in missions:
        for low, _high, width in ARC_CLASSES:
            first[i].update(mode="lines", hoverinfo="skip", opacity=0.55,
                            line=dict(width=width, color=MISSION_COLOURS[mission_id]),
                            name=f"{mission_id} contingents", legendgroup=mission_id,
                            showlegend=low == 0)
            i += 1
    first[-1].update(mode="markers", name="Camps and headquarters", marker_opacity=0.9)
    for trace in first:
        fig.add_trace(trace)
    moving = list(range(1, len(first) + 1))
    fig.frames = [go.Frame(name=frame.step, traces=moving,
                           data=_frame_traces(frame.presence, frame.sites, frame.contingents,
                                              zmin, zmax, missions),
                           layout=dict(title_text=f"{title}, {label}"))
                  for frame, label in zip(frames, labels)]
    play = dict(label="▶ Play", method="animate",
                args=[None, {"frame": {"duration": 900, "redraw": True}, "fromcurrent": True,
                             "transition": {"duration": 0}}])
    pause = dict(label="❚❚ Pause", method="animate",
                 args=[[None], {"frame": {"duration": 0, "redraw": False},
                                "mode": "immediate", "transition": {"duration": 0}}])
    fig.update_layout(
        **{**LAYOUT, "margin": dict(l=0, r=0, t=50, b=0)}, title=f"{title}, {labels[start]}",
        height=height, map=dict(style=BLANK_STYLE, center=CENTER, zoom=5.2),
        legend=dict(x=0.01, y=0.02, bgcolor="rgba(255,255,255,0.8)"),
        updatemenus=[dict(type="buttons", direction="left", buttons=[play, pause], x=0.01,
                          y=1.0, xanchor="left", yanchor="top", pad=dict(t=4, r=4))],
        sliders=[dict(active=start, x=0.2, len=0.78, y=1.0, yanchor="top", pad=dict(t=4),
                      currentvalue=dict(visible=False),
                      steps=[dict(label=label, method="animate",
                                  args=[[frame.step], {"frame": {"duration": 0, "redraw": True},
                                                       "mode": "immediate"}])
                             for frame, label in zip(frames, labels)])])
    return fig
