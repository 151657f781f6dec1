"""Person and organisation mentions, found without NER when it is absent, clustered per article.

Without a NER model a name is a run of capitalised words. The run is cut after the last
title ("French President", "Mr.", "Water Resources Department Director"), and what is
left is judged by its shape: an organisation head word ("House", "Ministry", "Times") makes
an organisation, a place word ("North", "Sea") makes neither, and two or more plain
capitalised words make a person. A single word is a person only if it names one already seen
in full (its first or last part: "Macron", "Tanaka") or follows an honorific ("Mr. Osei").
With NER tags present, the tag decides the kind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from quotetrace_server.entities.lexicon import (
    ALIAS_INTRODUCERS,
    DESCRIPTIVE_NOUNS,
    DETERMINERS,
    FUNCTION_WORDS,
    GAELIC_PARTICLES,
    HONORIFICS,
    HYPHEN_MARKS,
    HYPHENATED_PARTICLES,
    MONTHS_AND_DAYS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    OCCUPATIONS,
    ORG_HEADS,
    ORG_NAMES,
    ORG_NOMINAL_HEADS,
    PLACE_FIRST_WORDS,
    PLACE_HEADS,
    PREPOSITIONS,
    SURNAME_ABBREVIATIONS,
    TITLE_SUFFIXES,
    TITLES,
    UNNAMED_PERSON_HEADS,
    is_inverted_speech_verb,
)
from quotetrace_server.entities.model import ArticleEntities, Entity, EntityKind, Mention
from quotetrace_server.entities.words import Word, words_of
from quotetrace_server.nlp.model import ParsedText

PERSON = "person"
ORG = "org"
OTHER = "other"


@dataclass
class NameMention:
    """One capitalised name in the text, titles split off."""

    start: int  # of the name itself
    end: int
    surface_start: int  # including the titles and roles in front of it
    text: str  # the name without titles
    surface: str  # the name with its titles
    parts: tuple[str, ...]  # normalised name parts: lower case, hyphens split
    shape: str  # PERSON, ORG or OTHER, from the words alone
    titled: bool  # a title, role or honorific stands in front
    honorific_gender: str | None
    possessive: bool
    first_word: int  # index into the article's word list
    last_word: int
    entity: int = -1


@dataclass
class ArticleNames:
    """Entities plus the richer mention records the attributor needs."""

    entities: ArticleEntities
    names: list[NameMention]
    words: list[Word]
    genders: dict[int, str] = field(default_factory=dict)
    salience: dict[int, int] = field(default_factory=dict)


def normalise_name(name: str) -> str:
    """Case-, hyphen- and space-insensitive key: "Lee Jae-myung" and "Lee Jae Myung" agree."""
    return " ".join(_name_parts(name))


def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(
        p for p in re.split(rf"[\s{re.escape(HYPHEN_MARKS)}]+", name.lower().strip(" .,")) if p
    )


def find_entities(parsed: ParsedText) -> ArticleNames:
    """Name mentions of `parsed` clustered into the article's people and organisations."""
    words = words_of(parsed)
    use_ner = "ner" in parsed.processors
    headline = _headline_words(parsed.text, words)
    runs = _capitalised_runs(words)
    body_runs = [r for r in runs if not headline[r[0]]]
    names = [n for run in body_runs for n in _names_in_run(words, run, use_ner)]
    _keep_inner_possessives(names, words, parsed.text)
    names = _joined_over_nicknames(names, words, parsed.text)
    names = _outside_titles(names)
    _mark_adjectival_persons(names, words)
    _share_surnames_over_and(names, words)
    known = {n.parts for n in names if n.shape == PERSON and len(n.parts) >= 2}
    for run in runs:
        if headline[run[0]]:
            names.extend(_known_names_in_headline(words, run, known))
    names.sort(key=lambda n: n.start)
    return _cluster(names, words, parsed.text)


def _keep_inner_possessives(names: list[NameMention], words: list[Word], text: str) -> None:
    """ "St. Olave’s Hospital": a name with a possessive word inside is written as printed
    (words hold a possessive without its "’s")."""
    for name in names:
        if any(w.possessive for w in words[name.first_word : name.last_word]):
            name.text = text[name.start : name.end]
            name.surface = text[name.surface_start : name.end]


NICKNAME_MARKS = frozenset({"“", "”", '"', "‘", "’", "'"})


def _joined_over_nicknames(
    names: list[NameMention], words: list[Word], text: str
) -> list[NameMention]:
    """ "Augustin “Gus” Delacroix" is one person: the given name and the surname around a
    quoted one-word nickname make one name (the nickname is left out of it)."""
    by_first = {n.first_word: n for n in names}
    dropped: set[int] = set()
    joined: dict[int, NameMention] = {}
    for name in names:
        nick, after = by_first.get(name.last_word + 2), by_first.get(name.last_word + 4)
        if nick is None or after is None or not _quotes_around(words, name.last_word + 2):
            continue
        if name.possessive or {name.shape, after.shape} - {PERSON, "bare"}:
            continue
        joined[name.first_word] = _joined(name, after, text)
        dropped |= {nick.first_word, after.first_word}
    return [joined.get(n.first_word, n) for n in names if n.first_word not in dropped]


def _quotes_around(words: list[Word], index: int) -> bool:
    """Word `index` alone between two quotation marks, all in one sentence."""
    if index - 1 < 0 or index + 1 >= len(words):
        return False
    opening, nick, closing = words[index - 1], words[index], words[index + 1]
    return (
        opening.text in NICKNAME_MARKS
        and closing.text in NICKNAME_MARKS
        and opening.sentence == nick.sentence == closing.sentence
    )


def _joined(given: NameMention, surname: NameMention, text: str) -> NameMention:
    return NameMention(
        start=given.start,
        end=surname.end,
        surface_start=given.surface_start,
        text=f"{given.text} {surname.text}",
        surface=text[given.surface_start : surname.end],
        parts=given.parts + surname.parts,
        shape=PERSON,
        titled=given.titled or surname.titled,
        honorific_gender=given.honorific_gender,
        possessive=surname.possessive,
        first_word=given.first_word,
        last_word=surname.last_word,
    )


def _outside_titles(names: list[NameMention]) -> list[NameMention]:
    """Drop a name that is only the qualifier of another's title: in "Opposition leader
    Kwame Asante", "Opposition" is part of Asante's title, not a name of its own."""
    titles = sorted((n.surface_start, n.start) for n in names if n.surface_start < n.start)
    if not titles:
        return names
    starts = [start for start, _ in titles]

    def inside_a_title(name: NameMention) -> bool:
        index = bisect_right(starts, name.surface_start) - 1
        return index >= 0 and name.end <= titles[index][1]

    return [n for n in names if not inside_a_title(n)]


def _headline_words(text: str, words: list[Word]) -> list[bool]:
    """Per word: is it on a title-case line (a headline), where capitals say nothing about names."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    verdicts: dict[int, bool] = {}
    flags: list[bool] = []
    for word in words:
        line = bisect_right(line_starts, word.start) - 1
        if line not in verdicts:
            start = line_starts[line]
            end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
            verdicts[line] = _is_title_case(text[start:end])
        flags.append(verdicts[line])
    return flags


def _is_title_case(line: str) -> bool:
    if line.count(",") >= 2 or line.rstrip().endswith("."):
        return False  # a list of names in running text, not a headline
    tokens = [t for t in re.findall(r"[^\W\d_][\w’'\-]*", line) if t.lower() not in FUNCTION_WORDS]
    if len(tokens) < 4:
        return False
    capitalised = sum(1 for t in tokens if t[0].isupper())
    return capitalised >= 0.8 * len(tokens)


def _capitalised_runs(words: list[Word]) -> list[tuple[int, int]]:
    """(first, last) word index of each maximal run of capitalised words; lower-case name
    particles between or before them belong to the run ("Willem van der Berg", "von Berg")."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index in range(len(words)):
        capitalised = _is_name_word(words, index, inside_run=start is not None)
        if start is not None and capitalised and _run_continues(words, start, index):
            continue
        if start is not None:
            runs.append((start, index - 1))
            start = None
        if _is_name_word(words, index, inside_run=False):
            start = index
    if start is not None:
        runs.append((start, len(words) - 1))
    return runs


def _is_name_word(words: list[Word], index: int, inside_run: bool) -> bool:
    """A capitalised word, or a particle ("van", "de la") that a capitalised word follows in
    the same sentence; a particle opens a run only when no determiner stands before it
    ("the van Driver" is not a name)."""
    word = words[index]
    if word.is_punct:
        return False
    if word.capitalised:
        return True
    if word.lower not in NAME_PARTICLES:
        return False
    if not inside_run and index > 0 and words[index - 1].lower in DETERMINERS:
        return False
    following = index + 1
    while following < len(words) and words[following].lower in NAME_PARTICLES:
        following += 1
    if following >= len(words) or following - index > 3:
        return False
    after = words[following]
    return (
        after.capitalised
        and not after.is_punct
        and after.sentence == word.sentence
        and after.start - words[following - 1].end == 1
    )


def _run_continues(words: list[Word], start: int, index: int) -> bool:
    """Does word `index` go on the run opened at `start`? Next to each other with a plain
    space: stanza sometimes splits sentences inside a name, so a sentence break only counts
    when a full stop or line break marks it. A possessive ends a run, unless it is the run's
    one word (after `St.`) and an organisation's head word follows ("King’s College", "St.
    Olave’s Hospital": one name; "Ana Ruiz’s House" stays a person and a house)."""
    previous, word = words[index - 1], words[index]
    if previous.is_punct:
        return False
    if previous.possessive:
        owner_only = index - 1 == start or (
            index - 2 == start and words[start].lower.rstrip(".") in SURNAME_ABBREVIATIONS
        )
        return (
            owner_only
            and word.lower.rstrip(".") in ORG_HEADS
            and previous.sentence == word.sentence
        )
    if previous.sentence == word.sentence:
        return True
    return word.start - previous.end == 1


def _known_names_in_headline(
    words: list[Word], run: tuple[int, int], known: set[tuple[str, ...]]
) -> list[NameMention]:
    """In a headline, only names already seen in the body count, longest first."""
    found: list[NameMention] = []
    index, last = run
    surnames = {k[0] for k in known} | {k[-1] for k in known}
    while index <= last:
        match = next(
            (
                end
                for end in range(last, index, -1)
                if tuple(p for w in words[index : end + 1] for p in _name_parts(w.text)) in known
            ),
            None,
        )
        if (
            match is None
            and _name_parts(words[index].text)
            and _name_parts(words[index].text)[0] in surnames
        ):
            match = index
        if match is None:
            index += 1
            continue
        found.append(_plain_name(words, index, match))
        index = match + 1
    return found


def _plain_name(words: list[Word], first: int, last: int) -> NameMention:
    text = _text_between(words, first, last)
    parts = tuple(p for w in words[first : last + 1] for p in _name_parts(w.text))
    return NameMention(
        start=words[first].start,
        end=words[last].end,
        surface_start=words[first].start,
        text=text,
        surface=text,
        parts=parts,
        shape=PERSON if len(parts) >= 2 else "bare",
        titled=False,
        honorific_gender=None,
        possessive=words[last].possessive,
        first_word=first,
        last_word=last,
    )


def _share_surnames_over_and(names: list[NameMention], words: list[Word]) -> None:
    """ "Karin and Olav Engstrom": a lone given name joined by "and" to a full name shares
    its surname, unless the word is a part of another full name of the article ("Ruiz and
    Bo Lin", after "Ana Ruiz", are two people)."""
    full = [n for n in names if n.shape == PERSON and len(n.parts) >= 2]
    known = {p for n in full for p in (n.parts[0], n.parts[-1])}
    # "talks between Veltria and Ana Lima": a word after a preposition may be a place or a
    # company; so may one seen after a preposition anywhere in the article.
    known |= {
        w.lower for i, w in enumerate(words[1:], start=1) if words[i - 1].lower in PREPOSITIONS
    }
    by_last = {n.last_word: n for n in names}
    for name in full:
        joiner = name.first_word - 1
        lone = by_last.get(joiner - 1)
        if (
            lone is None
            or words[joiner].lower != "and"
            or len(lone.parts) != 1
            or lone.first_word != lone.last_word
            or lone.possessive
            or lone.shape not in (PERSON, "bare")
            or lone.parts[0] in known
            or (lone.first_word > 0 and words[lone.first_word - 1].lower in PREPOSITIONS)
            or _is_surname_only(name)
            or words[joiner].sentence != words[lone.last_word].sentence
        ):
            continue
        surname = name.text.split(" ", 1)[1]
        lone.text = f"{lone.text} {surname}"
        lone.parts = lone.parts + name.parts[1:]
        lone.shape = PERSON


DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish")


def _mark_adjectival_persons(names: list[NameMention], words: list[Word]) -> None:
    """An untitled "person" whose first word is a demonym used on its own elsewhere as an
    adjective ("Italian People’s Party" next to "Italian studies") is not a person."""
    adjectives = {
        words[n.first_word].lower
        for n in names
        if n.first_word == n.last_word
        and n.last_word + 1 < len(words)
        and words[n.last_word + 1].text[:1].islower()
        and words[n.first_word].lower.endswith(DEMONYM_ENDINGS)
    }
    for name in names:
        if name.shape == PERSON and not name.titled and name.parts[0] in adjectives:
            name.shape = OTHER


def _is_title(word: Word) -> bool:
    """A title, an honorific, or a word for an unnamed person ("Resident Hanna Vogt",
    "witness Ana Ruiz"): all say what the person is, not who."""
    lower = word.lower
    return (
        lower in TITLES
        or lower in HONORIFICS
        or lower.endswith(TITLE_SUFFIXES)
        or (lower in UNNAMED_PERSON_HEADS and lower not in FUNCTION_WORDS)
    )


def _names_in_run(words: list[Word], run: tuple[int, int], use_ner: bool) -> list[NameMention]:
    first, last = run
    while first <= last and (
        (words[first].initial and _is_common_opener(words[first], words[last]))
        or words[first].lower.rstrip(".") in MONTHS_AND_DAYS
        or (words[first].initial and first < last and is_inverted_speech_verb(words[first].text))
    ):
        # "On Thursday Oyelaran said", "Says Ana Ruiz:": the weekday or the verb is not
        # part of the name
        first += 1
    if first > last:
        return []
    if first == last and words[first].lower in ORG_NOMINAL_HEADS:
        return []  # "Police said": a kind of organisation, capitalised, names none
    title_end = max((i for i in range(first, last + 1) if _is_title(words[i])), default=first - 1)
    if title_end < first and _leads_as_occupation(words, first, last):
        title_end = first
    name_first = title_end + 1
    if name_first > last:
        return []
    titled = title_end >= first or _role_word_before(words, first)
    honorific = next(
        (
            HONORIFICS[words[i].lower]
            for i in range(first, name_first)
            if words[i].lower in HONORIFICS
        ),
        None,
    )
    name_words = words[name_first : last + 1]
    shape = _ner_shape(name_words) if use_ner else None
    if shape is None:
        shape = _shape_of(name_words, titled)
    if _describes_after_the(words, name_first, last):
        shape = OTHER
    text_of = _text_between
    surface_first = _extend_over_roles(words, first)
    return [
        NameMention(
            start=name_words[0].start,
            end=name_words[-1].end,
            surface_start=words[surface_first].start,
            text=text_of(words, name_first, last),
            surface=text_of(words, surface_first, last),
            parts=tuple(p for w in name_words for p in _name_parts(w.text)),
            shape=shape,
            titled=titled,
            honorific_gender=honorific,
            possessive=words[last].possessive,
            first_word=surface_first,
            last_word=last,
        )
    ]


def _describes_after_the(words: list[Word], first: int, last: int) -> bool:
    """ "the Vermont Republican", "the South African": capitalised words after "the" that
    end on a nationality or party word describe someone named elsewhere. Without "the" the
    same word may be a surname ("Dawn French")."""
    return first > 0 and words[first - 1].lower == "the" and words[last].lower in DESCRIPTIVE_NOUNS


def _leads_as_occupation(words: list[Word], first: int, last: int) -> bool:
    """An occupation opening a run of three or more words is the person's role, not part of
    the name ("Sculptor Ingeborg Halvorsen"); in a shorter run it may be the name itself
    ("Singer Street")."""
    return last - first >= 2 and words[first].lower in OCCUPATIONS


def _is_common_opener(word: Word, run_end: Word | None = None) -> bool:
    """A sentence's first word that is capitalised only because it comes first. An -ed,
    -ing or -ly word is one ("Speaking to …", "Asked …"), unless the run it opens ends on an
    organisation's head word ("Allied Dockworkers Union", "Trading Standards Office")."""
    lower = word.lower
    if lower in FUNCTION_WORDS:
        return True
    if run_end is not None and run_end is not word and run_end.lower.rstrip(".") in ORG_HEADS:
        return False
    return len(lower) > 4 and lower.endswith(("ed", "ing", "ly")) and not word.is_acronym


def _text_between(words: list[Word], first: int, last: int) -> str:
    """Surface text from word `first` to word `last` with the original single spaces."""
    parts = [words[first].text]
    for index in range(first + 1, last + 1):
        gap = " " if words[index].start > words[index - 1].end else ""
        parts.append(gap + words[index].text)
    return "".join(parts)


def _role_word_before(words: list[Word], first: int) -> bool:
    """A lower-case role ("leader", "spokesman", "expert") directly before the run."""
    if first == 0:
        return False
    before = words[first - 1]
    return before.sentence == words[first].sentence and not before.capitalised and _is_title(before)


def _extend_over_roles(words: list[Word], first: int) -> int:
    """Index of the first word of the titled surface: roles in front of the run and the
    capitalised words that qualify them ("South African leader", "Kremlin spokesman")."""
    index = first
    passed_role = False
    while index > 0:
        before = words[index - 1]
        if before.is_punct or before.possessive or words[index].start - before.end > 1:
            break
        if _is_title(before) and not before.capitalised:
            passed_role = True
        elif not (passed_role and before.capitalised and not _is_common_opener(before)):
            break
        index -= 1
    return index


def _ner_shape(name_words: list[Word]) -> str | None:
    tags = [w.ner for w in name_words if w.ner and w.ner != "O"]
    if not tags:
        return None
    label = tags[-1].split("-", 1)[-1]
    if label == "PERSON":
        return PERSON
    if label in {"ORG", "NORP"}:
        return ORG if label == "ORG" else OTHER
    return OTHER


def _shape_of(name_words: list[Word], titled: bool) -> str:
    """PERSON, ORG, OTHER, or "bare" (one untitled word: decided later by clustering)."""
    lowers = [w.lower for w in name_words]
    stripped = [w.rstrip(".") for w in lowers]  # "Corp." and "Corp", "Sep." and "Sep"
    if " ".join(lowers) in ORG_NAMES or lowers[-1] in ORG_HEADS or stripped[-1] in ORG_HEADS:
        return ORG
    if any(w in MONTHS_AND_DAYS for w in stripped) or any(
        c.isdigit() for w in name_words for c in w.text
    ):
        return OTHER
    if stripped[0] in PLACE_FIRST_WORDS or stripped[-1] in PLACE_HEADS:
        return OTHER
    if len(name_words) == 1 and lowers[0] in DESCRIPTIVE_NOUNS:
        return OTHER  # "the German": a description, not a name
    if len(name_words) == 1 and name_words[0].is_acronym:
        return ORG
    if any(w.is_acronym and w.lower not in NAME_SUFFIXES for w in name_words):
        return OTHER  # "BBC World", but "Ana Ruiz III" is a person
    if titled or len(name_words) >= 2:
        return PERSON
    return "bare"


@dataclass
class _Cluster:
    kind: EntityKind
    names: list[str] = field(default_factory=list)  # titles stripped
    aliases: list[str] = field(default_factory=list)  # every surface form


def _cluster(names: list[NameMention], words: list[Word], text: str) -> ArticleNames:
    clusters: list[_Cluster] = []
    by_key: dict[tuple[str, ...] | str, int] = {}
    counts: Counter[int] = Counter()
    first_seen: dict[int, int] = {}

    def add(key: tuple[str, ...] | str, name: NameMention, kind: EntityKind) -> int:
        if key not in by_key:
            by_key[key] = len(clusters)
            clusters.append(_Cluster(kind))
            first_seen[by_key[key]] = name.start
        return by_key[key]

    # Full names first, so that single words can be linked to them afterwards. A name that
    # starts with a particle ("von Berg", "al-Masri") or is one hyphenated word
    # ("Hughes-Whitfield") is a surname: linked afterwards too.
    for name in names:
        if name.shape == PERSON and len(name.parts) >= 2 and not _is_surname_only(name):
            name.entity = add(name.parts, name, EntityKind.PERSON)
        elif name.shape == ORG:
            spelled = _organisation_spelled_by(name, by_key)
            if spelled is not None:
                name.entity = spelled
            else:
                name.entity = add("org:" + _org_key(name.text), name, EntityKind.ORGANIZATION)
        if name.entity >= 0:
            counts[name.entity] += 1
    persons = {i for i, c in enumerate(clusters) if c.kind == EntityKind.PERSON}
    full_persons = [n for n in names if n.entity in persons]
    full_starts = [n.start for n in full_persons]
    given_aliases: dict[tuple[str, ...], int] = {}
    for name in names:
        if name.entity >= 0 or name.shape not in (PERSON, "bare"):
            continue
        surname = _is_surname_only(name)
        bearer = given_aliases.get(name.parts) if len(name.parts) == 1 else None
        if bearer is None and len(name.parts) == 1:
            bearer = _alias_giver(name, full_persons, full_starts, text)
            if bearer is not None:
                given_aliases[name.parts] = bearer
        if bearer is None:
            bearer = _bearer_just_named(name, surname, full_persons, full_starts, text)
        if bearer is None:
            bearer = _most_salient_bearer(name.parts, surname, by_key, counts, first_seen)
        if bearer is None and name.shape == "bare":
            bearer = _organisation_shortened_to(name.parts[0], by_key)
        if bearer is not None:
            name.entity = bearer
        elif name.shape == PERSON:  # titled ("Mr. Smith") or tagged PERSON by NER
            name.entity = add(name.parts, name, EntityKind.PERSON)
        if name.entity >= 0:
            counts[name.entity] += 1
    genders: dict[int, str] = {}
    for name in names:
        if name.entity < 0:
            continue
        cluster = clusters[name.entity]
        _append_new(cluster.names, name.text)
        _append_new(cluster.aliases, name.text)
        _append_new(cluster.aliases, name.surface)
        if name.honorific_gender:
            genders.setdefault(name.entity, name.honorific_gender)
    final = tuple(
        Entity(name=_canonical(c.names, c.kind), kind=c.kind, aliases=tuple(c.aliases))
        for c in clusters
    )
    mentions = tuple(
        Mention(text=n.surface, start=n.surface_start, end=n.end, entity=n.entity)
        for n in names
        if n.entity >= 0
    )
    return ArticleNames(
        entities=ArticleEntities(entities=final, mentions=mentions),
        names=names,
        words=words,
        genders=genders,
        salience=dict(counts),
    )


def _organisation_spelled_by(
    name: NameMention, by_key: dict[tuple[str, ...] | str, int]
) -> int | None:
    """The organisation seen earlier whose initials an acronym spells ("NHC" after "National
    Hurricane Center"), when exactly one does."""
    if len(name.parts) != 1 or not name.text.isupper() or len(name.text) < 2:
        return None
    matches = [
        index
        for key, index in by_key.items()
        if isinstance(key, str)
        and key.startswith("org:")
        and "".join(p[0] for p in key[4:].split() if p not in FUNCTION_WORDS) == name.parts[0]
    ]
    return matches[0] if len(matches) == 1 else None


def _organisation_shortened_to(word: str, by_key: dict[tuple[str, ...] | str, int]) -> int | None:
    """ "Norvane Therapeutics … Norvane said": one untitled word that opens the name of
    exactly one organisation of the article (and is not itself a kind of organisation or
    place) is that organisation's short name."""
    if word in ORG_HEADS or word in PLACE_FIRST_WORDS or word in FUNCTION_WORDS:
        return None
    matches = {
        index
        for key, index in by_key.items()
        if isinstance(key, str)
        and key.startswith("org:")
        and len(key[4:].split()) >= 2
        and key[4:].split()[0] == word
    }
    return matches.pop() if len(matches) == 1 else None


def _append_new(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _org_key(text: str) -> str:
    key = normalise_name(text)
    return key[4:] if key.startswith("the ") else key


def _is_surname_only(name: NameMention) -> bool:
    """ "von Berg", "al-Masri", "Van der Berg", "Mrs. Hughes-Whitfield": a particle, or one
    hyphenated word, shows a surname without the given name."""
    if len(name.parts) < 2:
        return False
    particles = NAME_PARTICLES | HYPHENATED_PARTICLES | GAELIC_PARTICLES | SURNAME_ABBREVIATIONS
    return name.parts[0] in particles or " " not in name.text.strip()


# How many full names back the same-paragraph bearer of a surname is looked for (bounded:
# a paragraph of thousands of names must cost linear time).
BEARER_LOOKBACK = 20


def _bearer_just_named(
    name: NameMention,
    surname: bool,
    full_persons: list[NameMention],
    starts: list[int],
    text: str,
) -> int | None:
    """ "His son, Tomás Ruiz, said …. “…,” Ruiz said.": when several people of the article
    share the surname, the one named in full last before it in the same paragraph is the
    one meant (the writer has just introduced them), not the most mentioned one."""
    index = bisect_right(starts, name.start)
    upto = name.start
    for before in reversed(full_persons[max(0, index - BEARER_LOOKBACK) : index]):
        if text.find("\n", before.end, upto) >= 0:
            return None
        if not before.possessive and _bears(before.parts, name.parts, surname):
            return before.entity  # "Bo Ruiz's work" names Bo Ruiz as no one's subject
        upto = before.start
    return None


# "Abdirahman Yusuf Hashi, who goes by Abdi": the words before a one-word alias, and how far
# back in its sentence the full name may stand.
ALIAS_BEFORE = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in ALIAS_INTRODUCERS) + r")\s+$",
    re.IGNORECASE,
)
ALIAS_REACH = 80


def _alias_giver(
    name: NameMention, full_persons: list[NameMention], starts: list[int], text: str
) -> int | None:
    """The person named in full earlier in the sentence of "who goes by Abdi" / "known as
    Abdi": the one-word name is theirs, here and later in the article."""
    if not ALIAS_BEFORE.search(text, max(0, name.surface_start - 30), name.surface_start):
        return None
    index = bisect_right(starts, name.start)
    if not index:
        return None
    before = full_persons[index - 1]
    between = text[before.end : name.surface_start]
    if len(between) > ALIAS_REACH or any(mark in between for mark in '.\n;“”"‘’'):
        return None
    return None if before.possessive else before.entity


def _bears(full: tuple[str, ...], parts: tuple[str, ...], surname: bool) -> bool:
    """Is `parts` (one word, or a surname of several) the first or last part of `full`?"""
    full = _without_suffix(full)
    if len(full) <= len(parts):
        return False
    if len(parts) > 1 or surname:
        return full[len(full) - len(parts) :] == parts
    return full[0] == parts[0] or full[-1] == parts[0]


def _most_salient_bearer(
    parts: tuple[str, ...],
    surname: bool,
    by_key: dict[tuple[str, ...] | str, int],
    counts: Counter[int],
    first_seen: dict[int, int],
) -> int | None:
    """The person whose full name starts or ends with this single-word name (or ends with
    this `surname` of several parts), most mentioned first, earliest-introduced on ties
    ("Tanaka" is the president, not the wire editor)."""
    if len(parts) != 1 and not surname:
        return by_key.get(parts)
    word = parts[0]
    candidates = []
    for key, index in by_key.items():
        if not isinstance(key, tuple):
            continue
        key = _without_suffix(key)
        if (
            key[len(key) - len(parts) :] == parts
            if len(parts) > 1
            else (key[0] == word or key[-1] == word)
        ):
            candidates.append(index)
    if not candidates:
        return None
    return min(candidates, key=lambda i: (-counts[i], first_seen[i]))


def _without_suffix(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The name parts without a generational suffix: "Delroy" is the surname of "Marcus
    Delroy Jr."."""
    while len(parts) > 2 and parts[-1] in NAME_SUFFIXES:
        parts = parts[:-1]
    return parts


def _canonical(names: list[str], kind: EntityKind) -> str:
    """The fullest name seen (titles already stripped); the first seen among equals."""
    if kind == EntityKind.ORGANIZATION:
        names = [re.sub(r"^(?i:the)\s+", "", n) for n in names]
    return max(names, key=lambda n: (len(_name_parts(n)), -names.index(n)))
