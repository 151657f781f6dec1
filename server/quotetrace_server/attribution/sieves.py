"""The attribution sieve: small rules tried in order; the first that decides wins.

Each sieve looks at one quotation's situation (its frame, the speech events around it, the
quotations before it) and returns a Decision or None. Confidences are per sieve: how often
that rule is right in news copy, judged conservatively (see docs/attribution.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotetrace_server.attribution.cues import SOURCE_NOUNS, speech_verb_base
from quotetrace_server.attribution.events import SpeechEvent, resolve_ref
from quotetrace_server.attribution.frames import Frame
from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.attribution.speakers import (
    NounPhrases,
    RefKind,
    Speaker,
    SpeakerRef,
    speaker_from_entity,
)
from quotetrace_server.entities.finder import normalise_name
from quotetrace_server.entities.lexicon import (
    ANSWER_LABELS,
    CHANT_VERBS,
    COPULAS,
    DASH_MARKS,
    DETERMINERS,
    FUNCTION_WORDS,
    HONORIFICS,
    NAMING_VERBS,
    OCCUPATIONS,
    PREPOSITIONS,
    QUESTION_LABELS,
    TITLE_ABBREVIATIONS,
    TITLES,
    UNNAMED_PERSON_HEADS,
    WORK_NOUNS,
)
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.quotes.model import QuoteSpan

if TYPE_CHECKING:
    from quotetrace_server.attribution.attributor import ArticleAnalysis

CONFIDENCE: dict[str, float] = {
    "heading_term": 0.8,
    "marked_term": 0.75,
    "scare_term": 0.7,
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
    "sentence_cue": 0.7,
    "credited_after": 0.7,
    "echo": 0.7,
    "unnamed_speaker": 0.8,
    "parenthetical_credit": 0.8,
    "crowd_chant": 0.7,
    "transcript_label": 0.8,
    "group_term": 0.6,
    "group_speaker": 0.5,
    "continuation": 0.85,
    "closing_quote": 0.8,
    "previous_quote": 0.65,
    "short_term": 0.6,
    "previous_speaker": 0.5,
    "introduced_speaker": 0.6,
    "sentence_subject": 0.4,
    "none": 0.0,
}

# How many earlier quotations a continuation looks through (terms are skipped) for the one
# it continues: bounded, so a paragraph of thousands of quoted words costs linear time.
PREVIOUS_LOOKBACK = 50
# How many narrative words next to a quotation the sieves read.
NEAR_WORDS = 6
# A quotation this short with no speaker in sight reads as a label or a scare term.
TERM_MAX_WORDS = 2
HEADING_MAX_WORDS = 3
TERM_MARKERS = frozenset({"so-called", "titled", "entitled", "nicknamed", "codenamed"})
TERM_PHRASES = frozenset({("the", "term"), ("the", "word"), ("the", "phrase"), ("known", "as")})
# "known locally as", "known to fans as": words this far between "known" and "as".
KNOWN_AS_REACH = 3
# Quoted words of any length after these are a title (of a video, a book), not speech.
TITLE_MARKERS = frozenset({"titled", "entitled"})
# Cues that attribute every quotation of their sentence, wherever they stand.
SENTENCE_CUES = frozenset({"according to", "in the words of"})
# A quotation of its speaker's own words in the same paragraph, after a photo caption
# that sits between two paragraphs of a multi-paragraph quotation.
CONTINUATION_PARAGRAPH_GAP = 2


@dataclass(frozen=True)
class Decision:
    """Stage 1's finding (which sieve found the mention and cue) and stage 2's (which rule
    resolved the mention to `speaker`)."""

    kind: QuoteKind
    speaker: Speaker | None
    sieve: str
    confidence: float
    mention: str | None = None
    cue: str | None = None
    resolution: str | None = None  # resolve.py rule; None when nothing was resolved
    mention_start: int | None = None  # character offset of `mention`
    cue_start: int | None = None  # character offset of `cue`


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

    def right_words(self, limit: int = NEAR_WORDS) -> list[str]:
        """Up to `limit` narrative words after the quotation in its sentence."""
        words = self.phrases.words
        found: list[str] = []
        for item in self.frame.items[self.position + 1 :]:
            if len(found) == limit:
                break
            if not item.is_quote:
                found.append(words[item.word].text)
        return found

    def left_words(self, limit: int = NEAR_WORDS) -> list[str]:
        """Up to `limit` narrative words before the quotation in its sentence, in order.
        Bounded so that a sentence with thousands of quotations costs linear time."""
        words = self.phrases.words
        found: list[str] = []
        for item in reversed(self.frame.items[max(0, self.position - 4 * limit) : self.position]):
            if len(found) == limit:
                break
            if not item.is_quote:
                found.append(words[item.word].text)
        return found[::-1]

    @property
    def opens_frame(self) -> bool:
        """Nothing but punctuation (or other quotations) before it in its sentence."""
        first = self.frame.first_word_position(self.phrases.words)
        return first is None or first > self.position

    @property
    def structural_kind(self) -> QuoteKind:
        """DIRECT for a quotation standing as its own clause, PARTIAL when embedded."""
        if self.opens_frame:
            return QuoteKind.DIRECT
        left = self.left_words()
        if left and left[-1] in (":", ",", *DASH_MARKS):
            return QuoteKind.DIRECT
        return QuoteKind.PARTIAL

    def previous_decided(self) -> tuple[int, Decision] | None:
        """The latest earlier non-term quotation in this or the previous paragraph; two
        paragraphs back when it was left open (a multi-paragraph quotation with a photo
        caption between its paragraphs)."""
        for index, decision in reversed(self.earlier[-PREVIOUS_LOOKBACK:]):
            if decision.kind == QuoteKind.TERM:
                continue
            paragraph = self.analysis.layout.paragraph_of_quote[index]
            gap = self.paragraph - paragraph
            if gap <= 1:
                return index, decision
            left_open = not self.analysis.quotes[index].closed
            if gap <= CONTINUATION_PARAGRAPH_GAP and left_open and self.quote_opens_paragraph:
                return index, decision
            return None
        return None

    @property
    def quote_opens_paragraph(self) -> bool:
        start, _ = self.analysis.layout.paragraphs[self.paragraph]
        return not self.analysis.parsed.text[start : self.quote.start - 1].strip()

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
        # "… “A” and “B”, according to the agency": a sentence adverbial covers every
        # quotation of its sentence.
        adverbial = [e for e in events if e.base in SENTENCE_CUES]
        if adverbial:
            return adverbial[-1], "sentence"
        return None

    def _before_next_quote(self, event: SpeechEvent) -> bool:
        between = self.frame.items[self.position + 1 : event.position]
        return not any(item.is_quote for item in between)

    @property
    def reads_as_utterance(self) -> bool:
        """Punctuation inside the closing mark, or no closing mark in the paragraph."""
        return self.text.rstrip()[-1:] in ".,!?…" or not self.quote.closed

    @property
    def person_speaks_in_frame(self) -> bool:
        """A person's cue before the quotation in its sentence, or close after it: the
        quoted words are that person's. A cue far after, beyond the writer's own words
        (“an online “road map” for employers … and suggests”), is about other words."""
        return any(
            e.speaker is not None
            and e.speaker.kind == EntityKind.PERSON
            and (e.position < self.position or self._near_after(e.position))
            for e in self.events
        )

    def _near_after(self, position: int) -> bool:
        """At most NEAR_WORDS of the writer's words between the quotation and the cue; the
        speaker's own name and titles do not count (“a “warning”, Harbour Council for
        Trade CEO Lina Moss told us” is close: only "to others" stands between)."""
        words = self.phrases.words
        between = self.frame.items[self.position + 1 : position]
        return (
            sum(
                1
                for item in between
                if not item.is_quote and not _name_or_title(words[item.word].text)
            )
            <= NEAR_WORDS
        )

    @property
    def frame_has_cue(self) -> bool:
        return bool(self.events)


Sieve = Callable[[QuoteSituation], Decision | None]


def heading_term(s: QuoteSituation) -> Decision | None:
    """A short quotation alone on its line is a section heading (‘Heroes’)."""
    start, end = s.analysis.layout.paragraphs[s.paragraph]
    if (end - start) - len(s.text) > HEADING_MAX_WORDS * 20:
        return None  # a long paragraph: the quotation is not alone on its line
    line = s.analysis.parsed.text[start:end].strip()
    alone = len(line) - len(s.text) <= 2
    if alone and s.word_count <= HEADING_MAX_WORDS and s.text.rstrip()[-1:] not in ".!?,":
        return _term(s, "heading_term")
    return None


def marked_term(s: QuoteSituation) -> Decision | None:
    """Words flagged as a label by the writer: the so-called “peace dividend”."""
    left = [w.lower() for w in s.left_words()]
    if left and left[-1] in TITLE_MARKERS:
        return _term(s, "marked_term")
    if _names_a_work(s, left):
        return _term(s, "marked_term")
    if left and left[-1] in NAMING_VERBS and s.word_count <= HEADING_MAX_WORDS and _title_case(s):
        return _term(s, "marked_term")  # the man they call “The Anvil,”: a nickname
    if not left or s.word_count > HEADING_MAX_WORDS:
        return None
    if left[-1] in TERM_MARKERS or (len(left) >= 2 and tuple(left[-2:]) in TERM_PHRASES):
        return _term(s, "marked_term")
    if left[-1] == "as" and "known" in left[-KNOWN_AS_REACH - 2 : -1]:
        return _term(s, "marked_term")  # known to supporters as “the Postman”: a nickname
    return None


# A work's title in quotation marks is at most this long.
WORK_TITLE_MAX_WORDS = 8


def _names_a_work(s: QuoteSituation, left: list[str]) -> bool:
    """ "her new book, “The Quiet Harbour,” …", "the film “Salt and Iron”": words in title
    case right after a noun for a work (or it and a comma) are the work's title."""
    noun = left[-2] if left[-1:] == [","] and len(left) >= 2 else (left[-1] if left else "")
    if noun not in WORK_NOUNS or s.word_count > WORK_TITLE_MAX_WORDS:
        return False
    return _title_case(s)


def _title_case(s: QuoteSituation) -> bool:
    """Every content word of the quotation is capitalised ("The Quiet Harbour")."""
    words = re.findall(r"[^\W\d_][\w’'\-]*", s.text)
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def scare_term(s: QuoteSituation) -> Decision | None:
    """One or two quoted words used as a label inside the writer's noun phrase, not as
    anyone's words: a “hit” off a database, an online “road map” for employers, toward
    “accelerated computing”, what she calls “tokens”, a quoted 'said', an acronym “ABC” as
    a subject. Not after "as a" (condemned him as a 'thief' quotes the speaker), nor when
    the quoted word modifies the noun after it (a “crucial” lesson)."""
    if s.word_count > TERM_MAX_WORDS or s.opens_frame or s.reads_as_utterance:
        return None
    quoted = s.text.strip()
    if not quoted or quoted[-1] in ".,!?;:" or (quoted[:1].isupper() and not quoted.isupper()):
        return None
    left = [w.lower() for w in s.left_words()]
    right = s.right_words()
    if quoted.isupper() and s.word_count == 1:
        return _term(s, "scare_term")  # a nickname or acronym in quotes
    if left and left[-1] in NAMING_VERBS:
        return _term(s, "scare_term")
    if s.person_speaks_in_frame:
        return None  # a person's cue in the sentence: the words are that person's
    if s.word_count == 1 and not quoted.endswith("ing") and speech_verb_base(quoted):
        return _term(s, "scare_term")  # the word "said" itself is mentioned
    if not left:
        return None
    next_word = right[0].lower() if right else ""
    modifies_next = next_word.isalpha() and next_word not in FUNCTION_WORDS | PREPOSITIONS | (
        COPULAS
    )
    if left[-1] in PREPOSITIONS and left[-1] != "as":
        return None if modifies_next else _term(s, "scare_term")
    determiner = next((i for i in (1, 2) if len(left) >= i and left[-i] in DETERMINERS), None)
    if determiner is None or modifies_next:
        return None
    if len(left) > determiner and left[-determiner - 1] == "as":
        return None
    if determiner == 2 and not left[-1].isalpha():
        return None
    return _term(s, "scare_term")


# "“…” (Ana Ruiz, speaking on Thursday)": a parenthesis right after the closing mark.
PARENTHESIS_AFTER = re.compile(r"[ \t]*\(\s*")
PARENTHESIS_NAME_REACH = 40


def parenthetical_credit(s: QuoteSituation) -> Decision | None:
    """ "… called it “a guess with a budget” (Ana Ruiz, speaking on Thursday).", "“…” (Ana
    Ruiz)": a parenthesis that opens right after the closing mark on a person's name,
    closed or followed by a comma at once, credits the quotation to that person."""
    text = s.analysis.parsed.text
    opened = PARENTHESIS_AFTER.match(text, s.quote.end + 1)  # after the closing mark
    if opened is None:
        return None
    facts = s.analysis.facts
    names = facts.mentions_between(opened.end(), opened.end() + PARENTHESIS_NAME_REACH)
    if not names:
        return None
    name = names[0]  # its titles, if any, open the parenthesis ("(Dr. Ana Ruiz)")
    if (
        name.surface_start != opened.end()
        or name.possessive
        or facts.kind(name.entity) != EntityKind.PERSON
        or text[name.end : name.end + 1] not in (",", ")")
    ):
        return None
    sieve = "parenthetical_credit"
    return Decision(
        s.structural_kind, speaker_from_entity(facts.names, name.entity), sieve,
        CONFIDENCE[sieve], text[name.start : name.end], None, "name", name.start,
    )  # fmt: skip


# "“Out, out, out,” the crowd chanted": how many words may stand between the closing mark
# and the chant verb (its subject), and the punctuation that may close the opening clause.
CHANT_SUBJECT_WORDS = 4
CHANT_CLAUSE_MARKS = frozenset({":", ","})


def crowd_chant(s: QuoteSituation) -> Decision | None:
    """ "“Fees down!” the students chanted", "hundreds chanted: “…”", "chanting “…”": a
    slogan a crowd repeats is nobody's own remark, so it has no speaker, whoever the
    sentence names as it goes on ("… chanted as Ana Ruiz took the stage")."""
    left = [w.lower() for w in s.left_words(2)]
    while left and left[-1] in CHANT_CLAUSE_MARKS:
        left.pop()
    right = s.right_words(CHANT_SUBJECT_WORDS + 1)
    before_punctuation = list(itertools.takewhile(lambda w: w[:1].isalnum(), right))
    chanted_after = any(w.lower() in CHANT_VERBS for w in before_punctuation)
    if not (left and left[-1] in CHANT_VERBS) and not chanted_after:
        return None
    return Decision(s.structural_kind, None, "crowd_chant", CONFIDENCE["crowd_chant"])


# "HOST: “…”", "ÉLODIE MARCHAND: “…”", "O’HARA: “…”", "Q. “…”": a transcript line's label,
# all that stands between its paragraph's start and the quotation's opening mark.
TRANSCRIPT_LABEL = re.compile(r"\s*(?P<label>[^\W\d_][^:“”\"‘«»\n]{0,60}?)\s*(?P<mark>[:.])\s*")


def transcript_label(s: QuoteSituation) -> Decision | None:
    """A transcript line: the label before the quotation names who speaks. A questioner's
    label (`Q`, `HOST`, `MODERATOR`, any bare role) names nobody; an answer's (`A`) is the
    person the article is about; an all-capital name (`ÉLODIE MARCHAND`, `MR. ABERNATHY`),
    titles dropped, is the person of the article who bears it, else that name as written.
    A label in ordinary capitals that names someone is left to the other sieves."""
    if any(e.ref is not None for e in s.events):
        return None
    text = s.analysis.parsed.text
    start, _ = s.analysis.layout.paragraphs[s.paragraph]
    found = TRANSCRIPT_LABEL.fullmatch(text, start, s.quote.start - 1)
    if found is None:
        return None
    label, mark = found.group("label"), found.group("mark")
    keys = [w.strip(".").lower() for w in label.split()]
    if mark == "." and (len(keys) != 1 or keys[0] not in QUESTION_LABELS | ANSWER_LABELS):
        return None  # "Mr. Ruiz. “…”" is no label; "Q. “…”" is
    speaker, rule = _label_speaker(s, label, keys)
    if speaker is None and rule is None:
        return None
    sieve = "transcript_label"
    return Decision(
        QuoteKind.DIRECT, speaker, sieve, CONFIDENCE[sieve], label, mark, rule,
        found.start("label"), found.start("mark"),
    )  # fmt: skip


def _label_speaker(
    s: QuoteSituation, label: str, keys: list[str]
) -> tuple[Speaker | None, str | None]:
    """Who a transcript label names, and by which rule; (None, None) when it is no label."""
    facts = s.analysis.facts
    if len(keys) == 1 and keys[0] in ANSWER_LABELS:
        entity = facts.salient_person(s.quote.start)
        if entity is None:
            return None, "label_answer"
        return speaker_from_entity(facts.names, entity), "label_answer"
    if all(_is_role_label(k) for k in keys):
        return None, "label_role"
    if not label.isupper():
        return None, None
    if keys[0] in DETERMINERS:
        return None, "label_role"  # "THE COURT", "THE WITNESS": a role, never a name
    words = label.split()
    while keys and _is_title_label(keys[0]):
        keys, words = keys[1:], words[1:]
    if not words:
        return None, "label_role"
    name = " ".join(words)
    parts = normalise_name(name).split()
    if not parts:
        return None, "label_role"
    bearers = [
        index
        for index, entity in enumerate(facts.names.entities.entities)
        if entity.kind == EntityKind.PERSON
        and normalise_name(entity.name).split()[-len(parts) :] == parts
    ]
    if len(bearers) == 1:
        return speaker_from_entity(facts.names, bearers[0]), "label_name"
    return Speaker(name=name, kind=EntityKind.PERSON, aliases=(label,)), "label_as_written"


def _is_role_label(key: str) -> bool:
    return key in QUESTION_LABELS or key in TITLES or key in UNNAMED_PERSON_HEADS


def _is_title_label(key: str) -> bool:
    """A title or honorific opening a label ("GOVERNOR", "MR.", "LT.")."""
    return (
        key in TITLES
        or key in HONORIFICS
        or f"{key}." in HONORIFICS
        or f"{key}." in TITLE_ABBREVIATIONS
        or key in OCCUPATIONS
    )


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
    if ref.kind in (RefKind.UNNAMED, RefKind.NOMINAL) and event.speaker is not None:
        sieve = "definite_description"
        return _from_event(s, kind, event, sieve)
    if ref.kind in (RefKind.UNNAMED, RefKind.NOMINAL, RefKind.NOMINAL_ORG) and (
        event.speaker is None
    ):
        return _from_event(s, kind, event, "unnamed_speaker", named=False)
    speaker = event.speaker
    if speaker is None:
        if ref.kind == RefKind.PRONOUN and _previous_speaker_of_other_gender(s, ref.gender):
            return _from_event(s, kind, event, "pronoun", named=False)
        return None
    sieve = _sieve_name(event, side)
    if ref.kind == RefKind.PRONOUN:
        sieve = "pronoun"
    elif speaker.kind.value == "organization":
        sieve = "organisation"
    return _from_event(s, kind, event, sieve)


def _previous_speaker_of_other_gender(s: QuoteSituation, gender: str | None) -> bool:
    """ "“…,” he said." with no one to be "he" nearby: the previous quotation's speaker may
    not be carried on when the article showed that speaker to be of the other gender."""
    previous = s.previous_decided()
    if gender is None or previous is None or previous[1].speaker is None:
        return False
    entity = previous[1].speaker.entity
    known = s.analysis.facts.gender(entity) if entity >= 0 else None
    return known is not None and known != gender


def _from_event(
    s: QuoteSituation,
    kind: QuoteKind,
    event: SpeechEvent,
    sieve: str,
    named: bool = True,
) -> Decision:
    """A decision that takes its mention, cue and resolution from a speech event; with
    `named` False the event names nobody in particular and the speaker stays unknown."""
    chosen = event.speaker if named else None
    ref = event.ref
    return Decision(
        kind,
        chosen,
        sieve,
        CONFIDENCE[sieve],
        ref.mention if ref else None,
        event.cue,
        event.resolution if chosen is not None else None,
        ref.start if ref else None,
        s.phrases.words[s.analysis.layout.frames[event.frame].items[event.position].word].start,
    )


def _sieve_name(event: SpeechEvent, side: str) -> str:
    if event.how == "cue_subject" and side == "after":
        return "cue_trailing"
    return event.how


def cue_after_question(s: QuoteSituation) -> Decision | None:
    """ "“Why not?” Ruiz asked.": a quotation ending in ? or ! ends the sentence for the
    tokenizer, but a name and a speech verb right after it are its cue."""
    if s.text.rstrip()[-1:] not in "?!" or s.position != len(s.frame.items) - 1:
        return None
    following = s.frame_index + 1
    frames = s.analysis.layout.frames
    if following >= len(frames) or frames[following].paragraph != s.paragraph:
        return None
    for event in s.analysis.events[following]:
        if event.position <= 4 and event.ref is not None and event.speaker is not None:
            return _from_event(s, QuoteKind.DIRECT, event, "cue_trailing")
    return None


def sentence_cue(s: QuoteSituation) -> Decision | None:
    """A quotation with no cue of its own in a sentence whose cue names someone beyond other
    quotations (“A,” but he is “B” and “C,” said the judge): that speaker."""
    named = [e for e in s.events if e.speaker is not None and e.ref is not None]
    if not named:
        return None
    after = [e for e in named if e.position > s.position]
    event = after[0] if after else named[-1]
    return _from_event(s, s.structural_kind, event, "sentence_cue")


def colon_introduction(s: QuoteSituation) -> Decision | None:
    """ "Weber wrote in the guest book: “…”": the clause before the colon speaks."""
    left = s.left_words()
    if not left or left[-1] != ":":
        return None
    ref = s.phrases.clause_subject(s.frame, s.position)
    resolved = _resolved(s, ref)
    if resolved is None or ref is None:
        return None
    speaker, rule = resolved
    colon = s.phrases.words[s.frame.items[s.position - 1].word].start
    sieve = "colon_introduction"
    return Decision(
        QuoteKind.DIRECT,
        speaker,
        sieve,
        CONFIDENCE[sieve],
        ref.mention,
        ":",
        rule,
        ref.start,
        colon,
    )


def _resolved(s: QuoteSituation, ref: SpeakerRef | None) -> tuple[Speaker, str] | None:
    """Stage 2 for a mention found by a sieve rather than by a speech event."""
    analysis = s.analysis
    found = resolve_ref(
        ref, analysis.events, analysis.layout, s.phrases, s.frame_index, analysis.facts
    )
    return (found.speaker, found.rule) if found else None


# A sentence right after a free-standing quotation that names where it came from.
CREDIT_AFTER = re.compile(
    r"[ \t]*(?:(?:that|this|those|these|such)\s+(?:was|were|is|are)\s+"
    r"(?:(?:the|one)\s+(?:[\w-]+\s+)?(?P<noun>[\w-]+)\s+of|how)"
    r"|the\s+(?:[\w-]+\s+)?(?P<came>[\w-]+)\s+came\s+from"
    r"|so\s+(?:said|says)"
    r"|(?:the|these|those|both)\s+(?:[\w-]+\s+)?(?:words|sentences|lines|remarks),?\s+"
    r"(?:first\s+)?(?:spoken|uttered)\s+by)\s",
    re.IGNORECASE,
)


def credited_after(s: QuoteSituation) -> Decision | None:
    """ "“We are out of water.” The warning came from Ana Ruiz, a doctor." / "That was the
    view of Ana Ruiz." / "That was how Ana Ruiz described it." / "So said Ana Ruiz." /
    "Those words, spoken by Ana Ruiz in 1990, …": a quotation standing alone as its
    sentence, and the next sentence of the paragraph (or, for a paragraph of nothing but
    quotations, the next paragraph's first) crediting it to someone: the first person or
    organisation that sentence names."""
    if not s.opens_frame or s.frame_has_cue or not s.reads_as_utterance:
        return None
    text = s.analysis.parsed.text
    credit = CREDIT_AFTER.match(text, s.quote.end + 1)  # after the closing mark
    paragraph = s.paragraph
    if credit is None and _only_quotations_in_paragraph(s):
        # "“We will not leave.”" as a paragraph of its own, then "So said Ana Ruiz, …"
        paragraph += 1
        paragraphs = s.analysis.layout.paragraphs
        if paragraph < len(paragraphs):
            credit = CREDIT_AFTER.match(text, paragraphs[paragraph][0])
    if credit is None:
        return None
    noun = (credit.group("noun") or credit.group("came") or "").lower()
    if noun and noun not in SOURCE_NOUNS:
        return None
    facts = s.analysis.facts
    frames = s.analysis.layout.frames
    frame = next(
        (f for f in itertools.islice(frames, s.frame_index, None) if f.end > credit.end()), None
    )
    if frame is None or frame.paragraph != paragraph:
        return None
    names = facts.mentions_between(credit.end(), frame.end)
    if not names or names[0].possessive:
        return None
    name = names[0]
    # The name must follow at once ("the view of the economist Ana Ruiz"): in "the message
    # of the poster, designed by Ana Ruiz" the words are the poster's, not Ruiz's.
    gap = [w.strip(".,").lower() for w in text[credit.end() : name.surface_start].split()]
    if any(w not in DETERMINERS and w not in TITLES for w in gap):
        return None
    sieve = "credited_after"
    return Decision(
        QuoteKind.DIRECT, speaker_from_entity(facts.names, name.entity), sieve,
        CONFIDENCE[sieve], text[name.start : name.end], None, "name", name.start,
    )  # fmt: skip


def _only_quotations_in_paragraph(s: QuoteSituation) -> bool:
    """Quotations, their marks and punctuation are the whole of the quotation's paragraph
    ("“The money is gone.” “Nobody can tell us where.”"). Looks at the quotations of this
    paragraph only, from this one outwards, so a long article costs linear time."""
    layout = s.analysis.layout
    quotes = s.analysis.quotes
    text = s.analysis.parsed.text
    start, end = layout.paragraphs[s.paragraph]
    inside = [s.index]
    for step in (-1, 1):
        other = s.index + step
        while 0 <= other < len(quotes) and layout.paragraph_of_quote[other] == s.paragraph:
            inside.append(other)
            other += step
    inside.sort()
    pieces, position = [], start
    for other in inside:
        pieces.append(text[position : quotes[other].start])
        position = quotes[other].end
    pieces.append(text[position:end])
    return not "".join(pieces).strip(" \t\n“”\"‘’'.!?,")


def continuation(s: QuoteSituation) -> Decision | None:
    """A quotation opening its sentence with no cue continues the previous quotation's
    speaker when that quotation is in this paragraph or the one before. A closed quotation
    of an earlier paragraph yields to a person this paragraph introduces alone before the
    quotation ("“…,” Berg said.¶Holm disagreed. “…”": Holm)."""
    if not s.opens_frame:
        return None
    if _previous_closed_in_earlier_paragraph(s):
        introduced = introduced_speaker(s)
        if introduced is not None:
            return introduced
    return _previous_speaker_carried(s, QuoteKind.CONTINUATION, "continuation")


def _previous_closed_in_earlier_paragraph(s: QuoteSituation) -> bool:
    previous = s.previous_decided()
    if previous is None:
        return False
    index = previous[0]
    return (
        s.analysis.layout.paragraph_of_quote[index] < s.paragraph
        and s.analysis.quotes[index].closed
    )


def previous_quote(s: QuoteSituation) -> Decision | None:
    """An embedded quotation in a sentence with no cue, right after another quotation,
    carries on that speaker (“may conduct …” after a quoted expert's paragraph)."""
    if s.frame_has_cue or _subject_other_than_previous_speaker(s):
        return None
    return _previous_speaker_carried(s, s.structural_kind, "previous_quote")


def _subject_other_than_previous_speaker(s: QuoteSituation) -> bool:
    """ "“…,” said Pastor X. The treasurer, Y, put the bill at “…”": the sentence's own
    subject before the quotation is a named person other than the previous quotation's
    speaker, so the words are not carried on to that speaker."""
    previous = s.previous_decided()
    if previous is None or previous[1].speaker is None:
        return False
    ref = s.phrases.clause_subject(s.frame, s.position)
    if ref is None or ref.kind != RefKind.NAMED:
        return False
    facts = s.analysis.facts
    return facts.kind(ref.entity) == EntityKind.PERSON and ref.entity != previous[1].speaker.entity


def _previous_speaker_carried(s: QuoteSituation, kind: QuoteKind, sieve: str) -> Decision | None:
    """The previous decided quotation's speaker, decided again by `sieve`."""
    previous = s.previous_decided()
    if previous is None:
        return None
    _, decision = previous
    carried = "carried" if decision.speaker is not None else None
    return Decision(kind, decision.speaker, sieve, CONFIDENCE[sieve], resolution=carried)


def short_term(s: QuoteSituation) -> Decision | None:
    """One or two quoted words with no speech cue and no speaker in scope: a term. Not when
    the words end on punctuation inside the marks (“Hello,”, “20-ish.”) or run on to the
    paragraph's end: those are utterances."""
    if s.frame_has_cue or s.word_count > TERM_MAX_WORDS or s.reads_as_utterance:
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
                    event.resolution,
                )
    return None


def introduced_speaker(s: QuoteSituation) -> Decision | None:
    """ "Lorenzo Bianchi, the mayor, did not hold back. “This budget is a disgrace.”": a
    quotation opening its sentence, with no cue anywhere near, right after a sentence of its
    paragraph that is about one person alone, whose subject that person is."""
    if not s.opens_frame or s.frame_index == 0:
        return None
    frame = s.analysis.layout.frames[s.frame_index - 1]
    if frame.paragraph != s.paragraph and not _quotation_paragraph_after_narrative(s, frame):
        return None
    if any(item.is_quote for item in frame.items):
        return None
    # A pronoun in a leading clause ("Asked whether she would return, Ines Ruiz laughed.")
    # is not the sentence's subject; the one person named below is checked instead.
    ref = s.phrases.clause_subject(frame, len(frame.items), nearest=False, skip_pronouns=True)
    if ref is None or ref.kind != RefKind.NAMED:
        return None
    facts = s.analysis.facts
    people = {
        n.entity
        for n in facts.mentions_between(frame.start, frame.end)
        if facts.kind(n.entity) == EntityKind.PERSON
    }
    if people != {ref.entity}:
        return None
    speaker = speaker_from_entity(s.phrases.names, ref.entity)
    sieve = "introduced_speaker"
    return Decision(
        QuoteKind.DIRECT, speaker, sieve, CONFIDENCE[sieve], ref.mention, None, "name", ref.start
    )


def _quotation_paragraph_after_narrative(s: QuoteSituation, before: Frame) -> bool:
    """ "X has chaired the trust since 2011.¶“This one is different.”": a paragraph of
    nothing but quotations right after a paragraph that quotes nobody; its last sentence
    may introduce the speaker as a sentence of the quotation's own paragraph does."""
    if before.paragraph != s.paragraph - 1 or not _only_quotations_in_paragraph(s):
        return False
    layout = s.analysis.layout
    for index, _ in reversed(s.earlier):  # in text order: stop at the paragraph before
        paragraph = layout.paragraph_of_quote[index]
        if paragraph == before.paragraph:
            return False
        if paragraph < before.paragraph:
            break
    return True


def sentence_subject(s: QuoteSituation) -> Decision | None:
    """Last resort for an embedded quotation: the person the sentence is about."""
    ref = s.phrases.clause_subject(s.frame, len(s.frame.items))
    if ref is None or ref.kind not in (RefKind.NAMED, RefKind.NOMINAL):
        return None
    resolved = _resolved(s, ref)
    if resolved is None:
        return None
    speaker, rule = resolved
    sieve = "sentence_subject"
    kind = s.structural_kind
    return Decision(kind, speaker, sieve, CONFIDENCE[sieve], ref.mention, None, rule, ref.start)


def _term(s: QuoteSituation, sieve: str) -> Decision:
    return Decision(QuoteKind.TERM, None, sieve, CONFIDENCE[sieve])


SIEVES: tuple[Sieve, ...] = (
    heading_term,
    marked_term,
    scare_term,
    parenthetical_credit,
    crowd_chant,
    transcript_label,
    cue_event,
    cue_after_question,
    colon_introduction,
    sentence_cue,
    credited_after,
    continuation,
    previous_quote,
    short_term,
    previous_speaker,
    introduced_speaker,
    sentence_subject,
)


def decide(situation: QuoteSituation) -> Decision:
    for sieve in SIEVES:
        decision = sieve(situation)
        if decision is not None:
            return decision
    return Decision(situation.structural_kind, None, "none", CONFIDENCE["none"])


def _name_or_title(word: str) -> bool:
    """A capitalised word (part of a name) or a title; punctuation counts as neither."""
    return word[:1].isupper() or word.lower() in TITLES
