"""Word-level comparisons that decide whether two printed quotations are one utterance.

Wire copy is re-edited as it is reprinted: words are inserted ("exactly"), contractions
are spelled out, a translation swaps "this" for "that" or "came" for "come", a house style
writes "12" for "twelve", "five per cent" for "5%" and "organise" for "organize".
Comparing *lemma keys* (contractions expanded, common irregular verbs reduced to their
base form, demonstratives folded, number words as figures, UK spellings as US ones) lets
those edits count as small changes, while the surface words still decide exactness for
verification.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import Indel, LCSseq

from quotetrace_server.entities.lexicon import (
    CONTRACTION_SUFFIXES,
    DEMONSTRATIVE_FOLDS,
    IRREGULAR_CONTRACTIONS,
    IRREGULAR_VERB_BASES,
    KEY_S_CONTRACTION_HOSTS,
    KEY_UNEXPANDED_CONTRACTIONS,
    LEMMA_FUNCTION_WORDS,
    NUMBER_MULTIPLIERS,
    UK_DOUBLED_L_STEMS,
    UK_OUR_STEMS,
    UK_WORDS,
)
from quotetrace_server.entities.numbers import (
    multiplied_figures,
    number_figure,
    without_percent_words,
)


def has_content_word(lemmas: Sequence[str]) -> bool:
    """At least one word that is not a function word."""
    return any(w not in LEMMA_FUNCTION_WORDS for w in lemmas)


def _expand(word: str) -> tuple[str, ...]:
    """The words a contraction stands for, each in its first reading ("we'd" -> "we",
    "would"); the word itself when it is none."""
    word = word.replace("’", "'")
    if word in IRREGULAR_CONTRACTIONS and word not in KEY_UNEXPANDED_CONTRACTIONS:
        return IRREGULAR_CONTRACTIONS[word]
    for suffix, readings in CONTRACTION_SUFFIXES:
        if not word.endswith(suffix) or len(word) <= len(suffix):
            continue
        stem = word[: -len(suffix)]
        if suffix == "'s" and stem not in KEY_S_CONTRACTION_HOSTS:
            return (word,)  # a possessive ("Novak's")
        return (stem, readings[0])
    return (word,)


# Endings spelled -ise/-yse in the UK and -ize/-yze in the US ("organised", "analysing").
# Words of other senses with these endings ("promise", "otherwise") fold the same way on
# both sides of a comparison, so folding them changes nothing; short ones ("rise") stay.
_ISE_ENDINGS = ("ise", "ised", "ises", "ising", "isation", "isations", "iser", "isers")
_ISE_MIN_LETTERS = 7
_DOUBLED_L_ENDINGS = ("led", "ling", "ler", "lers", "lor", "lors", "lous")


@lru_cache(maxsize=1 << 16)  # every surface word of every quotation indexed asks
def us_spelling(word: str) -> str:
    """The US spelling of a UK-spelled word ("organised" -> "organized"), else the word."""
    if word in UK_WORDS:
        return UK_WORDS[word]
    if word.endswith("s") and word[:-1] in UK_WORDS:
        return UK_WORDS[word[:-1]] + "s"
    if len(word) >= _ISE_MIN_LETTERS:
        for ending in _ISE_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)] + "iz" + ending[2:]
        for ending in ("yse", "ysed", "yses", "ysing"):
            if word.endswith(ending):
                return word[: -len(ending)] + "yz" + ending[2:]
    at = word.find("our")  # "colour": the stem "colo" then "ur"
    if at > 0 and word[: at + 1] in UK_OUR_STEMS:
        return word[:at] + "or" + word[at + 3 :]
    at = word.find("ll")  # "travelled": the stem "travel" then "led"
    if at > 0 and word[: at + 1] in UK_DOUBLED_L_STEMS and word[at + 1 :] in _DOUBLED_L_ENDINGS:
        return word[: at + 1] + word[at + 2 :]
    return word


# A figure with thousands separators ("1,500,000", "3,500.75"): the same figure as
# "1500000", which another house style prints, and as "1.5 million" (multiplied_figures).
_GROUPED_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _lemma(word: str) -> str:
    word = DEMONSTRATIVE_FOLDS.get(word, word)
    base = IRREGULAR_VERB_BASES.get(word)
    if base is not None:
        return base
    if "," in word and _GROUPED_FIGURE.fullmatch(word):
        return word.replace(",", "")
    figure = number_figure(word)
    if figure is not None:
        return figure
    word = us_spelling(word)
    # A plain plural: strip one trailing "s" from longer words that do not end in "ss".
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def lemma_key(words: Sequence[str]) -> tuple[str, ...]:
    """Normalised words → contraction-expanded, lemmatised words for fuzzy comparison."""
    out: list[str] = []
    for word in words:
        out.extend(_word_lemmas(word))
    if "cent" in out or "percent" in out or "pct" in out:
        out = without_percent_words(out)
    if not NUMBER_MULTIPLIERS.keys().isdisjoint(out):
        out = multiplied_figures(out)
    return tuple(out)


@lru_cache(maxsize=1 << 16)  # news vocabulary is Zipfian: most words recur constantly
def _word_lemmas(word: str) -> tuple[str, ...]:
    """The non-empty lemmas of one word (a contraction gives several)."""
    return tuple(w for w in (_lemma(part.strip("'")) for part in _expand(word)) if w)


def sequence_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Indel similarity of two word sequences in [0, 1] (2·LCS / (len a + len b))."""
    if not a and not b:
        return 1.0
    return float(Indel.normalized_similarity(list(a), list(b)))


def is_contiguous_run(short: Sequence[str], long: Sequence[str]) -> bool:
    """``short`` occurs in ``long`` as consecutive whole words."""
    n = len(short)
    if n == 0 or n > len(long):
        return False
    first = short[0]
    return any(
        long[i] == first and tuple(long[i : i + n]) == tuple(short)
        for i in range(len(long) - n + 1)
    )


def best_window_similarity(short: Sequence[str], long: Sequence[str], slack: int = 1) -> float:
    """How well ``short`` aligns with some window of ``long`` (sizes len±slack words)."""
    if not short or not long:
        return 0.0
    if len(short) >= len(long):
        return sequence_similarity(short, long)
    best = 0.0
    short_list = list(short)
    for size in range(max(1, len(short) - slack), min(len(long), len(short) + slack) + 1):
        for start in range(len(long) - size + 1):
            window = long[start : start + size]
            if short_list[0] not in window and short_list[-1] not in window:
                continue
            score = float(Indel.normalized_similarity(short_list, list(window)))
            best = max(best, score)
    return best


def diverging_ends(short: Sequence[str], long: Sequence[str]) -> bool:
    """Past the words they share in order, both texts end (or, before them, open) with
    words of their own: "… on the old gasworks site by 2031" / "… on the old gasworks
    site if the government pays for it". A shared phrase in two remarks, not a remark
    printed with words dropped, which leaves the shorter nothing of its own at its ends.
    The shorter's own end is two words or more ("by 2031"), one a content word, and the
    longer's holds a content word; one extra word ("Frankly, …") is an edit."""
    equal = [op for op in Indel.opcodes(list(short), list(long)) if op.tag == "equal"]
    if not equal:
        return False
    first, last = equal[0], equal[-1]
    ends = (
        (short[last.src_end :], long[last.dest_end :]),
        (short[: first.src_start], long[: first.dest_start]),
    )
    return any(
        len(own) >= 2 and has_content_word(own) and has_content_word(other) for own, other in ends
    )


def common_words(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two word sequences."""
    return int(LCSseq.similarity(list(a), list(b)))


def condensed_coverage(
    short: Sequence[str], long: Sequence[str], spread: float, at_least: float = 0.0
) -> float:
    """Share of ``short``'s words found in order within some stretch of ``long`` at most
    ``spread`` times as long as ``short`` (words or whole sentences dropped between).

    Below ``at_least`` the answer is only an upper bound (the share in all of ``long``):
    the stretches are then not searched.
    """
    if not short or not long:
        return 0.0
    width = math.ceil(spread * len(short))
    # The whole of ``long`` bounds every stretch of it: most pairs stop here.
    best = common_words(short, long)
    if len(long) > width and best >= at_least * len(short):
        step = max(1, len(short) // 4)
        starts = [*range(0, len(long) - width + 1, step), len(long) - width]
        best = max(common_words(short, long[s : s + width]) for s in starts)
    return best / len(short)
