"""Fast page tests with Streamlit's AppTest against a real database (the hand-built dataset on SQLite)."""
import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.config import SlaRules
from dashboard.engine import make_engine
from dashboard.sla import reference_complaint_sla
from tests import dataset
from tests.browser_support import ROOT


@pytest.fixture
def app_env(monkeypatch, db_factory):
    url = db_factory.url("sqlite")
    dataset.build(make_engine(url, must_exist=False))
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_now_counts():
    now = dt.datetime.now(dt.timezone.utc)
    rules = SlaRules()
    open_cases = [c for c in dataset.CASES.values() if c["status"] in ("diterima", "terdisposisi", "diproses", "ditunda")]
    states = [reference_complaint_sla({**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **c},
                                      rules, now)["sla_state"] for c in open_cases]
    return len(open_cases), states.count("breached"), states.count("at_risk")


def test_monitor_shows_headline_counts_from_the_database(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
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


def test_english_with_lang_en(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert "Open" in metrics(at) and "Overdue" in metrics(at)
    assert "NTB Care — Complaint Monitor" in " ".join(h.proto.body for h in at.get("html"))


def test_bad_database_url_gives_a_friendly_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert any("tidak didukung" in e.value for e in at.error)
    assert all(m.value == "–" for m in at.metric)
    st.cache_resource.clear()


def test_unreachable_database_says_so_without_traceback(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert any("tidak dapat dihubungi" in w.value for w in at.warning)
    st.cache_resource.clear()


@pytest.mark.parametrize("query", [{"kiosk": "1", "rotate": "20"}, {"rotate": "abc", "sektor": "bogus"},
                                   {"sektor": "30", "lang": "xx"}])
def test_wall_url_options_never_crash(app_env, query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "w-feed" in html and "w-late" in html
