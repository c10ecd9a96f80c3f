"""Computed once per interval for every visitor: a value per key, recomputed by one caller at a time.

A visitor after the interval gets the last value at once while one background thread computes the next (no
visitor waits on the database once a value exists); when that fails, the last value stays and is marked stale.
Only the very first visitor of a key waits (and, when it fails, gets the error).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any


@dataclass
class Entry:
    value: Any
    made_at: float  # time.monotonic()
    stale: bool = False  # the last refresh failed


class SnapshotCache:
    def __init__(self, interval_s: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 512):
        self.interval_s = float(interval_s)
        self.clock = clock
        self.max_keys = max_keys
        self._entries: dict[Hashable, Entry] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self.computations = 0  # how many times a value was computed (tests, logs)

    def _lock(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _compute(self, key: Hashable, make: Callable[[], Any]) -> Entry:
        self.computations += 1
        value = make()
        entry = Entry(value, self.clock())
        with self._guard:
            if len(self._entries) >= self.max_keys and key not in self._entries:
                oldest = min(self._entries, key=lambda k: self._entries[k].made_at)
                del self._entries[oldest]
            self._entries[key] = entry
        return entry

    def _refresh(self, key: Hashable, make: Callable[[], Any], lock: threading.Lock) -> None:
        try:
            self._compute(key, make)
        except Exception:  # noqa: BLE001 - the last value stays, marked stale; the next visitor retries
            entry = self._entries.get(key)
            if entry is not None:
                entry.stale = True
                entry.made_at = self.clock() - self.interval_s + min(30.0, self.interval_s)  # retry in 30 s
        finally:
            lock.release()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Entry:
        entry = self._entries.get(key)
        if entry is not None:
            if self.clock() - entry.made_at >= self.interval_s:
                lock = self._lock(key)
                if lock.acquire(blocking=False):  # one refresh at a time; the others keep the last value
                    threading.Thread(target=self._refresh, args=(key, make, lock), daemon=True).start()
            return entry
        lock = self._lock(key)
        with lock:  # the first visitors of a key wait for one computation
            entry = self._entries.get(key)
            return entry if entry is not None else self._compute(key, make)
