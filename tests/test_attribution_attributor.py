"""The attributor end to end: seed articles, JSON lines, depparse when present, any input."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace_server.attribution.attributor import (
    Attributor,
    attribute_parsed,
    quotes_as_json_lines,
)
from quotetrace_server.attribution.model import ArticleQuotes, QuoteKind
from quotetrace_server.nlp.model import ParsedText, Sentence, Token
from quotetrace_server.nlp.pipeline import NlpPipeline


@pytest.fixture(scope="module")
def attributor(models_dir: str) -> Attributor:
    return Attributor(NlpPipeline.shared(models_dir))


@pytest.fixture(scope="module")
def seed_results(attributor: Attributor, seed_texts: dict[str, str]) -> dict[str, ArticleQuotes]:
    """Each seed attributed once for the whole module (stanza parsing is the slow part)."""
    return {name: attributor.attribute(text) for name, text in seed_texts.items()}


def test_seed_quotes_are_exact_slices_in_text_order(
    seed_results: dict[str, ArticleQuotes], seed_texts: dict[str, str]
) -> None:
    for name, text in seed_texts.items():
        result = seed_results[name]
        starts = [q.start for q in result.quotes]
        assert starts == sorted(starts)
        for q in result.quotes:
            assert text[q.start : q.end] == q.text
            assert q.text in q.context


def test_seed_expert_after_appositive_is_the_speaker_not_the_agency(
    seed_results: dict[str, ArticleQuotes],
) -> None:
    quotes = {q.text[:20]: q for q in seed_results["000_9ee7ddbbf47ce182.txt"].quotes}
    expert = quotes["If North Korea’s mul"]
    assert expert.speaker == "An Chan-il"
    assert expert.speaker_mention == "he"


def test_seed_terms_are_kept_but_not_attributed(seed_results: dict[str, ArticleQuotes]) -> None:
    result = seed_results["001_2a18783046106177.txt"]
    terms = [q for q in result.quotes if q.kind == QuoteKind.TERM]
    assert sorted(q.text for q in terms) == ["Comrades", "comrades", "pelmeni"]
    assert all(q.speaker is None for q in terms)


def test_seed_bare_surname_speaker_is_the_leader_not_the_editor(
    seed_results: dict[str, ArticleQuotes],
) -> None:
    result = seed_results["001_2a18783046106177.txt"]
    speakers = {q.speaker for q in result.quotes if q.speaker}
    assert "Jack Kim" not in speakers
    assert "Kim Jong Un" in speakers


def test_json_lines_have_the_documented_fields(seed_results: dict[str, ArticleQuotes]) -> None:
    rows = quotes_as_json_lines(seed_results["003_6fc9c43e80142e63.txt"])
    assert rows
    for row in rows:
        assert set(row) == {
            "quote",
            "start",
            "end",
            "kind",
            "speaker",
            "speaker_mention",
            "cue",
            "sieve",
            "resolution",
            "mention_start",
            "cue_start",
            "confidence",
        }
    json.dumps(rows)


def test_processors_that_ran_are_reported(attributor: Attributor) -> None:
    result = attributor.attribute("“Hi,” Ola Nordmann said.")
    assert result.processors == attributor.nlp.processors


def test_dependency_subject_is_used_when_depparse_ran() -> None:
    # "“Fine,” Ann Lee told Bob Park." with a (deliberately odd) parse that makes Bob Park
    # the subject: the depparse sieve must follow the parse, not the word order.
    text = "“Fine,” Ann Lee told Bob Park."
    words = [
        ("“", 0, 1, 6, "punct"),
        ("Fine", 1, 5, 6, "ccomp"),
        (",", 5, 6, 6, "punct"),
        ("”", 6, 7, 6, "punct"),
        ("Ann", 8, 11, 6, "obj"),
        ("Lee", 12, 15, 4, "flat"),
        ("told", 16, 20, -1, "root"),
        ("Bob", 21, 24, 6, "nsubj"),
        ("Park", 25, 29, 7, "flat"),
        (".", 29, 30, 6, "punct"),
    ]
    tokens = tuple(
        Token(w, s, e, upos="VERB" if w == "told" else "PROPN", lemma=w.lower(), head=h, deprel=d)
        for w, s, e, h, d in words
    )
    processors = ("tokenize", "pos", "lemma", "depparse")
    parsed = ParsedText(text, (Sentence(0, 30, tokens),), processors)
    (q,) = attribute_parsed(parsed).quotes
    assert (q.speaker, q.sieve) == ("Bob Park", "depparse_subject")


MARKS = st.sampled_from([*"“”‘’\"'«» \n.,:", "said", "Mr. ", "he ", "Ann Lee "])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.one_of(MARKS, st.text(max_size=12)), max_size=30).map("".join))
def test_any_unicode_input_gives_valid_offsets(attributor: Attributor, text: str) -> None:
    result = attributor.attribute(text)
    for q in result.quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert 0.0 <= q.confidence <= 1.0
