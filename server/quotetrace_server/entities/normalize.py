"""The one text normalisation both sides of every comparison go through (see the brief)."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

# NFKC leaves typographic quotes alone; the brief folds them to their ASCII forms.
_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")
_WORD_CHARS = re.compile(r"\w+")


def _edge_characters() -> str:
    # Every Unicode punctuation character (P*), the quote-like symbols some wires use, and
    # whitespace: str.strip() with this set is the C-speed equivalent of a per-char loop.
    punctuation = (
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if c.isspace() or (unicodedata.category(c).startswith("P"))
    )
    return "".join(punctuation) + "'\"`´"


_EDGE = _edge_characters()
# What normalize() strips from a text's ends (the index derives normalised texts in SQL).
EDGE_CHARACTERS = _EDGE


def strip_punctuation(text: str) -> str:
    """``text`` without leading or trailing punctuation or whitespace."""
    return text.strip(_EDGE)


def fold_typography(text: str) -> str:
    """NFKC, straight quotes, "..." for "…": typographic forms that are never a difference."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD)


def normalize(text: str) -> str:
    """NFKC, straight quotes, "..." for "…", collapsed whitespace, casefolded, edges trimmed."""
    collapsed = _SPACE.sub(" ", fold_typography(text)).casefold()
    return strip_punctuation(collapsed)


@lru_cache(maxsize=1 << 16)  # the same candidates are scored for query after query
def words(normalized: str) -> tuple[str, ...]:
    """The whole words of a normalised text: whitespace tokens with edge punctuation removed.

    Comparisons "of whole words" use these, so a comma or a bracket the query leaves out
    is not counted as a changed word.
    """
    out: list[str] = []
    for token in normalized.split(" "):
        # Most tokens start and end with a letter or digit: skip the strip for them.
        word = token if token[:1].isalnum() and token[-1:].isalnum() else token.strip(_EDGE)
        if word:
            out.append(word)
    return tuple(out)


def index_terms(normalized: str) -> tuple[str, ...]:
    """Alphanumeric runs, the unit of the full-text postings (apostrophes split words)."""
    return tuple(_WORD_CHARS.findall(normalized))
