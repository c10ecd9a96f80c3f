"""The alert worker in process, time injected, against a real SMTP server and a real JSON webhook, on both
databases: a whole day of notices, quiet hours, working days and cuti bersama, retries, catch-up, the rapor."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from alerts import outbox as q
from alerts import schedule
from alerts import tables as tb
from alerts.settings import AlertSettings
from core import rapor as rapor_mod
from core.periods import previous_month
from core.settings import SlaRules
from queries.scorecard import opd_scorecard
from tests import alerts_cases as ac
from tests.alerts_support import SmtpSink, WebhookSink
from tests.browser_support import ARTIFACTS
from tests.dataset import wita

ONLY_URGENT = frozenset({"hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan"})
PREFIX = 'Air naik sejak subuh. Mohon bantuan "segera". '
SECRET_PIECES = (ac.REPORTER_NAME, ac.REPORTER_CONTACT, "Baiq Rahasia", "081200000000")


@pytest.fixture
def receivers():
    smtp, hook = SmtpSink().start(), WebhookSink()
    yield smtp, hook
    smtp.stop()
    hook.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, db_factory):
    engine = ac.build(db_factory.url(request.param))
    yield request.param, engine
    engine.dispose()


@pytest.fixture
def sqlite_world(db_factory):
    engine = ac.build(db_factory.url("sqlite"))
    yield engine
    engine.dispose()


def outbox(engine):
    with engine.connect() as conn:
        return q.outbox_rows(conn, limit=10_000)


def no_personal_data(texts):
    for text in texts:
        for piece in SECRET_PIECES:
            assert piece not in text


@dataclass
class Day:
    """What one simulated Monday produced: receivers' mail and webhooks, counts after each step, the outbox."""

    backend: str
    mail: list[dict]
    hooks: list[dict]
    arrived: dict[tuple[int, int], tuple[int, int]]
    outbox: object

    def mail_text(self, to: str, subject: str) -> list[str]:
        (m,) = [m for m in self.mail if (m["to"][0], m["subject"]) == (to, subject)]
        return m["text"].replace("\r\n", "\n").strip().splitlines()


DAY_STEPS = [
    ((5, 0), None),
    ((6, 10), "NTB-2026-U01"),
    ((6, 11), None),
    ((7, 29), None),
    ((7, 30), None),
    ((7, 31), None),
    ((12, 0), "NTB-2026-U02"),
    ((21, 0), "NTB-2026-U03"),
    ((21, 1), None),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def day(request, db_factory) -> Day:
    """Monday 30 March 2026 (after Nyepi, Idul Fitri and cuti bersama), from 05:00 to 21:01 WITA, run once
    per backend; each test below checks one behaviour of it."""
    engine = ac.build(db_factory.url(request.param))
    smtp, hook = SmtpSink().start(), WebhookSink()
    try:
        clock = ac.Clock(wita(2026, 3, 30, 5, 0))
        w = ac.worker(engine, ac.recipients(smtp, hook), clock)
        arrived = {}
        for hm, ticket in DAY_STEPS:
            clock.set(wita(2026, 3, 30, *hm))
            if ticket:
                ac.insert_urgent(engine, ticket, clock.at)
            assert w.cycle() == "active"
            arrived[hm] = (len(smtp.messages), len(hook.received))
        result = Day(request.param, list(smtp.messages), list(hook.received), arrived, outbox(engine))
    finally:
        smtp.stop()
        hook.close()
        engine.dispose()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / f"alerts-day-{result.backend}.txt").open("w") as fh:
        for m in sorted(result.mail, key=lambda m: m["at"]):
            fh.write(f"=== SMTP to {m['to'][0]} | {m['subject']}\n{m['text'].strip()}\n\n")
        for m in result.hooks:
            fh.write(f"=== WEBHOOK {m['path']} | {m['title']}\n{m['message'].strip()}\n\n")
    return result


def test_day_urgent_goes_at_once_even_in_quiet_hours(day):
    """The mendesak complaint of 06:10 (quiet hours) goes in that cycle, to both secretariat targets."""
    assert day.arrived[(5, 0)] == (0, 0)
    assert day.arrived[(6, 10)] == day.arrived[(7, 29)] == (1, 1)


def test_day_batch_waits_for_0730_and_goes_once(day):
    assert day.arrived[(7, 30)] == day.arrived[(7, 31)] == (10, 7)
    assert day.arrived[(12, 0)] == (11, 8) and day.arrived[(21, 0)] == day.arrived[(21, 1)] == (12, 9)


def test_day_each_target_gets_its_notices(day):
    """Per recipient and subject: the OPD's own contacts (D03 merged into N02), the advisers in English."""
    sec, pupr, adv = "sekretariat@ntbprov.go.id", "pupr@ntbprov.go.id", "staf.ahli@ntbprov.go.id"
    assert Counter((m["to"][0], m["subject"]) for m in day.mail) == Counter(
        {
            (sec, "[NTB Care] Aduan MENDESAK baru NTB-2026-U01"): 1,
            (sec, "[NTB Care] 1 tahap hampir jatuh tempo: Belum ke OPD"): 1,
            (sec, "[NTB Care] 1 tahap hampir jatuh tempo: PUPR-PKP"): 1,
            (pupr, "[NTB Care] 1 tahap hampir jatuh tempo: PUPR-PKP"): 1,
            (sec, "[NTB Care] 1 tahap terlambat: Belum ke OPD"): 1,
            (sec, "[NTB Care] 1 tahap terlambat: Inspektorat"): 1,
            (sec, "[NTB Care] 1 tahap terlambat: PUPR-PKP"): 1,
            (pupr, "[NTB Care] 1 tahap terlambat: PUPR-PKP"): 1,
            (adv, "[NTB Care] Escalation: 1 stage breached by >= 3 working days"): 1,
            (adv, "[NTB Care] Daily digest 30 Mar 2026"): 1,
            (sec, "[NTB Care] Aduan MENDESAK baru NTB-2026-U02"): 1,
            (sec, "[NTB Care] Aduan MENDESAK baru NTB-2026-U03"): 1,
        }
    )


def test_day_webhook_targets_get_theirs(day):
    assert Counter((m["path"], m["title"]) for m in day.hooks) == Counter(
        {
            ("/sekretariat", "[NTB Care] Aduan MENDESAK baru NTB-2026-U01"): 1,
            ("/sekretariat", "[NTB Care] 1 tahap hampir jatuh tempo: Belum ke OPD"): 1,
            ("/sekretariat", "[NTB Care] 1 tahap hampir jatuh tempo: PUPR-PKP"): 1,
            ("/sekretariat", "[NTB Care] 1 tahap terlambat: Belum ke OPD"): 1,
            ("/sekretariat", "[NTB Care] 1 tahap terlambat: Inspektorat"): 1,
            ("/sekretariat", "[NTB Care] 1 tahap terlambat: PUPR-PKP"): 1,
            ("/pimpinan", "[NTB Care] Eskalasi: 1 tahap terlambat >= 10 hari kerja"): 1,
            ("/sekretariat", "[NTB Care] Aduan MENDESAK baru NTB-2026-U02"): 1,
            ("/sekretariat", "[NTB Care] Aduan MENDESAK baru NTB-2026-U03"): 1,
        }
    )


def test_day_urgent_notice_text_is_plain_short_and_linked(day):
    lines = day.mail_text("sekretariat@ntbprov.go.id", "[NTB Care] Aduan MENDESAK baru NTB-2026-U01")
    assert lines[:8] == [
        "Aduan mendesak baru",
        "Tiket: NTB-2026-U01",
        "OPD: Belum ke OPD",
        "Tahap: verifikasi & disposisi, tenggat 02-04-2026",  # 3 working days: 31 Mar, 1, 2 Apr (3 Apr: Good Friday)
        "Diterima: 30-03-2026 06:10 WITA",
        "Judul: Banjir bandang rumah warga & sekolah terendam",  # <br> and &amp; made plain
        "Isi: " + PREFIX + "x" * (159 - len(PREFIX)) + "…",  # plain, shortened to 160 characters
        "Tautan: https://monitor.ntbprov.go.id/aduan?tiket=NTB-2026-U01",
    ]


def test_day_secretariat_is_told_of_an_opd_without_contacts(day):
    assert day.mail_text("sekretariat@ntbprov.go.id", "[NTB Care] 1 tahap terlambat: Inspektorat") == [
        "Terlambat (Inspektorat), 30 Mar 2026:",
        "- A01 | tanggapan pertama | tenggat 26-03-2026 | terlambat 2 hk",
        "  https://monitor.ntbprov.go.id/aduan?tiket=A01",
        "Catatan: OPD Inspektorat belum punya kontak notifikasi.",
    ]


def test_day_opd_gets_its_at_risk_stage(day):
    assert day.mail_text("pupr@ntbprov.go.id", "[NTB Care] 1 tahap hampir jatuh tempo: PUPR-PKP") == [
        "Hampir jatuh tempo (PUPR-PKP), 30 Mar 2026:",
        "- A02 | tanggapan pertama | tenggat 30-03-2026",
        "  https://monitor.ntbprov.go.id/aduan?tiket=A02",
    ]


def test_day_advisers_digest_in_english(day):
    assert day.mail_text("staf.ahli@ntbprov.go.id", "[NTB Care] Daily digest 30 Mar 2026") == [
        "Open: 11 | Breached: 3 | At risk: 2",
        "Newly breached since the last digest: 1: T01",
        "OPDs with the most breached:",
        "1. PUPR-PKP: 1 breached, 1 at risk",
        "2. No OPD yet: 1 breached, 1 at risk",
        "3. Inspektorat: 1 breached, 0 at risk",
        "OPD compliance: https://monitor.ntbprov.go.id/kepatuhan",
        "Breached complaints: https://monitor.ntbprov.go.id/aduan?status=terbuka&sla=breached",
    ]


def test_day_leaders_escalation_after_ten_working_days(day):
    (leaders,) = [m for m in day.hooks if m["path"] == "/pimpinan"]
    assert leaders["message"].splitlines() == [
        "Terlambat 10 hari kerja atau lebih, 30 Mar 2026:",
        "- T06 | PUPR-PKP | penyelesaian | tenggat 21-01-2026 | terlambat 41 hk",
        "  https://monitor.ntbprov.go.id/aduan?tiket=T06",
    ]


def test_day_no_personal_data_and_short_enough_for_a_phone(day):
    texts = [m["subject"] + m["text"] for m in day.mail] + [m["title"] + m["message"] for m in day.hooks]
    no_personal_data(texts)
    assert max(len(m["text"]) for m in day.mail) < 1000


def test_day_outbox_names_targets_and_sent_each_once(day):
    box = day.outbox
    assert len(box) == 21 and set(box["status"]) == {"sent"} and box["attempts"].eq(1).all()
    assert not box["target"].str.contains("://").any()  # names, never URLs


def test_quiet_hours_hold_retries_and_smtp_down_then_back(sqlite_world, receivers):
    """SMTP down during an evening batch: retries back off into the quiet hours, where only urgent notices
    go; the held batch goes at 07:00. Every notice arrives exactly once."""
    engine = sqlite_world
    smtp, hook = receivers
    smtp.stop()
    clock = ac.Clock(wita(2026, 3, 30, 19, 50))
    w = ac.worker(
        engine,
        ac.recipients(smtp, hook),
        clock,
        batch_at=dt.time(19, 50),
        retry_for_s=24 * 3600,
        disabled=frozenset({"ringkasan_harian", "hampir_jatuh_tempo"}),
    )
    w.cycle()
    box = outbox(engine)
    mails = box[box["target"].isin(["secretariat-1", "advisers-1", "opd-N02-1"])]
    assert len(mails) == 5 and set(mails["status"]) == {"pending"} and mails["attempts"].eq(1).all()
    assert mails["last_error"].str.contains("127.0.0.1").all()
    assert len(hook.received) == 4  # the webhook was up
    clock.set(
        wita(
            2026,
            3,
            30,
            19,
            51,
        )
        + dt.timedelta(seconds=5)
    )
    w.cycle()  # second attempt fails too: next one after 2 minutes, i.e. 19:53
    assert outbox(engine).set_index("target").loc["secretariat-1", "attempts"].max() == 2
    smtp.start()
    clock.set(wita(2026, 3, 30, 20, 5))
    ac.insert_urgent(engine, "NTB-2026-U09", clock.at)
    w.cycle()  # quiet hours: the urgent one goes, the batch waits
    assert [m["subject"] for m in smtp.messages] == ["[NTB Care] Aduan MENDESAK baru NTB-2026-U09"]
    clock.set(wita(2026, 3, 31, 6, 59))
    w.cycle()
    assert len(smtp.messages) == 1
    clock.set(wita(2026, 3, 31, 7, 0))
    w.cycle()
    subjects = Counter((m["to"][0], m["subject"]) for m in smtp.messages)
    assert len(smtp.messages) == 6 and max(subjects.values()) == 1
    assert ("pupr@ntbprov.go.id", "[NTB Care] 1 tahap terlambat: PUPR-PKP") in subjects
    for _ in range(3):
        w.cycle()
    assert len(smtp.messages) == 6
    box = outbox(engine)
    assert set(box["status"]) == {"sent"}


def test_batches_skip_weekends_holidays_and_cuti_bersama(sqlite_world):
    """18-24 March 2026: cuti bersama, Nyepi, Idul Fitri, a weekend: no batch, no digest; they go on
    Wednesday 25 March, the next working day, and list what became late meanwhile."""
    engine = sqlite_world
    clock = ac.Clock(wita(2026, 3, 17, 7, 0))
    w = ac.worker(engine, ac.load_recipients(secrets={}, read_files=False), clock)  # demo: outbox only
    w.cycle()
    for day in (18, 19, 20, 21, 22, 23, 24):
        for hm in ((7, 30), (8, 0), (12, 0)):
            clock.set(wita(2026, 3, day, *hm))
            w.cycle()
    assert outbox(engine).empty
    clock.set(wita(2026, 3, 25, 7, 30))
    w.cycle()
    box = outbox(engine)
    assert set(box["status"]) == {"demo"} and box["title"].str.startswith("[DEMO] [NTB Care]").all()
    assert set(box["rule"]) == {"hampir_jatuh_tempo", "terlambat", "ringkasan_harian"}
    assert (box["rule"] == "ringkasan_harian").sum() == 1
    assert "Ringkasan harian 25 Mar 2026" in box[box["rule"] == "ringkasan_harian"]["title"].iloc[0]
    # the pure schedule: what is due when
    s = AlertSettings.defaults()
    assert schedule.due_today(wita(2026, 3, 24, 7, 30), s.batch_at, s) is None  # cuti bersama
    assert schedule.due_today(wita(2026, 3, 25, 7, 29), s.batch_at, s) is None
    assert schedule.due_today(wita(2026, 3, 25, 7, 30), s.batch_at, s) == dt.date(2026, 3, 25)
    assert schedule.rapor_due(wita(2026, 1, 1, 9, 0), s) is None  # New Year: the rapor waits
    assert schedule.rapor_due(wita(2026, 1, 2, 8, 0), s) == dt.date(2026, 1, 2)
    assert schedule.rapor_due(wita(2026, 6, 1, 8, 0), s) is None  # Pancasila day
    assert schedule.rapor_due(wita(2026, 6, 2, 8, 0), s) == dt.date(2026, 6, 2)
    assert schedule.in_quiet_hours(wita(2026, 3, 25, 20, 0), s) and schedule.in_quiet_hours(wita(2026, 3, 26, 6, 59), s)
    assert not schedule.in_quiet_hours(wita(2026, 3, 26, 7, 0), s)


def test_webhook_500_then_timeout_then_failed_then_recovers(sqlite_world, receivers):
    engine = sqlite_world
    _smtp, hook = receivers
    recips = ac.load_recipients(secrets={"secretariat": [hook.url("sekretariat")]}, read_files=False)
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, recips, clock, retry_for_s=180, retry_base_s=60, send_timeout_s=1, disabled=ONLY_URGENT)
    w.cycle()
    hook.mode = "error"
    ac.insert_urgent(engine, "NTB-2026-W01", clock.at)
    w.cycle()
    row = outbox(engine).iloc[0]
    assert (row["status"], row["attempts"]) == ("pending", 1) and "500" in row["last_error"]
    hook.mode, hook.slow_s = "slow", 2.5
    clock.set(clock.at + dt.timedelta(seconds=61))
    w.cycle()
    row = outbox(engine).iloc[0]
    assert (row["status"], row["attempts"]) == ("pending", 2) and "error" in row["last_error"].lower()
    hook.mode = "error"
    clock.set(clock.at + dt.timedelta(seconds=121))
    w.cycle()
    row = outbox(engine).iloc[0]
    assert (row["status"], row["attempts"]) == ("failed", 3)  # retried for 3 minutes: shown on notifikasi
    hook.mode = "ok"
    clock.set(clock.at + dt.timedelta(hours=2))
    w.cycle()
    assert outbox(engine).iloc[0]["status"] == "failed"  # failed stays failed: no surprise resend
    ac.insert_urgent(engine, "NTB-2026-W02", clock.at)
    w.cycle()
    assert [m["title"] for m in hook.received] == ["[NTB Care] Aduan MENDESAK baru NTB-2026-W02"]
    assert hook.hits == 4  # 500, timeout, 500, then the new one


def test_a_burst_after_an_outage_becomes_one_summary(world, receivers):
    _backend, engine = world
    smtp, hook = receivers
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, ac.recipients(smtp, hook), clock, catchup_limit=5, disabled=ONLY_URGENT)
    w.cycle()
    for i in range(12):  # the worker was away (database or worker down) while 12 urgent complaints came in
        ac.insert_urgent(engine, f"NTB-2026-B{i:02d}", clock.at - dt.timedelta(minutes=40 - i))
    clock.set(wita(2026, 3, 30, 10, 1))
    w.cycle()
    w.cycle()
    assert [m["subject"] for m in smtp.messages] == ["[NTB Care] 12 aduan MENDESAK baru"]
    text = smtp.messages[0]["text"].replace("\r\n", "\n")
    assert all(f"NTB-2026-B{i:02d}" in text for i in range(8)) and "... dan 4 lainnya" in text
    assert "aduan?prioritas=mendesak&status=terbuka" in text
    assert len(hook.received) == 1
    ac.insert_urgent(engine, "NTB-2026-B99", clock.at)
    w.cycle()
    assert smtp.messages[-1]["subject"] == "[NTB Care] Aduan MENDESAK baru NTB-2026-B99" and len(smtp.messages) == 2


def test_monthly_rapor_one_pdf_per_opd_matches_kepatuhan(world, receivers):
    """1 April 2026, 08:00 WITA: March's rapor. The advisers get every OPD; PUPR-PKP (the only OPD with a
    contact) gets its own page only; the figures are the kepatuhan page's for March."""
    _backend, engine = world
    smtp, hook = receivers
    clock = ac.Clock(wita(2026, 4, 1, 7, 59))
    w = ac.worker(
        engine,
        ac.recipients(smtp, hook),
        clock,
        disabled=frozenset({"hampir_jatuh_tempo", "terlambat", "ringkasan_harian"}),
        rapor_groups=("advisers",),
    )
    w.cycle()
    assert smtp.messages == []
    clock.set(wita(2026, 4, 1, 8, 0))
    w.cycle()
    w.cycle()
    rapor_mail = {m["to"][0]: m for m in smtp.messages}
    assert set(rapor_mail) == {"staf.ahli@ntbprov.go.id", "pupr@ntbprov.go.id"}
    assert rapor_mail["pupr@ntbprov.go.id"]["subject"] == "[NTB Care] Rapor OPD Maret 2026: PUPR-PKP"
    assert rapor_mail["staf.ahli@ntbprov.go.id"]["subject"] == "[NTB Care] OPD report card March 2026"
    period = previous_month(dt.date(2026, 4, 1))
    start, end = period.bounds()
    with engine.connect() as conn:
        rapor = rapor_mod.with_grades(opd_scorecard(conn, start, end, clock.at, SlaRules(), rollup=True))
    ((name, pdf_bytes),) = rapor_mail["pupr@ntbprov.go.id"]["attachments"]
    assert name == "rapor-opd-202603-N02.pdf"
    pages = PdfReader(io.BytesIO(pdf_bytes)).pages
    assert len(pages) == 1
    page = " ".join(pages[0].extract_text().split())
    mine = rapor[rapor["opd_code"] == "N02"].iloc[0]
    assert "Rapor OPD — PUPR-PKP" in page and "Periode: 01-03-2026 s.d. 31-03-2026" in page
    assert f"Didisposisikan (periode) {int(mine['dispatched'])}" in page
    assert f"Terlambat (kini) {int(mine['breached'])}" in page
    from core.locale import LOCALES

    assert f"Nilai {rapor_mod.grade_reason(mine.to_dict(), LOCALES['id'])}" in page  # fair rules: grade or why not
    late_list = page.split("Aduan terlambat")[1]
    assert late_list.startswith(" (2)") and "T06" in late_list and "A02" in late_list  # its own breached only
    assert "A01" not in page and "Inspektorat" not in page
    ((name, all_bytes),) = rapor_mail["staf.ahli@ntbprov.go.id"]["attachments"]
    all_pages = PdfReader(io.BytesIO(all_bytes)).pages
    assert len(all_pages) == len(rapor)  # one page per OPD of the rapor
    firsts = [" ".join(p.extract_text().split()) for p in all_pages]
    for r, text in zip(rapor.to_dict("records"), firsts, strict=True):
        label = r["opd"] if isinstance(r["opd"], str) else "(not dispatched yet)"
        assert f"OPD report card — {label}" in text
        assert f"Dispatched (period) {int(r['dispatched'])}" in text
    no_personal_data([p.extract_text() for p in all_pages])
    assert len(outbox(engine)) == 2


def test_the_outbox_refuses_a_second_copy(sqlite_world):
    """Two evaluations of the same moment (a restart right after writing) write each notice once."""
    engine = sqlite_world
    clock = ac.Clock(wita(2026, 3, 30, 7, 30))
    recips = ac.load_recipients(secrets={}, read_files=False)
    w1 = ac.worker(engine, recips, clock)
    w1.cycle()
    n = len(outbox(engine))
    with engine.begin() as conn:
        conn_alerts = tb.alerts_conn(conn)
        conn_alerts.execute(tb.cursor.delete().where(tb.cursor.c.name.in_(["batch_day", "digest_day"])))
    ac.worker(engine, recips, clock).cycle()
    assert len(outbox(engine)) == n
    with engine.connect() as conn:
        keys = [k for (k,) in tb.alerts_conn(conn).execute(select(tb.outbox.c.idem_key))]
    assert "terlambat|opd:N02|*|opd-N02-demo|2026-03-30" in keys and len(keys) == len(set(keys))


def test_cli_test_command_sends_to_one_target_and_never_prints_its_secret(receivers):
    import os
    import subprocess
    import sys

    from tests.browser_support import ROOT

    smtp, hook = receivers
    secret = "tok3n-Rahasia-123"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NTBCARE_ALERTS_")}
    env.update(
        {
            "NTBCARE_ALERTS_ADVISERS": f"json://bot:{secret}@127.0.0.1:{hook.port}/staf-ahli,"
            + smtp.url("staf.ahli@ntbprov.go.id"),
            "NTBCARE_ALERTS_LANG_ADVISERS": "en",
        }
    )
    run = subprocess.run(
        [sys.executable, "-m", "alerts", "test", "advisers-1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("advisers-1 (json://bot:****@127.0.0.1:") and run.stdout.rstrip().endswith("terkirim")
    assert [(m["path"], m["title"]) for m in hook.received] == [("/staf-ahli", "[NTB Care] Test notice")]
    assert hook.received[0]["message"].startswith("Test notice from NTB Care Monitor for target advisers-1, ")
    assert smtp.messages == []  # only the target named
    listed = subprocess.run(
        [sys.executable, "-m", "alerts", "targets"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    header, *lines = listed.stdout.splitlines()
    assert header.startswith("# sumber: env (dicari di: [ntbcare_alerts] di ")  # which file it read: none
    assert [line.split("\t")[:3] for line in lines] == [
        ["advisers-1", "advisers", "en"],
        ["advisers-2", "advisers", "en"],
    ]
    for out in (run.stdout, run.stderr, listed.stdout, listed.stderr):
        assert secret not in out
    missing = subprocess.run(
        [sys.executable, "-m", "alerts", "test", "leaders"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2 and "Target 'leaders' tidak ada" in missing.stderr
