"""The walls this server serves, shared by every session of the process (plain Python, no Streamlit).

Each wall reports itself on every refresh of its live panel: its name (``?layar=ruang-staf-ahli``), its
address, when it last refreshed and the age of the data it shows. The admin page ``layar`` lists them and
asks one wall or all of them to reload; the wall's next refresh sees the request (it is newer than the
wall's session) and reloads the page the way the nightly reload does (``dashboard.wall.kiosk``). Nothing is
written to the database: the registry is a dict in the server's memory under a lock, and it empties when the
server restarts (the walls report again within one refresh).
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

NAME_MAX = 40
FORGET_AFTER_S = 24 * 3600  # a wall that has not refreshed for a day leaves the list
_UNSAFE = re.compile(r"[^a-z0-9]+")


def sanitise_name(raw) -> str:
    """A wall's name from the URL: lower case ``a-z``, ``0-9`` and single dashes, at most 40 characters;
    anything else becomes a dash (``Ruang Staf Ahli!`` -> ``ruang-staf-ahli``); empty when nothing is left."""
    value = _UNSAFE.sub("-", str(raw or "").strip().lower()).strip("-")
    return value[:NAME_MAX].strip("-")


@dataclass(frozen=True)
class Screen:
    key: str  # the name, or "tanpa-nama-<8 hex digits>" for a wall that did not name itself (see screen_key)
    name: str  # as given (sanitised); empty when unnamed
    address: str  # the page and query it shows, e.g. /monitor?kiosk=1&layar=lobi
    client: str  # the browser's IP address, as the server sees it ("" for localhost)
    session: str
    session_started: float  # time.time() of the session's first report
    last_refresh: float  # time.time() of the last report
    data_at: float | None  # time.time() when the data on screen was read from the database
    data_ok: bool  # False while the wall shows old data (database trouble)


_LOCK = threading.Lock()
_SCREENS: dict[str, Screen] = {}
_RELOAD: dict[str, float] = {}  # key -> when a reload was asked; "*" = every wall


def screen_key(name: str, client: str, address: str) -> str:
    """The name; for a wall without one, its browser's address and its page address (without ``skala``, which
    the page sets by itself), so that the same unnamed wall is one row after a reload (nightly, remote, or its
    address made ``?skala=2``) instead of a new row and a stopped one."""
    if name:
        return name
    path, _, query = address.partition("?")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(query) if k != "skala"))
    return "tanpa-nama-" + hashlib.sha1(f"{client}|{path}?{query}".encode()).hexdigest()[:8]


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
) -> bool:
    """Record one refresh of a wall; True when the wall must reload (asked after its session began)."""
    key = screen_key(name, client, address)
    with _LOCK:
        _SCREENS[key] = Screen(key, name, address, client, session, session_started, now, data_at, data_ok)
        asked = max(_RELOAD.get(key, 0.0), _RELOAD.get("*", 0.0))
        for k in [k for k, s in _SCREENS.items() if now - s.last_refresh > FORGET_AFTER_S]:
            del _SCREENS[k]
    return asked > session_started


def request_reload(key: str | None, now: float) -> None:
    """Ask one wall (``key``) or every wall (None) to reload at its next refresh."""
    with _LOCK:
        _RELOAD[key or "*"] = now


def screens() -> list[Screen]:
    """Every wall seen in the last day, by name."""
    with _LOCK:
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
        return max(_RELOAD.get(key, 0.0), _RELOAD.get("*", 0.0)) > session_started


def clear() -> None:
    """Forget every wall and request (tests)."""
    with _LOCK:
        _SCREENS.clear()
        _RELOAD.clear()


def _touch(key: str, **changes) -> None:  # tests: make a wall look old
    with _LOCK:
        if key in _SCREENS:
            _SCREENS[key] = replace(_SCREENS[key], **changes)
