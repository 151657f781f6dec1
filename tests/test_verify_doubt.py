"""Verdicts that respect doubt: MISATTRIBUTED only when printings name another person with
confidence; claimed speakers matched in any form; queries too common to identify anything
(invented names and texts)."""

from __future__ import annotations

import pytest

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.verify.model import Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier
from tests.factories import StoreFactory

FERRY = "The ferry will run again before the winter storms arrive"
BRIDGE = "We will not rebuild the old bridge with borrowed money"
TIDE = "The tide tables were printed with the wrong year on them"


def _printing(
    store: SqlStore,
    body: str,
    quote: str,
    speaker: str | None,
    mention: str | None,
    confidence: float,
    sieve: str = "cue_subject",
) -> None:
    start = body.index(quote)
    made = AttributedQuote(
        text=quote,
        start=start,
        end=start + len(quote),
        kind=QuoteKind.DIRECT,
        speaker=speaker,
        speaker_kind=EntityKind.PERSON if speaker else None,
        speaker_aliases=(speaker,) if speaker else (),
        speaker_mention=mention,
        cue="said" if speaker else None,
        sieve=sieve,
        confidence=confidence,
        context=body,
    )
    store.add_article(Article(body, ArticleMeta()), ArticleQuotes((made,), ("tokenize",)))


@pytest.fixture(scope="module")
def verifier(module_store: StoreFactory) -> Verifier:
    store = module_store()
    # Named in the sentence, by two outlets, in two spellings.
    _printing(
        store,
        f'Mayor Dragan Zelenkoy said: "{FERRY}." He left.',
        FERRY,
        "Dragan Zelenkoy",
        "Mayor Dragan Zelenkoy",
        0.93,
    )
    _printing(
        store, f'"{FERRY}," Zelenkoyy said on the quay.', FERRY, "Zelenkoyy", "Zelenkoyy", 0.93
    )
    # Two printings that disagree about who said it.
    _printing(
        store,
        f'Ilsa Marovic said: "{BRIDGE}." The vote is Friday.',
        BRIDGE,
        "Ilsa Marovic",
        "Ilsa Marovic",
        0.93,
    )
    _printing(
        store,
        f'Tomas Velland said: "{BRIDGE}." The vote is Friday.',
        BRIDGE,
        "Tomas Velland",
        "Tomas Velland",
        0.93,
    )
    # A pronoun attribution, with another person named just before.
    _printing(
        store,
        f'Harbour master Oren Talvik spoke after Ilsa Marovic left. "{TIDE}," he said.',
        TIDE,
        "Ilsa Marovic",
        "he",
        0.8,
        sieve="pronoun",
    )
    return Verifier(store)


@pytest.mark.parametrize(
    "claimed", ["Dragan Zelenkoy", "Zelenkoi", "D. Zelenkoy", "Mayor Zelenkoyy", "DRAGAN ZELENKÖY"]
)
def test_the_claimed_speaker_in_any_spelling_is_verified(verifier: Verifier, claimed: str) -> None:
    result = verifier.verify(VerifyQuery(FERRY, claimed))
    assert result.verdict is Verdict.VERIFIED, result.explanation


def test_a_confidently_named_other_person_is_misattributed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(FERRY, "Petra Holm"))
    assert result.verdict is Verdict.MISATTRIBUTED


def test_another_person_with_the_same_surname_is_misattributed(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(FERRY, "Ivan Zelenkoy"))
    assert result.verdict is Verdict.MISATTRIBUTED


def test_printings_that_disagree_are_not_a_misattribution(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(BRIDGE, "Petra Holm"))
    assert result.verdict is Verdict.UNATTRIBUTED
    assert "disagree" in result.explanation


def test_one_printing_for_the_claimed_speaker_verifies_with_less_confidence(
    verifier: Verifier,
) -> None:
    both = verifier.verify(VerifyQuery(BRIDGE, "Tomas Velland"))
    single = verifier.verify(VerifyQuery(FERRY, "Dragan Zelenkoy"))
    assert both.verdict is Verdict.VERIFIED
    assert both.confidence < single.confidence
    assert "disagree" in both.explanation


def test_a_pronoun_attribution_near_the_claimed_person_is_doubt(verifier: Verifier) -> None:
    near = verifier.verify(VerifyQuery(TIDE, "Oren Talvik"))
    assert near.verdict is Verdict.UNATTRIBUTED
    far = verifier.verify(VerifyQuery(TIDE, "Petra Holm"))
    assert far.verdict is Verdict.MISATTRIBUTED


def test_a_near_name_of_the_speaker_is_doubt_not_misattribution(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(FERRY, "Dragan Zelenkov"))
    assert result.verdict is Verdict.UNATTRIBUTED


@pytest.mark.parametrize("query", ["the", "a", "OR", "is", "we will", "it is the"])
def test_queries_of_function_words_are_not_found(verifier: Verifier, query: str) -> None:
    for claimed in (None, "Dragan Zelenkoy", "Petra Holm"):
        result = verifier.verify(VerifyQuery(query, claimed))
        assert result.verdict is Verdict.NOT_FOUND, (query, claimed)


def test_one_word_inside_a_longer_printing_is_not_found(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery("ferry", "Dragan Zelenkoy"))
    assert result.verdict is Verdict.NOT_FOUND


def test_a_description_as_claimed_speaker_is_not_a_misattribution(verifier: Verifier) -> None:
    result = verifier.verify(VerifyQuery(FERRY, "the harbour master"))
    assert result.verdict is Verdict.UNATTRIBUTED
    assert "description" in result.explanation


def test_a_name_typed_in_lower_case_is_still_a_name(verifier: Verifier) -> None:
    assert verifier.verify(VerifyQuery(FERRY, "petra holm")).verdict is Verdict.MISATTRIBUTED
    assert verifier.verify(VerifyQuery(FERRY, "dragan zelenkoi")).verdict is Verdict.VERIFIED


def test_a_near_printing_by_the_claimed_speaker_in_another_utterance_is_doubt(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    said = "The night ferry to the islands stops running in October"
    reworded = "The night ferry to the islands stops running in early October"
    _printing(
        store,
        f'Ilsa Marovic said: "{said}." Then she left.',
        said,
        "Ilsa Marovic",
        "Ilsa Marovic",
        0.93,
    )
    _printing(
        store,
        f'Tomas Velland said: "{reworded}." Then he left.',
        reworded,
        "Tomas Velland",
        "Tomas Velland",
        0.93,
    )
    verifier = Verifier(store)
    exact = verifier.verify(VerifyQuery(said))
    assert exact.verdict is Verdict.VERIFIED
    assert len(exact.variants) == 1  # the two printings are two utterances
    result = verifier.verify(VerifyQuery(said, "Tomas Velland"))
    assert result.verdict is Verdict.UNATTRIBUTED, result.explanation
    assert "another printing" in result.explanation
    # Neither printing names the claimed person: that is a misattribution.
    assert verifier.verify(VerifyQuery(said, "Petra Holm")).verdict is Verdict.MISATTRIBUTED


ORCHARD = "a pear tree outlives the hand that grafts it"
RELAYED = f"As Professor Halvard Quist taught me, ‘{ORCHARD},’ and so we graft every spring"
APPEAL = "We will take this fine to the appeal court and we will win"


def _relaying_verifier() -> Verifier:
    """A speaker quoting someone inside their own quotation, and a spokeswoman speaking
    for a company; each printing names its speaker in its sentence, with confidence."""
    store = SqliteStore(":memory:")
    _printing(store, f"“{RELAYED},” said Wren Abernethy-Sol.", RELAYED, "Wren Abernethy-Sol",
              "Wren Abernethy-Sol", 0.93)  # fmt: skip
    _printing(
        store,
        f"“{APPEAL},” said Idunn Marchbank, a spokeswoman for Tollgate Ferries.",
        APPEAL,
        "Idunn Marchbank",
        "Idunn Marchbank",
        0.93,
    )
    return Verifier(store)


def test_words_a_speaker_quotes_as_someone_elses_are_not_misattributed_to_them() -> None:
    verifier = _relaying_verifier()
    for claimed in ("Halvard Quist", "Professor Quist"):
        result = verifier.verify(VerifyQuery(ORCHARD, claimed))
        assert result.verdict is Verdict.UNATTRIBUTED, (claimed, result.explanation)
        assert "inside their own quotation" in result.explanation
    # Someone the printing does not name is still a misattribution; the speaker verifies.
    assert verifier.verify(VerifyQuery(ORCHARD, "Petra Holm")).verdict is Verdict.MISATTRIBUTED
    assert verifier.verify(VerifyQuery(ORCHARD, "Wren Abernethy-Sol")).verdict is Verdict.VERIFIED


def test_a_spokespersons_words_are_not_misattributed_to_the_organisation() -> None:
    verifier = _relaying_verifier()
    result = verifier.verify(VerifyQuery(APPEAL, "Tollgate Ferries"))
    assert result.verdict is Verdict.UNATTRIBUTED, result.explanation
    assert "spokesperson for Tollgate Ferries" in result.explanation
    assert verifier.verify(VerifyQuery(APPEAL, "Harbour Ferries")).verdict is Verdict.MISATTRIBUTED
