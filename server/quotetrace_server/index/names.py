"""Keys that decide when two written names denote the same speaker across articles."""

from __future__ import annotations

import re
import unicodedata

# Honorifics and roles that precede a name ("President Ana Novak", "Mr. Lee").
# Dropping them is what lets "Mrs. Novak" and "Ana Novak" share a surname key.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "father",
        "sister",
        "brother",
        "president",
        "vice",
        "premier",
        "prime",
        "minister",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "leader",
        "chairman",
        "chairwoman",
        "chair",
        "secretary",
        "general",
        "secretary-general",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "adm",
        "admiral",
        "sgt",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "mayor",
        "judge",
        "justice",
        "ambassador",
        "director",
        "chief",
        "ceo",
        "head",
        "foreign",
        "defence",
        "defense",
        "interior",
        "deputy",
        "supreme",
        "state",
        "chairperson",
        "commander",
        "marshal",
        "the",
    ]
)
_SPLIT = re.compile(r"[\s\-‐‑–—_.]+")


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
