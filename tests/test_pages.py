"""Fast page tests with Streamlit's AppTest against a real database (the hand-built dataset on SQLite)."""

import datetime as dt

import pytest

from core import i18n
from core.codes import EVENT_KINDS
from core.locale import LOCALES
from core.settings import SlaRules
from core.sla import reference_complaint_sla
from dashboard import data
from tests import dataset

# page kepatuhan: tests/test_compliance_pages.py


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_now_counts():
    now = dt.datetime.now(dt.UTC)
    rules = SlaRules()
    open_cases = [
        c for c in dataset.CASES.values() if c["status"] in ("diterima", "terdisposisi", "diproses", "ditunda")
    ]
    states = [
        reference_complaint_sla(
            {**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **c}, rules, now
        )["sla_state"]
        for c in open_cases
    ]
    return len(open_cases), states.count("breached"), states.count("at_risk")


def test_monitor_shows_headline_counts_from_the_database(app_env, open_page):
    at = open_page("anonymous")
    assert not at.exception
    got = metrics(at)
    n_open, n_breached, n_at_risk = expected_now_counts()
    assert got["Belum selesai"] == str(n_open) == "8"
    assert got["Terlambat"] == str(n_breached)
    assert got["Hampir jatuh tempo"] == str(n_at_risk)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "data per" in html and "WITA" in html
    for secret in ("Baiq Rahasia", "081200000000"):  # reporter data is never even sent to the wall
        assert secret not in html and secret not in str(at.main)


def test_english_with_lang_en(app_env, open_page):
    at = open_page("anonymous", query={"lang": "en"})
    assert "Open" in metrics(at) and "Overdue" in metrics(at)
    assert "NTB Care — Complaint Monitor" in " ".join(h.proto.body for h in at.get("html"))


@pytest.mark.parametrize(
    "url,kind,needle",
    [
        ("mysql://nope", "error", "tidak didukung"),  # misconfigured: says what is wrong
        ("postgresql://postgres@127.0.0.1:1/x", "warning", "tidak dapat dihubungi"),  # unreachable: retries
    ],
)
def test_database_trouble_gives_a_friendly_message(monkeypatch, open_page, url, kind, needle):
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    at = open_page("anonymous")
    assert not at.exception
    assert any(needle in e.value for e in getattr(at, kind))
    assert all(m.value == "–" for m in at.metric)
    data.reset()


@pytest.mark.parametrize(
    "query", [{"kiosk": "1", "rotate": "20"}, {"rotate": "abc", "sektor": "bogus"}, {"sektor": "30", "lang": "xx"}]
)
def test_wall_url_options_never_crash(app_env, open_page, query):
    at = open_page("anonymous", query=query)
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "w-feed" in html and "w-late" in html


def test_complaint_detail_page(app_env, open_page):
    at = open_page("leader", "aduan", {"tiket": "T05"})  # the detail without the reporter (test_access.py: who sees it)
    assert not at.exception
    texts = [t_.value for t_ in at.text]
    assert "Tambang ilegal di sungai" in texts
    stages, timeline = (d.value for d in at.dataframe)  # the facts above them are labelled values, not tables
    assert stages.iloc[1].tolist()[1:] == ["10-03-2026", "Terlambat selesai", "2"]
    assert timeline["OPD"].tolist() == ["DLHK", "ESDM", "ESDM", "ESDM"]
    for table in (stages, timeline):  # every column has a header: no empty header row
        assert all(str(c).strip() for c in table.columns), list(table.columns)
    # events by their catalogue label, never the stored code
    kinds = [kind for kind, _, _ in dataset.CASES["T05"]["events"]]
    assert timeline["Kejadian"].tolist() == [LOCALES["id"].label("kind", k) for k in kinds]
    assert timeline["Kejadian"].tolist() == ["Didisposisikan", "Dialihkan", "Ditanggapi", "Diselesaikan"]
    assert all(i18n.has(f"kind.{k}", lang) for k in EVENT_KINDS for lang in i18n.LANGS)  # every kind, every language
    captions = [c.value for c in at.caption]
    assert {"Status", "OPD", "Prioritas", "Klasifikasi", "Kabupaten/kota"} <= set(captions)
    assert {"Selesai", "ESDM", "Biasa", "Pengaduan"} <= set(texts)
    assert any("DLHK → ESDM" in c.value for c in at.caption)
    assert "Baiq Rahasia" not in str(at.main)
    at.query_params["tiket"] = "NOPE"
    at.run()
    assert any("tidak ditemukan" in i.value for i in at.info)


def test_explorer_ticket_box_opens_the_detail(app_env, open_page):
    at = open_page("leader", "aduan")
    at.text_input(key="aduan-ticket").set_value(" T05 ").run()
    assert not at.exception
    assert at.query_params["tiket"] == "T05"
    assert "Tambang ilegal di sungai" in [t_.value for t_ in at.text]


def displayed(frame):
    """The display values of an ``st.dataframe`` given a pandas Styler (the text the browser shows)."""
    import pyarrow as pa

    return pa.ipc.open_stream(frame.proto.arrow_data.styler.display_values).read_pandas()


def test_layar_shows_a_stopped_wall_in_red_with_words_and_ipv4_plainly(app_env, open_page):
    import time

    from dashboard.screens import view as layar
    from dashboard.wall import screens

    screens.clear()
    now = time.time()
    seen = dict(address="/monitor?kiosk=1&layar=lobi", session_started=now - 600, data_ok=True)
    screens.report(name="lobi", client="::ffff:10.0.0.7", session="s1", now=now - 300, data_at=now - 300, **seen)
    screens.report(name="ruang-rapat", client="2001:db8::5", session="s2", now=now, data_at=now, **seen)
    try:
        at = open_page("admin", "layar")
        assert not at.exception
        (notice,) = [e.value for e in at.error]
        assert notice.startswith("1 layar berhenti diperbarui: lobi (terakhir 5 mnt lalu)")
        table = displayed(at.dataframe[0]).set_index("Layar")
        assert table.loc["lobi", "Keadaan"] == "■ BERHENTI"
        assert table.loc["ruang-rapat", "Keadaan"] == "● Aktif"
        assert table["Alamat IP perangkat"].tolist() == ["10.0.0.7", "2001:db8::5"]
        assert "::ffff:" not in str(at.main)
        labels = [b.label for b in at.button if b.key and b.key.startswith("reload-")]
        assert labels == ["Muat ulang semua layar", "Muat ulang lobi", "Muat ulang ruang\\-rapat"]
        # the state cell of a stopped wall is red (and only that one)
        rows = layar.table(screens.screens(), now, LOCALES["id"])
        html = layar.styled(rows, layar.states(screens.screens(), now), LOCALES["id"]).to_html()
        assert html.count(layar.STATE_STYLE["stopped"].split(";")[0]) == 1
    finally:
        screens.clear()


@pytest.mark.parametrize(
    ("client", "shown"),
    [("::ffff:127.0.0.1", "127.0.0.1"), ("10.1.2.3", "10.1.2.3"), ("::1", "::1"), ("", "localhost"), ("x", "x")],
)
def test_device_addresses_are_written_plainly(client, shown):
    from dashboard.screens.view import plain_ip

    assert plain_ip(client) == shown
