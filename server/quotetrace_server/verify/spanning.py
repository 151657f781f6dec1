"""A claim that runs across printings of one remark cut at different points.

Outlets cut one long answer at different points ("S1 S2" in one, "S2 S3" in another;
clustering joins them as one utterance). A claim quoting "S1 S2 S3" matches no single
printing, yet every word of it is printed: one printing's words continued by another's
where the two meet.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import LCSseq

# A claim running across two printings of one remark cut at different points ("S1 S2"
# in one outlet, "S2 S3" in another) is their words joined where they overlap: the two
# pieces must share this many words, so that words no outlet printed between them are
# never bridged silently.
SPAN_OVERLAP_MIN_WORDS = 4
# Distinct wordings of an utterance tried as pieces of a claim.
SPAN_MAX_WORDINGS = 20
# Pieces meeting on fewer shared words: this many printed words next to a piece, at
# least this similar (LCS) to the claim's words there, show that the pieces join.
SPAN_CONTEXT_WORDS = 8
SPAN_CONTEXT_MIN = 0.75


def spans_printings(claim: Sequence[str], printed: Sequence[Sequence[str]]) -> bool:
    """Whether the claim's words are a printed run of one wording continued by a printed
    run of another where one of those printings ends or starts: the two pieces share
    SPAN_OVERLAP_MIN_WORDS words of the claim, or the words a printing has next to its
    piece are (a re-transcription of) the claim's words there, so nothing the outlets
    left out between them is bridged.

    A claim that is one printed run is not "spanned" (its variants say so).
    """
    if len(claim) < 2 * SPAN_OVERLAP_MIN_WORDS + 1 or not printed:
        return False
    wordings = [tuple(p) for p in dict.fromkeys(tuple(p) for p in printed)][:SPAN_MAX_WORDINGS]
    head, head_end, head_from = max((*_longest_run(claim, p, from_start=True), p) for p in wordings)
    tail, tail_start, tail_from = max(
        (*_longest_run(claim, p, from_start=False), p) for p in wordings
    )
    n = len(claim)
    joined_at = n - tail  # where the second piece starts in the claim
    if head >= n or tail >= n or joined_at > head or head_from == tail_from:
        return False
    if head_end < len(head_from) and tail_start > 0:
        # Where two outlets' cuts meet, one of them ends or starts: pieces from the middle
        # of both would join words no one printed side by side (a phrase said twice).
        return False
    if head - joined_at >= SPAN_OVERLAP_MIN_WORDS:
        return True
    # The words printed just after the first piece, or just before the second, are the
    # claim's words there in another transcription.
    after = head_from[head_end : head_end + SPAN_CONTEXT_WORDS]
    before = tail_from[max(0, tail_start - SPAN_CONTEXT_WORDS) : tail_start]
    return _continues(after, claim[head : head + len(after)]) or _continues(
        before, claim[max(0, joined_at - len(before)) : joined_at]
    )


def _continues(printed: Sequence[str], claimed: Sequence[str]) -> bool:
    return (
        min(len(printed), len(claimed)) >= SPAN_OVERLAP_MIN_WORDS
        and LCSseq.normalized_similarity(list(printed), list(claimed)) >= SPAN_CONTEXT_MIN
    )


def _longest_run(
    claim: Sequence[str], printed: Sequence[str], *, from_start: bool
) -> tuple[int, int]:
    """The most of the claim's first (or last) words that are consecutive words of
    ``printed``, and where that run ends (or starts) there."""
    best = (0, 0)
    for at in range(len(printed)):
        k = 0
        if from_start:
            while k < len(claim) and at + k < len(printed) and printed[at + k] == claim[k]:
                k += 1
            if k > best[0]:
                best = (k, at + k)
        else:
            while k < len(claim) and at - k >= 0 and printed[at - k] == claim[len(claim) - 1 - k]:
                k += 1
            if k > best[0]:
                best = (k, at - k + 1)
    return best
