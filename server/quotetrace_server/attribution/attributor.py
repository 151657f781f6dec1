"""Attribute every quotation of an article to a speaker with an ordered sieve of rules.

Pipeline: stanza parse -> quotation marks -> names -> narrative frames -> speech events
(cue + subject) -> per quotation, the first sieve that decides. See docs/attribution.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quotetrace_server.attribution.events import SpeechEvent, find_events
from quotetrace_server.attribution.frames import Layout, build_layout
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.attribution.sieves import Decision, QuoteSituation, decide
from quotetrace_server.attribution.speakers import NounPhrases
from quotetrace_server.entities.finder import ArticleNames, find_entities
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
    events: list[list[SpeechEvent]]  # per frame


def analyse(parsed: ParsedText) -> ArticleAnalysis:
    text = parsed.text
    names = find_entities(parsed)
    quotes = [q for q in find_quotes(text) if q.depth == 0]
    layout = build_layout(text, names.words, quotes)
    phrases = NounPhrases(text, names)
    events = find_events(parsed, layout, phrases)
    return ArticleAnalysis(parsed, names, quotes, layout, phrases, events)


def attribute_parsed(parsed: ParsedText) -> ArticleQuotes:
    """Attributed quotations of an already parsed text."""
    analysis = analyse(parsed)
    text = parsed.text
    decided: list[tuple[int, Decision]] = []
    for index in range(len(analysis.quotes)):
        situation = QuoteSituation.of(analysis, index, decided)
        decided.append((index, decide(situation)))
    return ArticleQuotes(
        quotes=tuple(_attributed(text, analysis, i, d) for i, d in decided),
        processors=parsed.processors,
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
        context=text[frame.start : frame.end].strip(),
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
            "confidence": q.confidence,
        }
        for q in aq.quotes
    ]


__all__ = ["ArticleQuotes", "Attributor", "QuoteKind", "attribute_parsed", "quotes_as_json_lines"]
