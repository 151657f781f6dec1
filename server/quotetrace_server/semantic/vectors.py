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

Which encoder made the vectors (its vector space, SentenceEncoder.encoder_id) is written
beside them, `<index>.vectors.encoder`, after the vectors file (so a crash between the two
leaves new vectors under an old name: re-embedded, never mixed). Vectors of another
encoder, or of a file from before the name was kept (LEGACY_ENCODER), are never searched
with a query of this one: the writer drops them and its caller re-embeds every wording;
a reader sees no vectors until the writer has saved the new ones.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# onnxruntime before usearch: loaded the other way round (usearch 2.26, onnxruntime 1.32,
# nothing else native loaded yet), `import onnxruntime` ends the process with a
# segmentation fault, and the encoder imports it only when first used.
import onnxruntime  # noqa: F401  # isort: skip
from usearch.index import Index  # isort: skip

from quotetrace_server.semantic.encoder import DIMENSIONS, Vectors

log = logging.getLogger(__name__)

_U64 = 1 << 64
# A reader looks at the file's modification time at most this often.
REFRESH_SECONDS = 1.0
# Up to this many vectors a search compares the query with every one (a few milliseconds):
# exact, and the same answer whatever order the graph was built in (HNSW is approximate,
# and its multi-threaded build does not fix the order).
EXACT_SEARCH_BELOW = 20_000


# The encoder of every vectors file written before the file named its encoder.
LEGACY_ENCODER = "all-MiniLM-L6-v2-onnx-int8"


def vectors_path(db: Path) -> Path:
    return db.with_name(db.name + ".vectors")


def encoder_path(vectors: Path) -> Path:
    return vectors.with_name(vectors.name + ".encoder")


def to_key(wording_hash: int) -> int:
    """The store's signed 64-bit wording hash as usearch's unsigned key."""
    return wording_hash % _U64


def from_key(key: int) -> int:
    return key - _U64 if key >= 1 << 63 else key


def _new_index() -> Index:
    return Index(ndim=DIMENSIONS, metric="cos", dtype="i8")


class WordingVectors:
    """Wording key → unit vector, with nearest-neighbour search. Thread-safe."""

    def __init__(
        self, path: Path | None, *, writable: bool, expansion_search: int | None = None
    ) -> None:
        """`expansion_search`: the HNSW search's candidate list length (usearch's `ef`;
        None: usearch's default, 64)."""
        self.path = path
        self._expansion_search = expansion_search
        self.writable = writable
        self._lock = threading.RLock()
        self._loaded_mtime: tuple[int | None, int | None] | None = None
        self._checked_at = 0.0
        # The encoder whose vectors these are (None: none yet), and the one the caller
        # embeds queries with (None: not said, nothing is checked).
        self.encoder_id: str | None = None
        self._expected: str | None = None
        self._index = self._load()

    def _load(self) -> Index:
        return self._tuned(self._loaded())

    def _tuned(self, index: Index) -> Index:
        """`index` searching with this reader's expansion_search."""
        if self._expansion_search is not None:
            # (usearch declares the setter without types: mypy takes the property as read-only)
            index.expansion_search = self._expansion_search  # type: ignore[misc]
        return index

    def _loaded(self) -> Index:
        self._loaded_mtime = self._mtimes()
        if self.path is None or not self.path.exists():
            return self._checked(_new_index(), None)
        try:
            index = Index.restore(str(self.path), view=not self.writable) or _new_index()
        except (RuntimeError, ValueError) as exc:
            # Derived data: a damaged file is rebuilt from the store, not fatal.
            log.warning("vectors file %s is unreadable (%s): rebuilding it", self.path, exc)
            return self._checked(_new_index(), None)
        return self._checked(index, self._recorded_encoder())

    def _recorded_encoder(self) -> str:
        assert self.path is not None
        try:
            return encoder_path(self.path).read_text(encoding="utf-8").strip() or LEGACY_ENCODER
        except FileNotFoundError:
            return LEGACY_ENCODER

    def _checked(self, index: Index, made_by: str | None) -> Index:
        """`index`, or an empty one when its vectors are another encoder's than expected
        (`made_by` None: vectors this process added itself, or none)."""
        expected = self._expected
        if expected is None or made_by in (None, expected) or len(index) == 0:
            self.encoder_id = made_by if expected is None or not self.writable else expected
            return index
        log.warning(
            "vectors file %s holds %d vectors of encoder %s, not %s: %s",
            self.path,
            len(index),
            made_by,
            expected,
            "re-embedding every wording"
            if self.writable
            else "no search by meaning until the writer has re-embedded them",
        )
        self.encoder_id = expected if self.writable else made_by
        return _new_index()

    def use_encoder(self, encoder_id: str) -> None:
        """Say which encoder the caller embeds with: vectors of any other are dropped
        (a writer then re-embeds every wording; a reader searches none until the file
        holds this encoder's)."""
        with self._lock:
            self._expected = encoder_id
            self._index = self._tuned(self._checked(self._index, self.encoder_id))

    def _mtimes(self) -> tuple[int | None, int | None] | None:
        if self.path is None:
            return None
        return (_mtime(self.path), _mtime(encoder_path(self.path)))

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
            # After the vectors: a crash between leaves them under the old name (re-embedded).
            if self.encoder_id is not None:
                named = encoder_path(partial)
                named.write_text(self.encoder_id + "\n", encoding="utf-8")
                os.replace(named, encoder_path(self.path))
            self._loaded_mtime = self._mtimes()

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
        if self._mtimes() != self._loaded_mtime:
            with self._lock:
                self._index = self._load()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
