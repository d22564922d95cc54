"""Derive the project's boundary files from Natural Earth, once, at build time.

The dashboard must draw maps with no network, so the boundaries are cut here
and committed. Input is the npm package `world-atlas` (Natural Earth 1:10m and
1:110m as TopoJSON, public domain). Run:

    python geo/make_geo.py [PATH_TO_world-atlas_PACKAGE_DIR]

Without a path the script runs `npm pack world-atlas@VERSION` in a temporary
folder (needs npm and the npm registry). It writes:

    geo/balkans.geojson   the eight Western Balkan states (role=region) and
                          their neighbours (role=context), 1:10m, clipped
    geo/countries.csv     a representative point for every country (1:110m),
                          used to draw contributor -> host arcs
    geo/SOURCE.json       what was read: package, version, files, date
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pycountry
import shapely
from shapely.geometry import box
from shapely.validation import make_valid

WORLD_ATLAS_VERSION = "2.0.2"
HERE = Path(__file__).resolve().parent

REGION = {"SVN", "HRV", "BIH", "SRB", "XKX", "MNE", "ALB", "MKD"}
CONTEXT = {"ITA", "AUT", "HUN", "ROU", "BGR", "GRC", "SVK", "UKR", "MDA", "TUR", "SMR", "VAT",
           "CZE", "DEU", "CHE", "POL", "FRA", "LIE", "MLT", "CYP", "TUN", "LBY", "DZA", "BLR", "RUS"}
# lon_min, lat_min, lon_max, lat_max: a frame around the region, wide enough
# for the neighbours to read as context.
FRAME = (4.0, 34.0, 36.0, 52.0)
# How far a border may move when simplified, and the grid its points are rounded to, in
# degrees. The dashboard's maps open at zoom 5.2, where a pixel is about 0.019 degrees
# of longitude (a tile is 512 px at zoom 0): the region's borders move by at most a
# tenth of a pixel there (half a pixel zoomed in four times) and sit on an 11 m grid;
# the neighbours, grey context, move by at most a pixel and sit on a 110 m grid. Every
# point of the file is parsed and its shapes cut into triangles by MapLibre in the
# browser each time a map is drawn (in software WebGL on a machine without a GPU):
# the neighbours' coastlines and islands (Greece, Italy, Türkiye, Ukraine) were most
# of them, at a precision no screen shows.
TOLERANCE = {"region": 0.002, "context": 0.02}
GRID = {"region": 1e-4, "context": 1e-3}
# Natural Earth names with no ISO numeric id in world-atlas.
BY_NAME = {"Kosovo": "XKX", "N. Cyprus": None, "Somaliland": None}


def fetch_package(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", f"world-atlas@{WORLD_ATLAS_VERSION}"], cwd=workdir,
                   check=True, capture_output=True)
    tgz = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def alpha3(row) -> str | None:
    if row["name"] in BY_NAME:
        return BY_NAME[row["name"]]
    if not isinstance(row["id"], str):
        return None
    country = pycountry.countries.get(numeric=row["id"])
    return country.alpha_3 if country else None


def read_countries(package: Path, scale: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(package / f"countries-{scale}.json", layer="countries")
    frame["iso_a3"] = frame.apply(alpha3, axis=1)
    frame = frame.dropna(subset=["iso_a3"]).set_crs(4326, allow_override=True)
    frame["geometry"] = frame.geometry.apply(make_valid)
    return frame


def mainland(geom):
    """A point inside the largest part, so France's lands in France, not Guiana."""
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda part: part.area).representative_point()


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(argv[1]) if len(argv) > 1 else fetch_package(Path(tmp))
        meta = json.loads((package / "package.json").read_text())
        fine = read_countries(package, "10m")
        coarse = read_countries(package, "110m")

    keep = fine[fine.iso_a3.isin(REGION | CONTEXT)].copy()
    keep["geometry"] = keep.geometry.intersection(box(*FRAME)).apply(make_valid)
    keep = keep[~keep.geometry.is_empty]
    keep["role"] = keep.iso_a3.map(lambda c: "region" if c in REGION else "context")
    keep["name"] = keep.apply(
        lambda r: "Kosovo" if r.iso_a3 == "XKX" else pycountry.countries.get(alpha_3=r.iso_a3).name,
        axis=1)
    # 1:10m is far finer than a dashboard map needs (TOLERANCE, GRID).
    keep["geometry"] = [shapely.set_precision(g.simplify(TOLERANCE[role], preserve_topology=True),
                                              GRID[role])
                        for g, role in zip(keep.geometry, keep.role)]
    keep = keep[["iso_a3", "name", "role", "geometry"]].sort_values("iso_a3")
    (HERE / "balkans.geojson").write_text(keep.to_json(drop_id=True, to_wgs84=True))

    # Points come from the finer file so small states (Kosovo, Montenegro) sit
    # inside their borders; the coarse file lists countries 10m lacks as well.
    points = {}
    for frame in (coarse, fine):
        merged = frame.dissolve(by="iso_a3")
        points.update((code, mainland(geom)) for code, geom in merged.geometry.items()
                      if not geom.is_empty)
    rows = ["iso_a3,lat,lon"] + [f"{code},{pt.y:.4f},{pt.x:.4f}"
                                 for code, pt in sorted(points.items()) if code]
    (HERE / "countries.csv").write_text("\n".join(rows) + "\n")

    (HERE / "SOURCE.json").write_text(json.dumps({
        "source": "Natural Earth (public domain), via the npm package world-atlas",
        "package": meta["name"], "version": meta["version"],
        "homepage": "https://github.com/topojson/world-atlas",
        "natural_earth": "https://www.naturalearthdata.com/",
        "files": {"balkans.geojson": "countries-10m.json, clipped to lon/lat frame "
                  f"{list(FRAME)}, simplified at {TOLERANCE['region']} degrees (region) and "
                  f"{TOLERANCE['context']} degrees (neighbours), points rounded to "
                  f"{GRID['region']} and {GRID['context']} degrees",
                  "countries.csv": "representative points of countries-10m.json "
                  "(countries-110m.json where 10m lacks one)"},
        "kosovo": "present by name only (no ISO numeric id); coded XKX",
        "made": dt.date.today().isoformat(),
    }, indent=2) + "\n")
    print(f"wrote {len(keep)} boundaries and {len(rows) - 1} points")


if __name__ == "__main__":
    main(sys.argv)
