"""The explorer's filters as URL query parameters, both ways, and drill-down links (no Streamlit here).

Every view of the explorer is a link: ``aduan?sektor=infrastruktur&dari=2026-03-01&sampai=2026-03-31``.
The wall, ``kepatuhan`` and ``ringkasan`` build their drill-down links with ``explorer_link`` so that a click
on a bar opens exactly the complaints behind it.

Parameters (lists are comma-separated; ``-`` stands for "none", e.g. complaints without an OPD):

========== =====================================================================================
dari       first day received (YYYY-MM-DD, WITA, inclusive)
sampai     last day received (YYYY-MM-DD, WITA, inclusive)
status     complaint statuses (diterima, terdisposisi, ...) or ``terbuka`` for every open status
opd        OPD codes (merged units under their successor unless ``historis=1``)
sektor     sector codes;  kanal: channel codes;  wilayah: BPS region codes
prioritas  priorities;  klasifikasi: classifications
sla        SLA states: on_track, at_risk, breached, ditunda, met, late
q          text in title or body (at most 100 characters)
urut       sort key (received_at, ticket, status, opd, sector, region); ``arah``: naik | turun
hal        page number (1-based)
========== =====================================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from core import links
from core.codes import CLASSIFICATIONS, OPEN_STATUSES, PRIORITIES, STATUSES
from core.timefmt import wita_midnight
from dashboard.params import Reader
from queries.search import MAX_TEXT, SLA_STATES, SORTABLE, ComplaintFilter

NONE_CODE = "-"
OPEN_ALIAS = "terbuka"
PAGE_PATH = links.COMPLAINT_PAGE
HAL_MAX = 1_000_000  # pages of 50: far beyond any list; a larger number is noted and page 1 shown
LIST_PARAMS = ("status", "opd", "sektor", "kanal", "wilayah", "prioritas", "klasifikasi", "sla")
DATES = "dari-sampai"  # the two days of receipt, removed together


@dataclass(frozen=True)
class Lookups:
    """Valid codes: OPD code -> (id it is reported under, short name); sector/channel/region code -> name."""

    opd: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    opd_own: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # historical view: each unit itself
    sektor: Mapping[str, str] = field(default_factory=dict)
    kanal: Mapping[str, str] = field(default_factory=dict)
    wilayah: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> Lookups:
        """From ``queries.lookup.reference_codes``: kind, code, name, id, eff_id, eff_name."""
        by = {k: g for k, g in df.groupby("kind")} if len(df) else {}
        opd = by.get("opd", pd.DataFrame(columns=["code", "name", "id", "eff_id", "eff_name", "current"]))

        def names(kind):
            g = by.get(kind)
            return {} if g is None else dict(zip(g["code"], g["name"], strict=True))

        return cls(
            opd={c: (int(e), n) for c, e, n in zip(opd["code"], opd["eff_id"], opd["eff_name"], strict=True)},
            opd_own={c: (int(i), n) for c, i, n in zip(opd["code"], opd["id"], opd["name"], strict=True)},
            sektor=names("sector"),
            kanal=names("channel"),
            wilayah=names("region"),
        )


@dataclass(frozen=True)
class Selection:
    """What the explorer shows, in URL terms (codes as strings)."""

    dari: dt.date | None = None
    sampai: dt.date | None = None
    status: tuple[str, ...] = ()
    opd: tuple[str, ...] = ()
    sektor: tuple[str, ...] = ()
    kanal: tuple[str, ...] = ()
    wilayah: tuple[str, ...] = ()
    prioritas: tuple[str, ...] = ()
    klasifikasi: tuple[str, ...] = ()
    sla: tuple[str, ...] = ()
    q: str = ""
    historis: bool = False
    urut: str = "received_at"
    naik: bool = False
    hal: int = 1

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[dari 00:00 WITA, day after sampai 00:00 WITA) in UTC, either side open when not set."""
        start = wita_midnight(self.dari) if self.dari else None
        end = wita_midnight(self.sampai + dt.timedelta(days=1)) if self.sampai else None
        return start, end

    def to_filter(self, lookups: Lookups) -> ComplaintFilter:
        start, end = self.bounds()
        table = lookups.opd_own if self.historis else lookups.opd
        opd_ids = tuple(
            dict.fromkeys(None if c == NONE_CODE else table[c][0] for c in self.opd if c == NONE_CODE or c in table)
        )

        def codes(values):
            return tuple(None if v == NONE_CODE else v for v in values)

        return ComplaintFilter(
            start=start,
            end=end,
            statuses=self.status,
            opd_ids=opd_ids,
            sectors=codes(self.sektor),
            channels=codes(self.kanal),
            regions=codes(self.wilayah),
            priorities=self.prioritas,
            classifications=self.klasifikasi,
            sla_states=self.sla,
            text=self.q,
            rollup=not self.historis,
        )

    def to_params(self) -> dict[str, str]:
        """The URL query parameters of this selection (defaults left out)."""
        out: dict[str, str] = {}
        if self.dari:
            out["dari"] = self.dari.isoformat()
        if self.sampai:
            out["sampai"] = self.sampai.isoformat()
        for name in LIST_PARAMS:
            values = getattr(self, name)
            if values:
                out[name] = ",".join(values)
        if self.q:
            out["q"] = self.q
        if self.historis:
            out["historis"] = "1"
        if self.urut != "received_at":
            out["urut"] = self.urut
        if self.naik:
            out["arah"] = "naik"
        if self.hal > 1:
            out["hal"] = str(self.hal)
        return out

    def with_page(self, hal: int) -> Selection:
        return replace(self, hal=max(1, int(hal)))

    def without(self, name: str) -> Selection:
        """This selection without one filter (``DATES`` for both days, a list parameter, ``q``), from page 1."""
        if name == DATES:
            return replace(self, dari=None, sampai=None, hal=1)
        if name == "q":
            return replace(self, q="", hal=1)
        if name in LIST_PARAMS:
            return replace(self, hal=1, **{name: ()})
        raise ValueError(f"unknown filter {name!r}")


def _split(raw) -> list[str]:
    if isinstance(raw, (list, tuple)):
        raw = ",".join(str(r) for r in raw)
    return [p.strip() for p in str(raw or "").split(",") if p.strip()]


def parse_params(params: Mapping[str, object], lookups: Lookups) -> tuple[Selection, list[str]]:
    """A Selection from URL parameters, and a note for each value that was ignored (shown to the user)."""
    url = Reader(params)  # every value bounded and checked there (dashboard/params.py)
    notes = url.notes
    one = url.raw
    dari, sampai = url.day("dari"), url.day("sampai")
    if dari and sampai and dari > sampai:
        notes.append(f"sampai={sampai.isoformat()}")
        sampai = None
    historis = url.flag("historis")
    opd_table = lookups.opd_own if historis else lookups.opd
    allowed = {
        "status": set(STATUSES) | {OPEN_ALIAS},
        "opd": set(opd_table) | {NONE_CODE},
        "sektor": set(lookups.sektor) | {NONE_CODE},
        "kanal": set(lookups.kanal) | {NONE_CODE},
        "wilayah": set(lookups.wilayah) | {NONE_CODE},
        "prioritas": set(PRIORITIES),
        "klasifikasi": set(CLASSIFICATIONS),
        "sla": set(SLA_STATES),
    }
    lists = {}
    for name in LIST_PARAMS:
        good, bad = [], []
        for value in _split(one(name)):
            (good if value in allowed[name] else bad).append(value)
        for value in bad[:3]:  # a few quoted back are enough
            url.note(name, value)
        if len(bad) > 3:
            notes.append(f"{name}: +{len(bad) - 3}")
        if name == "status" and OPEN_ALIAS in good:
            good = [s for s in good if s != OPEN_ALIAS] + list(OPEN_STATUSES)
        lists[name] = tuple(dict.fromkeys(good))
    q = url.text("q", MAX_TEXT)
    urut = url.choice("urut", tuple(SORTABLE), "received_at")
    arah = url.choice("arah", ("naik", "turun"), "turun")
    hal = url.integer("hal", 1, HAL_MAX, 1)
    return Selection(
        dari=dari, sampai=sampai, q=q, historis=historis, urut=urut, naik=arah == "naik", hal=hal, **lists
    ), notes


def explorer_link(**params) -> str:
    """A relative link to the explorer (``aduan?...``); list values are joined with commas, None is '-'."""
    clean = {}
    for key, value in params.items():
        if value is None or value == "" or value == ():
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(NONE_CODE if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        clean[key] = str(value)
    return links.page(PAGE_PATH, clean)


def code_or_none(value) -> str:
    """A category key from a query result as a URL code ('-' for a missing one)."""
    return NONE_CODE if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)
