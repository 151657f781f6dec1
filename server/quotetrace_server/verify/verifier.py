"""Verify a quotation against the index: who said it, where, in which words, and a verdict.

Steps: normalise the query → retrieve candidate quotations from the store's term postings
(never a scan) → score each with rapidfuzz → take the best utterance above the found
threshold → compare the query with each printed wording of that utterance (exactness,
word diff) and with its speakers (claimed speaker, alias-aware) → verdict + confidence.
Confidence is defined in docs/confidence.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from quotetrace_server.entities.lexicon import MENTION_PRONOUNS
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index import identity
from quotetrace_server.index.model import PrintingFilter, QuoteDetail, outlet_label
from quotetrace_server.index.similarity import has_content_word, is_contiguous_run, lemma_key
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.verify.amounts import in_figures, respelt
from quotetrace_server.verify.claimed_name import given_name_form
from quotetrace_server.verify.debris import without_debris
from quotetrace_server.verify.diff import OMITTED, word_diff
from quotetrace_server.verify.joined import (
    claimants_words_removed,
    compare_printed,
    joined_printings,
)
from quotetrace_server.verify.model import (
    Difference,
    DiffOp,
    MatchSignal,
    Occurrence,
    Printing,
    SemanticState,
    SpeakerScore,
    Variant,
    Verdict,
    VerifyQuery,
    VerifyResult,
)
from quotetrace_server.verify.provenance import chronological, first_dated, printing
from quotetrace_server.verify.relayed import credited_inside, named_in, spoken_for
from quotetrace_server.verify.scope import dropped_limit
from quotetrace_server.verify.semantic import (
    MIN_COSINE,
    SEMANTIC_MIN_WORDS,
    MeaningIndex,
    MeaningMatch,
    best_meaning_match,
    turns_around,
)
from quotetrace_server.verify.spanning import spans_printings
from quotetrace_server.verify.wording import diff_differences, is_slip
from quotetrace_server.verify.written_forms import with_initials

# An answer's size is bounded whatever the corpus holds (issue 15, B8): printings listed
# per variant and in all (the counts say how many there are), characters of a printed
# text (head and tail kept), speakers, their aliases, and outlets listed.
MAX_OCCURRENCES_PER_VARIANT = 20
MAX_OCCURRENCES = 100
MAX_TEXT_CHARS = 2_000
MAX_SPEAKERS = 20
MAX_ALIASES = 50
MAX_OUTLETS = 100
MAX_TIMELINE = 100
# Below this score (0-100) nothing in the corpus is "close enough": NOT_FOUND.
FOUND_THRESHOLD = 80.0
# Gapped coverage (words dropped from the middle) is only tried for near misses, and
# for queries long enough that in-order common words are not chance.
GAPPED_MIN_SCORE = 60.0
GAPPED_MIN_WORDS = 5
GAPPED_MAX_SCORE = 90.0
# Queries of at most this many words are aligned word by word; each word must be at
# least this similar (Indel ratio) to its printed counterpart.
SHORT_QUERY_WORDS = 4
SHORT_WORD_MIN = 70.0
# A verdict found by meaning only is this much less certain than the same found by words.
SEMANTIC_CONFIDENCE = 0.85
# MISATTRIBUTED on a match by meaning needs the meaning this close (cosine).
MIN_COSINE_MISATTRIBUTED = 0.85
# A claim scoring at least this against its closest utterance is looked for across
# quotations split by their attribution (verify.joined).
JOIN_MIN_SCORE = 50.0
# A claim whose words that its closest printing lacks are at least this many is checked
# for running two remarks together before it is called misattributed.
MIXED_MIN_WORDS = 4
# How many retrieved quotations are scored per query.
CANDIDATES = 100
# When this many leave the query below FOUND_THRESHOLD, its words look like missing.
PROBE_CANDIDATES = 20
# ... and before any is read, when the store's term counts show that no quotation holds
# most of the query's adjacent-word pairs (index.sql.search.pairs_mostly_unheld).
AHEAD_ON_COUNTS = True
# Attributions with no stated confidence still count a little when weighting speakers.
MIN_ATTRIBUTION_WEIGHT = 0.05
# A query of function words only ("the", "is", "we will") shorter than this identifies no
# utterance: it fits inside almost any printing.
FUNCTION_WORDS_MIN_QUERY = 4
# MISATTRIBUTED needs the printings to agree on another speaker (this share of the
# attribution weight at least) ...
AGREEMENT_MIN_SHARE = 0.75
# ... and at least one printing naming that speaker with this attribution confidence
# (a cue or a pronoun in the same sentence, not a guess from the paragraph before).
CONFIDENT_ATTRIBUTION = 0.75
# An attribution inferred from a pronoun or an earlier paragraph is doubted when the
# claimed speaker is named this close before the quotation (the pronoun may be theirs).
TEXT_BEFORE_CHARS = 500
# ... and the text this close around a printing is where its attribution may call its
# speaker a spokesperson for the claimed name (verify.relayed).
ATTRIBUTION_CHARS = 200
# Every verdict is given as at least as likely as not (docs/confidence.md) ...
CONFIDENCE_FLOOR = 0.5
# ... a VERIFIED that rests on a spelling slip is at most this sure (one letter may still
# be another word the dictionary lacks), and scaled by it ...
SLIP_CERTAINTY = 0.9
# ... and a NOT_FOUND inside a filter that hides matching printings is not confident.
HIDDEN_NOT_FOUND_CONFIDENCE = 0.5
# Before calling a quotation misattributed, utterances matching the query within this
# many points of the chosen one are checked for a printing by the claimed speaker.
ALTERNATIVE_MARGIN = 10.0


def match_score(query: str, candidate: str, at_least: float = 0.0) -> float:
    """How well a normalised query matches a normalised printed quotation, 0-100.

    A query no longer than the quotation is scored by its best alignment inside it
    (truncated quotes score high); a longer one by plain similarity (added words cost).
    Token-sort similarity covers re-ordered words; gapped coverage covers a quotation
    shortened by dropping words from its middle. Short queries are aligned word by word:
    a character alignment of a few words inside a long text is too easily found by chance.

    A candidate that cannot reach ``at_least`` may be scored as anything below it:
    rapidfuzz gives up early on such pairs, which is most of them once a good match is in.
    """
    if not query or not candidate:
        return 0.0
    query_words = words(query)
    cutoff = _alignment_cutoff(at_least, short=len(query_words) <= SHORT_QUERY_WORDS)
    if len(query) <= len(candidate):
        aligned = fuzz.partial_ratio(query, candidate, score_cutoff=cutoff)
        if len(query_words) <= SHORT_QUERY_WORDS:
            # The character alignment bounds the word alignment: skip hopeless candidates.
            if aligned < SHORT_WORD_MIN:
                return float(aligned)
            return short_query_score(query_words, words(candidate))
    else:
        aligned = fuzz.ratio(query, candidate, score_cutoff=cutoff)
    score = max(aligned, fuzz.token_sort_ratio(query, candidate, score_cutoff=cutoff))
    if GAPPED_MIN_SCORE <= score < FOUND_THRESHOLD:
        score = max(score, gapped_coverage(query_words, words(candidate)))
    return float(score)


def _alignment_cutoff(at_least: float, *, short: bool) -> float:
    """The lowest character-alignment score that can still lead to ``at_least``.

    Word-by-word scoring of short queries starts at SHORT_WORD_MIN, gapped coverage at
    GAPPED_MIN_SCORE and reaches up to GAPPED_MAX_SCORE: below those, alignments must be
    exact for the later steps to see them.
    """
    if short:
        return min(at_least, SHORT_WORD_MIN)
    return at_least if at_least > GAPPED_MAX_SCORE else min(at_least, GAPPED_MIN_SCORE)


def short_query_score(query_words: Sequence[str], candidate_words: Sequence[str]) -> float:
    """Best alignment of a few query words with as many consecutive printed words.

    The mean of word-to-word similarities, capped below the found threshold when any
    word is unlike its counterpart: a typo'd word still matches, a different word not.
    """
    n = len(query_words)
    if n == 0 or n > len(candidate_words):
        return 0.0
    best = 0.0
    for start in range(len(candidate_words) - n + 1):
        ratios = [
            fuzz.ratio(q, c)
            for q, c in zip(query_words, candidate_words[start : start + n], strict=True)
        ]
        score = sum(ratios) / n
        if min(ratios) < SHORT_WORD_MIN:
            score = min(score, SHORT_WORD_MIN)
        best = max(best, score)
    return float(best)


def gapped_coverage(query_words: Sequence[str], candidate_words: Sequence[str]) -> float:
    """Share of the query's words printed in the same order within a span of at most
    2.5 times the query's length (0-90: always below a verbatim alignment)."""
    n = len(query_words)
    if n < GAPPED_MIN_WORDS or n > len(candidate_words):
        return 0.0
    span = min(len(candidate_words), (5 * n + 1) // 2)
    query_list = list(query_words)
    best = 0
    for start in range(len(candidate_words) - span + 1):
        window = list(candidate_words[start : start + span])
        best = max(best, int(LCSseq.similarity(query_list, window)))
    return float(GAPPED_MAX_SCORE * best / n)


def is_printed_wording(query_words: Sequence[str], variant_words: Sequence[str]) -> bool:
    """The query equals the variant or is a contiguous run of its whole words."""
    return tuple(query_words) == tuple(variant_words) or is_contiguous_run(
        query_words, variant_words
    )


def _wordings(details: Sequence[QuoteDetail]) -> list[tuple[str, ...]]:
    return [words(d.normalized) for d in details]


def _nothing() -> None:
    """No one to tell (a words_missing callback for searches that need none)."""


@dataclass(frozen=True)
class _Match:
    utterance_id: str
    score: float
    normalized: str = ""  # the best-scoring printing's normalised text


class Verifier:
    """Stateless apart from the store: safe to call from many threads at once."""

    def __init__(
        self,
        store: QuoteStore,
        meaning: MeaningIndex | None = None,
        *,
        ahead_on_counts: bool = AHEAD_ON_COUNTS,
    ) -> None:
        """`ahead_on_counts`: the look-up by meaning may start getting ready as soon as
        the term counts show the query's words printed nowhere (the store's
        `words_missing`), not only once the first candidates scored low."""
        self._store = store
        self._meaning = meaning
        self._ahead_on_counts = ahead_on_counts

    def verify(self, query: VerifyQuery) -> VerifyResult:
        result = self._verify(query)
        if result.verdict is not Verdict.VERIFIED:
            result = self._without_claimants_words(query, result)
        if result.verdict is not Verdict.VERIFIED:
            result = self._without_debris(query, result)
        else:
            result = _limit_dropped(query, result)
        if result.verdict is Verdict.NOT_FOUND:
            result = self._found_written_otherwise(query, result)
        # Every path's confidence is kept within its verdict's bounds (docs/confidence.md).
        result = replace(result, confidence=bounded_confidence(result))
        if self._meaning is None:
            return result
        return replace(
            result, semantic_state=SemanticState.ON, semantic_model=self._meaning.model_id
        )

    def _without_claimants_words(self, query: VerifyQuery, result: VerifyResult) -> VerifyResult:
        """The verdict on the claim's quoted words alone when it carries words of its own
        (an attribution: '"S1," she said, "S2"', "S1, he said"; an insertion in brackets:
        verify.joined), if that finds them; else ``result``. Costs nothing for a claim
        that has no such words."""
        words_only = claimants_words_removed(query.quote)
        if words_only is None:
            return result
        again = self._verify(replace(query, quote=words_only))
        if again.verdict is Verdict.NOT_FOUND:
            return result
        if again.verdict is Verdict.VERIFIED:
            again = _limit_dropped(replace(query, quote=words_only), again)
        return replace(
            again,
            explanation=(
                f"{again.explanation} (The claim's own words, an attribution or a bracketed"
                " insertion, are not compared.)"
            ),
        )

    def _without_debris(self, query: VerifyQuery, result: VerifyResult) -> VerifyResult:
        """The verdict on the claim without social-media debris or a trailing source
        credit (verify.debris) when it holds some and that finds it; else ``result``.
        Costs one pattern search for a claim that holds none."""
        cleaned = without_debris(query.quote)
        if cleaned is None:
            return result
        again = self._without_claimants_words(
            replace(query, quote=cleaned), self._verify(replace(query, quote=cleaned))
        )
        if again.verdict is Verdict.NOT_FOUND:
            return result
        if again.verdict is Verdict.VERIFIED:
            again = _limit_dropped(replace(query, quote=cleaned), again)
        return replace(
            again,
            explanation=(
                f"{again.explanation} (Set aside as no words of the speaker's: what the"
                f" claim holds besides “{cleaned}”, such as post marks, emoji or a source"
                " credit.)"
            ),
        )

    def _found_written_otherwise(self, query: VerifyQuery, result: VerifyResult) -> VerifyResult:
        """The verdict on the printing a NOT_FOUND claim finds once its figures are
        written in words ("5,000" as "five thousand": verify.amounts), its number words
        as figures ("five to ten per cent" as "5 to 10%"), or a name it writes out as
        initials ("the United States" as "the US": verify.written_forms), judged on the
        claim as it came (wording compares the amounts; a name written out is a changed
        word); else ``result``. Costs nothing for a claim with none of them."""
        rewritten = (respelt(query.quote), in_figures(query.quote), with_initials(query.quote))
        for respelt_claim in rewritten:
            if respelt_claim is None:
                continue
            match, details = self._match_with_details(normalize(respelt_claim), query)
            if match is not None and details:
                return self._judged_as_it_came(query, match, details)
        return result

    def _judged_as_it_came(
        self, query: VerifyQuery, match: _Match, details: list[QuoteDetail]
    ) -> VerifyResult:
        """The verdict on the claim as it came against a printing found another way."""
        normalized = normalize(query.quote)
        query_words = words(normalized)
        judged = self._judge(query, normalized, query_words, match, details)
        judged = _says_opposite(query_words, judged) or judged
        return _limit_dropped(query, judged) if judged.verdict is Verdict.VERIFIED else judged

    def _verify(self, query: VerifyQuery) -> VerifyResult:
        normalized = normalize(query.quote)
        query_words = words(normalized)
        if not query_words:
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=1.0,
                explanation="The query has no words to look up.",
                normalized_query=normalized,
            )
        if len(query_words) < FUNCTION_WORDS_MIN_QUERY and not has_content_word(
            lemma_key(query_words)
        ):
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=1.0,
                explanation=(
                    "The query is too common to identify an utterance: it has no word"
                    " other than function words."
                ),
                normalized_query=normalized,
            )
        if self._meaning is None or len(query_words) < SEMANTIC_MIN_WORDS:
            return self._verify_words(query, normalized, query_words)
        # The claim is embedded while its words are searched: if they find nothing, the
        # look-up by meaning need not wait for the embedding (semantic.search.ahead).
        with self._meaning.ahead(normalized) as words_missing:
            return self._verify_words(query, normalized, query_words, words_missing)

    def _verify_words(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        words_missing: Callable[[], None] = _nothing,
    ) -> VerifyResult:
        """The verdict once the query has words to look up: by words, else by meaning."""
        match, details = self._match_with_details(normalized, query, words_missing)
        if (
            match is not None
            and details
            and len(query_words) == 1
            and not any(words(d.normalized) == query_words for d in details)
        ):
            # One word inside a longer printing says nothing about which utterance it is.
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=0.9,
                explanation=(
                    "A single word identifies an utterance only when it is a whole printed"
                    " quotation; no printing is just this word."
                ),
                normalized_query=normalized,
            )
        spanned = self._spanned_details(query, match) if not details else None
        if match is not None and spanned:
            # Every word of the claim is printed, in two pieces that meet (verify.spanning).
            result = self._judge(query, normalized, query_words, match, spanned, strength=1.0)
            return _says_opposite(query_words, result) or result
        if match is None or not details:
            joined = self._joined(query, normalized, query_words, match, details)
            if joined is not None:
                return joined
            by_meaning = self._meaning_match(normalized, query)
            if by_meaning is not None:
                return self._judge_by_meaning(query, normalized, query_words, by_meaning)
            return self._not_found(query, normalized, match)
        result = self._judge(query, normalized, query_words, match, details)
        if not any(v.equivalent for v in result.variants):
            joined = self._joined(query, normalized, query_words, match, details)
            if joined is not None:
                return joined
        opposite = _says_opposite(query_words, result)
        if opposite is not None:
            return opposite
        if result.verdict is Verdict.UNATTRIBUTED and result.speakers and query.claimed_speaker:
            # In doubt about the printed speaker: the claimed speaker may have said the
            # same words in a remark of their own.
            elsewhere = self._claimed_elsewhere(normalized, query, match)
            if elsewhere is not None:
                theirs = self._judged_elsewhere(query, normalized, query_words, match, elsewhere[1])
                if theirs is not None:
                    return theirs
        if result.verdict is Verdict.MISATTRIBUTED and query.claimed_speaker:
            mixed = self._claimed_says_the_rest(query, normalized, query_words, match, result)
            if mixed is not None:
                return mixed
            elsewhere = self._claimed_elsewhere(normalized, query, match)
            if elsewhere is not None:
                name, other = elsewhere
                theirs = self._judged_elsewhere(query, normalized, query_words, match, other)
                if theirs is not None:
                    return theirs
                # Two utterances fit the query and one of them is the claimed speaker's:
                # the printings disagree, which is not a misattribution.
                result = replace(
                    result,
                    verdict=Verdict.UNATTRIBUTED,
                    confidence=round(result.confidence * 0.8, 4),
                    explanation=(
                        f"{result.explanation} But another printing of nearly these words"
                        f" names {name}: the printings disagree, not called a"
                        " misattribution."
                    ),
                )
        return result

    def _spanned_details(self, query: VerifyQuery, match: _Match | None) -> list[QuoteDetail]:
        """The printings of the closest utterance when the claim, too far from each of
        them, runs across two of them (spans_printings); else none."""
        if match is None or match.score < GAPPED_MIN_SCORE:
            return []
        details = self._filtered_details(match.utterance_id, query)
        claim = words(normalize(query.quote))
        return details if spans_printings(claim, _wordings(details)) else []

    def _joined(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        match: _Match | None,
        details: list[QuoteDetail],
    ) -> VerifyResult | None:
        """The verdict when the claim runs across quotations one article prints side by
        side with only their attribution between them ('“S1,” she said. “S2.”':
        verify.joined), looked for beside the closest utterance's printings; else None."""
        if match is None or match.score < JOIN_MIN_SCORE:
            return None
        printed = details or self._filtered_details(match.utterance_id, query)
        joined = joined_printings(self._store, query.quote, [d.quote for d in printed])
        if joined is None:
            return None
        utterances = dict.fromkeys(p.utterance_id for p in joined.pieces if p.utterance_id)
        every = [d for u in utterances for d in self._filtered_details(u, query)]
        if not every:
            return None
        pieces = {p.quote_id for p in joined.pieces}
        # The printings the claim runs across come first: they are the evidence.
        every.sort(key=lambda d: d.quote.quote_id not in pieces)
        found = _Match(next(iter(utterances)), 100.0, every[0].normalized)
        result = self._judge(query, normalized, query_words, found, every, joined=True)
        if result.verdict is not Verdict.VERIFIED:
            return result
        shown = " / ".join(f"“{cut_text(p.text)[0]}”" for p in joined.pieces)
        who = result.speakers[0].name if result.speakers else "its speaker"
        return replace(
            result,
            explanation=(
                f"The words of a remark by {who} that one article prints as"
                f" {len(joined.pieces)} quotations split by its attribution ({shown}):"
                " the claim runs across them."
            ),
        )

    def _claimed_says_the_rest(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        match: _Match,
        result: VerifyResult,
    ) -> VerifyResult | None:
        """The verdict on the claimed speaker's remark when the claim runs two remarks
        together: it is no printed wording, and its words that the closest printing lacks
        (MIXED_MIN_WORDS at least) are a printing of another utterance that, judged
        against the claim, is not misattributed. Else None: the claim is the other
        speaker's remark, altered."""
        if not result.variants or any(v.equivalent for v in result.variants):
            return None
        lacking = [
            normalize(s.query_text)
            for s in result.variants[0].diff
            if s.op in (DiffOp.DELETE, DiffOp.REPLACE)
        ]
        rest = max(lacking, key=lambda t: len(words(t)), default="")
        if len(words(rest)) < MIXED_MIN_WORDS:
            return None
        other = self._best_utterance(rest, query)
        if (
            other is None
            or other.score < FOUND_THRESHOLD
            or other.utterance_id == match.utterance_id
        ):
            return None
        details = self._filtered_details(other.utterance_id, query)
        if not details:
            return None
        score = max(match_score(normalized, d.normalized) for d in details)
        judged = self._judge(
            query, normalized, query_words, _Match(other.utterance_id, score), details
        )
        if judged.verdict is Verdict.MISATTRIBUTED:
            return None
        shown = result.speakers[0].name if result.speakers else "another speaker"
        return replace(
            judged,
            explanation=(
                f"{judged.explanation} The claim runs two remarks together: the rest of its"
                f" words are printed as {shown}'s."
            ),
        )

    def _judged_elsewhere(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        match: _Match,
        other: _Match,
    ) -> VerifyResult | None:
        """The verdict on the claimed speaker's own utterance when it fits the query at
        least as well as the one first chosen: the same short words said by two people
        (a slogan both chant) are two utterances, and the claim is about theirs."""
        if other.score < match.score:
            return None
        details = self._filtered_details(other.utterance_id, query)
        if not details:
            return None
        result = self._judge(query, normalized, query_words, other, details)
        if result.verdict is Verdict.MISATTRIBUTED:
            return None
        return _says_opposite(query_words, result) or result

    def _not_found(self, query: VerifyQuery, normalized: str, match: _Match | None) -> VerifyResult:
        """NOT_FOUND with the closest printing (when any candidate scored) and, under an
        outlet or date filter, how many printings outside it would match."""
        best = 0.0 if match is None else match.score
        closest = self._closest(match, query) if match is not None and best > 0.0 else None
        explanation = _not_found_explanation(best, closest, semantic=self._meaning is not None)
        hidden = 0
        if not printing_filter(query).admits_all:
            hidden, outside = self._hidden_printings(normalized, query)
            if hidden:
                explanation += (
                    f" {hidden} printing(s) outside the {_filter_words(query)} filter match it"
                    f" (best match {outside:.0f}/100): not found inside the filter only."
                )
        result = VerifyResult(
            verdict=Verdict.NOT_FOUND,
            confidence=not_found_confidence(best),
            explanation=explanation,
            normalized_query=normalized,
            printings_outside_filter=hidden,
            closest=closest,
            closest_similarity=round(best / 100.0, 4) if closest is not None else 0.0,
            lexical_score=round(best, 2),
        )
        return result

    def _closest(self, match: _Match, query: VerifyQuery) -> Occurrence | None:
        """The printing that scored best (below the found threshold)."""
        details = self._filtered_details(match.utterance_id, query)
        chosen = next((d for d in details if d.normalized == match.normalized), None)
        if chosen is None and details:
            chosen = details[0]
        return _cut_occurrence(_occurrence(chosen)) if chosen is not None else None

    def _hidden_printings(self, normalized: str, query: VerifyQuery) -> tuple[int, float]:
        """Printings the query's filter leaves out of the utterance the query would match
        without it, and that match's score (0, 0 when there is none)."""
        unfiltered = replace(query, outlet=None, date_from=None, date_to=None)
        match, details = self._match_with_details(normalized, unfiltered)
        if match is None or not details:
            return 0, 0.0
        printed = printing_filter(query)
        hidden = sum(not printed.admits(d.quote.outlet, d.wire_credits, d.date) for d in details)
        return hidden, match.score

    def _meaning_match(self, normalized: str, query: VerifyQuery) -> MeaningMatch | None:
        """The printing nearest the query's meaning, when the words found none (semantic)."""
        if self._meaning is None:
            return None
        return best_meaning_match(
            self._meaning, self._store, normalized, printing_filter(query), match_score
        )

    def _judge_by_meaning(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        found: MeaningMatch,
    ) -> VerifyResult:
        """The verdict on an utterance found by meaning: never VERIFIED, and the confidence
        discounted (the words differ; only the meaning is close)."""
        details = self._filtered_details(found.utterance_id, query)
        if not details:
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=not_found_confidence(found.lexical),
                explanation=_not_found_explanation(found.lexical, semantic=True),
                normalized_query=normalized,
                lexical_score=round(found.lexical, 2),
            )
        judged = self._judge(
            query,
            normalized,
            query_words,
            _Match(found.utterance_id, found.lexical),
            details,
            exact_allowed=False,
            strength=meaning_strength(found.cosine),
        )
        if judged.verdict is Verdict.MISATTRIBUTED and found.cosine < MIN_COSINE_MISATTRIBUTED:
            # Two uncertain signals (the meaning is only close, and the speaker differs) do
            # not make the worst accusation: the closest printing is shown, not judged.
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=not_found_confidence(found.lexical),
                explanation=(
                    f"No printing matches the query's words; the closest in meaning (cosine"
                    f" {found.cosine:.2f}) is by {judged.speakers[0].name}, not"
                    f" {query.claimed_speaker}: too far to call a misattribution."
                ),
                normalized_query=normalized,
                lexical_score=round(found.lexical, 2),
                semantic_similarity=round(found.cosine, 4),
                closest=_first_printing(judged),
                closest_similarity=round(found.lexical / 100.0, 4),
            )
        return replace(
            judged,
            confidence=round(judged.confidence * SEMANTIC_CONFIDENCE, 4),
            explanation=(
                f"Found by meaning (cosine {found.cosine:.2f}; words {found.lexical:.0f}/100):"
                f" {judged.explanation}"
            ),
            match_signal=MatchSignal.SEMANTIC,
            lexical_score=round(found.lexical, 2),
            semantic_similarity=round(found.cosine, 4),
        )

    def _claimed_elsewhere(
        self, normalized: str, query: VerifyQuery, match: _Match
    ) -> tuple[str, _Match] | None:
        """The claimed speaker's name as printed with another utterance that matches the
        query about as well as the chosen one, and that match (None if no such printing)."""
        claimed = query.claimed_speaker or ""
        floor = max(FOUND_THRESHOLD, match.score - ALTERNATIVE_MARGIN)
        seen = {match.utterance_id}
        for hit in self._store.search(normalized, CANDIDATES, printing_filter(query)):
            if hit.utterance_id in seen:
                continue
            score = match_score(normalized, hit.normalized, at_least=floor)
            if score < floor:
                continue
            seen.add(hit.utterance_id)
            for detail in self._filtered_details(hit.utterance_id, query):
                speaker_id = detail.quote.speaker_id
                if speaker_id is None:
                    continue
                record = self._store.get_speaker(speaker_id, with_articles=False)
                if record is not None and identity.claim_link(
                    claimed, (record.name, *record.aliases), record.kind
                ):
                    return record.name, _Match(hit.utterance_id, score, hit.normalized)
        return None

    # --- retrieval ----------------------------------------------------------------------

    def _best_utterance(
        self, normalized: str, query: VerifyQuery, words_missing: Callable[[], None] = _nothing
    ) -> _Match | None:
        """The utterance of the best-scoring retrieved quotation.

        Ties go to a whole-word match, then to the printing closest in length to the query.
        `words_missing` is called when the store's term counts show the query's words
        printed nowhere (with `ahead_on_counts`), or when the first PROBE_CANDIDATES leave
        the query far from found (the look-up by meaning may start getting ready); it
        changes no result.
        """
        query_words = words(normalized)
        best: tuple[float, bool, int] | None = None
        best_match: _Match | None = None
        early = words_missing if self._ahead_on_counts and words_missing is not _nothing else None
        hits = self._store.search(normalized, CANDIDATES, printing_filter(query), early)
        for scored, hit in enumerate(hits):
            if scored == PROBE_CANDIDATES and (best is None or best[0] < FOUND_THRESHOLD):
                words_missing()
            score = match_score(normalized, hit.normalized, at_least=best[0] if best else 0.0)
            if best is not None and score < best[0]:
                continue
            hit_words = words(hit.normalized)
            key = (
                score,
                score >= 100.0 and is_printed_wording(query_words, hit_words),
                -abs(len(hit_words) - len(query_words)),
            )
            if best is None or key > best:
                best, best_match = key, _Match(hit.utterance_id, score, hit.normalized)
                if key == (100.0, True, 0):  # the query is this printing, word for word
                    break
        return best_match

    def _match_with_details(
        self, normalized: str, query: VerifyQuery, words_missing: Callable[[], None] = _nothing
    ) -> tuple[_Match | None, list[QuoteDetail]]:
        # Reads are not one snapshot: an ingest may merge the matched utterance into another
        # between search and details. Searching again then finds the merged one.
        match: _Match | None = None
        for _ in range(3):
            match = self._best_utterance(normalized, query, words_missing)
            if match is None or match.score < FOUND_THRESHOLD:
                return match, []
            details = self._filtered_details(match.utterance_id, query)
            if details:
                return match, details
        return match, []

    def _filtered_details(self, utterance_id: str, query: VerifyQuery) -> list[QuoteDetail]:
        printed = printing_filter(query)
        return [
            d
            for d in self._store.utterance_details(utterance_id)
            if printed.admits(d.quote.outlet, d.wire_credits, d.date)
        ]

    # --- judgement ----------------------------------------------------------------------

    def _judge(
        self,
        query: VerifyQuery,
        normalized: str,
        query_words: tuple[str, ...],
        match: _Match,
        details: list[QuoteDetail],
        *,
        exact_allowed: bool = True,
        strength: float | None = None,
        joined: bool = False,
    ) -> VerifyResult:
        """``joined``: the claim's words are printed across quotations split by their
        attribution (verify.joined), so they are printed words."""
        variants = _variants(query.quote, normalized, query_words, details)
        printed_whole = any(v.equivalent for v in variants)
        exact = exact_allowed and (
            printed_whole or joined or spans_printings(query_words, _wordings(details))
        )
        speakers = self._speakers(details)
        claimed = query.claimed_speaker.strip() if query.claimed_speaker else ""
        claimed_support: float | None = None
        doubt: str | None = None
        shown = speakers[0].name if speakers else None  # the speaker an explanation names
        if claimed:
            answering = [
                s
                for s in speakers
                if identity.claim_link(claimed, (s.name, *s.aliases), s.kind) is not None
                or identity.description_fits(claimed, (s.name, *s.aliases)) is not None
                or given_name_form(claimed, (s.name, *s.aliases)) is not None
            ]
            claimed_support = sum(s.probability for s in answering)
            shown = answering[0].name if answering else shown
            if answering and answering[0].probability >= speakers[0].probability:
                # Printings split evenly: the claimed speaker, one of the tied, leads.
                speakers.remove(answering[0])
                speakers.insert(0, answering[0])
            if claimed_support <= 0.0 and speakers:
                doubt = misattribution_doubt(
                    claimed,
                    speakers,
                    details,
                    self._text_before,
                    claim=query_words,
                    text_around=self._text_around,
                )
        verdict = decide_verdict(exact, bool(speakers), claimed_support, doubt=doubt)
        support = (
            claimed_support
            if claimed_support is not None
            else (speakers[0].probability if speakers else 0.0)
        )
        confidence = verdict_confidence(
            verdict,
            found_strength(match.score) if strength is None else strength,
            support,
            _mean_attribution_confidence(details),
        )
        if verdict is Verdict.VERIFIED and rests_on_slip(variants):
            confidence = round(confidence * SLIP_CERTAINTY, 4)
        if doubt is not None:
            confidence = round(confidence * 0.8, 4)
        hidden = 0
        if not printing_filter(query).admits_all:
            hidden = len(self._store.utterance_details(match.utterance_id)) - len(details)
        outlets = Counter(
            outlet_label(d.quote.outlet, d.wire_credits) for d in details
        ).most_common()
        variant_of = {
            o.quote_id: number
            for number, v in enumerate(variants[: max(0, query.max_variants)], start=1)
            for o in v.occurrences
        }
        timeline = chronological(details)
        first = first_dated(details)
        return VerifyResult(
            verdict=verdict,
            confidence=confidence,
            explanation=(
                _explanation(verdict, query, variants, speakers, len(details), doubt, shown)
                if printed_whole or verdict is not Verdict.VERIFIED
                else _spanned_explanation(speakers, shown, len(details), len(variants))
            )
            + (
                f" {hidden} more printing(s) lie outside the {_filter_words(query)} filter."
                if hidden
                else ""
            ),
            normalized_query=normalized,
            utterance_id=match.utterance_id,
            speakers=tuple(
                replace(s, aliases=s.aliases[:MAX_ALIASES]) for s in speakers[:MAX_SPEAKERS]
            ),
            variants=answer_page(query.quote, variants, query.max_variants),
            outlets=tuple(outlets[:MAX_OUTLETS]),
            processors=tuple(dict.fromkeys(p for d in details for p in d.processors)),
            printing_count=len(details),
            variant_count=len(variants),
            speakers_omitted=max(0, len(speakers) - MAX_SPEAKERS),
            outlets_omitted=max(0, len(outlets) - MAX_OUTLETS),
            match_signal=MatchSignal.LEXICAL,
            lexical_score=round(match.score, 2),
            printings_outside_filter=hidden,
            first_appearance=_printing(first, variant_of) if first is not None else None,
            timeline=tuple(_printing(d, variant_of) for d in timeline[:MAX_TIMELINE]),
            timeline_omitted=max(0, len(timeline) - MAX_TIMELINE),
        )

    def _text_before(self, detail: QuoteDetail) -> str:
        """The article text just before a printing: where a pronoun's person is named."""
        article = self._store.get_article(detail.quote.article_id)
        if article is None:
            return ""
        start = detail.quote.start
        return article.text[max(0, start - TEXT_BEFORE_CHARS) : start]

    def _text_around(self, detail: QuoteDetail) -> str:
        """The article text around a printing, its own included: where its attribution
        describes its speaker ("said Ana Ruiz, a spokeswoman for …")."""
        article = self._store.get_article(detail.quote.article_id)
        if article is None:
            return ""
        start, end = detail.quote.start, detail.quote.end
        return article.text[max(0, start - ATTRIBUTION_CHARS) : end + ATTRIBUTION_CHARS]

    def _speakers(self, details: list[QuoteDetail]) -> list[SpeakerScore]:
        weights: dict[str, float] = defaultdict(float)
        counts: Counter[str] = Counter()
        for d in details:
            if d.quote.speaker_id is None:
                continue
            weights[d.quote.speaker_id] += max(d.quote.confidence, MIN_ATTRIBUTION_WEIGHT)
            counts[d.quote.speaker_id] += 1
        total = sum(weights.values())
        scores: list[SpeakerScore] = []
        support: dict[str, int] = {}
        for speaker_id, weight in weights.items():
            record = self._store.get_speaker(speaker_id, with_articles=False)
            support[speaker_id] = record.quote_count if record else 0
            scores.append(
                SpeakerScore(
                    speaker_id=speaker_id,
                    name=record.name if record else speaker_id,
                    kind=record.kind if record else EntityKind.PERSON,
                    aliases=record.aliases if record else (),
                    probability=round(weight / total, 4),
                    occurrence_count=counts[speaker_id],
                )
            )
        # Equal weight: the speaker with more quotations in the corpus first.
        scores.sort(key=lambda s: (-s.probability, -support[s.speaker_id], s.name))
        return scores


def decide_verdict(
    exact: bool, attributed: bool, claimed_support: float | None, *, doubt: str | None = None
) -> Verdict:
    """The brief's verdict for a found utterance.

    ``claimed_support`` is the probability mass of the utterance's speakers that answer
    to the claimed name in any of its forms (None: no speaker claimed). Misattribution
    outranks alteration, but only without ``doubt`` about who the printings name (they
    disagree, name the speaker without confidence, or name someone whose name resembles
    the claim): then the answer is UNATTRIBUTED.
    """
    if not attributed:
        return Verdict.UNATTRIBUTED
    if claimed_support is not None and claimed_support <= 0.0:
        return Verdict.UNATTRIBUTED if doubt else Verdict.MISATTRIBUTED
    return Verdict.VERIFIED if exact else Verdict.ALTERED


def names_its_speaker(mention: str | None) -> bool:
    """The printing itself names its speaker ("Novak said", "said the minister"), rather
    than a pronoun or the paragraphs around standing for it."""
    if mention is None or not mention.strip():
        return False
    return mention.strip().casefold() not in MENTION_PRONOUNS


def misattribution_doubt(
    claimed: str,
    speakers: Sequence[SpeakerScore],
    details: Sequence[QuoteDetail],
    text_before: Callable[[QuoteDetail], str] = lambda d: "",
    *,
    claim: Sequence[str] = (),
    text_around: Callable[[QuoteDetail], str] = lambda d: "",
) -> str | None:
    """Why the printings do not show, with confidence, that someone other than the
    claimed speaker said it; None when they do. ``claim``: the claim's words;
    ``text_around``: a printing's article text around it (where its attribution is)."""
    top = speakers[0]
    if not identity.is_name(claimed):
        return f"the claimed speaker {claimed!r} is a description, not a name"
    if top.probability < AGREEMENT_MIN_SHARE:
        shares = ", ".join(f"{s.name} {s.occurrence_count}" for s in speakers)
        return f"the printings disagree about the speaker ({shares})"
    confident = [
        d
        for d in details
        if d.quote.speaker_id == top.speaker_id and d.quote.confidence >= CONFIDENT_ATTRIBUTION
    ]
    if not confident:
        return f"no printing names {top.name} with confidence"
    if not any(names_its_speaker(d.quote.speaker_mention) for d in confident) and any(
        named_in(claimed, text_before(d)) for d in confident
    ):
        return (
            f"the printings infer {top.name} from a pronoun or an earlier paragraph, and"
            f" name {claimed} just before the quotation"
        )
    relayed = _relayed(claimed, claim, confident, text_around)
    if relayed is not None:
        return f"{top.name} {relayed}"
    near = identity.near_name(claimed, (top.name, *top.aliases))
    if near is not None:
        return f"the printings name {near}, a name close to the claimed one"
    initials = identity.initials_of(claimed, (top.name, *top.aliases))
    if initials is not None:
        return f"the claimed {claimed} may be the initials of {initials}"
    return None


def _relayed(
    claimed: str,
    claim: Sequence[str],
    printings: Sequence[QuoteDetail],
    text_around: Callable[[QuoteDetail], str],
) -> str | None:
    """How a printing credits the claimed speaker with the words its own speaker says
    (verify.relayed), or None: an inner quotation the speaker gives as theirs, or a
    statement the speaker makes as their spokesperson."""
    if any(credited_inside(claimed, claim, d.quote.text) for d in printings):
        return f"quotes these words inside their own quotation as {claimed}'s"
    if any(spoken_for(claimed, text_around(d)) for d in printings):
        return f"speaks as a spokesperson for {claimed}"
    return None


def verdict_confidence(verdict: Verdict, found: float, support: float, attribution: float) -> float:
    """Confidence of a found verdict, as defined in docs/confidence.md."""
    same_utterance = 0.6 + 0.4 * found
    if verdict is Verdict.UNATTRIBUTED:
        confidence = same_utterance
    elif verdict is Verdict.MISATTRIBUTED:
        confidence = same_utterance * attribution
    elif verdict is Verdict.VERIFIED:
        confidence = support * attribution
    else:
        confidence = same_utterance * support * attribution
    return round(min(1.0, max(0.0, confidence)), 4)


def rests_on_slip(variants: Sequence[Variant]) -> bool:
    """Some wording is equivalent to the query, but only through a spelling slip."""
    equivalent = [v for v in variants if v.equivalent]
    return bool(equivalent) and all(any(is_slip(d) for d in v.differences) for v in equivalent)


def confidence_bounds(result: VerifyResult) -> tuple[float, float]:
    """The floor and ceiling of a verdict's confidence (docs/confidence.md): a verdict is
    never given as less likely than not; a VERIFIED resting on a spelling slip is at most
    SLIP_CERTAINTY sure; a NOT_FOUND whose filter hides matching printings is not sure."""
    if result.verdict is Verdict.NOT_FOUND and result.printings_outside_filter:
        return HIDDEN_NOT_FOUND_CONFIDENCE, HIDDEN_NOT_FOUND_CONFIDENCE
    if result.verdict is Verdict.VERIFIED and rests_on_slip(result.variants):
        return CONFIDENCE_FLOOR, SLIP_CERTAINTY
    return CONFIDENCE_FLOOR, 1.0


def bounded_confidence(result: VerifyResult) -> float:
    low, high = confidence_bounds(result)
    return round(min(high, max(low, result.confidence)), 4)


def found_strength(score: float) -> float:
    """0 at the found threshold, 1 at a perfect alignment."""
    return max(0.0, min(1.0, (score - FOUND_THRESHOLD) / (100.0 - FOUND_THRESHOLD)))


# How the explanation names each reason verify.semantic.turns_around gives.
_OPPOSITE_REASONS = {
    "negation": "adds a negation",
    "sentiment": "has the opposite sentiment",
    "antonym": "puts a word's opposite in its place",
    "comparison": "compares where the printing equates (or the reverse)",
}


def _says_opposite(query_words: tuple[str, ...], result: VerifyResult) -> VerifyResult | None:
    """NOT_FOUND, naming the printing, when the query's words are close to a printing but
    say its opposite (a negation added, opposite sentiment): never ALTERED of it."""
    if not result.variants or any(v.equivalent for v in result.variants):
        return None
    closest = result.variants[0]
    why = turns_around(query_words, words(normalize(closest.text)))
    if why is None:
        return None
    speaker = f" by {result.speakers[0].name}" if result.speakers else ""
    reason = _OPPOSITE_REASONS[why]
    return VerifyResult(
        verdict=Verdict.NOT_FOUND,
        confidence=0.7,
        explanation=(
            f"The closest printing{speaker}, “{cut_text(closest.text)[0]}”, shares most of"
            f" the query's words but the query {reason}: it says the opposite, not an"
            " altered wording of it."
        ),
        normalized_query=result.normalized_query,
        lexical_score=result.lexical_score,
        match_signal=MatchSignal.NONE,
        closest=closest.occurrences[0] if closest.occurrences else None,
        closest_similarity=closest.similarity if closest.occurrences else 0.0,
    )


# A VERIFIED turned ALTERED because the claim cuts off a negation, hedge or condition
# rests on a rule about the words around the run, not on a changed word: less sure.
LIMIT_DROPPED_CERTAINTY = 0.8


def _limit_dropped(query: VerifyQuery, result: VerifyResult) -> VerifyResult:
    """ALTERED when every wording the claim is a run of limits it with words the claim
    leaves out (verify.scope: "I do not believe | the town is safe"); else ``result``."""
    equivalent = [v for v in result.variants if v.equivalent]
    if not equivalent:
        return result
    limits = [dropped_limit(query.quote, v.text) for v in equivalent]
    if not all(limits):
        return result
    who = f" by {result.speakers[0].name}" if result.speakers else ""
    # The claim no longer stands for those wordings (it drops what limits them): an
    # ALTERED answer lists none as equivalent, as every other ALTERED does.
    variants = tuple(replace(v, equivalent=False) for v in result.variants)
    return replace(
        result,
        variants=variants,
        verdict=Verdict.ALTERED,
        confidence=round(result.confidence * LIMIT_DROPPED_CERTAINTY, 4),
        explanation=(
            f"The words of a quotation{who}, but cut from it without “{limits[0]}”, which"
            f" limits them in the printing (“{cut_text(equivalent[0].text)[0]}”): the claim"
            " says more than the speaker did."
        ),
    )


def _first_printing(result: VerifyResult) -> Occurrence | None:
    """The first listed printing of a judged result's closest wording, if any."""
    for variant in result.variants:
        if variant.occurrences:
            return variant.occurrences[0]
    return None


def meaning_strength(cosine: float) -> float:
    """0 at the lowest accepted cosine, 1 at identical meaning."""
    return max(0.0, min(1.0, (cosine - MIN_COSINE) / (1.0 - MIN_COSINE)))


def not_found_confidence(best_score: float) -> float:
    """1 when nothing resembles the query, 0.5 just under the found threshold."""
    gap = max(0.0, FOUND_THRESHOLD - best_score) / FOUND_THRESHOLD
    return round(0.5 + 0.5 * min(1.0, gap * 2.0), 4)


def _mean_attribution_confidence(details: list[QuoteDetail]) -> float:
    named = [d.quote.confidence for d in details if d.quote.speaker_id is not None]
    return sum(named) / len(named) if named else 0.0


def printing_filter(query: VerifyQuery) -> PrintingFilter:
    return PrintingFilter(outlet=query.outlet, date_from=query.date_from, date_to=query.date_to)


def _variants(
    raw_query: str, normalized: str, query_words: tuple[str, ...], details: list[QuoteDetail]
) -> list[Variant]:
    grouped: dict[tuple[str, ...], list[QuoteDetail]] = {}
    for d in details:
        grouped.setdefault(words(d.normalized), []).append(d)
    variants: list[Variant] = []
    for variant_words, printings in grouped.items():
        shown = printings[0]
        same = compare_printed(raw_query, shown.quote.text)
        # The normalised words drop signs such as "%", so they alone do not make a
        # wording exact: the comparison of the texts as printed must agree.
        exact = same.equivalent and is_printed_wording(query_words, variant_words)
        first = first_dated(printings)
        variants.append(
            Variant(
                text=shown.quote.text,
                similarity=round(match_score(normalized, shown.normalized) / 100.0, 4),
                exact_match=exact,
                diff=(),  # for the variants answered only: answer_page
                occurrences=tuple(_occurrence(d) for d in printings),
                occurrence_count=len(printings),
                equivalent=exact or same.equivalent,
                differences=same.differences,  # a non-equivalent one's: answer_page
                first_appearance=_printing(first, {}) if first is not None else None,
            )
        )
    variants.sort(
        key=lambda v: (
            not v.exact_match,
            not v.equivalent,
            _slips(v.differences),
            -v.similarity,
            -v.occurrence_count,
        )
    )
    return variants


def _slips(differences: Sequence[Difference]) -> int:
    return sum(is_slip(d) for d in differences)


def answer_page(
    raw_query: str, variants: Sequence[Variant], max_variants: int
) -> tuple[Variant, ...]:
    """The variants an answer holds, bounded whatever the corpus (issue 15, B8): the
    first `max_variants`, each with its word diff, its first MAX_OCCURRENCES_PER_VARIANT
    printings (MAX_OCCURRENCES in the whole answer; the counts say how many there are)
    and texts over MAX_TEXT_CHARS cut to their head and tail."""
    budget = MAX_OCCURRENCES
    page: list[Variant] = []
    for number, variant in enumerate(variants[: max(0, max_variants)], start=1):
        occurrences = variant.occurrences[: min(MAX_OCCURRENCES_PER_VARIANT, budget)]
        budget -= len(occurrences)
        text, cut = cut_text(variant.text)
        diff = word_diff(raw_query, variant.text)
        page.append(
            replace(
                variant,
                text=text,
                text_truncated=cut,
                diff=diff,
                differences=variant.differences if variant.equivalent else diff_differences(diff),
                first_appearance=(
                    replace(variant.first_appearance, variant_index=number)
                    if variant.first_appearance is not None
                    else None
                ),
                occurrences=tuple(_cut_occurrence(o) for o in occurrences),
            )
        )
    return tuple(page)


def cut_text(text: str) -> tuple[str, bool]:
    """`text`, or its first and last MAX_TEXT_CHARS // 2 characters around an ellipsis
    when longer than MAX_TEXT_CHARS; and whether it was cut."""
    if len(text) <= MAX_TEXT_CHARS:
        return text, False
    half = MAX_TEXT_CHARS // 2
    return f"{text[:half]} {OMITTED} {text[-half:]}", True


def _printing(detail: QuoteDetail, variant_of: dict[str, int]) -> Printing:
    text, cut = cut_text(detail.quote.text)
    return printing(detail, variant_of, text, cut)


def _cut_occurrence(occurrence: Occurrence) -> Occurrence:
    text, cut = cut_text(occurrence.text)
    return replace(occurrence, text=text, text_truncated=cut) if cut else occurrence


def _occurrence(d: QuoteDetail) -> Occurrence:
    q = d.quote
    return Occurrence(
        quote_id=q.quote_id,
        text=q.text,
        article_id=q.article_id,
        source_name=d.source_name,
        outlet=q.outlet,
        wire_credits=d.wire_credits,
        title=d.title,
        date=d.date,
        url=d.url,
        start=q.start,
        end=q.end,
        context=d.context,
        kind=q.kind,
        speaker=q.speaker,
        speaker_mention=q.speaker_mention,
        cue=q.cue,
        sieve=q.sieve,
        attribution_confidence=q.confidence,
        resolution=q.resolution,
    )


def _not_found_explanation(
    best: float, closest: Occurrence | None = None, *, semantic: bool
) -> str:
    by_meaning = (
        " nor close enough in meaning"
        if semantic
        else " (semantic search is off: not looked up by meaning)"
    )
    if best <= 0.0:
        return f"Nothing in the corpus shares enough words with the query{by_meaning}."
    nearest = ""
    if closest is not None:
        who = f" by {closest.speaker}" if closest.speaker else ", attributed to no one"
        nearest = f"; the closest is “{_head(closest.text)}”{who}"
    return (
        f"No printed quotation is close enough in words (best match {best:.0f}/100, "
        f"threshold {FOUND_THRESHOLD:.0f}){by_meaning}{nearest}."
    )


def _spanned_explanation(
    speakers: list[SpeakerScore], shown: str | None, printings: int, wordings: int
) -> str:
    top = shown or (speakers[0].name if speakers else None)
    return (
        f"The words of a quotation by {top}, printed {printings} time(s) in {wordings}"
        " wording(s), none of them whole: the claim runs across two printings cut from it"
        " at different points, joined where they overlap."
    )


def _head(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _filter_words(query: VerifyQuery) -> str:
    parts = []
    if query.outlet:
        parts.append("outlet")
    if query.date_from or query.date_to:
        parts.append("date")
    return "/".join(parts)


def _explanation(
    verdict: Verdict,
    query: VerifyQuery,
    variants: list[Variant],
    speakers: list[SpeakerScore],
    printings: int,
    doubt: str | None = None,
    shown: str | None = None,
) -> str:
    where = f"printed {printings} time(s) in {len(variants)} wording(s)"
    top = shown or (speakers[0].name if speakers else None)
    if verdict is Verdict.UNATTRIBUTED and doubt:
        return (
            f"Found, {where}; no printing attributes it to {query.claimed_speaker}, but"
            f" {doubt}: not called a misattribution."
        )
    if verdict is Verdict.UNATTRIBUTED:
        return f"Found, {where}, but no printing names a speaker."
    if verdict is Verdict.MISATTRIBUTED:
        return f"Found, {where}; attributed to {top}, not to {query.claimed_speaker}."
    others = ""
    if query.claimed_speaker and len(speakers) > 1:
        shares = ", ".join(f"{s.name} {s.occurrence_count}" for s in speakers)
        others = f" The printings disagree about the speaker ({shares})."
    if verdict is Verdict.VERIFIED:
        closest = next(v for v in variants if v.equivalent)
        if closest.exact_match and not closest.differences:
            return f"Exact wording of a quotation by {top}, {where}.{others}"
        listed = "; ".join(
            f"{d.kind.value} “{d.query_text}” / “{d.variant_text}”" for d in closest.differences[:3]
        )
        more = f" and {len(closest.differences) - 3} more" if len(closest.differences) > 3 else ""
        return (
            f"The words of a quotation by {top}, {where}, differing only in form"
            f" ({listed}{more}).{others}"
        )
    return (
        f"A quotation by {top} ({where}) exists, but the query's"
        f" wording differs from every printing.{others}"
    )
