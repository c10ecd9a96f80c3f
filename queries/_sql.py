"""Small SQL helpers that compile to the same meaning on PostgreSQL and SQLite."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Date, String, and_, case, column, func, or_, select, true, values
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FromClause, FunctionElement

from core import timefmt
from core.codes import WITA_OFFSET_HOURS
from queries.schema import Ts, opd

# A timestamp later than now by more than this is "in the future" (a wrong clock or date at the writer);
# the tolerance absorbs small differences between the writer's clock and this server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class wita_date(FunctionElement):
    """The WITA calendar date of a UTC timestamp column."""

    type = Date()
    inherit_cache = True
    name = "wita_date"


@compiles(wita_date, "postgresql")
def _wita_date_pg(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return f"CAST({_pg_local(compiler.process(arg, **kw))} AS DATE)"


def _pg_local(col_sql: str) -> str:
    # WITA is a fixed UTC+8 (no daylight saving). This form does not depend on the session time zone
    # and is about twice as fast as AT TIME ZONE 'Asia/Makassar' on PostgreSQL.
    return f"(({col_sql} AT TIME ZONE 'UTC') + INTERVAL '{WITA_OFFSET_HOURS} hours')"


@compiles(wita_date, "sqlite")
def _wita_date_sqlite(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return f"date({compiler.process(arg, **kw)}, '+{WITA_OFFSET_HOURS} hours')"


class _WitaPeriod(FunctionElement):
    """The first WITA day of the period of a timestamp: the day, its week's Monday, or its month's first.

    One subclass per grain, so that SQLAlchemy's statement cache never mixes two grains up.
    """

    type = String()
    inherit_cache = True
    grain = "day"


class wita_day(_WitaPeriod):
    inherit_cache = True
    name = "wita_day"
    grain = "day"


class wita_week(_WitaPeriod):
    inherit_cache = True
    name = "wita_week"
    grain = "week"


class wita_month(_WitaPeriod):
    inherit_cache = True
    name = "wita_month"
    grain = "month"


_PERIODS = {"day": wita_day, "week": wita_week, "month": wita_month}


def wita_period(col, grain: str) -> _WitaPeriod:
    if grain not in _PERIODS:
        raise ValueError(f"unknown grain {grain!r}")
    return _PERIODS[grain](col)


@compiles(_WitaPeriod, "postgresql")
def _wita_period_pg(element, compiler, **kw):
    (arg,) = list(element.clauses)
    local = _pg_local(compiler.process(arg, **kw))
    # DATE values group much faster than to_char() strings; read_frame-side code formats the labels.
    if element.grain == "month":
        return f"CAST(date_trunc('month', {local}) AS DATE)"
    if element.grain == "week":
        return f"CAST(date_trunc('week', {local}) AS DATE)"
    return f"CAST({local} AS DATE)"


@compiles(_WitaPeriod, "sqlite")
def _wita_period_sqlite(element, compiler, **kw):
    (arg,) = list(element.clauses)
    col = compiler.process(arg, **kw)
    shift = f"'+{WITA_OFFSET_HOURS} hours'"
    if element.grain == "month":
        return f"date({col}, {shift}, 'start of month')"
    if element.grain == "week":
        return f"date({col}, {shift}, 'weekday 0', '-6 days')"
    return f"date({col}, {shift})"


def _next_period(first: dt.date, grain: str) -> dt.date:
    if grain == "month":
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first + dt.timedelta(days=7 if grain == "week" else 1)


def _period_first(day: dt.date, grain: str) -> dt.date:
    if grain == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday()) if grain == "week" else day


def period_bounds(start: dt.datetime, end: dt.datetime, grain: str) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Every WITA period of ``grain`` that [start, end) touches, clipped to it: (first day 'YYYY-MM-DD', lo, hi)
    in UTC. The ranges follow each other without gap or overlap from ``start`` to ``end``."""
    if grain not in _PERIODS:
        raise ValueError(f"unknown grain {grain!r}")
    start, end = utc(start), utc(end)
    rows: list[tuple[str, dt.datetime, dt.datetime]] = []
    if start >= end:
        return rows
    first = _period_first(timefmt.wita_date(start), grain)
    while (lo := timefmt.wita_midnight(first)) < end:
        after = _next_period(first, grain)
        rows.append((first.isoformat(), max(lo, start), min(timefmt.wita_midnight(after), end)))
        first = after
    return rows


def _period_table(start: dt.datetime, end: dt.datetime, grain: str):
    """``period_bounds`` as a table (period, lo, hi) for ``count_per_period`` to join."""
    rows = period_bounds(start, end, grain) or [("", utc(start), utc(start))]  # empty: valid SQL, no match
    return values(column("period", String), column("lo", Ts), column("hi", Ts), name="periods").data(rows)


def period_label(first_day, grain: str) -> str:
    """A period's label from its first day (a date or 'YYYY-MM-DD'): 'YYYY-MM' for months, else the day."""
    return str(first_day)[: 7 if grain == "month" else 10]


def count_per_period(
    conn, col, start: dt.datetime, end: dt.datetime, grain: str, counts: dict[str, ColumnElement], where=()
) -> pd.DataFrame:
    """Aggregates of the rows of ``col``'s table with ``col`` in [start, end) (and ``where``), per WITA period.

    Columns: period (``period_label``) and one per ``counts`` item; periods without rows are absent.
    PostgreSQL counts each period apart (``period_bounds`` as a table, a LATERAL subquery: one index range per period,
    aggregated inside the scan), where grouping on ``wita_period`` converts every row's time. SQLite groups on
    ``wita_period``: its times are text normalised row by row in any comparison (``ts_key``), so one pass beats
    one per period.
    """
    aggs = [func.count().label("rows_"), *(expr.label(name) for name, expr in counts.items())]
    if conn.dialect.name == "postgresql":
        periods = _period_table(start, end, grain).cte("periods")
        within = and_(col >= periods.c.lo, col < periods.c.hi)
        per = select(*aggs).where(within, *where).lateral("per_period")
        stmt = select(periods.c.period, *(per.c[a.name] for a in aggs)).select_from(periods.join(per, true()))
    else:
        period = wita_period(col, grain)
        stmt = select(period.label("period"), *aggs).where(col >= utc(start), col < utc(end), *where).group_by(period)
    df = read_frame(conn, stmt)
    df = df[df["rows_"] > 0].drop(columns="rows_").reset_index(drop=True)
    df["period"] = df["period"].map(lambda d: period_label(d, grain))
    return df


def nonneg(expr: ColumnElement) -> ColumnElement:
    """``max(expr, 0)`` in portable SQL."""
    return case((expr < 0, 0), else_=expr)


def opd_rollup(rollup: bool = True):
    """OPD id -> the unit it is reported under: its successor when merged (rollup) or itself."""
    own = opd.alias("own")
    succ = opd.alias("succ")
    eff_id: ColumnElement[Any]
    eff_code: ColumnElement[Any]
    eff_short: ColumnElement[Any]
    eff_name: ColumnElement[Any]
    src: FromClause
    if rollup:
        eff_id = func.coalesce(succ.c.id, own.c.id)
        eff_code = func.coalesce(succ.c.code, own.c.code)
        eff_short = func.coalesce(succ.c.short_name, own.c.short_name)
        eff_name = func.coalesce(succ.c.name, own.c.name)
        src = own.outerjoin(succ, succ.c.id == own.c.successor_id)
    else:
        eff_id, eff_code, eff_short, eff_name = own.c.id, own.c.code, own.c.short_name, own.c.name
        src = own
    return (
        select(
            own.c.id.label("opd_id"),
            eff_id.label("eff_id"),
            eff_code.label("eff_code"),
            eff_short.label("eff_short_name"),
            eff_name.label("eff_name"),
        )
        .select_from(src)
        .subquery("opd_eff")
    )


def reported_as(conn, opd_id: int | None, rollup: bool = True):
    """A condition on ``complaint.opd_id``: the complaint is reported under OPD ``opd_id`` (its own units
    merged into it too, when ``rollup``), or has no OPD when ``opd_id`` is None.

    The OPD ids are looked up first (one read of the small ``opd`` table) and given as a list: filtering on the
    raw column lets the database read that OPD's rows from an index (``ix_scale_opd_dispatched``) instead of
    every OPD's rows of the period, which a sub-select made it do at ten million complaints (2.6 s -> see
    docs/scale.md)."""
    from queries.schema import complaint

    if opd_id is None:
        return complaint.c.opd_id.is_(None)
    if not rollup:
        return complaint.c.opd_id == int(opd_id)
    rows = conn.execute(
        select(opd.c.id, opd.c.successor_id).where(or_(opd.c.id == int(opd_id), opd.c.successor_id == int(opd_id)))
    ).all()
    # a unit merged into another is reported under its successor, never under itself
    members = sorted(int(r.id) for r in rows if not (r.id == int(opd_id) and r.successor_id is not None))
    return complaint.c.opd_id.in_(members)


def utc(ts: dt.datetime) -> dt.datetime:
    """A timezone-aware timestamp converted to UTC (naive input is rejected)."""
    if ts.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return ts.astimezone(dt.UTC)


def read_frame(conn, stmt, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a statement and return a DataFrame; ``*_at`` columns become UTC-aware timestamps."""
    result = conn.execute(stmt, params or {})
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col in df.columns:
        if col.endswith("_at"):
            df[col] = pd.to_datetime(df[col], utc=True, errors="coerce", format="mixed")
        elif col == "deadline" or col.endswith(("_day", "_deadline")):
            df[col] = df[col].map(_as_date)
        elif col == "id" or col.endswith(("_id", "_wd", "_elapsed", "_late_by", "_days")):
            df[col] = pd.array(pd.to_numeric(df[col], errors="coerce"), dtype="Int64")
    return df


def _as_date(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def count_if(cond) -> ColumnElement:
    """Number of rows where ``cond`` holds (portable ``COUNT(*) FILTER (WHERE ...)``)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def median_select(source, value_name: str, group_names: tuple[str, ...] = ()):
    """SELECT group columns and the median of ``value_name`` over a subquery, in portable SQL.

    Uses row_number/count windows (PostgreSQL and SQLite agree; SQLite has no percentile function).
    """
    value = source.c[value_name]
    groups = [source.c[g] for g in group_names]
    ranked = (
        select(
            *groups,
            value.label("v"),
            func.row_number().over(partition_by=groups or None, order_by=value).label("rn"),
            func.count().over(partition_by=groups or None).label("n"),
        )
        .where(value.is_not(None))
        .subquery("ranked")
    )
    # the middle row (odd n) or the two middle rows (even n), in integers: n <= 2 rn <= n + 2. (Comparing rn with
    # (n + 1) / 2 and (n + 2) / 2 matched only the upper middle row for an even n: SQLAlchemy 2 divides truly.)
    mid = and_(ranked.c.rn * 2 >= ranked.c.n, ranked.c.rn * 2 <= ranked.c.n + 2)
    rgroups = [ranked.c[g] for g in group_names]
    return select(*rgroups, func.avg(ranked.c.v * 1.0).label("median")).where(mid).group_by(*rgroups)


def day_start_utc(now: dt.datetime) -> dt.datetime:
    """Midnight WITA of the day of ``now``, in UTC."""
    return timefmt.wita_midnight(timefmt.wita_date(utc(now)))


def month_start_utc(now: dt.datetime) -> dt.datetime:
    """Midnight WITA of the first day of the month of ``now``, in UTC."""
    return timefmt.wita_midnight(timefmt.wita_date(utc(now)).replace(day=1))
