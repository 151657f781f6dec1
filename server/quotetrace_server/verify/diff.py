"""Word-level diff of a query against a printed wording, shown in each side's own words.

The diff's work is bounded by the query, not by the printing (issue 15, B7): a printing
longer than DIFF_WINDOW_FACTOR times the query (plus DIFF_WINDOW_SLACK words) is diffed
only over a window of that many words where the query's words are densest; the words
left out on either side are one INSERT segment each, shown as OMITTED ("…").
"""

from __future__ import annotations

from difflib import SequenceMatcher

from quotetrace_server.entities.normalize import normalize
from quotetrace_server.verify.model import DiffOp, DiffSegment

_OPS = {
    "equal": DiffOp.EQUAL,
    "insert": DiffOp.INSERT,
    "delete": DiffOp.DELETE,
    "replace": DiffOp.REPLACE,
}
DIFF_WINDOW_FACTOR = 2
DIFF_WINDOW_SLACK = 40
OMITTED = "…"


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Whitespace tokens as printed, and their comparison keys (normalised, no edge marks)."""
    shown: list[str] = []
    keys: list[str] = []
    for token in text.split():
        key = normalize(token)
        if key:
            shown.append(token)
            keys.append(key)
    return shown, keys


def diff_window(query_keys: list[str], printed: list[str], width: int) -> int:
    """Start of the `width` printed tokens holding the most query words (the first such
    window, shifted to centre them).

    One pass over the printing, with a cheap key per token: linear, not the diff's
    quadratic cost.
    """
    wanted = set(query_keys)
    hits = [_cheap_key(t) in wanted for t in printed]
    count = sum(hits[:width])
    best, best_start = count, 0
    for start in range(1, len(hits) - width + 1):
        count += hits[start + width - 1] - hits[start - 1]
        if count > best:
            best, best_start = count, start
    inside = [i for i in range(best_start, best_start + width) if hits[i]]
    if not inside:
        return 0
    middle = (inside[0] + inside[-1]) // 2  # the query's words centred in the window
    return max(0, min(len(printed) - width, middle - width // 2))


def _cheap_key(token: str) -> str:
    # normalize() without NFKC: fast enough for every token of a very long printing.
    return token.casefold().replace("’", "'").strip(".,;:!?\"'“”‘()[]")


def word_diff(query: str, variant: str) -> tuple[DiffSegment, ...]:
    """Segments turning the query into the variant: INSERT = words only the variant prints."""
    q_shown, q_keys = _tokens(query)
    printed = variant.split()
    width = DIFF_WINDOW_FACTOR * len(q_keys) + DIFF_WINDOW_SLACK
    before: tuple[DiffSegment, ...] = ()
    after: tuple[DiffSegment, ...] = ()
    if len(printed) > width:
        start = diff_window(q_keys, printed, width)
        if start > 0:
            before = (DiffSegment(op=DiffOp.INSERT, query_text="", variant_text=OMITTED),)
        if start + width < len(printed):
            after = (DiffSegment(op=DiffOp.INSERT, query_text="", variant_text=OMITTED),)
        variant = " ".join(printed[start : start + width])
    v_shown, v_keys = _tokens(variant)
    matcher = SequenceMatcher(a=q_keys, b=v_keys, autojunk=False)
    middle = tuple(
        DiffSegment(
            op=_OPS[tag],
            query_text=" ".join(q_shown[i1:i2]),
            variant_text=" ".join(v_shown[j1:j2]),
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )
    return before + middle + after
