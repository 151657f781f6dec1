"""A remark printed as quotations split by its attribution, and claims carrying words of
their own (verify/joined.py, verify/editorial.py). Every sentence is invented."""

from __future__ import annotations

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.verify.editorial import without_insertions
from quotetrace_server.verify.joined import claimants_words_removed, is_attribution
from quotetrace_server.verify.model import Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier

S1 = "The orchard will stay open all winter,"
S2 = "and nobody who works there will lose a single shift."
SPLIT = f"“{S1}” said Oona Friedling, who runs the cooperative. “{S2}”"
APART = f"“{S1}” Friedling said. The board meets again in May. “{S2}”"


def _store(
    text: str, speakers: tuple[str | None, str | None] = ("Oona Friedling",) * 2
) -> SqliteStore:
    quotes = []
    for piece, speaker in zip((S1, S2), speakers, strict=True):
        start = text.index(piece)
        quotes.append(
            AttributedQuote(
                text=piece,
                start=start,
                end=start + len(piece),
                kind=QuoteKind.DIRECT,
                speaker=speaker,
                speaker_kind=EntityKind.PERSON if speaker else None,
                speaker_aliases=(speaker, speaker.split()[-1]) if speaker else (),
                speaker_mention=speaker,
                cue="said",
                sieve="test",
                confidence=0.9,
                context=text,
            )
        )
    store = SqliteStore(":memory:")
    store.add_article(
        Article(text, ArticleMeta(outlet="Fenland Post")), ArticleQuotes(tuple(quotes), ())
    )
    return store


def _verdict(store: SqliteStore, claim: str, claimed: str | None = None) -> Verdict:
    return Verifier(store).verify(VerifyQuery(claim, claimed)).verdict


def test_claim_across_quotations_split_by_their_attribution_is_verified() -> None:
    store = _store(SPLIT)
    result = Verifier(store).verify(VerifyQuery(f"{S1} {S2}", "Oona Friedling"))
    assert result.verdict is Verdict.VERIFIED
    assert result.printing_count == 2 and "split by its attribution" in result.explanation


def test_claim_across_a_split_naming_someone_else_is_misattributed() -> None:
    assert _verdict(_store(SPLIT), f"{S1} {S2}", "Piet Holmgaard") is Verdict.MISATTRIBUTED


def test_quotations_with_a_reporters_sentence_between_them_are_not_joined() -> None:
    assert _verdict(_store(APART), f"{S1} {S2}", "Oona Friedling") is not Verdict.VERIFIED


def test_quotations_of_two_speakers_are_not_joined() -> None:
    store = _store(SPLIT, ("Oona Friedling", "Piet Holmgaard"))
    assert _verdict(store, f"{S1} {S2}") is not Verdict.VERIFIED


def test_a_changed_word_across_the_split_is_not_verified() -> None:
    claim = f"{S1} and nobody who works there will lose a single day."
    assert _verdict(_store(SPLIT), claim, "Oona Friedling") is not Verdict.VERIFIED


def test_attribution_is_a_few_words_with_a_speech_verb_in_one_sentence() -> None:
    assert is_attribution("” she said. “")
    assert is_attribution("” said Dr. Ana Ruiz, who chairs the board. “")
    assert is_attribution("” “")
    assert not is_attribution("” she said. The board meets again in May. “")
    assert not is_attribution("” she said.\n\n“")
    assert not is_attribution("” and “")


def test_claims_own_attribution_and_inner_insertions_are_removed() -> None:
    assert (
        claimants_words_removed('"We stay," she said, "and we fight."') == "We stay, and we fight."
    )
    assert claimants_words_removed("We stay and we fight, Ruiz said.") == "We stay and we fight"
    assert claimants_words_removed("We [the growers] stay and fight") == "We stay and fight"
    assert claimants_words_removed("We stay and fight, according to Ruiz") == "We stay and fight"
    assert claimants_words_removed('Ruiz said: "We stay and fight."') == "We stay and fight."
    assert claimants_words_removed('"We stay and fight."') is None
    assert claimants_words_removed('We "stay" and fight') is None
    assert claimants_words_removed("We stay and fight, and we win") is None
    assert claimants_words_removed("[The growers] stay and fight") is None


def test_insertions_holding_a_negation_are_never_set_aside() -> None:
    assert without_insertions("I will [never] support it") is None
    assert without_insertions("It [the tablet] was never meant") == "It was never meant"


def test_quotation_marks_of_other_house_styles_set_the_claimants_words_apart() -> None:
    assert (
        claimants_words_removed("« We stay », said Ruiz, « and we fight »")
        == "We stay and we fight"
    )
    assert claimants_words_removed("„We stay and fight“, Ruiz said") == "We stay and fight"
    assert claimants_words_removed("‹We stay and fight›, she said") == "We stay and fight"
    assert claimants_words_removed("「We stay and fight」") is None


def test_a_headline_name_and_colon_before_the_quotation_are_the_claimants() -> None:
    assert claimants_words_removed('Ruiz: "We stay and fight."') == "We stay and fight."
    assert claimants_words_removed("Dr Ana de la Ruiz: “We stay and fight”") == "We stay and fight"
    assert claimants_words_removed('Growers are angry: "We stay and fight"') is None
    assert claimants_words_removed('Rowing at dawn: "We stay and fight"') is None


def test_a_claim_in_headline_form_is_verified_across_the_split() -> None:
    claim = f"Friedling: “{S1} {S2}”"
    assert _verdict(_store(SPLIT), claim, "Oona Friedling") is Verdict.VERIFIED
