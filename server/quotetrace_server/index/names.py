"""Written names and when two of them denote the same speaker across articles.

Two levels:

* ``name_key`` / ``name_tokens``: a folded string key (titles, case, hyphens and accents
  dropped), used to store and look up aliases.
* ``parse_name`` and ``name_link``: the parts of a person's name (given names, initials,
  surname) and whether two forms can be one person, with the evidence in words. Forms
  link on the same letters ("Park Min Ho" / "Park Min-ho"), a shared surname plus
  compatible given names ("I. Marovic" / "Ilsa Marovic", "Ilsa A. Marovic"), or a
  transliterated surname or given name ("Zelenkoy" / "Zelenkoi"). A shared surname alone,
  or near names that are not spelling variants of each other, never link.

Title words come from ``nameparser``'s lists, folding from ``anyascii``, spelling
similarity from ``jellyfish``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import jellyfish
from anyascii import anyascii
from nameparser.config import CONSTANTS as _NAMEPARSER

from quotetrace_server.entities.lexicon import (
    DASH_MARKS,
    GENERATIONS,
    HYPHEN_MARKS,
    HYPHENATED_PARTICLES,
    NAME_KEY_TITLES,
    ORG_NAME_JOINERS,
    TRANSLITERATION_RESPELLINGS,
    word_set,
)

# Honorifics and roles that precede a name, nameparser's and the lexicon's (dropping them
# lets "Mrs. Novak" and "Ana Novak" share a surname key).
_TITLES = frozenset(t for t in _NAMEPARSER.titles if t.isascii()) | NAME_KEY_TITLES
# Generational suffixes ("Jr.", "III"); nameparser's degree acronyms ("MA") are left
# out, as they are also surnames.
_SUFFIXES = frozenset(
    s for s in _NAMEPARSER.suffix_not_acronyms if s.isascii() and s.isalpha() and len(s) >= 2
)
# Lower-case particles that belong to a surname ("van", "de", "al").
_PARTICLES = frozenset(p for p in _NAMEPARSER.prefixes if p.isascii() and p.isalpha())
# Words left out of an organisation's acronym ("Bank of the North" → "BN").
_ACRONYM_SKIP = ORG_NAME_JOINERS | word_set("for de du des la le")
_SPLIT = re.compile(rf"[\s{re.escape(HYPHEN_MARKS + DASH_MARKS)}_.]+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_POSSESSIVE = re.compile(r"['’]s$")
_HYPHEN = re.compile(rf"[{re.escape(HYPHEN_MARKS)}]")
# A hyphen or an apostrophe after a particle glued to a surname ("al-Rashidi", "d’Arcy").
_PARTICLE_GLUE = re.compile(rf"[{re.escape(HYPHEN_MARKS)}'’]")
_STRIP = "'’\",()[]:;!?“”‘"
_VOWELS = frozenset("aeiou")
# A transliterated given name may differ in vowels, h, w and y, but its consonant
# skeleton must be this long to say so: "Bhaskaranarayan" / "Baskaranarayan" do,
# "Michael" / "Michaela" (4) do not.
_SKELETON_MIN = 5
# A given name transliterated with other vowels ("Mohammed" / "Muhammad") keeps every
# consonant, h included, in place: at least this many of them, and at least two vowels
# respelt, as one respelt vowel is more often another name ("Marten" / "Morten"); short
# names respelt are others too ("Jonas" / "Janos").
_RESPELT_CONSONANTS_MIN = 4
_RESPELT_VOWELS_MIN = 2


def fold(text: str) -> str:
    """Case- and accent-folded ASCII: "Jörn" → "jorn", "Marović" → "marovic"."""
    return anyascii(unicodedata.normalize("NFKC", text)).casefold()


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65_536)  # speakers recur: ingest keys the same names over and over
def name_tokens(name: str) -> tuple[str, ...]:
    """Case-, hyphen- and accent-folded tokens of a name, with leading titles/roles dropped.

    A descriptive prefix in lower case ("opposition leader Lee Jae Won") is dropped too:
    the name proper is the capitalised run at the end.
    """
    raw = [t for t in _SPLIT.split(unicodedata.normalize("NFKC", name).strip()) if t]
    raw = [t.strip("'’\",()") for t in raw]
    raw = [t for t in raw if t]
    # Keep the trailing run of capitalised tokens when the name has a lowercase prefix.
    last_lower = max((i for i, t in enumerate(raw) if t[:1].islower()), default=-1)
    if 0 <= last_lower < len(raw) - 1:
        raw = raw[last_lower + 1 :]
    folded = [_ascii_fold(t).casefold() for t in raw]
    # Everything up to the last title before the final token is a role ("U.N.
    # Secretary-General Maria Costa"); the final token is always kept ("John Major").
    last_title = max((i for i, t in enumerate(folded[:-1]) if t in _TITLES), default=-1)
    return tuple(folded[last_title + 1 :])


def is_proper_name(name: str) -> bool:
    """A written name rather than a description: it opens with a capital ("Ana Novak", "The
    Harbour Council"), or with a lower-case particle before a capitalised part ("de
    Villeterre", "al-Rashidi", "van der Berk"); "the prime minister" describes."""
    words = name.strip().split()
    if not words:
        return False
    if not words[0][:1].islower():
        return True
    head = _PARTICLE_GLUE.split(words[0])[0].casefold()
    particle = head in _PARTICLES or head in HYPHENATED_PARTICLES
    return particle and any(c.isupper() for c in name)


def name_key(name: str) -> str:
    """The string key of a name: "Lee Jae-won", "lee jae won" and "Mr. Lee Jae Won" agree."""
    return " ".join(name_tokens(name))


def is_bare_name(tokens: tuple[str, ...]) -> bool:
    """A one-token key ("novak", "lee"): it may denote several people."""
    return len(tokens) == 1


def key_names_part_of(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` is a contiguous part of ``full`` that includes its first or last token.

    "novak" is part of "ana maria novak"; "lee" of "lee jae won" (family name first).
    """
    if not short or len(short) > len(full):
        return False
    return full[: len(short)] == short or full[len(full) - len(short) :] == short


# --- name parts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NameForm:
    """One written form of a name, in parts (all folded to lower-case ASCII).

    ``given`` holds the given and middle names in order, an initial as one letter;
    ``surname`` is the last name with hyphens and spaces removed ("bankmanfried").
    A bare form ("Novak", "Mr. Novak") has no given names.
    """

    text: str
    given: tuple[str, ...]
    surname: str
    proper: str = ""  # the name as written, without titles or description ("Ilsa Marović")
    generation: str = ""  # "jr", "sr", "iii": a father and a son share the rest of a name
    halves: tuple[str, ...] = ()  # the parts of a hyphenated surname ("marovic", "kern")
    core: str = ""  # the surname without its particles ("villeterre" of "de Villeterre")

    @property
    def bare(self) -> bool:
        return not self.given

    @property
    def letters(self) -> str:
        return "".join(self.given) + self.surname

    @property
    def first(self) -> str:
        """The first token: the given name, or a family name written first ("Lee Jae-won")."""
        return self.given[0] if self.given else self.surname

    @property
    def initials_only(self) -> bool:
        return bool(self.given) and all(len(g) == 1 for g in self.given)


def _letters(token: str) -> str:
    return "".join(c for c in fold(token) if c.isalnum())


@functools.lru_cache(maxsize=65_536)
def parse_name(name: str) -> NameForm | None:
    """The parts of a written name, or None when it has no name in it.

    Dropped: a lower-case description before the name ("manager Ana Novak"), titles and
    roles ("U.S. District Judge", "Gov.", "Sir"), a parenthesis, generational suffixes, a
    possessive. "J.D." and "JD" are two initials. A surname of one letter is no name.
    """
    text = _PARENTHESES.sub(" ", unicodedata.normalize("NFKC", name))
    raw = [t.strip(_STRIP) for t in text.split()]
    raw = [_POSSESSIVE.sub("", t) for t in raw if t]
    raw = [t for t in raw if t and any(c.isalpha() for c in t)]
    if not raw:
        return None
    lower = [
        i
        for i, t in enumerate(raw[:-1])
        if t[:1].islower() and fold(t).strip(".") not in _PARTICLES
    ]
    if lower:
        raw = raw[lower[-1] + 1 :]
    generation, suffixes = "", list[str]()
    while len(raw) > 1 and fold(raw[-1]).strip(".") in _SUFFIXES:
        generation = generation or GENERATIONS.get(fold(raw[-1]).strip("."), "")
        suffixes.insert(0, raw[-1])
        raw = raw[:-1]
    titles = [i for i, t in enumerate(raw[:-1]) if fold(t).strip(".") in _TITLES]
    if titles:
        raw = raw[titles[-1] + 1 :]
    if not raw[-1][:1].isupper() and _PARTICLE_GLUE.split(fold(raw[-1]))[0] not in _PARTICLES:
        return None  # "the judge": a description, not a name
    if len(raw) == 1 and fold(raw[-1]).strip(".") in _TITLES:
        return None  # "Judge", "The Mayor"
    # Particles before the last name belong to the surname ("Ilsa van der Berk" →
    # "vanderberk", as "Mrs. van der Berk" is); written capitalised only after a given
    # name ("Ilsa Van der Berk"), as a lone "Mac Berk" may be a given name.
    last = len(raw) - 1
    while (
        last > 0
        and fold(raw[last - 1]).strip(".") in _PARTICLES
        and (raw[last - 1][:1].islower() or last >= 2)
    ):
        last -= 1
    head, tail = raw[:last], raw[last:]
    parts: list[str] = []
    for token in head:
        pieces = [p for p in token.split(".") if p]
        if len(pieces) > 1 or token.endswith("."):
            parts.extend(_letters(p)[:1] for p in pieces)  # "J.D." → j, d
        elif 2 <= len(token) <= 3 and token.isalpha() and token.isupper():
            parts.extend(c.casefold() for c in token)  # "JD" → j, d
        else:
            parts.append(_letters(token))
    surname = "".join(_letters(t) for t in tail)
    given = tuple(p for p in parts if p)
    if len(surname) < 2:
        return None
    halves = tuple(h for h in (_letters(p) for p in _HYPHEN.split(tail[-1])) if h)
    if halves and halves[0] in _PARTICLES | HYPHENATED_PARTICLES:
        halves = ()  # "al-Rashidi" is one surname with its particle, not two
    core = _without_particles(tail)
    # A generational suffix stays in the shown name: it tells a father from his son.
    proper = " ".join(raw + [s for s in suffixes if fold(s).strip(".") in GENERATIONS])
    return NameForm(
        text=name,
        given=given,
        surname=surname,
        proper=proper,
        generation=generation,
        halves=halves if len(halves) > 1 else (),
        core=core if core != surname and len(core) >= 2 else "",
    )


def _without_particles(tail: list[str]) -> str:
    """The letters of a surname's words after its particles: "de Villeterre" →
    "villeterre", "al-Rashidi" → "rashidi", "van der Berk" → "berk"."""
    words = list(tail)
    while len(words) > 1 and fold(words[0]).strip(".") in _PARTICLES:
        words = words[1:]
    head, _, rest = words[0].partition("-")
    if rest and fold(head) in _PARTICLES | HYPHENATED_PARTICLES:
        words[0] = rest
    return "".join(_letters(w) for w in words)


@functools.lru_cache(maxsize=65_536)
def translit_key(word: str) -> str:
    """Key under which transliterations of one name agree: doubled letters collapsed,
    German umlaut spellings folded ("ue" → "u"), a final run of i/y/j as one "y"
    ("Zelenkoi", "Zelenkoyy", "Zelenkoy"), and the lexicon's respellings ("Tchernov" /
    "Chernov", "Mariya" / "Maria")."""
    w = word
    for pattern, replacement in TRANSLITERATION_RESPELLINGS:
        w = re.sub(pattern, replacement, w)
    w = re.sub(r"([aou])e", r"\1", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    return re.sub(r"[iyj]+$", "y", w)


def _skeleton(word: str) -> str:
    rest = "".join(c for c in word[1:] if c not in _VOWELS and c not in "hwy")
    return re.sub(r"(.)\1+", r"\1", word[:1] + rest)


def surname_variant(a: str, b: str) -> bool:
    """Two spellings of one surname: equal, or equal under transliteration."""
    return a == b or (min(len(a), len(b)) >= 4 and translit_key(a) == translit_key(b))


def given_variant(a: str, b: str) -> bool:
    """Two spellings of one given name ("Jorn" / "Joern", "Bhaskaranarayan" /
    "Baskaranarayan"): a transliteration, or the same long consonant skeleton, the same
    first and last letter and a high Jaro-Winkler similarity, or the same consonants in
    place with vowels respelt ("Mohammed" / "Muhammad"). "Alexander" / "Alexandra",
    "Marten" / "Morten", "Jonas" / "Janos" and "Jon" / "Joan" are different names."""
    if a == b or (min(len(a), len(b)) >= 3 and translit_key(a) == translit_key(b)):
        return True
    if vowels_respelt(a, b):
        return True
    skeleton = _skeleton(a)
    return (
        len(skeleton) >= _SKELETON_MIN
        and skeleton == _skeleton(b)
        and a[-1] == b[-1]
        and jellyfish.jaro_winkler_similarity(a, b) >= 0.85
    )


def vowels_respelt(a: str, b: str) -> bool:
    """One given name transliterated with other vowels: with doubled letters collapsed, the
    same letters but for at least two vowels, the same first and last letter and at least
    four consonants ("Mohammed" / "Muhammad", "Mohamed" / "Muhamad")."""
    x, y = re.sub(r"(.)\1+", r"\1", a), re.sub(r"(.)\1+", r"\1", b)
    if len(x) != len(y) or x[0] != y[0] or x[-1] != y[-1]:
        return False
    respelt = 0
    for p, q in zip(x, y, strict=True):
        if p == q:
            continue
        if p not in _VOWELS or q not in _VOWELS:
            return False
        respelt += 1
    consonants = sum(c not in _VOWELS for c in x)
    return respelt >= _RESPELT_VOWELS_MIN and consonants >= _RESPELT_CONSONANTS_MIN


def _given_link(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """How the given names of two forms with one surname agree, or None if they conflict.

    Given names are compared in order; an initial agrees with a name of that letter,
    a missing middle name agrees with anything.
    """
    evidence: list[str] = []
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == y:
            evidence.append("same given name" if len(x) > 1 else "same initial")
        elif len(x) == 1 or len(y) == 1:
            if x[0] != y[0]:
                return None
            evidence.append(f"initial {x if len(x) == 1 else y} of {y if len(x) == 1 else x}")
        elif given_variant(x, y):
            evidence.append(f"given-name spelling {x}/{y}")
        else:
            return None
        if i == 0 and len(a) != len(b):
            evidence.append("middle name on one side only")
    return "; ".join(dict.fromkeys(evidence))


def name_link(a: NameForm, b: NameForm) -> str | None:
    """Why two full forms can be one person, or None. Bare forms never link here: a
    surname alone is linked only where it names one known speaker (the caller's job)."""
    if other_generation(a, b):
        return None
    if a.letters == b.letters and len(a.given) + len(b.given) > 0:
        return "same name letters" if a.text != b.text else "same form"
    if a.bare or b.bare:
        return None
    if a.surname == b.surname:
        surname = "same surname"
    elif surname_variant(a.surname, b.surname):
        surname = f"surname spelling {a.surname}/{b.surname}"
    else:
        return surname_half(a, b) or surname_half(b, a)
    given = _given_link(a.given, b.given)
    if given is None:
        return None
    if surname != "same surname" and (a.initials_only or b.initials_only):
        # A respelt surname with nothing but an initial is thin evidence.
        return None
    return f"{surname}; {given}"


def other_generation(a: NameForm, b: NameForm) -> bool:
    """Two forms with different generational suffixes ("Sr." / "Jr."): a father and a son."""
    return bool(a.generation and b.generation and a.generation != b.generation)


def _surname_pair(form: NameForm) -> tuple[str, str] | None:
    """The two surnames of a double surname, hyphenated ("marovic", "kern") or written
    apart after the given name ("ortuzar", "benavente" of "Gabriela Ortúzar Benavente")."""
    if len(form.halves) == 2:
        return form.halves[0], form.halves[1]
    if len(form.given) >= 2 and len(form.given[-1]) > 1:
        return form.given[-1], form.surname
    return None


def surname_half(short: NameForm, full: NameForm) -> str | None:
    """Why ``short`` is ``full`` written with one half of a double surname, or None: the same
    given names, all written out, and a surname that is one part of a hyphenated one
    ("Liesl Brandauer" / "Liesl Brandauer-Koenig") or the first of two written apart
    ("Gabriela Ortúzar" / "Gabriela Ortúzar Benavente", as Spanish names are shortened)."""
    if not short.given or any(len(g) == 1 for g in short.given) or other_generation(short, full):
        return None
    if full.halves and short.given == full.given and short.surname in full.halves:
        return f"same given names; {short.surname} is one half of {'-'.join(full.halves)}"
    if full.given[:-1] == short.given and full.given[-1] == short.surname:
        return f"same given names; {short.surname} is the first of two surnames"
    return None


def names_conflict(a: NameForm, b: NameForm) -> bool:
    """Two full forms that name different people: one surname and given names that
    disagree, another generation ("Sr." / "Jr."), or double surnames with one first half
    and different second ones ("Ana Lopez Garcia" / "Ana Lopez Ruiz")."""
    if a.bare or b.bare:
        return False
    if surname_variant(a.surname, b.surname):
        return other_generation(a, b) or _given_link(a.given, b.given) is None
    pa, pb = _surname_pair(a), _surname_pair(b)
    if pa is None or pb is None or a.given[:1] != b.given[:1]:
        return False
    return pa[0] == pb[0] and not surname_variant(pa[1], pb[1])


def bare_matches(bare: NameForm, form: NameForm) -> bool:
    """A bare name ("Novak", "Zelenkoi") that is the surname or the first token of ``form``,
    with or without the surname's particles ("Villeterre" of "Amaury de Villeterre")."""
    word = bare.surname
    if not form.bare and word == form.first:
        return True
    words = [w for w in (bare.surname, bare.core) if w]
    return any(surname_variant(x, y) for x in words for y in (form.surname, form.core) if y)


def parse_forms(names: Iterable[str]) -> list[NameForm]:
    """The parsed forms of proper names among ``names`` (descriptions are dropped)."""
    forms: list[NameForm] = []
    for name in names:
        if not is_proper_name(name):
            continue
        form = parse_name(name)
        if form is not None:
            forms.append(form)
    return forms


# --- organisations ------------------------------------------------------------------------


def org_key(name: str) -> str:
    """Letters of an organisation's name without a leading "the" or a parenthesis."""
    text = _PARENTHESES.sub(" ", name).strip()
    words = [w for w in text.split() if w]
    if words and fold(words[0]) == "the":
        words = words[1:]
    return "".join(_letters(w) for w in words)


def acronym_of(name: str) -> str | None:
    """The acronym a written organisation name stands for ("National Grid Office" → "ngo")."""
    text = _PARENTHESES.sub(" ", name)
    words = [w.strip(_STRIP) for w in text.split()]
    words = [w for w in words if w and fold(w) not in _ACRONYM_SKIP]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(fold(w)[0] for w in words)


def is_acronym(name: str) -> bool:
    """ "NGO", "the NGO", "N.G.O.": two to six capitals."""
    token = name.strip().strip(_STRIP)
    if token.lower().startswith("the "):
        token = token[4:]
    token = token.replace(".", "")
    return 2 <= len(token) <= 6 and token.isalpha() and token.isupper()


def stated_acronyms(name: str) -> list[str]:
    """Acronyms a form states in parentheses: "National Grid Office (NGO)" → ["NGO"]."""
    return [m.strip() for m in _PARENTHESES.findall(name) if is_acronym(m)]


def org_link(a: str, b: str) -> str | None:
    """Why two organisation names are one body: same letters, or one is the other's acronym."""
    ka, kb = org_key(a), org_key(b)
    if ka and ka == kb:
        return "same name letters"
    for short, long in ((a, b), (b, a)):
        if is_acronym(short) and not is_acronym(long) and acronym_of(long) == org_key(short):
            return f"{short.strip()} is the acronym of {long.strip()}"
    return None
