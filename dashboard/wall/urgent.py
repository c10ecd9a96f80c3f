"""The wall's urgent cue, as plain logic (no Streamlit): which mendesak complaint the banner announces now,
and whether the chime may sound.

A mendesak complaint that arrives while a wall is open is announced for ``duration`` seconds; several that
arrive together are announced one after the other, each for the full time; then each settles into the feed
(where it stays marked as urgent). A wall that opens (or reloads) announces the ones received less than
``duration`` seconds ago, so that a reload never swallows an announcement; older ones are only in the feed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core import quiet_hours


@dataclass
class Announcement:
    id: int
    ticket: str
    title: str | None
    sector: str | None
    region: str | None
    start: dt.datetime


@dataclass
class UrgentQueue:
    """One wall's announcements (kept in its session): what was announced, what is due."""

    duration_s: float
    known: dict[int, dt.datetime] = field(default_factory=dict)  # complaint id -> when it was first seen
    pending: list[Announcement] = field(default_factory=list)  # announcing now and waiting, in order
    started: bool = False

    def update(self, urgent: pd.DataFrame | None, now: dt.datetime) -> Announcement | None:
        """Take in the newest mendesak complaints (``queries.feed.recent_urgent``) and return the announcement
        due at ``now`` (None: no banner)."""
        duration = dt.timedelta(seconds=self.duration_s)
        if urgent is not None and len(urgent) and not {int(i) for i in urgent["id"]} <= self.known.keys():
            rows = urgent.sort_values(["received_at", "id"]).to_dict("records")
            for r in rows:
                cid = int(r["id"])
                if cid in self.known:
                    continue
                received = pd.Timestamp(r["received_at"])
                received = (received.tz_localize("UTC") if received.tzinfo is None else received).to_pydatetime()
                self.known[cid] = now
                if not self.started and now - received >= duration:
                    continue  # already old when this wall opened: only in the feed
                prev_end = self.pending[-1].start + duration if self.pending else None
                start = now if self.started else min(received, now)  # on opening: as if seen when it came
                if prev_end is not None:
                    start = max(start, prev_end)  # one after the other, each for the full time
                self.pending.append(
                    Announcement(
                        cid,
                        str(r.get("ticket") or ""),
                        _text(r.get("title")),
                        _text(r.get("sector")),
                        _text(r.get("region")),
                        start,
                    )
                )
        if urgent is not None:
            self.started = True
        while self.pending and self.pending[0].start + duration <= now:
            self.pending.pop(0)
        horizon = now - dt.timedelta(days=1)
        if len(self.known) > 500:
            self.known = {k: v for k, v in self.known.items() if v > horizon}
        if self.pending and self.pending[0].start <= now:
            return self.pending[0]
        return None

    def waiting(self, now: dt.datetime) -> int:
        """How many announcements wait after the current one."""
        return max(0, sum(1 for a in self.pending if a.start > now))

    def remaining_s(self, now: dt.datetime) -> float:
        if not self.pending:
            return 0.0
        return max(0.0, (self.pending[0].start - now).total_seconds() + self.duration_s)


def _text(value) -> str | None:
    try:
        if value is None or pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def parse_quiet_hours(raw: str | None) -> tuple[dt.time, dt.time] | None:
    """``"20:00-07:00"`` -> (20:00, 07:00); empty -> None (never quiet). The one parser, core.quiet_hours
    (shared with the alert worker); raises ValueError (SettingError) otherwise."""
    return quiet_hours.parse(raw, "NTBCARE_QUIET_HOURS")


def is_quiet(now: dt.datetime, hours: tuple[dt.time, dt.time] | None) -> bool:
    """Whether ``now`` (aware) falls in the quiet hours (WITA), which may wrap past midnight."""
    return quiet_hours.is_quiet(now, hours)


def quiet_hours_or_default(raw: str | None) -> tuple[dt.time, dt.time] | None:
    """The configured quiet hours; an invalid value falls back to 20:00-07:00 (silence is the safe side)."""
    try:
        return parse_quiet_hours(raw)
    except ValueError:
        return parse_quiet_hours("20:00-07:00")
