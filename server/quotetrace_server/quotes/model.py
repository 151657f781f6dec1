"""Quotation spans found by quote marks, before anyone is attributed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteSpan:
    """Text between an opening mark and its closing mark (or paragraph end if unclosed)."""

    start: int  # first character inside the opening mark
    end: int  # one past the last character before the closing mark
    open_mark: str
    closed: bool  # False when the paragraph ended before a closing mark
    depth: int = 0  # 0 = top level; 1 = inside another quotation, and so on
