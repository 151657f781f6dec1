"""Words marked in [brackets] as an editor's, not the speaker's.

An outlet clarifies a quotation with an insertion in brackets ("It [the tablet] was never
meant to replace a laptop"); a claimant does the same. The words in brackets are nobody's
speech: a claim that leaves a printing's insertion out, or adds one of its own between
two printed words, quotes the speaker's words as printed. An insertion holding a negation
changes what is said and is never set aside.
"""

from __future__ import annotations

import re

from quotetrace_server.entities.lexicon import NEGATIONS

# An insertion longer than this is more than a clarification.
INSERTION_MAX_WORDS = 6
_INSERTION = re.compile(r"\s*\[([^\[\]]*)\]\s*")
# One between two words of the text (not opening or closing it, where it may stand for
# words it replaces).
_INNER_INSERTION = re.compile(r"(?<=[^\W_])[,;]?\s*\[([^\[\]]*)\]\s*(?=[^\W_])")


def _clarifies(inside: str) -> bool:
    found = re.findall(r"[^\W_]+(?:'[^\W_]+)?", inside.casefold())
    return 0 < len(found) <= INSERTION_MAX_WORDS and not any(
        w in NEGATIONS or w.endswith("n't") for w in found
    )


def without_insertions(text: str, *, inner_only: bool = False) -> str | None:
    """``text`` with its bracketed insertions left out (only those between two words
    when ``inner_only``), or None when it has none that may be."""
    pattern = _INNER_INSERTION if inner_only else _INSERTION
    changed = False

    def drop(match: re.Match[str]) -> str:
        nonlocal changed
        if not _clarifies(match.group(1)):
            return match.group(0)
        changed = True
        return " "

    out = pattern.sub(drop, text).strip() if "[" in text else text
    return out if changed and out else None
