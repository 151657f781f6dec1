"""Verify on claim shapes the probe's round 3 added (tests/data/verify_probe.jsonl): a run
cut from a printing that negates or hedges it, a claimed speaker given by a familiar
form or another transliteration of the given name, a short phrase two people both said,
printings that disagree about the speaker, a claim pasted with a post's marks or its
source's credit, an amount written as a figure or in words; and round 4's number words
that the printing writes as figures ("five to ten per cent" / "5-10%") and names it writes
as initials ("the United States" / "the U.S."). Every sentence and name here is
invented."""

from __future__ import annotations

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.numbers import amount
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.verify.amounts import in_figures, respelt
from quotetrace_server.verify.claimed_name import given_name_form, same_given_name
from quotetrace_server.verify.debris import without_debris
from quotetrace_server.verify.model import Verdict, VerifyQuery, VerifyResult
from quotetrace_server.verify.scope import dropped_limit
from quotetrace_server.verify.verifier import Verifier
from quotetrace_server.verify.wording import compare
from quotetrace_server.verify.written_forms import with_initials


def _store(*printings: tuple[str, str, str]) -> SqliteStore:
    """One article per (outlet, quotation, speaker)."""
    store = SqliteStore(":memory:")
    for outlet, quote, speaker in printings:
        text = f"The hearing went on late. “{quote}” {speaker} said."
        start = text.index(quote)
        attributed = AttributedQuote(
            text=quote,
            start=start,
            end=start + len(quote),
            kind=QuoteKind.DIRECT,
            speaker=speaker,
            speaker_kind=EntityKind.PERSON,
            speaker_aliases=(speaker, speaker.split()[-1]),
            speaker_mention=speaker,
            cue="said",
            sieve="test",
            confidence=0.9,
            context=text,
        )
        store.add_article(
            Article(text, ArticleMeta(outlet=outlet)), ArticleQuotes((attributed,), ())
        )
    return store


def _verify(store: SqliteStore, claim: str, claimed: str | None) -> VerifyResult:
    return Verifier(store).verify(VerifyQuery(claim, claimed))


DOUBT = "I do not think the lock gates will hold through another wet winter."
HEDGED = "The canal is probably deep enough for the larger barges, but only just."


def test_a_run_cut_from_after_a_negation_in_its_clause_is_not_verified() -> None:
    store = _store(("Wharf Weekly", DOUBT, "Cressida Pomeroy-Lund"))
    result = _verify(store, "the lock gates will hold through another wet winter", "Pomeroy-Lund")
    assert result.verdict is Verdict.ALTERED
    assert "not" in result.explanation and result.confidence < 0.9
    # The cut claim does not stand for the printed wording: no variant is listed as equivalent.
    assert result.variants and not any(v.equivalent for v in result.variants)
    said = _verify(store, "“The lock gates will hold,” she said", "Cressida Pomeroy-Lund")
    assert said.verdict is Verdict.ALTERED  # the claim's own attribution set aside first


def test_a_run_cut_from_after_a_hedge_in_its_clause_is_not_verified() -> None:
    store = _store(("Wharf Weekly", HEDGED, "Cressida Pomeroy-Lund"))
    result = _verify(store, "deep enough for the larger barges", "Cressida Pomeroy-Lund")
    assert result.verdict is Verdict.ALTERED


def test_a_run_after_a_clause_break_or_keeping_its_negation_is_verified() -> None:
    printed = "Nobody believed us, but the lock gates held through the wettest winter yet."
    store = _store(("Wharf Weekly", printed, "Cressida Pomeroy-Lund"))
    after_break = _verify(store, "the lock gates held through the wettest winter", "Pomeroy-Lund")
    assert after_break.verdict is Verdict.VERIFIED
    store = _store(("Wharf Weekly", DOUBT, "Cressida Pomeroy-Lund"))
    kept = _verify(store, "I do not think the lock gates will hold", "Cressida Pomeroy-Lund")
    assert kept.verdict is Verdict.VERIFIED


def test_a_printing_that_prints_the_run_without_the_negation_keeps_it_verified() -> None:
    store = _store(
        ("Wharf Weekly", DOUBT, "Cressida Pomeroy-Lund"),
        ("Towpath News", "The lock gates will hold through another wet winter.", "Ivo Strand"),
    )
    result = _verify(store, "the lock gates will hold through another wet winter", "Ivo Strand")
    assert result.verdict is Verdict.VERIFIED


def test_dropped_limit_reads_only_the_runs_own_clause() -> None:
    assert dropped_limit("the gates will hold", "I doubt the gates will hold.") == "doubt"
    assert (
        dropped_limit("the gates will hold", "We never said so, but the gates will hold.") is None
    )
    assert dropped_limit("the gates will hold", "Surely the gates will hold.") is None
    # Not a run of the printing word for word: nothing to say.
    assert dropped_limit("the gates may hold", "I do not think the gates will hold.") is None


def test_a_familiar_or_transliterated_given_name_answers_for_the_speaker() -> None:
    assert same_given_name("bill", "william") and same_given_name("mohammed", "muhammad")
    assert not same_given_name("mahmoud", "mohammed")
    assert given_name_form("Bill Tremayne", ("William Tremayne",)) == "William Tremayne"
    assert given_name_form("Yevgenia Sorokina", ("Evgenia Sorokina",)) == "Evgenia Sorokina"
    assert given_name_form("Bill Tremayne", ("William Tremlett",)) is None
    assert given_name_form("Tremayne", ("William Tremayne",)) is None  # a bare name: identity's


def test_a_claim_naming_the_speaker_by_a_familiar_name_is_verified_not_misattributed() -> None:
    quote = "Every lock on this stretch was rebuilt by hand, stone by stone."
    store = _store(("Wharf Weekly", quote, "Robert Ellingham-Szabo"))
    assert _verify(store, quote, "Bob Ellingham-Szabo").verdict is Verdict.VERIFIED
    assert _verify(store, quote, "Nadia Ellingham-Szabo").verdict is Verdict.MISATTRIBUTED


def test_a_short_phrase_two_people_said_is_verified_for_each_of_them() -> None:
    store = _store(
        (
            "Wharf Weekly",
            "We will need a great deal more patience from the boat owners.",
            "Ivo Strand",
        ),
        (
            "Towpath News",
            "They showed a great deal more patience than the lock keepers.",
            "Oona Tarrant",
        ),
    )
    for speaker in ("Ivo Strand", "Oona Tarrant"):
        result = _verify(store, "a great deal more patience", speaker)
        assert result.verdict is Verdict.VERIFIED and result.speakers[0].name == speaker
    third = _verify(store, "a great deal more patience", "Cressida Pomeroy-Lund")
    assert third.verdict is not Verdict.VERIFIED


def test_printings_that_disagree_verify_the_claimed_one_first_and_less_surely() -> None:
    quote = "Without the new sluice the lower fields would be under water by now."
    store = _store(("Wharf Weekly", quote, "Ivo Strand"), ("Towpath News", quote, "Oona Tarrant"))
    for speaker in ("Ivo Strand", "Oona Tarrant"):
        result = _verify(store, quote, speaker)
        assert result.verdict is Verdict.VERIFIED and result.speakers[0].name == speaker
        assert result.confidence < 0.9
    assert _verify(store, quote, "Cressida Pomeroy-Lund").verdict is Verdict.UNATTRIBUTED


def test_post_marks_emoji_and_a_source_credit_are_set_aside() -> None:
    assert (
        without_debris("RT @lockwatch: “The gates will hold” 🙄🔥 #canal")
        == "“The gates will hold”"
    )
    assert (
        without_debris("The gates will hold https://t.example/x @towpath") == "The gates will hold"
    )
    assert without_debris("“The gates will hold” (Kestrel Wire)") == "“The gates will hold”"
    assert without_debris("The gates will hold - The Towpath News") == "The gates will hold"


def test_words_that_may_be_the_speakers_stay() -> None:
    assert without_debris("we are #1 on this canal") is None  # a tag inside the quotation
    assert without_debris("The gates will hold (for now)") is None  # lower case: speech
    assert without_debris("The gates will hold - Not Ever") is None  # function words
    assert without_debris("The gates will hold") is None


def test_a_pasted_post_is_verified_on_the_quotations_words() -> None:
    store = _store(("Wharf Weekly", DOUBT, "Cressida Pomeroy-Lund"))
    post = f"RT @lockwatch: “{DOUBT}” 😬 #canal #winter"
    result = _verify(store, post, "Cressida Pomeroy-Lund")
    assert result.verdict is Verdict.VERIFIED and "Set aside" in result.explanation
    credited = _verify(store, f"{DOUBT} - The Towpath News", "Cressida Pomeroy-Lund")
    assert credited.verdict is Verdict.VERIFIED


def test_one_amount_written_as_figure_or_words_is_the_same_words() -> None:
    same = [
        ("We moored 200 boats", "We moored two hundred boats"),
        ("a 5,000 tonne hull", "a five thousand tonne hull"),
        ("a $2 billion lock", "a $2bn lock"),
        ("a 2 billion dollar lock", "a $2bn lock"),
        ("a £3m refit", "a 3 million pounds refit"),
    ]
    for claim, printed in same:
        assert compare(claim, printed).equivalent, (claim, printed)
    assert amount(("$2bn",)) == amount(("2", "billion", "dollars"))


def test_another_amount_or_a_dropped_percent_sign_is_a_changed_word() -> None:
    assert not compare("We moored 300 boats", "We moored two hundred boats").equivalent
    assert not compare("a $3bn lock", "a $2bn lock").equivalent
    assert not compare("a 2 billion pound lock", "a $2bn lock").equivalent
    assert not compare("forty of the boats", "40% of the boats").equivalent


def test_a_claim_whose_figure_the_printing_writes_in_words_is_found() -> None:
    assert respelt("We moored 5,000 boats.") == "We moored five thousand boats."
    assert respelt("Built in 1887") is None  # a year is not written in words
    printed = "We moored five thousand boats on this canal last summer."
    store = _store(("Wharf Weekly", printed, "Ivo Strand"))
    result = _verify(store, "We moored 5,000 boats on this canal", "Ivo Strand")
    assert result.verdict is Verdict.VERIFIED


def test_a_claim_whose_number_words_the_printing_writes_as_figures_is_found() -> None:
    assert in_figures("tolls rise by five to ten per cent") == "tolls rise by 5 to 10%"
    assert in_figures("twenty-five percent, she said") == "25%, she said"
    assert in_figures("tolls rise, she said") is None
    printed = "Lock tolls will rise by 5-10% from April, and the towpath will close."
    store = _store(("Wharf Weekly", printed, "Ivo Strand"))
    result = _verify(store, "Lock tolls will rise by five to ten per cent from April", "Ivo Strand")
    assert result.verdict is Verdict.VERIFIED, result.explanation
    changed = _verify(store, "Lock tolls will rise by five to fifteen per cent from April", None)
    assert changed.verdict is not Verdict.VERIFIED


def test_a_claim_writing_out_a_name_the_printing_abbreviates_is_found_altered() -> None:
    claim = "The United States and the European Union have asked us to wait"
    assert with_initials(claim) == "The US and the EU have asked us to wait"
    assert with_initials("we met the lock keeper, Ruiz") is None
    printed = "The U.S. and the E.U. have asked us to wait for the lock report, and we will."
    store = _store(("Wharf Weekly", printed, "Ivo Strand"))
    result = _verify(store, claim, "Ivo Strand")
    assert result.verdict is Verdict.ALTERED, result.explanation
    assert result.speakers[0].name == "Ivo Strand"
