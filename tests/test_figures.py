"""Issue 10: four defects in the figures, each on both databases, with the expected values worked out by hand.

``NOW`` is Wednesday 2 December 2026, 10:00 WITA. November 2026 has no holiday in Indonesia, so working days
there are Monday to Friday (the hand counts below rely on it; ``test_november_2026_has_no_holiday`` checks).
Every test builds its own database so that the period-wide figures count only its cases.
"""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import delete, select, text

from core import rapor as compliance
from core.engine import make_engine
from core.locale import LOCALES
from core.settings import SlaRules
from core.sla import ReferenceClock, reference_complaint_sla
from queries import headline, overdue, quality, schema, scorecard, search
from queries._sql import read_frame
from queries.sla_sql import complaint_sla
from tests import dataset
from tests.conftest import BACKENDS

wita = dataset.wita
NOW = wita(2026, 12, 2, 10, 0)
NOVEMBER = (wita(2026, 11, 1, 0), wita(2026, 12, 1, 0))
DECEMBER = (wita(2026, 12, 1, 0), wita(2027, 1, 1, 0))


def fresh_db(db_factory, backend: str, cases: dict):
    """Schema, reference rows and calendar of the hand-built dataset, with only ``cases`` as complaints."""
    engine = make_engine(db_factory.url(backend), must_exist=False)
    dataset.build_with(engine, cases)
    return engine


def case(opd=None, classification="pengaduan", status="diterima", **kw):
    return dict(
        title=kw.pop("title", "Aduan uji"),
        sector="infrastruktur",
        region="5271",
        channel="aplikasi",
        classification=classification,
        priority="biasa",
        status=status,
        opd=opd,
        **kw,
    )


def rapor(conn, period, rollup=True):
    return scorecard.opd_scorecard(conn, *period, NOW, SlaRules(), rollup=rollup).set_index("opd_code")


def test_november_2026_has_no_holiday():
    clock = ReferenceClock()
    days = [dt.date(2026, 11, d) for d in range(1, 31)] + [dt.date(2026, 12, d) for d in range(1, 8)]
    assert [d for d in days if clock.is_workday(d) != (d.weekday() < 5)] == []


# --- 1. the median of an even count ---------------------------------------------------------------------

MEDIAN_CASES = {
    # Dinkes: responses after 0 and 4 working days -> median 2 (was 4, the upper middle value)
    "M1": case(
        "D02",
        status="diproses",
        received_at=wita(2026, 11, 2, 8),
        dispatched_at=wita(2026, 11, 2, 9),
        first_response_at=wita(2026, 11, 2, 15),
    ),
    "M2": case(
        "D02",
        status="diproses",
        received_at=wita(2026, 11, 9, 8),
        dispatched_at=wita(2026, 11, 9, 9),
        first_response_at=wita(2026, 11, 13, 9),
    ),
    # Dishub: 1 and 12 working days (3 to 18 November) -> 6.5 (was 12)
    "M3": case(
        "D11",
        status="diproses",
        received_at=wita(2026, 11, 2, 8),
        dispatched_at=wita(2026, 11, 2, 9),
        first_response_at=wita(2026, 11, 3, 9),
    ),
    "M4": case(
        "D11",
        status="diproses",
        received_at=wita(2026, 11, 2, 8),
        dispatched_at=wita(2026, 11, 2, 9),
        first_response_at=wita(2026, 11, 18, 9),
    ),
    # ESDM: one response, after 3 working days -> 3
    "M5": case(
        "D21",
        status="diproses",
        received_at=wita(2026, 11, 2, 8),
        dispatched_at=wita(2026, 11, 2, 9),
        first_response_at=wita(2026, 11, 5, 9),
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values(db_factory, backend):
    engine = fresh_db(db_factory, backend, MEDIAN_CASES)
    with engine.connect() as conn:
        med = rapor(conn, NOVEMBER)["median_response_wd"]
        # the wall's "Median tanggapan pertama" for November: responses 0, 1, 3, 4, 12 -> 3; without M5: 2.5
        wall = headline.period_counts(conn, NOW, SlaRules(), *NOVEMBER)["median_response_wd"]
    assert med.to_dict() == {"D02": 2.0, "D11": 6.5, "D21": 3.0}
    assert wall == 3.0
    with engine.begin() as conn:
        conn.execute(
            delete(schema.complaint_event).where(
                schema.complaint_event.c.complaint_id.in_(
                    select(schema.complaint.c.id).where(schema.complaint.c.ticket == "M5")
                )
            )
        )
        conn.execute(delete(schema.complaint).where(schema.complaint.c.ticket == "M5"))
    with engine.connect() as conn:
        assert headline.period_counts(conn, NOW, SlaRules(), *NOVEMBER)["median_response_wd"] == 2.5
    engine.dispose()


# --- 2. SQLite: a time at exactly a period boundary, stored without a fraction of a second ---------------

BOUNDARY_CASES = {
    # 2 December 00:00:00 WITA (= 1 December 16:00:00 UTC) is today; 23:59:59 the day before is not
    "B1": case(received_at=wita(2026, 12, 2, 0)),
    "B2": case(received_at=wita(2026, 12, 2, 0)),
    "B3": case(received_at=wita(2026, 12, 2, 0)),
    "B4": case(received_at=dt.datetime(2026, 12, 1, 23, 59, 59, tzinfo=dataset.WITA)),
    # dispatched at 1 December 00:00:00 WITA: December's rapor, not November's
    "B5": case("D14", status="terdisposisi", received_at=wita(2026, 11, 30, 10), dispatched_at=wita(2026, 12, 1, 0)),
    # received and dispatched at 1 January 2026 00:00:00 WITA: 2026, not 2025
    "B6": case(
        "D21",
        status="selesai",
        received_at=wita(2026, 1, 1, 0),
        dispatched_at=wita(2026, 1, 1, 0),
        first_response_at=wita(2026, 1, 5, 9),
        resolved_at=wita(2026, 1, 6, 9),
    ),
}
# how other writers store those instants on SQLite (contract: all of these are accepted)
STORED_AS = {
    ("B1", "received_at"): "2026-12-01 16:00:00",
    ("B2", "received_at"): "2026-12-01T16:00:00Z",
    ("B3", "received_at"): "2026-12-01 16:00:00+00:00",
    ("B4", "received_at"): "2026-12-01 15:59:59",
    ("B5", "dispatched_at"): "2026-11-30 16:00:00",
    ("B6", "received_at"): "2025-12-31 16:00:00",
    ("B6", "dispatched_at"): "2025-12-31T16:00:00",
}


def store_text_forms(engine, forms: dict) -> None:
    """On SQLite, rewrite times as the given text (as a writer other than SQLAlchemy would store them)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        for (ticket, col), value in forms.items():
            assert col in ("received_at", "dispatched_at", "first_response_at", "resolved_at")
            conn.execute(text(f"UPDATE complaint SET {col} = :v WHERE ticket = :t"), {"v": value, "t": ticket})


@pytest.mark.parametrize("backend", BACKENDS)
def test_times_at_a_period_boundary_count_on_the_right_side(db_factory, backend):
    engine = fresh_db(db_factory, backend, BOUNDARY_CASES)
    store_text_forms(engine, STORED_AS)
    rules = SlaRules()
    with engine.connect() as conn:
        if backend == "sqlite":  # the forms really are stored
            stored = dict(conn.execute(text("SELECT ticket, received_at FROM complaint")).all())
            assert stored["B1"] == "2026-12-01 16:00:00" and stored["B2"] == "2026-12-01T16:00:00Z"
        today = headline.period_counts(conn, NOW, rules)
        nov, dec = rapor(conn, NOVEMBER), rapor(conn, DECEMBER)
        y2025 = rapor(conn, (wita(2025, 1, 1, 0), wita(2026, 1, 1, 0)))
        y2026 = rapor(conn, (wita(2026, 1, 1, 0), wita(2027, 1, 1, 0)))

        def explorer(start, end):
            return search.count_complaints(conn, search.ComplaintFilter(start=start, end=end), NOW, rules)

        counts = {
            "2025": explorer(wita(2025, 1, 1, 0), wita(2026, 1, 1, 0)),
            "2026": explorer(wita(2026, 1, 1, 0), wita(2027, 1, 1, 0)),
            "2 Dec": explorer(wita(2026, 12, 2, 0), wita(2026, 12, 3, 0)),
        }
    assert today["received_today"] == 3  # B1, B2, B3 (the old SQLite code: 1, only the "T" form)
    assert today["received_period"] == 4  # this month so far: B1 to B4 (B5 came on 30 November)
    assert nov.get("dispatched", pd.Series(dtype=int)).get("D14", 0) == 0
    assert dec.loc["D14", "dispatched"] == 1
    assert y2025.get("dispatched", pd.Series(dtype=int)).get("D21", 0) == 0
    assert y2026.loc["D21", "dispatched"] == 1 and y2026.loc["D21", "completed_on_time"] == 1
    assert counts == {"2025": 0, "2026": 6, "2 Dec": 3}
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_kualitas_data_counts_times_in_a_form_the_contract_does_not_allow(db_factory, backend):
    cases = {
        "Q1": case(received_at=wita(2026, 12, 1, 9)),
        "Q2": case(received_at=wita(2026, 12, 1, 10)),
        "Q3": case(received_at=wita(2026, 12, 1, 11)),
    }
    engine = fresh_db(db_factory, backend, cases)
    store_text_forms(
        engine,
        {
            ("Q1", "received_at"): "2026-12-01T01:00:00.5Z",  # accepted
            ("Q2", "received_at"): "2026-12-01 10:00+08:00",  # no seconds, another offset
            ("Q3", "received_at"): "2026-12-01 03:00:00.1234567",
        },
    )  # 7 digits
    if backend == "sqlite":
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE complaint_event SET occurred_at = '2026-12-01 10:00' WHERE complaint_id = "
                    "(SELECT id FROM complaint WHERE ticket = 'Q2')"
                )
            )
    with engine.connect() as conn:
        got = quality.data_quality(conn, NOW).set_index("check")
    want = (1 if backend == "sqlite" else 0) * 2  # Q2 and Q3; PostgreSQL stores instants, never text
    assert int(got.loc["time_format", "count"]) == want
    assert int(got.loc["event_time_format", "count"]) == (1 if backend == "sqlite" else 0)
    engine.dispose()


# --- 3. the grade follows the exact share --------------------------------------------------------------


def _graded_cases(prefix: str, opd: str, total: int, on_time: int) -> dict:
    out = {}
    for i in range(total):
        answered = wita(2026, 11, 3, 9) if i < on_time else wita(2026, 11, 17, 9)  # 1 or 11 working days
        out[f"{prefix}{i:03d}"] = case(
            opd,
            status="selesai",
            received_at=wita(2026, 11, 2, 8),
            dispatched_at=wita(2026, 11, 2, 9),
            first_response_at=answered,
            resolved_at=answered,
        )
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_grade_follows_the_exact_share_not_the_rounded_one(db_factory, backend):
    cases = {**_graded_cases("G", "D09", 209, 188), **_graded_cases("H", "D11", 210, 189)}
    engine = fresh_db(db_factory, backend, cases)
    with engine.connect() as conn:
        r = compliance.with_grades(scorecard.opd_scorecard(conn, *NOVEMBER, NOW, SlaRules()))
    r = r.set_index("opd_code")
    # 188 / 209 = 89.95 %: shown as 90.0 %, graded B; 189 / 210 = 90 % exactly: A
    assert r.loc["D09", ["dispatched", "responded_on_time", "response_on_time_pct", "breached", "grade"]].tolist() == [
        209,
        188,
        90.0,
        0,
        "B",
    ]
    assert r.loc["D11", ["dispatched", "responded_on_time", "response_on_time_pct", "breached", "grade"]].tolist() == [
        210,
        189,
        90.0,
        0,
        "A",
    ]
    engine.dispose()


def test_grade_boundaries_on_exact_shares():
    assert compliance.grade(compliance.exact_share_pct(188, 209), 0) == "B"
    assert compliance.grade(compliance.exact_share_pct(189, 210), 0) == "A"
    assert compliance.grade(compliance.exact_share_pct(149, 199), 0) == "C"  # 74.87 %, shown 74.9 %
    assert compliance.grade(compliance.exact_share_pct(3, 4), 1) == "C"  # 75 % is B, one breached: C
    assert compliance.exact_share_pct(0, 0) is None


# --- 4. ditunda stops the clock ----------------------------------------------------------------------------


def ev(*items):
    return [(kind, at, None) for kind, at in items]


PAUSE_CASES = {
    # dispatched Thu 5 Nov, postponed Fri 6 Nov, reopened Mon 23 Nov (11 working days paused), answered and
    # completed Wed 25 Nov: 1 + 2 = 3 working days used of 5 (was 14: late by 9)
    "P1": case(
        "D20",
        "aspirasi",
        "selesai",
        received_at=wita(2026, 11, 5, 8),
        dispatched_at=wita(2026, 11, 5, 9),
        first_response_at=wita(2026, 11, 25, 13),
        resolved_at=wita(2026, 11, 25, 14),
        events=ev(
            ("diterima", wita(2026, 11, 5, 8)),
            ("didisposisikan", wita(2026, 11, 5, 9)),
            ("ditunda", wita(2026, 11, 6, 10)),
            ("dibuka_kembali", wita(2026, 11, 23, 9)),
            ("ditanggapi", wita(2026, 11, 25, 13)),
            ("diselesaikan", wita(2026, 11, 25, 14)),
        ),
    ),
    # the same, reopened Tue 1 Dec (17 working days paused): on 2 Dec it has used 2 of 5 (was breached by 14)
    "P2": case(
        "D02",
        "aspirasi",
        "terdisposisi",
        received_at=wita(2026, 11, 5, 8),
        dispatched_at=wita(2026, 11, 5, 9),
        events=ev(
            ("diterima", wita(2026, 11, 5, 8)),
            ("didisposisikan", wita(2026, 11, 5, 9)),
            ("ditunda", wita(2026, 11, 6, 10)),
            ("catatan", wita(2026, 11, 10, 9)),
            ("ditunda", wita(2026, 11, 12, 9)),
            ("dibuka_kembali", wita(2026, 12, 1, 9)),
        ),
    ),
    # postponed before dispatch (Mon 2 Nov), dispatched Fri 13 Nov: the dispatch stage used 0 of 3 (was late
    # by 6); response (13 to 20 Nov, 5) and completion (13 Nov to 2 Dec, 13 of 14: at risk) are not charged
    "P3": case(
        "D11",
        "pengaduan",
        "diproses",
        received_at=wita(2026, 11, 2, 9),
        dispatched_at=wita(2026, 11, 13, 9),
        first_response_at=wita(2026, 11, 20, 9),
        events=ev(
            ("diterima", wita(2026, 11, 2, 9)),
            ("ditunda", wita(2026, 11, 2, 11)),
            ("didisposisikan", wita(2026, 11, 13, 9)),
            ("ditanggapi", wita(2026, 11, 20, 9)),
        ),
    ),
    # postponed Wed 18 Nov and still postponed: its clock stopped at 2 of 5 working days (16 to 18 Nov)
    "P4": case(
        "D21",
        "pengaduan",
        "ditunda",
        received_at=wita(2026, 11, 16, 9),
        dispatched_at=wita(2026, 11, 16, 10),
        events=ev(
            ("diterima", wita(2026, 11, 16, 9)),
            ("didisposisikan", wita(2026, 11, 16, 10)),
            ("ditunda", wita(2026, 11, 18, 9)),
        ),
    ),
    # a ditunda never resumed but the status moved on (no resuming event): the pause counts for nothing,
    # 2 Nov to 2 Dec = 22 working days, breached by 17, as before
    "P5": case(
        "B01",
        "pengaduan",
        "terdisposisi",
        received_at=wita(2026, 11, 2, 9),
        dispatched_at=wita(2026, 11, 2, 10),
        events=ev(
            ("diterima", wita(2026, 11, 2, 9)),
            ("didisposisikan", wita(2026, 11, 2, 10)),
            ("ditunda", wita(2026, 11, 3, 9)),
        ),
    ),
}

# ticket: {stage: (state, elapsed, late_by, deadline)}, by hand
PAUSE_EXPECTED = {
    "P1": {
        "response": ("met", 3, 0, dt.date(2026, 11, 27)),
        "completion": ("met", 3, 0, dt.date(2026, 11, 27)),
        "sla_state": "met",
    },
    "P2": {
        "response": ("on_track", 2, 0, dt.date(2026, 12, 7)),
        "completion": ("on_track", 2, 0, dt.date(2026, 12, 7)),
        "sla_state": "on_track",
    },
    "P3": {
        "dispatch": ("met", 0, 0, dt.date(2026, 11, 18)),
        "response": ("met", 5, 0, dt.date(2026, 11, 20)),
        "completion": ("at_risk", 13, 0, dt.date(2026, 12, 3)),
        "sla_state": "at_risk",
    },
    "P4": {"response": ("ditunda", 2, None, dt.date(2026, 12, 7)), "sla_state": "ditunda"},
    "P5": {"response": ("breached", 22, 17, dt.date(2026, 11, 9)), "sla_state": "breached"},
}


def _stage_values(row, stage):
    late = row[f"{stage}_late_by"]
    return (
        row[f"{stage}_state"],
        int(row[f"{stage}_elapsed"]),
        None if pd.isna(late) else int(late),
        row[f"{stage}_deadline"],
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_ditunda_stops_the_clock(db_factory, backend):
    engine = fresh_db(db_factory, backend, PAUSE_CASES)
    rules = SlaRules()
    with engine.connect() as conn:
        sla = read_frame(conn, complaint_sla(rules, NOW, with_deadlines=True)).set_index("ticket")
        nov = rapor(conn, NOVEMBER)
        period = headline.period_counts(conn, NOW, rules, *NOVEMBER)
        counts = {
            s: search.count_complaints(conn, search.ComplaintFilter(sla_states=(s,)), NOW, rules)
            for s in search.SLA_STATES
        }
        page = search.search_complaints(conn, search.ComplaintFilter(sla_states=("breached",)), NOW, rules)
    for ticket, want in PAUSE_EXPECTED.items():
        row = sla.loc[ticket]
        for stage, values in want.items():
            if stage == "sla_state":
                assert row["sla_state"] == values, ticket
            else:
                assert _stage_values(row, stage) == values, (ticket, stage)
    # the reference clock, given the same events, agrees
    for ticket, c in PAUSE_CASES.items():
        ref = reference_complaint_sla(
            {**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **c}, rules, NOW
        )
        for stage, values in PAUSE_EXPECTED[ticket].items():
            if stage == "sla_state":
                assert ref["sla_state"] == values
            else:
                assert (
                    ref[f"{stage}_state"],
                    ref[f"{stage}_elapsed"],
                    ref[f"{stage}_late_by"],
                    ref[f"{stage}_deadline"],
                ) == values, (ticket, stage)
    # rapor of November: Dispar answered and completed P1 on time (was late), median 3 (was 14)
    assert nov.loc["D20", ["dispatched", "responded_on_time", "completed_on_time"]].tolist() == [1, 1, 1]
    assert nov.loc["D20", "median_response_wd"] == 3.0
    assert nov.loc["D02", ["open", "breached", "at_risk"]].tolist() == [1, 0, 0]  # P2 (was breached)
    assert nov.loc["B01", ["open", "breached", "oldest_breached_wd"]].tolist() == [1, 1, 22]  # P5
    # headline for November: P1 completed on time; responses P1 (3) and P3 (5): median 4 (was 14)
    assert (period["completed"], period["completed_on_time"], period["median_response_wd"]) == (1, 1, 4.0)
    # the explorer's SLA filter
    assert counts == {"on_track": 1, "at_risk": 1, "breached": 1, "ditunda": 1, "met": 1, "late": 0}
    assert page["ticket"].tolist() == ["P5"] and page["overdue_wd"].tolist() == [17]
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_pause_with_a_redispatch_and_a_second_pause(db_factory, backend):
    """Two pauses; the second ended by a re-dispatch (dialihkan resumes work)."""
    cases = {
        "R1": case(
            "D09",
            "pengaduan",
            "selesai",
            received_at=wita(2026, 11, 2, 9),
            dispatched_at=wita(2026, 11, 2, 10),
            first_response_at=wita(2026, 11, 20, 9),
            resolved_at=wita(2026, 11, 27, 9),
            events=ev(
                ("diterima", wita(2026, 11, 2, 9)),
                ("didisposisikan", wita(2026, 11, 2, 10)),
                ("ditunda", wita(2026, 11, 3, 9)),
                ("dibuka_kembali", wita(2026, 11, 6, 9)),
                ("ditunda", wita(2026, 11, 10, 9)),
                ("dialihkan", wita(2026, 11, 13, 9)),
                ("ditanggapi", wita(2026, 11, 20, 9)),
                ("diselesaikan", wita(2026, 11, 27, 9)),
            ),
        )
    }
    engine = fresh_db(db_factory, backend, cases)
    with engine.connect() as conn:
        row = read_frame(conn, complaint_sla(SlaRules(), NOW, with_deadlines=True)).set_index("ticket").loc["R1"]
    # 2 -> 20 Nov: 14 working days; paused 3 -> 6 Nov (3) and 10 -> 13 Nov (3): 8 used, late by 3
    assert _stage_values(row, "response") == ("late", 8, 3, dt.date(2026, 11, 17))
    # 2 -> 27 Nov: 19; less 6 paused: 13 of 14, met
    assert _stage_values(row, "completion") == ("met", 13, 0, dt.date(2026, 11, 30))
    assert [int(row[f"{s}_paused"]) for s in ("dispatch", "response", "completion")] == [0, 6, 6]
    engine.dispose()


# --- 5. fair rules (issue 21): decided stages only, a deadline in the past is missed, a minimum to grade -----


DECEMBER_TILL_NOW = (wita(2026, 12, 1, 0), wita(2026, 12, 3, 0))
FAIR_CASES = {
    # D09: its only complaint this period, dispatched this morning, answer due Wed 9 Dec: waiting, not 0 %
    "W1": case("D09", received_at=wita(2026, 12, 2, 8), dispatched_at=wita(2026, 12, 2, 9), status="terdisposisi"),
    # D11: 4 answered on time (1 working day), 1 answered late (11), 2 still within their deadline:
    # 4 of 5 decided on time = 80 % (B); the 2 waiting count in neither part
    **{
        f"A{i}": case(
            "D11",
            status="selesai",
            received_at=wita(2026, 11, 2, 8),
            dispatched_at=wita(2026, 11, 2, 9),
            first_response_at=wita(2026, 11, 3, 9) if i < 4 else wita(2026, 11, 17, 9),
            resolved_at=wita(2026, 11, 3, 9) if i < 4 else wita(2026, 11, 17, 9),
        )
        for i in range(5)
    },
    **{
        f"A{i}": case(
            "D11", "informasi", "terdisposisi", received_at=wita(2026, 12, 1, 8), dispatched_at=wita(2026, 12, 1, 9)
        )
        for i in (5, 6)
    },
    # D21: 4 answered on time and nothing else decided: fewer than 5, not graded
    **{
        f"B{i}": case(
            "D21",
            status="selesai",
            received_at=wita(2026, 11, 2, 8),
            dispatched_at=wita(2026, 11, 2, 9),
            first_response_at=wita(2026, 11, 3, 9),
            resolved_at=wita(2026, 11, 3, 9),
        )
        for i in range(4)
    },
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_shares_count_only_decided_stages(db_factory, backend):
    engine = fresh_db(db_factory, backend, FAIR_CASES)
    with engine.connect() as conn:
        r = scorecard.opd_scorecard(conn, wita(2026, 11, 1, 0), DECEMBER_TILL_NOW[1], NOW, SlaRules())
    engine.dispose()
    graded = compliance.with_grades(r, minimum=5).set_index("opd_code")
    cols = ["dispatched", "response_decided", "response_waiting", "responded_on_time", "response_on_time_pct", "grade"]
    got = {k: graded.loc[k, cols].tolist() for k in ("D09", "D11", "D21")}
    assert got["D09"][:4] == [1, 0, 1, 0] and pd.isna(got["D09"][4]) and pd.isna(got["D09"][5])  # was 0 % and D
    assert got["D11"] == [7, 5, 2, 4, 80.0, "B"]  # was 4 of 7 = 57.1 %, C
    assert got["D21"][:4] == [4, 4, 0, 4] and pd.isna(got["D21"][4]) and pd.isna(got["D21"][5])  # was 100 %, A
    ID = LOCALES["id"]
    reasons = {k: compliance.grade_reason(graded.loc[k].to_dict(), ID, minimum=5) for k in ("D09", "D11", "D21")}
    assert reasons == {
        "D09": "belum dinilai: kurang dari 5 tahap selesai (baru 0)",
        "D11": "B: 4 dari 5 dijawab tepat waktu",
        "D21": "belum dinilai: kurang dari 5 tahap selesai (baru 4)",
    }
    assert compliance.share_text(graded.loc["D09"].to_dict(), "response", ID) == "menunggu"
    assert compliance.share_text(graded.loc["D21"].to_dict(), "response", ID) == "belum dinilai"
    # with a minimum of 4, D21 is graded on its 4 of 4
    assert compliance.with_grades(r, minimum=4).set_index("opd_code").loc["D21", "grade"] == "A"


# Dispatched Fri 27 Nov, never answered: the answer is due on the 5th working day after, Fri 4 Dec.
FRIDAY_DEADLINE = {
    "F1": case("D09", status="terdisposisi", received_at=wita(2026, 11, 27, 8), dispatched_at=wita(2026, 11, 27, 9))
}
# (day in December 2026, state, working days late): at risk on the deadline day and the working day before,
# breached from the day after, weekend or not; late by the working days up to the next working day
FRIDAY_DAYS = [
    (2, "on_track", 0),
    (3, "at_risk", 0),
    (4, "at_risk", 0),
    (5, "breached", 1),  # Saturday (was "at risk, 0")
    (6, "breached", 1),  # Sunday (was "at risk, 0")
    (7, "breached", 1),
    (8, "breached", 2),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deadline_before_today_is_missed_on_a_weekend_too(db_factory, backend):
    engine = fresh_db(db_factory, backend, FRIDAY_DEADLINE)
    got, lean, ref = [], [], []
    with engine.connect() as conn:
        for day, _, _ in FRIDAY_DAYS:
            now = wita(2026, 12, day, 10)
            row = read_frame(conn, complaint_sla(SlaRules(), now, with_deadlines=True)).iloc[0]
            got.append((day, row["response_state"], int(row["response_late_by"])))
            o = overdue.overdue_by_opd(conn, now, SlaRules()).iloc[0]
            lean.append(
                (
                    day,
                    int(o["breached"]),
                    int(o["at_risk"]),
                    None if pd.isna(o["max_overdue_wd"]) else int(o["max_overdue_wd"]),
                )
            )
            r = reference_complaint_sla(
                {**FRIDAY_DEADLINE["F1"], "first_response_at": None, "resolved_at": None}, SlaRules(), now
            )
            ref.append((day, r["response_state"], r["response_late_by"]))
        assert row["response_deadline"] == dt.date(2026, 12, 4)
    engine.dispose()
    assert got == ref == FRIDAY_DAYS
    assert lean == [
        (d, int(s == "breached"), int(s == "at_risk"), n if s == "breached" else None) for d, s, n in FRIDAY_DAYS
    ]
