"""The attribution sieve: small rules tried in order; the first that decides wins.

Each sieve looks at one quotation's situation (its frame, the speech events around it, the
quotations before it) and returns a Decision or None. Confidences are per sieve: how often
that rule is right in news copy, judged conservatively (see docs/attribution.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotetrace_server.attribution.events import SpeechEvent, resolve_pronoun
from quotetrace_server.attribution.frames import Frame
from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.attribution.speakers import (
    NounPhrases,
    RefKind,
    Speaker,
    speaker_from_ref,
)
from quotetrace_server.quotes.model import QuoteSpan

if TYPE_CHECKING:
    from quotetrace_server.attribution.attributor import ArticleAnalysis

CONFIDENCE: dict[str, float] = {
    "heading_term": 0.8,
    "marked_term": 0.75,
    "depparse_subject": 0.95,
    "cue_subject": 0.93,
    "cue_trailing": 0.93,
    "cue_inverted": 0.93,
    "according_to": 0.85,
    "pronoun": 0.8,
    "definite_description": 0.7,
    "organisation": 0.88,
    "clause_subject": 0.8,
    "participle_subject": 0.75,
    "colon_introduction": 0.8,
    "unnamed_speaker": 0.8,
    "group_term": 0.6,
    "group_speaker": 0.5,
    "continuation": 0.85,
    "previous_quote": 0.65,
    "short_term": 0.6,
    "previous_speaker": 0.5,
    "sentence_subject": 0.4,
    "none": 0.0,
}

# A quotation this short with no speaker in sight reads as a label or a scare term.
TERM_MAX_WORDS = 2
HEADING_MAX_WORDS = 3
TERM_MARKERS = frozenset({"so-called", "titled", "entitled", "nicknamed", "codenamed"})
TERM_PHRASES = frozenset({("the", "term"), ("the", "word"), ("the", "phrase"), ("known", "as")})


@dataclass(frozen=True)
class Decision:
    kind: QuoteKind
    speaker: Speaker | None
    sieve: str
    confidence: float
    mention: str | None = None
    cue: str | None = None


@dataclass
class QuoteSituation:
    """One quotation as the sieves see it."""

    analysis: ArticleAnalysis
    index: int
    quote: QuoteSpan
    text: str  # the quotation's text
    frame_index: int
    frame: Frame
    position: int  # the quotation's item index in its frame
    paragraph: int
    phrases: NounPhrases
    earlier: list[tuple[int, Decision]]

    @classmethod
    def of(
        cls, analysis: ArticleAnalysis, index: int, earlier: list[tuple[int, Decision]]
    ) -> QuoteSituation:
        quote = analysis.quotes[index]
        frame_index = analysis.layout.frame_of_quote[index]
        frame = analysis.layout.frames[frame_index]
        return cls(
            analysis=analysis,
            index=index,
            quote=quote,
            text=analysis.parsed.text[quote.start : quote.end],
            frame_index=frame_index,
            frame=frame,
            position=frame.quote_position(index),
            paragraph=analysis.layout.paragraph_of_quote[index],
            phrases=analysis.phrases,
            earlier=earlier,
        )

    # --- facts the sieves share ----------------------------------------------------------

    @property
    def events(self) -> list[SpeechEvent]:
        return self.analysis.events[self.frame_index]

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+(?:[’'\-]\w+)*", self.text))

    def left_words(self) -> list[str]:
        words = self.phrases.words
        return [
            words[item.word].text for item in self.frame.items[: self.position] if not item.is_quote
        ]

    @property
    def opens_frame(self) -> bool:
        """Nothing but punctuation (or other quotations) before it in its sentence."""
        return not any(any(c.isalnum() for c in w) for w in self.left_words())

    @property
    def structural_kind(self) -> QuoteKind:
        """DIRECT for a quotation standing as its own clause, PARTIAL when embedded."""
        if self.opens_frame:
            return QuoteKind.DIRECT
        left = self.left_words()
        if left and left[-1] in (":", ",", "—", "–"):
            return QuoteKind.DIRECT
        return QuoteKind.PARTIAL

    def previous_decided(self) -> tuple[int, Decision] | None:
        """The latest earlier non-term quotation in this or the previous paragraph."""
        for index, decision in reversed(self.earlier):
            if decision.kind == QuoteKind.TERM:
                continue
            paragraph = self.analysis.layout.paragraph_of_quote[index]
            if self.paragraph - paragraph <= 1:
                return index, decision
            return None
        return None

    def attributing_event(self) -> tuple[SpeechEvent, str] | None:
        """The speech event that introduces this quotation, and where it sits.

        Quotations opening their sentence take the attribution that follows them
        ("…,” he said); embedded ones take the nearest cue before them ("X said she was
        “delighted”"), else the one after ("could be “learning…,” Mr. Berg said")."""
        # A cue whose subject could not be read ("the claims were") must not hide a
        # readable one further away.
        events = [e for e in self.events if e.ref is not None]
        before = [e for e in events if e.position < self.position]
        after = [e for e in events if e.position > self.position and self._before_next_quote(e)]
        if not self.opens_frame and before:
            return before[-1], "before"
        if after:
            return after[0], "after"
        return None

    def _before_next_quote(self, event: SpeechEvent) -> bool:
        between = self.frame.items[self.position + 1 : event.position]
        return not any(item.is_quote for item in between)

    @property
    def frame_has_cue(self) -> bool:
        return bool(self.events)


Sieve = Callable[[QuoteSituation], Decision | None]


def heading_term(s: QuoteSituation) -> Decision | None:
    """A short quotation alone on its line is a section heading (‘Heroes’)."""
    start, end = s.analysis.layout.paragraphs[s.paragraph]
    line = s.analysis.parsed.text[start:end].strip()
    alone = len(line) - len(s.text) <= 2
    if alone and s.word_count <= HEADING_MAX_WORDS and s.text.rstrip()[-1:] not in ".!?,":
        return _term(s, "heading_term")
    return None


def marked_term(s: QuoteSituation) -> Decision | None:
    """Words flagged as a label by the writer: the so-called “peace dividend”."""
    left = [w.lower() for w in s.left_words()]
    if not left or s.word_count > HEADING_MAX_WORDS:
        return None
    if left[-1] in TERM_MARKERS or (len(left) >= 2 and tuple(left[-2:]) in TERM_PHRASES):
        return _term(s, "marked_term")
    return None


def cue_event(s: QuoteSituation) -> Decision | None:
    """A speech cue in the same sentence names the speaker (directly, by pronoun, as an
    organisation, or as an unnamed official)."""
    found = s.attributing_event()
    if found is None:
        return None
    event, side = found
    ref = event.ref
    if ref is None:
        return None
    kind = s.structural_kind
    if ref.kind == RefKind.GROUP:
        if kind == QuoteKind.PARTIAL and s.word_count <= TERM_MAX_WORDS:
            return _term(s, "group_term")
        return Decision(
            kind, None, "group_speaker", CONFIDENCE["group_speaker"], ref.mention, event.cue
        )
    if ref.kind == RefKind.UNNAMED and event.speaker is not None:
        sieve = "definite_description"
        return Decision(kind, event.speaker, sieve, CONFIDENCE[sieve], ref.mention, event.cue)
    if ref.kind == RefKind.UNNAMED:
        return Decision(
            kind, None, "unnamed_speaker", CONFIDENCE["unnamed_speaker"], ref.mention, event.cue
        )
    speaker = event.speaker
    if speaker is None:
        return None
    sieve = _sieve_name(event, side)
    if ref.kind == RefKind.PRONOUN:
        sieve = "pronoun"
    elif speaker.kind.value == "organization":
        sieve = "organisation"
    return Decision(kind, speaker, sieve, CONFIDENCE[sieve], ref.mention, event.cue)


def _sieve_name(event: SpeechEvent, side: str) -> str:
    if event.how == "cue_subject" and side == "after":
        return "cue_trailing"
    return event.how


def colon_introduction(s: QuoteSituation) -> Decision | None:
    """ "Weber wrote in the guest book: “…”": the clause before the colon speaks."""
    left = s.left_words()
    if not left or left[-1] != ":":
        return None
    ref = s.phrases.clause_subject(s.frame, s.position)
    if ref is None:
        return None
    if ref.kind == RefKind.PRONOUN:
        speaker = resolve_pronoun(
            ref, s.analysis.events, s.analysis.layout, s.phrases, s.frame_index
        )
    else:
        speaker = speaker_from_ref(s.analysis.names, ref)
    if speaker is None:
        return None
    return Decision(
        QuoteKind.DIRECT,
        speaker,
        "colon_introduction",
        CONFIDENCE["colon_introduction"],
        ref.mention,
        ":",
    )


def continuation(s: QuoteSituation) -> Decision | None:
    """A quotation opening its sentence with no cue continues the previous quotation's
    speaker when that quotation is in this paragraph or the one before."""
    if not s.opens_frame:
        return None
    return _previous_speaker_carried(s, QuoteKind.CONTINUATION, "continuation")


def previous_quote(s: QuoteSituation) -> Decision | None:
    """An embedded quotation in a sentence with no cue, right after another quotation,
    carries on that speaker (“may conduct …” after a quoted expert's paragraph)."""
    if s.frame_has_cue:
        return None
    return _previous_speaker_carried(s, s.structural_kind, "previous_quote")


def _previous_speaker_carried(s: QuoteSituation, kind: QuoteKind, sieve: str) -> Decision | None:
    """The previous decided quotation's speaker, decided again by `sieve`."""
    previous = s.previous_decided()
    if previous is None:
        return None
    _, decision = previous
    return Decision(kind, decision.speaker, sieve, CONFIDENCE[sieve])


def short_term(s: QuoteSituation) -> Decision | None:
    """One or two quoted words with no speech cue and no speaker in scope: a term."""
    if s.frame_has_cue or s.word_count > TERM_MAX_WORDS:
        return None
    if s.structural_kind != QuoteKind.PARTIAL:
        return None
    return _term(s, "short_term")


def previous_speaker(s: QuoteSituation) -> Decision | None:
    """A free-standing quotation after a paragraph that reported someone speaking."""
    if not s.opens_frame:
        return None
    for frame_index in range(s.frame_index - 1, -1, -1):
        frame = s.analysis.layout.frames[frame_index]
        if s.paragraph - frame.paragraph > 1:
            return None
        for event in reversed(s.analysis.events[frame_index]):
            if event.speaker is not None:
                return Decision(
                    QuoteKind.DIRECT,
                    event.speaker,
                    "previous_speaker",
                    CONFIDENCE["previous_speaker"],
                    event.ref.mention if event.ref else None,
                    event.cue,
                )
    return None


def sentence_subject(s: QuoteSituation) -> Decision | None:
    """Last resort for an embedded quotation: the person the sentence is about."""
    ref = s.phrases.clause_subject(s.frame, len(s.frame.items))
    if ref is None or ref.kind != RefKind.NAMED:
        return None
    speaker = speaker_from_ref(s.analysis.names, ref)
    if speaker is None:
        return None
    return Decision(
        s.structural_kind, speaker, "sentence_subject", CONFIDENCE["sentence_subject"], ref.mention
    )


def _term(s: QuoteSituation, sieve: str) -> Decision:
    return Decision(QuoteKind.TERM, None, sieve, CONFIDENCE[sieve])


SIEVES: tuple[Sieve, ...] = (
    heading_term,
    marked_term,
    cue_event,
    colon_introduction,
    continuation,
    previous_quote,
    short_term,
    previous_speaker,
    sentence_subject,
)


def decide(situation: QuoteSituation) -> Decision:
    for sieve in SIEVES:
        decision = sieve(situation)
        if decision is not None:
            return decision
    return Decision(situation.structural_kind, None, "none", CONFIDENCE["none"])
