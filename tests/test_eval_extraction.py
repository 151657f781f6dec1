"""Scoring quotation extraction against a gold standard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.evaluation.extraction import evaluate_extraction, format_report
from quotetrace_server.nlp.pipeline import NlpPipeline

ARTICLE = "“Go home,” Ann Lee said. Later “soup” was served. “Stay,” Bo Ek said."


def attributed(text: str, words: str, kind: QuoteKind, speaker: str | None) -> AttributedQuote:
    start = text.index(words)
    return AttributedQuote(
        text=words,
        start=start,
        end=start + len(words),
        kind=kind,
        speaker=speaker,
        speaker_kind=None,
        speaker_aliases=(),
        speaker_mention=None,
        cue=None,
        sieve="test",
        confidence=0.5,
        context="",
    )


class FixedAttributor:
    def __init__(self, quotes: list[AttributedQuote]) -> None:
        self.quotes = quotes

    def attribute(self, text: str) -> ArticleQuotes:
        return ArticleQuotes(quotes=tuple(self.quotes), processors=("tokenize",))


@pytest.fixture()
def tiny_gold(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    gold = tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    rows = [
        {"file": "a.txt", "quote": "Go home,", "start": ARTICLE.index("Go home,"),
         "speaker": "Ann Lee", "kind": "direct"},
        {"file": "a.txt", "quote": "Stay,", "start": ARTICLE.index("Stay,"),
         "speaker": "Bo Ek", "kind": "direct"},
    ]  # fmt: skip
    (gold / "quotes.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    term = {"file": "a.txt", "text": "soup", "start": ARTICLE.index("soup"), "why": "dish"}
    (gold / "not_quotes.jsonl").write_text(json.dumps(term), encoding="utf-8")
    speakers = [{"name": "Ann Lee", "kind": "person", "aliases": ["Ms. Lee", "Lee"]}]
    (gold / "speakers.json").write_text(json.dumps(speakers), encoding="utf-8")
    return gold, corpus


def test_alias_of_the_gold_speaker_counts_as_correct(tiny_gold: tuple[Path, Path]) -> None:
    gold, corpus = tiny_gold
    predicted = [
        attributed(ARTICLE, "Go home,", QuoteKind.DIRECT, "Lee"),
        attributed(ARTICLE, "soup", QuoteKind.TERM, None),
        attributed(ARTICLE, "Stay,", QuoteKind.DIRECT, "Bo Ek"),
    ]
    report = evaluate_extraction(gold, corpus, FixedAttributor(predicted))
    assert report.exact.f1 == 1.0
    assert report.speaker_accuracy == 1.0
    assert report.terms_attributed == 0
    assert report.errors == []


def test_each_kind_of_error_is_listed(tiny_gold: tuple[Path, Path]) -> None:
    gold, corpus = tiny_gold
    predicted = [
        attributed(ARTICLE, "Go home", QuoteKind.DIRECT, "Ann Lee"),  # span off by the comma
        attributed(ARTICLE, "soup", QuoteKind.PARTIAL, "Ann Lee"),  # term taken as speech
        attributed(ARTICLE, "Stay,", QuoteKind.PARTIAL, "Ann Lee"),  # wrong kind and speaker
    ]
    report = evaluate_extraction(gold, corpus, FixedAttributor(predicted))
    kinds = sorted(e.error for e in report.errors)
    assert kinds == [
        "kind_mismatch",
        "kind_mismatch",
        "missed",
        "spurious",
        "term_attributed",
        "wrong_speaker",
    ]
    assert report.exact.true_positives == 1
    assert report.overlap.true_positives == 2
    assert report.terms_attributed == 1
    text = format_report(report)
    assert "wrong_speaker" in text and "expected='Bo Ek' got='Ann Lee'" in text
    json.dumps(report.to_dict())


def test_seed_gold_targets_are_met(models_dir: str, gold_dir: Path, seed_dir: Path) -> None:
    report = evaluate_extraction(gold_dir, seed_dir, Attributor(NlpPipeline.shared(models_dir)))
    assert report.exact.f1 >= 0.97
    assert report.speaker_accuracy >= 0.95
    assert report.unknown_speaker_rate <= 0.05
    assert report.terms_attributed == 0
    summary = format_report(report)
    assert "Speaker accuracy" in summary and "Unknown-speaker rate" in summary
