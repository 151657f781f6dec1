"""Numbers and amounts, read once for every stage, over entities.lexicon's words.

A number is printed as a figure ("200", "5,000", "1.5"), a number word ("twelve",
"twenty-five", "dozen"), either with a scale ("two hundred", "3 million", "$2bn"), and an
amount of money with a currency sign or the currency named ("£3m", "3 million pounds").
The readers here serve every stage that compares numbers:

- ``number_figure``: one word as its figure; the word keys fold number words with it
  (index.similarity's lemma key, verify.wording's house-style spellings, the figures
  verify.semantic finds a text stating);
- ``multiplied_figures`` and ``without_percent_words``: a word key's figures with their
  scale words multiplied in ("2", "100" -> "200") and the percent words after them
  dropped, for index.similarity's lemma key (clustering, search terms);
- ``amount``: a run of words read as one amount, or not at all, for verify.amounts;
- ``in_words``: a whole number as a house style writes it in words (verify.amounts).

Where a key and an amount have always read a phrase differently, the difference stays
(verdicts are pinned, and a lemma key is stored with every indexed quotation as its
search terms, so a change to it re-keys stored indexes):

- a key multiplies the last figure by each scale word and adds a smaller multiplied
  figure to a rounder, larger one before it ("two thousand five hundred" is "2500", as
  the amount 2,500 is; clustering probe round 7); an amount sums groups;
- a key joins a whole hundred and a number under 100 with "and" ("two hundred and five"
  is "205"); an amount has no "and" (its words are one amount, or it is none);
- an amount adds number words in a row ("twenty five" is 25), a key keeps them apart;
- only an amount reads scale suffixes ("2bn"), currency signs and words, and the scales
  of lexicon.AMOUNT_ONLY_SCALES ("trillion");
- verify.semantic reads a compound number word part by part ("twenty-five" states 20
  and 5), where a key reads it whole (25).
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from quotetrace_server.entities.lexicon import (
    AMOUNT_ONLY_SCALES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    NUMBER_MULTIPLIERS,
    NUMBER_WORDS,
    PER_CENT,
    PERCENT_WORDS,
    SCALE_SUFFIXES,
    SCALE_WORDS,
)


def number_figure(word: str) -> str | None:
    """A number word as its figure ("twelve" -> "12", "twenty-five" -> "25"), else None."""
    figure = NUMBER_WORDS.get(word)
    if figure is not None or "-" not in word:
        return figure
    tens, _, unit = word.partition("-")
    if tens in NUMBER_WORDS and unit in NUMBER_WORDS and len(NUMBER_WORDS[unit]) == 1:
        return str(int(NUMBER_WORDS[tens]) + int(NUMBER_WORDS[unit]))
    return None


def is_figure(word: str) -> bool:
    """The word is written in digits ("5", "200", "1.5")."""
    return word[:1].isdigit()


# --- word keys ------------------------------------------------------------------------------


def multiplied_figures(lemmas: list[str]) -> list[str]:
    """One figure for a number written with a multiplier: "two hundred" (lemmas "2",
    "100") reads "200" as the digits do, "3 million" reads "3000000", "one thousand"
    reads "1000", "two hundred and five" reads "205", and "three thousand five hundred"
    reads "3500" (a multiplied figure after a rounder, larger one is added to it, once
    no larger multiplier follows: "two million three hundred thousand" is "2300000")."""
    out: list[str] = []
    made: set[int] = set()  # where figures made by a multiplier stand in ``out``
    for i, lemma in enumerate(lemmas):
        factor = NUMBER_MULTIPLIERS.get(lemma)
        if factor is not None and out and (is_figure(out[-1]) or out[-1] == "one"):
            product = (1.0 if out[-1] == "one" else _figure_value(out[-1])) * factor
            if product == int(product):
                out[-1] = str(int(product))
                made.add(len(out) - 1)
                if len(out) - 2 in made and _adds_to(out[-2], out[-1], lemmas[i + 1 :]):
                    made.discard(len(out) - 1)
                    out[-2:] = [str(int(out[-2]) + int(out[-1]))]
                continue
        if len(out) - 2 in made and out[-1] == "and" and _hundreds_then_less(out[-2], lemma):
            out[-2:] = [str(int(out[-2]) + int(lemma))]
            continue
        out.append(lemma)
    return out


def _adds_to(big: str, small: str, rest: list[str]) -> bool:
    # "three thousand" then "five hundred": 3000 is a round number of a larger order than
    # 500, and no larger multiplier follows ("two million three hundred" + "thousand").
    if rest and rest[0] in NUMBER_MULTIPLIERS:
        return False
    return (
        big.isdigit()
        and small.isdigit()
        and int(big) > int(small)
        and int(big) % 10 ** len(small) == 0
    )


def without_percent_words(lemmas: list[str]) -> list[str]:
    """Drop "percent" / "per cent" after a figure: "5%" loses its sign with the
    punctuation, so "five per cent", "5 percent" and "5%" all read "5"."""
    out: list[str] = []
    i = 0
    while i < len(lemmas):
        if out and is_figure(out[-1]):
            if lemmas[i] in PERCENT_WORDS:
                i += 1
                continue
            if tuple(lemmas[i : i + 2]) == PER_CENT:
                i += 2
                continue
        out.append(lemmas[i])
        i += 1
    return out


def _figure_value(figure: str) -> float:
    try:
        return float(figure.replace(",", ""))
    except ValueError:
        return 0.0


def _hundreds_then_less(big: str, small: str) -> bool:
    # "two hundred and five" is 205, "two thousand and five" 2005: a whole hundred under
    # a million, then a number under 100 ("3 million and 5 more" stays two numbers).
    return (
        big.isdigit()
        and small.isdigit()
        and int(big) % 100 == 0
        and int(big) < 1_000_000
        and int(small) < 100
    )


# --- amounts --------------------------------------------------------------------------------

Amount = tuple[str | None, Fraction]

# "hundred" multiplies the group it ends ("two hundred thousand" is (2 x 100) x 1000); a
# larger scale closes the group into the total ("two thousand five" is 2000 + 5).
_HUNDRED = SCALE_WORDS["hundred"]
_SIGN_CLASS = "".join(re.escape(sign) for sign in CURRENCY_SIGNS)
_SUFFIXES = "|".join(sorted(SCALE_SUFFIXES, key=len, reverse=True))
_FIGURE = re.compile(
    rf"^(?P<sign>[{_SIGN_CLASS}])?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    rf"(?P<scale>{_SUFFIXES})?$"
)


def may_start_amount(shown: str) -> bool:
    """Cheap test that a word can open an amount (a figure, a sign, a number word)."""
    head = shown[:1]
    return (
        head.isdigit()
        or head in CURRENCY_SIGNS
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
        self.currency = CURRENCY_SIGNS.get(match.group("sign") or "")
        self.group = Fraction(match.group("num").replace(",", ""))
        self.group *= SCALE_SUFFIXES.get(match.group("scale") or "", 1)
        self.numbers += 1
        return True

    def word(self, word: str) -> bool:
        small = number_figure(word)
        if small is not None and int(small) < _HUNDRED:
            self.group = (self.group or Fraction(0)) + int(small)
            self.numbers += 1
            return True
        if self.group is None:
            return False
        scale = SCALE_WORDS.get(word) or SCALE_SUFFIXES.get(word)
        if scale is None:
            return False
        if scale == _HUNDRED:
            self.group *= scale
        else:
            self.total += self.group * scale
            self.group = None
        return True


@lru_cache(maxsize=4096)
def amount(words: tuple[str, ...]) -> Amount | None:
    """The currency (or None) and value the words write, if they are one amount."""
    reading = _Reading()
    for i, raw in enumerate(words):
        word = raw.casefold()
        if reading.figure(word) or reading.word(word):
            continue
        named = CURRENCY_WORDS.get(word)
        last = i == len(words) - 1
        if named is None or not last or reading.numbers == 0:
            return None
        if reading.currency not in (None, named):
            return None
        reading.currency = named
    if reading.numbers == 0:
        return None
    return reading.currency, reading.total + (reading.group or 0)


# --- writing a number in words --------------------------------------------------------------

# Number words by value; of two words for one value the later in NUMBER_WORDS stands, as
# it always has (12 is written "dozen", not "twelve").
_WORDS_OF = {int(figure): word for word, figure in NUMBER_WORDS.items() if int(figure) < _HUNDRED}
_POWERS = tuple(
    sorted(
        ((value, word) for word, value in SCALE_WORDS.items() if word not in AMOUNT_ONLY_SCALES),
        reverse=True,
    )
)


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
    if value < _HUNDRED:
        return _below_hundred(value)
    for power, name in _POWERS:
        count, rest = divmod(value, power)
        if rest == 0 and 1 <= count < _HUNDRED:
            said = "a" if count == 1 else _below_hundred(count)
            return f"{said} {name}" if said else None
    return None
