"""Speech events: each speech cue in the narrative with the speaker it names.

Found for every sentence, not only those with quotations, because a later "he said" is
resolved against the speakers of earlier sentences ("..., Ana Lima, a researcher who ...,
told AFP." then "“…,” she said.").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from quotetrace_server.attribution.cues import (
    ACCORDING_TO,
    IN_THE_WORDS_OF,
    SOURCE_NOUNS,
    is_speech_noun,
    speech_verb_base,
)
from quotetrace_server.attribution.frames import Frame, Layout
from quotetrace_server.attribution.resolve import (
    ArticleFacts,
    Resolution,
    antecedent_is_a_pair,
    antecedent_is_unnamed,
    resolve_adversary,
    resolve_nominal,
    resolve_pronoun,
)
from quotetrace_server.attribution.speakers import (
    AUTHOR_PREPOSITIONS,
    CLAUSE_WORDS,
    NounPhrases,
    RefKind,
    Speaker,
    SpeakerRef,
    speaker_from_entity,
    speaker_from_ref,
)
from quotetrace_server.entities.lexicon import (
    BACK_SPEECH_VERBS,
    ELDER_KIN,
    GENERATION_WORDS,
    KINSHIP_NOUNS,
    OBJECT_PERSON_PRONOUNS,
    PASSIVE_AUXILIARIES,
    PERSON_PRONOUNS,
    POSSESSIVE_DETERMINERS,
    PREPOSITIONS,
    TITLES,
    WORD_PASSING_VERBS,
    YOUNGER_KIN,
)
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.nlp.model import ParsedText


@dataclass
class SpeechEvent:
    frame: int
    position: int  # item index in the frame
    cue: str  # the cue as written ("said", "according to")
    base: str  # "say", "according to", or the noun
    how: str  # which rule found the subject: see SUBJECT_RULES
    ref: SpeakerRef | None
    speaker: Speaker | None = None  # resolved (pronouns resolved against earlier events)
    is_noun: bool = False
    resolution: str | None = None  # the stage-2 rule that resolved `ref` (resolve.py)


SUBJECT_RULES = (
    "depparse_subject",  # nsubj of the cue verb, when stanza's depparse ran
    "cue_subject",  # noun phrase before the verb ("Lima said", "X, an expert, told")
    "cue_inverted",  # noun phrase after the verb ("said Tomas Berg")
    "clause_subject",  # coordinated or participle verb: the clause's subject
    "participle_subject",  # sentence-initial participle: the main clause's subject
    "according_to",
)


# How many earlier names a description ("the minister") is compared with.
DESCRIPTION_LOOKBACK = 200


def find_events(
    parsed: ParsedText, layout: Layout, phrases: NounPhrases, facts: ArticleFacts
) -> list[list[SpeechEvent]]:
    all_events: list[list[SpeechEvent]] = []
    dependencies = _DependencyIndex(parsed, phrases) if "depparse" in parsed.processors else None
    for frame_index, frame in enumerate(layout.frames):
        events = _events_in_frame(frame_index, frame, phrases, dependencies)
        all_events.append(events)
        for event in events:
            if _points_to_unnamed(event, all_events, layout, phrases, frame_index, facts):
                continue
            resolved = _resolve(event, all_events, layout, phrases, frame_index, facts)
            if resolved is not None:
                event.speaker, event.resolution = resolved.speaker, resolved.rule
    return all_events


def _events_in_frame(
    frame_index: int,
    frame: Frame,
    phrases: NounPhrases,
    dependencies: _DependencyIndex | None,
) -> list[SpeechEvent]:
    events: list[SpeechEvent] = []
    words = phrases.words
    for position, item in enumerate(frame.items):
        if item.is_quote:
            continue
        word = words[item.word]
        if _is_according_to(frame, position, phrases):
            ref = phrases.phrase_after(frame, position + 1)
            events.append(
                SpeechEvent(
                    frame_index, position, "according to", "according to", "according_to", ref
                )
            )
            continue
        if _is_in_the_words_of(frame, position, phrases):
            ref = phrases.phrase_after(frame, position + 3)
            cue = "in the words of"
            events.append(SpeechEvent(frame_index, position, cue, cue, "according_to", ref))
            continue
        speech_noun = is_speech_noun(word.text) and not word.capitalised
        view_noun = word.lower in SOURCE_NOUNS and not speech_noun and not word.capitalised
        # "Ms. Ruiz’s reply was short: “…”": after a possessor, a noun, and the possessor speaks.
        possessor = phrases.possessor_before(frame, position) if speech_noun or view_noun else None
        if view_noun:
            # "Her verdict: “…”", "Ruiz's advice was simple: “…”": a possessed view that a
            # colon opens speaks like a possessed remark; elsewhere "her verdict" is no cue.
            speech_noun = possessor is not None and _colon_follows(frame, position, phrases)
            possessor = possessor if speech_noun else None
        if possessor is not None:
            possessor = _passive_agent_after(frame, position, phrases) or possessor
        # "The warning from Ana Ruiz was blunt: “…”": the noun, with its author, not the verb.
        author = _author_before_colon(frame, position, phrases) if speech_noun else None
        base = (
            None
            if possessor or author
            else speech_verb_base(word.text, word.lemma, word.upos)
            or _reply_verb_base(frame, position, phrases)
        )
        if base is not None:
            how, ref = _verb_subject(frame, position, phrases, dependencies)
            events.append(SpeechEvent(frame_index, position, word.text, base, how, ref))
        elif speech_noun:
            ref = possessor or author or phrases.clause_subject(frame, position)
            events.append(
                SpeechEvent(
                    frame_index,
                    position,
                    word.text,
                    word.lower,
                    "clause_subject",
                    ref,
                    is_noun=True,
                )
            )
    return events


def _reply_verb_base(frame: Frame, position: int, phrases: NounPhrases) -> str | None:
    """ "“…,” Oakes shot back": a verb that reports a reply only with "back" after it."""
    base = BACK_SPEECH_VERBS.get(phrases.words[frame.items[position].word].lower)
    following = position + 1
    if base is None or following >= len(frame.items) or frame.items[following].is_quote:
        return None
    return base if phrases.words[frame.items[following].word].lower == "back" else None


# How far a colon may follow the noun that it completes ("Her advice to young farmers
# was simple: “…”").
COLON_REACH = 12


def _colon_follows(frame: Frame, position: int, phrases: NounPhrases) -> bool:
    """A colon closes the clause after item `position`, before any quotation."""
    for index in range(position + 1, min(len(frame.items), position + COLON_REACH)):
        if frame.items[index].is_quote:
            return False
        if phrases.words[frame.items[index].word].text == ":":
            return True
    return False


def _author_before_colon(frame: Frame, noun: int, phrases: NounPhrases) -> SpeakerRef | None:
    """ "The message from Archbishop Ana Ruiz was clear: “…”": the named source of a speech
    noun that a colon completes speaks."""
    after = noun + 1
    if after + 1 >= len(frame.items) or frame.items[after].is_quote:
        return None
    if phrases.words[frame.items[after].word].lower not in AUTHOR_PREPOSITIONS:
        return None
    author = phrases.name_starting_at(frame, after + 1)
    if author is None or author.kind != RefKind.NAMED:
        return None
    return author if _colon_follows(frame, after + 1, phrases) else None


def _passive_agent_after(frame: Frame, noun: int, phrases: NounPhrases) -> SpeakerRef | None:
    """The agent of a passive verb after a possessed speech noun ("Her words were echoed by
    the opposition leader, Y: “…”"): Y answers, the possessor no longer speaks. A verb that
    only passes the possessor's words on ("Her statement was read by her lawyer") keeps the
    possessor, as does any clause a quotation interrupts before the "by"."""
    words = phrases.words
    passive = False
    for position in range(noun + 1, len(frame.items)):
        item = frame.items[position]
        if item.is_quote:
            return None
        word = words[item.word]
        if word.lower in PASSIVE_AUXILIARIES:
            passive = True
        elif word.lower == "by" and passive and position > noun + 2:
            verb = words[frame.items[position - 1].word]  # a word: quotations return above
            if verb.lower in WORD_PASSING_VERBS or not _is_participle(verb.lower):
                return None
            return phrases.phrase_after(frame, position)
        elif word.is_punct:
            return None
    return None


def _is_participle(lower: str) -> bool:
    """A regular or -en past participle ("echoed", "taken"); irregular ones are missed."""
    return lower.endswith(("ed", "en"))


def _is_according_to(frame: Frame, position: int, phrases: NounPhrases) -> bool:
    if position + 1 >= len(frame.items) or frame.items[position + 1].is_quote:
        return False
    first = phrases.words[frame.items[position].word].lower
    second = phrases.words[frame.items[position + 1].word].lower
    return (first, second) == ACCORDING_TO


def _is_in_the_words_of(frame: Frame, position: int, phrases: NounPhrases) -> bool:
    if position + 4 >= len(frame.items):
        return False
    items = frame.items[position : position + 4]
    if any(item.is_quote for item in items):
        return False
    return tuple(phrases.words[i.word].lower for i in items) == IN_THE_WORDS_OF


def _verb_subject(
    frame: Frame,
    position: int,
    phrases: NounPhrases,
    dependencies: _DependencyIndex | None,
) -> tuple[str, SpeakerRef | None]:
    if dependencies is not None:
        ref = dependencies.subject_of(frame, position)
        if ref is not None:
            return "depparse_subject", ref
    word = phrases.words[frame.items[position].word]
    if _opens_passive_participle_clause(frame, position, phrases):
        # "Asked by the Ledger whether she would run, Ruiz smiled: “…”": the agent asked;
        # the main clause's subject, after the leading clause, answers.
        return "participle_subject", _main_clause_subject(frame, position, phrases)
    before = frame.items[position - 1] if position > 0 else None
    if (
        word.lower.endswith("ing")
        and before is not None
        and not before.is_quote
        and phrases.words[before.word].text == ","
    ):
        # "X has revealed he will go, saying he is “…”": the main clause's subject speaks.
        return "participle_subject", phrases.clause_subject(frame, position - 1, nearest=False)
    if (
        word.lower.endswith("ing")
        and position >= 2
        and _word_is(frame, position - 1, "as", phrases)
    ):
        return "clause_subject", _quoted_as_saying(frame, position - 2, phrases)
    ref = phrases.subject_before(frame, position)
    if ref is not None and ref.kind == RefKind.CLAUSE_SUBJECT:
        inner = phrases.reported_clause_subject(frame, position)
        if inner is not None:
            # "Ruiz said the officer leaned in and told him, “…”": the officer speaks.
            return "clause_subject", inner
        return "clause_subject", phrases.clause_subject(frame, position)
    if ref is not None:
        return "cue_subject", ref
    word = phrases.words[frame.items[position].word]
    inverted = phrases.subject_after(frame, position)
    if inverted is not None:
        return "cue_inverted", inverted
    if word.lower.endswith("ing"):
        return "participle_subject", phrases.first_mention_after(frame, position)
    return "cue_subject", None


def _opens_passive_participle_clause(frame: Frame, position: int, phrases: NounPhrases) -> bool:
    """ "Asked by …", "Asked whether …", "Asked about …": a past participle opening the
    sentence before a preposition or a clause word is a leading passive clause, not an
    inverted attribution ("Added Ruiz: “…”")."""
    word = phrases.words[frame.items[position].word]
    following = position + 1
    if (
        not word.lower.endswith("ed")
        or frame.first_word_position(phrases.words) != position
        or following >= len(frame.items)
        or frame.items[following].is_quote
    ):
        return False
    after = phrases.words[frame.items[following].word].lower
    return after in PREPOSITIONS or after in CLAUSE_WORDS


def _main_clause_subject(frame: Frame, position: int, phrases: NounPhrases) -> SpeakerRef | None:
    """The first subject-like mention after the comma that closes the leading clause."""
    for index in range(position + 1, len(frame.items)):
        item = frame.items[index]
        if item.is_quote:
            return None
        if phrases.words[item.word].text == ",":
            return phrases.first_mention_after(frame, index)
    return None


# Passive verbs of reporting before "as saying": "was quoted as saying", "was cited as
# saying" — the clause's subject is the speaker.
REPORTED_AS = frozenset({"quoted", "cited", "reported", "described", "heard", "recorded"})


def _word_is(frame: Frame, position: int, lower: str, phrases: NounPhrases) -> bool:
    item = frame.items[position]
    return not item.is_quote and phrases.words[item.word].lower == lower


def _quoted_as_saying(frame: Frame, before_as: int, phrases: NounPhrases) -> SpeakerRef | None:
    """ "The Lantern quoted trainer Ana Ruiz as saying", "quoted her as saying": the person
    right before "as"; "Ana Ruiz was quoted as saying": the clause's subject. Anyone else
    (an unnamed group, a document) leaves the speaker unknown."""
    item = frame.items[before_as]
    if item.is_quote:
        return None
    word = phrases.words[item.word]
    if word.lower in REPORTED_AS:
        return phrases.clause_subject(frame, before_as, nearest=False)
    if word.lower in OBJECT_PERSON_PRONOUNS:
        return SpeakerRef(
            RefKind.PRONOUN, word.text, word.start, gender=OBJECT_PERSON_PRONOUNS[word.lower]
        )
    ref = phrases.subject_before(frame, before_as + 1)
    return ref if ref is not None and ref.kind == RefKind.NAMED else None


def _points_to_unnamed(
    event: SpeechEvent,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    frame_index: int,
    facts: ArticleFacts,
) -> bool:
    """A pronoun whose antecedent is an unnamed person ("a spokeswoman"), or either of two
    people it fits alike ("Ana Ruiz and Bea Lin left. … she said"): the event's mention
    becomes unnamed, so its quotation is decided with no speaker rather than left to sieves
    that would carry someone named before."""
    ref = event.ref
    if ref is None or ref.kind != RefKind.PRONOUN:
        return False
    if not antecedent_is_unnamed(
        ref, frame_index, earlier, layout, phrases, facts
    ) and not antecedent_is_a_pair(ref, frame_index, earlier, layout, phrases, facts):
        return False
    event.ref = SpeakerRef(RefKind.UNNAMED, ref.mention, ref.start, gender=ref.gender)
    return True


def _resolve(
    event: SpeechEvent,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    frame_index: int,
    facts: ArticleFacts,
) -> Resolution | None:
    """Stage 2 for the event's mention (see resolve.py)."""
    return resolve_ref(event.ref, earlier, layout, phrases, frame_index, facts)


def resolve_ref(
    ref: SpeakerRef | None,
    earlier: list[list[SpeechEvent]],
    layout: Layout,
    phrases: NounPhrases,
    frame_index: int,
    facts: ArticleFacts,
) -> Resolution | None:
    if ref is None:
        return None
    if ref.kind == RefKind.PRONOUN:
        return resolve_pronoun(ref, frame_index, earlier, layout, phrases, facts)
    if ref.kind == RefKind.NOMINAL:
        return resolve_nominal(ref, frame_index, earlier, layout, phrases, facts)
    if ref.kind == RefKind.NOMINAL_ORG and ref.name and _not_a_proper_name(ref.name):
        # "the agency said", "Senator Hoyt’s office said": a bare organisation noun is a
        # name only when the article has that organisation; otherwise nobody is named.
        return resolve_nominal(ref, frame_index, earlier, layout, phrases, facts)
    if ref.kind == RefKind.UNNAMED:
        speaker = resolve_description(ref, phrases)
        if speaker is None:
            speaker = resolve_adversary(ref, frame_index, earlier, facts)
        return Resolution(speaker, "nominal_role") if speaker else None
    speaker = speaker_from_ref(phrases.names, ref)
    if speaker is not None and _generation_before(phrases.text, ref.start):
        return _relative_by_generation(ref, phrases, speaker)
    return Resolution(speaker, "name") if speaker else None


# "the younger Ruiz said": the words before a surname that pick one of two relatives.
GENERATION_BEFORE = re.compile(r"\bthe\s+(" + "|".join(GENERATION_WORDS) + r")\s+$", re.IGNORECASE)
GENERATION_REACH = 20
# How far an apposed relative ("and his son, Teo") may stand after the surname's bearer.
RELATIVE_APPOSITION_REACH = 60
RELATIVE_APPOSED = re.compile(r"(?:\b(?:his|her|their)|['’]s)\s+([a-z]+),\s*$", re.IGNORECASE)


def _generation_before(text: str, start: int) -> str | None:
    found = GENERATION_BEFORE.search(text[max(0, start - GENERATION_REACH) : start])
    return GENERATION_WORDS[found.group(1).lower()] if found else None


def _relative_by_generation(
    ref: SpeakerRef, phrases: NounPhrases, bearer: Speaker
) -> Resolution | None:
    """ "Bo Ruiz and his son, Teo, run the farm. … “…,” the younger Ruiz said.": the son,
    as the relation he was introduced with tells; "the elder Ruiz" is Bo Ruiz. Nobody when
    no relative was introduced next to the surname's bearer (the surname alone cannot say
    which generation is meant)."""
    wanted = _generation_before(phrases.text, ref.start)
    names = phrases.names.names
    before = bisect_left(phrases.name_starts, ref.start)
    bearer_ends = [n.end for n in names[:before] if n.entity == bearer.entity]
    for name in reversed(names[max(0, before - DESCRIPTION_LOOKBACK) : before]):
        unclustered = name.entity < 0  # a given name alone ("his son, Teo,")
        if unclustered and name.shape != "bare":
            continue
        if name.entity == bearer.entity or name.possessive:
            continue
        lead = phrases.text[max(0, name.surface_start - RELATION_REACH) : name.surface_start]
        apposed = RELATIVE_APPOSED.search(lead)
        if apposed is None or not any(
            0 <= name.surface_start - end <= RELATIVE_APPOSITION_REACH
            and "\n" not in phrases.text[end : name.surface_start]
            for end in bearer_ends
        ):
            continue
        relation = apposed.group(1).lower()
        relative = (
            Speaker(name=name.text, kind=EntityKind.PERSON, aliases=(name.text,))
            if unclustered
            else speaker_from_entity(phrases.names, name.entity)
        )
        if relation in YOUNGER_KIN:
            chosen = relative if wanted == "younger" else bearer
        elif relation in ELDER_KIN:
            chosen = relative if wanted == "elder" else bearer
        else:
            return None
        return Resolution(chosen, "relative_by_generation")
    return None


def _not_a_proper_name(name: str) -> bool:
    """One word, or a phrase owned by someone ("Senator Hoyt’s office"): not the name of an
    organisation."""
    return len(name.split()) == 1 or any(w[-2:] in ("’s", "'s") for w in name.split())


def resolve_description(ref: SpeakerRef, phrases: NounPhrases) -> Speaker | None:
    """ "the minister" / "the Kremlin spokesman" -> the latest person introduced earlier with
    all those words in a titled mention ("Health Minister Anna Kowalski"). Indefinite
    descriptions ("a senior official") stay unnamed."""
    words = ref.mention.lower().split()
    if len(words) == 2 and words[0] in POSSESSIVE_DETERMINERS and words[1] in KINSHIP_NOUNS:
        return _relative_named_before(ref, phrases, words[0], words[1])
    if len(words) < 2 or words[0] != "the" or words[-1] not in TITLES:
        return None
    wanted = set(words[1:])
    names = phrases.names.names
    before = bisect_left(phrases.name_starts, ref.start)
    for name in reversed(names[max(0, before - DESCRIPTION_LOOKBACK) : before]):
        if name.entity < 0 or not name.titled:
            continue
        surface = set(name.surface.lower().replace(name.text.lower(), " ").split())
        if wanted <= surface:
            speaker = speaker_from_entity(phrases.names, name.entity)
            if speaker.kind == EntityKind.PERSON:
                return speaker
    return None


# How far before a name its apposed relation may start ("her husband, " + titles).
RELATION_REACH = 40


def _relative_named_before(
    ref: SpeakerRef, phrases: NounPhrases, possessor: str, relation: str
) -> Speaker | None:
    """ "Ana Ruiz and her husband, Bo Ruiz, ran the shop. … “…,” her husband said.": the
    latest person named in apposition to the same relation ("her husband," or "Ruiz’s
    husband,") before the mention. Nobody when the article never named the relative."""
    apposed = re.compile(rf"(?:\b{possessor}|['’]s)\s+{re.escape(relation)},\s*$", re.IGNORECASE)
    names = phrases.names.names
    before = bisect_left(phrases.name_starts, ref.start)
    for name in reversed(names[max(0, before - DESCRIPTION_LOOKBACK) : before]):
        if name.entity < 0 or name.possessive:
            continue
        lead = phrases.text[max(0, name.surface_start - RELATION_REACH) : name.surface_start]
        if apposed.search(lead):
            speaker = speaker_from_entity(phrases.names, name.entity)
            return speaker if speaker.kind == EntityKind.PERSON else None
    return None


class _DependencyIndex:
    """nsubj lookups when stanza's depparse ran."""

    def __init__(self, parsed: ParsedText, phrases: NounPhrases) -> None:
        self._parsed = parsed
        self._phrases = phrases
        self._word_of_token: dict[tuple[int, int], int] = {}
        for index, word in enumerate(phrases.words):
            if word.head_token is not None:
                self._word_of_token[(word.sentence, word.head_token)] = index

    def subject_of(self, frame: Frame, position: int) -> SpeakerRef | None:
        word = self._phrases.words[frame.items[position].word]
        if word.head_token is None:
            return None
        tokens = self._parsed.sentences[word.sentence].tokens
        for token_index, token in enumerate(tokens):
            if token.head == word.head_token and (token.deprel or "").startswith("nsubj"):
                if token.deprel == "nsubj:pass":
                    continue
                subject_word = self._word_of_token.get((word.sentence, token_index))
                if subject_word is None:
                    continue
                return self._ref_for_word(frame, subject_word)
        return None

    def _ref_for_word(self, frame: Frame, word_index: int) -> SpeakerRef | None:
        phrases = self._phrases
        word = phrases.words[word_index]
        if word.lower in PERSON_PRONOUNS:
            return SpeakerRef(
                RefKind.PRONOUN, word.text, word.start, gender=PERSON_PRONOUNS[word.lower]
            )
        name = phrases.name_at(word_index)
        if name is not None and name.entity >= 0:
            return SpeakerRef(
                RefKind.NAMED,
                phrases.text[name.surface_start : name.end],
                name.surface_start,
                entity=name.entity,
            )
        position = next((i for i, it in enumerate(frame.items) if it.word == word_index), None)
        if position is None:
            return None
        return phrases.subject_before(frame, position + 1)
