"""Who a noun phrase next to a speech cue refers to: a named entity, a pronoun, an unnamed
official, an organisation described in lower case, or several people at once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from quotetrace_server.attribution.cues import is_speech_noun, speech_verb_base
from quotetrace_server.attribution.frames import Frame
from quotetrace_server.entities.finder import ORG, OTHER, ArticleNames, NameMention
from quotetrace_server.entities.lexicon import (
    AUXILIARIES,
    COLLECTIVE_PERSON_HEADS,
    DESCRIPTIVE_NOUNS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    HABITUAL_PHRASES,
    OCCUPATIONS,
    ONE_OF_SEVERAL_OPENERS,
    ORG_NOMINAL_HEADS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    POSSESSIVE_DETERMINERS,
    POSSESSIVE_PERSON_PRONOUNS,
    PREPOSITIONS,
    TITLES,
    UNNAMED_PERSON_HEADS,
    WEEKDAYS,
    is_epithet_phrase,
    is_plural_person_noun,
    word_set,
)
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.words import Word

# Between a subject and its verb: auxiliaries, negation, common adverbs, a day ("on Monday").
SKIPPABLE_BEFORE_VERB = WEEKDAYS | word_set(
    """
    had has have would will also later earlier then again repeatedly reportedly once previously
    did does do not never was is were are been be just already still often first finally
    further recently last week yesterday today on could may might should can must himself
    herself themselves itself n't
    """
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# "who gave her name only as …", "identified only as …": a clause that names a speaker the
# phrase before it left unnamed, within this many words.
NAME_GIVING_WORDS = word_set("name identified")
NAME_GIVEN_FILLERS = word_set("only simply just himself herself themselves")
NAME_GIVEN_WINDOW = 10
# "a spokesman for …", "one aide to …": a person left unnamed.
INDEFINITE_OPENERS = frozenset({"a", "an", "one", "another"})
# "a statement from the ministry", "a letter by Ana Ruiz": the document's author.
AUTHOR_PREPOSITIONS = frozenset({"from", "by"})
LOCATION_PREPOSITIONS = frozenset({"in", "at", "from", "to", "near", "into", "across"})
COORDINATORS = frozenset({"and", "but", "or"})
# Words that end a noun phrase when walking back from a verb.
CLAUSE_WORDS = word_set(
    """
    that which who whom whose when while as after before because if since although though
    but and or where whether so then than once until unless
    """
)


# The most words after "and" in a coordinated role before an apposed name ("said his
# friend and former bandmate, X").
COORDINATED_ROLE_WORDS = 3
# The most words of an apposition between a name and "who" ("Ana Ruiz, a nurse, who").
APPOSITION_WORDS = 6
# The most words of the noun phrase that opens a reported clause ("the traffic officer").
REPORTED_SUBJECT_WORDS = 4


class RefKind(StrEnum):
    NAMED = "named"  # an entity of the article
    PRONOUN = "pronoun"  # he / she: resolved later from earlier sentences
    UNNAMED = "unnamed"  # "a senior official", "analysts": a speaker the text does not name
    NOMINAL_ORG = "nominal_org"  # "the South African military"
    NOMINAL = "nominal"  # "the judge", "the 56-year-old German": resolved in resolve.py
    BARE = "bare"  # a capitalised word not linked to any entity ("Vilnius said")
    GROUP = "group"  # "Berg and Holm": several speakers at once
    CLAUSE_SUBJECT = "clause_subject"  # the verb's subject is the clause's ("X did Y and said")


@dataclass(frozen=True)
class SpeakerRef:
    kind: RefKind
    mention: str
    start: int
    entity: int = -1
    name: str | None = None
    gender: str | None = None
    organisation: bool = False  # for BARE: the word reads as a place or organisation


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker, ready to be written on a quotation."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    entity: int = -1


class NounPhrases:
    """Noun-phrase analysis over one article's words and name mentions."""

    def __init__(self, text: str, names: ArticleNames) -> None:
        self.text = text
        self.names = names
        self.words = names.words
        self._name_by_word: dict[int, NameMention] = {}
        for name in names.names:
            for index in range(name.first_word, name.last_word + 1):
                if name.entity >= 0 or name.shape in (ORG, OTHER, "bare"):
                    self._name_by_word.setdefault(index, name)
        self._place_words = self._words_used_as_places()
        self.name_starts = [name.start for name in names.names]  # sorted, for bisection

    def _words_used_as_places(self) -> frozenset[str]:
        """Capitalised words seen right after in/at/from/to/near: "Vilnius said" is a
        government speaking, "Johnson said" a person."""
        places = set()
        for index in range(1, len(self.words)):
            word = self.words[index]
            if word.capitalised and self.words[index - 1].lower in LOCATION_PREPOSITIONS:
                places.add(word.text)
        return frozenset(places)

    def bare_ref(self, name: NameMention, mention: str, start: int) -> SpeakerRef:
        """A reference for a capitalised word no entity claimed."""
        lower = name.text.lower()
        if lower in PERSON_PRONOUNS:  # "He said" at a sentence start
            return SpeakerRef(RefKind.PRONOUN, mention, start, gender=PERSON_PRONOUNS[lower])
        if lower.split()[-1] in DESCRIPTIVE_NOUNS and (name.shape == OTHER or " " not in lower):
            # "the German", "the Vermont Republican": a description of someone named elsewhere
            return SpeakerRef(RefKind.NOMINAL, mention, start)
        if lower in UNNAMED_PERSON_HEADS or is_plural_person_noun(lower):
            # "Residents told ...", "Officials said ...", "Prosecutors said ..."
            return SpeakerRef(RefKind.UNNAMED, mention, start)
        if lower in ORG_NOMINAL_HEADS:
            return SpeakerRef(RefKind.NOMINAL_ORG, mention, start, name=name.text)
        if self._plural_label(name):  # "the Blues said": a side or a party, by nickname
            return SpeakerRef(RefKind.UNNAMED, mention, start)
        organisation = name.shape in (ORG, OTHER) or name.text in self._place_words
        return SpeakerRef(RefKind.BARE, mention, start, name=name.text, organisation=organisation)

    def _plural_label(self, name: NameMention) -> bool:
        """ "the Blues", "the Greens": one capitalised plural word after "the" is the
        nickname of a team or a party, never a person's name."""
        first = name.first_word
        return (
            first == name.last_word
            and first > 0
            and self.words[first - 1].text == "the"
            and name.text.endswith("s")
            and not name.text.endswith("ss")
        )

    def name_at(self, word_index: int) -> NameMention | None:
        return self._name_by_word.get(word_index)

    # --- walking from a cue -------------------------------------------------------------

    def subject_before(self, frame: Frame, position: int) -> SpeakerRef | None:
        """The subject of the cue at `position` in `frame`, read leftwards ("Berg said")."""
        j = self._skip_back(frame, position - 1)
        if j < 0 or frame.items[j].is_quote:
            return None
        word = self.words[frame.items[j].word]
        if word.lower in RELATIVE_PRONOUNS:
            # "... by Mr. Berg who stated": the antecedent is the name right before;
            # "Ana Ruiz, 80, who said": before a short apposition.
            if j < 1:
                return None
            named = self._last_name_in(frame, 0, j - 1)
            if named is None and word.lower == "who":
                named = self._name_before_apposition(frame, j - 1)
            return named
        if word.lower in COORDINATORS:
            return SpeakerRef(RefKind.CLAUSE_SUBJECT, "", word.start)
        if word.text == ",":
            if j >= 1 and frame.items[j - 1].is_quote:
                return None  # “…”, said X: the subject follows the verb
            return self._subject_before_comma(frame, j)
        if word.lower in PERSON_PRONOUNS and not word.possessive:
            # "It's something she said …": a pronoun right before the verb is its subject.
            return SpeakerRef(
                RefKind.PRONOUN, word.text, word.start, gender=PERSON_PRONOUNS[word.lower]
            )
        return self._phrase_ending_at(frame, j)

    def subject_after(self, frame: Frame, position: int) -> SpeakerRef | None:
        """The subject of an inverted cue ("said Tomas Berg of ..., an expert")."""
        first = position + 1
        last = first
        while last < len(frame.items) and self._in_phrase(frame, last):
            last += 1
        if last == first:
            return None
        ref = self._analyse(frame, first, last - 1)
        if ref is None or ref.kind in (RefKind.UNNAMED, RefKind.NOMINAL):
            # "said one resident, Olga Petrenko, 62", "said the band’s drummer, Kofi Mensah",
            # "said his friend and bandmate, Kofi Mensah": the name in apposition speaks.
            named = self._apposed_name(frame, self._past_coordinated_roles(frame, last))
            if named is not None:
                return named
        if ref is None or ref.kind == RefKind.UNNAMED:
            # "said a man who gave his name only as Tomas", "said a woman identified only as
            # Ana": the name the clause gives.
            given = self._name_given_as(frame, first if ref is None else last)
            if given is not None:
                return given
        if ref is None or ref.kind in (RefKind.NOMINAL, RefKind.UNNAMED):
            # "said Acme founder and chief executive Ana Ruiz": titles joined by "and".
            named = self._name_after_coordinated_titles(frame, last)
            if named is not None:
                return named
        return ref

    def _name_after_coordinated_titles(self, frame: Frame, position: int) -> SpeakerRef | None:
        """A person's name reached from `position` over "and" and title words only."""
        end = position
        while end < len(frame.items) and end - position < 8:
            word = self._word(frame, end)
            if word is None or (word.is_punct and word.text not in ("’", "'")):
                return None
            name = self.name_at(frame.items[end].word)
            if name is not None and name.entity >= 0:
                kind = self.names.entities.entities[name.entity].kind
                if kind != EntityKind.PERSON or name.last_word > frame.items[end].word:
                    end += 1
                    continue
                return self._last_name_in(frame, position, end)
            if word.lower not in COORDINATORS and word.lower not in TITLES:
                return None
            end += 1
        return None

    def _name_given_as(self, frame: Frame, position: int) -> SpeakerRef | None:
        """The name after "as" in a clause right after an unnamed person that speaks of the
        speaker's own name ("who gave his name only as Tomas", "identified only as Tomas"):
        the writer names the speaker as far as the speaker allowed. "who identified the
        victim as Ana Ruiz" names someone else, so only "only"-like words and a reflexive
        may stand between the naming word and "as"."""
        end = min(len(frame.items), position + NAME_GIVEN_WINDOW)
        words = [self._word(frame, index) for index in range(position, end)]
        naming = None
        for offset, word in enumerate(words):
            if word is None or (word.is_punct and word.text != ","):
                return None
            if word.lower in NAME_GIVING_WORDS and _own_name(
                word, words[max(0, offset - 3) : offset]
            ):
                naming = offset
            elif naming is not None and word.lower == "as":
                return self.name_starting_at(frame, position + offset + 1)
            elif naming is not None and word.lower not in NAME_GIVEN_FILLERS:
                naming = None
        return None

    def name_starting_at(self, frame: Frame, position: int) -> SpeakerRef | None:
        if position >= len(frame.items) or frame.items[position].is_quote:
            return None
        name = self.name_at(frame.items[position].word)
        if name is None or name.first_word != frame.items[position].word:
            return None
        if name.entity >= 0:
            return SpeakerRef(RefKind.NAMED, name.surface, name.start, entity=name.entity)
        return SpeakerRef(RefKind.BARE, name.surface, name.start, name=name.text)

    def _name_before_apposition(self, frame: Frame, comma: int) -> SpeakerRef | None:
        """The name before ", <a short apposition>," that ends at item `comma`: "Ana Ruiz,
        80, who …", "Bo Lin, a nurse, who …"."""
        word = self._word(frame, comma)
        if word is None or word.text != ",":
            return None
        for k in range(comma - 1, max(comma - APPOSITION_WORDS, 0) - 1, -1):
            inner = self._word(frame, k)
            if inner is None or inner.lower in RELATIVE_PRONOUNS:
                return None
            if inner.text == ",":
                named = self._last_name_in(frame, 0, k - 1) if k >= 1 else None
                return named if named is not None and named.kind == RefKind.NAMED else None
        return None

    def _past_coordinated_roles(self, frame: Frame, position: int) -> int:
        """Item index after "and <lower-case words ending on a word for a person>" at
        `position` ("his friend | and bandmate |, X"), else `position` itself."""
        word = self._word(frame, position) if position < len(frame.items) else None
        if word is None or word.lower not in COORDINATORS:
            return position
        end = position + 1
        while end < len(frame.items) and end - position <= COORDINATED_ROLE_WORDS:
            inner = self._word(frame, end)
            if inner is None or not inner.text.isalpha() or not inner.text.islower():
                break
            end += 1
        last = self._word(frame, end - 1) if end > position + 1 else None
        if last is None or not _is_person_noun(last.lower):
            return position
        return end

    def _apposed_name(self, frame: Frame, comma: int) -> SpeakerRef | None:
        """The name in an apposition that opens at item `comma` ("said one resident, Olga
        Petrenko"); none after a preposition or "including" ("signed by three surgeons,
        among them X": X is one of several, not the speaker)."""
        word = self._word(frame, comma) if comma < len(frame.items) else None
        if word is None or word.text != ",":
            return None
        opener = self._word(frame, comma + 1) if comma + 1 < len(frame.items) else None
        if opener is not None and (
            opener.lower in PREPOSITIONS or opener.lower in ONE_OF_SEVERAL_OPENERS
        ):
            return None
        end = comma + 1
        while end < len(frame.items) and self._in_phrase(frame, end):
            end += 1
        if end == comma + 1:
            return None
        ref = self._last_name_in(frame, comma + 1, end - 1)
        if ref is None:
            return None
        if ref.kind == RefKind.BARE and not ref.organisation and end == comma + 2:
            return ref  # "said Ruiz’s wife, Delphine": a given name alone in apposition
        return ref if ref.kind == RefKind.NAMED else None

    def clause_subject(
        self, frame: Frame, before: int, nearest: bool = True, skip_pronouns: bool = False
    ) -> SpeakerRef | None:
        """A subject-like mention before item `before`: one that opens a clause (after the
        frame start, a comma, a quotation or a clause word), is not after a preposition and
        is not possessive. The nearest one, or the first when `nearest` is False; with
        `skip_pronouns`, pronouns are passed over ("Asked whether she would return, Ruiz
        laughed" -> Ruiz).

        "Ahead of his meeting with Holm, Berg signed ..." -> Berg; "..., where Mr. Berg
        proposed a toast ... and said" -> Mr. Berg."""
        found: SpeakerRef | None = None
        for position in range(0, before):
            ref = self._mention_starting_at(frame, position)
            if ref is None or not self._opens_clause(frame, ref):
                continue
            if skip_pronouns and ref.kind == RefKind.PRONOUN:
                continue
            if found is not None and _inside_group(ref, found):
                continue  # "Holm" inside the group "Berg and Holm" is not a new subject
            if not nearest:
                return ref
            found = ref
        return found

    def reported_clause_subject(self, frame: Frame, position: int) -> SpeakerRef | None:
        """The subject of a clause reported by an earlier speech verb of the sentence, when
        the verb at `position` is coordinated inside that clause: in "Ruiz said the officer
        leaned in and told him", the officer, not Ruiz, told him. Only a person's noun
        phrase (a name, or a determiner and a word for a person; not a pronoun, which may
        be the reporter again) right after the speech verb and followed by a
        verb-like word (the parse has no parts of speech, so the words tell)."""
        verb = next(
            (
                k
                for k in range(position - 1, -1, -1)
                if (w := self._word(frame, k)) is not None
                and speech_verb_base(w.text, w.lemma, w.upos) is not None
            ),
            None,
        )
        if verb is None:
            return None
        first = verb + 1
        opener = self._word(frame, first) if first < position else None
        if opener is not None and opener.lower == "that":
            first += 1
        head = next(
            (
                k
                for k in range(first, min(position, first + REPORTED_SUBJECT_WORDS))
                if self._heads_a_person_phrase(frame, k)
            ),
            None,
        )
        if head is None or head + 1 >= position:
            return None
        following = self._word(frame, head + 1)
        if following is None or not _reads_as_verb(following):
            return None
        ref = self._analyse(frame, first, head, before_cue=True)
        if ref is None or not self._names_a_person(ref):
            return None
        return ref

    def _heads_a_person_phrase(self, frame: Frame, position: int) -> bool:
        """The last word of a name, or a lower-case word for a person ("officer")."""
        word = self._word(frame, position)
        if word is None or word.possessive:
            return False
        name = self.name_at(frame.items[position].word)
        if name is not None:
            return name.last_word == frame.items[position].word
        return not word.capitalised and (word.lower in UNNAMED_PERSON_HEADS or word.lower in TITLES)

    def _names_a_person(self, ref: SpeakerRef) -> bool:
        if ref.kind == RefKind.NAMED:
            return self.names.entities.entities[ref.entity].kind == EntityKind.PERSON
        if ref.kind == RefKind.NOMINAL:
            return ref.mention.split()[-1].lower() in TITLES
        return ref.kind == RefKind.UNNAMED

    def _opens_clause(self, frame: Frame, ref: SpeakerRef) -> bool:
        first = next(
            (
                i
                for i, item in enumerate(frame.items)
                if not item.is_quote and self.words[item.word].start >= ref.start
            ),
            None,
        )
        if first is not None and first > 0 and self._is_article(frame, first - 1):
            first -= 1  # "The Allied Dockworkers Union issued …": the article opens the clause
        if first is None or first == 0:
            return True
        before = frame.items[first - 1]
        if before.is_quote:
            return True
        word = self.words[before.word]
        return word.is_punct or word.lower in CLAUSE_WORDS

    def _is_article(self, frame: Frame, position: int) -> bool:
        word = self._word(frame, position)
        return word is not None and word.lower == "the"

    def possessor_before(self, frame: Frame, position: int) -> SpeakerRef | None:
        """Whose is the noun at `position`: "Ms. Ruiz’s answer", "her reply", "her
        grandmother's advice"."""
        if position == 0:
            return None
        item = frame.items[position - 1]
        word = self._word(frame, position - 1)
        if word is None:
            return None
        if word.lower in POSSESSIVE_PERSON_PRONOUNS:
            gender = POSSESSIVE_PERSON_PRONOUNS[word.lower]
            return SpeakerRef(RefKind.PRONOUN, word.text, word.start, gender=gender)
        if word.possessive and not word.capitalised:
            # "her grandmother's advice", "the minister's reply": the phrase that owns it
            return self._phrase_ending_at(frame, position - 1)
        name = self.name_at(item.word)
        if name is None or not name.possessive or name.last_word != item.word:
            return None
        surface_start = name.surface_start
        mention = self.text[surface_start : name.end]
        if name.entity >= 0:
            return SpeakerRef(RefKind.NAMED, mention, surface_start, entity=name.entity)
        return self.bare_ref(name, mention, surface_start)

    def first_mention_after(self, frame: Frame, after: int) -> SpeakerRef | None:
        """First subject-like mention after item `after` (main clause after a participle)."""
        for position in range(after + 1, len(frame.items)):
            ref = self._mention_starting_at(frame, position)
            if ref is not None:
                return ref
        return None

    def phrase_after(self, frame: Frame, position: int) -> SpeakerRef | None:
        """The noun phrase starting right after item `position` ("according to X")."""
        return self.subject_after(frame, position)

    # --- helpers -------------------------------------------------------------------------

    def _word(self, frame: Frame, position: int) -> Word | None:
        item = frame.items[position]
        return None if item.is_quote else self.words[item.word]

    def _skip_back(self, frame: Frame, j: int) -> int:
        """Step left over auxiliaries, adverbs and parentheticals ("Smith (D-Calif.) said")."""
        while j >= 0:
            word = self._word(frame, j)
            if word is not None and word.text == ")":
                opening = self._matching_open_paren(frame, j)
                if opening is None:
                    return j
                j = opening - 1
            elif self._skippable(frame, j):
                j -= 1
            else:
                return j
        return j

    def _matching_open_paren(self, frame: Frame, close: int) -> int | None:
        for k in range(close - 1, -1, -1):
            word = self._word(frame, k)
            if word is None:
                return None
            if word.text == "(":
                return k
        return None

    def _skippable(self, frame: Frame, position: int) -> bool:
        word = self._word(frame, position)
        if word is None:
            return False
        lower = word.lower
        return (
            lower in SKIPPABLE_BEFORE_VERB
            or (lower.endswith("ly") and not word.capitalised and len(lower) > 3)
            or self._in_habitual(frame, position)
        )

    def _in_habitual(self, frame: Frame, position: int) -> bool:
        """ "She used to say, “…”", "as he liked to say", "as she is fond of saying": words of
        habit stand between a subject and its speech verb like an auxiliary."""
        word = self._word(frame, position)
        if word is None:
            return False
        before = self._word(frame, position - 1) if position > 0 else None
        after = self._word(frame, position + 1) if position + 1 < len(frame.items) else None
        return any(
            (before is not None and (before.lower, word.lower) == phrase)
            or (after is not None and (word.lower, after.lower) == phrase)
            for phrase in HABITUAL_PHRASES
        )

    def _subject_before_comma(self, frame: Frame, comma: int) -> SpeakerRef | None:
        """ "X, a defector-turned-researcher who runs ..., told AFP": skip the appositive."""
        k = comma - 1
        while k >= 0 and not frame.items[k].is_quote:
            word = self.words[frame.items[k].word]
            if word.text == ",":
                break
            k -= 1
        if k < 0 or frame.items[k].is_quote or k + 1 >= comma:
            return SpeakerRef(RefKind.CLAUSE_SUBJECT, "", 0)
        apposed_to = self._person_ending_phrase(frame, k - 1, k - 1) if k >= 1 else None
        if apposed_to is not None:
            # "Omar Reyes, Chief Rates Strategist at Bolt Bank, said": the name, not the title.
            return self._phrase_ending_at(frame, k - 1)
        opener = self.words[frame.items[k + 1].word]
        if opener.lower in DETERMINERS or not opener.capitalised or opener.text[:1].isdigit():
            return self._phrase_ending_at(frame, k - 1)
        return SpeakerRef(RefKind.CLAUSE_SUBJECT, "", opener.start)

    def _phrase_ending_at(self, frame: Frame, end: int) -> SpeakerRef | None:
        if end < 0 or frame.items[end].is_quote:
            return None
        start = end
        while start - 1 >= 0 and self._in_phrase(frame, start - 1):
            start -= 1
        group = self._group_ending_at(frame, start, end)
        if group is not None:
            return group
        return self._analyse(frame, start, end, before_cue=True)

    def _group_ending_at(self, frame: Frame, start: int, end: int) -> SpeakerRef | None:
        """ "Berg and Holm" / "Berg, 70, and Holm, 39,": two named people as one subject."""
        if start < 2:
            return None
        joiner = self._word(frame, start - 1)
        if joiner is None or joiner.lower != "and":
            return None
        last = self._analyse(frame, start, end)
        if last is None or last.kind != RefKind.NAMED:
            return None
        k = start - 2
        while k >= 0 and not frame.items[k].is_quote:
            word = self.words[frame.items[k].word]
            if word.text == "," or word.text.isdigit():
                k -= 1
                continue
            name = self.name_at(frame.items[k].word)
            if name is not None and name.entity >= 0:
                mention = self.text[name.surface_start : last.start + len(last.mention)]
                return SpeakerRef(RefKind.GROUP, mention, name.surface_start)
            break
        return None

    def _in_phrase(self, frame: Frame, position: int) -> bool:
        item = frame.items[position]
        if item.is_quote:
            return False
        word = self.words[item.word]
        if word.is_punct and word.text not in ("’", "'"):
            return False
        if word.lower in CLAUSE_WORDS:
            return False
        return speech_verb_base(word.text, word.lemma, word.upos) is None

    def _analyse(
        self, frame: Frame, first: int, last: int, before_cue: bool = False
    ) -> SpeakerRef | None:
        """What the words first..last (a noun phrase) refer to. `before_cue`: the phrase is
        the subject right before a speech verb, where "the clown said" describes a person."""
        head_last = last
        for position in range(first, last + 1):
            word = self._word(frame, position)
            if word is not None and word.lower in PREPOSITIONS and position > first:
                head_last = position - 1
                break
        person = self._person_ending_phrase(frame, first, last) if before_cue else None
        if person is not None:
            return person  # "Council for Innovation CEO Ana Ruiz": the person, not the council
        named = self._last_name_in(frame, first, head_last)
        if named is not None:
            return named
        head_words = [w for p in range(first, head_last + 1) if (w := self._word(frame, p))]
        if not head_words:
            return None
        head = head_words[-1]
        mention = self.text[head_words[0].start : head.end]
        author = self._author_of_document(frame, head_words, head_last, last)
        if author is not None:
            return author
        if len(head_words) == 1 and head.lower in PERSON_PRONOUNS:
            return SpeakerRef(
                RefKind.PRONOUN, head.text, head.start, gender=PERSON_PRONOUNS[head.lower]
            )
        if len(head_words) == 1 and head.lower in PLURAL_PRONOUNS:
            return SpeakerRef(RefKind.UNNAMED, head.text, head.start)
        if head.lower in ORG_NOMINAL_HEADS:
            name_words = [w for w in head_words if w.lower not in DETERMINERS]
            name_end = self._of_complement_end(frame, head_last, last) or head.end
            name = self.text[name_words[0].start if name_words else head.start : name_end]
            return SpeakerRef(RefKind.NOMINAL_ORG, mention, head_words[0].start, name=name)
        epithet = self._epithet(frame, head_words[0], last)
        if epithet is not None:
            return epithet
        if _agent_of_pronoun(head_words):
            return SpeakerRef(RefKind.UNNAMED, mention, head_words[0].start)
        if self._is_description(head_words, before_cue):
            return SpeakerRef(RefKind.NOMINAL, mention, head_words[0].start)
        if (
            head.lower in UNNAMED_PERSON_HEADS
            or head.lower in COLLECTIVE_PERSON_HEADS
            or is_plural_person_noun(head.lower)
        ):
            return SpeakerRef(RefKind.UNNAMED, mention, head_words[0].start)
        if head.lower in TITLES and head_words[0].lower in INDEFINITE_OPENERS:
            # "said a detective, who named the victim as …": one holder of the role, unnamed
            return SpeakerRef(RefKind.UNNAMED, mention, head_words[0].start)
        return None

    def _epithet(self, frame: Frame, opener: Word, last: int) -> SpeakerRef | None:
        """ "the two-time world champion", "the mother of three" (the whole phrase, its "of"
        included): a description of someone just introduced, resolved in resolve.py."""
        words = [
            w for p in range(last + 1) if (w := self._word(frame, p)) and w.start >= opener.start
        ]
        if not words or not is_epithet_phrase([w.lower for w in words]):
            return None
        return SpeakerRef(RefKind.NOMINAL, self.text[opener.start : words[-1].end], opener.start)

    def _author_of_document(
        self, frame: Frame, head_words: list[Word], head_last: int, last: int
    ) -> SpeakerRef | None:
        """ "The statement from Oakridge Hospital read", "a letter by the minister said", "a
        statement released by the agency": the words are the author's (a named one, or an
        organisation described in lower case)."""
        head = head_words[-1]
        if len(head_words) >= 2 and head.lower.endswith("ed") and not head.capitalised:
            head = head_words[-2]  # "a statement released by", "a letter signed by"
        if head.lower not in DOCUMENT_NOUNS and not is_speech_noun(head.text):
            return None
        joiner = self._word(frame, head_last + 1) if head_last + 1 <= last else None
        if joiner is None or joiner.lower not in AUTHOR_PREPOSITIONS or head_last + 2 > last:
            return None
        author = self._analyse(frame, head_last + 2, last)
        if author is None or author.kind not in (
            RefKind.NAMED,
            RefKind.NOMINAL_ORG,
            RefKind.NOMINAL,
        ):
            return None
        return author

    @staticmethod
    def _is_description(head_words: list[Word], before_cue: bool) -> bool:
        """A definite description of one person, to be resolved against the article's
        entities: "the judge", "Portvale mayor", "the 61 year-old Dane", "the clown"."""
        head = head_words[-1].lower
        opener = head_words[0]
        definite = opener.lower == "the" or (opener.capitalised and opener.lower not in DETERMINERS)
        if not definite or head in FUNCTION_WORDS or head in DOCUMENT_NOUNS:
            return False
        if head in TITLES or head in DESCRIPTIVE_NOUNS or head.endswith("year-old"):
            return True
        if _aged_noun(head_words):
            return True  # "the 22-year-old forward"
        if len(head_words) >= 2 and head_words[-2].lower in DESCRIPTIVE_NOUNS:
            return True  # "the German boss"
        plural = head.endswith("s") and not head.endswith("ss")
        return (
            before_cue
            and opener.lower == "the"
            and len(head_words) == 2
            and head.isalpha()
            and head.islower()
            and not plural
            and head not in UNNAMED_PERSON_HEADS
            and head not in COLLECTIVE_PERSON_HEADS
        )

    def _person_ending_phrase(self, frame: Frame, first: int, last: int) -> SpeakerRef | None:
        item = frame.items[last]
        if item.is_quote or self._agent_of_someone(frame, first, last):
            return None
        name = self.name_at(item.word)
        if name is None or name.entity < 0 or name.possessive or name.last_word != item.word:
            return None
        if self.names.entities.entities[name.entity].kind != EntityKind.PERSON:
            return None
        return self._last_name_in(frame, first, last)

    def _agent_of_someone(self, frame: Frame, first: int, last: int) -> bool:
        """ "a spokesman for Senator Ruiz", "an aide to the mayor": an unnamed person who
        speaks for the one named after the preposition."""
        words = [w for p in range(first, last + 1) if (w := self._word(frame, p))]
        if _unnamed_group_of_someone(words):
            return True
        for index, word in enumerate(words[2:], start=2):
            if word.lower in PREPOSITIONS:
                head, opener = words[index - 1], words[index - 2]
                return (
                    not head.capitalised
                    and (head.lower in UNNAMED_PERSON_HEADS or head.lower in TITLES)
                    and opener.lower in INDEFINITE_OPENERS
                )
        return False

    def _of_complement_end(self, frame: Frame, head_last: int, last: int) -> int | None:
        """End offset of "of <words>" right after an organisation head ("ministry of health")."""
        if head_last + 2 > last:
            return None
        after = self._word(frame, head_last + 1)
        end = self._word(frame, last)
        if after is None or after.lower != "of" or end is None:
            return None
        return end.end

    def _last_name_in(self, frame: Frame, first: int, last: int) -> SpeakerRef | None:
        """The name that heads the phrase: it must end on the phrase's last word."""
        item = frame.items[last]
        if item.is_quote:
            return None
        name = self.name_at(item.word)
        if name is None or name.last_word != item.word or name.possessive:
            return None
        first_item = frame.items[first]
        floor = 0 if first_item.is_quote else self.words[first_item.word].start
        surface_start = max(name.surface_start, floor)
        mention = self.text[surface_start : name.end]
        if name.entity >= 0:
            return SpeakerRef(RefKind.NAMED, mention, surface_start, entity=name.entity)
        return self.bare_ref(name, mention, surface_start)

    def _mention_starting_at(self, frame: Frame, position: int) -> SpeakerRef | None:
        """A subject-like mention whose last word sits at `position`, else None."""
        word = self._word(frame, position)
        if word is None:
            return None
        word_index = frame.items[position].word
        if word.lower in PERSON_PRONOUNS and not word.possessive:
            if self.after_preposition(word_index):
                return None
            return SpeakerRef(
                RefKind.PRONOUN, word.text, word.start, gender=PERSON_PRONOUNS[word.lower]
            )
        name = self.name_at(word_index)
        if name is None or name.possessive or name.last_word != word_index:
            return None  # decide on a name's last word only, so the whole name is read
        if self.after_preposition(name.first_word) or name.shape == OTHER:
            return None
        group = self._group_after(frame, position)
        if group is not None:
            return group
        mention = self.text[name.surface_start : name.end]
        if name.entity < 0:
            return self.bare_ref(name, mention, name.surface_start)
        return SpeakerRef(RefKind.NAMED, mention, name.surface_start, entity=name.entity)

    def after_preposition(self, word_index: int) -> bool:
        """Object of a preposition or a possessor: "with Ana Ruiz", "Ruiz's", and "with the
        Carrow Ledger" (a name after "the" is a publication or a body, after its preposition)."""
        if word_index == 0:
            return False
        previous = self.words[word_index - 1]
        same_sentence = previous.sentence == self.words[word_index].sentence
        if same_sentence and previous.lower == "the" and word_index > 1:
            return self.after_preposition(word_index - 1)
        return same_sentence and (previous.lower in PREPOSITIONS or previous.possessive)

    def _group_after(self, frame: Frame, position: int) -> SpeakerRef | None:
        """Name at `position` followed by "and <name>" (allowing ", 70," asides)."""
        k = position + 1
        while k < len(frame.items):
            word = self._word(frame, k)
            if word is None:
                return None
            if word.text == "," or word.text.isdigit():
                k += 1
                continue
            break
        word = self._word(frame, k) if k < len(frame.items) else None
        if word is None or word.lower != "and" or k + 1 >= len(frame.items):
            return None
        following = frame.items[k + 1]
        if following.is_quote:
            return None
        other = self.name_at(following.word)
        if other is None or (other.entity < 0 and other.shape != "bare"):
            return None
        first_name = self.name_at(frame.items[position].word)
        assert first_name is not None
        return SpeakerRef(
            RefKind.GROUP, self.text[first_name.surface_start : other.end], first_name.surface_start
        )


def _is_person_noun(lower: str) -> bool:
    """A lower-case word for what a person is ("bandmate", "lawyer", "chef")."""
    return lower in UNNAMED_PERSON_HEADS or lower in TITLES or lower in OCCUPATIONS


def _unnamed_group_of_someone(words: list[Word]) -> bool:
    """ "Sources close to the minister", "officials familiar with Ana Ruiz's plans",
    "aides to the mayor": plural unnamed people, lower-case words, then a preposition."""
    if not words or words[0].lower not in UNNAMED_PERSON_HEADS or not words[0].lower.endswith("s"):
        return False
    for word in words[1:]:
        if word.lower in PREPOSITIONS:
            return True
        if word.capitalised or not word.text.isalpha():
            return False
    return False


def _own_name(naming: Word, before: list[Word | None]) -> bool:
    """ "identified (only) as", or "name" owned by a pronoun ("gave his (first) name"): the
    speaker's own name, not a third person's ("gave the victim's name as")."""
    if naming.lower != "name":
        return True
    lowers = [w.lower for w in before if w is not None]
    while lowers and lowers[-1] in ("first", "full", "last"):
        lowers.pop()
    return bool(lowers) and lowers[-1] in POSSESSIVE_DETERMINERS


def _agent_of_pronoun(head_words: list[Word]) -> bool:
    """ "his lawyer said", "her spokesman said": a role held for someone the pronoun points
    to, by a person the phrase leaves unnamed (never the one the pronoun points to)."""
    head = head_words[-1].lower
    return (
        len(head_words) >= 2
        and head_words[0].lower in POSSESSIVE_DETERMINERS
        and (head in TITLES or head in UNNAMED_PERSON_HEADS)
    )


def _reads_as_verb(word: Word) -> bool:
    """After a person's noun phrase, a word that can be its verb: a lower-case word that is
    no function word, preposition or clause word ("ran", "leaned", "had")."""
    lower = word.lower
    if lower in AUXILIARIES:
        return True
    return (
        word.text.isalpha()
        and word.text.islower()
        and lower not in FUNCTION_WORDS
        and lower not in PREPOSITIONS
        and lower not in CLAUSE_WORDS
    )


def _aged_noun(head_words: list[Word]) -> bool:
    """ "the 22-year-old forward", "the 58-year-old father of three": an age, then a lower-case
    noun for what the person is."""
    head = head_words[-1]
    return (
        len(head_words) >= 3
        and head_words[-2].lower.endswith("year-old")
        and head.text.isalpha()
        and head.text.islower()
    )


def _inside_group(ref: SpeakerRef, group: SpeakerRef) -> bool:
    return group.kind == RefKind.GROUP and ref.start < group.start + len(group.mention)


def speaker_from_entity(names: ArticleNames, entity: int) -> Speaker:
    record = names.entities.entities[entity]
    return Speaker(name=record.name, kind=record.kind, aliases=record.aliases, entity=entity)


def speaker_from_ref(names: ArticleNames, ref: SpeakerRef) -> Speaker | None:
    """The speaker a non-pronoun reference names, or None when it names no one."""
    if ref.kind == RefKind.NAMED:
        return speaker_from_entity(names, ref.entity)
    if ref.kind == RefKind.NOMINAL_ORG and ref.name:
        return Speaker(name=ref.name, kind=EntityKind.ORGANIZATION, aliases=(ref.mention,))
    if ref.kind == RefKind.BARE and ref.name:
        kind = EntityKind.ORGANIZATION if ref.organisation else EntityKind.PERSON
        return Speaker(name=ref.name, kind=kind, aliases=(ref.mention,))
    return None
