"""Build dashboard/assets/geo/ntb_kabkota.geojson (what the maps draw) from the source file (run once; commit).

    pip install shapely==2.1.2        # requirements-dev.txt; the app itself never imports shapely
    python dashboard/assets/geo/build.py

Source: source/ntb_kabkota.geojson (cahyadsn/wilayah_boundaries, MIT, see README.md here). Its known defects,
repaired here:
- six of the ten MultiPolygons are invalid ("nested shells": an island ring listed as a shell inside another):
  shapely.make_valid, keeping the polygonal parts;
- neighbours overlap by 0.1 to 4 km2 along their borders (each feature was simplified on its own): each
  overlap is given to one side only (the feature listed first keeps it), so no strip is drawn twice;
- islets under about 1 km2 left out (under a pixel on every screen of this app);
- rings oriented clockwise (d3-geo, used by plotly's geo charts, reads an anticlockwise ring as "everything
  but this");
- simplified by 0.0025 degrees (about 280 m: a third of a pixel on the wall's map, 130 px per degree) and rounded to 5 decimals (about 1 m).
Each feature gets ``label_lon``/``label_lat``, a point inside its shape (for the label), besides ``kode_bps``
(the ``region.code`` of the database) and ``nama``.
"""

from __future__ import annotations

import json
from pathlib import Path

from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
SOURCE, OUT = HERE / "source" / "ntb_kabkota.geojson", HERE / "ntb_kabkota.geojson"
TOLERANCE = 0.0025
MIN_ISLAND = 0.00008  # square degrees, about 1 km2


def polygonal(geom):
    """Only the polygons of a geometry (make_valid can return lines or points along with them)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return unary_union(parts)


def rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 5), round(coords[1], 5)]
    return [rounded(c) for c in coords]


def main() -> None:
    src = json.loads(SOURCE.read_text())
    shapes = []
    for f in src["features"]:
        geom = shape(f["geometry"])
        shapes.append((f["properties"], polygonal(make_valid(geom)), geom.is_valid))
    taken = None
    features = []
    for props, geom, was_valid in shapes:
        own = geom if taken is None else polygonal(geom.difference(taken))
        taken = geom if taken is None else unary_union([taken, geom])
        simple = polygonal(make_valid(own.simplify(TOLERANCE, preserve_topology=True)))
        if isinstance(simple, Polygon):
            simple = MultiPolygon([simple])
        # islets under MIN_ISLAND (about 1 km2, under a pixel on any screen here) are left out: dozens of
        # 5-point rings that only weigh on every drawing
        kept = [g for g in simple.geoms if g.area >= MIN_ISLAND] or [max(simple.geoms, key=lambda g: g.area)]
        simple = MultiPolygon(kept)
        # exterior rings clockwise, as plotly's d3-geo expects (anticlockwise ones would fill the whole globe)
        simple = MultiPolygon([orient(p, sign=-1.0) for p in simple.geoms])
        label = (
            simple.representative_point()
            if props["kode_bps"] != "5204"
            else max(simple.geoms, key=lambda g: g.area).representative_point()
        )  # Sumbawa: on the main island
        gj = mapping(simple)
        features.append(
            {
                "type": "Feature",
                "id": props["kode_bps"],
                "properties": {
                    "kode_bps": props["kode_bps"],
                    "nama": props["nama"],
                    "label_lon": round(label.x, 4),
                    "label_lat": round(label.y, 4),
                },
                "geometry": {"type": gj["type"], "coordinates": rounded(json.loads(json.dumps(gj["coordinates"])))},
            }
        )
        print(
            f"{props['kode_bps']} {props['nama']:<26} valid before {was_valid!s:<5} area {simple.area * 12300:8.1f} km2 "
            f"(approx.)  points {sum(len(r) for p in features[-1]['geometry']['coordinates'] for r in p)}"
        )
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    print(f"written {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
