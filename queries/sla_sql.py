"""The SLA clock inside the database: per-complaint stage states computed with ``work_calendar``.

Mirrors ``dashboard.sla.ReferenceClock`` exactly (tests prove it on PostgreSQL and SQLite).
``rules`` is any object with ``dispatch_days``, ``response_days``, ``completion_days`` (dict by
classification), ``completion_anchor`` ("dispatched" or "received") and ``at_risk_days``.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, bindparam, case, literal, or_, select
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
    whens = [
        (complaint.c.classification == literal(cls), literal(int(days)))
        for cls, days in sorted(rules.completion_days.items())
    ]
    return case(*whens, else_=literal(int(rules.completion_days.get("pengaduan", DEFAULT_COMPLETION_DAYS))))


def _stage(start_cum, end_cum, start_col, end_col, days, today_cum, at_risk_days):
    """(state, elapsed working days, working days late) of one stage."""
    elapsed_closed = nonneg(end_cum - start_cum)
    elapsed_open = nonneg(today_cum - start_cum)
    elapsed = case((end_col.is_not(None), elapsed_closed), else_=elapsed_open)
    state = case(
        (or_(start_col.is_(None), start_cum.is_(None)), None),
        (end_col.is_not(None), case((elapsed_closed <= days, "met"), else_="late")),
        (complaint.c.status == "ditunda", "ditunda"),
        (complaint.c.status.not_in(ACTIVE_STATUSES), None),
        (elapsed_open > days, "breached"),
        (elapsed_open >= days - at_risk_days, "at_risk"),
        else_="on_track",
    )
    late_by = case((state.is_(None), None), (state == "ditunda", None), else_=nonneg(elapsed - days))
    return state, case((state.is_(None), None), else_=elapsed), late_by


def complaint_sla(rules, now: dt.datetime, *, rollup: bool = True, with_deadlines: bool = False):
    """A SELECT of every complaint with its three SLA stages, overall state and reporting OPD.

    Callers add ``.where(...)`` on ``complaint`` columns and use it as a subquery.
    """
    today = today_wita(now)
    cal_r, cal_d = work_calendar.alias("cal_r"), work_calendar.alias("cal_d")
    cal_f, cal_s = work_calendar.alias("cal_f"), work_calendar.alias("cal_s")
    today_cum = (
        select(work_calendar.c.wd_cum)
        .where(work_calendar.c.day == bindparam("sla_today", today, type_=work_calendar.c.day.type))
        .scalar_subquery()
    )
    eff = opd_rollup(rollup)
    at_risk = int(rules.at_risk_days)

    disp_state, disp_elapsed, disp_late = _stage(
        cal_r.c.wd_cum, cal_d.c.wd_cum, complaint.c.received_at, complaint.c.dispatched_at,
        int(rules.dispatch_days), today_cum, at_risk)
    resp_state, resp_elapsed, resp_late = _stage(
        cal_d.c.wd_cum, cal_f.c.wd_cum, complaint.c.dispatched_at, complaint.c.first_response_at,
        int(rules.response_days), today_cum, at_risk)
    if rules.completion_anchor == "received":
        comp_start_col, comp_start_cum = complaint.c.received_at, cal_r.c.wd_cum
    else:
        comp_start_col, comp_start_cum = complaint.c.dispatched_at, cal_d.c.wd_cum
    comp_days = completion_days_expr(rules)
    comp_state, comp_elapsed, comp_late = _stage(
        comp_start_cum, cal_s.c.wd_cum, comp_start_col, complaint.c.resolved_at,
        comp_days, today_cum, at_risk)

    states = (disp_state, resp_state, comp_state)

    def any_is(value):
        return or_(*(s == value for s in states))

    overall = case(
        (any_is("breached"), "breached"),
        (any_is("at_risk"), "at_risk"),
        (any_is("on_track"), "on_track"),
        (complaint.c.status == "ditunda", "ditunda"),
        (any_is("late"), "late"),
        (any_is("met"), "met"),
        else_=None,
    )
    open_late = [case((s == "breached", lt), else_=0) for s, lt in
                 ((disp_state, disp_late), (resp_state, resp_late), (comp_state, comp_late))]
    overdue_wd = case(
        (open_late[0] >= open_late[1], case((open_late[0] >= open_late[2], open_late[0]), else_=open_late[2])),
        else_=case((open_late[1] >= open_late[2], open_late[1]), else_=open_late[2]),
    )
    cols = [
        complaint.c.id, complaint.c.ticket, complaint.c.opd_id,
        eff.c.eff_id, eff.c.eff_code, eff.c.eff_short_name,
        complaint.c.classification, complaint.c.priority, complaint.c.status,
        complaint.c.received_at, complaint.c.dispatched_at, complaint.c.first_response_at,
        complaint.c.resolved_at,
        disp_state.label("dispatch_state"), disp_elapsed.label("dispatch_elapsed"),
        disp_late.label("dispatch_late_by"),
        resp_state.label("response_state"), resp_elapsed.label("response_elapsed"),
        resp_late.label("response_late_by"),
        comp_state.label("completion_state"), comp_elapsed.label("completion_elapsed"),
        comp_late.label("completion_late_by"), comp_days.label("completion_days"),
        overall.label("sla_state"), overdue_wd.label("overdue_wd"),
        nonneg(today_cum - cal_r.c.wd_cum).label("age_wd"),
    ]
    src = (
        complaint
        .outerjoin(cal_r, cal_r.c.day == wita_date(complaint.c.received_at))
        .outerjoin(cal_d, cal_d.c.day == wita_date(complaint.c.dispatched_at))
        .outerjoin(cal_f, cal_f.c.day == wita_date(complaint.c.first_response_at))
        .outerjoin(cal_s, cal_s.c.day == wita_date(complaint.c.resolved_at))
        .outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
    )
    if with_deadlines:
        dl_d, dl_r, dl_c = (work_calendar.alias(n) for n in ("dl_d", "dl_r", "dl_c"))
        src = (
            src.outerjoin(dl_d, and_(dl_d.c.wd_cum == cal_r.c.wd_cum + int(rules.dispatch_days),
                                     dl_d.c.is_workday.is_(True)))
            .outerjoin(dl_r, and_(dl_r.c.wd_cum == cal_d.c.wd_cum + int(rules.response_days),
                                  dl_r.c.is_workday.is_(True)))
            .outerjoin(dl_c, and_(dl_c.c.wd_cum == comp_start_cum + comp_days, dl_c.c.is_workday.is_(True)))
        )
        cols += [dl_d.c.day.label("dispatch_deadline"), dl_r.c.day.label("response_deadline"),
                 dl_c.c.day.label("completion_deadline")]
    return select(*cols).select_from(src)
