"""Narrative sentences ("frames") with each top-level quotation folded into one placeholder.

Attribution cues live in the writer's words, not in the quoted ones, and a quotation can hold
several sentences of its own. Folding quotations into placeholders gives sentences of
narrative in which a quotation is one item: "[Q] Mr. Berg said ." Stanza's sentence breaks
are kept only where a full stop, question or exclamation mark ends the narrative (stanza
sometimes breaks inside names or quotations), and every paragraph starts a new frame.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from quotetrace_server.entities.words import Word
from quotetrace_server.quotes.finder import CLOSERS as QUOTE_CLOSERS
from quotetrace_server.quotes.finder import SENTENCE_FINAL, STRAIGHT, paragraph_spans
from quotetrace_server.quotes.model import QuoteSpan

# What may follow a sentence's final mark: closing quotation marks (quotes.finder's and
# the straight ones) and brackets.
CLOSERS = QUOTE_CLOSERS | frozenset(STRAIGHT) | frozenset(")]")


@dataclass(frozen=True)
class Item:
    """A narrative word (word >= 0) or a quotation placeholder (quote >= 0)."""

    word: int = -1
    quote: int = -1

    @property
    def is_quote(self) -> bool:
        return self.quote >= 0


@dataclass
class Frame:
    paragraph: int
    items: list[Item]
    start: int  # character span of the frame, quotation marks included
    end: int

    def first_word_position(self, words: list[Word]) -> int | None:
        """Item index of the first narrative word with a letter or digit, if any."""
        if "_first_word" not in self.__dict__:
            self.__dict__["_first_word"] = next(
                (
                    i
                    for i, item in enumerate(self.items)
                    if not item.is_quote and any(c.isalnum() for c in words[item.word].text)
                ),
                None,
            )
        found = self.__dict__["_first_word"]
        return None if found is None else int(found)

    def quote_position(self, quote: int) -> int:
        """Item index of a quotation, from a map built once per frame (a frame can hold
        thousands of quotations)."""
        positions = self.__dict__.get("_quote_positions")
        if positions is None:
            positions = {item.quote: i for i, item in enumerate(self.items) if item.is_quote}
            self.__dict__["_quote_positions"] = positions
        return int(positions[quote])


@dataclass
class Layout:
    """Where everything sits: paragraphs, frames, and which frame holds each quotation."""

    paragraphs: list[tuple[int, int]]
    frames: list[Frame]
    frame_of_quote: dict[int, int]
    paragraph_of_quote: dict[int, int]


def build_layout(text: str, words: list[Word], quotes: list[QuoteSpan]) -> Layout:
    paragraphs = paragraph_spans(text)
    starts = [p[0] for p in paragraphs]

    def paragraph_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    items = _items_in_order(words, quotes)
    frames: list[Frame] = []
    current: list[Item] = []
    current_paragraph = -1
    previous_end = 0
    previous_sentence = -1
    previous_stop = False
    for item, start, end, sentence in items:
        paragraph = paragraph_of(start)
        breaks = (
            not current
            or paragraph != current_paragraph
            or _narrative_sentence_ends(
                text, previous_end, start, sentence != previous_sentence, previous_stop
            )
        )
        if breaks and current:
            frames.append(_frame(current_paragraph, current, words, quotes))
            current = []
        current.append(item)
        current_paragraph = paragraph
        previous_end = end
        previous_sentence = sentence
        previous_stop = _is_full_stop(text, item, words, quotes)
    if current:
        frames.append(_frame(current_paragraph, current, words, quotes))
    frame_of_quote = {
        item.quote: index
        for index, frame in enumerate(frames)
        for item in frame.items
        if item.is_quote
    }
    paragraph_of_quote = {i: paragraph_of(q.start) for i, q in enumerate(quotes)}
    return Layout(paragraphs, frames, frame_of_quote, paragraph_of_quote)


def _items_in_order(words: list[Word], quotes: list[QuoteSpan]) -> list[tuple[Item, int, int, int]]:
    """(item, start, end, stanza sentence) for narrative words and quotations, in text order.

    A quotation's extent includes its marks; words overlapping it are swallowed by it."""
    spans = [(q.start - 1, q.end + (1 if q.closed else 0)) for q in quotes]
    result: list[tuple[Item, int, int, int]] = []
    quote_index = 0
    for index, word in enumerate(words):
        while quote_index < len(spans) and spans[quote_index][1] <= word.start:
            result.append((Item(quote=quote_index), *spans[quote_index], word.sentence))
            quote_index += 1
        if quote_index < len(spans) and spans[quote_index][0] < word.end:
            continue  # inside (or on a mark of) the quotation
        result.append((Item(word=index), word.start, word.end, word.sentence))
    last_sentence = words[-1].sentence if words else 0
    for remaining in range(quote_index, len(spans)):
        result.append((Item(quote=remaining), *spans[remaining], last_sentence))
    return result


def _narrative_sentence_ends(
    text: str, previous_end: int, start: int, stanza_break: bool, previous_stop: bool
) -> bool:
    """A sentence ends between two items when the narrative before the gap ends with . ! ?
    (looking through closing marks) and stanza agrees, or a lone full stop is followed by a
    capital or an opening mark. (Paragraph breaks are handled by the caller.)"""
    if not stanza_break:
        return previous_stop and _starts_sentence(text, start)
    position = previous_end - 1
    while position >= 0 and (text[position] in CLOSERS or text[position].isspace()):
        position -= 1
    return position >= 0 and text[position] in SENTENCE_FINAL


def _is_full_stop(text: str, item: Item, words: list[Word], quotes: list[QuoteSpan]) -> bool:
    """A lone . ! ? token, or a closed quotation whose own text ends with one."""
    if item.is_quote:
        quote = quotes[item.quote]
        return quote.closed and text[quote.end - 1] in SENTENCE_FINAL
    return words[item.word].text in SENTENCE_FINAL


def _starts_sentence(text: str, start: int) -> bool:
    char = text[start] if start < len(text) else ""
    return char.isupper() or char in "“\"‘'«"


def _frame(paragraph: int, items: list[Item], words: list[Word], quotes: list[QuoteSpan]) -> Frame:
    def bounds(item: Item) -> tuple[int, int]:
        if item.is_quote:
            q = quotes[item.quote]
            return q.start - 1, q.end + (1 if q.closed else 0)
        w = words[item.word]
        return w.start, w.end

    first, last = bounds(items[0]), bounds(items[-1])
    return Frame(paragraph=paragraph, items=list(items), start=max(0, first[0]), end=last[1])
