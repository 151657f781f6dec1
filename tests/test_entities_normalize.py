"""normalize(): the brief's normalisation, applied identically to queries and quotations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quotetrace_server.entities.normalize import index_terms, normalize, words


def test_curly_quotes_and_apostrophes_become_straight() -> None:
    assert normalize("“That’s it”") == "that's it"
    assert normalize("‘single’ marks") == "single' marks"


def test_ellipsis_character_becomes_three_dots() -> None:
    assert normalize("leadership… and we") == "leadership... and we"


def test_whitespace_is_collapsed_and_case_folded() -> None:
    assert normalize("  We  WILL\n\tgo ") == "we will go"


def test_leading_and_trailing_punctuation_is_dropped_inner_kept() -> None:
    assert normalize("“There are certain restrictions. Russia is following all of them,”") == (
        "there are certain restrictions. russia is following all of them"
    )


def test_nfkc_folds_compatibility_characters() -> None:
    assert normalize("ﬁnal ２０２３") == "final 2023"


def test_words_strip_edge_punctuation_of_each_word() -> None:
    assert words(normalize("develop (their presence in) space,")) == (
        "develop",
        "their",
        "presence",
        "in",
        "space",
    )


def test_index_terms_split_on_apostrophes() -> None:
    assert index_terms("that's why") == ("that", "s", "why")


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
