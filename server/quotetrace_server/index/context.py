"""The context stored with each quotation: the sentence(s) around it, bounded.

A frame (the sentences a quotation stands in) is usually a sentence or two; in a text
with no sentence breaks (`'"a" ' * 5000`) it is the whole article, and storing it with
every quotation made the index grow with the square of the article (issue 15, B2).
A context longer than MAX_CONTEXT_CHARS is replaced by at most SIDE_CHARS of the
article on each side of the quotation (not across a paragraph break), with the
quotation itself cut to its first and last QUOTE_EDGE_CHARS when longer; an ellipsis
marks each cut. So a stored context is at most about 2 * (SIDE_CHARS + QUOTE_EDGE_CHARS)
characters, whatever the article.
"""

from __future__ import annotations

ELLIPSIS = "…"
MAX_CONTEXT_CHARS = 1_200
SIDE_CHARS = 240
QUOTE_EDGE_CHARS = 300
# The longest a bounded context can be: two sides, two quotation edges, three ellipses
# and the spaces beside them.
CONTEXT_BOUND = max(MAX_CONTEXT_CHARS, 2 * (SIDE_CHARS + QUOTE_EDGE_CHARS) + 9)


def bounded_context(text: str, start: int, end: int, context: str) -> str:
    """`context` when it is short enough, else a window of `text` around [start, end)."""
    if len(context) <= MAX_CONTEXT_CHARS:
        return context
    return _window(text, start, end)


def _window(text: str, start: int, end: int) -> str:
    left = text[max(0, start - SIDE_CHARS) : start]
    cut_left = start > SIDE_CHARS
    if "\n" in left:
        left, cut_left = left[left.rindex("\n") + 1 :], False
    elif cut_left and " " in left:
        left = left[left.index(" ") + 1 :]  # start at a word
    right = text[end : end + SIDE_CHARS]
    cut_right = end + SIDE_CHARS < len(text)
    if "\n" in right:
        right, cut_right = right[: right.index("\n")], False
    elif cut_right and " " in right:
        right = right[: right.rindex(" ")]  # end at a word
    quote = text[start:end]
    if len(quote) > 2 * QUOTE_EDGE_CHARS:
        quote = f"{quote[:QUOTE_EDGE_CHARS]} {ELLIPSIS} {quote[-QUOTE_EDGE_CHARS:]}"
    shown = f"{ELLIPSIS} " * cut_left + left + quote + right + f" {ELLIPSIS}" * cut_right
    return shown.strip()
