"""The SLA clock inside the database: per-complaint stage states computed with ``work_calendar``.

Mirrors ``core.sla.ReferenceClock`` exactly (tests prove it on PostgreSQL and SQLite).
``rules`` is any object with ``dispatch_days``, ``response_days``, ``completion_days`` (dict by
classification), ``completion_anchor`` ("dispatched" or "received") and ``at_risk_days``.

Two layers: the inner SELECT joins each complaint to the calendar (working-day index of each of its
dates and of today) and to its paused working days per stage (``stage_pauses``); the outer one turns those
integers into states.

Fair rules (docs/database.md): an open stage is breached once its deadline date is before today, a weekend or
holiday after the deadline included. ``today_off`` (1 when today is not a working day, else 0) is all the SQL
needs for it: with ``left`` = working days after today up to the deadline, the stage is breached when
``left < today_off``, late by ``today_off - left`` working days.

Pauses (README, "The SLA clock"): a ``ditunda`` event starts a pause, the next event of a kind in
``RESUME_KINDS`` ends it; the working days after the pause's day up to and including the resume day do not
count against a stage, as far as they fall within it. A pause never resumed lasts until today while the
complaint is ``ditunda``, and counts for nothing once its status says otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, func, literal, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FromClause, FunctionElement

from core.codes import ACTIVE_STATUSES, OPEN_STATUSES, PAUSE_KIND, RESUME_KINDS, WITA_OFFSET_HOURS
from queries._sql import nonneg, opd_rollup, utc, wita_date
from queries.schema import complaint, complaint_event, ts_key, work_calendar

DEFAULT_COMPLETION_DAYS = 14  # unknown classification: treated as an ordinary complaint
STAGES = ("dispatch", "response", "completion")
_STAGE_TIMES = ("received_at", "dispatched_at", "first_response_at", "resolved_at")


def today_wita(now: dt.datetime) -> dt.date:
    return utc(now).astimezone(dt.timezone(dt.timedelta(hours=WITA_OFFSET_HOURS))).date()


def completion_days_expr(rules) -> ColumnElement:
    """Working days allowed for completion, by classification, as bound parameters."""
    whens = [
        (complaint.c.classification == literal(cls), literal(int(days)))
        for cls, days in sorted(rules.completion_days.items())
    ]
    return case(*whens, else_=literal(int(rules.completion_days.get("pengaduan", DEFAULT_COMPLETION_DAYS))))


def _today(now: dt.datetime):
    """One row: today's working-day index and ``today_off``, 1 when today is not a working day."""
    return (
        select(
            work_calendar.c.wd_cum.label("today_cum"),
            case((work_calendar.c.is_workday.is_(True), 0), else_=1).label("today_off"),
        )
        .where(work_calendar.c.day == bindparam("sla_today", today_wita(now), type_=work_calendar.c.day.type))
        .subquery("today")
    )


def _min_of(a, b):
    return case((a < b, a), else_=b)


def _max_of(a, b):
    return case((a > b, a), else_=b)


def stage_pauses(rules, now: dt.datetime, where=()):
    """Per complaint with a pause (among those matching ``where``, conditions on ``complaint``): the working
    days paused within each stage. Columns: complaint_id, dispatch_paused, response_paused, completion_paused.

    Reads only the ``ditunda`` events (the covering partial index ``ix_event_pause``) of the complaints matching
    ``where`` (a hash join with them: no probe per complaint, and the scope's status and stage times come from the
    same rows) and, for each, the complaint's later events through ``ix_event_complaint`` to find the resume.
    Nothing is read per row of the big tables, and no complaint is read twice.
    """
    ev, nxt = complaint_event.alias("pz_ev"), complaint_event.alias("pz_next")
    resume = (
        select(func.min(ts_key(nxt.c.occurred_at)))
        .where(
            nxt.c.complaint_id == ev.c.complaint_id,
            nxt.c.kind.in_(RESUME_KINDS),
            nxt.c.occurred_at >= ev.c.occurred_at,
            or_(nxt.c.occurred_at > ev.c.occurred_at, nxt.c.id > ev.c.id),
        )
        .scalar_subquery()
    )
    # the complaint's status and stage times come along from the scope's own rows (the covering indexes hold
    # them), so the complaints with a pause are not read again by primary key
    carried = [complaint.c[n] for n in ("status", *_STAGE_TIMES)]
    raw = (
        select(ev.c.complaint_id, ts_key(ev.c.occurred_at).label("paused_at"), resume.label("resumed_at"), *carried)
        .select_from(ev.join(complaint, complaint.c.id == ev.c.complaint_id))
        .where(ev.c.kind == PAUSE_KIND, *where)
        .subquery("pz_raw")
    )
    # ditunda events before the same resume are one pause, from the first of them (the carried columns are
    # the complaint's: grouping by them too makes no more groups)
    kept = [raw.c[c.name] for c in carried]
    spans = (
        select(raw.c.complaint_id, func.min(raw.c.paused_at).label("paused_at"), raw.c.resumed_at, *kept)
        .group_by(raw.c.complaint_id, raw.c.resumed_at, *kept)
        .subquery("pz_spans")
    )
    today = _today(now)
    cal_p, cal_q = work_calendar.alias("cal_p"), work_calendar.alias("cal_q")
    cals = {n: work_calendar.alias(f"pz_{n}") for n in ("received", "dispatched", "first_response", "resolved")}
    src = (
        spans.join(today, true(), isouter=True)
        .join(cal_p, cal_p.c.day == wita_date(spans.c.paused_at))
        .outerjoin(cal_q, cal_q.c.day == wita_date(spans.c.resumed_at))
    )
    for n, cal in cals.items():
        src = src.outerjoin(cal, cal.c.day == wita_date(spans.c[f"{n}_at"]))
    p = cal_p.c.wd_cum
    r = case(
        (spans.c.resumed_at.is_(None), case((spans.c.status == PAUSE_KIND, today.c.today_cum), else_=p)),
        (cal_q.c.wd_cum.is_(None), today.c.today_cum),
        else_=cal_q.c.wd_cum,
    )
    comp_start = "received" if rules.completion_anchor == "received" else "dispatched"
    bounds = {
        "dispatch": ("received", "dispatched"),
        "response": ("dispatched", "first_response"),
        "completion": (comp_start, "resolved"),
    }
    cols = []
    for name, (start, end) in bounds.items():
        a = cals[start].c.wd_cum
        b = case((spans.c[f"{end}_at"].is_(None), today.c.today_cum), else_=cals[end].c.wd_cum)
        overlap = nonneg(_min_of(r, b) - _max_of(p, a))
        cols.append(func.coalesce(func.sum(overlap), 0).label(f"{name}_paused"))
    return select(spans.c.complaint_id, *cols).select_from(src).group_by(spans.c.complaint_id).subquery("pauses")


# Stage states as integer codes, ordered by severity, so the overall state is a maximum.
STATE_CODES = {"met": 1, "late": 2, "ditunda": 3, "on_track": 4, "at_risk": 5, "breached": 6}


def _stage_code(b, name: str, start: str, end: str, days, at_risk_days: int):
    """(state code, elapsed working days) of one stage, from the inner layer ``b``; paused days do not count."""
    start_cum, end_cum = b.c[f"{start}_cum"], b.c[f"{end}_cum"]
    start_col, end_col = b.c[f"{start}_at"], b.c[f"{end}_at"]
    paused = b.c[f"{name}_paused"]
    not_started = or_(start_col.is_(None), start_cum.is_(None))
    used_closed = end_cum - start_cum - paused
    used_open = b.c.today_cum - start_cum - paused
    elapsed_open = nonneg(used_open)
    code = case(
        (not_started, None),
        (end_col.is_not(None), case((used_closed <= days, 1), else_=2)),
        (b.c.status == "ditunda", 3),
        (b.c.status.not_in(ACTIVE_STATUSES), None),
        (days - used_open < b.c.today_off, 6),  # the deadline date is before today
        (elapsed_open >= days - at_risk_days, 5),
        else_=4,
    )
    elapsed = case((not_started, None), (end_col.is_not(None), nonneg(used_closed)), else_=elapsed_open)
    return code, elapsed


def _max3(a, b, c):
    a, b, c = (func.coalesce(x, 0) for x in (a, b, c))
    return case((and_(a >= b, a >= c), a), (b >= c, b), else_=c)


def _label(code):
    return case(*((code == v, literal(k)) for k, v in STATE_CODES.items()), else_=None)


def complaint_sla(rules, now: dt.datetime, where=(), *, rollup: bool = True, with_deadlines: bool = False):
    """A SELECT of complaints (filtered by ``where``, conditions on ``complaint``) with their SLA stages.

    Columns: complaint fields, reporting OPD (eff_*), {dispatch,response,completion}_{state,elapsed,late_by},
    completion_days, sla_state (the worst open state, else late/met), overdue_wd, age_wd, and with
    ``with_deadlines`` the deadline date of each stage.
    """
    cal_r, cal_d = work_calendar.alias("cal_r"), work_calendar.alias("cal_d")
    cal_f, cal_s = work_calendar.alias("cal_f"), work_calendar.alias("cal_s")
    today = _today(now)
    eff = opd_rollup(rollup)
    comp_days = completion_days_expr(rules)
    pz = stage_pauses(rules, now, where)
    inner = (
        select(
            complaint.c.id,
            complaint.c.ticket,
            complaint.c.opd_id,
            eff.c.eff_id,
            eff.c.eff_code,
            eff.c.eff_short_name,
            complaint.c.classification,
            complaint.c.priority,
            complaint.c.status,
            complaint.c.received_at,
            complaint.c.dispatched_at,
            complaint.c.first_response_at,
            complaint.c.resolved_at,
            cal_r.c.wd_cum.label("received_cum"),
            cal_d.c.wd_cum.label("dispatched_cum"),
            cal_f.c.wd_cum.label("first_response_cum"),
            cal_s.c.wd_cum.label("resolved_cum"),
            today.c.today_cum,
            today.c.today_off,
            comp_days.label("completion_days"),
            *(func.coalesce(pz.c[f"{n}_paused"], 0).label(f"{n}_paused") for n in STAGES),
        )
        .select_from(
            complaint.join(today, true(), isouter=True)
            .outerjoin(cal_r, cal_r.c.day == wita_date(complaint.c.received_at))
            .outerjoin(cal_d, cal_d.c.day == wita_date(complaint.c.dispatched_at))
            .outerjoin(cal_f, cal_f.c.day == wita_date(complaint.c.first_response_at))
            .outerjoin(cal_s, cal_s.c.day == wita_date(complaint.c.resolved_at))
            .outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
            .outerjoin(pz, pz.c.complaint_id == complaint.c.id)
        )
        .where(*where)
        .subquery("sla_base")
    )
    b = inner
    at_risk = int(rules.at_risk_days)
    comp_start = "received" if rules.completion_anchor == "received" else "dispatched"
    days: dict[str, Any] = {"dispatch": int(rules.dispatch_days), "response": int(rules.response_days)}
    stage_defs = {
        "dispatch": _stage_code(b, "dispatch", "received", "dispatched", days["dispatch"], at_risk),
        "response": _stage_code(b, "response", "dispatched", "first_response", days["response"], at_risk),
        "completion": _stage_code(b, "completion", comp_start, "resolved", b.c.completion_days, at_risk),
    }
    # Middle layer: each stage as an integer code (severity order) and its elapsed working days.
    m = select(
        b,
        *(
            expr.label(f"{name}_{part}")
            for name, pair in stage_defs.items()
            for part, expr in zip(("code", "elapsed"), pair, strict=True)
        ),
    ).subquery("sla_stages")
    days["completion"] = m.c.completion_days
    # a breached stage is late by its working days past the deadline, a non-working today counting as the next
    late_by = {
        n: case(
            (or_(m.c[f"{n}_code"].is_(None), m.c[f"{n}_code"] == 3), None),
            (m.c[f"{n}_code"] == 6, m.c[f"{n}_elapsed"] - days[n] + m.c.today_off),
            else_=nonneg(m.c[f"{n}_elapsed"] - days[n]),
        )
        for n in stage_defs
    }
    worst = case((m.c.status == "ditunda", 3), else_=_max3(m.c.dispatch_code, m.c.response_code, m.c.completion_code))
    overdue = [case((m.c[f"{n}_code"] == 6, late_by[n]), else_=0) for n in stage_defs]
    cols = [
        m.c.id,
        m.c.ticket,
        m.c.opd_id,
        m.c.eff_id,
        m.c.eff_code,
        m.c.eff_short_name,
        m.c.classification,
        m.c.priority,
        m.c.status,
        m.c.received_at,
        m.c.dispatched_at,
        m.c.first_response_at,
        m.c.resolved_at,
    ]
    for n in stage_defs:
        cols += [
            _label(m.c[f"{n}_code"]).label(f"{n}_state"),
            m.c[f"{n}_elapsed"],
            late_by[n].label(f"{n}_late_by"),
            m.c[f"{n}_paused"],
        ]
    cols += [
        m.c.completion_days,
        _label(worst).label("sla_state"),
        _max3(*overdue).label("overdue_wd"),
        nonneg(m.c.today_cum - m.c.received_cum).label("age_wd"),
    ]
    src: FromClause = m
    if with_deadlines:
        # a deadline moves later by the working days paused within its stage (so far)
        dl_d, dl_r, dl_c = (work_calendar.alias(n) for n in ("dl_d", "dl_r", "dl_c"))
        comp_start_cum = m.c[f"{comp_start}_cum"]
        src = (
            m.outerjoin(
                dl_d,
                and_(
                    dl_d.c.wd_cum == m.c.received_cum + int(rules.dispatch_days) + m.c.dispatch_paused,
                    dl_d.c.is_workday.is_(True),
                ),
            )
            .outerjoin(
                dl_r,
                and_(
                    dl_r.c.wd_cum == m.c.dispatched_cum + int(rules.response_days) + m.c.response_paused,
                    dl_r.c.is_workday.is_(True),
                ),
            )
            .outerjoin(
                dl_c,
                and_(
                    dl_c.c.wd_cum == comp_start_cum + m.c.completion_days + m.c.completion_paused,
                    dl_c.c.is_workday.is_(True),
                ),
            )
        )
        cols += [
            dl_d.c.day.label("dispatch_deadline"),
            dl_r.c.day.label("response_deadline"),
            dl_c.c.day.label("completion_deadline"),
        ]
    return select(*cols).select_from(src)


class least_of(FunctionElement):
    """The smallest non-NULL argument (NULL when all are NULL), on PostgreSQL and SQLite."""

    type = Integer()
    inherit_cache = True
    name = "least_of"


@compiles(least_of, "postgresql")
def _least_pg(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least_of, "sqlite")
def _least_sqlite(element, compiler, **kw):
    # SQLite's scalar min() is NULL as soon as one argument is NULL: push NULLs out of the way.
    args = [f"COALESCE({compiler.process(c, **kw)}, {_NO_STAGE})" for c in element.clauses]
    return f"NULLIF(min({', '.join(args)}), {_NO_STAGE})"


_NO_STAGE = 1_000_000_000


def open_sla(rules, now: dt.datetime, where=(), *, rollup: bool = True, grouped: bool = False, statuses=OPEN_STATUSES):
    """A lean SELECT for open complaints: per complaint the working days left on its tightest open stage.

    Columns: id, eff_id, eff_code, eff_short_name, status, priority, received_at, dispatched_at, age_wd,
    remaining_wd.
    ``statuses`` (a subset of the open ones) narrows the scan: one status condition, not two, so that PostgreSQL
    estimates the rows right and reads the open complaints' index alone (the explorer's late list at ten
    million complaints: an index-only scan instead of 136,010 table rows fetched one by one). ``remaining_wd``
    is negative when breached (minus the working days late), 0..at_risk_days when at risk, NULL when
    no stage is running (postponed, closed, or dates outside the calendar). Agrees with
    ``complaint_sla``'s overall state for every open complaint (tests prove it); much cheaper, which
    matters for the wall at a million complaints.

    ``grouped``: one row per (opd_id, remaining_wd) with ``n`` complaints and their ``age_wd`` maximum,
    which callers roll up to OPDs; this evaluates the SLA expression once per complaint.
    """
    cal_r, cal_d = work_calendar.alias("cal_r"), work_calendar.alias("cal_d")
    today = _today(now)
    eff = opd_rollup(rollup)
    active = complaint.c.status.in_(ACTIVE_STATUSES)
    if not set(statuses) <= set(OPEN_STATUSES):
        raise ValueError(f"open_sla reads open complaints only, not {sorted(set(statuses) - set(OPEN_STATUSES))}")
    conds = (complaint.c.status.in_(sorted(statuses)), *where)
    # only a running stage has days remaining, so only the pauses of active complaints matter here (a postponed
    # complaint's stages are not running): fewer pauses to resolve for the wall. The caller's other conditions
    # are left out on purpose: extra pauses join to nothing, and repeating a status condition the caller already
    # set made PostgreSQL underestimate the pauses a hundredfold and pick a nested loop over every open complaint.
    pz = stage_pauses(rules, now, (complaint.c.status.in_(ACTIVE_STATUSES),))

    def paused(name):
        return func.coalesce(pz.c[f"{name}_paused"], 0)

    def remaining(start_col, start_cum, end_col, days, name):
        return case(
            (
                and_(active, start_col.is_not(None), end_col.is_(None), start_cum.is_not(None)),
                days - nonneg(today.c.today_cum - start_cum - paused(name)),
            ),
            else_=None,
        )

    comp_start_col, comp_start_cum = (
        (complaint.c.received_at, cal_r.c.wd_cum)
        if rules.completion_anchor == "received"
        else (complaint.c.dispatched_at, cal_d.c.wd_cum)
    )
    rem = least_of(
        remaining(
            complaint.c.received_at, cal_r.c.wd_cum, complaint.c.dispatched_at, int(rules.dispatch_days), "dispatch"
        ),
        remaining(
            complaint.c.dispatched_at,
            cal_d.c.wd_cum,
            complaint.c.first_response_at,
            int(rules.response_days),
            "response",
        ),
        remaining(comp_start_col, comp_start_cum, complaint.c.resolved_at, completion_days_expr(rules), "completion"),
    )
    src = (
        complaint.join(today, true(), isouter=True)
        .outerjoin(cal_r, cal_r.c.day == wita_date(complaint.c.received_at))
        .outerjoin(cal_d, cal_d.c.day == wita_date(complaint.c.dispatched_at))
        .outerjoin(pz, pz.c.complaint_id == complaint.c.id)
    )
    age = nonneg(today.c.today_cum - cal_r.c.wd_cum)

    # ``fair`` names ``left_wd`` three times. PostgreSQL would pull the subquery up into the outer query and
    # write the whole SLA expression out at each place, computing it three times per open complaint; OFFSET 0
    # keeps the subquery apart, so it is computed once (the wall's late OPDs at ten million complaints: 499 ->
    # 371 ms, same rows). SQLite plans it the same either way.
    def fair(o):
        """Working days left, made negative (minus the days late) once the deadline date is before today."""
        return case((o.c.left_wd < o.c.today_off, o.c.left_wd - o.c.today_off), else_=o.c.left_wd)

    if grouped:
        o = (
            select(complaint.c.opd_id, rem.label("left_wd"), today.c.today_off, age.label("age_wd"))
            .select_from(src)
            .where(*conds)
            .offset(0)  # kept apart: see the note above fair()
            .subquery("open_left")
        )
        return select(
            o.c.opd_id, fair(o).label("remaining_wd"), func.count().label("n"), func.max(o.c.age_wd).label("age_wd")
        ).group_by(o.c.opd_id, fair(o))
    o = (
        select(
            complaint.c.id,
            eff.c.eff_id,
            eff.c.eff_code,
            eff.c.eff_short_name,
            complaint.c.status,
            complaint.c.priority,
            complaint.c.received_at,
            complaint.c.dispatched_at,
            age.label("age_wd"),
            rem.label("left_wd"),
            today.c.today_off,
        )
        .select_from(src.outerjoin(eff, eff.c.opd_id == complaint.c.opd_id))
        .where(*conds)
        .offset(0)  # kept apart: see the note above fair()
        .subquery("open_left")
    )
    return select(
        o.c.id,
        o.c.eff_id,
        o.c.eff_code,
        o.c.eff_short_name,
        o.c.status,
        o.c.priority,
        o.c.received_at,
        o.c.dispatched_at,
        o.c.age_wd,
        fair(o).label("remaining_wd"),
    )
