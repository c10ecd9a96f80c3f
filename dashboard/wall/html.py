"""Pure HTML builders for the wall's text panels (feed, OPD activity, late OPDs, header).

Every value is escaped with ``html.escape`` before it is placed in markup: complaint titles come from
citizens and social media, so ``<img src=x onerror=...>`` or ``**bold**`` must show as literal text.
Nothing here selects or receives reporter names or contacts.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

import pandas as pd

from core.locale import Locale
from core.textsafe import plain_text
from core.timefmt import MISSING, fmt_wita, is_missing, to_wita
from dashboard.explorer.url import OPEN_ALIAS, code_or_none, explorer_link
from dashboard.theme import EVENT_ICON, PRIORITY_ICON, STATE_ICON


def icon(name: str) -> str:
    """A Material Symbols icon (a fixed name from dashboard.theme, never data); decorative for readers."""
    return f'<span class="w-icon" aria-hidden="true">{html.escape(name)}</span>' if name else ""


def esc(value) -> str:
    """Text for HTML: None/NaN as a dash, everything else escaped (quotes too)."""
    if is_missing(value):
        return MISSING
    return html.escape(str(value), quote=True)


def _rows(df: pd.DataFrame) -> Iterable[dict]:
    """Rows as dicts with every missing value (None, NaN, NA, NaT) turned into None."""
    for r in df.to_dict("records"):
        yield {k: (None if is_missing(v) else v) for k, v in r.items()}


def _link(text, links: bool = True, **params) -> str:
    """``text`` as a link to the explorer filtered by ``params`` (drill-down from the wall's lists), or plain
    escaped text when ``links`` is off (kiosk, or a viewer who may not open the explorer)."""
    if not links:
        return esc(text)
    return f'<a class="w-link" href="{esc(explorer_link(**params))}" target="_self">{esc(text)}</a>'


def feed_ago(ts, now: dt.datetime, loc: Locale) -> str:
    """How long ago, to the minute ("< 1 mnt", "12 mnt", "3 jam"): the feed's markup then changes once a
    minute at most, not on every refresh, so the browser keeps its rows instead of rebuilding them."""
    local = to_wita(ts)
    if local is not None and (now - local).total_seconds() < 60:
        return loc.t("ago.under_minute")
    return loc.ago(ts, now)


def feed_html(df: pd.DataFrame, now: dt.datetime, loc: Locale, new_seconds: int = 120, links: bool = True) -> str:
    """The live feed of new complaints, newest first: one row per complaint (ages to the minute)."""
    if df is None or df.empty:
        return f'<div class="w-empty">{esc(loc.t("wall.feed_empty"))}</div>'
    out = ['<table class="w-feed"><tbody>']
    for r in _rows(df):
        received = to_wita(r["received_at"])
        is_new = received is not None and (now - received).total_seconds() <= new_seconds
        urgent = r.get("priority") == "mendesak"
        classes = " ".join(c for c in ("w-row", "w-new" if is_new else "", "w-urgent" if urgent else "") if c)
        badges = []
        if is_new:
            badges.append(f'<span class="w-badge w-badge-new">{esc(loc.t("wall.new"))}</span>')
        if r.get("priority") in ("mendesak", "penting"):
            badges.append(
                f'<span class="w-badge w-prio-{esc(r["priority"])}">{icon(PRIORITY_ICON[r["priority"]])}'
                f"{esc(loc.label('priority', r['priority']))}</span>"
            )
        meta = " · ".join(
            esc(r.get(k) or loc.t(f"wall.no_{k}")) for k in ("sector", "region", "channel")
        )  # a missing value in words: "–" means nothing to a visitor
        opd = esc(r["opd"]) if r.get("opd") else esc(loc.t("opd.unassigned_short"))
        out.append(
            f'<tr class="{classes}" data-ticket="{esc(r["ticket"])}">'
            f'<td class="w-time"><div class="w-clock">{esc(fmt_wita(r["received_at"], "%H:%M"))}</div>'
            f'<div class="w-ago">{esc(feed_ago(r["received_at"], now, loc))}</div></td>'
            f'<td class="w-main"><div class="w-title">{"".join(badges)}<span class="w-title-text">'
            f"{esc(plain_text(r['title']))}</span></div>"
            f'<div class="w-meta"><span class="w-ticket">{_link(r["ticket"], links, tiket=r["ticket"])}</span> · {meta}</div></td>'
            f'<td class="w-opd"><div>{opd}</div>'
            f'<div class="w-status">{esc(loc.label("status", r.get("status")))}</div></td>'
            "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def activity_html(df: pd.DataFrame, now: dt.datetime, loc: Locale) -> str:
    """The OPD activity feed: dispatched, re-dispatched, responded, completed."""
    if df is None or df.empty:
        return f'<div class="w-empty">{esc(loc.t("wall.activity_empty"))}</div>'
    out = ['<table class="w-act"><tbody>']
    for r in _rows(df):
        kind = str(r["kind"])
        out.append(
            f'<tr><td class="w-act-icon">{icon(EVENT_ICON.get(kind, "circle"))}</td>'
            f'<td><div class="w-act-what">{esc(loc.label("event", kind))} · <b>{esc(r.get("opd") or loc.t("opd.unassigned_short"))}</b></div>'
            f'<div class="w-meta"><span class="w-ticket">{esc(r["ticket"])}</span> · '
            f"{esc(feed_ago(r['occurred_at'], now, loc))}</div></td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def late_rows(df: pd.DataFrame | None) -> pd.DataFrame | None:
    """The OPDs with a complaint past or near its deadline, in the query's order (most breached first)."""
    return None if df is None else df[(df["breached"] > 0) | (df["at_risk"] > 0)]


def overdue_html(df: pd.DataFrame, loc: Locale, limit: int = 8, links: bool = True) -> str:
    """OPDs with the most breached complaints: counts with icon and label, never colour alone. Below the
    ``limit`` rows, how many OPDs (and complaints) the table leaves out, then the totals of every OPD: the
    same sums as the cards "Terlambat" and "Hampir jatuh tempo"."""
    late = late_rows(df)
    if late is None or late.empty:
        return f'<div class="w-empty">{icon(STATE_ICON["met"])} {esc(loc.t("wall.no_overdue"))}</div>'
    shown, hidden = late.head(limit), late.iloc[limit:]
    head = (
        f"<tr><th>{esc(loc.t('wall.col_opd'))}</th>"
        f'<th class="w-num">{icon(STATE_ICON["breached"])} {esc(loc.t("sla.breached"))}</th>'
        f'<th class="w-num">{icon(STATE_ICON["at_risk"])} {esc(loc.t("wall.col_at_risk"))}</th>'
        f'<th class="w-num w-oldest">{esc(loc.t("wall.col_oldest"))}</th></tr>'
    )
    out = [f'<table class="w-late"><thead>{head}</thead><tbody>']
    for r in _rows(shown):
        name = r["opd"] if r.get("opd") else loc.t("opd.unassigned_short")
        oldest = r.get("oldest_breached_wd")
        oldest = loc.t("wall.no_oldest") if oldest is None else loc.workdays(int(oldest))
        code = code_or_none(r.get("opd_code"))
        out.append(
            f'<tr><td class="w-late-opd">{_link(name, links, opd=code, status=OPEN_ALIAS)}</td>'
            f'<td class="w-num w-breached">{_link(int(r["breached"]), links, opd=code, sla="breached")}</td>'
            f'<td class="w-num w-atrisk">{_link(int(r["at_risk"]), links, opd=code, sla="at_risk")}</td>'
            f'<td class="w-num w-oldest">{esc(oldest)}</td></tr>'
        )
    out.append("</tbody><tfoot>")
    if len(hidden):
        more = loc.tn(
            "wall.late_more",
            len(hidden),
            opds=loc.num(len(hidden)),
            breached=loc.num(int(hidden["breached"].sum())),
            at_risk=loc.num(int(hidden["at_risk"].sum())),
        )
        out.append(f'<tr class="w-late-more"><td colspan="4">{esc(more)}</td></tr>')
    out.append(
        f'<tr class="w-late-total"><td>{esc(loc.t("wall.late_total"))}</td>'
        f'<td class="w-num w-breached">{esc(loc.num(int(df["breached"].sum())))}</td>'
        f'<td class="w-num w-atrisk">{esc(loc.num(int(df["at_risk"].sum())))}</td><td></td></tr>'
    )
    out.append("</tfoot></table>")
    return "".join(out)


def header_html(now: dt.datetime, data_at: dt.datetime | None, loc: Locale) -> str:
    """Title, the data age and a clock in WITA."""
    local = to_wita(now)
    age = f"{esc(loc.t('data.as_of', time=fmt_wita(data_at, '%H:%M:%S')))}" if data_at else ""
    return (
        f'<div class="w-header"><div class="w-brand">{esc(loc.t("monitor.title"))}</div>'
        f'<div class="w-age">{age}</div>'
        f'<div class="w-now"><span class="w-date">{esc(loc.t("wall.date", date=local.strftime("%d-%m-%Y")))}</span>'
        f'<span class="w-big-clock">{esc(local.strftime("%H:%M"))}</span>'
        f'<span class="w-tz">WITA</span></div></div>'
    )


def urgent_banner_html(item, loc: Locale, waiting: int = 0) -> str:
    """The banner that announces a new mendesak complaint across the room: its title (citizen text, escaped),
    sector and region, and how many more wait. ``item``: a ``dashboard.wall.urgent.Announcement``."""
    more = f'<span class="w-alert-more">{esc(loc.tn("wall.urgent_more", waiting))}</span>' if waiting else ""
    meta = " · ".join(esc(x) for x in (item.sector, item.region))
    return (
        f'<div class="w-alert" role="alert" data-ticket="{esc(item.ticket)}">'
        f'<div class="w-alert-label">{icon(PRIORITY_ICON["mendesak"])} {esc(loc.t("wall.urgent_label"))}'
        f'<span class="w-alert-ticket">{esc(item.ticket)}</span>{more}</div>'
        f'<div class="w-alert-title">{esc(item.title)}</div>'
        f'<div class="w-alert-meta">{meta}</div></div>'
    )
