"""The approximate nearest-neighbour index of wording embeddings (usearch, HNSW, cosine).

One vector per distinct printed wording, keyed by the wording's key (the 64-bit hash of
its normalised text the quote store keeps per quotation). Vectors are stored as int8
(384 bytes each, plus the graph: about 530 bytes a wording on disk) in one file beside
the index, `<index>.vectors`. The writer keeps the index in memory and replaces the file
atomically when it saves; readers (Verify worker processes) memory-map the file, so
every worker shares one copy through the page cache, and re-map it when it is replaced.

The vectors are derived data: a lost or stale file is rebuilt from the quote store
(Engine.embed_missing), and a key whose wording has left the store is skipped by the
caller.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from usearch.index import Index

from quotetrace_server.semantic.encoder import DIMENSIONS, Vectors

log = logging.getLogger(__name__)

_U64 = 1 << 64
# A reader looks at the file's modification time at most this often.
REFRESH_SECONDS = 1.0
# Up to this many vectors a search compares the query with every one (a few milliseconds):
# exact, and the same answer whatever order the graph was built in (HNSW is approximate,
# and its multi-threaded build does not fix the order).
EXACT_SEARCH_BELOW = 20_000


def vectors_path(db: Path) -> Path:
    return db.with_name(db.name + ".vectors")


def to_key(wording_hash: int) -> int:
    """The store's signed 64-bit wording hash as usearch's unsigned key."""
    return wording_hash % _U64


def from_key(key: int) -> int:
    return key - _U64 if key >= 1 << 63 else key


def _new_index() -> Index:
    return Index(ndim=DIMENSIONS, metric="cos", dtype="i8")


class WordingVectors:
    """Wording key → unit vector, with nearest-neighbour search. Thread-safe."""

    def __init__(self, path: Path | None, *, writable: bool) -> None:
        self.path = path
        self.writable = writable
        self._lock = threading.RLock()
        self._loaded_mtime: int | None = None
        self._checked_at = 0.0
        self._index = self._load()

    def _load(self) -> Index:
        if self.path is None or not self.path.exists():
            self._loaded_mtime = None
            return _new_index()
        self._loaded_mtime = self.path.stat().st_mtime_ns
        try:
            return Index.restore(str(self.path), view=not self.writable) or _new_index()
        except (RuntimeError, ValueError) as exc:
            # Derived data: a damaged file is rebuilt from the store, not fatal.
            log.warning("vectors file %s is unreadable (%s): rebuilding it", self.path, exc)
            return _new_index()

    def __len__(self) -> int:
        return len(self._index)

    def missing(self, wording_hashes: Sequence[int]) -> list[int]:
        """The hashes among `wording_hashes` that have no vector yet."""
        if not wording_hashes:
            return []
        keys = np.array([to_key(h) for h in wording_hashes], dtype=np.uint64)
        with self._lock:
            present = np.asarray(self._index.contains(keys)).reshape(-1)
        return [h for h, p in zip(wording_hashes, present, strict=True) if not p]

    def add(self, wording_hashes: Sequence[int], vectors: Vectors) -> None:
        if not self.writable:
            raise RuntimeError("these wording vectors are read-only")
        if not wording_hashes:
            return
        keys = np.array([to_key(h) for h in wording_hashes], dtype=np.uint64)
        with self._lock:
            self._index.add(keys, vectors)

    def save(self) -> None:
        """Replace the file atomically with the index as it is now (no-op in memory)."""
        if self.path is None or not self.writable:
            return
        partial = self.path.with_name(self.path.name + ".partial")
        with self._lock:
            self._index.save(str(partial))
            os.replace(partial, self.path)
            self._loaded_mtime = self.path.stat().st_mtime_ns

    def nearest(self, vector: Vectors, k: int) -> list[tuple[int, float]]:
        """Up to `k` (wording hash, cosine similarity) pairs, most similar first."""
        self._refresh()
        with self._lock:
            if len(self._index) == 0:
                return []
            size = len(self._index)
            matches = self._index.search(vector, min(k, size), exact=size < EXACT_SEARCH_BELOW)
        return [
            (from_key(int(key)), 1.0 - float(distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]

    def _refresh(self) -> None:
        """A reader re-maps the file when the writer has replaced it."""
        if self.writable or self.path is None:
            return
        now = time.monotonic()
        if now - self._checked_at < REFRESH_SECONDS:
            return
        self._checked_at = now
        try:
            mtime: int | None = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime != self._loaded_mtime:
            with self._lock:
                self._index = self._load()
