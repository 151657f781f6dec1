"""Meaning-level look-up for a claim whose words match no printing closely enough.

Verify tries the lexical signal first (term postings + rapidfuzz). Only when it is not
conclusive (no printing reaches FOUND_THRESHOLD) and the claim has at least
SEMANTIC_MIN_WORDS words is the claim embedded and the wordings nearest its meaning taken
as candidates (semantic/). Cosine alone is not a verdict (two remarks by one speaker on
one topic can be as close as a re-wording), so a candidate must also pass checks that
catch what a paraphrase cannot do:

- ``negation``: a negation on one side only, or a claim that negates what the printing
  asserts ("there is no risk" against "there is a risk"), says the opposite;
- ``numbers``: a number the claim states that the printing does not is another claim;
- ``added_words``: a claim far longer than the printing adds something it never said;
- ``sentiment``: opposite sentiment (VADER) turns the printing around;
- ``cosine``: below MIN_COSINE_ALONE, or below MIN_COSINE, or without lexical support.
- ``antonym``: the claim puts one pole of a common scale where the printing has the other
  ("falling" for "rising", "leave" for "stay"; lexicon.POLAR_SCALES);
- ``comparison``: "as X as" on one side, "more/less X than" on the other;
An antonym outside those scales that keeps the sentiment still passes these checks:
docs/semantic.md gives the measured rate of such misses.

A meaning-level match can be ALTERED (or MISATTRIBUTED / UNATTRIBUTED about the speaker),
never VERIFIED. The thresholds were fitted on the paraphrase set (eval/paraphrases.jsonl)
over the seeds and news-dev; docs/semantic.md gives the measured rates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from quotetrace_server.entities.lexicon import (
    AUXILIARIES,
    FUNCTION_WORDS,
    NEGATIONS,
    POLAR_SCALES,
)
from quotetrace_server.entities.normalize import words
from quotetrace_server.entities.numbers import number_figure
from quotetrace_server.index.model import PrintingFilter, SearchHit
from quotetrace_server.index.similarity import lemma_key

# Claims shorter than this are matched by their words only: a few words carry too little
# meaning to stand for an utterance.
SEMANTIC_MIN_WORDS = 5
# Wordings retrieved from the vector index per claim.
NEAREST = 10
# Accepted with this cosine whatever the words ...
MIN_COSINE_ALONE = 0.80
# ... or with this cosine when the words share enough (lexical score, 0-100).
MIN_COSINE = 0.65
LEXICAL_SUPPORT = 60.0
# A claim with more than this many times the printing's words, plus ADDED_WORDS_SLACK, adds
# something the printing does not say.
ADDED_WORDS_RATIO = 1.6
ADDED_WORDS_SLACK = 3
# Opposite sentiment (VADER compound scores of opposite sign, each at least this strong)
# says the claim turns the printing around ("you will be safe" / "you will be badly hurt").
SENTIMENT_MIN = 0.3

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SCOPE_SKIP = FUNCTION_WORDS | AUXILIARIES | NEGATIONS
WEAK_NEGATIONS = frozenset({"without"})


class MeaningIndex(Protocol):
    """What Verify needs of semantic search (semantic.search.SemanticSearch)."""

    @property
    def model_id(self) -> str: ...

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]: ...

    def ahead(self, text: str) -> AbstractContextManager[Callable[[], None]]:
        """A block within which `text` may be embedded early, for `nearest(text, …)`; the
        callable it gives says the claim's words look like missing (a reason to start)."""
        ...


class WordingSource(Protocol):
    """What Verify needs of the store to turn wording hashes into printings."""

    def wording_hits(
        self, wording_hashes: Sequence[int], printed: PrintingFilter | None = None
    ) -> list[tuple[int, SearchHit]]: ...


@dataclass(frozen=True)
class MeaningMatch:
    """A printed wording found by meaning, with the evidence for it."""

    utterance_id: str
    normalized: str
    cosine: float
    lexical: float  # the lexical score (0-100) of this printing against the claim


def negation_strength(lemmas: Sequence[str]) -> int:
    """2: a negation ("not", "never", "no"); 1: only "without", which negates a phrase
    more than a statement ("without haste" is "calmly"); 0: none."""
    found = {w for i, w in enumerate(lemmas) if w in NEGATIONS and not _is_number_sign(lemmas, i)}
    if found - WEAK_NEGATIONS:
        return 2
    return 1 if found else 0


def negated(lemmas: Sequence[str]) -> bool:
    return negation_strength(lemmas) == 2


def negation_differs(claim: Sequence[str], printed: Sequence[str]) -> bool:
    """A negation on one side and none on the other ("without" matches either)."""
    return {negation_strength(claim), negation_strength(printed)} == {0, 2}


def negated_words(lemmas: Sequence[str]) -> frozenset[str]:
    """The word each negation governs: the first one after it, within four words, that is
    not a function word or auxiliary ("not a trivial risk" -> trivial, "no risk" -> risk)."""
    found: set[str] = set()
    for i, word in enumerate(lemmas):
        if word not in NEGATIONS or _is_number_sign(lemmas, i):
            continue
        following = [w for w in lemmas[i + 1 : i + 5] if w not in _SCOPE_SKIP]
        found.update(following[:1])
    return frozenset(found)


def asserted_words(lemmas: Sequence[str]) -> frozenset[str]:
    """Content words used at least once outside every negation's reach (the four words
    after it): "there is a risk ... not a trivial risk" asserts risk. "not a/an" followed
    by two content words negates only the first (the modifier) and presupposes the second:
    "it is not a trivial risk" says there is a risk."""
    governed: set[int] = set()
    for i, word in enumerate(lemmas):
        if word in NEGATIONS and not _is_number_sign(lemmas, i):
            governed.update(range(i + 1, i + 5))
    presupposed = {i + 3 for i in range(len(lemmas) - 3) if _negated_modifier(lemmas, i)}
    return frozenset(
        w
        for i, w in enumerate(lemmas)
        if w not in _SCOPE_SKIP and (i not in governed or i in presupposed)
    )


def _negated_modifier(lemmas: Sequence[str], i: int) -> bool:
    """ "not a trivial risk" at i: a negated indefinite whose modifier, not its head, is
    what the negation denies."""
    return (
        lemmas[i] == "not"
        and lemmas[i + 1] in ("a", "an")
        and lemmas[i + 2] not in _SCOPE_SKIP
        and lemmas[i + 3] not in _SCOPE_SKIP
    )


def pole_swap(claim: Sequence[str], printed: Sequence[str]) -> str | None:
    """The scale (lexicon.POLAR_SCALES) on which the claim takes one pole where the printing
    takes the other: a word of one pole only the claim has, and a word of the opposite pole
    only the printing has, neither of them negated (a negation is judged on its own)."""
    claim_only = set(claim) - set(printed) - negated_words(claim)
    printed_only = set(printed) - set(claim) - negated_words(printed)
    for scale, (up, down) in POLAR_SCALES.items():
        if (claim_only & up and printed_only & down) or (claim_only & down and printed_only & up):
            return scale
    return None


def _is_number_sign(lemmas: Sequence[str], i: int) -> bool:
    """ "no" as in "No. 1" (normalised to "no 1") is not a negation."""
    return lemmas[i] == "no" and i + 1 < len(lemmas) and lemmas[i + 1][:1].isdigit()


def numbers(tokens: Sequence[str], *, one: bool = False) -> frozenset[str]:
    """The figures a text states, digits and number words alike, as digits; with `one`,
    "one" counts as 1 (it is a pronoun as often as a number: a claim is not held to it,
    but a printing's "one" may be the "1" a claim writes)."""
    found: set[str] = set()
    for token in tokens:
        found.update(m.group().replace(",", "") for m in _DIGITS.finditer(token))
        for part in token.split("-"):
            figure = number_figure(part)
            if figure is not None:
                found.add(figure)
            elif one and part == "one":
                found.add("1")
    return frozenset(found)


def sentiment(text: str) -> float:
    """VADER's compound sentiment of a text, -1 (negative) to 1 (positive)."""
    return float(_vader().polarity_scores(text)["compound"])


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compared_words(words_: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The words a text compares as equal ("as toxic as") and as unequal ("more toxic
    than", "less toxic than")."""
    equal = {words_[i + 1] for i in range(len(words_) - 2) if words_[i] == words_[i + 2] == "as"}
    unequal = {
        words_[i + 1]
        for i in range(len(words_) - 2)
        if words_[i] in ("more", "less") and words_[i + 2] == "than"
    }
    return frozenset(equal), frozenset(unequal)


def comparison_shift(claim: Sequence[str], printed: Sequence[str]) -> bool:
    """One side says two things are alike in a quality ("as toxic as") and the other that
    one has more or less of it ("less toxic than"): another claim."""
    claim_equal, claim_unequal = compared_words(claim)
    printed_equal, printed_unequal = compared_words(printed)
    return bool(claim_equal & printed_unequal or claim_unequal & printed_equal)


def opposite_sentiment(claim: str, printed: str) -> bool:
    a, b = sentiment(claim), sentiment(printed)
    return a * b < 0 and min(abs(a), abs(b)) >= SENTIMENT_MIN


def negation_conflict(claim: Sequence[str], printed: Sequence[str]) -> bool:
    """One side is negated and the other not at all, or the claim negates a word the
    printing asserts and nowhere negates ("there is no risk" against "there is a risk")."""
    if negation_differs(claim, printed):
        return True
    return bool((negated_words(claim) - negated_words(printed)) & asserted_words(printed))


def word_turn(claim_words: Sequence[str], printed_words: Sequence[str]) -> str | None:
    """ "antonym" or "comparison" when a word the claim puts in the printing's place says
    the opposite; shared by `contradiction` and `turns_around`, which order it the same."""
    if pole_swap(claim_words, printed_words) is not None:
        return "antonym"
    if comparison_shift(claim_words, printed_words):
        return "comparison"
    return None


def contradiction(claim_words: Sequence[str], printed_words: Sequence[str]) -> str | None:
    """Why a claim found by meaning cannot be a re-wording of the printing, or None."""
    claim, printed = lemma_key(claim_words), lemma_key(printed_words)
    if negation_conflict(claim, printed):
        return "negation"
    if (turned := word_turn(claim_words, printed_words)) is not None:
        return turned
    if not numbers(claim_words) <= numbers(printed_words, one=True):
        return "numbers"
    if len(claim_words) > ADDED_WORDS_RATIO * len(printed_words) + ADDED_WORDS_SLACK:
        return "added_words"
    if opposite_sentiment(" ".join(claim_words), " ".join(printed_words)):
        return "sentiment"
    return None


def turns_around(claim_words: Sequence[str], printed_words: Sequence[str]) -> str | None:
    """Why a claim found by its words says the opposite of the printing, or None.

    Looser than `contradiction`: a lexical match may be a claim cut from a longer printing,
    so only what the claim itself says counts: a negation of something the printing
    asserts (or a negation where the printing has none), or the opposite sentiment."""
    claim, printed = lemma_key(claim_words), lemma_key(printed_words)
    if (negated(claim) and negation_strength(printed) == 0) or negated_words(
        claim
    ) & asserted_words(printed):
        return "negation"
    if (turned := word_turn(claim_words, printed_words)) is not None:
        return turned
    if len(printed_words) <= 2 * len(claim_words) and opposite_sentiment(
        " ".join(claim_words), " ".join(printed_words)
    ):
        return "sentiment"
    return None


def strong_enough(cosine: float, lexical: float) -> bool:
    return cosine >= MIN_COSINE_ALONE or (cosine >= MIN_COSINE and lexical >= LEXICAL_SUPPORT)


def best_meaning_match(
    index: MeaningIndex,
    store: WordingSource,
    claim: str,
    printed: PrintingFilter | None,
    lexical_score: LexicalScore,
) -> MeaningMatch | None:
    """The printing nearest the claim's meaning that passes every check, or None."""
    claim_words = words(claim)
    if len(claim_words) < SEMANTIC_MIN_WORDS:
        return None
    # No wording under MIN_COSINE can be strong enough, whatever its words: those are not
    # read from the store nor scored (most claims no printing matches have none above).
    nearest = [(h, c) for h, c in index.nearest(claim, NEAREST) if c >= MIN_COSINE]
    if not nearest:
        return None
    cosines = dict(nearest)
    best: MeaningMatch | None = None
    for wording, hit in store.wording_hits([h for h, _ in nearest], printed):
        cosine = cosines[wording]
        if best is not None and cosine <= best.cosine:
            continue
        lexical = lexical_score(claim, hit.normalized)
        if not strong_enough(cosine, lexical):
            continue
        if contradiction(claim_words, words(hit.normalized)) is not None:
            continue
        best = MeaningMatch(hit.utterance_id, hit.normalized, cosine, lexical)
    return best


class LexicalScore(Protocol):
    def __call__(self, query: str, candidate: str) -> float: ...
