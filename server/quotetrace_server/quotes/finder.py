"""Find quotations by their marks, on raw characters, one paragraph at a time.

Works on the text itself rather than on tokens so that tokeniser quirks (a mark glued to a
word, a sentence split inside a quotation) cannot move a quotation's edges.

Rules, in short:
- three families of marks: double (“ ” „ "), single (‘ ’ ') and guillemets (« » ‹ ›); a closing
  mark closes the nearest open mark of its own family, so “…" (curly opened, straight closed)
  still pairs, and a double closer with only a single mark open closes that one (‘…” in
  hurried copy);
- ’ and ' between two letters or digits are apostrophes (We’ll, o’clock, Europe's), and a ’
  with no single quotation open is an apostrophe too (Smiths’ house, ’90s);
- every paragraph starts with nothing open. A double opener while a double quotation is open
  nests inside it only when the rest of the paragraph closes both (“how “are” you?”);
  otherwise it ends the open one, since a forgotten closing mark is far more common in news
  copy than same-mark nesting, and an unbalanced mark cannot swallow the rest of the article.
- An unclosed quotation runs to its paragraph's end (the news convention for quotations
  spanning paragraphs: an opening mark on each paragraph, a closing mark only on the last).
  For single marks this holds only where the mark plainly opens a quotation (at the start of
  the paragraph or after `:`/`,`) and is not an elision ('Tis, '90s); elsewhere an unclosed
  single mark is far more often a stray apostrophe and is dropped.
- A quotation left open at the very end of the text, with no sentence-ending punctuation, was
  cut off with the page and is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from quotetrace_server.quotes.model import QuoteSpan

DOUBLE = "double"
SINGLE = "single"
GUILLEMET = "guillemet"

# „ opens in German and Polish copy; its closer (“ or ”) is found by the rules below.
DOUBLE_OPENERS = frozenset("“„")
DOUBLE_CLOSERS = frozenset("”")
SINGLE_OPENERS = frozenset("‘")
SINGLE_CLOSERS = frozenset("’")
GUILLEMET_OPENERS = frozenset("«‹")
GUILLEMET_CLOSERS = frozenset("»›")
OPENERS = DOUBLE_OPENERS | SINGLE_OPENERS | GUILLEMET_OPENERS
CLOSERS = DOUBLE_CLOSERS | SINGLE_CLOSERS | GUILLEMET_CLOSERS
STRAIGHT = {'"': DOUBLE, "'": SINGLE}
ALL_MARKS = OPENERS | CLOSERS | set(STRAIGHT)
# A single mark that opens with no closing mark in its paragraph runs to the paragraph's end
# only after these (or at the paragraph's start).
SINGLE_RUN_ON_AFTER = frozenset(":,")
# Words that start with an apostrophe standing for dropped letters, not a quotation mark.
ELISIONS = frozenset({"tis", "twas", "em", "til", "cause", "n", "round", "bout"})
SENTENCE_FINAL = frozenset(".!?…")
# How far a double opener inside an open quotation looks for the two closers that would
# make it a nested quotation (bounded, so runs of openers cost linear time).
NESTING_LOOKAHEAD = 2_000

LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"


@dataclass
class _Open:
    family: str
    index: int  # position of the opening mark
    mark: str


class _OpenMarks(list[_Open]):
    """The open marks, innermost last, with a count per family so that "is one of this
    family open?" is answered in constant time (a paragraph can hold thousands of marks)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def push(self, opened: _Open) -> None:
        self.append(opened)
        self.counts[opened.family] = self.counts.get(opened.family, 0) + 1

    def has(self, family: str) -> bool:
        return self.counts.get(family, 0) > 0

    def pop_top(self) -> _Open:
        opened = self.pop()
        self.counts[opened.family] -= 1
        return opened

    def pop_to_family(self, family: str) -> _Open:
        """Remove and return the innermost open mark of `family`, dropping marks opened
        inside it."""
        while self:
            opened = self.pop_top()
            if opened.family == family:
                return opened
        raise ValueError("no open mark of this family")  # callers check has() first


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
    paragraphs = _joined_wraps(text, paragraph_spans(text))
    for number, (start, end) in enumerate(paragraphs):
        following = paragraphs[number + 1][0] if number + 1 < len(paragraphs) else len(text)
        next_opens_single = text[following:].lstrip()[:1] in ("‘", "'")
        found.extend(_quotes_in_paragraph(text, start, end, next_opens_single))
    found.sort(key=lambda q: (q.start, -q.end))
    return tuple(_with_depths(found))


def _quotes_in_paragraph(
    text: str, start: int, end: int, next_opens_single: bool = False
) -> list[QuoteSpan]:
    stack = _OpenMarks()
    spans: list[QuoteSpan] = []
    for index in range(start, end):
        char = text[index]
        if char not in ALL_MARKS:
            continue
        before = text[index - 1] if index > start else ""
        after = text[index + 1] if index + 1 < end else ""
        role = _role_of_mark(char, before, after, stack)
        if role == "close" and char in SINGLE_CLOSERS and _plural_possessive(text, index, end):
            continue
        if role == "open":
            family = _family_of(char)
            if (
                family == DOUBLE
                and stack
                and stack[-1].family == DOUBLE
                and not _closes_twice_later(text, index + 1, end)
            ):
                # A second double opener with no two closers ahead: the first was never
                # closed.
                forgotten = stack.pop_top()
                span = _trimmed_span(text, forgotten.index + 1, index, forgotten.mark, False)
                if span is not None:
                    spans.append(span)
            stack.push(_Open(family, index, char))
        elif role == "close":
            family = _family_of(char)
            if not stack.has(family):
                family = SINGLE  # ‘…”: a double closer ends the open single quotation
            opened = stack.pop_to_family(family)
            span = _trimmed_span(text, opened.index + 1, index, opened.mark, closed=True)
            if span is not None:
                spans.append(span)
    unclosed = [o for o in stack if _runs_on(text, o, start, next_opens_single)]
    if unclosed:
        # Only the outermost: inner unclosed marks are part of its text.
        outer = unclosed[0]
        span = _trimmed_span(text, outer.index + 1, end, outer.mark, closed=False)
        if span is not None and not _cut_off_by_end_of_text(text, span.end):
            spans.append(span)
    return spans


def _plural_possessive(text: str, index: int, end: int) -> bool:
    """ "‘The players’ wages come first,’ he said": a ’ after a plural -s and before a
    lower-case word is a possessive apostrophe when a ’ after sentence punctuation closes
    the quotation later in the paragraph (before any new opening mark)."""
    if index < 2 or text[index - 1] != "s" or not text[index - 2].isalpha():
        return False
    if text[index + 1 : index + 2] != " " or not text[index + 2 : index + 3].islower():
        return False
    for later in range(index + 1, end):
        char = text[later]
        if char == "‘":
            return False
        if char in SINGLE_CLOSERS and text[later - 1] in SENTENCE_FINAL | {","}:
            return True
    return False


def _joined_wraps(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a paragraph to the next when an open quotation is cut mid-sentence by the line
    break: the line ends on a letter or a comma and the next one goes on in lower case
    ("… not acquainted with him\n myself; how …"). News paragraphs never start in lower
    case, so this only mends wrapped text."""
    joined: list[tuple[int, int]] = []
    join_through = -1
    for number, (start, end) in enumerate(paragraphs):
        if joined and (
            number <= join_through or _wrapped_inside_quotation(text, *joined[-1], start)
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
        if number > join_through:
            join_through = _closing_line(text, paragraphs, number, joined[-1])
    return joined


# How many following lines may hold the closing mark of a quotation wrapped over lines.
WRAP_LOOKAHEAD_LINES = 4


def _closing_line(
    text: str, paragraphs: list[tuple[int, int]], number: int, current: tuple[int, int]
) -> int:
    """The index of the line that closes a quotation left open at the end of `current`,
    when the lines in between are single line breaks and none of them opens a quotation of
    the same family first ("Words "Hello,\nI am the second line.\nI am the last." more"):
    a line break inside a quotation, not a paragraph of a multi-paragraph one (those open
    each paragraph with a mark). -1 when there is none."""
    unclosed = [q for q in _quotes_in_paragraph(text, *current, True) if not q.closed]
    if not unclosed:
        return -1
    family = _family_of(unclosed[0].open_mark)
    for following in range(number + 1, min(number + 1 + WRAP_LOOKAHEAD_LINES, len(paragraphs))):
        start, end = paragraphs[following]
        if text[paragraphs[following - 1][1] : start].count("\n") != 1:
            return -1  # a blank line: a new paragraph
        role = _first_role_in_line(text, start, end, family)
        if role in ("open", "unsure"):
            return -1
        if role == "close":
            return following
    return -1


def _first_role_in_line(text: str, start: int, end: int, family: str) -> str | None:
    """ "open" or "close" for the first mark of `family` in the line (as if one of that
    family were open), None when it has none. A single mark closes only after sentence
    punctuation: after a letter it may be a plural possessive (the players’ union), and
    the line is "unsure"."""
    stack = _OpenMarks()
    stack.push(_Open(family, -1, ""))
    for index in range(start, end):
        char = text[index]
        if char not in ALL_MARKS or _family_of(char) != family:
            continue
        before = text[index - 1] if index > start else ""
        after = text[index + 1] if index + 1 < end else ""
        role = _role_of_mark(char, before, after, stack)
        if role == "ignore":
            continue
        if role == "close" and family == SINGLE and before not in SENTENCE_FINAL | {","}:
            return "unsure"
        return role
    return None


def _wrapped_inside_quotation(text: str, start: int, end: int, next_start: int) -> bool:
    last = text[start:end].rstrip()[-1:]
    first = text[next_start : next_start + 40].lstrip()[:1]
    if not (last.isalpha() or last in ",;") or not first.islower():
        return False
    return any(not q.closed for q in _quotes_in_paragraph(text, start, end, True))


def _runs_on(text: str, opened: _Open, paragraph_start: int, next_opens_single: bool) -> bool:
    """Does an opening mark left unclosed run to the paragraph's end? A single one does at
    the paragraph's start, after `:`/`,`, or when the next paragraph opens with a single
    mark too (a multi-paragraph quotation in single marks)."""
    if opened.family != SINGLE:
        return True
    before = text[paragraph_start : opened.index].rstrip()
    if before and before[-1] not in SINGLE_RUN_ON_AFTER and not next_opens_single:
        return False
    word = ""
    for char in text[opened.index + 1 : opened.index + 8]:
        if not char.isalnum():
            break
        word += char
    return bool(word) and not word[0].isdigit() and word.lower() not in ELISIONS


def _cut_off_by_end_of_text(text: str, span_end: int) -> bool:
    """An unclosed quotation that reaches the end of the text mid-sentence was truncated."""
    if text[span_end:].strip():
        return False
    return text[:span_end].rstrip()[-1:] not in SENTENCE_FINAL


def _closes_twice_later(text: str, start: int, end: int) -> bool:
    """Do at least two more double closing marks than openers follow in the paragraph? Then
    an opener nests inside the open quotation instead of ending it."""
    balance = 0
    for index in range(start, min(end, start + NESTING_LOOKAHEAD)):
        char = text[index]
        before = text[index - 1] if index > start else " "
        if char in DOUBLE_CLOSERS or (char == '"' and not before.isspace()):
            balance += 1
        elif char in DOUBLE_OPENERS or char == '"':
            balance -= 1
    return balance >= 2


def _family_of(mark: str) -> str:
    if mark in STRAIGHT:
        return STRAIGHT[mark]
    if mark in GUILLEMET_OPENERS or mark in GUILLEMET_CLOSERS:
        return GUILLEMET
    return DOUBLE if mark in DOUBLE_OPENERS or mark in DOUBLE_CLOSERS else SINGLE


def _role_of_mark(mark: str, before: str, after: str, stack: _OpenMarks) -> str:
    """'open', 'close' or 'ignore' for one mark, from its neighbours and what is open."""
    family = _family_of(mark)
    family_open = stack.has(family)
    if family == SINGLE and before.isalnum() and after.isalnum():
        return "ignore"  # apostrophe inside a word
    if mark in OPENERS:
        # A curly opener typed where a closer belongs (“word,“ he said) closes instead.
        if family_open and _looks_like_closer(before, after):
            return "close"
        return "open"
    if mark in CLOSERS:
        if family_open:
            return "close"
        if mark in DOUBLE_CLOSERS and stack.has(SINGLE):
            return "close"  # ‘…”, he said
        # A double closer typed as an opener (” word) opens; a lone ’ is an apostrophe.
        if family == DOUBLE and (before == "" or before.isspace()) and _is_word_char(after):
            return "open"
        return "ignore"
    if mark == '"' and not family_open and stack.has(SINGLE) and _looks_like_closer(before, after):
        return "close"  # 'You did it," she said
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
