"""Cached, outage-proof access to the queries for pages (the only module pages call for data).

- One engine per process (``st.cache_resource``); every query runs in ``with engine.connect()``.
- Results are cached globally with a ttl (``st.cache_data``), so ten walls cost the database the same
  as one; slower panels refresh in the background, so viewers never wait on a spinner.
- When the database fails, the last good result is served with its age and the cause of the failure
  (``Fetched.cause``: down, timeout, busy, denied, error), and the next call tries again: the wall never
  blanks and recovers by itself (pages schedule their own retries: ``components.stale_warning``).
- The engine is read-only (``make_engine(read_only=True)``): the dashboard never writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from core.engine import DatabaseConfigError, make_engine
from core.settings import Settings, SlaRules, database_url
from core.timefmt import now_utc

log = logging.getLogger("ntbcare.data")
SETTINGS = Settings.from_env()
_LAST_GOOD: OrderedDict[tuple, Fetched] = OrderedDict()
_LAST_GOOD_MAX = 256
_LOCK = threading.Lock()
PAGE_WORKERS = 3
"""How many of one page's queries run at once (``at_once``): the database's two cores busy and one query in
flight, well inside the pool (``NTBCARE_DB_POOL_SIZE``, 5) that other viewers share."""


@dataclass(frozen=True)
class Fetched:
    """A query result with the moment it was read; ``error`` is set when it is stale or missing."""

    data: Any
    fetched_at: dt.datetime | None
    error: str | None = None
    config_error: bool = False
    cause: str | None = None  # why it is stale or missing: one of CAUSES

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def has_data(self) -> bool:
        return self.data is not None


CAUSES = ("denied", "timeout", "busy", "down", "error")  # most specific first (components.stale_warning)
_PG_CAUSES = {"57014": "timeout", "55P03": "timeout", "42501": "denied", "25006": "denied"}


def failure_cause(exc: BaseException) -> str:
    """What went wrong, for the message on screen: ``timeout`` (statement timeout or lock wait),
    ``busy`` (no free connection in the pool, SQLite locked), ``denied`` (the role may not read or
    write this), ``down`` (no connection: server stopped, network, restart) or ``error`` (anything else)."""
    if isinstance(exc, PoolTimeoutError):
        return "busy"
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "pgcode", None)
        if code in _PG_CAUSES:
            return _PG_CAUSES[code]
        if "database is locked" in str(exc.orig):
            return "busy"
        if exc.connection_invalidated or (code or "")[:2] in ("08", "57"):  # connection lost, server shut down
            return "down"
        if code is None and isinstance(exc, (OperationalError, InterfaceError)):  # could not connect at all
            return "down"
        return "error"
    if isinstance(exc, OSError):
        return "down"
    return "error"


@st.cache_resource(show_spinner=False)
def get_engine():
    return make_engine(database_url(), read_only=True)


@st.cache_resource(show_spinner=False)
def sla_rules() -> SlaRules:
    return SlaRules.from_env()


def _run(query: Callable, args: tuple, kwargs: tuple, now: dt.datetime | None, rules) -> tuple[Any, dt.datetime]:
    """Run ``query(conn, *args, **kwargs)`` on a fresh connection, adding ``now`` and ``rules`` when the caller
    gave them; returns the result and the moment it describes: the clock given, else the moment of reading."""
    at = now or now_utc()
    params = dict(kwargs)
    if now is not None:
        params["now"] = now
    if rules is not None:
        params["rules"] = rules
    with get_engine().connect() as conn:
        return query(conn, *args, **params), at


# Each runner below is a cached ``_run``. Streamlit leaves arguments whose names start with "_" out of the cache
# key: the key is the query's name, its arguments, the rules (``rules_key``) and ``version``; the callable, the
# clock and the rules object ride along. So a result computed at the clock of the run that missed is shared by
# every viewer for one ttl (``fetched_at`` says when), exactly as ten walls must share one query.


# The live feed: a foreground refresh (the queries take milliseconds) with a ttl of half the interval, so
# every fragment run shows data at most half an interval old: a new complaint is on the wall within about
# one interval. Shared by all viewers: ten walls still cost at most one query per ttl.
# ``version`` is part of the cache key only (never passed to the query): the wall passes the database's change
# token (``probe``), so that a change is read at once instead of after the ttl.
@st.cache_data(ttl=max(0.5, SETTINGS.feed_interval_s / 2), max_entries=64, show_spinner=False)
def _run_fast(name, args, kwargs, rules_key, version, _query, _now, _rules) -> tuple[Any, dt.datetime]:
    return _run(_query, args, kwargs, _now, _rules)


@st.cache_data(ttl=SETTINGS.panel_interval_s, max_entries=256, show_spinner=False, refresh_mode="background")
def _run_slow(name, args, kwargs, rules_key, version, _query, _now, _rules) -> tuple[Any, dt.datetime]:
    return _run(_query, args, kwargs, _now, _rules)


# Whole-table audits (the data-quality page): seconds at a million complaints, so read at most every 10 minutes.
@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _run_rare(name, args, kwargs, rules_key, version, _query, _now, _rules) -> tuple[Any, dt.datetime]:
    return _run(_query, args, kwargs, _now, _rules)


# The wall's change check (``queries.feed.latest_change``: two primary-key lookups): shared by every session,
# read at most twice per check interval however many walls ask.
@st.cache_data(ttl=max(0.1, SETTINGS.change_check_s / 2), max_entries=4, show_spinner=False)
def _run_probe(name, args, kwargs, rules_key, version, _query, _now, _rules) -> tuple[Any, dt.datetime]:
    return _run(_query, args, kwargs, _now, _rules)


def fetch(
    query: Callable,
    *args,
    now: dt.datetime | None = None,
    rules: SlaRules | None = None,
    fast: bool = False,
    rare: bool = False,
    probe: bool = False,
    version=None,
    **kwargs,
) -> Fetched:
    """Run ``query(conn, *args, **kwargs)`` through the shared cache; never raises for database trouble.

    The caller passes what the query needs, nothing is added behind its back: ``now`` (the page run's clock,
    ``dashboard.pagectx.PageContext.now``) and ``rules`` (``sla_rules()``) are given to the query as keywords
    when not None. ``now`` is not part of the cache key (a cached result was computed at the clock of the run
    that missed it, at most one ttl earlier: ``Fetched.fetched_at``); the rules are. Arguments must be hashable.
    ``fast``: the live feed's short cache; ``rare``: a 10-minute cache for expensive audits; ``probe``: the
    wall's change check (a ttl of half the check interval). ``version`` (hashable) joins the cache key: a new
    version reads the database again before the ttl is over.

    Example: ``fetch(scorecard.opd_scorecard, start, end, now=ctx.now, rules=sla_rules(), rollup=True)``.
    """
    name = f"{query.__module__}.{query.__qualname__}"
    rules_key = None if rules is None else repr(rules)
    items = tuple(sorted(kwargs.items()))
    key = (name, args, items, rules_key)
    runner = _run_probe if probe else _run_fast if fast else _run_rare if rare else _run_slow
    try:
        data, at = runner(name, args, items, rules_key, version, query, now, rules)
    except DatabaseConfigError as exc:
        return Fetched(None, None, str(exc), config_error=True)
    except (SQLAlchemyError, OSError) as exc:
        cause = failure_cause(exc)
        log.warning(
            "query %s failed (%s): %s",
            query.__qualname__,
            cause,
            str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__,
        )
        with _LOCK:
            last = _LAST_GOOD.get(key)
        msg = exc.__class__.__name__
        if last:
            return Fetched(last.data, last.fetched_at, msg, cause=cause)
        return Fetched(None, None, msg, cause=cause)
    result = Fetched(data, at)
    with _LOCK:
        _LAST_GOOD[key] = result
        _LAST_GOOD.move_to_end(key)
        while len(_LAST_GOOD) > _LAST_GOOD_MAX:
            _LAST_GOOD.popitem(last=False)
    return result


def reset() -> None:
    """Forget every cached result, the last good results and the engine (tests; a changed DATABASE_URL)."""
    with _LOCK:
        _LAST_GOOD.clear()
    st.cache_data.clear()
    st.cache_resource.clear()


def at_once(calls: dict[str, Callable[[], Fetched]], workers: int | None = None) -> dict[str, Fetched]:
    """Run the calls at the same time (at most ``workers`` at once; default: all) and return their results by
    name: a page waits for its slowest query, not for the sum of them. Each call holds one pooled connection
    while it runs, so a page that asks for many figures passes a ``workers`` below the pool's size.

    The threads carry no script run context on purpose: ``fetch`` needs none (the caches are shared by every
    session), and a thread that carries it shares the run's element state, which suits threads that draw, not
    these (while the wall's snapshot threads carried it, a wall chart went missing in 2 of 4 suite runs).
    ``fetch`` never raises for database trouble; anything else (a bug) is raised here."""
    if not calls:
        return {}
    with ThreadPoolExecutor(max_workers=workers or len(calls), thread_name_prefix="fetch") as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}


def combined(combine: Callable[..., Any], *parts: Fetched) -> Fetched:
    """One result from parts read apart (``at_once``): ``combine(*their data)`` when every part has data, else
    no data. It is as old as its oldest part and carries the first failure, so a stale warning names it."""
    failed = next((p for p in parts if not p.ok), None)
    why = {} if failed is None else {"error": failed.error, "config_error": failed.config_error, "cause": failed.cause}
    if not all(p.has_data for p in parts):
        return Fetched(None, None, **({"error": "missing"} | why))
    return Fetched(combine(*(p.data for p in parts)), min(p.fetched_at for p in parts if p.fetched_at), **why)
