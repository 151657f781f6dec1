"""`quotetrace-server eval`: extraction, clustering and verification scores in one report."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.evaluation.extraction import evaluate_extraction, format_report
from quotetrace_server.evaluation.paraphrase import (
    ParaphraseReport,
    evaluate_paraphrases,
    format_paraphrase_report,
    load_paraphrases,
)
from quotetrace_server.evaluation.speaker_forms import (
    evaluate_speaker_forms,
    format_speaker_form_report,
)
from quotetrace_server.evaluation.verification import (
    ClusteringReport,
    VerificationReport,
    evaluate_clustering,
    evaluate_verification,
    format_clustering_report,
    format_verification_report,
)
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.reader import read_articles
from quotetrace_server.nlp.pipeline import NlpPipeline
from quotetrace_server.semantic.search import SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors
from quotetrace_server.verify.verifier import Verifier

QUERY_SETS = Path(__file__).resolve().parents[3] / "eval"


def default_queries(gold_dir: Path, kind: str = "queries") -> Path | None:
    """The project's query set written for this gold set: eval/<kind>_<name>.jsonl, the
    gold folder's name without dashes (seeds -> queries_seeds, news-dev -> queries_newsdev;
    kind "paraphrases" for the re-worded claims). None for any other gold set: queries
    only make sense over the corpus they were written for."""
    name = Path(gold_dir).resolve().name.replace("-", "").replace("_", "")
    candidate = QUERY_SETS / f"{kind}_{name}.jsonl"
    return candidate if candidate.is_file() else None


def run_evaluation(
    gold_dir: Path, corpus_dir: Path, queries: Path | None
) -> tuple[str, dict[str, Any]]:
    """Score the attributor on the gold, then index the corpus and score clustering and Verify."""
    attributor = Attributor(NlpPipeline.shared(os.environ.get("STANZA_RESOURCES_DIR")))
    extraction = evaluate_extraction(gold_dir, corpus_dir, attributor)
    sections = [f"== Extraction and attribution\n{format_report(extraction)}"]
    result: dict[str, Any] = {
        "processors": list(attributor.nlp.processors),
        "extraction": extraction.to_dict(),
    }

    store = SqliteStore(":memory:")
    try:
        articles = list(read_articles([corpus_dir]))
        for article in articles:
            store.add_article(article, attributor.attribute(article.text))
        meaning = SemanticSearch(WordingVectors(None, writable=True))
        embedded = meaning.add_wordings(store.speech_wordings())
        result["semantic"] = {"model": meaning.model_id, "wordings": embedded.embedded}
        variants = gold_dir / "variants.jsonl"
        if variants.is_file():
            clustering = evaluate_clustering(store, variants, articles)
            sections.append(f"== Utterance clustering\n{format_clustering_report(clustering)}")
            result["clustering"] = clustering_dict(clustering)
        queries = queries or default_queries(gold_dir)
        if queries is not None:
            verification = evaluate_verification(store, queries, meaning, gold_dir)
            sections.append(
                f"== Verification ({queries})\n{format_verification_report(verification)}"
            )
            result["verification"] = verification_dict(verification)
        forms = evaluate_speaker_forms(Verifier(store, meaning), gold_dir)
        if forms is not None:
            sections.append(
                f"== Claimed speakers in every gold form\n{format_speaker_form_report(forms)}"
            )
            result["speaker_forms"] = forms.to_dict()
        paraphrases = default_queries(gold_dir, "paraphrases")
        if paraphrases is not None:
            ids = {Path(a.meta.source_name or "").name: a.article_id for a in articles}
            cases = load_paraphrases(paraphrases, gold_dir, store, ids)
            report = evaluate_paraphrases(Verifier(store, meaning), Verifier(store), cases)
            sections.append(
                f"== Re-worded claims ({paraphrases}; model {meaning.model_id})\n"
                + format_paraphrase_report(report)
            )
            result["paraphrases"] = paraphrase_dict(report)
    finally:
        store.close()
    header = f"processors: {','.join(result['processors'])}"
    return "\n\n".join([header, *sections]), result


def paraphrase_dict(report: ParaphraseReport) -> dict[str, Any]:
    return {
        "semantic": report.semantic.to_dict(),
        "lexical_only": report.lexical_only.to_dict(),
    }


def clustering_dict(report: ClusteringReport) -> dict[str, Any]:
    return asdict(report)


def verification_dict(report: VerificationReport) -> dict[str, Any]:
    return {
        "queries": len(report.outcomes),
        "verdict_accuracy": report.verdict_accuracy,
        "accuracy": report.accuracy,
        "false_verified": report.false_verified,
        "verified_precision": report.verified_precision,
        "wrong_misattributed": report.wrong_misattributed,
        "expected_calibration_error": report.expected_calibration_error,
        "calibration": [asdict(b) for b in report.calibration()],
        "confusion": [
            {"expected": str(expected), "got": str(got), "count": count}
            for (expected, got), count in sorted(report.confusion.items())
        ],
        "errors": [
            {
                "query": o.case.query,
                "claimed_speaker": o.case.claimed_speaker,
                "expected": str(o.case.expected_verdict),
                "got": str(o.verdict),
                "confidence": o.confidence,
                "explanation": o.explanation,
            }
            for o in report.outcomes
            if not o.correct
        ],
    }
