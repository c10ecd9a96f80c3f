"""Open311 GeoReport v2 documents (read only): services and service requests as JSON and XML.

Field names, order and the error document follow the specification's examples (tests/data/open311_*). A
complaint is a service request: its ticket is the ``service_request_id``, its sector the service, its OPD the
``agency_responsible``, its kabupaten/kota the ``address``; ``expected_datetime`` is the end (23:59:59 WITA) of
the deadline day of its open stage. Never the reporter or the body; the title only when the operator allows it.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pandas as pd

from core.codes import WITA
from core.locale import Locale

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
WINDOW = dt.timedelta(days=90)  # "Default query limit is a span of 90 days or first 1000 requests"
LIMIT = 1000


def w3c(ts) -> str | None:
    """A time in the W3C form with the WITA offset: 2026-12-06T21:06:28+08:00."""
    if ts is None or (not isinstance(ts, str) and pd.isna(ts)):
        return None
    return pd.Timestamp(ts).tz_convert(WITA).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def end_of_day(day) -> str | None:
    if day is None or (not isinstance(day, dt.date) and pd.isna(day)):
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), WITA).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def parse_time(text: str) -> dt.datetime:
    """A W3C date-time (offset or Z required), or a bare date (midnight WITA). ValueError otherwise."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "+"))
    if value.tzinfo is None:
        if "T" in text:
            raise ValueError(f"{text!r} has no time zone")
        value = value.replace(tzinfo=WITA)
    return value


def service_records(services: pd.DataFrame, loc: Locale) -> list[dict]:
    return [
        {
            "service_code": r.code,
            "service_name": r.name,
            "description": loc.t("o311.service_description", name=r.name),
            "metadata": False,
            "type": "batch",
            "keywords": "",
            "group": "",
        }
        for r in services.itertuples(index=False)
    ]


def request_records(df: pd.DataFrame, loc: Locale, with_title: bool) -> list[dict]:
    out = []
    for r in df.to_dict("records"):
        out.append(
            {
                "service_request_id": r["ticket"],
                "status": "open" if r["open"] else "closed",
                "status_notes": loc.label("status", r["status"]),
                "service_name": None if pd.isna(r["sector"]) else r["sector"],
                "service_code": None if pd.isna(r["sector_code"]) else r["sector_code"],
                "description": (r.get("title") or None) if with_title else None,
                "agency_responsible": None if pd.isna(r["opd"]) else r["opd"],
                "service_notice": None,
                "requested_datetime": w3c(r["received_at"]),
                "updated_datetime": w3c(r["updated_at"]) or w3c(r["received_at"]),
                "expected_datetime": end_of_day(r["deadline"]),
                "address": None if pd.isna(r["region"]) else r["region"],
                "address_id": None,
                "zipcode": None,
                "lat": None,
                "long": None,
                "media_url": None,
            }
        )
    return out


def _xml(root: str, item: str, records: list[dict], fields: tuple[str, ...]) -> bytes:
    top = ET.Element(root)
    for rec in records:
        node = ET.SubElement(top, item)
        for f in fields:
            value = rec.get(f)
            ET.SubElement(node, f).text = (
                "" if value is None else ("true" if value is True else "false" if value is False else str(value))
            )
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)


def services_doc(records: list[dict], fmt: str) -> bytes:
    if fmt == "xml":
        return _xml("services", "service", records, SERVICE_FIELDS)
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def requests_doc(records: list[dict], fmt: str) -> bytes:
    if fmt == "xml":
        return _xml("service_requests", "request", records, REQUEST_FIELDS)
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def errors_doc(code: int, description: str, fmt: str) -> bytes:
    records = [{"code": code, "description": description}]
    if fmt == "xml":
        return _xml("errors", "error", records, ("code", "description"))
    return json.dumps(records, ensure_ascii=False).encode("utf-8")
