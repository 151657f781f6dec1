"""One amount written two ways: "5,000" / "five thousand", "200" / "two hundred",
"$2bn" / "$2 billion" / "2 billion dollars", "£3m" / "3 million pounds".

A house style writes a number as a figure or in words, with a scale suffix or the scale
spelt out, a currency sign or the currency named: the same amount, not a changed word
(verify.wording counts the difference as SPELLING, like "5%" / "five per cent"). The
words on each side are read as one amount, or not at all: "5,000 homes" is not "five
thousand homes" plus a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

from quotetrace_server.entities.lexicon import NUMBER_WORDS
from quotetrace_server.index.similarity import number_figure

# The most words one amount is written in ("two hundred thousand dollars").
MAX_AMOUNT_WORDS = 4

_SIGNS = {"$": "dollar", "£": "pound", "€": "euro"}
_CURRENCY_WORDS = {
    "dollar": "dollar",
    "dollars": "dollar",
    "pound": "pound",
    "pounds": "pound",
    "euro": "euro",
    "euros": "euro",
}
_SCALE_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9, "tn": 10**12}
_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_FIGURE = re.compile(
    r"^(?P<sign>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<scale>bn|mn|m|k|tn)?$"
)

Amount = tuple[str | None, Fraction]


def may_start_amount(shown: str) -> bool:
    """Cheap test that a word can open an amount (a figure, a sign, a number word)."""
    head = shown[:1]
    return (
        head.isdigit()
        or head in _SIGNS
        or shown.casefold() in NUMBER_WORDS
        or ("-" in shown and number_figure(shown.casefold()) is not None)
    )


class _Reading:
    """An amount read word by word: what is summed so far, the open group, the currency."""

    def __init__(self) -> None:
        self.total = Fraction(0)
        self.group: Fraction | None = None
        self.currency: str | None = None
        self.numbers = 0

    def figure(self, word: str) -> bool:
        match = _FIGURE.match(word)
        if match is None or self.group is not None:
            return False
        self.currency = _SIGNS.get(match.group("sign") or "")
        self.group = Fraction(match.group("num").replace(",", ""))
        self.group *= _SCALE_SUFFIXES.get(match.group("scale") or "", 1)
        self.numbers += 1
        return True

    def word(self, word: str) -> bool:
        small = number_figure(word)
        if small is not None and int(small) < 100:
            self.group = (self.group or Fraction(0)) + int(small)
            self.numbers += 1
            return True
        if self.group is None:
            return False
        if word == "hundred":
            self.group *= 100
        elif word in _SCALE_WORDS or word in _SCALE_SUFFIXES:
            scale = _SCALE_WORDS.get(word) or _SCALE_SUFFIXES[word]
            self.total += self.group * scale
            self.group = None
        else:
            return False
        return True


@lru_cache(maxsize=4096)
def amount(words: tuple[str, ...]) -> Amount | None:
    """The currency (or None) and value the words write, if they are one amount."""
    reading = _Reading()
    for i, raw in enumerate(words):
        word = raw.casefold()
        if reading.figure(word) or reading.word(word):
            continue
        named = _CURRENCY_WORDS.get(word)
        last = i == len(words) - 1
        if named is None or not last or reading.numbers == 0:
            return None
        if reading.currency not in (None, named):
            return None
        reading.currency = named
    if reading.numbers == 0:
        return None
    return reading.currency, reading.total + (reading.group or 0)


def same_amount_runs(query: Sequence[str], printed: Sequence[str]) -> list[tuple[int, int]]:
    """Lengths (query words, printed words) of the runs from the start of each that write
    one amount, other than one word against one equal word."""
    found: list[tuple[int, int]] = []
    for n in range(1, min(MAX_AMOUNT_WORDS, len(query)) + 1):
        said = amount(tuple(query[:n]))
        if said is None:
            continue
        for m in range(1, min(MAX_AMOUNT_WORDS, len(printed)) + 1):
            if (n, m) == (1, 1) and query[0].casefold() == printed[0].casefold():
                continue
            if amount(tuple(printed[:m])) == said:
                found.append((n, m))
    return found


_WORDS_OF = {int(figure): word for word, figure in NUMBER_WORDS.items() if int(figure) < 100}
_POWERS = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"), (100, "hundred"))
_PLAIN_FIGURE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$")
_EDGE = "\"'“”‘’()[],.;:!?"


def _below_hundred(value: int) -> str | None:
    if value in _WORDS_OF:
        return _WORDS_OF[value]
    tens, unit = divmod(value, 10)
    if 2 <= tens <= 9 and unit in _WORDS_OF:
        return f"{_WORDS_OF[tens * 10]}-{_WORDS_OF[unit]}"
    return None


def in_words(value: int) -> str | None:
    """A whole number as a house style writes it in words ("five thousand", "twelve"),
    when it is under a hundred or a number under a hundred of hundreds, thousands,
    millions or billions; else None."""
    if value < 100:
        return _below_hundred(value)
    for power, name in _POWERS:
        count, rest = divmod(value, power)
        if rest == 0 and 1 <= count < 100:
            said = "a" if count == 1 else _below_hundred(count)
            return f"{said} {name}" if said else None
    return None


def respelt(claim: str) -> str | None:
    """``claim`` with each plain figure written in words ("5,000" -> "five thousand"), for
    looking up a printing that writes its amounts so; None when it has none to respell."""
    out: list[str] = []
    for token in claim.split():
        core = token.strip(_EDGE)
        at = token.find(core) if core else 0
        spelt = in_words(int(core.replace(",", ""))) if core and _PLAIN_FIGURE.match(core) else None
        out.append(token[:at] + spelt + token[at + len(core) :] if spelt else token)
    text = " ".join(out)
    return text if text != " ".join(claim.split()) else None
