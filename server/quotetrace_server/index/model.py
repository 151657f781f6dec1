"""What the index stores and hands back, independent of the storage engine."""

from __future__ import annotations

from dataclasses import dataclass

from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.entities.model import EntityKind


@dataclass(frozen=True)
class IngestOutcome:
    article_id: str
    added: bool  # False: the same text was already indexed, nothing changed
    quotes_added: int


@dataclass(frozen=True)
class StoredQuote:
    quote_id: str
    article_id: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None  # corpus-wide canonical name
    speaker_id: str | None
    speaker_mention: str | None
    cue: str | None
    sieve: str | None
    confidence: float
    utterance_id: str | None
    outlet: str | None


@dataclass(frozen=True)
class SpeakerRecord:
    speaker_id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    quote_count: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class CorpusStats:
    article_count: int
    quote_count: int
    speaker_count: int
    utterance_count: int
    outlet_count: int
    processors: tuple[str, ...]


# --- Added for the verifier: what a store hands it (engine-independent) -------------------


@dataclass(frozen=True)
class SearchHit:
    """A quotation retrieved by the full-text postings for a query (not yet scored)."""

    quote_id: str
    article_id: str
    utterance_id: str
    normalized: str  # verify.normalize() of the quotation text
    outlet: str | None
    wire_credits: tuple[str, ...]
    date: str | None


@dataclass(frozen=True)
class QuoteDetail:
    """One printing of an utterance with everything an Occurrence shows."""

    quote: StoredQuote
    normalized: str
    context: str
    title: str | None
    wire_credits: tuple[str, ...]
    date: str | None
    url: str | None
    source_name: str | None
    processors: tuple[str, ...] = ()  # stanza processors that analysed its article
