"""Page `notifikasi` (AppTest and one chromium screenshot), the wall's heartbeat mark, the settings documented."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import MISSING, fields

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from alerts import outbox as ob
from alerts import tables as tb
from alerts.settings import REGISTRY, RULES, AlertSettings
from core.engine import make_engine
from core.settings import SettingError
from dashboard import data
from tests import alerts_cases as ac
from tests.access_users import USERS
from tests.alerts_support import WebhookSink
from tests.browser_support import ARTIFACTS, ROOT, free_port
from tests.dataset import wita

SECRET_TOKEN = "s3cr3t-Passw0rd-xyz"


@pytest.fixture
def hook():
    sink = WebhookSink()
    yield sink
    sink.close()


def fill_outbox(url: str, hook: WebhookSink, env) -> None:
    """A worker's day on the app's database: one notice sent, one failed after its retry period (240 s), a
    heartbeat."""
    engine = make_engine(url)
    recips = ac.load_recipients(env=env, read_files=False)
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(
        engine,
        recips,
        clock,
        disabled=frozenset({"hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan"}),
    )
    w.cycle()
    ac.insert_urgent(engine, "NTB-2026-S01", clock.at)
    w.cycle()
    hook.mode = "error"
    ac.insert_urgent(engine, "NTB-2026-F01", clock.at)
    w.cycle()
    clock.set(clock.at + dt.timedelta(minutes=5))
    w.cycle()
    hook.mode = "ok"
    with engine.begin() as conn:  # the worker's simulated Monday is long past: it reported just now
        tb.alerts_conn(conn).execute(update(tb.heartbeat).values(beat_at=dt.datetime.now(dt.UTC)))
    engine.dispose()


def alert_env(monkeypatch, hook) -> dict:
    env = {
        "NTBCARE_ALERTS_SECRETARIAT": f"json://ntbcare:{SECRET_TOKEN}@127.0.0.1:{hook.port}/sekretariat",
        "NTBCARE_ALERTS_ADVISERS": f"json://127.0.0.1:{hook.port}/staf-ahli",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


def open_page(who: str, path: str = "pages/notifications.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = USERS["admin"]
    at.run()
    at.switch_page(path)
    at.user = USERS[who]
    return at.run()


def test_admin_sees_rules_recipients_outbox_and_heartbeat_and_sends_a_test(app_env, monkeypatch, hook):
    env = alert_env(monkeypatch, hook)
    fill_outbox(app_env, hook, env)
    data.reset()
    at = open_page("admin")
    assert not at.exception
    assert [t.value for t in at.title] == ["Notifikasi"]
    assert any(
        s.value.startswith("Program pengirim notifikasi di server ") and "aktif mengirim" in s.value for s in at.success
    )
    assert "kode program: uji" in [c.value for c in at.caption]  # the identifier second, smaller
    rules, targets, box = (df.value for df in at.dataframe)
    assert rules["Aturan"].tolist()[0] == "Aduan mendesak baru" and rules["kode"].tolist() == list(RULES)
    assert rules["Kepada"].tolist()[0] == "Sekretariat NTB Care"
    assert rules["Aktif"].tolist() == [True] * 5 and rules["Kapan"].tolist()[1] == "hari kerja 07:30 WITA"
    assert targets["Target"].tolist() == ["Sekretariat NTB Care, alamat ke-1", "Staf ahli Gubernur, alamat ke-1"]
    assert targets["kode"].tolist() == ["secretariat-1", "advisers-1"]
    assert targets["URL (disamarkan)"].str.startswith("json://").all()
    shown = "\n".join([str(at.main), *(df.value.to_string() for df in at.dataframe)])
    assert SECRET_TOKEN not in shown and SECRET_TOKEN[:6] not in shown
    statuses = dict(zip(box["Subjek"], box["Status"], strict=True))
    assert statuses == {
        "[NTB Care] Aduan MENDESAK baru NTB-2026-S01": "terkirim",
        "[NTB Care] Aduan MENDESAK baru NTB-2026-F01": "gagal",
    }
    failed = box[box["Status"] == "gagal"].iloc[0]
    assert failed["Percobaan"] == 2 and "500" in failed["Galat terakhir"]
    assert failed["Target"] == "Sekretariat NTB Care, alamat ke-1" and failed["Aturan"] == "Aduan mendesak baru"
    assert {m.label: m.value for m in at.metric} == {
        "menunggu": "0",
        "dikirim": "0",
        "gagal": "1",
        "terkirim": "1",
        "demo": "0",
    }
    assert any("1 notifikasi gagal terkirim setelah dicoba ulang selama 48 jam" in e.value for e in at.error)
    buttons = [b.label for b in at.button]
    assert "Kirim uji: Sekretariat NTB Care, alamat ke-1" in buttons
    before = len(hook.received)
    next(b for b in at.button if b.label == "Kirim uji: Staf ahli Gubernur, alamat ke-1").click().run()
    assert any(
        s.value.replace("\\", "") == "Pesan uji terkirim ke Staf ahli Gubernur, alamat ke-1." for s in at.success
    )
    test = hook.received[before:]
    assert [(m["path"], m["title"]) for m in test] == [("/staf-ahli", "[NTB Care] Uji notifikasi")]
    assert re.fullmatch(
        r"Pesan uji dari NTB Care Monitor untuk target advisers-1, \d\d-\d\d-\d{4} \d\d:\d\d WITA\. "
        r"Tidak perlu dibalas\.",
        test[0]["message"],
    )


@pytest.mark.parametrize("who", ["anonymous", "leader", "adviser"])
def test_others_are_refused(app_env, monkeypatch, hook, who):
    alert_env(monkeypatch, hook)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = USERS["admin"]
    at.run()
    at.switch_page("pages/notifications.py")
    at.user = USERS[who]
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] != ["Notifikasi"] and not at.dataframe and not at.main.button
    messages = [m.value for m in [*at.main.info, *at.main.warning]]
    assert len(messages) == 1 and ("Silakan masuk" in messages[0] or "tidak tersedia untuk peran" in messages[0])


def wall_html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_the_wall_marks_a_silent_worker_only_once_one_has_reported(app_env, monkeypatch, hook):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "w-worker-stale" not in wall_html(at)  # no worker ever: no mark
    env = alert_env(monkeypatch, hook)
    fill_outbox(app_env, hook, env)
    data.reset()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "tidak melapor" not in wall_html(at)  # fresh heartbeat
    assert "1 notifikasi gagal terkirim" in wall_html(at)  # but one notice failed for good
    engine = make_engine(app_env)
    with engine.begin() as conn:
        tb.alerts_conn(conn).execute(
            update(tb.heartbeat).values(beat_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=7))
        )
    engine.dispose()
    data.reset()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Worker notifikasi tidak melapor sejak 7 mnt · 1 notifikasi gagal terkirim" in wall_html(at)


def test_admin_resends_a_failed_notice_and_the_worker_sends_it(app_env, monkeypatch, hook):
    env = alert_env(monkeypatch, hook)
    fill_outbox(app_env, hook, env)
    data.reset()
    at = open_page("admin")
    (button,) = [b for b in at.button if b.label == "Kirim ulang"]
    button.click().run()
    assert any("Dijadwalkan ulang" in s.value for s in at.success)
    engine = make_engine(app_env)
    with engine.connect() as conn:
        assert ob.failed_count(conn) == 0
    w = ac.worker(engine, ac.load_recipients(env=env, read_files=False), ac.Clock(dt.datetime.now(dt.UTC)))
    w.cycle()
    engine.dispose()
    titles = [m["title"] for m in hook.received]
    assert titles.count("[NTB Care] Aduan MENDESAK baru NTB-2026-F01") == 1


def test_the_wall_and_the_page_say_when_the_worker_holds_notices_for_its_clock(app_env, monkeypatch, hook):
    env = alert_env(monkeypatch, hook)
    engine = make_engine(app_env)
    clock = ac.Clock(dt.datetime.now(dt.UTC))
    clock.db_offset = dt.timedelta(minutes=-10)  # the worker's clock ten minutes behind the database's
    assert ac.worker(engine, ac.load_recipients(env=env, read_files=False), clock).cycle() == "skew"
    engine.dispose()
    data.reset()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "Notifikasi ditahan: jam server tidak cocok" in wall_html(at)
    at = open_page("admin")
    assert any("Jam server pengirim berbeda -600 detik dengan jam basis data" in e.value for e in at.error)
    assert any("menahan pengiriman" in e.value for e in at.error)


def test_every_alert_setting_is_registered_and_explained():
    """docs/configuration.md lists the registry (tests/test_settings.py); docs/alerts.md explains each alert
    setting, and the registry's defaults are what the worker uses."""
    docs = (ROOT / "docs" / "alerts.md").read_text()
    assert {s.group for s in REGISTRY.values()} == {"alerts", "dev"}
    for name in REGISTRY:
        assert f"`{name}`" in docs, name
    assert all(f.default is MISSING and f.default_factory is MISSING for f in fields(AlertSettings))  # registry only
    assert AlertSettings.defaults().retry_for_s == 48 * 3600 and AlertSettings.defaults().retry_cap_urgent_s == 60
    assert AlertSettings.from_env({"NTBCARE_ALERTS_QUIET_HOURS": "off"}).quiet is None
    with pytest.raises(SettingError, match="NTBCARE_ALERTS_BATCH_AT harus berbentuk HH:MM"):
        AlertSettings.from_env({"NTBCARE_ALERTS_BATCH_AT": "pagi"})
    with pytest.raises(SettingError, match="aturan tidak dikenal ringkasan"):
        AlertSettings.from_env({"NTBCARE_ALERTS_DISABLED": "ringkasan"})


@pytest.mark.browser
def test_notifikasi_in_chromium_1920x1080(db_factory, hook, new_page):
    from tests.browser_support import wait_ready
    from tests.dataset import build
    from tests.oidc_support import LoginApp, login

    url = db_factory.url("sqlite")
    build(make_engine(url, must_exist=False))
    env = {
        "NTBCARE_ALERTS_SECRETARIAT": f"json://ntbcare:{SECRET_TOKEN}@127.0.0.1:{hook.port}/sekretariat,"
        f"mailto://ntbcare:{SECRET_TOKEN}@127.0.0.1:{free_port()}?from=ntbcare@ntbprov.go.id"
        f"&to=sekretariat@ntbprov.go.id",  # nothing listens: failed
        "NTBCARE_ALERTS_ADVISERS": f"json://127.0.0.1:{hook.port}/staf-ahli",
        "NTBCARE_ALERTS_OPD_N02": "tgram://123456789:AAH-bot-token-EXAMPLE/-1001234567890",
    }  # never sent to
    fill_outbox(url, hook, env)
    with LoginApp(url, "alerts-page", extra_env=env) as server:
        page = new_page(1920, 1080)
        login(page, server, "admin")
        page.goto(f"{server.url}/notifikasi")
        wait_ready(page)
        page.get_by_text("Kotak keluar", exact=True).wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        content = page.content()
        assert SECRET_TOKEN not in content and "AAH-bot-token-EXAMPLE" not in content
        assert page.get_by_role("button", name="Kirim uji: Sekretariat NTB Care, alamat ke-1").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notifikasi-1920x1080.png"), full_page=False)
        outbox_table = page.locator("[data-testid='stDataFrame']").nth(2)
        outbox_table.scroll_into_view_if_needed()
        outbox_table.wait_for()
        page.screenshot(path=str(ARTIFACTS / "notifikasi-1920x1080-outbox.png"))
