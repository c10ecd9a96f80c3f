"""Static geography for maps drawn without web tiles: the real boundaries of the 10 kabupaten/kota.

``dashboard/assets/geo/ntb_kabkota.geojson`` is built once from the source file (cahyadsn/wilayah_boundaries,
MIT; attribution and licence in dashboard/assets/geo/) by ``dashboard/assets/geo/build.py`` and committed.
The kecamatan centroids remain for anything that needs points.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
KECAMATAN_CSV = ROOT / "data_seed" / "reference" / "kecamatan.csv"
KABKOTA_GEOJSON = ROOT / "dashboard" / "assets" / "geo" / "ntb_kabkota.geojson"


@lru_cache(maxsize=1)
def kecamatan_points() -> pd.DataFrame:
    """The 117 kecamatan centroids of NTB (name, lat, lon)."""
    df = pd.read_csv(KECAMATAN_CSV, dtype={"kode_kab": str})
    return df.rename(columns={"nama_kecamatan": "name"})[["name", "lat", "lon"]]


@lru_cache(maxsize=1)
def region_shapes() -> dict:
    """The 10 kabupaten/kota as a GeoJSON FeatureCollection; each feature's ``id`` and ``properties.kode_bps``
    are the BPS code (``region.code``), ``properties.label_lon/label_lat`` a point inside the shape. The same
    object is returned every time: do not change it."""
    return json.loads(KABKOTA_GEOJSON.read_text())
