"""A realistic, reproducible NTB Care history, generated in chronological chunks of DataFrames.

Volumes follow the domain notes (about 45 to 70 complaints a month, a launch burst in late 2018,
a dip in 2020), channels appear when they did (Facebook fanpage from Dec 2020), complaints are routed
to the OPD that handles the sector (to the successor unit after the 2 Jan 2026 reorganisation), and
delays are long-tailed, with some OPDs chronically late; about 2 % of complaints are postponed (ditunda) for
some days and reopened (dibuka_kembali). The month in progress gets only its share for the days elapsed.
Same seed and end time, same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_seed import texts
from data_seed.reference import REORG_DAY, Reference, kecamatan_table

START = dt.datetime(2018, 10, 16, tzinfo=dt.UTC)
WITA_OFFSET = 8 * 3600
CHRONICALLY_LATE = {"D03": 3.0, "D21": 2.6, "D05": 2.2, "D09": 1.8, "N02": 2.8, "D24": 2.0}
CLASSES = np.array(["pengaduan", "aspirasi", "informasi", "pengaduan_pengawasan"])
CLASS_P = np.array([0.62, 0.20, 0.12, 0.06])
COMPLETION_MEDIAN_DAYS = {"pengaduan": 8.0, "aspirasi": 3.0, "informasi": 2.0, "pengaduan_pengawasan": 35.0}
ARCHIVE_NOTES = [
    "Bukan kewenangan Pemprov NTB",
    "Laporan tidak lengkap",
    "Duplikat laporan sebelumnya",
    "Diteruskan ke pemerintah kabupaten/kota",
]
HOUR_WEIGHTS = np.array([1, 1, 1, 1, 2, 4, 6, 9, 12, 13, 13, 12, 10, 11, 12, 11, 10, 9, 9, 10, 10, 8, 5, 2], float)


def monthly_weight(year: int, month: int) -> float:
    """Expected complaints in a month of real NTB Care (domain README)."""
    ym = year * 12 + month
    if ym <= 2019 * 12 + 2:
        return 70.0
    if year == 2019:
        return 60.0
    if year == 2020:
        return 32.0
    if year in (2021, 2022):
        return 40.0
    return 55.0 + (year - 2023) * 4.0


def month_starts(until: dt.datetime) -> list[dt.datetime]:
    out, cur = [], dt.datetime(START.year, START.month, 1, tzinfo=dt.UTC)
    while cur <= until:
        out.append(cur)
        cur = dt.datetime(cur.year + (cur.month == 12), cur.month % 12 + 1, 1, tzinfo=dt.UTC)
    return out


@dataclass
class Chunk:
    complaints: pd.DataFrame
    events: pd.DataFrame


class Generator:
    """Yields chronological chunks; ids and per-year ticket numbers continue across chunks."""

    def __init__(self, ref: Reference, seed: int = 42, until: dt.datetime | None = None, complaints: int | None = None):
        self.ref = ref
        self.rng = np.random.default_rng(seed)
        self.until = (until or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        starts = month_starts(self.until)
        weights = np.array([monthly_weight(s.year, s.month) for s in starts])
        weights[0] *= 16 / 31  # launched on 16 Oct 2018
        weights[-1] *= self._elapsed_share(starts[-1])  # the month in progress gets only its days so far
        if complaints is None:
            self.counts = self.rng.poisson(weights)
        else:
            self.counts = self.rng.multinomial(int(complaints), weights / weights.sum())
        self.starts = starts
        self.next_id = 1
        self.next_event_id = 1
        self.ticket_seq: dict[int, int] = {}
        opd_codes = [o["code"] for o in ref.opd]
        self.opd_id = {o["code"]: o["id"] for o in ref.opd}
        self.successor = {o["id"]: o["successor_id"] for o in ref.opd}
        late = self.rng.lognormal(0.0, 0.35, len(opd_codes))
        self.opd_factor = {self.opd_id[c]: CHRONICALLY_LATE.get(c, f) for c, f in zip(opd_codes, late)}
        for succ_code, factor in CHRONICALLY_LATE.items():
            self.opd_factor[self.opd_id[succ_code]] = factor
        self.active_pool = np.array([o["id"] for o in ref.opd if o["kind"] in ("dinas", "badan", "biro")])

    def _elapsed_share(self, month_start: dt.datetime) -> float:
        """The share of the month (from its first day 00:00 WITA) that lies before ``until``."""
        nxt = dt.datetime(month_start.year + (month_start.month == 12), month_start.month % 12 + 1, 1, tzinfo=dt.UTC)
        begin = month_start - dt.timedelta(seconds=WITA_OFFSET)
        return min(1.0, max(0.0, (self.until - begin) / (nxt - month_start)))

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def chunks(self, max_rows: int = 100_000) -> Iterator[Chunk]:
        i = 0
        while i < len(self.starts):
            j, rows = i, 0
            while j < len(self.starts) and (rows == 0 or rows + self.counts[j] <= max_rows):
                rows += self.counts[j]
                j += 1
            if rows:
                yield self._chunk(i, j)
            i = j

    # -- one chunk -------------------------------------------------------------------------------
    def _chunk(self, i: int, j: int) -> Chunk:
        rng, ref = self.rng, self.ref
        counts = self.counts[i:j]
        n = int(counts.sum())
        until_s = int(self.until.timestamp())
        first_s = int(START.timestamp())
        month_s = np.maximum(np.array([int(s.timestamp()) for s in self.starts[i:j]]), first_s)
        next_s = np.array(
            [int(s.timestamp()) for s in self.starts[i + 1 : j + 1]] + ([] if j < len(self.starts) else [until_s])
        )
        if len(next_s) < len(month_s):
            next_s = np.append(next_s, until_s)
        m_idx = np.repeat(np.arange(len(counts)), counts)
        days = (next_s - month_s) // 86400
        if j == len(self.starts):  # the month in progress: the days begun so far (WITA)
            days[-1] = max(1, -(-(until_s - month_s[-1] + WITA_OFFSET) // 86400))

        def draw(k: int, months: np.ndarray) -> np.ndarray:
            day = (rng.random(k) * days[months]).astype(np.int64)
            hour = rng.choice(24, k, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
            secs = rng.integers(0, 3600, k)
            return month_s[months] + day * 86400 + hour * 3600 + secs - WITA_OFFSET

        ts = draw(n, m_idx)
        for _ in range(200):  # a time after `until` (only in today's remaining hours) is drawn again, never
            late = np.flatnonzero(ts > until_s - 60)  # piled up on the last minute
            if not len(late):
                break
            ts[late] = draw(len(late), m_idx[late])
        ts = np.clip(ts, first_s, until_s - 60)
        ts.sort()
        received = pd.to_datetime(ts, unit="s", utc=True)

        sector_codes = np.array(list(ref.sector_weight))
        sw = np.array(list(ref.sector_weight.values()))
        sec = rng.choice(len(sector_codes), n, p=sw / sw.sum())
        sector_code = sector_codes[sec]
        sector_id = np.array([ref.id_of("sector", c) for c in sector_codes])[sec]

        ch_codes = list(ref.channel_weight)
        ch_w = np.array([ref.channel_weight[c] for c in ch_codes])
        ch_from = np.array(
            [int(dt.datetime.combine(ref.channel_from[c], dt.time(), dt.UTC).timestamp()) for c in ch_codes]
        )
        avail = ts[:, None] >= ch_from[None, :]
        p = avail * ch_w[None, :]
        p = p / p.sum(axis=1, keepdims=True)
        ch = (p.cumsum(axis=1) > rng.random(n)[:, None]).argmax(axis=1)
        channel_id = np.array([ref.id_of("channel", c) for c in ch_codes])[ch]

        pop = np.array([r["population"] for r in ref.region], float)
        region_id = np.array([r["id"] for r in ref.region])[rng.choice(len(pop), n, p=pop / pop.sum())]
        region_null = rng.random(n) < 0.02

        cls = CLASSES[rng.choice(len(CLASSES), n, p=CLASS_P)]
        cls[sector_code == "pungli"] = "pengaduan_pengawasan"
        urgent_p = np.where(np.isin(sector_code, ["bencana", "kesehatan"]), 0.30, 0.06)
        u = rng.random(n)
        priority = np.where(u < urgent_p, "mendesak", np.where(u < urgent_p + 0.30, "penting", "biasa"))

        opd_first = np.empty(n, dtype=np.int64)
        for k, code in enumerate(sector_codes):
            mask = sec == k
            if mask.any():
                ids = np.array([self.opd_id[c] for c in ref.sector_opd_codes[code]])
                opd_first[mask] = ids[rng.integers(0, len(ids), mask.sum())]
        after_reorg = ts >= int(dt.datetime.combine(REORG_DAY, dt.time(), dt.UTC).timestamp()) - WITA_OFFSET
        succ = np.array([self.successor.get(o) or o for o in opd_first])
        opd_first = np.where(after_reorg, succ, opd_first)

        # lifecycle, in seconds after receipt
        urgent = priority == "mendesak"
        archived = rng.random(n) < 0.07
        recent = ts > until_s - 90 * 86400
        paused = (~archived) & recent & (rng.random(n) < 0.03)
        stuck = (~archived) & (~paused) & (ts > until_s - 730 * 86400) & (rng.random(n) < 0.02)
        redispatch = (~archived) & (rng.random(n) < 0.05)
        d_disp = rng.lognormal(np.log(18 * 3600), 1.0, n) * np.where(urgent, 0.2, 1.0)
        d_disp = np.clip(d_disp, 600, 30 * 86400)
        opd_second = self.active_pool[rng.integers(0, len(self.active_pool), n)]
        opd_second = np.where(after_reorg, np.array([self.successor.get(o) or o for o in opd_second]), opd_second)
        opd_final = np.where(redispatch, opd_second, opd_first)
        factor = np.array([self.opd_factor.get(o, 1.0) for o in opd_final])
        d_redis = rng.lognormal(np.log(30 * 3600), 0.8, n)
        d_resp = rng.lognormal(np.log(2.5 * 86400), 1.1, n) * factor * np.where(urgent, 0.3, 1.0)
        d_resp = np.clip(d_resp, 1800, 120 * 86400)
        med = np.array([COMPLETION_MEDIAN_DAYS[c] for c in cls]) * 86400
        d_done = np.clip(rng.lognormal(np.log(med), 0.9), 3600, 200 * 86400)

        # postponed for a while (waiting for the reporter), then reopened (dibuka_kembali): the clock stops
        held = (~archived) & (~paused) & (rng.random(n) < 0.02)
        t_hold = ts + d_disp + rng.lognormal(np.log(86400), 0.6, n)
        t_reopen = t_hold + rng.lognormal(np.log(6 * 86400), 0.7, n)

        t_disp = ts + d_disp
        t_redis = t_disp + d_redis
        t_resp = np.where(redispatch, t_redis, t_disp) + d_resp
        t_resp = np.where(held, np.maximum(t_resp + (t_reopen - t_hold), t_reopen + 3600), t_resp)
        t_done = t_resp + d_done
        t_pause = t_disp + rng.lognormal(np.log(2 * 86400), 0.6, n)

        def cut(t, keep):
            return np.where(keep & (t <= until_s), t, np.nan)

        disp = cut(t_disp, ~archived)
        arch = cut(t_disp, archived)
        redis = cut(t_redis, redispatch & ~np.isnan(disp))
        pause = cut(t_pause, paused & ~np.isnan(disp))
        hold = cut(t_hold, held & ~np.isnan(disp))
        reopen = cut(t_reopen, ~np.isnan(hold))
        resp = cut(t_resp, ~paused & ~stuck & ~np.isnan(disp))
        done = cut(t_done, ~np.isnan(resp))
        # before the re-dispatch happened the complaint sits with the first OPD
        opd_now = np.where(redispatch & np.isnan(redis), opd_first, opd_final)
        status = np.full(n, "diterima", dtype=object)
        status[~np.isnan(disp)] = "terdisposisi"
        status[~np.isnan(pause) | (~np.isnan(hold) & np.isnan(reopen))] = "ditunda"
        status[~np.isnan(resp)] = "diproses"
        status[~np.isnan(done)] = "selesai"
        status[~np.isnan(arch)] = "diarsipkan"
        has_opd = ~np.isnan(disp)
        updated = np.nanmax(np.vstack([ts.astype(float), disp, arch, redis, pause, hold, reopen, resp, done]), axis=0)

        ids = np.arange(self.next_id, self.next_id + n)
        self.next_id += n
        years = received.year.to_numpy()
        tickets = np.empty(n, dtype=object)
        for k in range(n):
            y = int(years[k])
            self.ticket_seq[y] = self.ticket_seq.get(y, 0) + 1
            tickets[k] = f"NTB-{y}-{self.ticket_seq[y]:06d}"

        kec_names, kec_region = self._kecamatan()
        kec = np.empty(n, dtype=np.int64)
        for rid in np.unique(region_id):
            mask = region_id == rid
            pool = np.flatnonzero(kec_region == rid)
            kec[mask] = pool[rng.integers(0, len(pool), mask.sum())]
        tpl = rng.random(n)
        t_open, t_det, t_det2, t_close = (
            rng.integers(0, len(x), n)
            for x in (texts.BODY_OPENERS, texts.BODY_DETAILS, texts.BODY_DETAILS, texts.BODY_CLOSERS)
        )
        titles, bodies = [], []
        for k in range(n):
            opts = texts.TITLES[sector_code[k]]
            place = kec_names[kec[k]]
            titles.append(opts[int(tpl[k] * len(opts))].format(kec=place))
            bodies.append(
                " ".join(
                    (
                        texts.BODY_OPENERS[t_open[k]].format(kec=place),
                        titles[-1] + ".",
                        texts.BODY_DETAILS[t_det[k]],
                        texts.BODY_DETAILS[t_det2[k]],
                        texts.BODY_CLOSERS[t_close[k]],
                    )
                )
            )
        fn = np.array(texts.FIRST_NAMES)[rng.integers(0, len(texts.FIRST_NAMES), n)]
        ln = np.array(texts.LAST_NAMES)[rng.integers(0, len(texts.LAST_NAMES), n)]
        phone_prefix = np.array(["0812", "0813", "0817", "0819", "0852", "0853", "0878"])[rng.integers(0, 7, n)]
        phone_num = rng.integers(10_000_000, 99_999_999, n)

        def as_ts(a):
            return pd.to_datetime(np.floor(a), unit="s", utc=True)

        complaints = pd.DataFrame(
            {
                "id": ids,
                "ticket": tickets,
                "title": titles,
                "body": bodies,
                "reporter_name": [f"{a} {b}" for a, b in zip(fn, ln)],
                "reporter_contact": [f"{a}{b}" for a, b in zip(phone_prefix, phone_num)],
                "channel_id": channel_id,
                "sector_id": sector_id,
                "region_id": pd.Series(region_id, dtype="Int64").mask(region_null),
                "opd_id": pd.Series(opd_now, dtype="Int64").mask(~has_opd),
                "classification": cls,
                "priority": priority,
                "status": status,
                "received_at": received,
                "dispatched_at": as_ts(disp),
                "first_response_at": as_ts(resp),
                "resolved_at": as_ts(done),
                "updated_at": as_ts(updated),
            }
        )
        events = self._events(ids, ts, disp, arch, redis, pause, resp, done, opd_first, opd_now, rng, hold, reopen)
        return Chunk(complaints, events)

    def _events(
        self, ids, ts, disp, arch, redis, pause, resp, done, opd_first, opd_now, rng, hold, reopen
    ) -> pd.DataFrame:
        parts = []

        def add(mask, t, kind, opd, actor, notes):
            if not mask.any():
                return
            note = np.array(notes, dtype=object)[rng.integers(0, len(notes), mask.sum())] if notes else None
            parts.append(
                pd.DataFrame(
                    {
                        "complaint_id": ids[mask],
                        "occurred_at": t[mask],
                        "kind": kind,
                        "opd_id": opd[mask] if opd is not None else None,
                        "actor": actor,
                        "note": note,
                    }
                )
            )

        all_ = np.ones(len(ids), bool)
        add(all_, ts.astype(float), "diterima", None, "sistem", None)
        add(~np.isnan(arch), arch, "diarsipkan", None, "admin NTB Care", ARCHIVE_NOTES)
        add(~np.isnan(disp), disp, "didisposisikan", opd_first, "admin NTB Care", None)
        add(~np.isnan(redis), redis, "dialihkan", opd_now, "admin NTB Care", ["Dialihkan ke OPD yang berwenang"])
        add(~np.isnan(pause), pause, "ditunda", opd_now, "admin OPD", ["Menunggu kelengkapan data dari pelapor"])
        add(~np.isnan(hold), hold, "ditunda", opd_now, "admin OPD", ["Menunggu kelengkapan data dari pelapor"])
        add(~np.isnan(reopen), reopen, "dibuka_kembali", opd_now, "admin OPD", ["Data dari pelapor sudah lengkap"])
        add(~np.isnan(resp), resp, "ditanggapi", opd_now, "admin OPD", texts.OPD_RESPONSES)
        add(~np.isnan(done), done, "diselesaikan", opd_now, "admin OPD", texts.OPD_RESOLUTIONS)
        ev = pd.concat(parts, ignore_index=True).sort_values(["occurred_at", "complaint_id"], kind="stable")
        ev["occurred_at"] = pd.to_datetime(np.floor(ev["occurred_at"].astype(float)), unit="s", utc=True)
        ev["opd_id"] = pd.array(ev["opd_id"], dtype="Int64")
        ev.insert(0, "id", np.arange(self.next_event_id, self.next_event_id + len(ev)))
        self.next_event_id += len(ev)
        return ev.reset_index(drop=True)

    def _kecamatan(self) -> tuple[list[str], np.ndarray]:
        """Kecamatan names and the region id each belongs to (titles name a place in the right region)."""
        if not hasattr(self, "_kec"):
            names, regions = kecamatan_table(self.ref)
            self._kec = (names, np.array(regions, dtype=np.int64))
        return self._kec
