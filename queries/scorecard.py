"""The OPD scorecard ("rapor OPD") for a period, with the open-now figures as of now."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select

from core.codes import DECIDED_STATES, STATE_LATE, STATE_MET, WAITING_STATES
from core.timefmt import wita_date as wita_day
from queries._sql import count_if, period_label, read_frame, reported_as, utc, wita_period
from queries.overdue import overdue_by_opd
from queries.schema import complaint
from queries.sla_sql import complaint_sla, open_sla


def opd_scorecard(
    conn, start: dt.datetime, end: dt.datetime, now: dt.datetime, rules, rollup: bool = True
) -> pd.DataFrame:
    """One row per reporting OPD: complaints dispatched in [start, end) and how they fared, plus open now.

    Columns: opd_id, opd_code, opd, dispatched, responded, responded_on_time, response_decided,
    response_waiting, response_on_time_pct, completed, completed_on_time, completion_decided,
    completion_waiting, completion_on_time_pct, median_response_wd, open, breached, at_risk,
    oldest_breached_wd. Sorted by what an adviser acts on first: breached now, then the oldest breach, then the
    lowest share of responses on time; the row of complaints without an OPD (opd_id NULL) last.

    Fair shares (docs/database.md): a share is over the stages whose outcome is known, the *decided* ones (done
    on time or late, or open past the deadline); a stage still within its deadline (or postponed) is *waiting*
    and counts in neither part. The minimum of decided stages a share needs is the rapor's (``core.rapor``).
    """
    return combine_scorecard(
        opd_period_figures(conn, start, end, now, rules, rollup), overdue_by_opd(conn, now, rules, rollup=rollup)
    )


def opd_period_figures(
    conn, start: dt.datetime, end: dt.datetime, now: dt.datetime, rules, rollup: bool = True
) -> pd.DataFrame:
    """The period half of ``opd_scorecard``: per reporting OPD, the counts of the complaints dispatched in
    [start, end) and the median of their responses' working days (``combine_scorecard`` adds the open half)."""
    base = complaint_sla(
        rules, now, [complaint.c.dispatched_at >= utc(start), complaint.c.dispatched_at < utc(end)], rollup=rollup
    ).subquery()
    # One pass over the period's complaints (the SLA clock is the costly part): counts per OPD, stage states and
    # the elapsed working days of the responses made, from which pandas derives the shares and the exact median.
    done_elapsed = case((base.c.response_state.in_((STATE_MET, STATE_LATE)), base.c.response_elapsed), else_=None)
    keys = [base.c.eff_id, base.c.eff_code, base.c.eff_short_name, base.c.response_state, base.c.completion_state]
    cells = read_frame(
        conn,
        select(
            base.c.eff_id.label("opd_id"),
            base.c.eff_code.label("opd_code"),
            base.c.eff_short_name.label("opd"),
            base.c.response_state,
            base.c.completion_state,
            done_elapsed.label("response_elapsed"),
            func.count().label("n"),
        ).group_by(*keys, done_elapsed),
    )
    period, med = _period_figures(cells)
    return period.merge(med, on="opd_id", how="left")


_OPEN_NOW = ["opd_id", "opd_code", "opd", "open", "breached", "at_risk", "oldest_breached_wd"]


def combine_scorecard(period: pd.DataFrame, open_now: pd.DataFrame) -> pd.DataFrame:
    """``opd_scorecard`` from its halves (``opd_period_figures`` and ``overdue_by_opd``), which a page reads at
    the same time, the open one through the cache it shares with the wall (pure)."""
    df = period.merge(open_now[_OPEN_NOW], on=["opd_id", "opd_code", "opd"], how="outer")
    counts = [
        "dispatched",
        "responded",
        "responded_on_time",
        "response_decided",
        "response_waiting",
        "completed",
        "completed_on_time",
        "completion_decided",
        "completion_waiting",
        "open",
        "breached",
        "at_risk",
    ]
    df[counts] = df[counts].fillna(0).astype("int64")
    df["median_response_wd"] = df["median_response_wd"].astype(float)
    df["response_on_time_pct"] = _pct(df["responded_on_time"], df["response_decided"])
    df["completion_on_time_pct"] = _pct(df["completed_on_time"], df["completion_decided"])
    # complaints not dispatched to an OPD yet are counted apart: their row (opd_id NULL) comes last
    df = (
        df.assign(_apart=df["opd_id"].isna())
        .sort_values(
            ["_apart", "breached", "oldest_breached_wd", "response_on_time_pct", "opd_code"],
            ascending=[True, False, False, True, True],
            na_position="last",
            kind="stable",
        )
        .drop(columns="_apart")
        .reset_index(drop=True)
    )
    return df[
        [
            "opd_id",
            "opd_code",
            "opd",
            "dispatched",
            "responded",
            "responded_on_time",
            "response_decided",
            "response_waiting",
            "response_on_time_pct",
            "completed",
            "completed_on_time",
            "completion_decided",
            "completion_waiting",
            "completion_on_time_pct",
            "median_response_wd",
            "open",
            "breached",
            "at_risk",
            "oldest_breached_wd",
        ]
    ]


def _period_figures(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per OPD from the grouped cells: the period's counts, and the median of the responses' working days
    (the middle value, or the mean of the two middle values, as ``median_select``)."""
    cells = cells.assign(n=cells["n"].astype("int64"))
    rs, cs, n = cells["response_state"], cells["completion_state"], cells["n"]
    flags = {
        "dispatched": pd.Series(True, index=cells.index),
        "responded": rs.isin((STATE_MET, STATE_LATE)),
        "responded_on_time": rs == STATE_MET,
        "response_decided": rs.isin(DECIDED_STATES),
        "response_waiting": rs.isin(WAITING_STATES),
        "completed": cs.isin((STATE_MET, STATE_LATE)),
        "completed_on_time": cs == STATE_MET,
        "completion_decided": cs.isin(DECIDED_STATES),
        "completion_waiting": cs.isin(WAITING_STATES),
    }
    keys = ["opd_id", "opd_code", "opd"]
    counted = cells[keys].assign(**{k: n.where(f, 0) for k, f in flags.items()})
    period = counted.groupby(keys, dropna=False, sort=False).sum().reset_index()
    rows = []
    done = cells[cells["response_elapsed"].notna()]
    for opd_id, g in done.groupby("opd_id", dropna=False, sort=False):
        per_value = g.groupby("response_elapsed")["n"].sum().sort_index()
        rows.append({"opd_id": opd_id, "median_response_wd": _weighted_median(per_value)})
    med = pd.DataFrame(rows, columns=["opd_id", "median_response_wd"])
    return period, med


def _weighted_median(per_value: pd.Series) -> float:
    """Median of values given as value -> how many times (sorted by value)."""
    total = int(per_value.sum())
    cum = per_value.cumsum()
    lower = per_value.index[int((cum >= (total + 1) // 2).to_numpy().argmax())]
    upper = per_value.index[int((cum >= total // 2 + 1).to_numpy().argmax())]
    return (float(lower) + float(upper)) / 2


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    return (100.0 * num / den.where(den > 0)).round(1)


def opd_monthly(
    conn, opd_id: int | None, start: dt.datetime, end: dt.datetime, now: dt.datetime, rules, rollup: bool = True
) -> pd.DataFrame:
    """Month by month (WITA, by dispatch month) for one reporting OPD: dispatched, completed on time,
    completed late, and how many of those complaints are breached now. Every month of [start, end) has a row
    (zeros when nothing was dispatched), so a chart's axis never skips one.

    Two passes: the completion stage of every complaint (``complaint_sla``, only its completion columns read, so
    PostgreSQL computes no other stage), and the breached ones among the open complaints (``open_sla``, which
    agrees with ``complaint_sla``'s overall state for every open complaint, and a closed one is never breached).
    A large OPD's year at ten million complaints: 1.3 s in one pass of the whole clock.
    """
    where = [
        complaint.c.dispatched_at >= utc(start),
        complaint.c.dispatched_at < utc(end),
        reported_as(conn, opd_id, rollup),
    ]
    base = complaint_sla(rules, now, where, rollup=rollup).subquery()
    month = wita_period(base.c.dispatched_at, "month")
    df = read_frame(
        conn,
        select(
            month.label("period"),
            func.count().label("dispatched"),
            count_if(base.c.completion_state == STATE_MET).label("completed_on_time"),
            count_if(base.c.completion_state == STATE_LATE).label("completed_late"),
        ).group_by(month),
    )
    live = open_sla(rules, now, where, rollup=rollup).subquery()
    live_month = wita_period(live.c.dispatched_at, "month")
    breached = read_frame(
        conn,
        select(live_month.label("period"), func.count().label("breached_now"))
        .where(live.c.remaining_wd < 0)
        .group_by(live_month),
    )
    counts = ["dispatched", "completed_on_time", "completed_late", "breached_now"]
    df = df.merge(breached, on="period", how="left")
    df["period"] = df["period"].map(lambda d: period_label(d, "month"))
    months = pd.DataFrame({"period": _months(start, end)})
    df = months.merge(df, on="period", how="left") if len(months) else df
    df[counts] = df[counts].fillna(0).astype("int64")
    return df.sort_values("period").reset_index(drop=True)


def _months(start: dt.datetime, end: dt.datetime) -> list[str]:
    """ "YYYY-MM" of every WITA month that [start, end) touches."""
    first, last = wita_day(start), wita_day(end - dt.timedelta(microseconds=1))
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
