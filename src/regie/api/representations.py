"""Rendered representations, kept per process and keyed by the data revision (ADR 0125).

A representation (the JSON of a list or detail, the encoded analysis, the dashboard's
content) is stored with the revision read **before** it was computed
(:mod:`regie.api.revision`) and served only while the database still holds that revision.
The revision is read from the database on every request, so a write committed by any process
is seen by the very next read in every process. Who may see what is decided before the store
is consulted; the key holds everything else the bytes depend on (path and query, host,
language).

``REGIE_REPRESENTATION_CACHE=0`` switches the store off (the benchmark measures both).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_BYTES = 96 * 1024 * 1024  # per process; a page of 50 usages is ~20 kB, an analysis ~1.3 MB


def enabled() -> bool:
    return os.environ.get("REGIE_REPRESENTATION_CACHE", "1") != "0"


class Store:
    """A least-recently-used map of key -> (revision, value, size), bounded in bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Hashable, Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, revision: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != revision:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Hashable, revision: Hashable, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._entries[key] = (revision, value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, (_rev, _value, gone) = self._entries.popitem(last=False)
                self._bytes -= gone

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


STORE = Store()


def cached_bytes(key: Hashable, revision: Hashable, compute: Callable[[], T], size: Callable[[T], int]) -> T:
    """``compute()`` for ``key`` at ``revision`` (read by the caller before computing)."""
    if not enabled():
        return compute()
    hit = STORE.get(key, revision)
    if hit is not None:
        value: T = hit
        return value
    value = compute()
    STORE.put(key, revision, value, size(value))
    return value


def clear() -> None:
    """Forget every representation (tests: test databases reuse ids and revisions)."""
    STORE.clear()
