"""Semantic search: embed printed wordings once, find the wordings nearest a query's meaning.

The encoder is loaded on first use (a Verify worker that never needs it never loads it)
or at start-up by `require()`, so a missing model package is a clear error before the
server takes traffic. Which model ran, or why none did, is `status` and goes into every
answer that depends on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from quotetrace_server.semantic.encoder import MODEL_ID, SentenceEncoder, Vectors
from quotetrace_server.semantic.vectors import WordingVectors


@dataclass(frozen=True)
class EmbedReport:
    """What one embedding pass did: wordings embedded, already present, and seconds spent."""

    embedded: int = 0
    present: int = 0
    seconds: float = 0.0

    def __add__(self, other: EmbedReport) -> EmbedReport:
        return EmbedReport(
            self.embedded + other.embedded,
            self.present + other.present,
            self.seconds + other.seconds,
        )

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0


class SemanticSearch:
    """Wording vectors plus the encoder that makes them. Thread-safe."""

    def __init__(
        self, vectors: WordingVectors, encoder: Callable[[], SentenceEncoder] = SentenceEncoder
    ) -> None:
        self.vectors = vectors
        self._make_encoder = encoder
        self._encoder: SentenceEncoder | None = None
        self._lock = threading.Lock()
        self._adding = threading.Lock()  # one embedding pass at a time: no wording twice
        self.spent = EmbedReport()  # every add_wordings pass so far, in all
        self._dirty = False
        self._saved_at = time.monotonic()

    @property
    def model_id(self) -> str:
        return MODEL_ID

    def require(self) -> None:
        """Load the encoder now; raises SemanticUnavailable with the reason."""
        self._encoder_now()

    def _encoder_now(self) -> SentenceEncoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = self._make_encoder()
            return self._encoder

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._encoder_now().encode(texts)

    def add_wordings(
        self, wordings: Sequence[tuple[int, str]], made: Mapping[int, Vectors] | None = None
    ) -> EmbedReport:
        """Add a vector for each (wording hash, text) pair that has none yet: the one in
        `made` (computed already, e.g. by an ingest worker) or a new embedding."""
        with self._adding:
            started = time.perf_counter()
            unique = dict(wordings)
            todo = set(self.vectors.missing(list(unique)))
            if todo:
                hashes = [h for h in unique if h in todo]
                self.vectors.add(hashes, self._vectors_for(hashes, unique, made or {}))
                self._dirty = True
            report = EmbedReport(len(todo), len(unique) - len(todo), time.perf_counter() - started)
            self.spent = self.spent + report
            return report

    def _vectors_for(
        self, hashes: list[int], texts: Mapping[int, str], made: Mapping[int, Vectors]
    ) -> Vectors:
        """One vector per hash, in order: made already, or embedded now (in one batch)."""
        missing = [h for h in hashes if h not in made]
        fresh = dict(zip(missing, self.embed([texts[h] for h in missing]), strict=True))
        return np.vstack([made[h] if h in made else fresh[h] for h in hashes]).astype(np.float32)

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """(wording hash, cosine) of the `k` wordings nearest `text` in meaning."""
        return self.vectors.nearest(self.embed([text])[0], k)

    def save(self, *, if_older_than: float = 0.0) -> bool:
        """Write the vectors file when something was added (and the last save is at least
        `if_older_than` seconds old); True when it wrote."""
        if not self._dirty or time.monotonic() - self._saved_at < if_older_than:
            return False
        self.vectors.save()
        self._dirty = False
        self._saved_at = time.monotonic()
        return True
