"""Stage 2 of attribution: from the words that name a speaker (a mention) to an entity of the
article.

Stage 1 (`events.py`, `speakers.py`, `sieves.py`) finds the mention: a name, a pronoun, a
definite description ("the judge", "the 56-year-old German", "the agency"), an acronym. This
module resolves it, one rule at a time, and says which rule decided:

- `name`: a name of the article -> its entity (names are clustered by their parts).
- `pronoun_cataphora`: he/she in a leading clause ("Though he …, Judge Ana Ruiz said") ->
  the main clause's named subject.
- `pronoun_recent`: he/she -> the latest compatible person: the speakers, then the persons
  in subject position, then any person of this and the previous sentences, nearest first.
- `pronoun_salient`: he/she with nobody compatible nearby -> the article's dominant person.
- `nominal_role`: the judge / Portvale mayor / the minister -> the person the article gave that
  title or role (in front of the name, abbreviated or not, or in apposition).
- `nominal_org`: the agency / the ministry -> the latest organisation with that word in its
  name, else the latest organisation mentioned.
- `nominal_pair`: the former / the latter -> the first / second of the last two people
  named in the nearest sentence that names two.
- `nominal_salient`: the German / the 32-year-old -> the article's dominant person.
- `nominal_recent`: the clown / the host (right before a speech verb) -> the person who spoke
  or was the subject in the previous sentences.

Each rule returns None when it is not sure: an unknown speaker beats a wrong one.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotetrace_server.attribution.speakers import RefKind, speaker_from_entity
from quotetrace_server.entities.finder import ArticleNames, NameMention
from quotetrace_server.entities.lexicon import (
    ADVERSARY_NOUNS,
    DESCRIPTIVE_NOUNS,
    DETERMINERS,
    GENERAL_ROLES,
    GENERIC_ORG_HEADS,
    OFFICE_QUALIFIERS,
    ORG_HEAD_FORMS,
    ORG_NOMINAL_HEADS,
    PAIR_REFERENCES,
    PERSON_NOUN_GENDERS,
    PERSON_PRONOUNS,
    POSSESSIVE_PERSON_PRONOUNS,
    PREPOSITIONS,
    TITLE_ABBREVIATIONS,
    TITLES,
    is_epithet_phrase,
    word_set,
)
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.words import Word
from quotetrace_server.quotes.model import QuoteSpan

if TYPE_CHECKING:
    from quotetrace_server.attribution.events import SpeechEvent
    from quotetrace_server.attribution.frames import Frame, Layout
    from quotetrace_server.attribution.speakers import NounPhrases, Speaker, SpeakerRef

# How far back a pronoun or a description looks for its antecedent.
FRAMES_BACK = 8
PARAGRAPHS_BACK = 3
# How far back (characters) "the agency" looks for the organisation it names.
ORGANISATION_WINDOW = 20_000
# A leading subordinate clause whose pronoun points forward to the main clause's subject.
SUBORDINATORS = word_set("as though although while when after before since because if even once")
# The person an article is about: at least this many mentions, and more than anyone else.
SALIENT_MIN_MENTIONS = 2
APPOSITION = re.compile(r",\s+(?:(?:the|a|an)\s+)?([^,.;:“”\"()\n]{2,80}?)\s*[,.;]")


@dataclass
class Resolution:
    speaker: Speaker
    rule: str


@dataclass
class ArticleFacts:
    """What resolution needs to know about the article's entities, computed once."""

    names: ArticleNames
    text: str = ""
    quotes: list[QuoteSpan] = field(default_factory=list)
    roles: dict[int, set[str]] = field(default_factory=dict)  # entity -> title/role words
    mentions: list[NameMention] = field(default_factory=list)  # resolvable, in text order
    _starts: list[int] = field(default_factory=list)
    _entity_starts: dict[int, list[int]] = field(default_factory=dict)  # sorted, per entity
    _holders: dict[str, list[NameMention]] = field(default_factory=dict)  # role -> persons

    @classmethod
    def of(cls, names: ArticleNames, text: str, quotes: list[QuoteSpan]) -> ArticleFacts:
        """Facts from the narrative: names inside quotations are what a speaker talks
        about, never what a narrative pronoun or description refers to."""
        facts = cls(names=names, text=text, quotes=quotes)
        inside = _inside_quotes(quotes)
        facts.mentions = [n for n in names.names if n.entity >= 0 and not inside(n.start)]
        facts._starts = [n.start for n in facts.mentions]
        for name in facts.mentions:
            facts._entity_starts.setdefault(name.entity, []).append(name.start)
        for name in facts.mentions:
            roles = facts.roles.setdefault(name.entity, set())
            titles = name.surface[: name.start - name.surface_start]
            roles.update(_content_words(titles))
            apposed = APPOSITION.match(text, name.end)
            if apposed and not name.possessive:
                roles.update(_content_words(apposed.group(1)))
            roles.update(_content_words(_role_apposed_before(text, name.surface_start)))
        return facts

    def mentions_between(self, start: int, end: int) -> list[NameMention]:
        """The resolvable mentions starting in [start, end), found by bisection."""
        starts = self._starts
        return self.mentions[bisect_left(starts, start) : bisect_left(starts, end)]

    def role_holders(self, role: str) -> list[NameMention]:
        """Mentions of persons the article gave `role`, in text order (built once)."""
        if not self._holders:
            for name in self.mentions:
                if self.kind(name.entity) != EntityKind.PERSON:
                    continue
                for word in self.roles.get(name.entity, ()):
                    self._holders.setdefault(word, []).append(name)
            self._holders.setdefault("", [])
        return self._holders.get(role, [])

    def kind(self, entity: int) -> EntityKind:
        return self.names.entities.entities[entity].kind

    def gender(self, entity: int) -> str | None:
        return self.names.genders.get(entity)

    def learn_gender(self, entity: int, gender: str | None) -> None:
        """A pronoun resolved to a person tells that person's gender for later pronouns."""
        if gender is not None and self.kind(entity) == EntityKind.PERSON:
            self.names.genders.setdefault(entity, gender)

    def counts_before(self, offset: int) -> Counter[int]:
        """Mentions per entity before `offset` (bisection per entity, not a text scan)."""
        return Counter(
            {
                entity: count
                for entity, starts in self._entity_starts.items()
                if (count := bisect_left(starts, offset))
            }
        )

    def salient_person(self, offset: int, gender: str | None = None) -> int | None:
        """The dominant person so far: the only one, or the one with most mentions (at least
        two), strictly ahead of the next one."""
        counts = [
            (count, entity)
            for entity, count in self.counts_before(offset).most_common()
            if self.kind(entity) == EntityKind.PERSON and _gender_fits(self.gender(entity), gender)
        ]
        if not counts or (counts[0][0] < SALIENT_MIN_MENTIONS and len(counts) > 1):
            return None  # the only person so far, or the one mentioned most
        if len(counts) > 1 and counts[1][0] == counts[0][0]:
            return None
        return counts[0][1]


# "the chairwoman, Senator Ana Ruiz": a role phrase and a comma right before the name.
ROLE_BEFORE = re.compile(r"([^,.;:“”\"()\n]{2,80}),\s*$")
ROLE_LOOKBACK = 100
POSSESSIVE = ("'s", "’s", "s'", "s’")


def _role_apposed_before(text: str, name_start: int) -> str:
    """The role phrase in apposition before a name ("pressed the chief executive of Acme,
    Ana Ruiz", "the chairwoman, Senator Ana Ruiz"): from its last determiner, which no
    preposition may stand before ("after a meeting with the mayor, Ana Ruiz said" gives
    Ruiz no role), to the comma, when a title heads it."""
    found = ROLE_BEFORE.search(text, max(0, name_start - ROLE_LOOKBACK), name_start)
    if found is None:
        return ""
    words = found.group(1).split()
    # "the chief executive of Acme, Ana Ruiz" opens on a determiner; "Acme's chief
    # executive, Ana Ruiz" on its possessor.
    opener = max(
        (i for i, w in enumerate(words) if w.lower() in DETERMINERS or w.endswith(POSSESSIVE)),
        default=-1,
    )
    if opener < 0 or (opener > 0 and words[opener - 1].lower() in PREPOSITIONS):
        return ""
    phrase = [w.lower() for w in words[opener + 1 :]]
    head = next((i for i, w in enumerate(phrase) if w in PREPOSITIONS), len(phrase)) - 1
    return " ".join(phrase) if head >= 0 and phrase[head] in TITLES else ""


def _inside_quotes(quotes: list[QuoteSpan]) -> Callable[[int], bool]:
    starts = [q.start for q in quotes]

    def inside(offset: int) -> bool:
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < quotes[index].end

    return inside


def _content_words(text: str) -> set[str]:
    words = {w.strip(",'’").lower() for w in text.split()}
    words |= {TITLE_ABBREVIATIONS[w] for w in words if w in TITLE_ABBREVIATIONS}
    words = {w.strip(".") for w in words}
    words |= {GENERAL_ROLES[w] for w in words if w in GENERAL_ROLES}
    return {w for w in words if w and w not in DETERMINERS and w not in PREPOSITIONS}


# Pronouns that open a sentence about the person of the sentence before ("Her assistant,
# …", "He has …"), with the gender they give that person.
OPENING_PRONOUNS = PERSON_PRONOUNS | POSSESSIVE_PERSON_PRONOUNS


def learn_genders_from_openers(layout: Layout, words: list[Word], facts: ArticleFacts) -> None:
    """ "Ana Ruiz coaches the side. Her assistant, Bo Lin, …": a sentence opening on a
    pronoun right after a sentence of the same paragraph that names one person alone tells
    that person's gender, when every such sentence agrees (given names carry no gender
    here). Honorifics already seen win."""
    votes: dict[int, set[str]] = {}
    for before, frame in zip(layout.frames, layout.frames[1:], strict=False):
        if before.paragraph != frame.paragraph or not frame.items or frame.items[0].is_quote:
            continue
        gender = OPENING_PRONOUNS.get(words[frame.items[0].word].lower)
        if gender is None:
            continue
        people = {
            n.entity
            for n in facts.mentions_between(before.start, before.end)
            if facts.kind(n.entity) == EntityKind.PERSON
        }
        if len(people) == 1:
            votes.setdefault(people.pop(), set()).add(gender)
    _vote_coordinated_pronouns(layout, words, facts, votes)
    _vote_leading_clause_possessives(layout, words, facts, votes)
    for entity, genders in votes.items():
        if len(genders) == 1:
            facts.learn_gender(entity, genders.pop())


# Words that join a second main clause whose subject pronoun is the first clause's subject.
CLAUSE_JOINERS = frozenset({"and", "but", ";"})


def _vote_coordinated_pronouns(
    layout: Layout, words: list[Word], facts: ArticleFacts, votes: dict[int, set[str]]
) -> None:
    """ "Hilary Portland founded the club in 1987, and she ran it until …": in a sentence that
    names one person alone, a he/she opening a clause joined after the name is that person."""
    for frame in layout.frames:
        named = [
            n
            for n in facts.mentions_between(frame.start, frame.end)
            if facts.kind(n.entity) == EntityKind.PERSON and not n.possessive
        ]
        if len({n.entity for n in named}) != 1:
            continue
        narrative = [words[item.word] for item in frame.items if not item.is_quote]
        for before, word in itertools.pairwise(narrative):
            gender = PERSON_PRONOUNS.get(word.lower)
            if gender and word.start > named[0].end and before.lower in CLAUSE_JOINERS:
                votes.setdefault(named[0].entity, set()).add(gender)


def _vote_leading_clause_possessives(
    layout: Layout, words: list[Word], facts: ArticleFacts, votes: dict[int, set[str]]
) -> None:
    """ "On the latest episode of her podcast, Ana Ruiz asked …": a possessive his/her in a
    leading clause that names nobody, closed by the comma right before the sentence's first
    person, is that person's (the main clause's subject)."""
    for frame in layout.frames:
        named = [
            n
            for n in facts.mentions_between(frame.start, frame.end)
            if facts.kind(n.entity) == EntityKind.PERSON
        ]
        if not named or named[0].possessive:
            continue
        leading = _leading_clause(frame, words, named[0].surface_start)
        for word, following in itertools.pairwise(leading):
            gender = POSSESSIVE_PERSON_PRONOUNS.get(word.lower)
            if gender and following.text.isalpha() and following.text.islower():
                votes.setdefault(named[0].entity, set()).add(gender)
                break


def _leading_clause(frame: Frame, words: list[Word], subject_start: int) -> list[Word]:
    """The narrative words before `subject_start` when they make a leading adverbial clause
    (opened by a preposition or a subordinator, closed by a comma, no quotation), else none."""
    leading: list[Word] = []
    for item in frame.items:
        if item.is_quote:
            return []
        word = words[item.word]
        if word.start >= subject_start:
            break
        leading.append(word)
    if len(leading) < 2 or leading[-1].text != ",":
        return []
    # "On her podcast, X …" is a leading clause; "Her successor, X, …" an apposition.
    opener = leading[0].lower
    return leading if opener in PREPOSITIONS or opener in SUBORDINATORS else []


def _gender_fits(known: str | None, wanted: str | None) -> bool:
    return known is None or wanted is None or known == wanted


def speaker_of(facts: ArticleFacts, entity: int) -> Speaker:
    return speaker_from_entity(facts.names, entity)


# --- pronouns --------------------------------------------------------------------------


def resolve_pronoun(
    ref: SpeakerRef,
    frame_index: int,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    facts: ArticleFacts,
) -> Resolution | None:
    found = (
        _cataphora(ref, frame_index, layout, phrases, facts)
        or _recent_person(ref, frame_index, earlier, layout, phrases, facts)
        or _salient(ref, facts)
    )
    if found is not None and found.speaker.entity >= 0:
        facts.learn_gender(found.speaker.entity, ref.gender)
    return found


def _cataphora(
    ref: SpeakerRef, frame_index: int, layout: Layout, phrases: NounPhrases, facts: ArticleFacts
) -> Resolution | None:
    """ "Even as he described …, Judge Ana Ruiz tore into …": the pronoun of a leading
    subordinate clause is the main clause's subject."""
    frame = layout.frames[frame_index]
    words = [phrases.words[i.word] for i in frame.items if not i.is_quote]
    if not words or words[0].lower not in SUBORDINATORS:
        return None
    boundaries = _clause_commas(frame, phrases, facts)
    if any(b <= ref.start for b in boundaries):
        return None
    boundary = next((b for b in boundaries if b > ref.start), None)
    if boundary is None:
        return None
    for name in facts.mentions:
        if name.surface_start < boundary or name.start >= frame.end:
            continue
        if facts.kind(name.entity) != EntityKind.PERSON or name.possessive:
            return None
        if _gender_fits(facts.gender(name.entity), ref.gender):
            return Resolution(speaker_of(facts, name.entity), "pronoun_cataphora")
        return None
    return None


def _clause_commas(frame: Frame, phrases: NounPhrases, facts: ArticleFacts) -> list[int]:
    """End offsets of the commas that close clauses in `frame`, a comma just inside a
    quotation's closing mark included (“…smart,” Judge Ruiz said)."""
    ends = []
    for item in frame.items:
        if item.is_quote:
            quote = facts.quotes[item.quote]
            if facts.text[quote.start : quote.end].rstrip().endswith(","):
                ends.append(quote.end + 1)
        elif phrases.words[item.word].text == ",":
            ends.append(phrases.words[item.word].end)
    return ends


def _recent_person(
    ref: SpeakerRef,
    frame_index: int,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    facts: ArticleFacts,
) -> Resolution | None:
    """The nearest compatible person, sentence by sentence backwards: in each sentence, its
    speakers first, then persons in subject position, then any person it mentions."""
    for index, frame in _frames_back(layout, frame_index):
        limit = ref.start if index == frame_index else frame.end
        for speaker in _candidates_in_frame(index, limit, earlier, phrases, facts, layout):
            if _person_the_pronoun_fits(speaker, ref, facts):
                return Resolution(speaker, "pronoun_recent")
    return None


def antecedent_is_unnamed(
    ref: SpeakerRef,
    frame_index: int,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    facts: ArticleFacts,
) -> bool:
    """ "A spokeswoman for the board said …. “…,” she said.": the nearest sentence before
    the pronoun that has a compatible person has an unnamed speaker whose noun tells the
    pronoun's gender (spokeswoman, her mother); the pronoun is that unnamed person, not
    someone named further back."""
    if ref.gender is None:
        return False
    for index, frame in _frames_back(layout, frame_index):
        limit = ref.start if index == frame_index else frame.end
        unnamed = [
            e.ref
            for e in (earlier[index] if index < len(earlier) else [])
            if e.speaker is None
            and e.ref is not None
            and e.ref.kind == RefKind.UNNAMED
            and e.ref.start < limit
        ]
        if any(PERSON_NOUN_GENDERS.get(_head_word(u.mention)) == ref.gender for u in unnamed):
            return True
        for speaker in _candidates_in_frame(index, limit, earlier, phrases, facts, layout):
            if _person_the_pronoun_fits(speaker, ref, facts):
                return False
    return False


def antecedent_is_a_pair(
    ref: SpeakerRef,
    frame_index: int,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    facts: ArticleFacts,
) -> bool:
    """ "Ana Ruiz and Bea Lin left together. “…,” she said.": the nearest sentence with a
    person the pronoun fits opens on two people joined by "and" whom it fits alike; either
    may be meant, so the pronoun names nobody rather than the first of them."""
    if ref.gender is None:
        return False
    for index, frame in _frames_back(layout, frame_index):
        limit = ref.start if index == frame_index else frame.end
        fitting = [
            c.entity
            for c in _candidates_in_frame(index, limit, earlier, phrases, facts, layout)
            if _person_the_pronoun_fits(c, ref, facts)
        ]
        if not fitting:
            continue
        group = phrases.clause_subject(frame, len(frame.items), nearest=False)
        if group is None or group.kind != RefKind.GROUP or group.start >= limit:
            return False
        members = {
            n.entity
            for n in facts.mentions_between(group.start, group.start + len(group.mention))
            if facts.kind(n.entity) == EntityKind.PERSON
            and _gender_fits(facts.gender(n.entity), ref.gender)
        }
        return len(members) >= 2 and fitting[0] in members
    return False


def _frames_back(
    layout: Layout, frame_index: int, paragraphs_back: int = PARAGRAPHS_BACK
) -> Iterator[tuple[int, Frame]]:
    """The sentence at `frame_index` and those before it, nearest first, as far as a
    pronoun or a nominal reaches back: FRAMES_BACK sentences, `paragraphs_back`
    paragraphs."""
    paragraph = layout.frames[frame_index].paragraph
    for index in range(frame_index, max(frame_index - FRAMES_BACK, 0) - 1, -1):
        frame = layout.frames[index]
        if paragraph - frame.paragraph > paragraphs_back:
            return
        yield index, frame


def _known_gender(facts: ArticleFacts, speaker: Speaker) -> str | None:
    return facts.gender(speaker.entity) if speaker.entity >= 0 else None


def _person_the_pronoun_fits(speaker: Speaker, ref: SpeakerRef, facts: ArticleFacts) -> bool:
    """Whether `speaker` is a person whose known gender (if any) fits the pronoun `ref`."""
    return speaker.kind == EntityKind.PERSON and _gender_fits(
        _known_gender(facts, speaker), ref.gender
    )


def resolve_adversary(
    ref: SpeakerRef, frame_index: int, earlier: list[list[SpeechEvent]], facts: ArticleFacts
) -> Speaker | None:
    """ "Her opponent countered: “…”": of the last two people who spoke, the one the
    possessive pronoun cannot be (by the gender known for them) when it can be only the
    other. Nobody when both or neither fit."""
    words = ref.mention.lower().split()
    if len(words) != 2 or words[1] not in ADVERSARY_NOUNS:
        return None
    gender = POSSESSIVE_PERSON_PRONOUNS.get(words[0])
    if gender is None:
        return None
    recent: list[Speaker] = []
    for events in reversed(earlier[max(0, frame_index - FRAMES_BACK) : frame_index + 1]):
        for event in reversed(events):
            speaker = event.speaker
            if speaker is None or speaker.entity < 0 or speaker.kind != EntityKind.PERSON:
                continue
            if event.ref is None or event.ref.start >= ref.start:
                continue
            if all(s.entity != speaker.entity for s in recent):
                recent.append(speaker)
        if len(recent) >= 2:
            break
    pair = recent[:2]
    fits = [s for s in pair if _gender_fits(facts.gender(s.entity), gender)]
    if len(pair) < 2 or len(fits) != 1:
        return None
    return pair[1] if fits[0] is pair[0] else pair[0]


def _candidates_in_frame(
    index: int,
    limit: int,
    earlier: list[list[SpeechEvent]],
    phrases: NounPhrases,
    facts: ArticleFacts,
    layout: Layout,
) -> list[Speaker]:
    """Who a pronoun may point to in one sentence, in order of preference: its speakers
    (a single word no full name explains included), then the persons in subject position,
    then any person it mentions outside a prepositional phrase."""
    frame = layout.frames[index]
    in_frame = facts.mentions_between(frame.start, min(frame.end, limit))
    speakers = []
    if index < len(earlier):
        speakers = [
            e.speaker
            for e in earlier[index]
            if e.speaker is not None and e.ref is not None and e.ref.start < limit
        ]
    subjects = [
        speaker_of(facts, n.entity)
        for n in in_frame
        if not n.possessive and not phrases.after_preposition(n.first_word)
    ]
    others = [
        speaker_of(facts, n.entity) for n in in_frame if not phrases.after_preposition(n.first_word)
    ]
    return speakers + subjects + others


def _salient(ref: SpeakerRef, facts: ArticleFacts) -> Resolution | None:
    entity = facts.salient_person(ref.start, ref.gender)
    if entity is None:
        return None
    return Resolution(speaker_of(facts, entity), "pronoun_salient")


# --- definite descriptions ---------------------------------------------------------------


def resolve_nominal(
    ref: SpeakerRef,
    frame_index: int,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    facts: ArticleFacts,
) -> Resolution | None:
    """ "the judge", "Portvale mayor", "the agency", "the 61-year-old Dane"."""
    head = _head_word(ref.mention)
    if head in PAIR_REFERENCES:
        return _one_of_a_pair(ref, head, frame_index, layout, facts)
    if head in ORG_NOMINAL_HEADS:
        return _latest_organisation(ref, head, facts, earlier)
    if head in TITLES:
        found = _by_role(ref, head, facts)
        if found is not None:
            return found
    if head in DESCRIPTIVE_NOUNS or head.endswith("year-old") or _ends_with_demonym(ref.mention):
        entity = facts.salient_person(ref.start)
        if entity is not None:
            return Resolution(speaker_of(facts, entity), "nominal_salient")
        return None
    if is_epithet_phrase(ref.mention.lower().split()):
        return _person_just_named(ref, frame_index, layout, facts)
    if _aged(ref.mention):
        return _person_just_named(ref, frame_index, layout, facts) or _salient_nominal(ref, facts)
    if head in TITLES:
        return None
    found = _recent_person(ref, frame_index, earlier, layout, phrases, facts)
    if found is None:
        return None
    return Resolution(found.speaker, "nominal_recent")


def _aged(mention: str) -> bool:
    """ "the 22-year-old forward": an age before the head noun."""
    words = mention.lower().split()
    return len(words) >= 3 and words[-2].endswith("year-old")


def _person_just_named(
    ref: SpeakerRef, frame_index: int, layout: Layout, facts: ArticleFacts
) -> Resolution | None:
    """ "The goal came from Ana Ruiz, who … “…,” the 22-year-old forward said.": the one
    person of the nearest earlier sentence that names anyone, wherever it stands in that
    sentence (an age and an occupation describe someone just introduced). Nobody when that
    sentence names two."""
    for _, frame in _frames_back(layout, frame_index):
        people = {
            name.entity
            for name in facts.mentions_between(frame.start, min(frame.end, ref.start))
            if facts.kind(name.entity) == EntityKind.PERSON
        }
        if len(people) == 1:
            return Resolution(speaker_of(facts, people.pop()), "nominal_recent")
        if people:
            return None
    return None


def _salient_nominal(ref: SpeakerRef, facts: ArticleFacts) -> Resolution | None:
    entity = facts.salient_person(ref.start)
    return Resolution(speaker_of(facts, entity), "nominal_salient") if entity is not None else None


def _one_of_a_pair(
    ref: SpeakerRef, head: str, frame_index: int, layout: Layout, facts: ArticleFacts
) -> Resolution | None:
    """ "Ana Ruiz and Bo Lin clashed. The former said …": the nearest sentence before the
    mention that names two or more people; of its last two, the first is "the former" and
    the second "the latter". Nobody when no sentence near names two."""
    for _, frame in _frames_back(layout, frame_index, paragraphs_back=1):
        people: list[int] = []
        for name in facts.mentions_between(frame.start, min(frame.end, ref.start)):
            if facts.kind(name.entity) == EntityKind.PERSON and not name.possessive:
                if name.entity in people:
                    people.remove(name.entity)
                people.append(name.entity)
        if len(people) >= 2:
            return Resolution(speaker_of(facts, people[-2:][PAIR_REFERENCES[head]]), "nominal_pair")
    return None


def _head_word(mention: str) -> str:
    words = [w.strip(".,'’").lower() for w in mention.split()]
    return words[-1] if words else ""


def _ends_with_demonym(mention: str) -> bool:
    words = [w.strip(".,'’").lower() for w in mention.split()]
    return len(words) >= 2 and words[-2] in DESCRIPTIVE_NOUNS  # "the German boss"


def _by_role(ref: SpeakerRef, head: str, facts: ArticleFacts) -> Resolution | None:
    """The person the article gave this title or role: the latest one before the mention,
    else (a headline, a leading clause) the first one after it. A holder of a qualified
    office (the shadow minister) is not "the minister" unless the mention says so too."""
    wanted = OFFICE_QUALIFIERS & set(ref.mention.lower().split())
    holders = [
        n
        for n in facts.role_holders(head)
        if OFFICE_QUALIFIERS & facts.roles.get(n.entity, set()) <= wanted
    ]
    before = bisect_left(holders, ref.start, key=lambda n: n.start)
    chosen = holders[before - 1] if before else (holders[0] if holders else None)
    if chosen is None:
        return None
    return Resolution(speaker_of(facts, chosen.entity), "nominal_role")


def _latest_organisation(
    ref: SpeakerRef, head: str, facts: ArticleFacts, earlier: list[list[SpeechEvent]]
) -> Resolution | None:
    """The latest organisation named with this word ("the agency" -> "Civil Defence
    Agency"), else the latest organisation that has spoken in the article."""
    window = facts.mentions_between(max(0, ref.start - ORGANISATION_WINDOW), ref.start)
    organisations = [n for n in window if facts.kind(n.entity) == EntityKind.ORGANIZATION]
    forms = ORG_HEAD_FORMS.get(head, frozenset({head}))
    named_so = [n.entity for n in organisations if forms & set(n.text.lower().split())]
    spoke = [
        e.speaker.entity
        for events in earlier[-FRAMES_BACK * 4 :]
        for e in events
        if e.speaker is not None
        and e.speaker.entity >= 0
        and e.speaker.kind == EntityKind.ORGANIZATION
        and e.ref is not None
        and e.ref.start < ref.start
    ]
    candidates = named_so or spoke or _sole_organisation(head, organisations)
    if not candidates:
        return None
    return Resolution(speaker_of(facts, candidates[-1]), "nominal_org")


def _sole_organisation(head: str, organisations: list[NameMention]) -> list[int]:
    """ "Talvik Foods recalled …" then "the company said": a head that names no kind of
    organisation in particular refers to the article's organisation when it has only one
    so far; with two or more, nobody."""
    if head not in GENERIC_ORG_HEADS:
        return []
    entities = {n.entity for n in organisations}
    return list(entities) if len(entities) == 1 else []
