"""Property test: randomised complaints and events against a plain-Python count written from the README's rules.

The cases mix pauses (before and after dispatch, repeated, never resumed, resumed at the same instant),
reopenings, re-dispatches to merged and unmerged OPDs, times at exactly midnight WITA (a period boundary)
and one second before it, holidays and cuti bersama; on SQLite the stored times are rewritten into every
text form the contract allows. Every rapor figure, the headline period figures and every explorer SLA count
are computed here from the rules alone (README, "The SLA clock": working days, stages, pauses), with
nothing from ``core.sla`` but the holiday list, and compared with the SQL on PostgreSQL and SQLite.
"""

import datetime as dt
import random
import statistics

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, select, text

from core import rapor as compliance
from core.engine import make_engine
from core.settings import SlaRules
from core.sla import holiday_map
from data_seed.reference import load_reference
from queries import headline, schema, scorecard, search
from tests import dataset
from tests.conftest import BACKENDS

WITA = dataset.WITA
NOW = dt.datetime(2027, 1, 7, 11, 30, tzinfo=WITA)  # Thursday, after Christmas, cuti bersama and New Year
TODAY = NOW.date()
# the Sunday after: a deadline on Friday 8 January is missed by then (fair rules), though no working day passed
SUNDAY = dt.datetime(2027, 1, 10, 9, 0, tzinfo=WITA)
# (first day, last day, share of the cases): windows dense with weekends, holidays and cuti bersama
WINDOWS = [
    (dt.date(2025, 12, 15), dt.date(2026, 2, 25), 0.2),
    (dt.date(2026, 3, 5), dt.date(2026, 4, 15), 0.2),
    (dt.date(2026, 5, 10), dt.date(2026, 6, 20), 0.15),
    (dt.date(2026, 11, 20), dt.date(2027, 1, 6), 0.45),
]
CLASSES = ("aspirasi", "pengaduan", "pengaduan_pengawasan", "informasi", "lainnya")
OPDS = ("D03", "D04", "D01", "N02", "D09", "D11", "D21")  # D03, D04 merged into N02 (2026); D01 into N01
RESUME = ("dibuka_kembali", "diverifikasi", "didisposisikan", "dialihkan", "ditanggapi", "diselesaikan")
OPEN_STATUSES = ("diterima", "terdisposisi", "diproses", "ditunda")
ACTIVE = ("diterima", "terdisposisi", "diproses")
N_CASES = 320


# --- the rules, from the README ---------------------------------------------------------------------------

HOLIDAYS = holiday_map(2018, 2027)


def workday(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS


def day_of(ts: dt.datetime) -> dt.date:
    return ts.astimezone(WITA).date()


def workdays_in(a: dt.date, b: dt.date, pauses=()) -> int:
    """Working days after ``a`` up to and including ``b`` that no pause (p, r] covers."""
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        n += workday(d) and not any(p < d <= r for p, r in pauses)
    return n


def nth_workday_after(a: dt.date, n: int) -> dt.date:
    d = a
    while n > 0:
        d += dt.timedelta(days=1)
        n -= workday(d)
    return d


def pauses_of(events, status, today: dt.date = TODAY) -> list[tuple[dt.date, dt.date]]:
    """A ditunda starts a pause, the next resuming event ends it; unended: until today while ditunda, else none."""
    spans, since = [], None
    for kind, at, _ in sorted(events, key=lambda e: e[1]):  # stable: ties keep the written (id) order
        if kind == "ditunda" and since is None:
            since = at
        elif kind in RESUME and since is not None:
            spans.append((day_of(since), day_of(at)))
            since = None
    if since is not None and status == "ditunda":
        spans.append((day_of(since), today))
    return spans


def stages_of(c, rules, today: dt.date = TODAY) -> dict:
    """{stage: (state, used working days, remaining or None)} and the overall state, by the rules.

    Fair rules: an open stage's deadline is the (limit + paused)-th working day after its start; it is breached
    once that date is before today (weekend or not), late by the working days after it up to today, or up to the
    next working day when today is not one; at risk while at most ``at_risk_days`` working days remain."""
    limit = {
        "dispatch": rules.dispatch_days,
        "response": rules.response_days,
        "completion": rules.completion_days.get(c["classification"], rules.completion_days["pengaduan"]),
    }
    comp_start = c["received_at"] if rules.completion_anchor == "received" else c.get("dispatched_at")
    bounds = {
        "dispatch": (c["received_at"], c.get("dispatched_at")),
        "response": (c.get("dispatched_at"), c.get("first_response_at")),
        "completion": (comp_start, c.get("resolved_at")),
    }
    pauses = pauses_of(c["events"], c["status"], today)
    out = {}
    for name, (start, end) in bounds.items():
        if start is None:
            out[name] = (None, None, None)
            continue
        used = workdays_in(day_of(start), day_of(end) if end else today, pauses)
        if end is not None:
            out[name] = ("met" if used <= limit[name] else "late", used, None)
        elif c["status"] == "ditunda":
            out[name] = ("ditunda", used, None)
        elif c["status"] not in ACTIVE:
            out[name] = (None, used, None)
        else:
            paused = workdays_in(day_of(start), today) - used
            deadline = nth_workday_after(day_of(start), limit[name] + paused)
            if deadline < today:
                upto = today if workday(today) else nth_workday_after(today, 1)
                out[name] = ("breached", used, -workdays_in(deadline, upto))
            else:
                left = workdays_in(today, deadline)
                out[name] = ("at_risk" if left <= rules.at_risk_days else "on_track", used, left)
    order = ("met", "late", "ditunda", "on_track", "at_risk", "breached")
    states = [s for s, _, _ in out.values() if s]
    overall = "ditunda" if c["status"] == "ditunda" else max(states, key=order.index) if states else None
    running = [left for _, _, left in out.values() if left is not None]
    return {
        **out,
        "sla_state": overall,
        "remaining": min(running) if running else None,
        "age": workdays_in(day_of(c["received_at"]), today),
    }


def in_period(ts, start, end) -> bool:
    return ts is not None and start <= ts < end


# --- randomised cases -------------------------------------------------------------------------------------


def random_cases(rng: random.Random) -> dict[str, dict]:
    def moment(day: dt.date) -> dt.datetime:
        r = rng.random()
        if r < 0.12:  # exactly midnight WITA: a period boundary
            return dt.datetime.combine(day, dt.time(0, 0), WITA)
        if r < 0.2:
            return dt.datetime.combine(day, dt.time(23, 59, 59), WITA)
        micro = rng.choice([0, 0, 0, 500_000, 1])
        return dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60), micro), WITA)

    def later(ts: dt.datetime) -> dt.datetime:
        step = rng.choice([0.0, 0.5, 3, 20, 30, 75, 160, 330, 700])
        nxt = ts + dt.timedelta(hours=step)
        if rng.random() < 0.2:  # snap to the next midnight WITA
            nxt = dt.datetime.combine(day_of(nxt) + dt.timedelta(days=1), dt.time(), WITA)
        return nxt

    cases = {}
    windows = [w for w in WINDOWS for _ in range(int(w[2] * 100))]
    for i in range(N_CASES):
        lo, hi, _ = rng.choice(windows)
        rec = moment(lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1)))
        events = [("diterima", rec, None)]
        c = dict(
            title=f"acak {i}",
            sector="infrastruktur",
            region="5271",
            channel="aplikasi",
            classification=rng.choice(CLASSES),
            priority="biasa",
            received_at=rec,
            events=events,
        )
        t = rec
        unresumed = False

        def pause(t, resume_kind="dibuka_kembali", events=events):
            nonlocal unresumed
            t = later(t)
            events.append(("ditunda", t, None))
            if rng.random() < 0.25:  # a second ditunda while paused changes nothing
                t = later(t)
                events.append(("ditunda", t, None))
            if rng.random() < 0.2:
                events.append(("catatan", later(t), None))  # a note does not resume
            if rng.random() < 0.7:
                t = t if rng.random() < 0.1 else later(later(t))  # sometimes resumed at the same instant
                events.append((resume_kind, t, None))
            else:
                unresumed = True
            return t

        if rng.random() < 0.15:
            t = pause(t)
        archived = rng.random() < 0.05
        if not archived and rng.random() < 0.85 and not unresumed:
            t = later(t)
            c["dispatched_at"] = t
            c["opd"] = rng.choice(OPDS)
            events.append(("didisposisikan", t, c["opd"]))
            if rng.random() < 0.15:
                t = later(t)
                c["opd"] = rng.choice(OPDS)
                events.append(("dialihkan", t, c["opd"]))
            if rng.random() < 0.35:
                t = pause(t)
            if rng.random() < 0.65 and (not unresumed or rng.random() < 0.3):
                t = later(t)
                c["first_response_at"] = t
                events.append(("ditanggapi", t, c["opd"]))
                if rng.random() < 0.2 and not unresumed:
                    t = pause(t)
                if rng.random() < 0.6 and (not unresumed or rng.random() < 0.3):
                    t = later(t)
                    c["resolved_at"] = t
                    events.append(("diselesaikan", t, c["opd"]))
        if archived:
            events.append(("diarsipkan", later(t), None))
        # nothing after now
        for col in ("dispatched_at", "first_response_at", "resolved_at"):
            if c.get(col) and c[col] > NOW:
                for later_col in ("dispatched_at", "first_response_at", "resolved_at")[
                    ("dispatched_at", "first_response_at", "resolved_at").index(col) :
                ]:
                    c.pop(later_col, None)
        if rec > NOW:
            continue
        c["events"] = events = [e for e in events if e[1] <= NOW]
        if c.get("dispatched_at") is None:
            c.pop("opd", None)
        if archived:
            c["status"] = "diarsipkan"
        elif c.get("resolved_at"):
            c["status"] = "selesai"
        elif pauses_of(events, "ditunda") and pauses_of(events, "ditunda")[-1][1] == TODAY and rng.random() < 0.8:
            c["status"] = "ditunda"
        elif c.get("first_response_at"):
            c["status"] = "diproses"
        elif c.get("dispatched_at"):
            c["status"] = "terdisposisi"
        else:
            c["status"] = "diterima"
        cases[f"P{i:04d}"] = c
    return cases


def _text_form(ts: dt.datetime, form: int) -> str:
    """One of the forms the contract accepts on SQLite, for an aware timestamp."""
    u = ts.astimezone(dt.UTC)
    frac = f".{u.microsecond:06d}" if u.microsecond else ""
    base = u.strftime("%Y-%m-%d") + (" ", "T")[form % 2] + u.strftime("%H:%M:%S")
    if form in (0, 1) and not frac:
        return base  # no fraction of a second
    return base + (frac or ".000000") + ("", "Z", "+00:00")[form % 3]


def rewrite_forms(conn, rng: random.Random, ids: dict, cases: dict) -> int:
    """SQLite: store about half of the times in another accepted text form. Returns how many were rewritten."""
    n = 0
    for ticket, cid in ids.items():
        c = cases[ticket]
        for col in ("received_at", "dispatched_at", "first_response_at", "resolved_at"):
            if c.get(col) is not None and rng.random() < 0.5:
                conn.execute(
                    text(f"UPDATE complaint SET {col} = :v WHERE id = :i"),
                    {"v": _text_form(c[col], rng.randrange(6)), "i": cid},
                )
                n += 1
        ev_ids = (
            conn.execute(
                select(schema.complaint_event.c.id)
                .where(schema.complaint_event.c.complaint_id == cid)
                .order_by(schema.complaint_event.c.id)
            )
            .scalars()
            .all()
        )
        for eid, (_, at, _) in zip(ev_ids, c["events"], strict=True):
            if rng.random() < 0.5:
                conn.execute(
                    text("UPDATE complaint_event SET occurred_at = :v WHERE id = :i"),
                    {"v": _text_form(at, rng.randrange(6)), "i": eid},
                )
                n += 1
    return n


@pytest.fixture(scope="module", params=BACKENDS)
def prop_db(request, db_factory):
    engine = make_engine(db_factory.url(request.param), must_exist=False)
    dataset.build(engine)
    cases = random_cases(random.Random(20261202))
    with engine.begin() as conn:
        conn.execute(delete(schema.complaint_event))
        conn.execute(delete(schema.complaint))
        ids = dataset.insert_cases(conn, cases)
        rewritten = rewrite_forms(conn, random.Random(7), ids, cases) if request.param == "sqlite" else 0
    yield engine, cases, rewritten
    engine.dispose()


def test_the_random_cases_cover_what_matters(prop_db):
    engine, cases, rewritten = prop_db
    rules = SlaRules()
    states = {stages_of(c, rules)["sla_state"] for c in cases.values()}
    assert {"met", "late", "ditunda", "on_track", "at_risk", "breached"} <= states
    paused = [c for c in cases.values() if pauses_of(c["events"], c["status"])]
    assert len(paused) > 40
    assert sum(any(e[0] == "dialihkan" for e in c["events"]) for c in cases.values()) > 10
    midnight = [
        c
        for c in cases.values()
        for col in ("received_at", "dispatched_at")
        if c.get(col) and c[col].astimezone(WITA).time() == dt.time()
    ]
    assert len(midnight) > 20
    assert (rewritten > 300) == (engine.dialect.name == "sqlite")
    # the weekend rule is exercised: stages due on Friday 8 January, breached on the Sunday after
    on_sunday = [stages_of(c, rules, SUNDAY.date()) for c in cases.values()]
    due_friday = [s for st in on_sunday for s in (st["dispatch"], st["response"], st["completion"]) if s[2] == -1]
    assert len(due_friday) >= 3


# --- rapor, headline, explorer against the rules -----------------------------------------------------------

REF = {o["code"]: o for o in load_reference().opd}
ID_TO_CODE = {o["id"]: o["code"] for o in REF.values()}


def reported_under(code: str | None, rollup: bool) -> str | None:
    if code is None:
        return None
    succ = REF[code]["successor_id"]
    return ID_TO_CODE[succ] if rollup and succ else code


def expected_rapor(cases, rules, start, end, rollup, now=NOW) -> dict:
    """The rapor by the rules. Fair shares: over the decided stages (done, or open past the deadline); a stage
    within its deadline or postponed is waiting; below ``MIN_DECIDED`` decided stages no share and no grade."""
    rows: dict = {}

    def row(code):
        return rows.setdefault(
            code,
            dict(
                dispatched=0,
                responded=0,
                responded_on_time=0,
                response_decided=0,
                response_waiting=0,
                completed=0,
                completed_on_time=0,
                completion_decided=0,
                completion_waiting=0,
                responses=[],
                open=0,
                breached=0,
                at_risk=0,
                oldest=None,
            ),
        )

    for c in cases.values():
        s = stages_of(c, rules, now.date())
        code = reported_under(c.get("opd"), rollup)
        if in_period(c.get("dispatched_at"), start, end):
            r = row(code)
            r["dispatched"] += 1
            if s["response"][0] in ("met", "late"):
                r["responded"] += 1
                r["responded_on_time"] += s["response"][0] == "met"
                r["responses"].append(s["response"][1])
            if s["completion"][0] in ("met", "late"):
                r["completed"] += 1
                r["completed_on_time"] += s["completion"][0] == "met"
            for stage in ("response", "completion"):
                r[f"{stage}_decided"] += s[stage][0] in ("met", "late", "breached")
                r[f"{stage}_waiting"] += s[stage][0] in ("on_track", "at_risk", "ditunda")
        if c["status"] in OPEN_STATUSES:
            r = row(code)
            r["open"] += 1
            left = s["remaining"]
            if left is not None and left < 0:
                r["breached"] += 1
                r["oldest"] = max(r["oldest"] or 0, s["age"])
            elif left is not None and left <= rules.at_risk_days:
                r["at_risk"] += 1
    out = {}
    for code, r in rows.items():

        def pct(n, decided):
            return float(np.round(100.0 * n / decided, 1)) if decided >= MIN_DECIDED else None

        graded = r["response_decided"] >= MIN_DECIDED
        exact = 100.0 * r["responded_on_time"] / r["response_decided"] if graded else None
        out[code] = dict(
            dispatched=r["dispatched"],
            responded=r["responded"],
            responded_on_time=r["responded_on_time"],
            response_decided=r["response_decided"],
            response_waiting=r["response_waiting"],
            response_on_time_pct=pct(r["responded_on_time"], r["response_decided"]),
            completed=r["completed"],
            completed_on_time=r["completed_on_time"],
            completion_decided=r["completion_decided"],
            completion_waiting=r["completion_waiting"],
            completion_on_time_pct=pct(r["completed_on_time"], r["completion_decided"]),
            median_response_wd=float(statistics.median(r["responses"])) if r["responses"] else None,
            open=r["open"],
            breached=r["breached"],
            at_risk=r["at_risk"],
            oldest_breached_wd=r["oldest"],
            grade=compliance.grade(exact, r["breached"]) if graded else None,
        )
    return out


MIN_DECIDED = 5  # the setting's default (NTBCARE_RAPOR_MIN_DECIDED)


def _clean(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v


PERIODS = [
    (dt.datetime(2026, 3, 1, tzinfo=WITA), dt.datetime(2026, 4, 1, tzinfo=WITA)),
    (dt.datetime(2026, 12, 1, tzinfo=WITA), dt.datetime(2027, 1, 1, tzinfo=WITA)),
    (dt.datetime(2026, 1, 1, tzinfo=WITA), dt.datetime(2027, 1, 1, tzinfo=WITA)),
    (dt.datetime(2025, 12, 15, tzinfo=WITA), dt.datetime(2026, 1, 15, tzinfo=WITA)),
]


@pytest.mark.parametrize(
    "period,rollup,now",
    [(p, r, NOW) for p in PERIODS for r in (True, False)] + [(PERIODS[1], True, SUNDAY), (PERIODS[2], False, SUNDAY)],
    ids=[f"{n}-{r}" for n in ("march", "december", "2026", "new-year") for r in ("rollup", "history")]
    + ["december-sunday", "2026-history-sunday"],
)
def test_every_rapor_figure_matches_the_rules(prop_db, period, rollup, now):
    engine, cases, _ = prop_db
    rules = SlaRules()
    with engine.connect() as conn:
        got = compliance.with_grades(scorecard.opd_scorecard(conn, *period, now, rules, rollup=rollup))
    want = expected_rapor(cases, rules, *period, rollup, now)
    cols = list(next(iter(want.values())))
    got_rows = {_clean(r["opd_code"]): {k: _clean(r[k]) for k in cols} for r in got.to_dict("records")}
    assert got_rows == want
    assert sum(r["dispatched"] for r in want.values()) > 5


@pytest.mark.parametrize("anchor,now", [("dispatched", NOW), ("received", NOW), ("dispatched", SUNDAY)])
def test_every_explorer_sla_count_matches_the_rules(prop_db, anchor, now):
    engine, cases, _ = prop_db
    rules = SlaRules(completion_anchor=anchor)
    want_state = {t: stages_of(c, rules, now.date()) for t, c in cases.items()}
    asks = [(s,) for s in search.SLA_STATES] + [("breached", "at_risk"), ("met", "late"), ("ditunda", "breached")]
    windows = [
        (None, None),
        (dt.datetime(2026, 12, 1, tzinfo=WITA), dt.datetime(2027, 1, 1, tzinfo=WITA)),
        (dt.datetime(2026, 3, 19, tzinfo=WITA), dt.datetime(2026, 3, 25, tzinfo=WITA)),
    ]
    got, want = {}, {}
    with engine.connect() as conn:
        for states in asks:
            for start, end in windows:
                f = search.ComplaintFilter(start=start, end=end, sla_states=states)
                got[(states, start)] = search.count_complaints(conn, f, now, rules)
                want[(states, start)] = sum(
                    1
                    for t, c in cases.items()
                    if want_state[t]["sla_state"] in states and (start is None or start <= c["received_at"] < end)
                )
        page = search.search_complaints(
            conn, search.ComplaintFilter(sla_states=("breached",)), now, rules, page_size=1000
        )
    assert got == want
    overdue = {t: -s["remaining"] for t, s in want_state.items() if s["sla_state"] == "breached"}
    assert dict(zip(page["ticket"], page["overdue_wd"].astype(int), strict=True)) == overdue
    assert want[(("on_track",), None)] > 0 and want[(("at_risk",), None)] > 0


@pytest.mark.parametrize("period", PERIODS[:2], ids=["march", "december"])
def test_headline_period_figures_match_the_rules(prop_db, period):
    engine, cases, _ = prop_db
    rules = SlaRules()
    start, end = period
    with engine.connect() as conn:
        got = headline.period_counts(conn, NOW, rules, start, end)
    states = {t: stages_of(c, rules) for t, c in cases.items()}
    completed = [t for t, c in cases.items() if in_period(c.get("resolved_at"), start, end) and c.get("dispatched_at")]
    responses = [
        states[t]["response"][1]
        for t, c in cases.items()
        if in_period(c.get("first_response_at"), start, end) and c.get("dispatched_at")
    ]
    today = dt.datetime.combine(TODAY, dt.time(), WITA)
    want = {
        "received_today": sum(today <= c["received_at"] <= NOW for c in cases.values()),
        "received_period": sum(in_period(c["received_at"], start, end) for c in cases.values()),
        "completed": len(completed),
        "completed_on_time": sum(states[t]["completion"][0] == "met" for t in completed),
        "median_response_wd": float(statistics.median(responses)) if responses else None,
    }
    assert {k: got[k] for k in want} == want
    assert want["completed"] > 3


@pytest.mark.parametrize("anchor,now", [("dispatched", NOW), ("received", NOW), ("dispatched", SUNDAY)])
def test_the_reference_clock_follows_the_same_rules(anchor, now):
    """``core.sla.reference_complaint_sla`` (the plain-Python clock of the app) on the same random cases."""
    from core.sla import reference_complaint_sla

    rules = SlaRules(completion_anchor=anchor)
    cases = random_cases(random.Random(20261202))
    for ticket, c in cases.items():
        mine = stages_of(c, rules, now.date())
        ref = reference_complaint_sla(
            {**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **c}, rules, now
        )
        assert ref["sla_state"] == mine["sla_state"], ticket
        for stage in ("dispatch", "response", "completion"):
            want = mine[stage][:2] if mine[stage][0] else (None, None)  # no state: nothing to count
            assert (ref[f"{stage}_state"], ref[f"{stage}_elapsed"]) == want, (ticket, stage)
            if mine[stage][0] == "breached":  # late by the working days past the deadline
                assert ref[f"{stage}_late_by"] == -mine[stage][2], (ticket, stage)
