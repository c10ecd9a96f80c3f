"""The live simulator: new complaints arrive and open ones move through their lifecycle, in real time.

Writes only through the contract's columns (as the NTB Care application would), and only to a database
that `python -m data_seed init` created.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time

import numpy as np
from sqlalchemy import func, insert, select, update

from core.engine import make_engine, redact
from data_seed import texts
from data_seed.load import SeedError, created_by_seed
from data_seed.reference import REORG_DAY, kecamatan_table, load_reference
from queries import schema

C, E = schema.complaint, schema.complaint_event
TICK_S = 1.0
# NTB Care receives 45 to 70 complaints a month (domain notes): 60 a month is this many a minute.
REAL_RATE_PER_MINUTE = 60 / (30.4 * 24 * 60)
# A demo should move at once: the first BURST_COMPLAINTS arrive at BURST_RATE_PER_MINUTE, then the real rate,
# so the period figures stay plausible however long the demo runs (about 2 more complaints a day).
BURST_COMPLAINTS = 10
BURST_RATE_PER_MINUTE = 2.0


class Simulator:
    """One tick = one second of NTB Care: Poisson arrivals and lifecycle steps of recent open complaints."""

    def __init__(self, engine, rate_per_minute: float, seed: int | None):
        self.engine = engine
        self.rate = max(0.0, rate_per_minute)
        self.rng = np.random.default_rng(seed)
        self.ref = load_reference()
        with engine.connect() as conn:
            self.ids = {
                t: dict(conn.execute(select(getattr(schema, t).c.code, getattr(schema, t).c.id)).all())
                for t in ("opd", "sector", "channel", "region")
            }
            self.successor = dict(conn.execute(select(schema.opd.c.id, schema.opd.c.successor_id)).all())
        names, region_ids = kecamatan_table(self.ref)
        code_of = {r["id"]: r["code"] for r in self.ref.region}
        self.kec: dict[str, list[str]] = {}
        for name, rid in zip(names, region_ids, strict=True):
            self.kec.setdefault(code_of[rid], []).append(name)

    def _route(self, sector_code: str, now: dt.datetime) -> int | None:
        codes = self.ref.sector_opd_codes[sector_code]
        opd_id = self.ids["opd"].get(codes[int(self.rng.integers(0, len(codes)))])
        if opd_id and now.date() >= REORG_DAY:
            opd_id = self.successor.get(opd_id) or opd_id
        return opd_id

    def _next_ticket(self, conn, year: int) -> str:
        prefix = f"NTB-{year}-"
        last = conn.execute(select(func.max(C.c.ticket)).where(C.c.ticket.like(prefix + "%"))).scalar()
        seq = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
        return f"{prefix}{seq:06d}"

    def new_complaint(self, conn, now: dt.datetime) -> str:
        rng = self.rng
        sectors = list(self.ref.sector_weight)
        w = np.array([self.ref.sector_weight[s] for s in sectors])
        sector = sectors[int(rng.choice(len(sectors), p=w / w.sum()))]
        channels = [c for c in self.ref.channel_weight if self.ref.channel_from[c] <= now.date()]
        cw = np.array([self.ref.channel_weight[c] for c in channels])
        channel = channels[int(rng.choice(len(channels), p=cw / cw.sum()))]
        pop = np.array([r["population"] for r in self.ref.region], float)
        region = self.ref.region[int(rng.choice(len(pop), p=pop / pop.sum()))]["code"]
        places = self.kec[region]
        place = places[int(rng.integers(0, len(places)))]
        options = texts.TITLES[sector]
        title = options[int(rng.integers(0, len(options)))].format(kec=place)
        body = " ".join(
            [
                texts.BODY_OPENERS[int(rng.integers(0, len(texts.BODY_OPENERS)))].format(kec=place),
                title + ".",
                texts.BODY_DETAILS[int(rng.integers(0, len(texts.BODY_DETAILS)))],
                texts.BODY_CLOSERS[int(rng.integers(0, len(texts.BODY_CLOSERS)))],
            ]
        )
        u = rng.random()
        priority = "mendesak" if u < 0.08 else "penting" if u < 0.38 else "biasa"
        cls = (
            "pengaduan_pengawasan"
            if sector == "pungli"
            else str(
                rng.choice(["pengaduan", "aspirasi", "informasi", "pengaduan_pengawasan"], p=[0.62, 0.2, 0.12, 0.06])
            )
        )
        ticket = self._next_ticket(conn, now.year)
        name = f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"
        cid = conn.execute(
            insert(C)
            .values(
                ticket=ticket,
                title=title,
                body=body,
                reporter_name=name,
                reporter_contact=f"0812{int(rng.integers(10_000_000, 99_999_999))}",
                channel_id=self.ids["channel"][channel],
                sector_id=self.ids["sector"][sector],
                region_id=self.ids["region"][region],
                opd_id=None,
                classification=cls,
                priority=priority,
                status="diterima",
                received_at=now,
                updated_at=now,
            )
            .returning(C.c.id)
        ).scalar_one()
        conn.execute(insert(E).values(complaint_id=cid, occurred_at=now, kind="diterima", actor="sistem"))
        return ticket

    def advance(self, conn, now: dt.datetime, per_tick: float) -> int:
        """Move a few of the most recent open complaints one step: dispatch, respond, complete."""
        moved = 0
        steps = (
            ("diterima", "terdisposisi", "dispatched_at", "didisposisikan"),
            ("terdisposisi", "diproses", "first_response_at", "ditanggapi"),
            ("diproses", "selesai", "resolved_at", "diselesaikan"),
        )
        for status, new_status, col, kind in steps:
            for _ in range(int(self.rng.poisson(per_tick))):
                row = conn.execute(
                    select(C.c.id, C.c.sector_id, C.c.opd_id)
                    .where(C.c.status == status)
                    .order_by(C.c.received_at.desc())
                    .limit(40)
                ).all()
                if not row:
                    break
                cid, sector_id, opd_id = row[int(self.rng.integers(0, len(row)))]
                values = {"status": new_status, col: now, "updated_at": now}
                if kind == "didisposisikan":
                    code = next((c for c, i in self.ids["sector"].items() if i == sector_id), None)
                    opd_id = self._route(code, now) if code else None
                    values["opd_id"] = opd_id
                conn.execute(update(C).where(C.c.id == cid, C.c.status == status).values(**values))
                conn.execute(
                    insert(E).values(
                        complaint_id=cid,
                        occurred_at=now,
                        kind=kind,
                        opd_id=opd_id,
                        actor="admin OPD" if kind != "didisposisikan" else "admin NTB Care",
                    )
                )
                moved += 1
        return moved


def rate_now(rate: float, burst: int, new_so_far: int) -> float:
    """New complaints per minute: at least the burst rate until ``burst`` complaints arrived, then ``rate``."""
    return max(rate, BURST_RATE_PER_MINUTE) if new_so_far < burst else rate


def run_live(
    url: str,
    rate: float = REAL_RATE_PER_MINUTE,
    seed: int | None = None,
    duration: float | None = None,
    burst: int = BURST_COMPLAINTS,
) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        if not created_by_seed(conn):
            raise SeedError(f"{redact(url)} tidak dibuat oleh 'python -m data_seed init'; simulator menolak menulis.")
    sim = Simulator(engine, rate, seed)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    print(
        f"Simulator berjalan di {redact(url)}: {burst} aduan pertama ~{max(rate, BURST_RATE_PER_MINUTE):g} per "
        f"menit, lalu ~{rate * 60 * 24:.1f} per hari. Ctrl+C untuk berhenti.",
        file=sys.stderr,
    )
    started = time.monotonic()
    new_total = moved_total = 0
    while not stop["now"] and (duration is None or time.monotonic() - started < duration):
        tick = time.monotonic()
        now = dt.datetime.now(dt.UTC)
        per_minute = rate_now(sim.rate, burst, new_total)
        with engine.begin() as conn:
            for _ in range(int(sim.rng.poisson(per_minute * TICK_S / 60.0))):
                sim.new_complaint(conn, now)
                new_total += 1
            moved_total += sim.advance(conn, now, per_tick=per_minute * TICK_S / 60.0 * 0.9)
        time.sleep(max(0.0, TICK_S - (time.monotonic() - tick)))
    print(f"Simulator berhenti: {new_total} aduan baru, {moved_total} perubahan status.", file=sys.stderr)
    engine.dispose()
    return 0
