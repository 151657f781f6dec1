"""Utterance clustering: variants of one saying meet, different sayings stay apart."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.evaluation.verification import evaluate_clustering
from quotetrace_server.index.clustering import (
    QuoteSketch,
    link_reason,
    links_nothing,
    one_typo_apart,
    spoken_words,
)
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.utterances import starts_mid_sentence
from quotetrace_server.index.sqlite_store import lead_words
from quotetrace_server.ingest.model import Article
from tests.factories import StoreFactory, said_quote

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_gold import GOLD, gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import GOLD, gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]

PUTIN, KIM = 1, 2


def sketch(text: str, speaker: int | None, lead: str = "") -> QuoteSketch:
    w = words(normalize(text))
    return QuoteSketch(w, lemma_key(w), lemma_key(words(normalize(lead))), speaker)


def test_identical_long_quotes_meet_whoever_was_named() -> None:
    text = "The new bridge will carry its first trains before the spring."
    assert link_reason(sketch(text, PUTIN), sketch(text, KIM)) == "identical"


def test_identical_short_quotes_of_different_speakers_stay_apart() -> None:
    assert link_reason(sketch("sacred fight", PUTIN), sketch("sacred fight", KIM)) is None
    # A stock phrase under 8 words is said by many people: two named speakers, two sayings.
    stock = "We will get through this together."
    assert link_reason(sketch(stock, PUTIN), sketch(stock, KIM)) is None
    assert link_reason(sketch(stock, PUTIN), sketch(stock, None)) == "identical"


def test_a_long_sentence_inside_another_speakers_quotation_is_contained() -> None:
    """Eight words or more printed verbatim are the same words whoever was named (as for
    identical printings): a sentence pinned on the wrong person still meets its remark."""
    sentence = "The harbour wall will be rebuilt before the winter storms"
    whole = f"{sentence}, and every family that lost a boat will be paid in full."
    assert link_reason(sketch(sentence, KIM), sketch(whole, PUTIN)) == "contained"
    assert link_reason(sketch("before the winter storms", KIM), sketch(whole, PUTIN)) is None


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


def test_a_printing_with_a_sentence_dropped_is_condensed() -> None:
    long = sketch(
        "We checked the dam every morning for a month, and nobody expected what we saw."
        " We wrote down every figure and sent them all to the ministry in the capital."
        " The cracks are not growing evenly; they open after heavy rain, and each one is"
        " wider than the last.",
        PUTIN,
    )
    text = (
        "We checked the dam every morning for a month … the cracks are not growing evenly,"
        " and each one is wider than the last."
    )
    assert link_reason(sketch(text, PUTIN), long) == "condensed"
    assert link_reason(long, sketch(text, PUTIN)) == "condensed"
    assert link_reason(sketch(text, KIM), long) is None
    assert link_reason(sketch(text, None), long) is None


def test_another_remark_sharing_words_is_not_condensed() -> None:
    a = sketch(
        "We checked the dam every morning for a month, and nobody expected what we saw.",
        PUTIN,
    )
    b = sketch(
        "We need another year of checks on the dam before anyone can say what it will do.",
        PUTIN,
    )
    assert link_reason(a, b) is None


def test_a_short_fragment_with_another_content_word_is_not_fuzzy_contained() -> None:
    long = sketch("We will build a new bridge and a new school before the election,", PUTIN)
    assert link_reason(sketch("a new hospital", PUTIN), long) is None
    assert link_reason(sketch("a new bridge", PUTIN), long) == "contained"
    # A longer fragment may still differ in one word (another transcription).
    long = sketch("I am tired, and a tired coach is no use to anybody.", PUTIN)
    assert link_reason(sketch("a tired coach is no use to anyone", PUTIN), long) == (
        "fuzzy-contained"
    )


def test_a_long_printing_arriving_last_joins_the_clusters_of_its_fragments(
    new_store: StoreFactory,
) -> None:
    """Two fragments of one remark, each of 8 words or more, printed first; the whole
    remark printed last holds both, so all three are one utterance."""
    store = new_store()
    first = "The harbour wall will be rebuilt before the winter storms,"
    second = "and every family that lost a boat will be paid in full."
    whole = f"{first} {second}"
    for quote in (first, second, whole):
        body = f"“{quote}” Mayor Lena Strand said."
        store.add_article(Article(body), ArticleQuotes((_said(body, quote, "Lena Strand"),), ()))
    quotes, _ = store.list_quotes()
    assert len(quotes) == 3
    assert len({q.utterance_id for q in quotes}) == 1


def _said(body: str, quote: str, speaker: str) -> AttributedQuote:
    start = body.index(quote)
    return AttributedQuote(
        quote,
        start,
        start + len(quote),
        QuoteKind.DIRECT,
        speaker,
        EntityKind.PERSON,
        (speaker,),
        speaker,
        "said",
        "test",
        0.9,
        body,
    )


def test_lead_words_stop_at_the_sentence_start() -> None:
    text = "It rained. They would discuss “all issues,” he said."
    assert lead_words(text, text.index("all issues")) == ("they", "will", "discuss")


def test_lead_words_are_dropped_after_a_colon_or_comma() -> None:
    text = "Putin said: “That’s why we came here”. Mr. Putin replied, “That’s exactly why”."
    assert lead_words(text, text.index("That’s why")) == ()
    assert lead_words(text, text.index("That’s exactly")) == ()


def test_a_quotation_opening_a_paragraph_or_sentence_has_no_lead_words() -> None:
    text = "The minister added: “There is no way.”\n\n“We will win,” she said."
    assert lead_words(text, text.index("We will")) == ()
    text = "“There is no way.” “We will win,” she said."
    assert lead_words(text, text.index("We will")) == ()
    text = "He said “no way.” They would discuss “all issues,” he said."
    assert lead_words(text, text.index("all issues")) == ("they", "will", "discuss")


def test_same_attribution_words_do_not_frame_different_quotes() -> None:
    a = sketch("know is", PUTIN)
    b = sketch("see was nothing that is new here", PUTIN)
    assert link_reason(a, b) is None


def test_gold_variant_clusters_are_recovered(new_store: StoreFactory) -> None:
    store = new_store()
    corpus = gold_corpus()
    for article, quotes in corpus:
        store.add_article(article, quotes)
    report = evaluate_clustering(store, GOLD / "variants.jsonl", [a for a, _ in corpus])
    assert report.f1 >= 0.95, report


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::17])
def test_clusters_do_not_depend_on_ingest_order(
    new_store: StoreFactory, order: tuple[int, ...]
) -> None:
    store = new_store()
    corpus = gold_corpus()
    for i in order:
        store.add_article(*corpus[i])
    report = evaluate_clustering(store, Path(GOLD, "variants.jsonl"), [a for a, _ in corpus])
    assert report.f1 >= 0.95, report


def test_a_shared_fragment_does_not_chain_two_different_sayings(new_store: StoreFactory) -> None:
    store = new_store()
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


def _repeated_article(
    unit: str, quotes: list[tuple[str, str | None]], times: int
) -> tuple[Article, ArticleQuotes]:
    """`unit` (holding each quotation of `quotes`, with its speaker) repeated `times`."""
    text = unit * times
    made: list[AttributedQuote] = []
    for copy in range(times):
        offset = copy * len(unit)
        for quote, speaker in quotes:
            start = offset + unit.index(quote)
            made.append(
                AttributedQuote(
                    quote,
                    start,
                    start + len(quote),
                    QuoteKind.DIRECT,
                    speaker,
                    None if speaker is None else EntityKind.PERSON,
                    () if speaker is None else (speaker,),
                    speaker,
                    "said",
                    "test",
                    0.9,
                    unit.strip(),
                )
            )
    return Article(text), ArticleQuotes(tuple(made), ())


def test_a_single_function_word_links_to_nothing() -> None:
    others = [
        "a",
        "is",
        "it’s",
        "a deal",
        "it is a",
        "It is a good deal for everyone",
        "deal",
        "isn’t",
        "won’t",
    ]
    for word in ("a", "is", "it’s", "the"):
        alone = sketch(word, PUTIN, lead="the minister said")
        assert links_nothing(alone)
        for other in others:
            for speaker in (PUTIN, KIM, None):
                assert link_reason(alone, sketch(other, speaker, "the minister said")) is None
    for text in ("deal", "it’s not", "of the", "That’s why we came here"):
        assert not links_nothing(sketch(text, PUTIN)), text


def test_reprinting_one_quotation_many_times_searches_once(
    new_store: StoreFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An article repeating two quotations: one utterance each, and each copy joins its
    wording's utterance without a candidate search (a search per copy ranks every earlier
    copy: quadratic in the article's length)."""
    store = new_store()
    searches: list[int] = []
    search = store._search_rowids

    def counted(*args: object, **kwargs: object) -> list[int]:
        searches.append(1)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_search_rowids", counted)
    unit = "“We will win this fight,” Ana Novak said. The minister added: “There is no way.”\n\n"
    article, quotes = _repeated_article(
        unit, [("We will win this fight,", "Ana Novak"), ("There is no way.", None)], 50
    )
    store.add_article(article, quotes)
    stored, total = store.list_quotes(limit=500)
    assert total == 100
    assert len({q.utterance_id for q in stored}) == 2
    assert len(searches) == 2


def test_a_short_copy_under_another_speaker_is_not_taken_for_the_same_saying(
    new_store: StoreFactory,
) -> None:
    """The copy shortcut asks for the same speaker: two words pinned on two people are two
    sayings (identical needs four words to ignore the speaker)."""
    store = new_store()
    for speaker in ("Ana Novak", "Boris Kell"):
        unit = f"{speaker} called it a “sacred fight”.\n\n"
        store.add_article(*_repeated_article(unit, [("sacred fight", speaker)], 3))
    stored, _ = store.list_quotes()
    by_speaker = {(q.speaker, q.utterance_id) for q in stored}
    assert len(by_speaker) == 2
    assert len({u for _, u in by_speaker}) == 2


def test_an_article_of_one_word_quotations_searches_nothing(
    new_store: StoreFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = new_store()
    monkeypatch.setattr(store, "_search_rowids", None)  # any search would fail
    article, quotes = _repeated_article('"a" ', [("a", None)], 200)
    store.add_article(article, quotes)
    stored, total = store.list_quotes(limit=500)
    assert total == 200
    assert len({q.utterance_id for q in stored}) == 200  # "a" says nothing: no links


def test_figures_and_number_words_are_one_wording() -> None:
    """House styles print "12" or "twelve", "5%", "5 percent" or "five per cent"."""
    whole = sketch("We have twelve boats and two helicopters out on the lake tonight.", PUTIN)
    assert link_reason(sketch("12 boats and 2 helicopters", PUTIN), whole) is not None
    fares = sketch("Fares will go up by 5% in May, and nobody is happy about it.", PUTIN)
    assert link_reason(sketch("up by five per cent in May", PUTIN), fares) is not None
    assert link_reason(sketch("up by 5 percent in May", PUTIN), fares) is not None
    assert lemma_key(("twenty-five", "per", "cent")) == lemma_key(("25",))
    # A different figure is a different wording.
    assert link_reason(sketch("up by six per cent in May", PUTIN), fares) is None


def test_uk_and_us_spellings_of_a_fragment_are_one_wording() -> None:
    whole = sketch("We will organize a vote in every neighborhood before the summer.", PUTIN)
    assert link_reason(sketch("organise a vote", PUTIN), whole) is not None
    assert lemma_key(words("the colour of the centre travelled")) == lemma_key(
        ("the", "color", "of", "the", "center", "traveled")
    )
    # Words that only look like UK spellings keep their own letters.
    assert lemma_key(("hour", "filled", "rise")) == ("hour", "filled", "rise")


def test_a_short_fragment_with_words_dropped_meets_its_remark() -> None:
    whole = sketch(
        "The ferry will run again — and I promise you this — before the end of March.", PUTIN
    )
    assert link_reason(sketch("The ferry will run again before the end of March", PUTIN), whole)
    assert link_reason(sketch("ferry will run by March", PUTIN), whole) is None
    assert (
        link_reason(
            sketch("in every shop by Easter", PUTIN),
            sketch("It will be in every shop in the region by Easter.", PUTIN),
        )
        == "condensed"
    )
    # Another speaker's words, or a fragment of function words and one content word, do not.
    assert (
        link_reason(
            sketch("in every shop by Easter", KIM),
            sketch("It will be in every shop in the region by Easter.", PUTIN),
        )
        is None
    )
    assert (
        link_reason(
            sketch("it will be by Easter", PUTIN),
            sketch("It will be in every shop in the region by Easter.", PUTIN),
        )
        is None
    )


def test_short_remarks_one_content_word_apart_stay_apart() -> None:
    """In a short remark the changed word is the remark: a school is not a stadium."""
    school = sketch("We need a new school", PUTIN)
    assert link_reason(school, sketch("We need a new stadium.", PUTIN)) is None
    assert link_reason(school, sketch("We need a new stadium.", None)) is None
    # The same content words with a function word changed still meet.
    assert link_reason(school, sketch("We need the new school.", PUTIN)) == "near-identical"


def test_a_remark_joins_the_printing_it_shares_a_sentence_with_not_a_shared_phrase(
    new_store: StoreFactory,
) -> None:
    """Two remarks of one speaker share a 5-word phrase; a printing of the second must go
    to the cluster holding its whole sentence, whichever cluster the phrase reached first."""
    printings = [
        "They called for “a fair price for fishermen” before the season opens.",
        "She added: “Boats that cover the cost of fuel and nets.”",
        "“We want a fair price for fishermen and we want it before the season opens.”",
        "“A fair price for fishermen means boats that cover the cost of fuel and nets.”",
    ]
    quoted = [
        "a fair price for fishermen",
        "Boats that cover the cost of fuel and nets.",
        "We want a fair price for fishermen and we want it before the season opens.",
        "A fair price for fishermen means boats that cover the cost of fuel and nets.",
    ]
    store = new_store()
    for body, quote in zip(printings, quoted, strict=True):
        q = said_quote(quote, "Ilka Varga", body.index(quote), body)
        store.add_article(Article(body), ArticleQuotes((q,), ()))
    stored, _ = store.list_quotes()
    utterance = {q.text: q.utterance_id for q in stored}
    assert utterance[quoted[3]] == utterance[quoted[1]]
    assert utterance[quoted[3]] != utterance[quoted[2]]
    assert utterance[quoted[0]] == utterance[quoted[2]]


def _print_each(store: Any, printings: list[str], speaker: str) -> dict[str, str | None]:
    """Each printing as its own article; its utterance id by its text."""
    for quote in printings:
        body = f"“{quote}” {speaker} said."
        store.add_article(Article(body), ArticleQuotes((_said(body, quote, speaker),), ()))
    quotes, _ = store.list_quotes(limit=100)
    return {q.text: q.utterance_id for q in quotes}


def test_two_cuts_of_one_answer_sharing_a_sentence_overlap() -> None:
    head = "The pumps ran all night. The water in the lower town fell by a whole metre overnight."
    tail = (
        "The water in the lower town has fallen by a whole metre overnight. We drain the road next."
    )
    assert link_reason(sketch(head, PUTIN), sketch(tail, PUTIN)) == "overlap"
    assert link_reason(sketch(tail, PUTIN), sketch(head, PUTIN)) == "overlap"
    # Like the other fuzzy links, an overlap asks for one named speaker.
    assert link_reason(sketch(head, PUTIN), sketch(tail, KIM)) is None


def test_a_short_phrase_ending_one_remark_and_opening_another_is_no_overlap() -> None:
    """Under eight words, the same words at the end of one remark and the start of the
    next are a phrase the speaker likes, not a sentence two outlets both printed."""
    first = sketch("We trained hard all winter and we kept our heads up", PUTIN)
    second = sketch("We kept our heads up when the season went badly for everyone", PUTIN)
    assert link_reason(first, second) is None


def test_cuts_of_one_answer_at_different_points_are_one_utterance(
    new_store: StoreFactory,
) -> None:
    first = "The pumps ran all night. The water in the lower town fell by a whole metre overnight."
    second = (
        "The water in the lower town has fallen by a whole metre overnight. We drain the road next."
    )
    utterances = _print_each(new_store(), [first, second], "Petra Lindqvist")
    assert utterances[first] == utterances[second]


def test_a_printing_of_two_remarks_goes_with_the_one_it_holds_more_of(
    new_store: StoreFactory,
) -> None:
    """ "R1. R2" printed after R1 and R2 were printed apart: R2's printing shares more of
    it (an overlap of 13 words against a contained 8), so it joins R2, and R1 stays its
    own utterance rather than being merged through it."""
    closing = "The pool will close on Sundays from April."
    sorry = "I know that is hard news for the families who swim there every week, and I am sorry"
    sorry += " that it has come to this."
    both = "The pool will close on Sundays from April. I know that is hard news for the families"
    both += " who swim there every week."
    utterances = _print_each(new_store(), [closing, sorry, both], "Ines Marrow")
    assert utterances[both] == utterances[sorry]
    assert utterances[closing] != utterances[sorry]


def test_an_overlapping_cut_does_not_join_a_printing_already_holding_another_remark(
    new_store: StoreFactory,
) -> None:
    """ "R1. R2" printed first, then R1 alone (contained: it joins), then R2 in full: R2
    only overlaps "R1. R2", whose utterance already holds R1, a sentence R2 does not link
    to, so R2 starts its own utterance instead of merging two remarks."""
    closing = "The pool will close on Sundays from April."
    sorry = "I know that is hard news for the families who swim there every week, and I am sorry"
    sorry += " that it has come to this."
    both = "The pool will close on Sundays from April. I know that is hard news for the families"
    both += " who swim there every week."
    utterances = _print_each(new_store(), [both, closing, sorry], "Ines Marrow")
    assert utterances[closing] == utterances[both]
    assert utterances[sorry] != utterances[closing]


def test_a_fragment_goes_with_the_remark_whose_fullest_printing_holds_it(
    new_store: StoreFactory,
) -> None:
    """A fragment held by two printings of one speaker, one of them a cut that runs it
    into another remark: it goes with the remark whose longest printing holds it, not
    with whichever cluster was made first."""
    store = new_store()
    answer = (
        "I love this town, I love the market, I love the people. But I still take this"
        " decision, and I know it is the one I have to take."
    )
    cut = "But I still take this decision, I know it is the one I have to take. I am simply tired."
    tired = "I am simply tired. I cannot run the council for another four years."
    utterances = _print_each(store, [answer, cut, tired, "simply tired"], "Odo Brandvik")
    assert utterances[cut] == utterances[answer]
    assert utterances["simply tired"] == utterances[tired]
    assert utterances[tired] != utterances[answer]


def test_a_fragment_starts_mid_sentence_only_when_the_word_before_it_ends_none() -> None:
    norm = normalize("The vans arrive in May. By then every school will have a new kitchen.")
    longest = words(norm)
    inside = words(normalize("every school will have a new kitchen"))
    sentence = words(normalize("By then every school will have a new kitchen."))
    assert starts_mid_sentence(inside, longest, norm)
    assert not starts_mid_sentence(sentence, longest, norm)
    assert not starts_mid_sentence(words(normalize("The vans arrive in May.")), longest, norm)


def test_a_remark_denied_in_a_later_quotation_is_not_that_quotation() -> None:
    """ "I never said the levy doubles rents" quotes the remark to deny it: a printing of
    the remark (or a fragment of it) does not join the denial, though its words are there."""
    fragment = sketch("doubles rents for every tenant", PUTIN)
    denial = sketch("I never said the levy doubles rents for every tenant. I said it might.", PUTIN)
    assert link_reason(fragment, denial) is None
    did_not = sketch("We did not say the levy doubles rents for every tenant at all.", PUTIN)
    assert link_reason(fragment, did_not) is None
    # The speaker repeating her own remark ("as I said") still prints it.
    repeated = sketch("As I said, the levy doubles rents for every tenant in the town.", PUTIN)
    assert link_reason(fragment, repeated) == "contained"


def test_a_remark_reported_in_another_speakers_quotation_is_not_theirs() -> None:
    """The mayor quoting the minister ("she told us the new pool opens in May") is the
    mayor's remark about the minister's words; eight words verbatim otherwise link across
    speakers (a misattributed printing)."""
    remark = "The new pool on Quarry Lane opens to swimmers in May."
    mocked = sketch(
        f"She stood on this spot and told us {remark[0].lower()}{remark[1:]} It is October.",
        KIM,
    )
    assert link_reason(sketch(remark, PUTIN), mocked) is None
    # The same words after "told us" in the same speaker's mouth are her own remark again.
    assert link_reason(sketch(remark, KIM), mocked) == "contained"
    # Not after a reporting word: a misattributed printing still meets its remark.
    plain = sketch(f"Good news at last. {remark} Bring the children.", KIM)
    assert link_reason(sketch(remark, PUTIN), plain) == "contained"


def test_a_long_word_misprinted_by_one_letter_is_the_same_short_remark() -> None:
    assert (
        link_reason(
            sketch("We are recruting 40 teachers", PUTIN),
            sketch("We are recruiting 40 teachers.", PUTIN),
        )
        == "near-identical"
    )
    assert (
        link_reason(
            sketch("The goverment is bankrupt.", PUTIN), sketch("The government is bankrupt", PUTIN)
        )
        == "near-identical"
    )
    # Short words one letter apart are other words: county is not country.
    assert (
        link_reason(
            sketch("We will defend every county", PUTIN),
            sketch("We will defend every country", PUTIN),
        )
        is None
    )
    # Two changed words are not a misprint.
    assert (
        link_reason(
            sketch("We are recruting 40 techers", PUTIN),
            sketch("We are recruiting 40 teachers", PUTIN),
        )
        is None
    )


def test_one_typo_apart_means_one_letter_added_dropped_or_swapped() -> None:
    assert one_typo_apart("recruting", "recruiting")
    assert one_typo_apart("throught", "through")
    assert one_typo_apart("goverment", "government")
    assert one_typo_apart("recieved", "received")
    assert not one_typo_apart("recruiting", "recruitment")
    assert not one_typo_apart("hiring", "firing")
    assert not one_typo_apart("planned", "planted")  # a letter changed: another word


def test_a_number_written_with_a_multiplier_is_its_figure() -> None:
    assert lemma_key(("two", "hundred", "nurses")) == lemma_key(("200", "nurses"))
    assert lemma_key(("three", "million", "pounds")) == lemma_key(("3", "million", "pounds"))
    assert lemma_key(("3", "million")) == ("3000000",)
    assert lemma_key(("two", "hundred", "and", "five")) == ("205",)
    assert lemma_key(("2.5", "million")) == ("2500000",)
    # "and" joins a whole hundred and a number under 100 only after a multiplier.
    assert lemma_key(("between", "200", "and", "5")) == ("between", "200", "and", "5")
    assert lemma_key(("3", "million", "and", "5")) == ("3000000", "and", "5")
    assert lemma_key(("a", "hundred", "days")) == ("a", "100", "days")
    a = sketch("We are hiring two hundred nurses.", PUTIN)
    assert link_reason(a, sketch("We are hiring 200 nurses", PUTIN)) == "near-identical"
    assert link_reason(a, sketch("We are hiring 300 nurses", PUTIN)) is None


def test_pieces_of_one_remark_broken_by_attribution_meet_through_a_printing_running_them_together(
    new_store: StoreFactory,
) -> None:
    """'"S1," said X. "S2."' then another outlet's "…S1's end and S2": that printing
    overlaps S1 (the reporter took S1's opening words into his sentence) and holds S2, so
    the two pieces are one remark. Two pieces alone, or a phrase in both, join nothing."""
    store = new_store()
    first = "The sea wall at Penhallow was built for the storms of another century,"
    second = "It will not survive the storms we have now."
    split = f"“{first}” said Tamsin Rowe, the engineer. “{second}”"
    store.add_article(
        Article(split),
        ArticleQuotes(
            (
                said_quote(first, "Tamsin Rowe", split.index(first), split),
                said_quote(second, "Tamsin Rowe", split.index(second), split),
            ),
            (),
        ),
    )
    stored, _ = store.list_quotes()
    before = {q.text: q.utterance_id for q in stored}
    assert before[first] != before[second]
    merged = (
        "was built for the storms of another century and it will not survive the storms we have now"
    )
    body = f"Tamsin Rowe said the wall “{merged}”."
    store.add_article(
        Article(body),
        ArticleQuotes((said_quote(merged, "Tamsin Rowe", body.index(merged), body),), ()),
    )
    stored, _ = store.list_quotes()
    after = {q.text: q.utterance_id for q in stored}
    assert after[first] == after[second] == after[merged]


def test_a_phrase_in_two_adjacent_remarks_does_not_join_them(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    first = "We want a fair rent for tenants, and we want it before the winter,"
    second = "A fair rent for tenants means a flat that costs less than half a wage."
    split = f"“{first}” said Odile Marchand. “{second}”"
    store.add_article(
        Article(split),
        ArticleQuotes(
            (
                said_quote(first, "Odile Marchand", split.index(first), split),
                said_quote(second, "Odile Marchand", split.index(second), split),
            ),
            (),
        ),
    )
    body = "Odile Marchand asked for “a fair rent for tenants”."
    phrase = "a fair rent for tenants"
    store.add_article(
        Article(body),
        ArticleQuotes((said_quote(phrase, "Odile Marchand", body.index(phrase), body),), ()),
    )
    stored, _ = store.list_quotes()
    utterance = {q.text: q.utterance_id for q in stored}
    assert utterance[first] != utterance[second]


def test_a_figure_with_thousands_separators_is_the_same_figure() -> None:
    assert lemma_key(("1,500,000", "trees")) == lemma_key(("1.5", "million", "trees"))
    assert lemma_key(("1,500,000",)) == lemma_key(("1500000",)) == ("1500000",)
    assert lemma_key(("3,250.5",)) == ("3250.5",)
    # Not a grouped figure: a list of numbers, a comma at the end.
    assert lemma_key(("1,5",)) == ("1,5",)
    fragment = sketch("2,400,000 saplings", PUTIN)
    remark = sketch("By March we will have planted 2.4 million saplings on the moor.", PUTIN)
    assert link_reason(fragment, remark) == "fuzzy-contained"
    assert link_reason(sketch("2,500,000 saplings", PUTIN), remark) is None


def test_a_number_spelled_in_parts_is_one_figure() -> None:
    assert lemma_key(("three", "thousand", "five", "hundred", "nurses")) == lemma_key(
        ("3,500", "nurses")
    )
    assert lemma_key(("two", "thousand", "five", "hundred", "and", "twelve")) == ("2512",)
    assert lemma_key(("two", "million", "three", "hundred", "thousand")) == ("2300000",)
    assert lemma_key(("one", "thousand", "days")) == ("1000", "days")
    # Figures not spelled with multipliers stay apart: "3,000 500" is two numbers.
    assert lemma_key(("3,000", "500")) == ("3000", "500")
    assert lemma_key(("two", "hundred", "three", "hundred")) == ("200", "300")
    hire = sketch("We will hire three thousand five hundred nurses.", PUTIN)
    assert link_reason(hire, sketch("We will hire 3,500 nurses", PUTIN)) == "near-identical"
    assert link_reason(hire, sketch("We will hire 3,000 nurses", PUTIN)) is None


def test_uk_and_us_spellings_of_a_short_remark_are_one_wording() -> None:
    """ "practise" (UK verb) is "practice" in the US, not "practize" as the -ise rule would
    have it; "dialogue" / "dialog", "learnt" / "learned": the one content word of a short
    remark that differs is the same word spelled by another house style."""
    pairs = [
        ("The choir will practise in the chapel", "The choir will practice in the chapel"),
        ("We want a dialogue with the growers", "We want a dialog with the growers"),
        ("We learnt it from the fishermen", "We learned it from the fishermen"),
    ]
    for uk, us in pairs:
        assert link_reason(sketch(uk, PUTIN), sketch(us, PUTIN)) == "near-identical", uk


def test_an_editors_bracketed_words_are_not_the_speakers() -> None:
    """'[the mayor] has broken every promise' puts the editor's words for the speaker's
    "he": printings of the remark are compared without them. A bracketed letter ("[w]e",
    the capital a cut changed) stays in its word."""
    assert spoken_words(normalize("[The mayor] has broken every promise")) == (
        "has",
        "broken",
        "every",
        "promise",
    )
    assert spoken_words(normalize("[W]e have hired [sic] nine guides [...] in May")) == (
        "we",
        "have",
        "hired",
        "nine",
        "guides",
        "in",
        "may",
    )
    # normalize() trims a bracket at either end; the insertion is still the editor's.
    assert spoken_words(normalize("We were paid nothing [sic]")) == (
        "we",
        "were",
        "paid",
        "nothing",
    )
    assert spoken_words(normalize("No brackets here")) == words(normalize("No brackets here"))

    def spoken(text: str) -> QuoteSketch:
        w = spoken_words(normalize(text))
        return QuoteSketch(w, lemma_key(w), (), PUTIN)

    remark = spoken("He has broken every promise he made to the harbour town.")
    assert link_reason(spoken("[the mayor] has broken every promise"), remark) == "contained"
    # "[sic]" left out, the misprint is one letter from the word printed elsewhere.
    sic = spoken("We have recieved [sic] nothing")
    assert link_reason(sic, spoken("We have received nothing")) == "near-identical"


def test_words_after_as_she_put_it_in_another_speakers_quotation_are_not_theirs() -> None:
    remark = "Every pupil in the valley will have a bus pass by Easter."
    recalled = sketch(
        f"As the minister put it, {remark[0].lower()}{remark[1:]} We are still waiting.", KIM
    )
    assert link_reason(sketch(remark, PUTIN), recalled) is None
    promised = sketch(f"She promised us {remark[0].lower()}{remark[1:]} Nothing came.", KIM)
    assert link_reason(sketch(remark, PUTIN), promised) is None
    # "put" alone reports nothing: "we put every pupil ..." is the speaker's own sentence.
    own = sketch(f"Last spring we put it plainly: {remark[0].lower()}{remark[1:]}", KIM)
    assert link_reason(sketch(remark, PUTIN), own) == "contained"


def test_two_remarks_opening_with_one_phrase_and_ending_apart_are_not_one() -> None:
    """ "The library will be built on the depot site by 2029" and "… on the depot site if
    the county pays for the land": one phrase, two remarks, each with an end of its own.
    A printing with words dropped keeps no end of its own: it still links."""
    dated = sketch("The library will be built on the depot site by 2029", PUTIN)
    paid = sketch(
        "The library will be built on the depot site if the county pays for the land", PUTIN
    )
    assert link_reason(dated, paid) is None
    whole = sketch(
        "The library, which the town has waited for since the fire, will be built on the"
        " depot site by 2029, and it will open on Sundays.",
        PUTIN,
    )
    assert link_reason(dated, whole) in ("condensed", "fuzzy-contained")
    # One word of its own at an end is an edit ("Frankly, …"), not another remark.
    frankly = sketch("Frankly, the library will be built on the depot site", PUTIN)
    assert link_reason(frankly, paid) is not None


def test_a_sentence_broken_by_its_attribution_after_its_opening_words_is_one_remark(
    new_store: StoreFactory,
) -> None:
    """'"We will not," said X, the director, "close a single ward."': the opening piece is
    too short to link to anything, but it and the piece resuming in lower case after the
    attribution are one sentence. A quotation after 'and added that "' is not."""
    store = new_store()
    opening, rest = "We will not,", "close a single ward this winter."
    split = f"“{opening}” said Ilse Bramwell, the hospital director, “{rest}”"
    after = "Ilse Bramwell said the plan was “a good one,” and added that “the wards stay open.”"
    for body, pieces in (
        (split, (opening, rest)),
        (after, ("a good one,", "the wards stay open.")),
    ):
        quotes = tuple(said_quote(p, "Ilse Bramwell", body.index(p), body) for p in pieces)
        store.add_article(Article(body), ArticleQuotes(quotes, ()))
    whole = "We will not close a single ward this winter."
    body = f"Ilse Bramwell said: “{whole}”"
    store.add_article(
        Article(body),
        ArticleQuotes((said_quote(whole, "Ilse Bramwell", body.index(whole), body),), ()),
    )
    stored, _ = store.list_quotes()
    utterance = {q.text: q.utterance_id for q in stored}
    assert utterance[opening] == utterance[rest] == utterance[whole]
    assert utterance["a good one,"] != utterance["the wards stay open."]
