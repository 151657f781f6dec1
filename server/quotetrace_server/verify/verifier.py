"""Verify a quotation against the index: who said it, where, in which words, and a verdict.

Steps: normalise the query → retrieve candidate quotations from the store's term postings
(never a scan) → score each with rapidfuzz → take the best utterance above the found
threshold → compare the query with each printed wording of that utterance (exactness,
word diff) and with its speakers (claimed speaker, alias-aware) → verdict + confidence.
Confidence is defined in docs/confidence.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.model import PrintingFilter, QuoteDetail, outlet_label
from quotetrace_server.index.similarity import is_contiguous_run
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.verify.diff import word_diff
from quotetrace_server.verify.model import (
    Occurrence,
    SpeakerScore,
    Variant,
    Verdict,
    VerifyQuery,
    VerifyResult,
)
from quotetrace_server.verify.normalize import normalize, words

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
# How many retrieved quotations are scored per query.
CANDIDATES = 100
# Attributions with no stated confidence still count a little when weighting speakers.
MIN_ATTRIBUTION_WEIGHT = 0.05


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


@dataclass(frozen=True)
class _Match:
    utterance_id: str
    score: float


class Verifier:
    """Stateless apart from the store: safe to call from many threads at once."""

    def __init__(self, store: QuoteStore) -> None:
        self._store = store

    def verify(self, query: VerifyQuery) -> VerifyResult:
        normalized = normalize(query.quote)
        query_words = words(normalized)
        if not query_words:
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=1.0,
                explanation="The query has no words to look up.",
                normalized_query=normalized,
            )
        match, details = self._match_with_details(normalized, query)
        if match is None or not details:
            best = 0.0 if match is None else match.score
            return VerifyResult(
                verdict=Verdict.NOT_FOUND,
                confidence=not_found_confidence(best),
                explanation=_not_found_explanation(best),
                normalized_query=normalized,
            )
        return self._judge(query, normalized, query_words, match, details)

    # --- retrieval ----------------------------------------------------------------------

    def _best_utterance(self, normalized: str, query: VerifyQuery) -> _Match | None:
        """The utterance of the best-scoring retrieved quotation.

        Ties go to a whole-word match, then to the printing closest in length to the query.
        """
        query_words = words(normalized)
        best: tuple[float, bool, int] | None = None
        best_match: _Match | None = None
        for hit in self._store.search(normalized, CANDIDATES, printing_filter(query)):
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
                best, best_match = key, _Match(hit.utterance_id, score)
                if key == (100.0, True, 0):  # the query is this printing, word for word
                    break
        return best_match

    def _match_with_details(
        self, normalized: str, query: VerifyQuery
    ) -> tuple[_Match | None, list[QuoteDetail]]:
        # Reads are not one snapshot: an ingest may merge the matched utterance into another
        # between search and details. Searching again then finds the merged one.
        match: _Match | None = None
        for _ in range(3):
            match = self._best_utterance(normalized, query)
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
    ) -> VerifyResult:
        variants = _variants(query.quote, normalized, query_words, details)
        exact = any(v.exact_match for v in variants)
        speakers = self._speakers(details)
        claimed_ids = (
            self._store.speakers_named(query.claimed_speaker) if query.claimed_speaker else None
        )
        claimed_support = (
            sum(s.probability for s in speakers if s.speaker_id in claimed_ids)
            if claimed_ids is not None
            else None
        )
        verdict = decide_verdict(exact, bool(speakers), claimed_support)
        support = (
            claimed_support
            if claimed_support is not None
            else (speakers[0].probability if speakers else 0.0)
        )
        confidence = verdict_confidence(
            verdict, found_strength(match.score), support, _mean_attribution_confidence(details)
        )
        outlets = Counter(
            outlet_label(d.quote.outlet, d.wire_credits) for d in details
        ).most_common()
        return VerifyResult(
            verdict=verdict,
            confidence=confidence,
            explanation=_explanation(verdict, query, variants, speakers, len(details)),
            normalized_query=normalized,
            utterance_id=match.utterance_id,
            speakers=tuple(speakers),
            variants=tuple(variants[: max(0, query.max_variants)]),
            outlets=tuple(outlets),
            processors=tuple(dict.fromkeys(p for d in details for p in d.processors)),
        )

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
        for speaker_id, weight in weights.items():
            record = self._store.get_speaker(speaker_id, with_articles=False)
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
        scores.sort(key=lambda s: (-s.probability, s.name))
        return scores


def decide_verdict(exact: bool, attributed: bool, claimed_support: float | None) -> Verdict:
    """The brief's verdict for a found utterance.

    ``claimed_support`` is the probability mass of the utterance's speakers that answer
    to the claimed name (None: no speaker claimed). Misattribution outranks alteration.
    """
    if not attributed:
        return Verdict.UNATTRIBUTED
    if claimed_support is not None and claimed_support <= 0.0:
        return Verdict.MISATTRIBUTED
    return Verdict.VERIFIED if exact else Verdict.ALTERED


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


def found_strength(score: float) -> float:
    """0 at the found threshold, 1 at a perfect alignment."""
    return max(0.0, min(1.0, (score - FOUND_THRESHOLD) / (100.0 - FOUND_THRESHOLD)))


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
        variants.append(
            Variant(
                text=shown.quote.text,
                similarity=round(match_score(normalized, shown.normalized) / 100.0, 4),
                exact_match=is_printed_wording(query_words, variant_words),
                diff=word_diff(raw_query, shown.quote.text),
                occurrences=tuple(_occurrence(d) for d in printings),
            )
        )
    variants.sort(key=lambda v: (not v.exact_match, -v.similarity, -len(v.occurrences)))
    return variants


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
    )


def _not_found_explanation(best: float) -> str:
    if best <= 0.0:
        return "Nothing in the corpus shares enough words with the query."
    return (
        f"No printed quotation is close enough (best match {best:.0f}/100, "
        f"threshold {FOUND_THRESHOLD:.0f})."
    )


def _explanation(
    verdict: Verdict,
    query: VerifyQuery,
    variants: list[Variant],
    speakers: list[SpeakerScore],
    printings: int,
) -> str:
    where = f"printed {printings} time(s) in {len(variants)} wording(s)"
    top = speakers[0].name if speakers else None
    if verdict is Verdict.UNATTRIBUTED:
        return f"Found, {where}, but no printing names a speaker."
    if verdict is Verdict.MISATTRIBUTED:
        return f"Found, {where}; attributed to {top}, not to {query.claimed_speaker}."
    if verdict is Verdict.VERIFIED:
        return f"Exact wording of a quotation by {top}, {where}."
    return (
        f"A quotation by {top} ({where}) exists, but the query's wording differs"
        " from every printing."
    )
