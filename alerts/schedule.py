"""When notices may go: quiet hours, working days (core.sla: holidays and cuti bersama), the daily batch, the
digest and the monthly rapor. Pure functions of an injected ``now`` (aware datetime), all in WITA."""

from __future__ import annotations

import datetime as dt

from core.codes import WITA
from core.quiet_hours import is_quiet
from core.sla import ReferenceClock

_CLOCK = ReferenceClock()


def local(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(WITA)


def in_quiet_hours(now: dt.datetime, settings) -> bool:
    """Whether ``now`` falls in the quiet hours (core.quiet_hours, the wall's definition too)."""
    return is_quiet(now, settings.quiet)


def is_workday(day: dt.date, clock: ReferenceClock = _CLOCK) -> bool:
    return clock.is_workday(day)


def due_today(now: dt.datetime, at: dt.time, settings, clock: ReferenceClock = _CLOCK) -> dt.date | None:
    """The WITA day whose working-day notice is due at ``now`` (it is a working day, ``at`` has passed and
    it is not quiet hours), else None. A day that is not a working day (weekend, holiday, cuti bersama) has
    none: what it would have listed goes in the next working day's notice."""
    lt = local(now)
    if not is_workday(lt.date(), clock) or lt.time() < at or in_quiet_hours(now, settings):
        return None
    return lt.date()


def first_workday_of_month(day: dt.date, clock: ReferenceClock = _CLOCK) -> dt.date:
    d = day.replace(day=1)
    while not clock.is_workday(d):
        d += dt.timedelta(days=1)
    return d


def rapor_due(now: dt.datetime, settings, clock: ReferenceClock = _CLOCK) -> dt.date | None:
    """The day of the monthly rapor when it is due at ``now``: the first working day of the month, at or
    after ``rapor_at``, outside quiet hours."""
    day = due_today(now, settings.rapor_at, settings, clock)
    if day is None or day != first_workday_of_month(day, clock):
        return None
    return day


def workdays_between(a: dt.date, b: dt.date, clock: ReferenceClock = _CLOCK) -> int:
    return clock.elapsed(a, b)


def dispatch_deadline(received_at: dt.datetime, rules, clock: ReferenceClock = _CLOCK) -> dt.date:
    return clock.add_workdays(local(received_at).date(), int(rules.dispatch_days))
