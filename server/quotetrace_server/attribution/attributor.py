"""Attribute every quotation of an article to a speaker with an ordered sieve of rules.

Pipeline: stanza parse -> quotation marks -> names -> narrative frames -> speech events
(cue + subject) -> per quotation, the first sieve that decides. See docs/attribution.md.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from quotetrace_server.attribution.events import SpeechEvent, find_events
from quotetrace_server.attribution.frames import Layout, build_layout
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.attribution.resolve import ArticleFacts, learn_genders_from_openers
from quotetrace_server.attribution.sieves import (
    CONFIDENCE,
    Decision,
    QuoteSituation,
    decide,
)
from quotetrace_server.attribution.speakers import NounPhrases, Speaker
from quotetrace_server.entities.finder import ArticleNames, find_entities
from quotetrace_server.entities.lexicon import is_speaker_name
from quotetrace_server.nlp.model import ParsedText
from quotetrace_server.nlp.pipeline import NlpPipeline
from quotetrace_server.quotes.finder import find_quotes
from quotetrace_server.quotes.model import QuoteSpan


class Attributor:
    """Finds and attributes the quotations of one article at a time. Thread-safe: the only
    shared state is the stanza pipeline, which guards itself."""

    def __init__(self, nlp: NlpPipeline) -> None:
        self._nlp = nlp

    @property
    def nlp(self) -> NlpPipeline:
        return self._nlp

    def attribute(self, text: str) -> ArticleQuotes:
        return attribute_parsed(self._nlp.parse(text))


@dataclass
class ArticleAnalysis:
    """Everything the sieves look at for one article (kept for debugging and tests)."""

    parsed: ParsedText
    names: ArticleNames
    quotes: list[QuoteSpan]
    layout: Layout
    phrases: NounPhrases
    facts: ArticleFacts
    events: list[list[SpeechEvent]]  # per frame


def analyse(parsed: ParsedText) -> ArticleAnalysis:
    text = parsed.text
    names = find_entities(parsed)
    quotes = [q for q in find_quotes(text) if q.depth == 0]
    layout = build_layout(text, names.words, quotes)
    phrases = NounPhrases(text, names)
    facts = ArticleFacts.of(names, text, quotes)
    learn_genders_from_openers(layout, names.words, facts)
    events = find_events(parsed, layout, phrases, facts)
    return ArticleAnalysis(parsed, names, quotes, layout, phrases, facts, events)


def attribute_parsed(parsed: ParsedText) -> ArticleQuotes:
    """Attributed quotations of an already parsed text: the sieves in text order, then the
    echo pass (a quotation no sieve attributed, such as a headline's, that repeats words the
    article attributes elsewhere), then the name check."""
    analysis = analyse(parsed)
    text = parsed.text
    decided: list[tuple[int, Decision]] = []
    for index in range(len(analysis.quotes)):
        situation = QuoteSituation.of(analysis, index, decided)
        decided.append((index, decide(situation)))
    decided = _with_closing_speakers(text, analysis, decided)
    decided = _with_echoes(text, analysis, decided)
    decided = [(i, _named_speaker_only(d)) for i, d in decided]
    return ArticleQuotes(
        quotes=tuple(_attributed(text, analysis, i, d) for i, d in decided),
        processors=parsed.processors,
    )


# Sieves that found no cue of the quotation's own: the close of a multi-paragraph quotation
# names its speaker better than they do (they carry or guess one from before).
UNCUED_SIEVES = frozenset({"none", "continuation", "previous_quote", "previous_speaker"})


def _with_closing_speakers(
    text: str, analysis: ArticleAnalysis, decided: list[tuple[int, Decision]]
) -> list[tuple[int, Decision]]:
    """A quotation left open at its paragraph's end goes on in the next paragraph (news
    convention: an opening mark on each paragraph, the closing mark and often the
    attribution only on the last). With no speaker, or only the guess of `previous_speaker`,
    it takes the speaker of the quotation that opens the next paragraph when a cue of that
    one's named it, walking back from the paragraph that names the speaker ("“The storm
    took everything.¶“But we will rebuild,” said Ana Ruiz."). A speaker carried from a
    cued quotation of its own paragraph stays."""
    result = list(decided)
    for position in range(len(result) - 2, -1, -1):
        index, decision = result[position]
        following, after = result[position + 1]
        if (
            analysis.quotes[index].closed
            or decision.kind == QuoteKind.TERM
            or (decision.speaker is not None and decision.sieve != "previous_speaker")
            or after.speaker is None
            or after.sieve in UNCUED_SIEVES
            or not _opens_next_paragraph(text, analysis, index, following)
        ):
            continue
        sieve = "closing_quote"
        result[position] = (
            index,
            Decision(
                decision.kind,
                after.speaker,
                sieve,
                CONFIDENCE[sieve],
                after.mention,
                after.cue,
                "carried",
                after.mention_start,
                after.cue_start,
            ),
        )
    return result


def _opens_next_paragraph(text: str, analysis: ArticleAnalysis, index: int, following: int) -> bool:
    """Is quotation `following` the first thing in the paragraph after quotation `index`'s?"""
    layout = analysis.layout
    paragraph = layout.paragraph_of_quote[following]
    if paragraph != layout.paragraph_of_quote[index] + 1:
        return False
    start, _ = layout.paragraphs[paragraph]
    return not text[start : analysis.quotes[following].start - 1].strip()


def _with_echoes(
    text: str, analysis: ArticleAnalysis, decided: list[tuple[int, Decision]]
) -> list[tuple[int, Decision]]:
    """A quotation left without a speaker (or with a weak one) whose words, at least two,
    stand inside another quotation of the article that has a speaker, or contain it, gets
    that speaker: headlines and captions repeat the body's quotations."""
    keys = {i: _word_key(text, analysis.quotes[i]) for i, _ in decided}
    by_bigram: dict[str, list[int]] = {}
    for index, decision in decided:
        if decision.speaker is not None:
            for bigram in set(_bigrams(keys[index])):
                by_bigram.setdefault(bigram, []).append(index)
    by_index = dict(decided)
    result: list[tuple[int, Decision]] = []
    for index, decision in decided:
        weak = decision.speaker is None or decision.confidence < CONFIDENCE["echo"]
        source = None
        if weak and decision.kind.value != "term":
            source = _echoed(index, keys, by_bigram, by_index)
        if source is None or source.speaker == decision.speaker:
            result.append((index, decision))
            continue
        echoed = Decision(
            decision.kind,
            source.speaker,
            "echo",
            CONFIDENCE["echo"],
            source.mention,
            source.cue,
            "echo",
        )
        result.append((index, echoed))
    return result


ECHO_MAX_CANDIDATES = 50


def _echoed(
    index: int,
    keys: dict[int, str],
    by_bigram: dict[str, list[int]],
    decided: dict[int, Decision],
) -> Decision | None:
    """The one speaker of the attributed quotations that share words with this one: looked
    up by its rarest word pair, so the pass stays linear in long articles."""
    mine = keys[index]
    bigrams = [b for b in _bigrams(mine) if b in by_bigram]
    if not bigrams:
        return None
    rarest = min(bigrams, key=lambda b: len(by_bigram[b]))
    speakers: dict[str, Decision] = {}
    for other in by_bigram.get(rarest, [])[:ECHO_MAX_CANDIDATES]:
        theirs = keys[other]
        source = decided[other]
        if other == index or source.speaker is None:
            continue
        if f" {mine} " in f" {theirs} " or f" {theirs} " in f" {mine} ":
            speakers.setdefault(source.speaker.name, source)
    return next(iter(speakers.values())) if len(speakers) == 1 else None


def _bigrams(key: str) -> list[str]:
    words = key.split()
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _word_key(text: str, quote: QuoteSpan) -> str:
    words = re.findall(r"\w+", text[quote.start : quote.end].lower().replace("’", "'"))
    return " ".join(words)


def _named_speaker_only(decision: Decision) -> Decision:
    """The last gate: a speaker must be named like a person or an organisation, never a
    pronoun, a demonym, a bare title or a common noun. Otherwise the speaker is unknown."""
    speaker: Speaker | None = decision.speaker
    if speaker is None or is_speaker_name(speaker.name):
        return decision
    return Decision(
        decision.kind,
        None,
        decision.sieve,
        CONFIDENCE["none"],
        decision.mention,
        decision.cue,
        "rejected_not_a_name",
        decision.mention_start,
        decision.cue_start,
    )


def _attributed(
    text: str, analysis: ArticleAnalysis, index: int, decision: Decision
) -> AttributedQuote:
    quote = analysis.quotes[index]
    frame = analysis.layout.frames[analysis.layout.frame_of_quote[index]]
    speaker = decision.speaker
    return AttributedQuote(
        text=text[quote.start : quote.end],
        start=quote.start,
        end=quote.end,
        kind=decision.kind,
        speaker=speaker.name if speaker else None,
        speaker_kind=speaker.kind if speaker else None,
        speaker_aliases=speaker.aliases if speaker else (),
        speaker_mention=decision.mention,
        cue=decision.cue,
        sieve=decision.sieve,
        confidence=round(decision.confidence, 3),
        context=_context(text, frame.start, frame.end, quote),
        resolution=decision.resolution,
        mention_start=decision.mention_start,
        cue_start=decision.cue_start,
    )


# The context kept with a quotation: its sentence, cut to this many characters on each side
# of the quotation (a sentence of thousands of quotations must not be copied for each).
CONTEXT_MARGIN = 300


def _context(text: str, frame_start: int, frame_end: int, quote: QuoteSpan) -> str:
    start = max(frame_start, quote.start - CONTEXT_MARGIN)
    end = min(frame_end, quote.end + CONTEXT_MARGIN)
    before = "…" if start > frame_start else ""
    after = "…" if end < frame_end else ""
    return before + text[start:end].strip() + after


def explain_quote(q: AttributedQuote) -> str:
    """One line saying why a quotation has its speaker: the mention and cue (with offsets),
    the stage-1 sieve, the stage-2 rule and the confidence."""
    mention = (
        f"mention “{q.speaker_mention}” @{q.mention_start}" if q.speaker_mention else "no mention"
    )
    cue = f"cue “{q.cue}” @{q.cue_start}" if q.cue else "no cue"
    return (
        f"{mention}; {cue}; stage 1 sieve {q.sieve}; stage 2 rule {q.resolution or '—'}; "
        f"confidence {q.confidence:.2f}"
    )


def quotes_as_json_lines(aq: ArticleQuotes) -> list[dict[str, Any]]:
    """One JSON-ready dict per quotation (the `extract --json` output)."""
    return [
        {
            "quote": q.text,
            "start": q.start,
            "end": q.end,
            "kind": q.kind.value,
            "speaker": q.speaker,
            "speaker_mention": q.speaker_mention,
            "cue": q.cue,
            "sieve": q.sieve,
            "resolution": q.resolution,
            "mention_start": q.mention_start,
            "cue_start": q.cue_start,
            "confidence": q.confidence,
        }
        for q in aq.quotes
    ]


__all__ = [
    "ArticleQuotes",
    "Attributor",
    "QuoteKind",
    "attribute_parsed",
    "explain_quote",
    "quotes_as_json_lines",
]
