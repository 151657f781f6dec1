"""Attributed quotations: the output of the NLP side, the input of the index."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from quotetrace_server.entities.model import EntityKind


class QuoteKind(StrEnum):
    DIRECT = "direct"
    PARTIAL = "partial"
    CONTINUATION = "continuation"
    TERM = "term"


@dataclass(frozen=True)
class AttributedQuote:
    text: str  # exactly article_text[start:end]
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None  # canonical name within the article; None if unattributed
    speaker_kind: EntityKind | None
    speaker_aliases: tuple[str, ...]  # surface forms of the speaker in this article
    speaker_mention: str | None  # the words that named the speaker for this quote
    cue: str | None  # speech verb or phrase ("said", "according to")
    sieve: str | None  # stage 1: the sieve that found the mention (or decided "term")
    confidence: float  # of the attribution, in [0, 1]
    context: str  # the sentence(s) containing the quotation
    resolution: str | None = None  # stage 2: the rule that resolved the mention (resolve.py)
    mention_start: int | None = None  # offset of speaker_mention in the article
    cue_start: int | None = None  # offset of cue in the article


@dataclass(frozen=True)
class ArticleQuotes:
    quotes: tuple[AttributedQuote, ...]  # in text order
    processors: tuple[str, ...]  # stanza processors that ran
