"""Verifier: verdicts exactly as the brief defines them, evidence, filters, thread safety."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.diff import word_diff
from quotetrace_server.verify.model import DifferenceKind, DiffOp, Verdict, VerifyQuery
from quotetrace_server.verify.verifier import (
    Verifier,
    decide_verdict,
    match_score,
    verdict_confidence,
)
from tests.factories import StoreFactory

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_gold import gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]


@pytest.fixture(scope="module")
def verifier(module_store: StoreFactory) -> Verifier:
    store = module_store()
    for article, quotes in gold_corpus():
        store.add_article(article, quotes)
    return Verifier(store)


def test_quote_pinned_on_the_wrong_leader_is_misattributed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here", "Kim Jong Un"))
    assert result.verdict is Verdict.MISATTRIBUTED
    assert [s.name for s in result.speakers] == ["Vladimir Putin"]
    outlets = dict(result.outlets)
    assert outlets["Daily Maverick"] == 1 and outlets["The Washington Times"] == 1
    assert sum(outlets.values()) == 4
    assert result.variants[0].exact_match
    texts = {v.text for v in result.variants}
    assert "That’s exactly why we came here." in texts


def test_outlets_say_only_what_the_text_supports(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here"))
    assert dict(result.outlets) == {
        "Daily Maverick": 1,
        "The Washington Times": 1,
        "via Reuters": 1,
        "(unstated)": 1,
    }


@pytest.mark.parametrize("claimed", [None, "Putin", "Mr. Putin", "President Vladimir Putin"])
def test_exact_wording_with_right_or_no_speaker_is_verified(
    verifier: Verifier, claimed: str | None
) -> None:
    result = verifier.verify(VerifyQuery("“That’s exactly why we came here.”", claimed))
    assert result.verdict is Verdict.VERIFIED
    assert 0.0 < result.confidence <= 1.0


def test_truncated_run_of_whole_words_is_verified(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("shows great interest in rocket engineering", "Putin"))
    assert result.verdict is Verdict.VERIFIED


def test_partial_word_is_not_a_whole_word_run(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("hat’s why we came here", "Putin"))
    assert result.verdict is Verdict.ALTERED


def test_reworded_quote_is_altered_with_a_word_diff(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s precisely why we came here", "Putin"))
    assert result.verdict is Verdict.ALTERED
    closest = result.variants[0]
    assert not closest.exact_match
    changed = [s for s in closest.diff if s.op is not DiffOp.EQUAL]
    assert any("precisely" in s.query_text for s in changed)


def test_misattribution_takes_precedence_over_alteration(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s precisely why we came here", "Kim"))
    assert result.verdict is Verdict.MISATTRIBUTED


def test_unknown_claimed_speaker_is_misattributed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here", "Joe Nobody"))
    assert result.verdict is Verdict.MISATTRIBUTED


def test_quote_no_printing_attributes_is_unattributed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("plant the flag of (North Korea) on the moon", "Kim"))
    assert result.verdict is Verdict.UNATTRIBUTED
    assert result.speakers == ()


def test_absent_quote_is_not_found(verifier: Verifier) -> None:
    result = verifier.verify(
        VerifyQuery("We will build a bridge to the moon by Christmas", "Putin")
    )
    assert result.verdict is Verdict.NOT_FOUND
    assert result.variants == () and result.speakers == ()


def test_empty_query_is_not_found(verifier: Verifier) -> None:
    assert verifier.verify(VerifyQuery(" “ ” ")).verdict is Verdict.NOT_FOUND


def test_outlet_filter_is_case_insensitive_and_limits_occurrences(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here", outlet="daily maverick"))
    assert result.outlets == (("Daily Maverick", 1),)
    reuters = verifier.verify(VerifyQuery("That’s why we came here", outlet="reuters"))
    assert dict(reuters.outlets) == {"Daily Maverick": 1, "via Reuters": 1}


def test_date_filter_excludes_undated_and_out_of_range_articles(verifier: Verifier) -> None:
    dated = verifier.verify(
        VerifyQuery("That’s why we came here", date_from="2023-09-13", date_to="2023-09-13")
    )
    assert sum(n for _, n in dated.outlets) == 2
    later = verifier.verify(VerifyQuery("That’s why we came here", date_from="2024-01-01"))
    assert later.verdict is Verdict.NOT_FOUND


def test_max_variants_caps_the_variants_returned(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here", max_variants=1))
    assert len(result.variants) == 1


def test_speaker_probabilities_sum_to_one(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("sacred fight"))
    assert result.speakers and abs(sum(s.probability for s in result.speakers) - 1.0) < 1e-3


def test_concurrent_verifies_agree_with_serial_ones(verifier: Verifier) -> None:
    queries = [
        VerifyQuery("That’s why we came here", "Kim Jong Un"),
        VerifyQuery("sacred fight", "Kim"),
        VerifyQuery("peaceful"),
        VerifyQuery("nothing like this was ever said"),
    ] * 10
    serial = [verifier.verify(q).verdict for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = [r.verdict for r in pool.map(verifier.verify, queries)]
    assert parallel == serial


def test_word_diff_marks_inserted_and_replaced_words() -> None:
    diff = word_diff("That’s why we came", "That’s exactly why we came here.")
    ops = [(s.op, s.query_text, s.variant_text) for s in diff]
    assert (DiffOp.INSERT, "", "exactly") in ops
    assert (DiffOp.INSERT, "", "here.") in ops


def test_match_score_rewards_containment_not_fragments() -> None:
    long = normalize("The leader of the DPRK shows great interest in rocket engineering")
    assert match_score("great interest in rocket engineering", long) == 100.0
    assert match_score(long, "peaceful") < 50.0


_LONG_QUOTES = [
    "The glory to Russia, which gave birth to the first space conquerors, will be immortal.",
    "To the best of our knowledge, North Korea has a very limited capacity to building satellites,",
    "China will be hardly too happy about Russia entering into what Chinese consider their"
    " monopoly territory,",
]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_LONG_QUOTES),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(["drop", "swap", "replace"]),
)
def test_an_altered_quote_is_never_verified(quote: str, seed: int, edit: str) -> None:
    rng = random.Random(seed)
    tokens = quote.split()
    i = rng.randrange(1, len(tokens) - 1)
    if edit == "drop":
        tokens.pop(i)
    elif edit == "swap":
        tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
    else:
        tokens[i] = "banana"
    altered = " ".join(tokens)
    if words(normalize(altered)) == words(normalize(quote)):
        return  # the edit swapped two equal words
    store = _shared_store()
    result = Verifier(store).verify(VerifyQuery(altered))
    assert result.verdict is not Verdict.VERIFIED


_STORE: list[SqliteStore] = []


def _shared_store() -> SqliteStore:
    if not _STORE:
        store = SqliteStore(":memory:")
        for article, quotes in gold_corpus():
            store.add_article(article, quotes)
        _STORE.append(store)
    return _STORE[0]


def test_short_query_needs_every_word_printed(verifier: Verifier) -> None:
    assert verifier.verify(VerifyQuery("We will win", "Kim")).verdict is Verdict.NOT_FOUND


def test_short_query_with_a_typo_is_verified_with_the_slip_listed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("sacred fihgt", "Kim Jong Un"))
    assert result.verdict is Verdict.VERIFIED
    assert [(d.kind, d.query_text) for d in result.variants[0].differences] == [
        (DifferenceKind.SPELLING, "fihgt")
    ]


def test_short_query_with_a_changed_word_is_altered(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("sacred fights", "Kim Jong Un"))
    assert result.verdict is Verdict.ALTERED


def test_words_dropped_from_the_middle_are_altered_not_missing(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("The Russian army will certainly win a great victory"))
    assert result.verdict is Verdict.ALTERED


def test_claimed_name_with_a_middle_name_matches_the_speaker(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("That’s why we came here", "Vladimir Vladimirovich Putin"))
    assert result.verdict is Verdict.VERIFIED


@pytest.mark.parametrize(
    ("exact", "attributed", "claimed_support", "expected"),
    [
        (True, True, None, Verdict.VERIFIED),
        (True, True, 1.0, Verdict.VERIFIED),
        (False, True, 0.4, Verdict.ALTERED),
        (True, True, 0.0, Verdict.MISATTRIBUTED),
        (False, True, 0.0, Verdict.MISATTRIBUTED),  # misattribution outranks alteration
        (True, False, 0.0, Verdict.UNATTRIBUTED),
        (False, False, None, Verdict.UNATTRIBUTED),
    ],
)
def test_decide_verdict_follows_the_brief(
    exact: bool, attributed: bool, claimed_support: float | None, expected: Verdict
) -> None:
    assert decide_verdict(exact, attributed, claimed_support) is expected


def test_confidence_stays_in_unit_interval_and_grows_with_support() -> None:
    low = verdict_confidence(Verdict.VERIFIED, 1.0, 0.3, 0.9)
    high = verdict_confidence(Verdict.VERIFIED, 1.0, 1.0, 0.9)
    assert 0.0 <= low < high <= 1.0


def test_verify_while_articles_are_ingested(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "index.db")
    verifier = Verifier(store)
    corpus = gold_corpus()
    stop = threading.Event()
    errors: list[BaseException] = []
    verdicts: list[Verdict] = []

    def ask() -> None:
        try:
            while not stop.is_set():
                verdicts.append(verifier.verify(VerifyQuery("That’s why we came here")).verdict)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=ask) for _ in range(3)]
    for t in readers:
        t.start()
    for article, quotes in corpus:
        store.add_article(article, quotes)
    stop.set()
    for t in readers:
        t.join()
    assert not errors
    assert set(verdicts) <= {Verdict.NOT_FOUND, Verdict.VERIFIED}
    assert verifier.verify(VerifyQuery("That’s why we came here")).verdict is Verdict.VERIFIED
    store.close()


def test_result_names_the_processors_behind_its_evidence(verifier: Verifier) -> None:
    assert verifier.verify(VerifyQuery("sacred fight")).processors == ("gold",)
