"""The SQL SLA clock agrees exactly with the Python reference on randomised cases, on both backends."""

import datetime as dt
import random

import pandas as pd
import pytest
from sqlalchemy import delete

from core.engine import make_engine
from core.settings import SlaRules
from core.sla import ReferenceClock, reference_complaint_sla
from queries import schema
from queries._sql import read_frame
from queries.sla_sql import complaint_sla
from tests import dataset

STAGES = ("dispatch", "response", "completion")
CLASSES = ("aspirasi", "pengaduan", "pengaduan_pengawasan", "informasi", "tidak_dikenal")
# Windows dense with weekends, national holidays and cuti bersama.
WINDOWS = [
    (dt.date(2025, 12, 15), dt.date(2026, 2, 25)),
    (dt.date(2026, 3, 5), dt.date(2026, 4, 15)),
    (dt.date(2026, 5, 10), dt.date(2026, 6, 20)),
    (dt.date(2026, 12, 15), dt.date(2027, 1, 10)),
]


def random_cases(rng: random.Random, n: int) -> dict[str, dict]:
    def ts(day, hours_after=0):
        return dt.datetime.combine(day, dt.time(), dataset.WITA) + dt.timedelta(hours=hours_after)

    cases = {}
    for i in range(n):
        lo, hi = WINDOWS[i % len(WINDOWS)]
        day = lo + dt.timedelta(days=rng.randrange((hi - lo).days))
        rec = ts(day, rng.uniform(0, 24))
        steps = [rec]
        for _ in range(3):
            steps.append(steps[-1] + dt.timedelta(hours=rng.choice([0.5, 5, 17, 30, 70, 150, 300, 700])))
        reached = rng.randrange(4)
        status = {0: "diterima", 1: "terdisposisi", 2: "diproses", 3: "selesai"}[reached]
        if rng.random() < 0.15:
            status = rng.choice(["ditunda", "diarsipkan"])
        cases[f"R{i:04d}"] = dict(
            title=f"acak {i}",
            sector="infrastruktur",
            region="5271",
            channel="aplikasi",
            classification=rng.choice(CLASSES),
            priority="biasa",
            status=status,
            received_at=rec,
            dispatched_at=steps[1] if reached >= 1 else None,
            first_response_at=steps[2] if reached >= 2 else None,
            resolved_at=steps[3] if reached >= 3 else None,
            opd="D03" if reached >= 1 else None,
        )
    return cases


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def random_db(request, db_factory):
    engine = make_engine(db_factory.url(request.param), must_exist=False)
    dataset.build(engine)
    with engine.begin() as conn:
        conn.execute(delete(schema.complaint_event))
        conn.execute(delete(schema.complaint))
        cases = random_cases(random.Random(20261122), 400)
        dataset.insert_cases(conn, cases)
    yield engine, cases
    engine.dispose()


@pytest.mark.parametrize("anchor", ["dispatched", "received"])
@pytest.mark.parametrize(
    "now_day",
    # a Sunday and a holiday Monday: a deadline on the working day before is breached (docs/database.md, fair rules)
    [dt.date(2026, 1, 2), dt.date(2026, 3, 22), dt.date(2026, 3, 25), dt.date(2026, 6, 1), dt.date(2026, 12, 28)],
)
def test_sql_matches_reference(random_db, anchor, now_day):
    engine, cases = random_db
    rules = SlaRules(completion_anchor=anchor)
    now = dt.datetime.combine(now_day, dt.time(11, 30), dataset.WITA)
    with engine.connect() as conn:
        df = read_frame(conn, complaint_sla(rules, now, with_deadlines=True)).set_index("ticket")
    clock = ReferenceClock()
    mismatches, states_seen = [], set()
    for ticket, c in cases.items():
        if c["received_at"] > now:
            continue
        expected = reference_complaint_sla(c, rules, now, clock)
        row = df.loc[ticket]
        for stage in STAGES:
            got_state = row[f"{stage}_state"]
            got_state = None if pd.isna(got_state) else got_state
            want = expected[f"{stage}_state"]
            states_seen.add(want)
            if got_state != want:
                mismatches.append((ticket, stage, "state", got_state, want))
            if want is not None:
                if row[f"{stage}_deadline"] != expected[f"{stage}_deadline"]:
                    mismatches.append(
                        (ticket, stage, "deadline", row[f"{stage}_deadline"], expected[f"{stage}_deadline"])
                    )
                got_late = row[f"{stage}_late_by"]
                got_late = None if pd.isna(got_late) else int(got_late)
                want_late = expected[f"{stage}_late_by"]
                if got_late != want_late:
                    mismatches.append((ticket, stage, "late_by", got_late, want_late))
        if (None if pd.isna(row["sla_state"]) else row["sla_state"]) != expected["sla_state"]:
            mismatches.append((ticket, "overall", "state", row["sla_state"], expected["sla_state"]))
    assert mismatches == []
    # the random cases exercise every state that exists at this moment
    assert {"met", "late", "breached", "ditunda"} <= states_seen


@pytest.mark.parametrize(
    "now_day", [dt.date(2026, 1, 2), dt.date(2026, 3, 22), dt.date(2026, 3, 25), dt.date(2026, 6, 1)]
)
def test_lean_open_state_agrees_with_full_sla(random_db, now_day):
    """open_sla (used by the wall) gives the same state as complaint_sla for every open complaint."""
    from queries.sla_sql import OPEN_STATUSES, open_sla

    engine, _ = random_db
    rules = SlaRules()
    now = dt.datetime.combine(now_day, dt.time(11, 30), dataset.WITA)
    with engine.connect() as conn:
        full = read_frame(conn, complaint_sla(rules, now, [schema.complaint.c.status.in_(OPEN_STATUSES)]))
        lean = read_frame(conn, open_sla(rules, now))
    merged = full.merge(lean, on="id", validate="one_to_one")
    assert len(merged) == len(full) == len(lean) > 50

    def lean_state(rem):
        if pd.isna(rem):
            return None
        return "breached" if rem < 0 else "at_risk" if rem <= rules.at_risk_days else "on_track"

    got = merged["remaining_wd"].map(lean_state)
    want = merged["sla_state"].where(merged["sla_state"].isin(["breached", "at_risk", "on_track"]), None)
    assert got.tolist() == want.tolist()
    breached = merged[merged["sla_state"] == "breached"]
    assert (-breached["remaining_wd"]).astype(int).tolist() == breached["overdue_wd"].astype(int).tolist()
    assert set(got.dropna()) == {"breached", "at_risk", "on_track"}
