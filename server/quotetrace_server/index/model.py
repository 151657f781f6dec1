"""What the index stores and hands back, independent of the storage engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.entities.model import EntityKind


class IngestStatus(StrEnum):
    """What ingesting one article did (its identity: see ingest.model.Article)."""

    ADDED = "added"  # a new article
    UNCHANGED = "unchanged"  # the same text at the same URL or path: nothing written
    REPLACED = "replaced"  # a new text at a known URL or path: the old version is gone


@dataclass(frozen=True)
class IngestOutcome:
    article_id: str
    status: IngestStatus
    quotes_added: int
    quotes_removed: int = 0  # the replaced version's quotations

    @property
    def added(self) -> bool:
        """True when anything was written (a new article or a new version)."""
        return self.status is not IngestStatus.UNCHANGED


@dataclass(frozen=True)
class ArticleRecord:
    """An indexed article as GetArticle / ListArticles describe it (no text)."""

    article_id: str
    title: str | None
    outlet: str | None
    wire_credits: tuple[str, ...]
    byline: str | None
    date: str | None
    url: str | None
    source_name: str | None
    identity: str
    quote_count: int
    speaker_count: int
    char_count: int
    derived: tuple[tuple[str, str], ...]  # (field, origin) of each derived value


@dataclass(frozen=True)
class DeletedArticle:
    """What deleting an article removed."""

    article_id: str
    quotes_removed: int
    speakers_removed: int
    utterances_removed: int


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
    resolution: str | None = None  # stage-2 rule that resolved the mention
    # `text` is the quotation's head and tail around " … " (list_quotes' text_chars).
    text_truncated: bool = False


@dataclass(frozen=True)
class SpeakerRecord:
    speaker_id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    quote_count: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class SpeakerLookup:
    """What a name denotes: the best supported speaker, every candidate when several
    people answer to it, the speaker's written forms with counts, and its merge evidence."""

    record: SpeakerRecord
    candidates: tuple[SpeakerRecord, ...]
    forms: tuple[tuple[str, int], ...]
    evidence: tuple[str, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass(frozen=True)
class CorpusStats:
    article_count: int
    quote_count: int
    speaker_count: int
    utterance_count: int
    outlet_count: int
    processors: tuple[str, ...]


# --- What a store hands the verifier (engine-independent) --------------------------------


@dataclass(frozen=True)
class SearchHit:
    """A quotation retrieved by the full-text postings for a query (not yet scored)."""

    utterance_id: str
    normalized: str  # verify.normalize() of the quotation text


def outlet_label(outlet: str | None, wire_credits: Sequence[str]) -> str:
    """What the text supports as its outlet: the outlet, else "via <wire>", else "(unstated)"."""
    if outlet:
        return outlet
    if wire_credits:
        return "via " + " & ".join(wire_credits)
    return "(unstated)"


@dataclass(frozen=True)
class PrintingFilter:
    """Which printings a look-up may use: one outlet (or wire credit), a date range.

    Dates are ISO 8601 strings, so string order is date order.
    """

    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    @property
    def admits_all(self) -> bool:
        return not (self.outlet or self.date_from or self.date_to)

    def admits(self, outlet: str | None, wire_credits: Sequence[str], date: str | None) -> bool:
        if self.outlet:
            wanted = self.outlet.casefold().strip()
            names = [outlet or "", *wire_credits, outlet_label(outlet, wire_credits)]
            if not any(n.casefold().strip() == wanted for n in names if n):
                return False
        if self.date_from or self.date_to:
            # An article that states no date cannot be shown to fall in the range.
            if not date:
                return False
            if self.date_from and date < self.date_from:
                return False
            if self.date_to and date > self.date_to:
                return False
        return True


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
