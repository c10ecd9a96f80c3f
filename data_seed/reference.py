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


def widen(ref: Reference, opds: int) -> Reference:
    """The same reference with more agencies, as a national LAPOR! instance has (``--opds N``).

    Units are added until ``opds`` units are active: each is a regional office of an OPD that handles a
    sector (``"Dinas Kesehatan Kab. Lombok Barat"``), routed the same sectors as the unit it copies, so that
    the complaints of a sector spread over it and its offices. Fewer than today's active units is refused.
    """
    active = [o for o in ref.opd if o["successor_id"] is None]
    if opds <= len(active):
        if opds < len(active):
            raise ValueError(f"--opds must be at least {len(active)} (the units active today)")
        return ref
    by_code = {o["code"]: o for o in ref.opd}
    routed = [c for codes in ref.sector_opd_codes.values() for c in codes]
    bases = [by_code[c] for c in dict.fromkeys(routed)]  # units that handle a sector: offices get complaints
    opd_rows = list(ref.opd)
    sector_codes = {s: list(codes) for s, codes in ref.sector_opd_codes.items()}
    wanted = opds - len(active)
    for k in range(wanted):
        base = bases[k % len(bases)]
        round_ = k // len(bases)
        region = ref.region[round_ % len(ref.region)]
        office = f" Wilayah {round_ // len(ref.region) + 1}" if round_ >= len(ref.region) else ""
        row = {
            "id": len(opd_rows) + 1,
            "code": f"X{k + 1:04d}",
            "name": f"{base['name']} {region['name']}{office}",
            # "Kab. Bima" -> "Bima", but "Kota Bima" stays: two regions, two offices, two names on every page
            "short_name": f"{base['short_name']} {region['name'].removeprefix('Kab. ')}{office}",
            "kind": base["kind"],
            "valid_from": dt.date(2016, 12, 1),
            "valid_to": None,
            "successor_id": None,
        }
        opd_rows.append(row)
        for codes in sector_codes.values():
            if base["code"] in codes:
                codes.append(row["code"])
    return Reference(
        opd=opd_rows,
        region=ref.region,
        sector=ref.sector,
        channel=ref.channel,
        sector_opd_codes=sector_codes,
        sector_weight=ref.sector_weight,
        channel_from=ref.channel_from,
        channel_weight=ref.channel_weight,
    )
