"""Reference data (OPD, regions, sectors, channels) read from the CSV files in ``reference/``."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

REF = Path(__file__).with_name("reference")
REORG_DAY = dt.date(2026, 1, 2)


def _rows(name: str) -> list[dict[str, str]]:
    with (REF / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@dataclass
class Reference:
    """All reference rows with their ids, ready to insert, plus the routing hints for the generator."""

    opd: list[dict]
    region: list[dict]
    sector: list[dict]
    channel: list[dict]
    sector_opd_codes: dict[str, list[str]]
    sector_weight: dict[str, float]
    channel_from: dict[str, dt.date]
    channel_weight: dict[str, float]

    def id_of(self, table: str, code: str) -> int:
        return next(r["id"] for r in getattr(self, table) if r["code"] == code)


def load_reference() -> Reference:
    opd_rows: list[dict] = []
    for i, r in enumerate(_rows("opd.csv"), start=1):
        opd_rows.append(
            {
                "id": i,
                "code": r["id"],
                "name": r["nama_lengkap"],
                "short_name": r["singkatan"],
                "kind": r["jenis"],
                "valid_from": dt.date(2016, 12, 1),
                "valid_to": None,
                "successor_id": None,
            }
        )
    by_code = {r["code"]: r for r in opd_rows}
    for r in _rows("reorg_2026.csv"):
        if r["short_name"]:
            new = {
                "id": len(opd_rows) + 1,
                "code": r["code"],
                "name": r["name"],
                "short_name": r["short_name"],
                "kind": r["kind"],
                "valid_from": REORG_DAY,
                "valid_to": None,
                "successor_id": None,
            }
            opd_rows.append(new)
            by_code[new["code"]] = new
        successor = by_code[r["code"]]
        for pred in r["predecessors"].split(";"):
            by_code[pred]["valid_to"] = REORG_DAY - dt.timedelta(days=1)
            by_code[pred]["successor_id"] = successor["id"]

    region_rows = [
        {
            "id": i,
            "code": r["kode_bps"],
            "name": f"{'Kota' if r['jenis'] == 'Kota' else 'Kab.'} {r['nama']}",
            "kind": r["jenis"].lower(),
            "lat": float(r["ibukota_lat"]),
            "lon": float(r["ibukota_lon"]),
            "population": int(r["penduduk_2025"]),
        }
        for i, r in enumerate(_rows("kabkota.csv"), start=1)
    ]
    sectors = _rows("sectors.csv")
    channels = _rows("channels.csv")
    return Reference(
        opd=opd_rows,
        region=region_rows,
        sector=[{"id": i, "code": r["code"], "name": r["name"]} for i, r in enumerate(sectors, start=1)],
        channel=[{"id": i, "code": r["code"], "name": r["name"]} for i, r in enumerate(channels, start=1)],
        sector_opd_codes={r["code"]: r["opd_codes"].split(";") for r in sectors},
        sector_weight={r["code"]: float(r["weight"]) for r in sectors},
        channel_from={r["code"]: dt.date.fromisoformat(r["available_from"]) for r in channels},
        channel_weight={r["code"]: float(r["weight"]) for r in channels},
    )


def kecamatan_table(ref: Reference) -> tuple[list[str], list[int]]:
    """Names of the 117 kecamatan and the id of the region each belongs to (titles name a real place)."""
    by_code = {r["code"]: r["id"] for r in ref.region}
    rows = _rows("kecamatan.csv")
    return [r["nama_kecamatan"] for r in rows], [by_code[r["kode_kab"].replace(".", "")] for r in rows]
