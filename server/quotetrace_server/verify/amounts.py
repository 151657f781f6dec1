"""One amount written two ways: "5,000" / "five thousand", "200" / "two hundred",
"$2bn" / "$2 billion" / "2 billion dollars", "£3m" / "3 million pounds".

A house style writes a number as a figure or in words, with a scale suffix or the scale
spelt out, a currency sign or the currency named: the same amount, not a changed word
(verify.wording counts the difference as SPELLING, like "5%" / "five per cent"). The
words on each side are read as one amount, or not at all: "5,000 homes" is not "five
thousand homes" plus a word. The amounts are read by entities.numbers, the one reader of
numbers for every stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from quotetrace_server.entities.lexicon import PER_CENT, PERCENT_WORDS
from quotetrace_server.entities.numbers import amount, in_words, number_figure

# The most words one amount is written in ("two hundred thousand dollars").
MAX_AMOUNT_WORDS = 4


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


_PLAIN_FIGURE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$")
_EDGE = "\"'“”‘’()[],.;:!?"


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


def in_figures(claim: str) -> str | None:
    """``claim`` with each number word under a hundred as a figure ("ten" -> "10") and a
    "per cent" or "percent" after a figure as "%", for looking up a printing that writes
    its amounts so ("5-10%"); None when it has none to rewrite."""
    tokens = claim.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        core = tokens[i].strip(_EDGE)
        folded = core.casefold()
        ahead = tokens[i + 1].strip(_EDGE).casefold() if i + 1 < len(tokens) else ""
        sign = 1 if folded in PERCENT_WORDS else 2 if (folded, ahead) == PER_CENT else 0
        if sign and out and out[-1][-1:].isdigit():
            last = tokens[i + sign - 1]
            out[-1] += "%" + last[len(last.rstrip(_EDGE)) :]
            i += sign
            continue
        figure = number_figure(folded) if core else None
        if figure is not None and int(figure) < 100:
            at = tokens[i].find(core)
            out.append(tokens[i][:at] + figure + tokens[i][at + len(core) :])
        else:
            out.append(tokens[i])
        i += 1
    text = " ".join(out)
    return text if text != " ".join(tokens) else None
