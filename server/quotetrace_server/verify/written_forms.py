"""Numbers, dates and measures as a house style writes them, folded to one form.

Outlets print one spoken number in their own style, and a claim copies one of them:
an ordinal as a figure or in words ("1st" / "first", "21st" / "twenty-first"), a range
with a dash or with "to" ("5-10%" / "five to ten per cent"), a measure with its unit
glued, spaced, abbreviated or in full ("12km" / "12 km" / "twelve kilometres", "6am" /
"6 a.m."), and a date with the day before or after the month ("3 March" / "March 3" /
"the 3rd of March"). None of these is a word the speaker changed. verify.wording folds
each word through ``written_forms`` and the whole wording through ``in_house_order``, and
counts two wordings that fold alike as one spelling (DifferenceKind.SPELLING), as it does
"organise" / "organize". A claim that writes out a name the printing abbreviates ("the
United States" / "the U.S.") is looked up again with its initials (``with_initials``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from quotetrace_server.entities.lexicon import (
    FUNCTION_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    UNIT_ABBREVIATIONS,
    UNIT_PHRASES,
)
from quotetrace_server.entities.numbers import number_figure
from quotetrace_server.index.similarity import us_spelling

# "1st", "22nd", "3rd", "11th": an ordinal written as a figure.
_ORDINAL_FIGURE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# Two numbers joined by a hyphen or a dash: a range ("5-10", "five–ten").
_RANGE = re.compile(r"^([^\W_]+)[-‐‑‒–—]([^\W_]+)$")
# A figure with letters glued to it: a unit or the time of day ("12km", "6am", "20mph").
_GLUED = re.compile(r"^(\d+(?:[.,]\d+)*)([a-z]+)$")
# Scale suffixes an amount takes ("£2bn", "5k"): verify.amounts reads those, not this.
_SCALES = frozenset(("k", "m", "mn", "bn", "tn"))
# The ordinal form every ordinal folds to: the number and "th".
_ORDINAL = "{}th"
_DAY = re.compile(r"^(\d{1,2})(?:th)?$")
# Punctuation around a word of a claim.
_EDGE = "\"'“”‘’()[],.;:!?"
# "twenty", "thirty", ...: the first part of a compound number ("twentyfirst").
_TENS_WORDS = tuple(w for w, n in NUMBER_WORDS.items() if len(n) == 2 and n.endswith("0"))


# Words that may be part of a number, a measure or a date written in another house style.
_RESTYLED_WORDS = frozenset(NUMBER_WORDS) | frozenset(ORDINAL_WORDS) | MONTHS
_RESTYLED_WORDS |= frozenset(UNIT_ABBREVIATIONS)


@lru_cache(maxsize=4096)
def may_restyle(key: str) -> bool:
    """Cheap test that a word's key (letters and digits) may write part of a number, a
    measure or a date ("21st", "twentyfirst", "march", "kilometres")."""
    if key[:1].isdigit() or key in _RESTYLED_WORDS or us_spelling(key) in UNIT_ABBREVIATIONS:
        return True
    return any(key.startswith(tens) and key[len(tens) :] in _RESTYLED_WORDS for tens in _TENS_WORDS)


def ordinal_number(word: str) -> int | None:
    """The number an ordinal stands for ("21st", "twenty-first", "first"), else None."""
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    figure = _ORDINAL_FIGURE.match(word)
    if figure is not None:
        return int(figure.group(1))
    tens, _, unit = word.partition("-")
    if unit in ORDINAL_WORDS and ORDINAL_WORDS[unit] < 10 and tens in NUMBER_WORDS:
        value = int(NUMBER_WORDS[tens])
        if 20 <= value < 100 and value % 10 == 0:
            return value + ORDINAL_WORDS[unit]
    return None


def _number(word: str) -> str | None:
    """A cardinal as its figure ("7", "seven", "twenty-five"), else None."""
    if word.isdigit():
        return word
    return number_figure(word)


def written_forms(word: str, unit_of: str = "") -> tuple[str, ...] | None:
    """The house-style form of one word (case folded, edges trimmed) when it writes an
    ordinal, a range or a measure, as the words it folds to; else None. ``unit_of`` is
    the word before it: a unit in full folds to its abbreviation only after a number."""
    ordinal = ordinal_number(word)
    if ordinal is not None:
        return (_ORDINAL.format(ordinal),)
    span = _RANGE.match(word)
    if span is not None:
        low, high = _number(span.group(1)), _number(span.group(2))
        if low is not None and high is not None and number_figure(word) is None:
            return (low, "to", high)
    glued = _GLUED.match(word)
    if glued is not None and glued.group(2) not in _SCALES:
        figure = glued.group(1).replace(",", "")
        return (figure, UNIT_ABBREVIATIONS.get(glued.group(2), glued.group(2)))
    if unit_of[:1].isdigit() and word in UNIT_ABBREVIATIONS:
        return (UNIT_ABBREVIATIONS[word],)
    return None


def in_house_order(words: Sequence[str]) -> tuple[str, ...]:
    """Folded words with abbreviated unit phrases as one ("mi per hr": "mph") and each
    date as month then day, without "the" and "of" ("the 3th of march", "march 3":
    "march 3")."""
    out = list(words)
    for phrase, short in UNIT_PHRASES.items():
        out = _replaced(out, phrase, short)
    return _dates_month_first(out)


def _replaced(words: list[str], phrase: tuple[str, ...], by: str) -> list[str]:
    """``words`` with each run of ``phrase`` replaced by the one word ``by``."""
    n = len(phrase)
    if phrase[0] not in words:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        if tuple(words[i : i + n]) == phrase:
            out.append(by)
            i += n
        else:
            out.append(words[i])
            i += 1
    return out


def _day(word: str) -> str | None:
    """A day of the month as its number ("3", "3th": "3"), else None."""
    day = _DAY.match(word)
    if day is None or not 1 <= int(day.group(1)) <= 31:
        return None
    return str(int(day.group(1)))


def _dates_month_first(words: list[str]) -> tuple[str, ...]:
    """``words`` with each date read by _date_at written month first."""
    if MONTHS.isdisjoint(words):
        return tuple(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        read = _date_at(words, i)
        if read is None:
            out.append(words[i])
            i += 1
            continue
        month, day, taken = read
        out += (month, day)
        i += taken
    return tuple(out)


def _date_at(words: list[str], i: int) -> tuple[str, str, int] | None:
    """A date starting at ``words[i]``: its month, its day and how many words it takes."""
    if words[i] in MONTHS:  # "march 3", "march the 3th"
        k = i + 1 + (words[i + 1 : i + 2] == ["the"])
        day = _day(words[k]) if k < len(words) else None
        return (words[i], day, k + 1 - i) if day is not None else None
    k = i + (words[i] == "the")  # "3 march", "the 3th of march"
    day = _day(words[k]) if k < len(words) else None
    if day is None:
        return None
    k += 1
    k += words[k : k + 1] == ["of"]
    if k < len(words) and words[k] in MONTHS:
        return words[k], day, k + 1 - i
    return None


# A word of a name written out: capitalised letters ("United", "Kingdom"), not a function
# word that merely opens a sentence ("The").
_NAME_WORD = re.compile(r"^[A-Z][a-z]+$")


def with_initials(claim: str) -> str | None:
    """``claim`` with each run of two or more capitalised words written as its initials
    ("the United States" -> "the US"), for looking up a printing that abbreviates the
    name ("the U.S."); None when it has no such run."""
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        if len(run) >= 2:
            first, last = run[0], run[-1]
            lead = first[: len(first) - len(first.lstrip(_EDGE))]
            trail = last[len(last.rstrip(_EDGE)) :]
            out.append(lead + "".join(w.strip(_EDGE)[0] for w in run) + trail)
        else:
            out.extend(run)
        run.clear()

    for token in claim.split():
        core = token.strip(_EDGE)
        if _NAME_WORD.match(core) and core.casefold() not in FUNCTION_WORDS:
            if run and (run[-1] != run[-1].rstrip(_EDGE) or token != token.lstrip(_EDGE)):
                close()  # punctuation between two names: two runs
            run.append(token)
            continue
        close()
        out.append(token)
    close()
    text = " ".join(out)
    return text if text != " ".join(claim.split()) else None
