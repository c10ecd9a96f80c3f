"""A small hand-built NTB Care database whose right answers are known (see the expectations in tests).

``NOW`` is Monday 30 March 2026, 10:00 WITA: just after the Nyepi / Idul Fitri holidays and cuti bersama
(18 to 24 March 2026), so every deadline below crosses weekends and holidays.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import insert, select

from core.codes import WITA
from data_seed.load import create_schema, write_calendar
from data_seed.reference import load_reference
from queries import schema


def wita(y, m, d, h=9, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=WITA)


NOW = wita(2026, 3, 30, 10, 0)

# ticket: fields. opd is an OPD code; events are (kind, time, opd code).
CASES: dict[str, dict] = {
    "T01": dict(
        title="Jalan provinsi rusak di Gerung",
        sector="infrastruktur",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 17, 9),
    ),
    "T02": dict(
        title="<img src=x onerror=alert(1)>",
        sector="lingkungan",
        region="5201",
        channel="facebook",
        classification="pengaduan",
        priority="mendesak",
        status="diterima",
        received_at=wita(2026, 3, 26, 8),
    ),
    "T03": dict(
        title="**bold** kapal penyeberangan penuh",
        sector="transportasi",
        region="5207",
        channel="website",
        classification="pengaduan",
        priority="penting",
        status="terdisposisi",
        received_at=wita(2026, 3, 13, 10),
        dispatched_at=wita(2026, 3, 26, 7),
        opd="D11",
    ),
    "T05": dict(
        title="Tambang ilegal di sungai",
        sector="pertambangan",
        region="5204",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 2, 9),
        dispatched_at=wita(2026, 3, 3, 9),
        first_response_at=wita(2026, 3, 12, 11),
        resolved_at=wita(2026, 3, 16, 14),
        opd="D21",
        events=[
            ("didisposisikan", wita(2026, 3, 3, 9), "D09"),
            ("dialihkan", wita(2026, 3, 5, 10), "D21"),
            ("ditanggapi", wita(2026, 3, 12, 11), "D21"),
            ("diselesaikan", wita(2026, 3, 16, 14), "D21"),
        ],
    ),
    "T06": dict(
        title="Jembatan putus di Praya",
        sector="infrastruktur",
        region="5202",
        channel="lapor",
        classification="pengaduan",
        priority="penting",
        status="diproses",
        received_at=wita(2025, 12, 29, 9),
        dispatched_at=wita(2025, 12, 30, 9),
        first_response_at=wita(2026, 1, 5, 9),
        opd="D03",
    ),
    "T07": dict(
        title="Puskesmas kekurangan obat",
        sector="kesehatan",
        region="5203",
        channel="loket",
        classification="pengaduan",
        priority="biasa",
        status="ditunda",
        received_at=wita(2026, 2, 27, 9),
        dispatched_at=wita(2026, 3, 2, 9),
        opd="D02",
    ),
    "T08": dict(
        title="Laporan duplikat",
        sector="sosial",
        region="5203",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diarsipkan",
        received_at=wita(2026, 3, 20, 9),
    ),
    "T09": dict(
        title="Toilet objek wisata rusak",
        sector="pariwisata",
        region="5202",
        channel="sosmed_gubernur",
        classification="aspirasi",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 25, 8),
        dispatched_at=wita(2026, 3, 25, 10),
        first_response_at=wita(2026, 3, 26, 9),
        resolved_at=wita(2026, 3, 27, 15),
        opd="D20",
    ),
    "T10": dict(
        title="Izin usaha tidak terbit",
        sector="investasi",
        region="5271",
        channel="website",
        classification="informasi",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 2, 27, 10),
        dispatched_at=wita(2026, 3, 2, 10),
        first_response_at=wita(2026, 3, 4, 10),
        resolved_at=wita(2026, 3, 13, 10),
        opd="D14",
    ),
    "T11": dict(
        title="Dugaan pungli dokumen",
        sector="pungli",
        region="5272",
        channel="lapor",
        classification="pengaduan_pengawasan",
        priority="penting",
        status="diproses",
        received_at=wita(2026, 2, 2, 9),
        dispatched_at=wita(2026, 2, 2, 15),
        first_response_at=wita(2026, 2, 5, 9),
        opd="I01",
    ),
    "T12": dict(
        title='=HYPERLINK("http://x")',
        sector=None,
        region=None,
        channel=None,
        classification="lainnya",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 30, 1),
    ),
    "T13": dict(
        title="Waktu di masa depan",
        sector="pungli",
        region="5201",
        channel="aplikasi",
        classification="pengaduan_pengawasan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 4, 10, 9),
    ),
}


def build(engine) -> None:
    """Create the schema, the reference rows, the calendar and the cases, through contract columns only."""
    ref = load_reference()
    with engine.begin() as conn:
        create_schema(conn)
        for table, rows in (("opd", ref.opd), ("region", ref.region), ("sector", ref.sector), ("channel", ref.channel)):
            conn.execute(insert(schema.metadata.tables[table]), rows)
        write_calendar(conn, last=dt.date(2027, 12, 31))
        insert_cases(conn, CASES)


def build_with(engine, cases: dict[str, dict]) -> None:
    """Like ``build``, with only ``cases`` as complaints (for tests whose period figures must count only theirs)."""
    build(engine)
    with engine.begin() as conn:
        conn.execute(schema.complaint_event.delete())
        conn.execute(schema.complaint.delete())
        insert_cases(conn, cases)


def ids_by_code(conn, table) -> dict[str, int]:
    return {code: i for i, code in conn.execute(select(table.c.id, table.c.code))}


def insert_cases(conn, cases: dict[str, dict]) -> dict[str, int]:
    """Insert complaints (and their events) as the NTB Care application would; returns ticket -> id."""
    opd_ids, sec_ids = ids_by_code(conn, schema.opd), ids_by_code(conn, schema.sector)
    reg_ids, ch_ids = ids_by_code(conn, schema.region), ids_by_code(conn, schema.channel)
    out = {}
    for ticket, c in cases.items():
        row = {
            "ticket": ticket,
            "title": c["title"],
            "body": c.get("body", "Isi aduan " + c["title"]),
            "reporter_name": c.get("reporter_name", "Baiq Rahasia"),
            "reporter_contact": c.get("reporter_contact", "081200000000"),
            "channel_id": ch_ids.get(c.get("channel")),
            "sector_id": sec_ids.get(c.get("sector")),
            "region_id": reg_ids.get(c.get("region")),
            "opd_id": opd_ids.get(c.get("opd")),
            "classification": c["classification"],
            "priority": c["priority"],
            "status": c["status"],
        }
        for col in ("received_at", "dispatched_at", "first_response_at", "resolved_at"):
            v = c.get(col)
            row[col] = v.astimezone(dt.UTC) if v else None
        cid = conn.execute(insert(schema.complaint).values(**row).returning(schema.complaint.c.id)).scalar_one()
        out[ticket] = cid
        events = c.get("events") or [("diterima", c["received_at"], None)]
        conn.execute(
            insert(schema.complaint_event),
            [
                {
                    "complaint_id": cid,
                    "occurred_at": t.astimezone(dt.UTC),
                    "kind": k,
                    "opd_id": opd_ids.get(o),
                    "actor": "uji",
                    "note": None,
                }
                for k, t, o in events
            ],
        )
    return out


def insert_now(engine, title: str, **fields) -> str:
    """Insert one complaint received now (browser tests watch it reach the wall); returns its ticket."""
    ticket = f"T-{uuid.uuid4().hex[:10]}"
    case = {
        **dict(
            title=title,
            sector="lingkungan",
            region="5271",
            channel="aplikasi",
            classification="pengaduan",
            priority="biasa",
            status="diterima",
            received_at=dt.datetime.now(dt.UTC),
        ),
        **fields,
    }
    with engine.begin() as conn:
        insert_cases(conn, {ticket: case})
    return ticket
