"""Rows and records: a quotation prepared for its row, the public ids of rows, and the
records the store hands out, built from rows read by either engine."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from quotetrace_server.attribution.model import AttributedQuote, QuoteKind
from quotetrace_server.entities.normalize import EDGE_CHARACTERS, normalize, words
from quotetrace_server.index.clustering import QuoteSketch, spoken_words
from quotetrace_server.index.model import ArticleRecord, StoredQuote
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.dialect import Dialect

_LEAD_WORDS = 3
# A sentence ends at . ! ? (closing marks may follow) and a space, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?:[.!?][\"'”’»]*\s|\n)")
_OPENING_MARKS = "\"'“‘«„‚"


@dataclass(frozen=True)
class QuoteRow:
    """A quotation as prepared for insertion."""

    quote: AttributedQuote
    norm: str
    lemmas: tuple[str, ...]
    lead: tuple[str, ...]
    speaker: int | None
    context: str  # bounded (index.context): a frame may be the whole article
    # Where the context stands in the article text, when it is a piece of it: then only
    # the span is stored (the article text is stored anyway), not a second copy.
    context_span: tuple[int, int] | None = None
    # Whether the quotation's text is the article's text at [start, end), and its norm
    # what quote_norm computes from it: then the row stores NULL, not a second copy.
    text_in_article: bool = False
    norm_in_article: bool = False
    # The postings terms of a speech quotation, when worked out already (None: not yet).
    terms: list[str] | None = None


def context_span(text: str, start: int, end: int, context: str) -> tuple[int, int] | None:
    """[a, b) with text[a:b] == context and the quotation [start, end) inside it, or None
    (a context cut with ellipses, or one that is not a piece of the text)."""
    if not context:
        return None
    at = text.find(context, max(0, end - len(context)), start + len(context))
    if at < 0 or not (at <= start and end <= at + len(context)):
        return None
    return at, at + len(context)


def norm_hash(norm: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(norm.encode(), digest_size=8).digest(), "big", signed=True
    )


def lead_words(text: str, start: int) -> tuple[str, ...]:
    """Lemma key of up to three words before a quotation's opening mark, same sentence.

    Only for quotations woven into the reporter's sentence ('would discuss “all
    issues”'): after a colon or comma ('Novak said: “…”') the words before are just the
    attribution, the same for every quotation of that speaker, and are not kept.
    """
    # Breaks are looked for before the spaces are stripped: a quotation opening a
    # paragraph has no lead-in, whatever the paragraph before it ends with.
    trimmed = text[max(0, start - 120) : start].rstrip().rstrip(_OPENING_MARKS)
    breaks = list(_SENTENCE_BREAK.finditer(trimmed))
    before = trimmed.rstrip()
    if not before or before[-1] in ",:;":
        return ()
    if breaks:
        before = before[breaks[-1].end() :]
    return lemma_key(words(normalize(before))[-_LEAD_WORDS:])


def sketch(norm: str, lead: str, speaker: int | None) -> QuoteSketch:
    spoken = spoken_words(norm)
    return QuoteSketch(
        spoken,
        lemma_key(spoken),
        tuple(lead.split()),
        None if speaker is None else int(speaker),
    )


# A quotation's text and normalised text where the row stores neither (NULL): the
# article's text at [start, end), and (for an ASCII text, whose lower-casing every engine
# does alike) that text lower-cased and trimmed of punctuation and spaces at its ends.
# The writer stores NULL only where these give back exactly what it would have stored
# (text_in_article, norm_in_article). Reads join the quotation's article as ``a``.
_ARTICLE_SLICE = 'substr(a.text, q.start + 1, q."end" - q.start)'
QUOTE_TEXT = f"COALESCE(q.text, {_ARTICLE_SLICE})"
# ASCII characters normalize() strips from a text's ends.
_ASCII_EDGE = "".join(c for c in EDGE_CHARACTERS if c.isascii())


def quote_norm(dialect: Dialect) -> str:
    """The SQL of a quotation's normalised text (reads join its article as ``a``)."""
    return f"COALESCE(q.norm, {dialect.trim(f'lower({_ARTICLE_SLICE})', _ASCII_EDGE)})"


def norm_in_article(text: str, norm: str) -> bool:
    """Whether ``quote_norm`` computes ``norm`` from the quotation's text as printed."""
    return text.isascii() and text.lower().strip(_ASCII_EDGE) == norm


# A quotation's context: stored, or read from the article text by its span.
CONTEXT_COLUMN = (
    "CASE WHEN q.context_end IS NULL THEN q.context"
    " ELSE substr(a.text, q.context_start + 1, q.context_end - q.context_start) END"
)


def article_record_of(r: Sequence[Any]) -> ArticleRecord:
    return ArticleRecord(
        article_id=str(r[0]),
        title=r[1],
        outlet=r[2],
        wire_credits=tuple(json.loads(r[3])),
        byline=r[4],
        date=r[5],
        url=r[6],
        source_name=r[7],
        identity=str(r[8] or ""),
        derived=tuple((str(f), str(o)) for f, o in json.loads(r[9] or "[]")),
        char_count=int(r[10]),
        quote_count=int(r[11]),
        speaker_count=int(r[12]),
    )


@lru_cache(maxsize=1 << 16)  # each article's speakers ask again for the same forms
@lru_cache(maxsize=1 << 16)  # the same forms come back article after article
def usable_alias(alias: str) -> bool:
    """Not a one-letter or letterless form ("S", "—"): those name no one."""
    return sum(c.isalpha() for c in alias) >= 2


def quote_id_for(article_id: str, seq: int) -> str:
    return f"{article_id}-{seq}"


def speaker_id_for(rowid: int) -> str:
    return f"sp{rowid}"


def speaker_rowid_of(speaker_id: str) -> int:
    return int(speaker_id[2:]) if speaker_id.startswith("sp") and speaker_id[2:].isdigit() else -1


def utterance_id_for(rowid: int) -> str:
    return f"ut{rowid}"


def utterance_rowid_of(utterance_id: str) -> int:
    return (
        int(utterance_id[2:])
        if utterance_id.startswith("ut") and utterance_id[2:].isdigit()
        else -1
    )


def stored_quote_of(r: Sequence[object]) -> StoredQuote:
    speaker_rowid = r[7]
    utterance = r[12]
    return StoredQuote(
        quote_id=quote_id_for(str(r[0]), int(str(r[1]))),
        article_id=str(r[0]),
        text=str(r[2]),
        start=int(str(r[3])),
        end=int(str(r[4])),
        kind=QuoteKind(str(r[5])),
        speaker=None if r[6] is None else str(r[6]),
        speaker_id=None if speaker_rowid is None else speaker_id_for(int(str(speaker_rowid))),
        speaker_mention=None if r[8] is None else str(r[8]),
        cue=None if r[9] is None else str(r[9]),
        sieve=None if r[10] is None else str(r[10]),
        confidence=float(str(r[11])),
        utterance_id=None if utterance is None else utterance_id_for(int(str(utterance))),
        outlet=None if r[13] is None else str(r[13]),
        resolution=None if r[14] is None else str(r[14]),
    )
