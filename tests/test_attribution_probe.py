"""The attributor on a probe of news-style paragraphs written for this project
(tests/data/attribution_probe.jsonl): every name, outlet and sentence is invented, one
paragraph set per attribution structure of English news (speaker before, after or inside
the quotation, titles and surnames later, pronouns across paragraphs, multi-paragraph
quotations, organisations, unnamed and absent speakers, unusual marks, particles and
non-Western names, datelines).

The scorer is the one the figures in docs/attribution.md come from:
`python tests/test_attribution_probe.py` prints them and every error."""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import ArticleQuotes, QuoteKind
from quotetrace_server.nlp.pipeline import NlpPipeline

PROBE = Path(__file__).resolve().parent / "data" / "attribution_probe.jsonl"


@dataclass
class ProbeScore:
    expected: int = 0  # expected quotation spans
    predicted: int = 0  # predicted non-term quotation spans
    exact: int = 0  # expected spans predicted exactly
    speaker_right: int = 0  # of the exact ones: speaker (or its absence) right
    wrong_speaker: int = 0  # a speaker given, and not the expected one
    left_null: int = 0  # no speaker given where the text names one
    errors: list[str] = field(default_factory=list)

    @property
    def span_f1(self) -> float:
        if not self.expected or not self.predicted:
            return 0.0
        precision, recall = self.exact / self.predicted, self.exact / self.expected
        return 2 * precision * recall / (precision + recall) if self.exact else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.exact if self.exact else 0.0

    def summary(self) -> str:
        return (
            f"span F1 {self.span_f1:.3f} ({self.exact}/{self.expected} expected, "
            f"{self.predicted} predicted); speaker accuracy {self.speaker_accuracy:.3f} "
            f"({self.speaker_right}/{self.exact}); wrong speaker {self.wrong_speaker}, "
            f"null where named {self.left_null}"
        )


def load_probe() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]


def same_speaker(expected: str | None, got: str | None) -> bool:
    """Canonical names compared after Unicode normalisation and case folding only: the
    probe expects the fullest name the text gives, without titles."""
    if expected is None or got is None:
        return expected is got
    return _fold(expected) == _fold(got)


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def score_case(case: dict[str, Any], result: ArticleQuotes, score: ProbeScore) -> None:
    predicted = {(q.start, q.end): q for q in result.quotes if q.kind != QuoteKind.TERM}
    terms = {(q.start, q.end) for q in result.quotes if q.kind == QuoteKind.TERM}
    expected_spans = set()
    score.predicted += len(predicted)
    for gold in case["quotes"]:
        span = (gold["start"], gold["start"] + len(gold["quote"]))
        expected_spans.add(span)
        score.expected += 1
        if span not in predicted and span not in terms:
            score.errors.append(f"{case['id']}: missed {gold['quote'][:40]!r}")
            continue
        if span in predicted:
            score.exact += 1
        else:  # found, but taken for a term: its speaker is the null a term has
            score.predicted += 1
            score.exact += 1
        got = predicted[span].speaker if span in predicted else None
        if same_speaker(gold["speaker"], got):
            score.speaker_right += 1
            continue
        if got is None:
            score.left_null += 1
        else:
            score.wrong_speaker += 1
        score.errors.append(
            f"{case['id']}: speaker of {gold['quote'][:40]!r}: "
            f"expected {gold['speaker']!r}, got {got!r}"
        )
    for span, quote in predicted.items():
        if span not in expected_spans:
            score.errors.append(f"{case['id']}: spurious {quote.text[:40]!r} ({quote.kind})")


def score_probe(attributor: Attributor, prefix: str = "") -> ProbeScore:
    """The whole probe, or the cases whose id starts with `prefix` ("r2-": round two)."""
    score = ProbeScore()
    for case in load_probe():
        if case["id"].startswith(prefix):
            score_case(case, attributor.attribute(case["text"]), score)
    return score


def test_probe_quotes_are_exact_slices_of_their_text() -> None:
    cases = load_probe()
    assert len(cases) >= 494
    for case in cases:
        for gold in case["quotes"]:
            start = gold["start"]
            assert case["text"][start : start + len(gold["quote"])] == gold["quote"]


def test_scorer_counts_a_wrong_speaker_apart_from_a_null() -> None:
    from quotetrace_server.attribution.model import AttributedQuote

    text = "“Go,” said Ana Ruiz. “Stay,” said Bo Lin."
    case: dict[str, Any] = {
        "id": "t",
        "text": text,
        "quotes": [
            {"quote": "Go,", "start": 1, "speaker": "Ana Ruiz"},
            {"quote": "Stay,", "start": 22, "speaker": "Bo Lin"},
        ],
    }

    def quote(start: int, end: int, speaker: str | None) -> AttributedQuote:
        return AttributedQuote(
            text[start:end], start, end, QuoteKind.DIRECT, speaker,
            None, (), None, None, None, 0.5, "",
        )  # fmt: skip

    score = ProbeScore()
    score_case(case, ArticleQuotes((quote(1, 4, "Bo Lin"), quote(22, 27, None)), ()), score)
    assert (score.exact, score.wrong_speaker, score.left_null, score.speaker_right) == (2, 1, 1, 0)


@pytest.fixture(scope="module")
def probe_score(models_dir: str) -> ProbeScore:
    return score_probe(Attributor(NlpPipeline.shared(models_dir)))


def test_probe_spans_and_speakers_meet_the_bars(probe_score: ProbeScore) -> None:
    """The figures reached (docs/attribution.md). A wrong speaker is worse than none: the
    two allowed are both pronouns whose gender only a given name tells (given names carry
    no gender here): `he` after a paragraph naming only a woman without an honorific, and
    `she` after a man of no known gender introduced later than a woman known to be one."""
    print(probe_score.summary(), *probe_score.errors, sep="\n")
    assert probe_score.span_f1 >= 0.999
    assert probe_score.speaker_accuracy >= 0.994
    assert probe_score.wrong_speaker <= 2


if __name__ == "__main__":  # python tests/test_attribution_probe.py [ID_PREFIX]
    found = score_probe(Attributor(NlpPipeline.shared()), sys.argv[1] if sys.argv[1:] else "")
    print(found.summary(), *found.errors, sep="\n")
