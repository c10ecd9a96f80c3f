"""Static geography for maps drawn without web tiles: kecamatan centroids sketch the islands."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

KECAMATAN_CSV = Path(__file__).resolve().parent.parent / "data_seed" / "reference" / "kecamatan.csv"


@lru_cache(maxsize=1)
def kecamatan_points() -> pd.DataFrame:
    """The 117 kecamatan centroids of NTB (name, lat, lon)."""
    df = pd.read_csv(KECAMATAN_CSV, dtype={"kode_kab": str})
    return df.rename(columns={"nama_kecamatan": "name"})[["name", "lat", "lon"]]
