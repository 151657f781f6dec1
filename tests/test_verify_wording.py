"""verify/wording.py: differences of form keep a quote's words; a changed word does not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotetrace_server.verify.model import Difference, DifferenceKind, DiffOp, DiffSegment
from quotetrace_server.verify.wording import (
    compare,
    diff_differences,
    expansions,
    is_spelling_slip,
)

CASE = DifferenceKind.CASE
PUNCTUATION = DifferenceKind.PUNCTUATION
CONTRACTION = DifferenceKind.CONTRACTION
SPELLING = DifferenceKind.SPELLING
WORD = DifferenceKind.WORD

PRINTED = "We’ll talk about all the issues, without haste. I’m sure it won’t take long."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("we’ll talk about all the issues, without haste", []),
        ('"We\'ll talk about all the issues, without haste."', []),
        ("We will talk about all the issues, without haste", [(CONTRACTION, "We will", "We’ll")]),
        (
            "I am sure it will not take long",
            [(CONTRACTION, "I am", "I’m"), (CONTRACTION, "will not", "won’t")],
        ),
        ("talk about all the issues without haste", [(PUNCTUATION, "issues", "issues,")]),
        ("talk about ALL the issues, without haste", [(CASE, "ALL", "all")]),
        ("about all the issues, without hsate", [(SPELLING, "hsate", "haste")]),
        ("Im sure it won't take long", [(PUNCTUATION, "Im", "I’m")]),
    ],
)  # fmt: skip
def test_differences_of_form_keep_the_words(
    query: str, expected: list[tuple[DifferenceKind, str, str]]
) -> None:
    result = compare(query, PRINTED)
    assert result.equivalent
    got = [(d.kind, d.query_text, d.variant_text) for d in result.differences]
    assert got == expected


@pytest.mark.parametrize(
    "query",
    [
        "We shall talk about all the issues, without haste",  # a word changed
        "talk about the issues, without haste",  # a word dropped
        "talk about all the issues, without any haste",  # a word added
        "talk about all the issues, haste without",  # words re-ordered
        "about all the tissues, without haste",  # one letter, but "tissues" is a word
        "alk about all the issues",  # part of a word is not a whole-word run
    ],
)
def test_a_real_word_change_is_not_equivalent(query: str) -> None:
    assert not compare(query, PRINTED).equivalent


def test_one_spelling_slip_is_allowed_two_are_not() -> None:
    assert compare("about all the isues, without haste", PRINTED).equivalent
    assert not compare("about all the isues, without hsate", PRINTED).equivalent


@pytest.mark.parametrize(
    ("query", "printed", "slip"),
    [
        ("fihgt", "fight", True),  # two letters swapped
        ("goverment", "government", True),  # one dropped
        ("tread", "treat", False),  # both English words: a different word
        ("nite", "nine", False),  # too short to call a slip
        ("10500", "10600", False),  # digits: a different number
        ("fight", "fight", False),  # no difference at all
        ("fitgh", "fight", False),  # two edits
    ],
)
def test_a_spelling_slip_is_one_edit_in_a_longish_non_word(
    query: str, printed: str, slip: bool
) -> None:
    assert is_spelling_slip(query, printed) is slip


def test_a_contraction_spelled_without_its_apostrophe_that_is_a_word_is_a_different_word() -> None:
    assert not compare("we were going home", "we’re going home").equivalent
    assert not compare("well go home", "we’ll go home").equivalent
    assert not compare("it wont take long", "it won’t take long").equivalent  # "wont": a word
    assert compare("thats it", "that’s it").equivalent


def test_possessive_s_is_not_expanded_but_pronoun_s_is() -> None:
    assert expansions("Putin's") == ()
    assert ("it", "is") in expansions("it's")
    assert compare("it is done", "it's done").equivalent
    assert not compare("Putin is plan", "Putin's plan").equivalent


def test_solid_and_split_spellings_of_a_contraction_or_compound() -> None:
    assert [d.kind for d in compare("it cannot be", "it can't be").differences] == [CONTRACTION]
    split = compare("evasive, hair splitting, dodging", "evasive, hair-splitting, dodging")
    assert split.equivalent
    assert split.differences == (Difference(PUNCTUATION, "hair splitting", "hair-splitting"),)


def test_the_query_may_start_anywhere_unless_anchored() -> None:
    assert compare("without haste", PRINTED).equivalent
    assert not compare("without haste", PRINTED, anchored=True).equivalent
    assert compare("we will", "we'll", anchored=True).equivalent


def test_a_word_diff_is_classified_run_by_run() -> None:
    segments = (
        DiffSegment(DiffOp.INSERT, "", "…"),  # an excerpt's edge: not a difference
        DiffSegment(DiffOp.REPLACE, "We will", "We’ll"),
        DiffSegment(DiffOp.EQUAL, "talk about", "talk about"),
        DiffSegment(DiffOp.REPLACE, "some", "all the"),
        DiffSegment(DiffOp.DELETE, "urgent", ""),
        DiffSegment(DiffOp.EQUAL, "issues", "issues"),
        DiffSegment(DiffOp.INSERT, "", "without haste"),
    )
    assert diff_differences(segments) == (
        Difference(CONTRACTION, "We will", "We’ll"),
        Difference(WORD, "some", "all the"),
        Difference(WORD, "urgent", ""),
    )


_WORDS = st.sampled_from(
    ["we", "will", "talk", "about", "issues", "haste", "sure", "it", "long", "the", "Putin"]
)


@given(st.lists(_WORDS, min_size=1, max_size=12), st.data())
def test_any_run_of_a_wording_is_equivalent_and_a_changed_word_never_is(
    printed: list[str], data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(printed) - 1))
    end = data.draw(st.integers(start + 1, len(printed)))
    run = printed[start:end]
    assert compare(" ".join(run), " ".join(printed)).equivalent
    at = data.draw(st.integers(0, len(run) - 1))
    changed = [*run[:at], "zebra", *run[at + 1 :]]
    assert not compare(" ".join(changed), " ".join(printed)).equivalent


@pytest.mark.parametrize(
    ("query", "printed"),
    [
        ("they will organise a vote", "they will organize a vote"),
        ("the colour of the centre", "the color of the center"),
        ("we travelled to the theatre", "we traveled to the theater"),
        ("we have 12 boats and 2 cranes", "we have twelve boats and two cranes"),
        ("fares rise by 5% in May", "fares rise by five per cent in May"),
        ("fares rise by 5 percent in May", "fares rise by 5% in May"),
        ("fares rise by five percent in May", "fares rise by 5 per cent in May"),
        ("a twenty-five year plan", "a 25 year plan"),
        ("I learnt to read in a cosy room", "I learned to read in a cozy room"),
        ("the catalogue of the show", "the catalog of the show"),
    ],
)
def test_a_house_style_spelling_is_a_variant_not_a_slip(query: str, printed: str) -> None:
    """UK/US spellings and numbers as figures or words are the same words: listed as
    spelling, never counted against the one slip a query may have."""
    for a, b in ((query, printed), (printed, query)):
        result = compare(a, b)
        assert result.equivalent, (a, b)
        assert result.differences and all(d.kind is SPELLING for d in result.differences)
        assert result.spelling_slips == 0


def test_a_house_style_spelling_leaves_room_for_one_slip() -> None:
    result = compare("the fihgt for the centre goes on", "the fight for the center goes on")
    assert result.equivalent and result.spelling_slips == 1


@pytest.mark.parametrize(
    ("query", "printed"),
    [
        ("we have 13 boats", "we have twelve boats"),
        ("fares rise by 6% in May", "fares rise by five per cent in May"),
        ("fares rise by five in May", "fares rise by five per cent in May"),
        ("fares rise by 5 in May", "fares rise by 5% in May"),
        ("fares will rise by 5", "fares will rise by 5%"),
        ("well go home", "we’ll go home"),
    ],
)
def test_a_different_figure_or_a_dropped_sign_is_not_a_variant(query: str, printed: str) -> None:
    assert not compare(query, printed).equivalent


@pytest.mark.parametrize(
    ("query", "printed"),
    [
        ("prices rose by 5-10% last year", "prices rose by five to ten per cent last year"),
        ("the road is 12km long", "the road is twelve kilometres long"),
        ("the road is 12 km long", "the road is 12km long"),
        ("the bus leaves at 7 a.m. sharp", "the bus leaves at 7am sharp"),
        ("for the 1st time in a decade", "for the first time in a decade"),
        ("on the twenty-second of May", "on the 22nd of May"),
        ("we open on 9 October 2031", "we open on October 9, 2031"),
        ("we open on the 9th of October", "we open on October 9"),
        ("a fleet of 40 000 lanterns", "a fleet of 40,000 lanterns"),
        ("bread & roses for everyone", "bread and roses for everyone"),
    ],
)
def test_a_number_measure_or_date_in_another_house_style_is_the_same_words(
    query: str, printed: str
) -> None:
    """Ranges, measures, times, ordinals, dates, grouped figures and "&" as another
    outlet prints them: differences of form, no slip, no changed word."""
    for a, b in ((query, printed), (printed, query)):
        result = compare(a, b)
        assert result.equivalent, (a, b)
        assert result.spelling_slips == 0 and all(d.kind is not WORD for d in result.differences)


@pytest.mark.parametrize(
    ("query", "printed"),
    [
        ("prices rose by 5-15% last year", "prices rose by five to ten per cent last year"),
        ("prices rose by 5-10 last year", "prices rose by five to ten per cent last year"),
        ("the road is 12 miles long", "the road is twelve kilometres long"),
        ("the bus leaves at 7pm sharp", "the bus leaves at 7 a.m. sharp"),
        ("for the 2nd time in a decade", "for the first time in a decade"),
        ("we open on 9 November", "we open on 9 October"),
        ("we open on 8 October", "we open on October 9"),
        ("a fleet of 40 001 lanterns", "a fleet of 40,000 lanterns"),
    ],
)
def test_another_number_measure_or_date_is_a_changed_word(query: str, printed: str) -> None:
    assert not compare(query, printed).equivalent
    assert not compare(printed, query).equivalent
