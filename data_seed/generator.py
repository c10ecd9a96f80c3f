"""A realistic, reproducible NTB Care history, generated in chronological chunks of DataFrames.

Volumes follow the domain notes (about 45 to 70 complaints a month, a launch burst in late 2018,
a dip in 2020), channels appear when they did (Facebook fanpage from Dec 2020), complaints are routed
to the OPD that handles the sector (to the successor unit after the 2 Jan 2026 reorganisation), and
delays are long-tailed, with some OPDs chronically late; about 2 % of complaints are postponed (ditunda) for
some days and reopened (dibuka_kembali). The month in progress gets only its share for the days elapsed.
Same seed and end time, same data: every chunk draws from its own random stream (seed, chunk number), so
chunks can be generated in parallel processes and still give the same rows in any order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
        self.seed = seed
        self.next_event_id = 1
        opd_codes = [o["code"] for o in ref.opd]
        self.opd_id = {o["code"]: o["id"] for o in ref.opd}
        late = self.rng.lognormal(0.0, 0.35, len(opd_codes))
        factor = {self.opd_id[c]: CHRONICALLY_LATE.get(c, f) for c, f in zip(opd_codes, late, strict=True)}
        for succ_code, f in CHRONICALLY_LATE.items():
            factor[self.opd_id[succ_code]] = f
        size = max(self.opd_id.values()) + 1  # lookup arrays indexed by OPD id
        self.successor_of = np.arange(size)
        for o in ref.opd:
            if o["successor_id"]:
                self.successor_of[o["id"]] = o["successor_id"]
        self.factor_of = np.ones(size)
        for oid, f in factor.items():
            self.factor_of[oid] = f
        self.active_pool = np.array([o["id"] for o in ref.opd if o["kind"] in ("dinas", "badan", "biro")])
        self.month_year = np.array([s.year for s in starts])
        titles = [(code, t) for code in ref.sector_weight for t in texts.TITLES[code]]
        self._title_templates = [t for _, t in titles]
        self._title_offset = {}
        for k, (code, _) in enumerate(titles):
            self._title_offset.setdefault(code, k)

    def _elapsed_share(self, month_start: dt.datetime) -> float:
        """The share of the month (from its first day 00:00 WITA) that lies before ``until``."""
        nxt = dt.datetime(month_start.year + (month_start.month == 12), month_start.month % 12 + 1, 1, tzinfo=dt.UTC)
        begin = month_start - dt.timedelta(seconds=WITA_OFFSET)
        return min(1.0, max(0.0, (self.until - begin) / (nxt - month_start)))

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def plan(self, max_rows: int = 100_000) -> list[tuple[int, int]]:
        """Chunks as ranges of whole months [i, j) of at most ``max_rows`` complaints (one month may exceed it)."""
        out, i = [], 0
        while i < len(self.starts):
            j, rows = i, 0
            while j < len(self.starts) and (rows == 0 or rows + self.counts[j] <= max_rows):
                rows += self.counts[j]
                j += 1
            if rows:
                out.append((i, j))
            i = j
        return out

    def chunks(self, max_rows: int = 100_000) -> Iterator[Chunk]:
        for number, (i, j) in enumerate(self.plan(max_rows)):
            chunk = self.chunk(number, i, j)
            chunk.events.insert(0, "id", np.arange(self.next_event_id, self.next_event_id + len(chunk.events)))
            self.next_event_id += len(chunk.events)
            yield chunk

    def chunk(self, number: int, i: int, j: int) -> Chunk:
        """Chunk ``number`` of the plan (months i to j), events without ids (given in load order)."""
        return self._chunk(np.random.default_rng([self.seed, number]), i, j)

    # -- one chunk -------------------------------------------------------------------------------
    def _chunk(self, rng: np.random.Generator, i: int, j: int) -> Chunk:
        ref = self.ref
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
        opd_first = np.where(after_reorg, self.successor_of[opd_first], opd_first)

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
        opd_second = np.where(after_reorg, self.successor_of[opd_second], opd_second)
        opd_final = np.where(redispatch, opd_second, opd_first)
        factor = self.factor_of[opd_final]
        d_redis = rng.lognormal(np.log(30 * 3600), 0.8, n)
        d_resp = rng.lognormal(np.log(2.5 * 86400), 1.1, n) * factor * np.where(urgent, 0.3, 1.0)
        d_resp = np.clip(d_resp, 1800, 120 * 86400)
        med = np.select([cls == c for c in COMPLETION_MEDIAN_DAYS], list(COMPLETION_MEDIAN_DAYS.values())) * 86400
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

        ids = self.first_id[i] + np.arange(n)
        tickets = self._tickets(i, j, counts)
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
        n_opts = np.array([len(texts.TITLES[c]) for c in sector_codes])[sec]
        title_tpl = np.array([self._title_offset[c] for c in sector_codes])[sec] + (tpl * n_opts).astype(np.int64)
        titles = _format_pairs(self._title_templates, title_tpl, kec_names, kec)
        openers = _format_pairs(texts.BODY_OPENERS, t_open, kec_names, kec)
        details = pa.array(texts.BODY_DETAILS)
        bodies = pc.binary_join_element_wise(
            openers,
            pc.binary_join_element_wise(titles, ".", ""),
            details.take(t_det),
            details.take(t_det2),
            pa.array(texts.BODY_CLOSERS).take(t_close),
            " ",
        )
        fn = pa.array(texts.FIRST_NAMES).take(rng.integers(0, len(texts.FIRST_NAMES), n))
        ln = pa.array(texts.LAST_NAMES).take(rng.integers(0, len(texts.LAST_NAMES), n))
        phone_prefix = pa.array(["0812", "0813", "0817", "0819", "0852", "0853", "0878"]).take(rng.integers(0, 7, n))
        phone_num = pc.cast(pa.array(rng.integers(10_000_000, 99_999_999, n)), pa.string())

        def as_ts(a):
            return pd.to_datetime(np.floor(a), unit="s", utc=True)

        complaints = pd.DataFrame(
            {
                "id": ids,
                "ticket": tickets,
                "title": _strings(titles),
                "body": _strings(bodies),
                "reporter_name": _strings(pc.binary_join_element_wise(fn, ln, " ")),
                "reporter_contact": _strings(pc.binary_join_element_wise(phone_prefix, phone_num, "")),
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
        return ev.reset_index(drop=True)

    @property
    def first_id(self) -> np.ndarray:
        """The id of the first complaint of each month (ids follow the months, 1 upwards)."""
        return np.concatenate([[1], 1 + np.cumsum(self.counts)])

    def _tickets(self, i: int, j: int, counts: np.ndarray) -> pa.Array:
        """NTB-<year>-<number>: numbered per year (the WITA year of receipt) in order of receipt."""
        years = self.month_year[i:j]
        before = np.array([self.counts[:i][self.month_year[:i] == y].sum() for y in years])
        within = np.array([counts[:k][years[:k] == y].sum() for k, y in enumerate(years)])
        first = np.repeat(before + within + 1, counts)  # months of one chunk are in order: numbers follow
        month_first = np.repeat(np.cumsum(counts) - counts, counts)
        seq = first + np.arange(int(counts.sum())) - month_first
        year_txt = pc.cast(pa.array(np.repeat(years, counts)), pa.string())
        number = pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), width=6, padding="0")
        return pc.binary_join_element_wise("NTB-", year_txt, "-", number, "")

    def _kecamatan(self) -> tuple[list[str], np.ndarray]:
        """Kecamatan names and the region id each belongs to (titles name a place in the right region)."""
        if not hasattr(self, "_kec"):
            names, regions = kecamatan_table(self.ref)
            self._kec = (names, np.array(regions, dtype=np.int64))
        return self._kec


def _format_pairs(templates: list[str], which: np.ndarray, places: list[str], place: np.ndarray) -> pa.Array:
    """templates[which].format(kec=places[place]) for every row, formatting each distinct pair once."""
    key = which.astype(np.int64) * len(places) + place
    distinct, inverse = np.unique(key, return_inverse=True)
    text = [templates[int(k) // len(places)].format(kec=places[int(k) % len(places)]) for k in distinct]
    return pa.array(text, pa.string()).take(pa.array(inverse.ravel()))


def _strings(arr: pa.Array) -> pd.Series:
    return pd.Series(arr.to_pandas(types_mapper=None), dtype="str")
