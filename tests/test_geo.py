"""geo/: the boundary files the maps are drawn from."""
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

GEO = Path(__file__).resolve().parent.parent / "geo"
REGION = {"SVN", "HRV", "BIH", "SRB", "XKX", "MNE", "ALB", "MKD"}


def test_boundaries_cover_the_region_with_valid_geometry():
    g = gpd.read_file(GEO / "balkans.geojson")
    assert set(g[g.role == "region"].iso_a3) == REGION
    assert g.iso_a3.is_unique
    assert g.geometry.is_valid.all() and not g.geometry.is_empty.any()
    assert set(g.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    kosovo = g[g.iso_a3 == "XKX"].geometry.iloc[0]
    assert kosovo.contains(gpd.points_from_xy([21.16], [42.66])[0])  # Pristina
    serbia = g[g.iso_a3 == "SRB"].geometry.iloc[0]
    assert not serbia.contains(gpd.points_from_xy([21.16], [42.66])[0])


def test_country_points_and_source_note():
    pts = pd.read_csv(GEO / "countries.csv", keep_default_na=False)
    assert pts.iso_a3.is_unique and {"USA", "ITA", "TUR", "XKX"} <= set(pts.iso_a3)
    assert pts.lat.between(-90, 90).all() and pts.lon.between(-180, 180).all()
    src = json.loads((GEO / "SOURCE.json").read_text())
    assert "Natural Earth" in src["source"] and src["version"]


def test_boundaries_are_as_fine_as_a_screen_shows_and_no_finer():
    """geo/make_geo.py's grid: the region's points on 0.0001 degrees (11 m), the grey
    neighbours' on 0.001; the file is what the browser parses for every map drawn."""
    data = json.loads((GEO / "balkans.geojson").read_text())

    def points(coordinates):
        if isinstance(coordinates[0], (int, float)):
            yield coordinates
        else:
            for part in coordinates:
                yield from points(part)

    for feature in data["features"]:
        places = 4 if feature["properties"]["role"] == "region" else 3
        for x, y in points(feature["geometry"]["coordinates"]):
            assert round(x, places) == x and round(y, places) == y, feature["properties"]
    assert (GEO / "balkans.geojson").stat().st_size < 200_000
