"""The SLA clock inside the database: per-complaint stage states computed with ``work_calendar``.

Mirrors ``dashboard.sla.ReferenceClock`` exactly (tests prove it on PostgreSQL and SQLite).
``rules`` is any object with ``dispatch_days``, ``response_days``, ``completion_days`` (dict by
classification), ``completion_anchor`` ("dispatched" or "received") and ``at_risk_days``.

Two layers: the inner SELECT joins each complaint to the calendar (working-day index of each of its
dates and of today); the outer one turns those integers into states.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, bindparam, case, literal, or_, select, true
from sqlalchemy.sql.expression import ColumnElement

from queries._sql import nonneg, opd_rollup, utc, wita_date
from queries.schema import complaint, work_calendar

ACTIVE_STATUSES = ("diterima", "terdisposisi", "diproses")
OPEN_STATUSES = ACTIVE_STATUSES + ("ditunda",)
DEFAULT_COMPLETION_DAYS = 14  # unknown classification: treated as an ordinary complaint


def today_wita(now: dt.datetime) -> dt.date:
    return utc(now).astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def completion_days_expr(rules) -> ColumnElement:
    """Working days allowed for completion, by classification, as bound parameters."""
    whens = [(complaint.c.classification == literal(cls), literal(int(days)))
             for cls, days in sorted(rules.completion_days.items())]
    return case(*whens, else_=literal(int(rules.completion_days.get("pengaduan", DEFAULT_COMPLETION_DAYS))))


def _stage(b, start: str, end: str, days, at_risk_days: int):
    """(state, elapsed working days, working days late) of one stage, from the inner layer ``b``."""
    start_cum, end_cum = b.c[f"{start}_cum"], b.c[f"{end}_cum"]
    start_col, end_col = b.c[f"{start}_at"], b.c[f"{end}_at"]
    elapsed_closed = nonneg(end_cum - start_cum)
    elapsed_open = nonneg(b.c.today_cum - start_cum)
    state = case(
        (or_(start_col.is_(None), start_cum.is_(None)), None),
        (end_col.is_not(None), case((elapsed_closed <= days, "met"), else_="late")),
        (b.c.status == "ditunda", "ditunda"),
        (b.c.status.not_in(ACTIVE_STATUSES), None),
        (elapsed_open > days, "breached"),
        (elapsed_open >= days - at_risk_days, "at_risk"),
        else_="on_track",
    )
    elapsed = case((end_col.is_not(None), elapsed_closed), else_=elapsed_open)
    elapsed = case((or_(start_col.is_(None), start_cum.is_(None)), None), else_=elapsed)
    late_by = case((b.c.status == "ditunda", case((end_col.is_not(None), nonneg(elapsed - days)), else_=None)),
                   else_=nonneg(elapsed - days))
    late_by = case((state.is_(None), None), else_=late_by)
    return state, elapsed, late_by


def complaint_sla(rules, now: dt.datetime, where=(), *, rollup: bool = True, with_deadlines: bool = False):
    """A SELECT of complaints (filtered by ``where``, conditions on ``complaint``) with their SLA stages.

    Columns: complaint fields, reporting OPD (eff_*), {dispatch,response,completion}_{state,elapsed,late_by},
    completion_days, sla_state (the worst open state, else late/met), overdue_wd, age_wd, and with
    ``with_deadlines`` the deadline date of each stage.
    """
    cal_r, cal_d = work_calendar.alias("cal_r"), work_calendar.alias("cal_d")
    cal_f, cal_s = work_calendar.alias("cal_f"), work_calendar.alias("cal_s")
    today = (select(work_calendar.c.wd_cum.label("today_cum"))
             .where(work_calendar.c.day == bindparam("sla_today", today_wita(now), type_=work_calendar.c.day.type))
             .subquery("today"))
    eff = opd_rollup(rollup)
    comp_days = completion_days_expr(rules)
    inner = (
        select(
            complaint.c.id, complaint.c.ticket, complaint.c.opd_id, eff.c.eff_id, eff.c.eff_code,
            eff.c.eff_short_name, complaint.c.classification, complaint.c.priority, complaint.c.status,
            complaint.c.received_at, complaint.c.dispatched_at, complaint.c.first_response_at,
            complaint.c.resolved_at,
            cal_r.c.wd_cum.label("received_cum"), cal_d.c.wd_cum.label("dispatched_cum"),
            cal_f.c.wd_cum.label("first_response_cum"), cal_s.c.wd_cum.label("resolved_cum"),
            today.c.today_cum, comp_days.label("completion_days"),
        )
        .select_from(
            complaint
            .join(today, true(), isouter=True)
            .outerjoin(cal_r, cal_r.c.day == wita_date(complaint.c.received_at))
            .outerjoin(cal_d, cal_d.c.day == wita_date(complaint.c.dispatched_at))
            .outerjoin(cal_f, cal_f.c.day == wita_date(complaint.c.first_response_at))
            .outerjoin(cal_s, cal_s.c.day == wita_date(complaint.c.resolved_at))
            .outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
        )
        .where(*where)
        .subquery("sla_base")
    )
    b = inner
    at_risk = int(rules.at_risk_days)
    comp_start = "received" if rules.completion_anchor == "received" else "dispatched"
    disp = _stage(b, "received", "dispatched", int(rules.dispatch_days), at_risk)
    resp = _stage(b, "dispatched", "first_response", int(rules.response_days), at_risk)
    comp = _stage(b, comp_start, "resolved", b.c.completion_days, at_risk)
    states = (disp[0], resp[0], comp[0])

    def any_is(value):
        return or_(*(s == value for s in states))

    overall = case(
        (any_is("breached"), "breached"), (any_is("at_risk"), "at_risk"), (any_is("on_track"), "on_track"),
        (b.c.status == "ditunda", "ditunda"), (any_is("late"), "late"), (any_is("met"), "met"), else_=None)
    open_late = [case((st == "breached", lt), else_=0) for st, _, lt in (disp, resp, comp)]
    overdue_wd = case(
        (open_late[0] >= open_late[1], case((open_late[0] >= open_late[2], open_late[0]), else_=open_late[2])),
        else_=case((open_late[1] >= open_late[2], open_late[1]), else_=open_late[2]))
    cols = [
        b.c.id, b.c.ticket, b.c.opd_id, b.c.eff_id, b.c.eff_code, b.c.eff_short_name, b.c.classification,
        b.c.priority, b.c.status, b.c.received_at, b.c.dispatched_at, b.c.first_response_at, b.c.resolved_at,
        *(expr.label(f"{name}_{part}") for name, stage in (("dispatch", disp), ("response", resp),
                                                          ("completion", comp))
          for part, expr in zip(("state", "elapsed", "late_by"), stage)),
        b.c.completion_days, overall.label("sla_state"), overdue_wd.label("overdue_wd"),
        nonneg(b.c.today_cum - b.c.received_cum).label("age_wd"),
    ]
    src = b
    if with_deadlines:
        dl_d, dl_r, dl_c = (work_calendar.alias(n) for n in ("dl_d", "dl_r", "dl_c"))
        comp_start_cum = b.c[f"{comp_start}_cum"]
        src = (
            b.outerjoin(dl_d, and_(dl_d.c.wd_cum == b.c.received_cum + int(rules.dispatch_days),
                                   dl_d.c.is_workday.is_(True)))
            .outerjoin(dl_r, and_(dl_r.c.wd_cum == b.c.dispatched_cum + int(rules.response_days),
                                  dl_r.c.is_workday.is_(True)))
            .outerjoin(dl_c, and_(dl_c.c.wd_cum == comp_start_cum + b.c.completion_days,
                                  dl_c.c.is_workday.is_(True)))
        )
        cols += [dl_d.c.day.label("dispatch_deadline"), dl_r.c.day.label("response_deadline"),
                 dl_c.c.day.label("completion_deadline")]
    return select(*cols).select_from(src)
