"""Citizen text as it really arrives (HTML line breaks and entities): shown and exported as the text it means,
never as HTML, stored unchanged (``core.textsafe.plain_text``)."""

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import exports
from core.engine import make_engine
from core.locale import LOCALES
from core.settings import SlaRules
from core.textsafe import plain_text
from dashboard import data
from dashboard.wall import html as wall_html
from queries import complaint as complaint_q
from queries import feed, schema
from tests import dataset, hostile
from tests.access_users import USERS
from tests.browser_support import ROOT
from tests.conftest import BACKENDS

LAPOR_BODY = (
    "Yth. Dinas PUPR Provinsi NTB, <br><br>Kpd Yth. Bapak Kepala Dinas<br />Jalan &amp; jembatan di "
    "Desa Kuta &quot;rusak parah&quot;.<BR/>Mohon ditindaklanjuti.<br>"
)
LAPOR_TEXT = (
    "Yth. Dinas PUPR Provinsi NTB,\n\nKpd Yth. Bapak Kepala Dinas\nJalan & jembatan di "
    'Desa Kuta "rusak parah".\nMohon ditindaklanjuti.'
)
LAPOR_TITLE = "Jalan &amp; jembatan rusak &quot;parah&quot;"


@pytest.mark.parametrize(
    "raw,shown",
    [
        (LAPOR_BODY, LAPOR_TEXT),
        (LAPOR_TITLE, 'Jalan & jembatan rusak "parah"'),
        (
            '<p>Paragraf satu.</p><p class="x">Paragraf dua &#39;kutip&#39;</p>',
            "Paragraf satu.\n\nParagraf dua 'kutip'",
        ),
        ("a<br><br><br><br>b", "a\n\nb"),
        ("&lt;br&gt; is text, <b>tebal</b> too", "<br> is text, <b>tebal</b> too"),  # decoded once, after the tags
        ("<script>alert(1)</script> &amp;lt;", "<script>alert(1)</script> &lt;"),
        ("tanpa tag\r\n  spasi\t", "tanpa tag\r\n  spasi\t"),  # no tag, no entity: unchanged, character for character
        ("Harga&nbsp;Rp&nbsp;5.000", "Harga Rp 5.000"),
        (None, ""),
        (float("nan"), ""),
        (12, "12"),
    ],
)
def test_plain_text(raw, shown):
    assert plain_text(raw) == shown


def test_hostile_texts_stay_text():
    """Every hostile title and body: a string, unchanged unless it has <br>/<p> or an entity; tags stay as text."""
    for ticket, c in hostile.CASES.items():
        for value in (c["title"], c.get("body")):
            out = plain_text(value)
            assert isinstance(out, str)
            if value is not None and "&" not in value and "<br" not in value.lower() and "<p" not in value.lower():
                assert out == value, ticket
    h01 = plain_text(hostile.CASES["H01"]["title"])
    assert "<script" in h01.lower() or "<img" in h01.lower()  # shown as the characters, not dropped


def test_wall_feed_shows_the_text_escaped_once():
    df = pd.DataFrame(
        [
            {
                "ticket": "L1",
                "received_at": pd.Timestamp("2026-12-02 01:00", tz="UTC"),
                "title": "Jalan &amp; jembatan<br>rusak <img src=x onerror=alert(1)>",
                "channel": "LAPOR!",
                "sector": "Infrastruktur",
                "region": "Kota Mataram",
                "opd": None,
                "priority": "biasa",
                "status": "diterima",
            }
        ]
    )
    html = wall_html.feed_html(df, dt.datetime(2026, 12, 2, 2, tzinfo=dt.UTC), LOCALES["id"], links=False)
    assert "Jalan &amp; jembatan\nrusak &lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp;" not in html and "<img" not in html and "<br" not in html


def test_exports_write_the_text_it_means():
    df = pd.DataFrame(
        {
            "ticket": ["L1", "L2"],
            "title": [LAPOR_TITLE, "=1+1"],
            "body": [LAPOR_BODY, None],
            "received_at": pd.to_datetime(["2026-12-01 01:00", "2026-12-01 02:00"], utc=True),
        }
    )
    rows = list(csv.DictReader(io.StringIO(exports.to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows[0]["title"] == 'Jalan & jembatan rusak "parah"' and rows[0]["body"] == LAPOR_TEXT
    assert rows[1]["title"] == "'=1+1" and rows[1]["body"] == ""  # still neutralised for Excel
    ws = load_workbook(io.BytesIO(exports.to_xlsx_bytes({"daftar": df})))["daftar"]
    assert [c.value for c in ws[2]][1:3] == ['Jalan & jembatan rusak "parah"', LAPOR_TEXT]
    pdf = exports.rapor_pdf(
        [
            {
                "opd": "PUPR-PKP",
                "figures": [("Terdisposisi", 1)],
                "breached": pd.DataFrame(
                    {
                        "ticket": ["L1"],
                        "title": [LAPOR_BODY],
                        "received_at": df["received_at"][:1],
                        "deadline": [dt.date(2026, 12, 4)],
                        "overdue_wd": [1],
                        "status": ["diterima"],
                    }
                ),
            }
        ],
        "01-12-2026 s.d. 02-12-2026",
        "aturan",
        dt.datetime(2026, 12, 2, tzinfo=dt.UTC),
        {
            "title": "Rapor OPD",
            "period": "Periode",
            "generated": "Dibuat",
            "breached_list": "Terlambat",
            "columns": ["Tiket", "Judul", "Diterima", "Tenggat", "Terlambat"],
        },
    )
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_database_keeps_the_text_unchanged(db_factory, backend):
    engine = make_engine(db_factory.url(backend), must_exist=False)
    dataset.build_with(
        engine,
        {
            "L1": dict(
                title=LAPOR_TITLE,
                body=LAPOR_BODY,
                sector="infrastruktur",
                region="5271",
                channel="lapor",
                classification="pengaduan",
                priority="biasa",
                status="diterima",
                received_at=dataset.wita(2026, 12, 1, 9),
            )
        },
    )
    with engine.connect() as conn:
        stored = conn.execute(select(schema.complaint.c.title, schema.complaint.c.body)).one()
        detail = complaint_q.complaint_detail(conn, "L1", dataset.wita(2026, 12, 2, 10), SlaRules())
        newest = feed.new_complaints(conn, 5)
    assert tuple(stored) == (LAPOR_TITLE, LAPOR_BODY)  # read back exactly as written
    assert detail.loc[0, "body"] == LAPOR_BODY and newest.loc[0, "title"] == LAPOR_TITLE  # queries do not touch it
    assert plain_text(detail.loc[0, "body"]) == LAPOR_TEXT
    engine.dispose()


def test_complaint_page_shows_line_breaks_and_characters(monkeypatch, db_factory):
    url = db_factory.url("sqlite")
    dataset.build_with(
        make_engine(url, must_exist=False),
        {
            "L1": dict(
                title=LAPOR_TITLE,
                body=LAPOR_BODY,
                sector="infrastruktur",
                region="5271",
                channel="lapor",
                classification="pengaduan",
                priority="biasa",
                status="diterima",
                received_at=dataset.wita(2026, 12, 1, 9),
                events=[("diterima", dataset.wita(2026, 12, 1, 9), None)],
            )
        },
    )
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.user = USERS["leader"]
        at.run()
        at.switch_page("pages/complaint.py")
        at.query_params["tiket"] = "L1"
        at.run()
        assert not at.exception
        texts = [e.value for e in at.text]
        assert 'Jalan & jembatan rusak "parah"' in texts and LAPOR_TEXT in texts
        assert "&amp;" not in str(at.main) and "<br" not in str(at.main)
    finally:
        data.reset()


def test_notifications_follow_the_same_rule_on_one_line():
    from alerts.messages import plain

    assert plain(LAPOR_BODY, 500) == " ".join(LAPOR_TEXT.split())
    assert plain(LAPOR_TITLE, 90) == 'Jalan & jembatan rusak "parah"'
    assert plain("<b>tebal</b> &lt;br&gt;", 90) == "<b>tebal</b> <br>"  # other tags are characters, as on the pages
