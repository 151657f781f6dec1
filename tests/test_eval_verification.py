"""The verification evaluation: accuracy on the seed query set, reports that list errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrace_server.evaluation.verification import (
    evaluate_clustering,
    evaluate_verification,
    format_clustering_report,
    format_verification_report,
    load_queries,
)
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import Verdict

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_gold import GOLD, REPO, gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import GOLD, REPO, gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]

QUERIES = REPO / "eval" / "queries_seeds.jsonl"


def _gold_store() -> SqliteStore:
    store = SqliteStore(":memory:")
    for article, quotes in gold_corpus():
        store.add_article(article, quotes)
    return store


def test_seed_query_set_covers_every_verdict() -> None:
    cases = load_queries(QUERIES)
    assert len(cases) >= 40
    assert {c.expected_verdict for c in cases} == set(Verdict)


def test_verdict_accuracy_on_gold_attributions_meets_target() -> None:
    report = evaluate_verification(_gold_store(), QUERIES)
    assert report.verdict_accuracy >= 0.95, format_verification_report(report)
    assert report.false_verified == 0


def test_verification_report_lists_confusion_calibration_and_errors(tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"query": "That’s why we came here", "claimed_speaker": "Kim Jong Un",'
        ' "expected_verdict": "misattributed", "expected_speaker": "Vladimir Putin"}\n'
        '{"query": "That’s why we came here", "claimed_speaker": null,'
        ' "expected_verdict": "not_found", "expected_speaker": null}\n',
        encoding="utf-8",
    )
    report = evaluate_verification(_gold_store(), queries)
    text = format_verification_report(report)
    assert report.verdict_accuracy == 0.5
    assert "Confusion" in text and "Reliability" in text
    assert "Errors (1)" in text and "expected not_found" in text


def test_clustering_report_counts_pairs() -> None:
    corpus = gold_corpus()
    store = _gold_store()
    report = evaluate_clustering(store, GOLD / "variants.jsonl", [a for a, _ in corpus])
    assert report.gold_pairs == 23
    assert "pairwise precision" in format_clustering_report(report)


NEWS_DEV = GOLD.parent / "news-dev"
NEWS_DEV_QUERIES = REPO / "eval" / "queries_newsdev.jsonl"


def test_news_dev_query_set_covers_every_verdict_and_spelling_variants() -> None:
    cases = load_queries(NEWS_DEV_QUERIES, NEWS_DEV)
    assert len(cases) >= 40
    assert {c.expected_verdict for c in cases} == set(Verdict)
    verified = [c for c in cases if c.expected_verdict is Verdict.VERIFIED]
    # Claimed in another form than the gold name (initials, titles, diacritics, surname).
    assert sum(c.claimed_speaker != c.expected_speaker for c in verified) >= 10


def test_seed_queries_give_no_wrong_misattribution() -> None:
    report = evaluate_verification(_gold_store(), QUERIES)
    assert report.wrong_misattributed == 0, format_verification_report(report)
    assert report.verified_precision == 1.0
    assert "MISATTRIBUTED given wrongly 0" in format_verification_report(report)


def test_news_dev_with_gold_attributions_one_speaker_per_person_and_no_wrong_verdicts() -> None:
    if not NEWS_DEV.is_dir():
        pytest.skip("../shared/eval/news-dev not present")
    corpus = gold_corpus(NEWS_DEV, NEWS_DEV / "articles")
    store = SqliteStore(":memory:")
    for article, quotes in corpus:
        store.add_article(article, quotes)
    clusters = evaluate_clustering(store, NEWS_DEV / "variants.jsonl", [a for a, _ in corpus])
    shown = format_clustering_report(clusters)
    assert clusters.speaker_purity == 1.0 and clusters.speaker_completeness == 1.0, shown
    assert clusters.speaker_lookups == () and clusters.speakers_merged == (), shown
    report = evaluate_verification(store, NEWS_DEV_QUERIES, gold_dir=NEWS_DEV)
    text = format_verification_report(report)
    assert report.wrong_misattributed == 0, text
    assert report.verified_precision == 1.0, text
    assert report.verdict_accuracy >= 0.95, text
