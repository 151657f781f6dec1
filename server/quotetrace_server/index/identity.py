"""One person, one speaker: when the written forms of two speakers are one identity.

A speaker is known by its kind and the forms articles wrote its name in. A *strong* link
(full names that agree: "Ilsa Marovic" / "I. Marovic" / "Ilsa A. Marovic" / "Ilsa
Marović"; an organisation's name in other letters) merges on its own. A *weak* link (a
bare surname, an acronym) merges only when it points at exactly one known speaker: the
store checks that. Names that disagree (same surname, different given names) never link.
Every link carries its evidence in words, which the store records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish

from quotetrace_server.entities.lexicon import (
    POSSESSIVE_DETERMINERS,
    TITLE_ABBREVIATIONS,
    TITLES,
    word_set,
)
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.names import (
    NameForm,
    acronym_of,
    bare_matches,
    fold,
    is_acronym,
    is_proper_name,
    name_link,
    names_conflict,
    org_key,
    org_link,
    parse_forms,
    parse_name,
    stated_acronyms,
    surname_variant,
    translit_key,
)

# Surnames this similar (Jaro-Winkler) that are not spelling variants are "near names":
# a claim naming one of them is not called a misattribution of the other.
NEAR_NAME_SIMILARITY = 0.88


# Words that open the complement of a role ("chief executive of Velora", "attorney for the
# district").
_COMPLEMENT_OPENERS = frozenset(["of", "for", "at", "from", "with", "in", "to"])
# Words a description may add that a printed form leaves out ("CEO of Velora" / "Velora CEO").
_DESCRIPTION_LINKS = _COMPLEMENT_OPENERS | frozenset(["and", "&"])

# Words that open a description of a speaker rather than a name ("the mayor", "his lawyer").
_DETERMINERS = word_set("the a an this that") | POSSESSIVE_DETERMINERS


@dataclass(frozen=True)
class Link:
    strong: bool
    evidence: str


def _is_org(kind: EntityKind) -> bool:
    return kind is not EntityKind.PERSON


def _proper(names: Iterable[str]) -> list[str]:
    return [n.strip() for n in names if is_proper_name(n)]


def lookup_keys(kind: EntityKind, names: Iterable[str]) -> set[str]:
    """Keys under which a speaker's candidates are found (a superset of its links)."""
    keys: set[str] = set()
    names = list(names)
    if _is_org(kind):
        for name in _proper(names):
            keys.add("o:" + org_key(name))
            if acronym := acronym_of(name):
                keys.add("a:" + acronym)
            if is_acronym(name):
                keys.add("a:" + org_key(name))
            keys.update("a:" + org_key(a) for a in stated_acronyms(name))
    # Organisations are looked up by person keys too: the attributor's kind may differ
    # between articles, and a claim does not say which kind it names.
    for form in parse_forms(names):
        keys.update(_form_keys(form))
    keys.discard("o:")
    keys.discard("a:")
    return keys


def _form_keys(form: NameForm) -> set[str]:
    keys = {"s:" + translit_key(form.surname), "l:" + form.letters}
    if form.core:  # "Villeterre" finds "Amaury de Villeterre"
        keys.add("s:" + translit_key(form.core))
    if form.bare:
        keys.add("f:" + form.surname)
    else:
        keys.add("f:" + form.first)
    return keys


def link(kind: EntityKind, new: Sequence[str], known: Sequence[str]) -> Link | None:
    """Why a speaker written as ``new`` in an article is the known speaker ``known``."""
    if _is_org(kind):
        return _org_link(new, known)
    return _person_link(parse_forms(new), parse_forms(known))


def _org_link(new: Sequence[str], known: Sequence[str]) -> Link | None:
    weak: Link | None = None
    for a in _proper(new):
        for b in _proper(known):
            evidence = org_link(a, b)
            if evidence is None:
                continue
            if evidence == "same name letters":
                return Link(True, f"{a!r} = {b!r}: {evidence}")
            weak = weak or Link(False, f"{a!r} ~ {b!r}: {evidence}")
    return weak


def _person_link(new: list[NameForm], known: list[NameForm]) -> Link | None:
    new_full = [f for f in new if not f.bare]
    known_full = [f for f in known if not f.bare]
    for a in new_full:
        for b in known_full:
            if names_conflict(a, b):
                return None
    for a in new:
        for b in known:
            evidence = name_link(a, b)
            if evidence is not None:
                return Link(True, f"{a.text!r} ~ {b.text!r}: {evidence}")
    if not new_full:
        for a in new:
            for b in known:
                if bare_matches(a, b):
                    return Link(False, f"{a.text!r} is a part of {b.text!r}")
    if not known_full:
        for b in known:
            for a in new_full:
                if bare_matches(b, a):
                    return Link(False, f"{b.text!r} is a part of {a.text!r}")
    return None


def has_full_name(kind: EntityKind, names: Sequence[str]) -> bool:
    """A person written with a given name or initial somewhere, or any organisation name."""
    if _is_org(kind):
        return bool(_proper(names))
    return any(not f.bare for f in parse_forms(names))


def conflicts(kind: EntityKind, a: Sequence[str], b: Sequence[str]) -> bool:
    """Two speakers whose full names say they are different people."""
    if _is_org(kind):
        return False
    fa = [f for f in parse_forms(a) if not f.bare]
    fb = [f for f in parse_forms(b) if not f.bare]
    return any(names_conflict(x, y) for x in fa for y in fb)


def claim_link(claim: str, names: Sequence[str], kind: EntityKind | None = None) -> str | None:
    """Why a claimed speaker name is this speaker (written ``names``, of ``kind`` when
    known), or None.

    More lenient than merging: a claim is one form against all of the speaker's forms,
    and saying "not this speaker" wrongly is the costlier error. Still, a full name whose
    given names disagree is another person. An acronym answers only for an organisation.
    """
    wanted = fold(claim).strip()
    if not wanted:
        return None
    for name in names:
        if fold(name).strip() == wanted:
            return f"alias {name!r}"
    for name in _proper(names):
        evidence = org_link(claim, name)
        if evidence is not None and (
            evidence == "same name letters" or kind is not EntityKind.PERSON
        ):
            return f"{name!r}: {evidence}"
    form = parse_name(as_printed(claim))
    if form is None:
        return None
    known = parse_forms(names)
    full = [f for f in known if not f.bare]
    if not form.bare and any(names_conflict(form, b) for b in full):
        return None
    for b in known:
        evidence = name_link(form, b)
        if evidence is not None:
            return f"{b.text!r}: {evidence}"
    if form.bare:
        for b in known:
            if bare_matches(form, b) or (b.bare and surname_variant(form.surname, b.surname)):
                return f"{form.text!r} is a part of {b.text!r}"
        return None
    for b in full:
        if surname_variant(form.surname, b.surname):
            return f"{b.text!r}: surname {b.surname}, compatible given names"
    if not full:
        for b in known:
            if bare_matches(b, form):
                return f"{b.text!r} is a part of {form.text!r}"
    return None


def is_name(claim: str) -> bool:
    """The claim names someone ("Ilsa Marovic", "NGO"), rather than describing them ("the
    mayor", "his lawyer", "Judge", "chief executive of Velora", "energy billionaire"): a
    description may fit the printed speaker."""
    words = claim.split()
    if not words or fold(words[0]) in _DETERMINERS:
        return False
    return not _is_role(_head_words(words))


def description_fits(claim: str, names: Sequence[str]) -> str | None:
    """The speaker's printed form that a description of them is part of ("Portvale Mayor" of
    "Portvale Mayor Ines Halloran", "the judge" of "Judge Marta Oyelaran", "CEO of Velora" of
    "Velora CEO Ana Ruiz"), or None. Every content word counts, the complement's too:
    "CEO of another firm" does not fit "Velora CEO Ana Ruiz"."""
    if is_name(claim):
        return None
    wanted = _description_words(claim)
    if not wanted:
        return None
    for name in names:
        if wanted <= _description_words(name):
            return name
    return None


def _description_words(text: str) -> set[str]:
    words = {fold(w).strip(".,;:'’\"") for w in text.split()}
    return {w for w in words if w and w not in _DETERMINERS and w not in _DESCRIPTION_LINKS}


def _head_words(words: Sequence[str]) -> list[str]:
    """The words before an "of/for/at ..." complement ("chief executive" of "chief
    executive of Velora"): the complement names where the role is held, not who holds it."""
    for i, word in enumerate(words):
        if i > 0 and fold(word) in _COMPLEMENT_OPENERS:
            return list(words[:i])
    return list(words)


def _is_role(head: Sequence[str]) -> bool:
    """A head that ends in a title or role word ("Judge", "shipping billionaire", "Harbour Town
    mayor", "CEO and founder"). A surname that is also a title ("Julie Bishop") reads as
    a description too: it only ever turns a MISATTRIBUTED into a doubt, never a match."""
    return bool(head) and _role_word(fold(head[-1]).strip(".,"))


def _role_word(key: str) -> bool:
    return key in TITLES or key in TITLE_ABBREVIATIONS or key.removesuffix(".") in TITLES


def initials_of(claim: str, names: Sequence[str]) -> str | None:
    """The speaker's name whose initials the claim is ("TVO" for "Tomas Vendrell-Okafor", the
    parts of a hyphenated surname counted apart), or None. Only doubt: initials are too
    short to name a person with confidence, and too close to be called someone else."""
    if not is_acronym(claim):
        return None
    letters = org_key(claim)
    for name in _proper(names):
        if acronym_of(name.replace("-", " ")) == letters:
            return name
    return None


def as_printed(claim: str) -> str:
    """A name typed all in lower case ("ilsa marovic") as it would be printed."""
    if claim != claim.lower():
        return claim
    return " ".join(w[:1].upper() + w[1:] for w in claim.split())


def near_name(claim: str, names: Sequence[str]) -> str | None:
    """A name of the speaker that the claim resembles without being it (a misspelling, or
    another person with a close name): doubt, not a misattribution."""
    form = parse_name(as_printed(claim))
    if form is None:
        return None
    for b in parse_forms(names):
        if surname_variant(b.surname, form.surname):
            continue  # the same surname: the given names decide, and they disagree
        similar = jellyfish.jaro_winkler_similarity(form.surname, b.surname)
        if similar >= NEAR_NAME_SIMILARITY or (
            len(form.surname) >= 5
            and jellyfish.metaphone(form.surname) == jellyfish.metaphone(b.surname)
        ):
            return b.text
    return None


def canonical_name(kind: EntityKind, names: Iterable[str], current: str) -> str:
    """The name to show for a speaker: the fullest plain form ("Ilsa Marovic" over
    "I. Marovic", "Mayor Ilsa Marovic" and "Ilsa A. Marovic"); ``current`` on ties."""
    names = list(dict.fromkeys([current, *_proper(names)]))
    if _is_org(kind):

        def org_score(name: str) -> tuple[int, int, int, int]:
            return (
                not is_acronym(name),
                "(" not in name,
                not fold(name).startswith("the "),
                -len(name),
            )

        return max(names, key=lambda n: (org_score(n), n == current))
    parsed = [(n, parse_name(n)) for n in names]
    # A form's name proper, without its titles ("Ilsa Marovic" of "Mayor Ilsa Marovic").
    proper = [(f.proper if f is not None and f.proper else n, f) for n, f in parsed]

    def score(item: tuple[str, NameForm | None]) -> tuple[int, ...]:
        name, form = item
        if form is None:
            return (0, 0, 0, 0, 0, name == current)
        initials = sum(len(g) == 1 for g in form.given)
        return (
            1,
            not form.bare,
            not form.initials_only,
            -initials,
            len(form.given),
            name == current,
        )

    return max(proper, key=score)[0]
