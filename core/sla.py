"""The working-day calendar and the plain-Python reference implementation of the SLA clock.

Working days are Monday to Friday minus Indonesian national holidays and cuti bersama (package
``holidays``, country ID, categories public + government), adjusted by a local override list.

The database computes the same rules with the ``work_calendar`` table (see ``queries/sla_sql.py``);
``tests/test_sla_parity.py`` proves the two agree. Definitions, shared by both:

- ``wd_cum(d)``: number of working days from the calendar's first day up to and including ``d``.
- working days elapsed from ``a`` to ``b`` (WITA dates): ``wd_cum(b) - wd_cum(a)``.
- the deadline of a stage of N working days that starts on ``a``: the N-th working day after ``a``.
- a closed stage is *met* when the elapsed working days are at most N, otherwise *late* by the excess.
- an open stage is *breached* when its deadline date is before today (a weekend or holiday after a
  Friday deadline included), late by the working days after the deadline up to today, a non-working
  today counting as the next working day; otherwise *at risk* when at most ``at_risk_days`` working days
  after today remain up to its deadline (its deadline day and the working day before, by default), else
  *on track*.
- pauses: a ``ditunda`` event starts a pause (later ``ditunda`` events before a resume add nothing); the next
  event of a kind in ``RESUME_KINDS`` ends it. The working days after the pause's date up to and including
  the resume's date are *paused*. A pause never resumed lasts until today while the complaint's status is
  ``ditunda`` and counts for nothing otherwise. Paused days that fall within a stage do not count as elapsed,
  and move the stage's deadline later by as many working days. A pause before dispatch so pauses only the
  dispatch stage (and completion when it is anchored at receipt).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import holidays

from core.codes import (
    ACTIVE_STATUSES,
    PAUSE_KIND,
    RESUME_KINDS,
    STATE_AT_RISK,
    STATE_BREACHED,
    STATE_LATE,
    STATE_MET,
    STATE_ON_TRACK,
    WITA,
)
from core.settings import value

CALENDAR_FIRST_DAY = dt.date(2018, 1, 1)
DEFAULT_OVERRIDES = Path(__file__).with_name("holiday_overrides.csv")


def load_overrides(path: str | Path | None = None) -> dict[dt.date, str | None]:
    """Read the local override list: ``date,libur,name`` rows. ``libur`` 1 adds a holiday, 0 removes one.

    Returns ``{date: name}`` for added holidays and ``{date: None}`` for removed ones.
    """
    path = Path(path or value("NTBCARE_HOLIDAY_OVERRIDES") or DEFAULT_OVERRIDES)
    if not path.exists():
        return {}
    out: dict[dt.date, str | None] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.lstrip().startswith("#")):
            day = dt.date.fromisoformat(row["date"].strip())
            out[day] = (row.get("name") or "Libur lokal").strip() if row["libur"].strip() == "1" else None
    return out


@lru_cache(maxsize=8)
def holiday_map(first_year: int, last_year: int, overrides_path: str = "") -> dict[dt.date, str]:
    """National holidays and cuti bersama for the years, with the local overrides applied."""
    years = range(first_year, last_year + 1)
    hol = holidays.country_holidays("ID", years=years, categories=("public", "government"), language="id")
    result = {day: name for day, name in hol.items()}
    for day, name in load_overrides(overrides_path or None).items():
        if name is None:
            result.pop(day, None)
        else:
            result[day] = name
    return result


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    is_workday: bool
    wd_cum: int
    holiday_name: str | None


def build_calendar(
    first: dt.date = CALENDAR_FIRST_DAY, last: dt.date | None = None, overrides_path: str = ""
) -> list[CalendarDay]:
    """Every day from ``first`` to ``last`` (default: end of next-but-one year) with its working-day index."""
    last = last or dt.date(dt.date.today().year + 2, 12, 31)
    hol = holiday_map(first.year, last.year, overrides_path)
    rows, cum, day = [], 0, first
    while day <= last:
        name = hol.get(day)
        work = day.weekday() < 5 and name is None
        cum += int(work)
        rows.append(CalendarDay(day, work, cum, name))
        day += dt.timedelta(days=1)
    return rows


def wita_date(ts: dt.datetime) -> dt.date:
    """The WITA calendar date of an aware timestamp."""
    if ts.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return ts.astimezone(WITA).date()


class ReferenceClock:
    """Plain, deliberately naive SLA arithmetic (day by day), the yardstick for the SQL version."""

    def __init__(self, overrides_path: str = ""):
        self._overrides_path = overrides_path

    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in holiday_map(day.year, day.year, self._overrides_path)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (3 working days after 17 Mar 2026 is 27 Mar 2026)."""
        day, left = start, n
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def elapsed(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def used(self, start: dt.date, end: dt.date, pauses=()) -> int:
        """Working days after ``start`` up to and including ``end`` that are not paused (see ``pause_spans``)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day) and not any(p < day <= r for p, r in pauses):
                count += 1
        return count

    def stage(
        self,
        start: dt.datetime | None,
        end: dt.datetime | None,
        days: int,
        now: dt.datetime,
        at_risk_days: int = 1,
        pauses=(),
    ) -> dict | None:
        """State of one stage: None when it has not started, else state, deadline and working days.

        ``pauses``: (first date, last date] spans of WITA dates whose working days do not count."""
        if start is None:
            return None
        start_day = wita_date(start)
        end_day = wita_date(end if end is not None else now)
        used = self.used(start_day, end_day, pauses)
        paused = self.elapsed(start_day, end_day) - used
        deadline = self.add_workdays(start_day, days + paused)
        if end is not None:
            return {
                "state": STATE_MET if used <= days else STATE_LATE,
                "deadline": deadline,
                "elapsed": used,
                "late_by": max(0, used - days),
            }
        today = wita_date(now)
        remaining = days - used  # working days after today up to the deadline
        if deadline < today:
            # late by the working days after the deadline up to today, or up to the next one when today is off
            late_by = -remaining + (0 if self.is_workday(today) else 1)
            return {"state": STATE_BREACHED, "deadline": deadline, "elapsed": used, "late_by": late_by}
        state = STATE_AT_RISK if remaining <= at_risk_days else STATE_ON_TRACK
        return {"state": state, "deadline": deadline, "elapsed": used, "late_by": 0}


def pause_spans(events, status: str, now: dt.datetime) -> list[tuple[dt.date, dt.date]]:
    """The pauses of a complaint as (pause date, resume date) WITA spans, from its events.

    ``events``: (kind, occurred_at, ...) tuples in the order they were written (ties in time keep that order).
    """
    ordered = sorted(enumerate(events), key=lambda ie: (ie[1][1], ie[0]))
    spans, since = [], None
    for _, (kind, at, *_rest) in ordered:
        if kind == PAUSE_KIND and since is None:
            since = at
        elif kind in RESUME_KINDS and since is not None:
            spans.append((wita_date(since), wita_date(at)))
            since = None
    if since is not None and status == PAUSE_KIND:
        spans.append((wita_date(since), wita_date(now)))
    return spans


_OVERALL_ORDER = (STATE_BREACHED, STATE_AT_RISK, STATE_ON_TRACK, "ditunda", STATE_LATE, STATE_MET)


def reference_complaint_sla(c: dict, rules, now: dt.datetime, clock: ReferenceClock | None = None) -> dict:
    """The three stages and the overall state of one complaint, by the reference clock.

    ``c`` has status, classification, received_at, dispatched_at, first_response_at, resolved_at and
    optionally ``events``, (kind, occurred_at) pairs, whose pauses stop the clock (``pause_spans``).
    Open stages of a postponed (ditunda) complaint are "ditunda"; of an archived or closed one, None.
    """
    clock = clock or ReferenceClock()
    pauses = pause_spans(c.get("events") or (), c["status"], now)
    comp_days = rules.completion_days.get(c["classification"], rules.completion_days.get("pengaduan", 14))
    comp_start = c["received_at"] if rules.completion_anchor == "received" else c["dispatched_at"]
    out: dict = {}
    for name, start, end, days in (
        ("dispatch", c["received_at"], c["dispatched_at"], rules.dispatch_days),
        ("response", c["dispatched_at"], c["first_response_at"], rules.response_days),
        ("completion", comp_start, c["resolved_at"], comp_days),
    ):
        st = clock.stage(start, end, days, now, rules.at_risk_days, pauses)
        if st is not None and end is None and c["status"] not in ACTIVE_STATUSES:
            st = {**st, "state": "ditunda", "late_by": None} if c["status"] == "ditunda" else None
        out[f"{name}_state"] = st["state"] if st else None
        out[f"{name}_deadline"] = st["deadline"] if st else None
        out[f"{name}_late_by"] = st["late_by"] if st else None
        out[f"{name}_elapsed"] = st["elapsed"] if st else None
    states = {out["dispatch_state"], out["response_state"], out["completion_state"]}
    overall = next((s for s in _OVERALL_ORDER if s in states), None)
    if overall in (STATE_LATE, STATE_MET) and c["status"] == "ditunda":
        overall = "ditunda"
    out["sla_state"] = overall
    return out
