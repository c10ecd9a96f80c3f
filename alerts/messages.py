"""The notices' text: pure functions of their data and a ``core.locale.Locale`` (no default language).

Short enough for a phone: a subject and a few lines, each complaint with ticket, OPD, stage, deadline and a
link (``NTBCARE_PUBLIC_URL`` + ``aduan?tiket=...``, the ticket URL-encoded). Never a reporter's name or
contact: the builders are never given them. Citizen text (title, body) is made plain (``<br>``, ``<p>`` and
entities by ``core.textsafe.plain_text``, whitespace collapsed) and shortened; the notices are sent as plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from core.links import complaint as detail_link
from core.locale import Locale
from core.textsafe import plain_text

TITLE_MAX = 90
BODY_MAX = 160
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` for a header field (an e-mail's subject, a chat title): control characters and line breaks
    become spaces, runs of spaces one. Delivery applies it again, whatever built the title."""
    return " ".join(_BREAKS.sub(" ", str(text)).split())


def test_notice(loc: Locale, target_name: str, now: dt.datetime) -> tuple[str, str]:
    """The "kirim uji" notice (page notifikasi and ``python -m alerts test``), in the target's ``loc``."""
    return (
        f"{loc.t('alert.prefix')} {loc.t('alert.test.subject')}",
        loc.t("alert.test.body", target=target_name, time=loc.datetime(now)),
    )


def plain(value, limit: int) -> str:
    """Citizen text as one plain, short line: ``core.textsafe.plain_text`` (the one rule for ``<br>``, ``<p>``
    and entities, as on every page), then control characters dropped, whitespace and line breaks collapsed,
    cut at ``limit`` characters with "…"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    text = " ".join(_CONTROL.sub(" ", plain_text(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Links:
    base: str  # NTBCARE_PUBLIC_URL, ending with "/"

    def complaint(self, ticket) -> str:
        return self.base + detail_link(ticket)

    def explorer(self, **params) -> str:
        return self.base + "aduan?" + urlencode(params)

    def page(self, path: str) -> str:
        return self.base + path


def _subject(loc: Locale, text: str, demo: bool) -> str:
    """A subject is a header field: one line, whatever the ticket or OPD name holds."""
    return one_line(" ".join(p for p in (loc.t("alert.demo") if demo else "", loc.t("alert.prefix"), text) if p))


def _opd(loc: Locale, name) -> str:
    return name if isinstance(name, str) and name else loc.t("opd.unassigned_short")


def urgent(
    loc: Locale, c: dict, deadline: dt.date, links: Links, *, no_contact: bool = False, demo: bool = False
) -> tuple[str, str]:
    """One new urgent complaint (``c``: ticket, title, body, received_at, opd, sector, region)."""
    lines = [
        loc.t("alert.urgent.head"),
        f"{loc.t('alert.ticket')}: {c['ticket']}",
        f"{loc.t('alert.opd')}: {_opd(loc, c.get('opd'))}",
        (
            f"{loc.t('alert.stage')}: {loc.t('alert.stage.dispatch')}, {loc.t('alert.deadline').lower()} "
            f"{loc.date_numeric(deadline)}"
        ),
        f"{loc.t('alert.received')}: {loc.datetime(c['received_at'])} WITA",
        f"{loc.t('alert.title')}: {plain(c.get('title'), TITLE_MAX)}",
        f"{loc.t('alert.body')}: {plain(c.get('body'), BODY_MAX)}",
        f"{loc.t('alert.link')}: {links.complaint(c['ticket'])}",
    ]
    if no_contact and isinstance(c.get("opd"), str):
        lines.append(loc.t("alert.no_contact", opd=c["opd"]))
    return _subject(loc, loc.t("alert.urgent.subject", ticket=c["ticket"]), demo), "\n".join(lines)


def urgent_burst(loc: Locale, rows: list[dict], links: Links, limit: int, *, demo: bool = False) -> tuple[str, str]:
    """Many new urgent complaints at once (after an outage): one summary instead of a flood."""
    lines = [loc.t("alert.urgent_burst.head", n=len(rows))]
    for c in rows[:limit]:
        lines.append(f"- {c['ticket']} | {_opd(loc, c.get('opd'))} | {plain(c.get('title'), 50)}")
    if len(rows) > limit:
        lines.append(
            loc.t("alert.more", n=len(rows) - limit, link=links.explorer(prioritas="mendesak", status="terbuka"))
        )
    else:
        lines.append(links.explorer(prioritas="mendesak", status="terbuka"))
    return _subject(loc, loc.t("alert.urgent_burst.subject", n=len(rows)), demo), "\n".join(lines)


def _stage_line(loc: Locale, r: dict, links: Links, with_opd: bool, late: bool) -> str:
    parts = [str(r["ticket"])]
    if with_opd:
        parts.append(_opd(loc, r.get("opd")))
    parts.append(loc.t(f"alert.stage.{r['stage']}"))
    parts.append(f"{loc.t('alert.deadline').lower()} {loc.date_numeric(r['deadline'])}")
    if late and r.get("late_wd") is not None and not pd.isna(r.get("late_wd")):
        parts.append(loc.t("alert.late_wd", n=int(r["late_wd"])))
    return "- " + " | ".join(parts) + "\n  " + links.complaint(r["ticket"])


def opd_batch(
    loc: Locale,
    rule: str,
    opd_name,
    opd_code,
    rows: list[dict],
    day: dt.date,
    links: Links,
    limit: int,
    *,
    no_contact: bool = False,
    demo: bool = False,
) -> tuple[str, str]:
    """The morning batch of one OPD: its stages at risk (``hampir_jatuh_tempo``) or breached (``terlambat``)."""
    kind = "at_risk" if rule == "hampir_jatuh_tempo" else "breached"
    name = _opd(loc, opd_name)
    lines = [loc.t(f"alert.{kind}.head", opd=name, day=loc.date(day))]
    lines += [_stage_line(loc, r, links, False, kind == "breached") for r in rows[:limit]]
    if len(rows) > limit:
        params = {"status": "terbuka", "sla": kind, "opd": opd_code if isinstance(opd_code, str) else "-"}
        lines.append(loc.t("alert.more", n=len(rows) - limit, link=links.explorer(**params)))
    if no_contact:
        lines.append(loc.t("alert.no_contact", opd=name))
    return _subject(loc, loc.tn(f"alert.{kind}.subject", len(rows), opd=name), demo), "\n".join(lines)


def escalation(
    loc: Locale, rows: list[dict], days: int, day: dt.date, links: Links, limit: int, *, demo: bool = False
) -> tuple[str, str]:
    """Stages breached by at least ``days`` working days (the advisers at N, the leaders at M)."""
    lines = [loc.t("alert.escalate.head", days=days, day=loc.date(day))]
    lines += [_stage_line(loc, r, links, True, True) for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(loc.t("alert.more", n=len(rows) - limit, link=links.explorer(status="terbuka", sla="breached")))
    return _subject(loc, loc.tn("alert.escalate.subject", len(rows), days=days), demo), "\n".join(lines)


def digest(
    loc: Locale,
    day: dt.date,
    counts: dict,
    new_breached: list[str],
    worst: list[dict],
    links: Links,
    *,
    demo: bool = False,
) -> tuple[str, str]:
    """The advisers' daily digest: counts now, what breached since the last digest, the five worst OPDs."""
    lines = [
        loc.t(
            "alert.digest.counts",
            open=loc.num(counts["open"]),
            breached=loc.num(counts["breached"]),
            at_risk=loc.num(counts["at_risk"]),
        ),
        loc.t("alert.digest.new", n=loc.num(len(new_breached)))
        + (": " + ", ".join(new_breached[:5]) + (" …" if len(new_breached) > 5 else "") if new_breached else ""),
    ]
    if worst:
        lines.append(loc.t("alert.digest.worst"))
        for i, w in enumerate(worst[:5], start=1):
            lines.append(
                loc.t(
                    "alert.digest.worst_row",
                    rank=i,
                    opd=_opd(loc, w.get("opd")),
                    breached=loc.num(w["breached"]),
                    at_risk=loc.num(w["at_risk"]),
                )
            )
    lines.append(loc.t("alert.digest.kepatuhan", link=links.page("kepatuhan")))
    lines.append(loc.t("alert.digest.aduan", link=links.explorer(status="terbuka", sla="breached")))
    return _subject(loc, loc.t("alert.digest.subject", day=loc.date(day)), demo), "\n".join(lines)


def rapor(
    loc: Locale,
    month_day: dt.date,
    period_label: str,
    links: Links,
    opd_name: str | None = None,
    grade: str | None = None,
    *,
    demo: bool = False,
) -> tuple[str, str]:
    """The monthly rapor's cover note (the PDF is attached)."""
    month = loc.month(month_day)
    scope = opd_name or loc.t("alert.rapor.all")
    lines = [loc.t("alert.rapor.body", period=period_label, scope=scope)]
    if opd_name:
        lines.append(loc.t("alert.rapor.grade", grade=grade or "–"))
    lines.append(loc.t("alert.digest.kepatuhan", link=links.page("kepatuhan?periode=bulan_lalu")))
    subject = (
        loc.t("alert.rapor.subject_opd", month=month, opd=opd_name)
        if opd_name
        else loc.t("alert.rapor.subject", month=month)
    )
    return _subject(loc, subject, demo), "\n".join(lines)
