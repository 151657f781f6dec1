"""Find quotations by their marks, on raw characters, one paragraph at a time.

Works on the text itself rather than on tokens so that tokeniser quirks (a mark glued to a
word, a sentence split inside a quotation) cannot move a quotation's edges.

Rules, in short:
- two families of marks: double (“ ” " « ») and single (‘ ’ ' ‹ ›); a closing mark closes the
  nearest open mark of its own family, so “…" (curly opened, straight closed) still pairs;
- ’ and ' between two letters or digits are apostrophes (We’ll, o’clock, Europe's), and a ’
  with no single quotation open is an apostrophe too (Smiths’ house, ’90s);
- every paragraph starts with nothing open, and a double opener while a double quotation
  is open ends that one (double marks nest only inside single ones): an unbalanced mark
  cannot swallow the rest of the article. An unclosed double quotation runs to its
  paragraph's end (the news convention for quotations spanning paragraphs); an unclosed
  single mark is dropped, since it is far more often a stray apostrophe than a quotation.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from quotetrace_server.quotes.model import QuoteSpan

DOUBLE = "double"
SINGLE = "single"

DOUBLE_OPENERS = frozenset("“«")
DOUBLE_CLOSERS = frozenset("”»")
SINGLE_OPENERS = frozenset("‘‹")
SINGLE_CLOSERS = frozenset("’›")
STRAIGHT = {'"': DOUBLE, "'": SINGLE}
ALL_MARKS = DOUBLE_OPENERS | DOUBLE_CLOSERS | SINGLE_OPENERS | SINGLE_CLOSERS | set(STRAIGHT)

LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"


@dataclass
class _Open:
    family: str
    index: int  # position of the opening mark
    mark: str


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph, end excluding the line break.

    A paragraph is a non-blank line, except in hard-wrapped text (every line cut short at a
    fixed width), where it is a block of lines between blank lines."""
    lines = _line_spans(text)
    if not _is_hard_wrapped(text, lines):
        return [(a, b) for a, b in lines if text[a:b].strip()]
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    block_end = 0
    for start, end in lines:
        if not text[start:end].strip():
            if block_start is not None:
                blocks.append((block_start, block_end))
            block_start = None
            continue
        if block_start is None:
            block_start = start
        block_end = end
    if block_start is not None:
        blocks.append((block_start, block_end))
    return blocks


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char in LINE_BREAKS:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


HARD_WRAP_MAX_WIDTH = 100
HARD_WRAP_MIN_LINES = 6


def _is_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Lines all short and mostly followed by another non-blank line: a wrapped file."""
    lengths = [len(text[a:b].rstrip()) for a, b in lines]
    filled = [n for n in lengths if n]
    if len(filled) < HARD_WRAP_MIN_LINES or max(filled) > HARD_WRAP_MAX_WIDTH:
        return False
    continued = sum(1 for a, b in pairwise(lengths) if a and b)
    long_lines = sum(1 for n in filled if n >= HARD_WRAP_MAX_WIDTH // 2)
    return continued >= 0.6 * len(filled) and long_lines >= 0.5 * len(filled)


def find_quotes(text: str) -> tuple[QuoteSpan, ...]:
    """All quotations in `text`, in order of their opening marks, nested ones included."""
    found: list[QuoteSpan] = []
    for start, end in paragraph_spans(text):
        found.extend(_quotes_in_paragraph(text, start, end))
    found.sort(key=lambda q: (q.start, -q.end))
    return tuple(_with_depths(found))


def _quotes_in_paragraph(text: str, start: int, end: int) -> list[QuoteSpan]:
    stack: list[_Open] = []
    spans: list[QuoteSpan] = []
    for index in range(start, end):
        char = text[index]
        if char not in ALL_MARKS:
            continue
        before = text[index - 1] if index > start else ""
        after = text[index + 1] if index + 1 < end else ""
        role = _role_of_mark(char, before, after, stack)
        if role == "open":
            family = _family_of(char)
            if family == DOUBLE and stack and stack[-1].family == DOUBLE:
                # Double marks nest with single ones in English, not with themselves: a
                # second double opener means the first was never closed.
                forgotten = stack.pop()
                span = _trimmed_span(text, forgotten.index + 1, index, forgotten.mark, False)
                if span is not None:
                    spans.append(span)
            stack.append(_Open(family, index, char))
        elif role == "close":
            opened = _pop_to_family(stack, _family_of(char))
            span = _trimmed_span(text, opened.index + 1, index, opened.mark, closed=True)
            if span is not None:
                spans.append(span)
    unclosed = [o for o in stack if o.family == DOUBLE]
    if unclosed:
        # Only the outermost: inner unclosed marks are part of its text.
        outer = unclosed[0]
        span = _trimmed_span(text, outer.index + 1, end, outer.mark, closed=False)
        if span is not None:
            spans.append(span)
    return spans


def _family_of(mark: str) -> str:
    if mark in STRAIGHT:
        return STRAIGHT[mark]
    return DOUBLE if mark in DOUBLE_OPENERS or mark in DOUBLE_CLOSERS else SINGLE


def _role_of_mark(mark: str, before: str, after: str, stack: list[_Open]) -> str:
    """'open', 'close' or 'ignore' for one mark, from its neighbours and what is open."""
    family = _family_of(mark)
    family_open = any(o.family == family for o in stack)
    if family == SINGLE and before.isalnum() and after.isalnum():
        return "ignore"  # apostrophe inside a word
    if mark in DOUBLE_OPENERS or mark in SINGLE_OPENERS:
        # A curly opener typed where a closer belongs (“word,“ he said) closes instead.
        if family_open and _looks_like_closer(before, after):
            return "close"
        return "open"
    if mark in DOUBLE_CLOSERS or mark in SINGLE_CLOSERS:
        if family_open:
            return "close"
        # A double closer typed as an opener (” word) opens; a lone ’ is an apostrophe.
        if family == DOUBLE and (before == "" or before.isspace()) and _is_word_char(after):
            return "open"
        return "ignore"
    return _role_of_straight_mark(before, after, family_open)


def _role_of_straight_mark(before: str, after: str, family_open: bool) -> str:
    if family_open and before != "" and not before.isspace():
        return "close"
    if after != "" and not after.isspace() and not before.isalnum():
        return "open"
    if family_open:
        return "close"
    return "ignore"


def _looks_like_closer(before: str, after: str) -> bool:
    return before != "" and not before.isspace() and (after == "" or not after.isalnum())


def _is_word_char(char: str) -> bool:
    return char != "" and char.isalnum()


def _pop_to_family(stack: list[_Open], family: str) -> _Open:
    """Remove and return the innermost open mark of `family`, dropping marks opened inside it."""
    for position in range(len(stack) - 1, -1, -1):
        if stack[position].family == family:
            opened = stack[position]
            del stack[position:]
            return opened
    raise ValueError("no open mark of this family")  # callers check family_open first


def _trimmed_span(text: str, start: int, end: int, mark: str, closed: bool) -> QuoteSpan | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return QuoteSpan(start=start, end=end, open_mark=mark, closed=closed)


def _with_depths(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Set each span's depth to how many other spans enclose it (spans sorted by start)."""
    result: list[QuoteSpan] = []
    enclosing: list[QuoteSpan] = []
    for span in spans:
        while enclosing and enclosing[-1].end < span.end:
            enclosing.pop()
        depth = len(enclosing)
        result.append(QuoteSpan(span.start, span.end, span.open_mark, span.closed, depth=depth))
        enclosing.append(span)
    return result
