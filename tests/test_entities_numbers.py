"""One reader of numbers and amounts (entities.numbers) for every stage: clustering's
lemma key (index.similarity), Verify's amounts and house-style spellings (verify.amounts,
verify.wording) and the figures a claim states (verify.semantic) read a phrase to the same
number, and where a word key and an amount have always read apart, the difference is the
one the reader's docstring names. Every phrase here is invented."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quotetrace_server.entities.numbers import amount, in_words, number_figure
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.verify.semantic import numbers
from quotetrace_server.verify.wording import variant_form


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("twelve", 12),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("five thousand", 5_000),
        ("two hundred thousand", 200_000),
        ("3 million", 3_000_000),
        ("1.5 million", 1_500_000),
        ("forty billion", 40_000_000_000),
    ],
)
def test_amounts_and_the_clustering_key_read_a_phrase_to_the_same_number(
    phrase: str, value: int
) -> None:
    words = tuple(phrase.split())
    assert amount(words) == (None, Fraction(value))
    assert lemma_key(words) == (str(value),)


@pytest.mark.parametrize("word", ["twelve", "twenty-five", "ninety", "dozen"])
def test_every_word_key_folds_a_number_word_to_the_one_figure(word: str) -> None:
    figure = number_figure(word)
    assert figure is not None
    assert lemma_key((word,)) == (figure,)
    assert variant_form(word) == (figure,)
    assert amount((word,)) == (None, Fraction(int(figure)))


def test_a_stated_figure_is_read_by_the_same_word_reader() -> None:
    assert numbers(["eleven", "ferries", "and", "40", "crews"]) == {"11", "40"}
    # Part by part, as the docstring names: "twenty-five" states 20 and 5 here.
    assert numbers(["twenty-five"]) == {"20", "5"}


def test_where_a_key_and_an_amount_read_apart_it_is_the_named_difference() -> None:
    # A key now reads "two thousand five hundred" as the amount does (2500).
    assert lemma_key(("two", "thousand", "five", "hundred")) == ("2500",)
    assert amount(("two", "thousand", "five", "hundred")) == (None, Fraction(2_500))
    # A key joins a whole hundred and a number under 100 with "and"; an amount has no "and".
    assert lemma_key(("two", "hundred", "and", "five")) == ("205",)
    assert amount(("two", "hundred", "and", "five")) is None
    # Scale suffixes, currencies and "trillion" are read in an amount only.
    assert (
        amount(("$2tn",))
        == amount(("2", "trillion", "dollars"))
        == ("dollar", Fraction(2 * 10**12))
    )
    assert lemma_key(("2", "trillion")) == ("2", "trillion")


@pytest.mark.parametrize("value", [7, 25, 300, 5_000, 64_000, 3_000_000, 90_000_000_000])
def test_a_number_written_in_words_reads_back_to_itself(value: int) -> None:
    written = in_words(value)
    assert written is not None
    assert amount(tuple(written.split())) == (None, Fraction(value))


def test_no_number_is_written_with_a_scale_the_word_keys_cannot_read() -> None:
    assert in_words(4 * 10**12) is None
