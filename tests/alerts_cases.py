"""The alert tests' world: the hand-built dataset plus a few late stages, real receivers and recipients."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from alerts.recipients import load_recipients
from alerts.settings import AlertSettings
from alerts.worker import Worker
from core.engine import make_engine
from core.settings import SlaRules
from tests import dataset
from tests.dataset import wita

REPORTER_NAME, REPORTER_CONTACT = "Lalu Rahasia Pelapor", "081199998888"

# Late stages of OPDs with and without contacts (besides the dataset's T01 / T02 / T06):
EXTRA = {
    # Inspektorat (no contacts): response breached by 2 working days on Monday 30 March 2026
    "A01": dict(
        title="Laporan pungli retribusi pasar",
        sector="pungli",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="penting",
        status="terdisposisi",
        received_at=wita(2026, 3, 11, 9),
        dispatched_at=wita(2026, 3, 12, 9),
        opd="I01",
    ),
    # Dinas PUPR, merged into PUPR-PKP (N02) on 2 Jan 2026: response at risk, goes to N02's contacts
    "A02": dict(
        title="Saluran irigasi jebol",
        sector="infrastruktur",
        region="5202",
        channel="website",
        classification="pengaduan",
        priority="biasa",
        status="terdisposisi",
        received_at=wita(2026, 3, 13, 9),
        dispatched_at=wita(2026, 3, 16, 9),
        opd="D03",
    ),
}


def urgent_case(
    ticket: str, at: dt.datetime, title: str = "Banjir bandang <br>rumah warga &amp; sekolah terendam"
) -> dict:
    return {
        ticket: dict(
            title=title,
            sector="lingkungan",
            region="5271",
            channel="aplikasi",
            classification="pengaduan",
            priority="mendesak",
            status="diterima",
            received_at=at,
            body="Air naik sejak subuh.<br/>Mohon bantuan &quot;segera&quot;. " + "x" * 300,
            reporter_name=REPORTER_NAME,
            reporter_contact=REPORTER_CONTACT,
        )
    }


def build(url: str):
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    with engine.begin() as conn:
        dataset.insert_cases(
            conn,
            {k: {**v, "reporter_name": REPORTER_NAME, "reporter_contact": REPORTER_CONTACT} for k, v in EXTRA.items()},
        )
    return engine


def insert_urgent(engine, ticket: str, at: dt.datetime, **kw) -> None:
    with engine.begin() as conn:
        dataset.insert_cases(conn, urgent_case(ticket, at, **kw))


def recipients(smtp, hook, opd=True):
    sec = {
        "secretariat": [smtp.url("sekretariat@ntbprov.go.id"), hook.url("sekretariat")],
        "advisers": [smtp.url("staf.ahli@ntbprov.go.id")],
        "leaders": [hook.url("pimpinan")],
        "lang": {"advisers": "en"},
    }
    if opd:
        sec["opd"] = {"N02": smtp.url("pupr@ntbprov.go.id")}
    return load_recipients(secrets=sec, read_files=False)


class Clock:
    """A settable clock for the worker (aware datetimes). ``db_offset``: how far the database's clock is
    behind the worker's (a wrong worker clock: the skew check)."""

    def __init__(self, at: dt.datetime):
        self.at = at
        self.db_offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime) -> None:
        self.at = at

    def advance(self, **delta) -> None:
        self.at = self.at + dt.timedelta(**delta)

    def database(self, _conn) -> dt.datetime:
        """The database's ``now()`` in this simulated world."""
        return self.at - self.db_offset


def worker(engine, recips, clock, **settings) -> Worker:
    base = replace(
        AlertSettings.defaults(),
        public_url="https://monitor.ntbprov.go.id/",
        retry_base_s=60,
        retry_for_s=240,
        send_timeout_s=2,
    )
    return Worker(
        engine, replace(base, **settings), SlaRules(), recips, clock=clock, worker_id="uji", db_clock=clock.database
    )
