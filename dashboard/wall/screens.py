"""The walls this server serves, shared by every session of the process (plain Python, no Streamlit).

Each wall reports itself on every refresh of its live panel: its name (``?layar=ruang-staf-ahli``), its
address, when it last refreshed and the age of the data it shows. The admin page ``layar`` lists them and
asks one wall or all of them to reload; the wall's next refresh sees the request (it is newer than the
wall's session) and reloads the page the way the nightly reload does (``dashboard.wall.kiosk``). Nothing is
written to the database: the registry is a dict in the server's memory under a lock, and it empties when the
server restarts (the walls report again within one refresh).

Only kiosk walls (``?kiosk=1``) report. Anyone who can load the wall can report, so the registry is bounded
(rows, address length, a short life for unnamed walls), costs the same per refresh whatever its size, and a
name refreshed within the last minute from one address cannot be taken from another.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

# The registry is open to anyone who can load /monitor?kiosk=1, so everything in it is bounded:
NAME_MAX = 40  # characters of a wall's name
ADDRESS_MAX = 300  # characters of the address kept (longer addresses are cut, marked with "…")
MAX_SCREENS = 200  # rows; a new wall beyond that is not listed (it still works) until old rows expire
MAX_UNNAMED_PER_CLIENT = 4  # unnamed rows one browser address may hold (each query string is a row)
FORGET_AFTER_S = 24 * 3600  # a named wall that has not refreshed for a day leaves the list
FORGET_UNNAMED_AFTER_S = 15 * 60  # an unnamed one after 15 minutes
HOLD_NAME_S = 60  # a name refreshed this recently from one address cannot be reported from another
PRUNE_EVERY_S = 30.0  # a full registry is pruned at most this often from the report path (O(rows), rows bounded)
_NAME = re.compile(rf"[a-z0-9](?:[a-z0-9-]{{0,{NAME_MAX - 2}}}[a-z0-9])?")


def valid_name(raw) -> str | None:
    """A wall's name from the URL (``?layar=ruang-staf-ahli``) when it already is one: lower case ``a-z``,
    ``0-9`` and dashes inside, at most 40 characters; ``""`` when absent; None (refused) for anything else.
    Nothing is rewritten: ``LOBI!`` is refused, never read as ``lobi``, so no address can claim another
    wall's name by spelling it differently."""
    value = str(raw or "").strip()
    if not value:
        return ""
    return value if _NAME.fullmatch(value) and "--" not in value else None


@dataclass(frozen=True)
class Screen:
    key: str  # the name, or "tanpa-nama-<8 hex digits>" for a wall that did not name itself (see screen_key)
    name: str  # as given (valid); empty when unnamed
    address: str  # the page and query it shows, e.g. /monitor?kiosk=1&layar=lobi (at most ADDRESS_MAX)
    client: str  # the browser's IP address, as the server sees it ("" for localhost)
    session: str
    session_started: float  # time.time() of the session's first report
    last_refresh: float  # time.time() of the last report
    data_at: float | None  # time.time() when the data on screen was read from the database
    data_ok: bool  # False while the wall shows old data (database trouble)


@dataclass(frozen=True)
class Outcome:
    """What ``report`` says to the wall: reload now, and whether it was listed (False: its name is held by a
    live wall elsewhere, this address has too many unnamed rows, or the registry is full)."""

    reload: bool
    listed: bool = True
    name_taken: bool = False

    def __bool__(self) -> bool:  # ``if report(...)``: reload
        return self.reload


_LOCK = threading.Lock()
_SCREENS: dict[str, Screen] = {}
_UNNAMED: dict[str, int] = {}  # client -> its unnamed rows (kept with _SCREENS)
_RELOAD: dict[str, float] = {}  # key -> when a reload was asked; "*" = every wall
_PRUNED = [0.0]  # when the registry was last pruned


def short_address(address: str) -> str:
    return address if len(address) <= ADDRESS_MAX else address[: ADDRESS_MAX - 1] + "…"


def screen_key(name: str, client: str, address: str) -> str:
    """The name; for a wall without one, its browser's address and its page address (without ``skala``, which
    the page sets by itself), so that the same unnamed wall is one row after a reload (nightly, remote, or its
    address made ``?skala=2``) instead of a new row and a stopped one."""
    if name:
        return name
    path, _, query = short_address(address).partition("?")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(query) if k != "skala"))
    return "tanpa-nama-" + hashlib.sha1(f"{client}|{path}?{query}".encode()).hexdigest()[:8]


def _expired(s: Screen, now: float) -> bool:
    return now - s.last_refresh > (FORGET_AFTER_S if s.name else FORGET_UNNAMED_AFTER_S)


def _drop(key: str) -> None:  # under _LOCK
    s = _SCREENS.pop(key)
    if not s.name:
        left = _UNNAMED.get(s.client, 1) - 1
        if left > 0:
            _UNNAMED[s.client] = left
        else:
            _UNNAMED.pop(s.client, None)
    _RELOAD.pop(key, None)


def _prune(now: float) -> None:  # under _LOCK; O(rows), rows <= MAX_SCREENS
    _PRUNED[0] = now
    for key in [k for k, s in _SCREENS.items() if _expired(s, now)]:
        _drop(key)


def prune(now: float) -> None:
    """Forget the walls gone quiet (a day for named walls, 15 minutes for unnamed ones)."""
    with _LOCK:
        _prune(now)


def report(
    *,
    name: str,
    address: str,
    client: str,
    session: str,
    session_started: float,
    now: float,
    data_at: float | None,
    data_ok: bool,
) -> Outcome:
    """Record one refresh of a wall; ``.reload`` when the wall must reload (asked after its session began).

    Constant work per refresh under the lock (dict look-ups), whatever the registry's size; pruning happens in
    ``screens()`` (the admin page) and, when the registry is full, at most every PRUNE_EVERY_S here."""
    key = screen_key(name, client, address)
    with _LOCK:
        old = _SCREENS.get(key)
        if old is not None and name and old.client != client and now - old.last_refresh <= HOLD_NAME_S:
            return Outcome(reload=False, listed=False, name_taken=True)  # a live wall elsewhere holds the name
        if old is None:
            if len(_SCREENS) >= MAX_SCREENS and now - _PRUNED[0] >= PRUNE_EVERY_S:
                _prune(now)
            if len(_SCREENS) >= MAX_SCREENS or (not name and _UNNAMED.get(client, 0) >= MAX_UNNAMED_PER_CLIENT):
                return Outcome(reload=reload_pending_locked(key, session_started), listed=False)
            if not name:
                _UNNAMED[client] = _UNNAMED.get(client, 0) + 1
        _SCREENS[key] = Screen(
            key, name, short_address(address), client, session, session_started, now, data_at, data_ok
        )
        return Outcome(reload=reload_pending_locked(key, session_started))


def reload_pending_locked(key: str, session_started: float) -> bool:  # under _LOCK
    return max(_RELOAD.get(key, 0.0), _RELOAD.get("*", 0.0)) > session_started


def request_reload(key: str | None, now: float) -> None:
    """Ask one wall (``key``) or every wall (None) to reload at its next refresh."""
    with _LOCK:
        _RELOAD[key or "*"] = now


def screens(now: float | None = None) -> list[Screen]:
    """Every wall remembered, named walls first, by name; with ``now`` (the admin page) pruned first."""
    with _LOCK:
        if now is not None:
            _prune(now)
        return sorted(_SCREENS.values(), key=lambda s: (s.name == "", s.key))


def state(screen: Screen, now: float, refresh_s: float, stale_data_s: float) -> str:
    """``stopped`` (no refresh for three check intervals and at least 10 s), ``stale`` (refreshing but its
    data is old or the database is unreachable) or ``live``."""
    if now - screen.last_refresh > max(10.0, 3 * refresh_s):
        return "stopped"
    if not screen.data_ok or screen.data_at is None or now - screen.data_at > stale_data_s:
        return "stale"
    return "live"


def reload_pending(key: str, session_started: float) -> bool:
    with _LOCK:
        return reload_pending_locked(key, session_started)


def clear() -> None:
    """Forget every wall and request (tests)."""
    with _LOCK:
        _SCREENS.clear()
        _UNNAMED.clear()
        _RELOAD.clear()
        _PRUNED[0] = 0.0


def _touch(key: str, **changes) -> None:  # tests: make a wall look old
    with _LOCK:
        if key in _SCREENS:
            _SCREENS[key] = replace(_SCREENS[key], **changes)
