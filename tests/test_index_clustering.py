"""Utterance clustering: variants of one saying meet, different sayings stay apart."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.evaluation.verification import evaluate_clustering
from quotetrace_server.index.clustering import QuoteSketch, link_reason
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sqlite_store import SqliteStore, lead_words
from quotetrace_server.ingest.model import Article
from quotetrace_server.verify.normalize import normalize, words

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_gold import GOLD, gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import GOLD, gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]

PUTIN, KIM = 1, 2


def sketch(text: str, speaker: int | None, lead: str = "") -> QuoteSketch:
    w = words(normalize(text))
    return QuoteSketch(w, lemma_key(w), lemma_key(words(normalize(lead))), speaker)


def test_identical_long_quotes_meet_whoever_was_named() -> None:
    text = "The glory to Russia will be immortal."
    assert link_reason(sketch(text, PUTIN), sketch(text, KIM)) == "identical"


def test_identical_short_quotes_of_different_speakers_stay_apart() -> None:
    assert link_reason(sketch("sacred fight", PUTIN), sketch("sacred fight", KIM)) is None


def test_inserted_word_is_near_identical() -> None:
    a = sketch("That’s why we came here", PUTIN)
    b = sketch("That’s exactly why we came here.", PUTIN)
    assert link_reason(a, b) == "near-identical"


def test_near_identical_needs_compatible_speakers() -> None:
    a = sketch("That’s why we came here", PUTIN)
    b = sketch("That’s exactly why we came here.", KIM)
    assert link_reason(a, b) is None
    assert link_reason(a, sketch("That’s exactly why we came here.", None)) == "near-identical"


def test_fragment_inside_longer_printing_of_same_speaker_is_contained() -> None:
    long = sketch("The Russian army will win against a great evil that claims hegemony", KIM)
    assert link_reason(sketch("evil", KIM), long) == "contained"
    assert link_reason(sketch("evil", PUTIN), long) is None
    assert link_reason(sketch("evil", None), long) is None  # one word is too little alone


def test_fragment_with_a_dropped_word_is_fuzzy_contained() -> None:
    long = sketch("We’ll talk about all the issues, without haste. There is time,", PUTIN)
    assert link_reason(sketch("all issues,", PUTIN), long) == "fuzzy-contained"


def test_retranslated_quote_with_shared_lead_in_is_same_frame() -> None:
    a = sketch("all issues,", PUTIN, lead="They would discuss")
    b = sketch("discuss all topics.", PUTIN, lead="stated that they would")
    assert link_reason(a, b) == "same-frame"


def test_different_sayings_of_one_speaker_stay_apart() -> None:
    a = sketch(
        "I firmly believe that the heroic Russian army and people will brilliantly inherit"
        " their victories",
        KIM,
    )
    b = sketch("The Russian army and people will certainly win a great victory", KIM)
    assert link_reason(a, b) is None
    assert link_reason(sketch("very glad", PUTIN), sketch("I am glad to see you,", PUTIN)) is None


def test_lead_words_stop_at_the_sentence_start() -> None:
    text = "It rained. They would discuss “all issues,” he said."
    assert lead_words(text, text.index("all issues")) == ("they", "will", "discuss")


def test_lead_words_are_dropped_after_a_colon_or_comma() -> None:
    text = "Putin said: “That’s why we came here”. Mr. Putin replied, “That’s exactly why”."
    assert lead_words(text, text.index("That’s why")) == ()
    assert lead_words(text, text.index("That’s exactly")) == ()


def test_same_attribution_words_do_not_frame_different_quotes() -> None:
    a = sketch("know is", PUTIN)
    b = sketch("see was nothing that is new here", PUTIN)
    assert link_reason(a, b) is None


def test_gold_variant_clusters_are_recovered() -> None:
    store = SqliteStore(":memory:")
    corpus = gold_corpus()
    for article, quotes in corpus:
        store.add_article(article, quotes)
    report = evaluate_clustering(store, GOLD / "variants.jsonl", [a for a, _ in corpus])
    assert report.f1 >= 0.95, report


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::17])
def test_clusters_do_not_depend_on_ingest_order(order: tuple[int, ...]) -> None:
    store = SqliteStore(":memory:")
    corpus = gold_corpus()
    for i in order:
        store.add_article(*corpus[i])
    report = evaluate_clustering(store, Path(GOLD, "variants.jsonl"), [a for a, _ in corpus])
    assert report.f1 >= 0.95, report


def test_a_shared_fragment_does_not_chain_two_different_sayings() -> None:
    store = SqliteStore(":memory:")
    a = "Our people will never stop the sacred fight against the enemies of the nation."
    b = "The sacred fight is what our grandfathers started on the frozen river in winter."
    c = "He called it a “sacred fight”."
    for body, quote in ((a, a), (b, b), (c, "sacred fight")):
        start = body.index(quote)
        q = AttributedQuote(
            quote,
            start,
            start + len(quote),
            QuoteKind.DIRECT,
            "Kim Jong Un",
            EntityKind.PERSON,
            ("Kim Jong Un",),
            "Kim",
            "said",
            "test",
            0.9,
            body,
        )
        store.add_article(Article(body), ArticleQuotes((q,), ()))
    quotes, _ = store.list_quotes()
    assert len({q.utterance_id for q in quotes}) == 2  # the fragment joins one of them
