"""The verification evaluation: accuracy on the seed query set, reports that list errors."""

from __future__ import annotations

from pathlib import Path

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
