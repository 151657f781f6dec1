"""Issue 15, B7/B8: Verify's work and answer are bounded by the query, not by what is
printed: a long printing is diffed over a window, a widely reprinted quotation answers
with counts and a page of occurrences, an over-long printed text is cut."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

import pytest

from quotetrace_server.verify import diff as diff_module
from quotetrace_server.verify.diff import (
    DIFF_WINDOW_FACTOR,
    DIFF_WINDOW_SLACK,
    OMITTED,
    word_diff,
)
from quotetrace_server.verify.model import DiffOp


def _long_printing(words_each_side: int) -> str:
    left = " ".join(f"left{i}" for i in range(words_each_side))
    right = " ".join(f"right{i}" for i in range(words_each_side))
    return f"{left} We will win this fight, said Novak. {right}"


def test_a_long_printing_is_diffed_over_a_window_around_the_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(len(kwargs["b"]))
        return SequenceMatcher(*args, **kwargs)

    monkeypatch.setattr(diff_module, "SequenceMatcher", recording)
    query = "We will win this fight"
    segments = word_diff(query, _long_printing(20_000))
    assert seen == [DIFF_WINDOW_FACTOR * 5 + DIFF_WINDOW_SLACK]
    assert segments[0].variant_text == OMITTED and segments[-1].variant_text == OMITTED
    equal = [s for s in segments if s.op is DiffOp.EQUAL]
    assert [s.query_text for s in equal] == [query]
    assert sum(len(s.variant_text) for s in segments) < 1_000


def test_a_printing_within_the_window_is_diffed_whole() -> None:
    segments = word_diff("We will win", _long_printing(3))
    assert OMITTED not in [s.variant_text for s in segments]
    assert "left0" in segments[0].variant_text and "right2" in segments[-1].variant_text
