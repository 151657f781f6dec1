"""Does a claim cut off the words that limit what it quotes?

A claim that is a run of a printed quotation's words is its words, but not always what
the speaker said: "I do not believe the town is safe" cut to "the town is safe", "the
barrier is probably strong enough" to "strong enough". The printed words just before the
run and in its clause hold a negation or a hedge: the claim drops them, and says more
than the printing.

A condition is not such a limit: "if nothing changes, we will close the surgery" cut to
"we will close the surgery" is a run of the speaker's words, which the brief calls
VERIFIED (a clause of its own, and a quoted sentence's main clause is quoted so daily).

Only the printed words around the run are read (a few tokens, verify.wording's cached
tokenisation), so the check costs nothing a claim would notice.
"""

from __future__ import annotations

from collections.abc import Sequence

from quotetrace_server.entities.lexicon import DASH_MARKS, HEDGES, SCOPE_NEGATIONS
from quotetrace_server.verify.wording import Word, tokens

# Punctuation after a word that closes its clause: what stands before it does not govern
# the words after it ("the moon… we are asking", "a normal year, but this has not").
_CLAUSE_END = frozenset(",;:.!?()" + DASH_MARKS)


def _ends(word: Word, marks: frozenset[str]) -> bool:
    return any(c in marks for c in word.trail)


def _run_starts(query: Sequence[str], printed: Sequence[str]) -> list[int]:
    """Where ``query`` occurs in ``printed`` as a run of whole words."""
    n = len(query)
    return [
        i
        for i in range(len(printed) - n + 1)
        if printed[i] == query[0] and list(printed[i : i + n]) == list(query)
    ]


def _limited_before(printed: Sequence[Word], start: int) -> str | None:
    """The negation or hedge in the run's clause before it, if any."""
    j = start - 1
    while j >= 0 and not _ends(printed[j], _CLAUSE_END):
        if printed[j].key in SCOPE_NEGATIONS or printed[j].key in HEDGES:
            return printed[j].shown
        j -= 1
    return None


def dropped_limit(claim: str, printed: str) -> str | None:
    """The printed word that limits the run of ``printed`` the claim quotes and that the
    claim leaves out (a negation, a hedge), or None: the claim is not a run of
    ``printed`` word for word, or some place it is printed keeps its scope."""
    query = [w.key for w in tokens(claim)]
    words = tokens(printed)
    if not query or len(query) >= len(words):
        return None
    starts = _run_starts(query, [w.key for w in words])
    limits = [_limited_before(words, i) for i in starts]
    if not limits or not all(limits):
        return None
    return limits[0]
