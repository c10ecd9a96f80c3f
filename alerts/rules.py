"""The five rules: from what the database says now to the notices to write (``store.OutRow``), per target.

Idempotency key of a notice: ``rule|complaint-or-scope|stage|target|day``. A stage announced to a target
is recorded in ``alerts_notified`` (rule, complaint, stage, target), so it is announced once, whatever day
the worker next sees it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from alerts import messages, schedule
from alerts.recipients import Recipients, Target
from alerts.settings import AlertSettings
from alerts.store import OutRow, notified_keys
from core import exports
from core import rapor as rapor_mod
from core.locale import get_locale
from core.periods import previous_month
from core.settings import SlaRules
from queries import alert_watch as q
from queries.overdue import open_complaints, overdue_by_opd
from queries.scorecard import opd_scorecard


@dataclass(frozen=True)
class Context:
    settings: AlertSettings
    rules: SlaRules
    recipients: Recipients

    @property
    def links(self) -> messages.Links:
        return messages.Links(self.settings.public_url)

    @property
    def demo_outbox(self) -> bool:
        """No recipient at all: notices go to the outbox only (status demo), to pseudo-targets."""
        return not self.recipients.configured

    def targets(self, group: str) -> list[Target]:
        if self.demo_outbox:
            name = "opd-" + group[4:] if group.startswith("opd:") else group
            return [Target(f"{name}-demo", group, "demo://", "id")]
        return self.recipients.of(group)

    def has_contacts(self, opd_code) -> bool:
        return isinstance(opd_code, str) and bool(self.recipients.of(f"opd:{opd_code}"))

    @property
    def status(self) -> str:
        return "demo" if self.demo_outbox else "pending"

    @property
    def demo_mark(self) -> bool:
        return self.demo_outbox or self.settings.demo


def _key(rule: str, scope, stage: str, target: str, day: str) -> str:
    return f"{rule}|{scope}|{stage}|{target}|{day}"


def _records(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records")


# --- 1. mendesak_baru ----------------------------------------------------------------------------------------
def plan_urgent(
    df: pd.DataFrame, ctx: Context, now: dt.datetime, last_id: int, already: set
) -> tuple[list[OutRow], int]:
    """New urgent complaints (``df``: queries.alert_watch.new_urgent) to the secretariat, at once. More than the
    catch-up limit for one target in one cycle (an outage, a stopped worker): one summary notice instead.
    ``already``: (rule, complaint id, stage, target) announced before. Returns the rows and the new cursor."""
    if df.empty:
        return [], last_id
    new_last = max(last_id, int(df["id"].max()))
    rows: list[OutRow] = []
    for target in ctx.targets("secretariat"):
        loc = get_locale(target.lang)
        fresh = [c for c in _records(df) if ("mendesak_baru", int(c["id"]), "baru", target.name) not in already]
        if not fresh:
            continue
        if len(fresh) > ctx.settings.catchup_limit:
            title, body = messages.urgent_burst(
                loc, fresh, ctx.links, ctx.settings.items_per_notice, demo=ctx.demo_mark
            )
            day = schedule.local(now).date().isoformat()
            rows.append(
                OutRow(
                    _key("mendesak_baru", f"ringkasan:{fresh[0]['id']}-{fresh[-1]['id']}", "baru", target.name, day),
                    "mendesak_baru",
                    target.name,
                    loc.lang,
                    title,
                    body,
                    ctx.status,
                    [(int(c["id"]), "baru") for c in fresh],
                    day,
                )
            )
            continue
        for c in fresh:
            deadline = schedule.dispatch_deadline(c["received_at"].to_pydatetime(), ctx.rules)
            no_contact = isinstance(c.get("opd_code"), str) and not ctx.has_contacts(c["opd_code"])
            title, body = messages.urgent(loc, c, deadline, ctx.links, no_contact=no_contact, demo=ctx.demo_mark)
            day = schedule.local(c["received_at"].to_pydatetime()).date().isoformat()
            rows.append(
                OutRow(
                    _key("mendesak_baru", c["ticket"], "baru", target.name, day),
                    "mendesak_baru",
                    target.name,
                    loc.lang,
                    title,
                    body,
                    ctx.status,
                    [(int(c["id"]), "baru")],
                    day,
                )
            )
    return rows, new_last


# --- 2. and 3. hampir_jatuh_tempo, terlambat (+ escalation) ------------------------------------------------
def plan_batch(conn, ctx: Context, now: dt.datetime, day: dt.date) -> list[OutRow]:
    """The working-day batch: per OPD its stages at risk / breached (to the OPD and the secretariat), and
    the escalation of stages breached by >= N (advisers) and >= M (leaders) working days."""
    stages = q.late_stages(conn, now, ctx.rules)
    wanted = [r for r in ("hampir_jatuh_tempo", "terlambat") if ctx.settings.enabled(r)]
    if stages.empty or not wanted:
        return []
    already = notified_keys(conn, ("hampir_jatuh_tempo", "terlambat"), stages["id"].unique())
    dkey = day.isoformat()
    s = ctx.settings
    rows: list[OutRow] = []

    def fresh_for(rule, items: list[dict], target: Target, stage_suffix: str = "") -> list[dict]:
        return [r for r in items if (rule, int(r["id"]), r["stage"] + stage_suffix, target.name) not in already]

    for rule in wanted:
        state = "at_risk" if rule == "hampir_jatuh_tempo" else "breached"
        part = stages[stages["state"] == state]
        for code, grp in part.groupby(part["opd_code"].fillna("-"), sort=True):
            items = _records(grp)
            opd_code = None if code == "-" else code
            opd_name = items[0]["opd"]
            groups = ["secretariat"] + ([f"opd:{opd_code}"] if opd_code else [])
            for group in groups:
                for target in ctx.targets(group):
                    fresh = fresh_for(rule, items, target)
                    if not fresh:
                        continue
                    loc = get_locale(target.lang)
                    no_contact = (
                        group == "secretariat"
                        and opd_code is not None
                        and not ctx.demo_outbox
                        and not ctx.has_contacts(opd_code)
                    )
                    title, body = messages.opd_batch(
                        loc,
                        rule,
                        opd_name,
                        opd_code,
                        fresh,
                        day,
                        ctx.links,
                        s.items_per_notice,
                        no_contact=no_contact,
                        demo=ctx.demo_mark,
                    )
                    rows.append(
                        OutRow(
                            _key(rule, f"opd:{code}", "*", target.name, dkey),
                            rule,
                            target.name,
                            loc.lang,
                            title,
                            body,
                            ctx.status,
                            [(int(r["id"]), r["stage"]) for r in fresh],
                            dkey,
                        )
                    )
        if rule != "terlambat":
            continue
        for group, days in (("advisers", s.escalate_advisers_days), ("leaders", s.escalate_leaders_days)):
            late = part[part["late_wd"].fillna(0).astype(int) >= days].sort_values(
                ["late_wd", "ticket"], ascending=[False, True], kind="stable"
            )
            items = _records(late)
            suffix = f">={days}"
            for target in ctx.targets(group):
                fresh = fresh_for(rule, items, target, suffix)
                if not fresh:
                    continue
                loc = get_locale(target.lang)
                title, body = messages.escalation(
                    loc, fresh, days, day, ctx.links, s.items_per_notice, demo=ctx.demo_mark
                )
                rows.append(
                    OutRow(
                        _key(rule, f"eskalasi:{days}", "*", target.name, dkey),
                        rule,
                        target.name,
                        loc.lang,
                        title,
                        body,
                        ctx.status,
                        [(int(r["id"]), r["stage"] + suffix) for r in fresh],
                        dkey,
                    )
                )
    return rows


# --- 4. ringkasan_harian ----------------------------------------------------------------------------------------
def plan_digest(conn, ctx: Context, now: dt.datetime, day: dt.date, last_day: dt.date | None) -> list[OutRow]:
    by_opd = overdue_by_opd(conn, now, ctx.rules)
    counts = {k: int(by_opd[k].sum()) for k in ("open", "breached", "at_risk")}
    worst = _records(by_opd[by_opd["breached"] > 0].head(5))
    stages = q.late_stages(conn, now, ctx.rules)
    since = max(1, schedule.workdays_between(last_day, day)) if last_day else 1
    br = stages[stages["state"] == "breached"]
    new = br[br["late_wd"].fillna(0).astype(int) <= since]
    tickets = sorted(new["ticket"].unique().tolist())
    rows = []
    for target in ctx.targets("advisers"):
        loc = get_locale(target.lang)
        title, body = messages.digest(loc, day, counts, tickets, worst, ctx.links, demo=ctx.demo_mark)
        rows.append(
            OutRow(
                _key("ringkasan_harian", "-", "-", target.name, day.isoformat()),
                "ringkasan_harian",
                target.name,
                loc.lang,
                title,
                body,
                ctx.status,
                [],
                day.isoformat(),
            )
        )
    return rows


# --- 5. rapor_bulanan --------------------------------------------------------------------------------------------
def rapor_pdf(
    rapor: pd.DataFrame, late_all: pd.DataFrame, period, rules, lang: str, now: dt.datetime, opd_ids=None
) -> bytes:
    """The kepatuhan page's PDF, exactly as dashboard/compliance/view.py makes it."""
    loc = get_locale(lang)
    sections = rapor_mod.pdf_sections(rapor, late_all, loc, opd_ids)
    return exports.rapor_pdf(
        sections, period.label(loc), rapor_mod.rules_text(rules, loc), now, rapor_mod.pdf_labels(loc)
    )


def plan_rapor(conn, ctx: Context, now: dt.datetime, day: dt.date) -> list[OutRow]:
    """Last month's rapor: the whole PDF to the rapor groups, and to each OPD with contacts its own page."""
    period = previous_month(day)
    start, end = period.bounds()
    rapor = rapor_mod.with_grades(opd_scorecard(conn, start, end, now, ctx.rules, rollup=True))
    late_all = open_complaints(conn, now, ctx.rules, rollup=True, only_late=True)
    month_key = f"{period.start:%Y-%m}"
    stamp = f"{period.start:%Y%m}"
    rows: list[OutRow] = []
    pdfs: dict[tuple, bytes] = {}

    def pdf(lang, ids):
        key = (lang, tuple(ids) if ids is not None else None)
        if key not in pdfs:
            pdfs[key] = rapor_pdf(rapor, late_all, period, ctx.rules, lang, now, ids)
        return pdfs[key]

    for group in ctx.settings.rapor_groups:
        for target in ctx.targets(group):
            loc = get_locale(target.lang)
            title, body = messages.rapor(loc, period.start, period.label(loc), ctx.links, demo=ctx.demo_mark)
            rows.append(
                OutRow(
                    _key("rapor_bulanan", "semua", "*", target.name, month_key),
                    "rapor_bulanan",
                    target.name,
                    loc.lang,
                    title,
                    body,
                    ctx.status,
                    [],
                    month_key,
                    f"rapor-opd-{stamp}.pdf",
                    pdf(loc.lang, None),
                )
            )
    if not ctx.demo_outbox:
        for r in _records(rapor):
            code = r["opd_code"]
            if not isinstance(code, str) or not ctx.has_contacts(code):
                continue
            for target in ctx.recipients.of(f"opd:{code}"):
                loc = get_locale(target.lang)
                title, body = messages.rapor(
                    loc,
                    period.start,
                    period.label(loc),
                    ctx.links,
                    opd_name=r["opd"],
                    grade=r.get("grade"),
                    demo=ctx.demo_mark,
                )
                rows.append(
                    OutRow(
                        _key("rapor_bulanan", f"opd:{code}", "*", target.name, month_key),
                        "rapor_bulanan",
                        target.name,
                        loc.lang,
                        title,
                        body,
                        ctx.status,
                        [],
                        month_key,
                        f"rapor-opd-{stamp}-{code}.pdf",
                        pdf(loc.lang, [r["opd_id"]]),
                    )
                )
    return rows
