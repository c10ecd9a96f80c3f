"""The Open311 GeoReport v2 read endpoint (/open311/v2/): read by the `georeport` client from PyPI in JSON and
XML, shaped like the specification's example documents (tests/data/), filtered and windowed as the
specification says, with the SLA deadline of the open stage, and never the reporter or the body.

Database: the hand-built dataset (tests/dataset.py, both backends), whose complaints have known deadlines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from georeport import GeoReport
from sqlalchemy import select
from starlette.testclient import TestClient

from core.codes import WITA
from core.settings import SlaRules
from publik.app import PublicConfig, create_app
from queries import overdue, schema
from queries.schema import complaint
from tests import dataset
from tests.public_server import PublicServer

DATA = Path(__file__).parent / "data"
CONFIG = PublicConfig(
    refresh_s=300, minimum=5, licence="CC BY 4.0", licence_url="https://x", titles=False, jurisdiction="ntbprov.go.id"
)
NOW = dataset.NOW
# the specification's default window: requested in the 90 days before now
IN_WINDOW = {t for t, k in dataset.CASES.items() if NOW - dt.timedelta(days=90) <= k["received_at"] < NOW}


@pytest.fixture(scope="module")
def server(small_db):
    s = PublicServer(create_app(small_db, CONFIG, SlaRules(), clock=lambda: NOW)).start()
    yield s
    s.stop()


def spec_json(name: str):
    """A JSON example of the specification, read with its leading-zero numbers (``001``) quoted: as published
    it is not valid JSON."""
    return json.loads(re.sub(r'("\w+":)(0\d+),', r'\1"\2",', (DATA / name).read_text()))


def spec_xml_fields(name: str) -> tuple[str, str, list[str]]:
    root = ET.parse(DATA / name).getroot()
    return root.tag, root[0].tag, [e.tag for e in root[0]]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_and_open_requests(server, small_db, fmt):
    """``georeport.GeoReport`` (PyPI) against the endpoint: every sector is a service; the open requests are
    exactly the open complaints of the last 90 days, each with its OPD, kabupaten/kota and deadline."""
    client = GeoReport(server.url + "/open311/v2", jurisdiction="ntbprov.go.id", output_format=fmt)
    services = client.get_service_list()
    with small_db.connect() as conn:
        sectors = dict(conn.execute(dataset.schema.sector.select().with_only_columns(
            dataset.schema.sector.c.code, dataset.schema.sector.c.name)).all())  # fmt: skip
        expected = overdue.open_complaints(conn, NOW, SlaRules())
    assert {s["service_code"]: s["service_name"] for s in services} == sectors
    requests = client.get_service_requests(status="open")
    requests = requests if isinstance(requests, list) else [requests]
    assert {r["service_request_id"] for r in requests} == set(expected["ticket"]) & IN_WINDOW != set()
    deadlines = dict(zip(expected["ticket"], expected["deadline"], strict=True))
    for r in requests:
        assert r["status"] == "open"
        day = deadlines[r["service_request_id"]]
        assert (r["expected_datetime"] or None) == (f"{day:%Y-%m-%d}T23:59:59+08:00" if day else None)
    one = client.get_service_request("T03")
    with small_db.connect() as conn:
        region = conn.execute(
            select(schema.region.c.name).where(schema.region.c.code == dataset.CASES["T03"]["region"])
        )
        opd = conn.execute(select(schema.opd.c.short_name).where(schema.opd.c.code == dataset.CASES["T03"]["opd"]))
        assert (one["address"], one["agency_responsible"]) == (region.scalar(), opd.scalar())
    assert one["requested_datetime"] == "2026-03-13T10:00:00+08:00"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_documents_have_the_shape_of_the_specifications_examples(small_db, fmt):
    """Root and item names, the fields in the examples' order, W3C times with an offset, status open/closed."""
    c = TestClient(create_app(small_db, CONFIG, SlaRules(), clock=lambda: NOW))
    for kind, example in (("services", "open311_spec_services"), ("requests", "open311_spec_requests")):
        body = c.get(f"/open311/v2/{kind}.{fmt}").content
        if fmt == "xml":
            root_tag, item_tag, fields = spec_xml_fields(example + ".xml")
            root = ET.fromstring(body)
            assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
            assert (root.tag, root[0].tag) == (root_tag, item_tag)
            assert [e.tag for e in root[0]] == fields
        else:
            ours, theirs = json.loads(body), spec_json(example + ".json")
            assert set(ours[0]) == set(theirs[0])
            if kind == "requests":
                assert list(ours[0]) == list(theirs[0])
                assert all(r["status"] in ("open", "closed") for r in ours)
                stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
                assert all(stamp.match(r["requested_datetime"]) and stamp.match(r["updated_datetime"]) for r in ours)


def test_filters_window_and_errors(small_db):
    """service_code, status, service_request_id (overrides the rest), the 90-day limit and the errors in the
    specification's error document."""
    c = TestClient(create_app(small_db, CONFIG, SlaRules(), clock=lambda: NOW))
    every = c.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in every} == IN_WINDOW
    infra = c.get("/open311/v2/requests.json", params={"service_code": "infrastruktur"}).json()
    assert {r["service_request_id"] for r in infra} == {
        t for t in IN_WINDOW if dataset.CASES[t].get("sector") == "infrastruktur"
    }
    closed = c.get("/open311/v2/requests.json", params={"status": "closed"}).json()
    assert {r["service_request_id"] for r in closed} == {
        t for t in IN_WINDOW if dataset.CASES[t]["status"] in ("selesai", "diarsipkan")
    }
    assert all(r["expected_datetime"] is None for r in closed)
    two = c.get("/open311/v2/requests.json", params={"service_request_id": "T01,T03", "status": "closed"}).json()
    assert {r["service_request_id"] for r in two} == {"T01", "T03"}  # both open: the status filter is overridden
    early = c.get(
        "/open311/v2/requests.json",
        params={"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-16T00:00:00Z"},
    )
    assert {r["service_request_id"] for r in early.json()} == {
        t
        for t, k in dataset.CASES.items()
        if dt.datetime(2026, 3, 1, tzinfo=WITA) <= k["received_at"] < dt.datetime(2026, 3, 16, tzinfo=dt.UTC)
    }
    too_long = c.get(
        "/open311/v2/requests.xml", params={"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"}
    )
    assert too_long.status_code == 400
    assert ET.fromstring(too_long.content)[0].find("code").text == "400"
    assert c.get("/open311/v2/requests.json", params={"status": "pending"}).status_code == 400
    assert c.get("/open311/v2/requests.json", params={"start_date": "kemarin"}).status_code == 400
    missing = c.get("/open311/v2/requests/NOPE-1.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert c.get("/open311/v2/services.json", params={"jurisdiction_id": "other.gov"}).status_code == 404


def test_the_title_only_when_the_setting_allows_it_and_never_the_body(small_db):
    with small_db.connect() as conn:
        body = conn.execute(
            complaint.select().with_only_columns(complaint.c.body).where(complaint.c.ticket == "T01")
        ).scalar()
    title = dataset.CASES["T01"]["title"]
    for titles, expected in ((False, None), (True, title)):
        c = TestClient(create_app(small_db, dataclasses.replace(CONFIG, titles=titles), SlaRules(), clock=lambda: NOW))
        for fmt in ("json", "xml"):
            text = c.get(f"/open311/v2/requests/T01.{fmt}").text
            assert (title in text) is (expected is not None)
            assert body not in text and "Baiq Rahasia" not in text and "081200000000" not in text
    hostile = c.get("/open311/v2/requests/T02.xml").content  # the title "<img src=x onerror=alert(1)>"
    assert ET.fromstring(hostile)[0].find("description").text == dataset.CASES["T02"]["title"]
