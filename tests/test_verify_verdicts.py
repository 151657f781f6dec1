"""Verdict semantics (issue 13): differences of form are VERIFIED with each listed, a changed
word is ALTERED, a verdict's confidence never contradicts it, a filter that hides printings
says so, and NOT_FOUND shows the closest printing.

A small hand-made index of invented quotations (tests/factories.py), dated and placed in
outlets, so filters have something to hide.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import ArticleMeta
from quotetrace_server.verify.model import DifferenceKind, Verdict, VerifyQuery, VerifyResult
from quotetrace_server.verify.verifier import (
    CONFIDENCE_FLOOR,
    HIDDEN_NOT_FOUND_CONFIDENCE,
    SLIP_CERTAINTY,
    Verifier,
    rests_on_slip,
)

try:  # tests/ as a package or as a plain folder on sys.path
    from .factories import add_said  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from factories import add_said  # type: ignore[no-redef, import-not-found, unused-ignore]

LANTERNS = (
    "We’ll light the purple lanterns beneath the quiet harbour, and I’m certain they won’t fade."
)
TIDES = "The tides obey nobody in this parliament, whatever the minister promises tonight."
ORCHARD = "Our orchard grows apricots that taste of thunder and old copper."
# (quote, speaker, outlet, date, place): each printing is its own article.
PRINTINGS = [
    (LANTERNS, "Mara Okonkwo", "Harbour Gazette", "2024-03-02", "at the pier"),
    (LANTERNS, "Mara Okonkwo", "Valley Courier", "2024-03-05", "at the quay"),
    (LANTERNS, "Mara Okonkwo", None, None, "on the beach"),
    (TIDES, "Ivo Brandt", "Valley Courier", "2024-04-10", "in the chamber"),
    (TIDES, "Ivo Brandt", "Harbour Gazette", "2024-04-09", "in the lobby"),
    (ORCHARD, "Lena Falk", "Harbour Gazette", "2024-05-01", "in the orchard"),
    (ORCHARD, "Tom Reyes", "Valley Courier", "2024-05-02", "in the barn"),
]


def build_store() -> SqliteStore:
    store = SqliteStore(":memory:")
    for quote, speaker, outlet, date, place in PRINTINGS:
        meta = ArticleMeta(outlet=outlet, date=date, url=f"https://news.example/{place[3:]}")
        add_said(store, quote, speaker, place=place, meta=meta)
    return store


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(build_store())


def kinds(result: VerifyResult) -> list[DifferenceKind]:
    return [d.kind for d in result.variants[0].differences]


def test_a_contraction_expanded_is_verified_with_the_contraction_listed(
    verifier: Verifier,
) -> None:
    result = verifier.verify(VerifyQuery("I am certain they will not fade", "Mara Okonkwo"))
    assert result.verdict is Verdict.VERIFIED
    assert result.variants[0].equivalent and not result.variants[0].exact_match
    assert [(d.kind, d.query_text, d.variant_text) for d in result.variants[0].differences] == [
        (DifferenceKind.CONTRACTION, "I am", "I’m"),
        (DifferenceKind.CONTRACTION, "will not", "won’t"),
    ]
    assert "contraction" in result.explanation


def test_case_punctuation_and_quote_marks_are_verified_with_their_kinds(
    verifier: Verifier,
) -> None:
    result = verifier.verify(VerifyQuery('"the TIDES obey nobody in this parliament whatever"'))
    assert result.verdict is Verdict.VERIFIED
    assert kinds(result) == [DifferenceKind.CASE, DifferenceKind.PUNCTUATION]


def test_a_typo_is_verified_but_less_surely_than_the_exact_words(verifier: Verifier) -> None:
    slip = verifier.verify(VerifyQuery("light the purple lanterns beneath the quiet harbuor"))
    exact = verifier.verify(VerifyQuery("light the purple lanterns beneath the quiet harbour"))
    assert slip.verdict is exact.verdict is Verdict.VERIFIED
    assert kinds(slip) == [DifferenceKind.SPELLING]
    assert slip.confidence < exact.confidence
    assert slip.confidence <= SLIP_CERTAINTY


def test_a_real_word_change_stays_altered_with_the_word_listed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("light the purple candles beneath the quiet harbour"))
    assert result.verdict is Verdict.ALTERED
    assert not any(v.equivalent for v in result.variants)
    assert [(d.kind, d.query_text, d.variant_text) for d in result.variants[0].differences] == [
        (DifferenceKind.WORD, "candles", "lanterns")
    ]


def test_verified_confidence_never_falls_below_even_when_printings_disagree(
    verifier: Verifier,
) -> None:
    # Two printings name two speakers: the claimed one has half the support.
    result = verifier.verify(VerifyQuery(ORCHARD, "Lena Falk"))
    assert result.verdict is Verdict.VERIFIED
    assert result.confidence == CONFIDENCE_FLOOR


def test_a_filter_that_hides_every_printing_is_not_a_confident_not_found(
    verifier: Verifier,
) -> None:
    result = verifier.verify(VerifyQuery(TIDES, date_from="2025-01-01"))
    assert result.verdict is Verdict.NOT_FOUND
    assert result.printings_outside_filter == 2
    assert result.confidence == HIDDEN_NOT_FOUND_CONFIDENCE
    assert "2 printing(s) outside the date filter" in result.explanation


def test_a_filter_that_hides_some_printings_counts_them(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(LANTERNS, outlet="Valley Courier"))
    assert result.verdict is Verdict.VERIFIED
    assert result.printing_count == 1
    assert result.printings_outside_filter == 2
    assert "2 more printing(s) lie outside the outlet filter" in result.explanation


def test_without_a_filter_nothing_is_outside_it(verifier: Verifier) -> None:
    assert verifier.verify(VerifyQuery(LANTERNS)).printings_outside_filter == 0


def test_not_found_shows_the_closest_printing_and_its_speaker(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("the minister promises nobody anything in parliament"))
    assert result.verdict is Verdict.NOT_FOUND
    assert result.closest is not None
    assert result.closest.text == TIDES
    assert result.closest.speaker == "Ivo Brandt"
    assert 0.0 < result.closest_similarity < 0.8
    assert "Ivo Brandt" in result.explanation and "the closest is" in result.explanation


def test_not_found_with_nothing_scored_has_no_closest(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("zebras juggle marmalade"))
    assert result.verdict is Verdict.NOT_FOUND
    assert result.closest is None and result.closest_similarity == 0.0


# --- a verdict's confidence never contradicts it (docs/confidence.md) ---------------------

_QUOTES = [LANTERNS, TIDES, ORCHARD]
_SPEAKERS = [None, "Mara Okonkwo", "Okonkwo", "Ivo Brandt", "Lena Falk", "Nobody Known"]
_FILTERS = [
    {},
    {"outlet": "Harbour Gazette"},
    {"outlet": "Valley Courier"},
    {"outlet": "Nowhere Weekly"},
    {"date_from": "2024-04-01"},
    {"date_to": "2024-03-03"},
    {"date_from": "2030-01-01"},
]
_EDITS = ["none", "case", "punctuation", "slip", "word", "drop", "truncate", "stranger"]


def mutated(quote: str, edit: str, rng: random.Random) -> str:
    words = quote.split()
    i = rng.randrange(len(words))
    if edit == "case":
        words[i] = words[i].upper()
    elif edit == "punctuation":
        words = [w.strip(",.") for w in words]
    elif edit == "slip" and len(words[i]) > 2:
        w = words[i]
        j = rng.randrange(len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif edit == "word":
        words[i] = "zeppelin"
    elif edit == "drop" and len(words) > 2:
        words.pop(i)
    elif edit == "truncate":
        words = words[i : i + rng.randrange(1, len(words) + 1)]
    elif edit == "stranger":
        words = rng.sample(["marble", "seven", "quietly", "the", "rain", "owls"], 4)
    return " ".join(words)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_QUOTES),
    st.sampled_from(_EDITS),
    st.sampled_from(_SPEAKERS),
    st.sampled_from(_FILTERS),
    st.integers(0, 10_000),
)
def test_confidence_never_contradicts_the_verdict_over_random_queries(
    quote: str, edit: str, speaker: str | None, filters: dict[str, str], seed: int
) -> None:
    query = VerifyQuery(
        mutated(quote, edit, random.Random(seed)),
        speaker,
        outlet=filters.get("outlet"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    result = _VERIFIER.verify(query)
    assert CONFIDENCE_FLOOR <= result.confidence <= 1.0
    if result.verdict is Verdict.VERIFIED:
        equivalent = [v for v in result.variants if v.equivalent]
        assert equivalent
        assert all(d.kind is not DifferenceKind.WORD for v in equivalent for d in v.differences)
        if rests_on_slip(result.variants):
            assert result.confidence <= SLIP_CERTAINTY
    if result.verdict is Verdict.ALTERED:
        assert not any(v.equivalent for v in result.variants)
    if result.verdict is Verdict.NOT_FOUND:
        assert not result.variants
        if result.printings_outside_filter:
            assert result.confidence == HIDDEN_NOT_FOUND_CONFIDENCE
    else:
        assert result.closest is None
    if result.printings_outside_filter:
        assert filters


_VERIFIER = Verifier(build_store())


def test_a_slogan_two_people_chant_is_verified_for_each_of_them() -> None:
    """A short slogan printed under two names is two utterances (clustering keeps them
    apart); a claim naming either speaker is about that speaker's own printing."""
    store = SqliteStore(":memory:")
    add_said(store, "No rivers, no towns.", "Aino Kettunen", place="at the dam")
    add_said(store, "No rivers, no towns,", "Bastian Oduya", place="at the weir")
    verifier = Verifier(store)
    for speaker in ("Aino Kettunen", "Bastian Oduya"):
        for wording in ("No rivers, no towns.", "No rivers, no towns,"):
            result = verifier.verify(VerifyQuery(wording, speaker))
            assert result.verdict is Verdict.VERIFIED, (speaker, wording, result.explanation)
            assert [s.name for s in result.speakers] == [speaker]
    claimed_by_neither = verifier.verify(VerifyQuery("No rivers, no towns.", "Carla Mendez"))
    assert claimed_by_neither.verdict is Verdict.MISATTRIBUTED


def test_a_claim_in_another_house_style_is_verified_as_surely_as_the_printing() -> None:
    """ "organise" / "organize", "12" / "twelve", "5%" / "five per cent": the wording a
    claim copies from one outlet is verified against another's, without the doubt a
    one-letter slip carries."""
    store = SqliteStore(":memory:")
    printed = "We will organize twelve ferries and cut fares by five per cent."
    add_said(store, printed, "Aino Kettunen")
    verifier = Verifier(store)
    exact = verifier.verify(VerifyQuery(printed, "Aino Kettunen"))
    restyled = verifier.verify(
        VerifyQuery("We will organise 12 ferries and cut fares by 5%.", "Aino Kettunen")
    )
    assert restyled.verdict is Verdict.VERIFIED, restyled.explanation
    assert set(kinds(restyled)) == {DifferenceKind.SPELLING}
    assert not rests_on_slip(restyled.variants)
    assert restyled.confidence == exact.confidence
    other_figure = verifier.verify(
        VerifyQuery("We will organise 14 ferries and cut fares by 5%.", "Aino Kettunen")
    )
    assert other_figure.verdict is Verdict.ALTERED


def test_a_claim_that_drops_a_percent_sign_is_altered_not_verified() -> None:
    """ "5%" and "5" are different amounts: the sign is part of the wording, not
    punctuation a claim may leave out."""
    store = SqliteStore(":memory:")
    add_said(store, "Tolls on the bridge will rise by 5% from June.", "Aino Kettunen")
    verifier = Verifier(store)
    kept = verifier.verify(VerifyQuery("Tolls on the bridge will rise by 5% from June."))
    dropped = verifier.verify(VerifyQuery("Tolls on the bridge will rise by 5 from June."))
    assert kept.verdict is Verdict.VERIFIED, kept.explanation
    assert dropped.verdict is Verdict.ALTERED, dropped.explanation


# Two outlets cut one answer at different points: "S1 S2" and "S2 S3" (S2 re-transcribed).
RESCUE = "Ilse Marchetti-Obi"
REACHED = "We reached the flooded gallery at four in the morning."
AIR = "The air down there is better than we feared."
NOON = "We hope to bring the first two miners up before noon."


def _two_cuts() -> Verifier:
    store = SqliteStore(":memory:")
    add_said(store, f"{REACHED} {AIR}", RESCUE, place="at the pithead")
    add_said(store, f"The air down there is better than we had feared. {NOON}", RESCUE)
    add_said(store, "Nobody goes down again before the pumps are fixed.", RESCUE, place="later")
    return Verifier(store)


def test_a_claim_worded_like_either_cut_of_one_answer_lists_both_wordings() -> None:
    verifier = _two_cuts()
    for claim in (f"{REACHED} {AIR}", f"The air down there is better than we had feared. {NOON}"):
        result = verifier.verify(VerifyQuery(claim, RESCUE))
        assert result.verdict is Verdict.VERIFIED, result.explanation
        assert result.variant_count == 2 and result.printing_count == 2


def test_a_claim_running_across_two_cuts_of_one_answer_is_verified() -> None:
    """No outlet printed the whole answer; the claim is one cut's words continued by the
    other's where they overlap (a whole sentence here), so every word is printed."""
    verifier = _two_cuts()
    for claim in (f"{REACHED} {AIR} {NOON}", f"{AIR} {NOON}"):
        result = verifier.verify(VerifyQuery(claim, RESCUE))
        assert result.verdict is Verdict.VERIFIED, (claim, result.explanation)
        assert "runs across two printings" in result.explanation
        assert result.printing_count == 2


def test_a_claim_across_two_cuts_with_a_word_changed_or_a_gap_bridged_is_not_verified() -> None:
    """A changed word in the joined claim, or two pieces that do not overlap (the words
    between them, printed by no outlet in that place, left out), is not every word
    printed."""
    verifier = _two_cuts()
    changed = f"{REACHED} {AIR} We hope to bring the first three miners up before noon."
    bridged = f"{REACHED} {NOON}"
    for claim in (changed, bridged):
        result = verifier.verify(VerifyQuery(claim, RESCUE))
        assert result.verdict is not Verdict.VERIFIED, (claim, result.explanation)
