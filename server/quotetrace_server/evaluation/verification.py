"""Measure the verifier (verdict accuracy, calibration) and utterance clustering (pairwise F1)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from quotetrace_server.index import identity
from quotetrace_server.index.model import StoredQuote
from quotetrace_server.index.names import name_key
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.ingest.model import Article
from quotetrace_server.verify.model import Verdict, VerifyQuery, VerifyResult
from quotetrace_server.verify.semantic import MeaningIndex
from quotetrace_server.verify.verifier import Verifier

CALIBRATION_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


# --- verification ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueryCase:
    query: str
    claimed_speaker: str | None
    expected_verdict: Verdict
    expected_speaker: str | None


@dataclass(frozen=True)
class QueryOutcome:
    case: QueryCase
    verdict: Verdict
    confidence: float
    top_speaker: str | None
    explanation: str

    @property
    def verdict_correct(self) -> bool:
        return self.verdict is self.case.expected_verdict

    @property
    def speaker_correct(self) -> bool:
        """The top corpus speaker is the expected one (True when none is expected)."""
        if self.case.expected_speaker is None:
            return True
        if self.top_speaker is None:
            return False
        return same_speaker(self.top_speaker, self.case.expected_speaker)

    @property
    def correct(self) -> bool:
        return self.verdict_correct and self.speaker_correct


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True)
class VerificationReport:
    outcomes: tuple[QueryOutcome, ...]
    confusion: dict[tuple[Verdict, Verdict], int] = field(default_factory=dict)

    @property
    def verdict_accuracy(self) -> float:
        return ratio(sum(o.verdict_correct for o in self.outcomes), len(self.outcomes))

    @property
    def accuracy(self) -> float:
        """Verdict and expected speaker both right."""
        return ratio(sum(o.correct for o in self.outcomes), len(self.outcomes))

    @property
    def false_verified(self) -> int:
        """VERIFIED given to a query that is not verified: the error that must not happen."""
        return sum(
            o.verdict is Verdict.VERIFIED and o.case.expected_verdict is not Verdict.VERIFIED
            for o in self.outcomes
        )

    @property
    def wrong_misattributed(self) -> int:
        """MISATTRIBUTED given to a query that is not a misattribution: the worst error."""
        return sum(
            o.verdict is Verdict.MISATTRIBUTED
            and o.case.expected_verdict is not Verdict.MISATTRIBUTED
            for o in self.outcomes
        )

    @property
    def verified_precision(self) -> float:
        """Share of VERIFIED answers that were expected VERIFIED (1.0 when none given)."""
        given = [o for o in self.outcomes if o.verdict is Verdict.VERIFIED]
        if not given:
            return 1.0
        return ratio(sum(o.case.expected_verdict is Verdict.VERIFIED for o in given), len(given))

    def calibration(self) -> list[CalibrationBin]:
        bins: list[CalibrationBin] = []
        for low, high in pairwise(CALIBRATION_BINS):
            inside = [o for o in self.outcomes if low <= o.confidence < high]
            bins.append(
                CalibrationBin(
                    low=low,
                    high=min(high, 1.0),
                    count=len(inside),
                    mean_confidence=ratio(sum(o.confidence for o in inside), len(inside)),
                    accuracy=ratio(sum(o.correct for o in inside), len(inside)),
                )
            )
        return bins

    @property
    def expected_calibration_error(self) -> float:
        n = len(self.outcomes)
        return (
            sum(
                b.count / n * abs(b.mean_confidence - b.accuracy)
                for b in self.calibration()
                if b.count
            )
            if n
            else 0.0
        )


def load_queries(path: Path, gold_dir: Path | None = None) -> list[QueryCase]:
    """The query set's cases. A query given as `gold_span` ({file, start, from, to}: a
    gold quotation and a character range of it) is read from `gold_dir`'s quotes.jsonl,
    so the project holds no copy of the gold text."""
    gold = gold_quotes(gold_dir) if gold_dir is not None else {}
    cases: list[QueryCase] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        cases.append(
            QueryCase(
                query=_query_text(d, gold, f"{path}:{number}"),
                claimed_speaker=d.get("claimed_speaker"),
                expected_verdict=Verdict(d["expected_verdict"]),
                expected_speaker=d.get("expected_speaker"),
            )
        )
    return cases


def _query_text(d: dict[str, Any], gold: dict[tuple[str, int], dict[str, Any]], where: str) -> str:
    if "query" in d:
        return str(d["query"])
    span = d["gold_span"]
    quote = gold.get((span["file"], int(span["start"])))
    if quote is None:
        raise ValueError(f"{where}: no gold quotation at {span['file']}:{span['start']}")
    return str(quote["quote"])[int(span["from"]) : int(span["to"])]


def gold_quotes(gold_dir: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """The gold quotations of `gold_dir` (quotes.jsonl), by (file, start)."""
    quotes: dict[tuple[str, int], dict[str, Any]] = {}
    path = gold_dir / "quotes.jsonl"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                quotes[(d["file"], int(d["start"]))] = d
    return quotes


def evaluate_verification(
    store: QuoteStore,
    queries_path: Path,
    meaning: MeaningIndex | None = None,
    gold_dir: Path | None = None,
) -> VerificationReport:
    verifier = Verifier(store, meaning)
    outcomes: list[QueryOutcome] = []
    for case in load_queries(queries_path, gold_dir):
        result = verifier.verify(VerifyQuery(case.query, case.claimed_speaker))
        outcomes.append(_outcome(case, result))
    confusion = Counter((o.case.expected_verdict, o.verdict) for o in outcomes)
    return VerificationReport(tuple(outcomes), dict(confusion))


def _outcome(case: QueryCase, result: VerifyResult) -> QueryOutcome:
    return QueryOutcome(
        case=case,
        verdict=result.verdict,
        confidence=result.confidence,
        top_speaker=result.speakers[0].name if result.speakers else None,
        explanation=result.explanation,
    )


def format_verification_report(report: VerificationReport) -> str:
    n = len(report.outcomes)
    lines = [
        f"Verification: {n} queries",
        f"  verdict accuracy            {report.verdict_accuracy:.3f}"
        f" ({sum(o.verdict_correct for o in report.outcomes)}/{n})",
        f"  verdict + speaker accuracy  {report.accuracy:.3f}",
        f"  VERIFIED given wrongly      {report.false_verified}",
        f"  VERIFIED precision          {report.verified_precision:.3f}",
        f"  MISATTRIBUTED given wrongly {report.wrong_misattributed}",
        f"  expected calibration error  {report.expected_calibration_error:.3f}",
        "",
        "Confusion (rows expected, columns returned):",
    ]
    verdicts = list(Verdict)
    header = "  " + "expected \\ got".ljust(16) + "".join(v.value[:13].rjust(14) for v in verdicts)
    lines.append(header)
    for expected in verdicts:
        cells = "".join(str(report.confusion.get((expected, got), 0)).rjust(14) for got in verdicts)
        lines.append("  " + expected.value.ljust(16) + cells)
    lines += ["", "Reliability (confidence bin: queries, mean confidence, accuracy):"]
    for b in report.calibration():
        if b.count:
            lines.append(
                f"  [{b.low:.1f}, {b.high:.1f})  n={b.count:3d}  conf={b.mean_confidence:.3f}"
                f"  acc={b.accuracy:.3f}"
            )
    errors = [o for o in report.outcomes if not o.correct]
    lines += ["", f"Errors ({len(errors)}):"]
    for o in errors:
        lines.append(
            f"  {o.case.query!r} claimed={o.case.claimed_speaker!r}: expected"
            f" {o.case.expected_verdict.value}/{o.case.expected_speaker},"
            f" got {o.verdict.value}/{o.top_speaker} (conf {o.confidence:.2f}) — {o.explanation}"
        )
    return "\n".join(lines)


# --- clustering -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClusteringReport:
    precision: float
    recall: float
    f1: float
    gold_pairs: int
    predicted_pairs: int
    true_pairs: int
    items: int
    unmatched_gold: tuple[str, ...]
    missed_pairs: tuple[tuple[str, str], ...]
    wrong_pairs: tuple[tuple[str, str], ...]
    # Speaker clusters against the gold speakers (speakers.json beside the variants):
    # purity (each corpus speaker holds one gold person's quotations) and completeness
    # (each gold person's attributed quotations sit in one corpus speaker), over the gold
    # quotations with a speaker that the index attributes to someone.
    speaker_items: int = 0
    speaker_purity: float = 1.0
    speaker_completeness: float = 1.0
    speakers_split: tuple[str, ...] = ()  # gold person → several corpus speakers
    speakers_merged: tuple[str, ...] = ()  # corpus speaker → several gold people
    # Gold people whose canonical name does not find exactly one corpus speaker.
    speaker_lookups: tuple[str, ...] = ()


def evaluate_clustering(
    store: QuoteStore, gold_variants_path: Path, articles: Sequence[Article]
) -> ClusteringReport:
    """Pairwise precision/recall/F1 of utterance clusters over the gold quotations.

    Items are the gold speech quotations (``quotes.jsonl`` beside the variants file; gold
    variant members when it is absent), each matched to the stored quotation overlapping
    its span. Gold clusters are the variant groups; every other item is a singleton.
    """
    gold_dir = gold_variants_path.parent
    ids_by_file = _article_ids_by_source(articles)
    clusters = [
        [(m["file"], int(m["start"]), m["quote"]) for m in json.loads(line)["members"]]
        for line in gold_variants_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items = _gold_items(gold_dir, clusters)
    gold_label = {item: i for i, cluster in enumerate(clusters) for item in cluster}
    predicted: dict[tuple[str, int, str], str] = {}
    unmatched: list[str] = []
    for item in items:
        utterance = utterance_of(store, ids_by_file.get(item[0]), item[1], len(item[2]))
        if utterance is None:
            unmatched.append(f"{item[0]}@{item[1]} {item[2]!r}")
        else:
            predicted[item] = utterance
    gold_pairs = {
        p
        for p in combinations(items, 2)
        if p[0] in gold_label and gold_label.get(p[1]) == gold_label[p[0]]
    }
    pred_pairs = {
        p
        for p in combinations([i for i in items if i in predicted], 2)
        if predicted[p[0]] == predicted[p[1]]
    }
    true = gold_pairs & pred_pairs
    precision = ratio(len(true), len(pred_pairs)) if pred_pairs else 1.0
    recall = ratio(len(true), len(gold_pairs)) if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def show(
        pairs: set[tuple[tuple[str, int, str], tuple[str, int, str]]],
    ) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((f"{a[0][:3]}:{a[2]}", f"{b[0][:3]}:{b[2]}") for a, b in pairs))

    speakers = _speaker_clusters(store, gold_dir, ids_by_file)
    return ClusteringReport(
        **speakers,  # type: ignore[arg-type]
        precision=precision,
        recall=recall,
        f1=f1,
        gold_pairs=len(gold_pairs),
        predicted_pairs=len(pred_pairs),
        true_pairs=len(true),
        items=len(items),
        unmatched_gold=tuple(unmatched),
        missed_pairs=show(gold_pairs - pred_pairs),
        wrong_pairs=show(pred_pairs - gold_pairs),
    )


def _speaker_clusters(
    store: QuoteStore, gold_dir: Path, ids_by_file: dict[str, str]
) -> dict[str, object]:
    quotes_path, speakers_path = gold_dir / "quotes.jsonl", gold_dir / "speakers.json"
    if not quotes_path.is_file():
        return {}
    pairs: list[tuple[str, str, str]] = []  # (gold speaker, corpus speaker id, its name)
    stored_by_article: dict[str, list[StoredQuote]] = {}
    for line in quotes_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        article_id = ids_by_file.get(d["file"])
        if d.get("speaker") is None or article_id is None:
            continue
        if article_id not in stored_by_article:
            stored_by_article[article_id] = store.list_quotes(article_id=article_id, limit=100_000)[
                0
            ]
        stored = _overlapping(stored_by_article[article_id], int(d["start"]), len(d["quote"]))
        if stored is not None and stored.speaker_id is not None:
            pairs.append((d["speaker"], stored.speaker_id, stored.speaker or stored.speaker_id))
    by_corpus: dict[str, Counter[str]] = {}
    by_gold: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    for gold, corpus, name in pairs:
        by_corpus.setdefault(corpus, Counter())[gold] += 1
        by_gold.setdefault(gold, Counter())[corpus] += 1
        names[corpus] = name
    n = len(pairs)
    lookups: list[str] = []
    if speakers_path.is_file():
        for speaker in json.loads(speakers_path.read_text(encoding="utf-8")):
            found = store.lookup_speakers(speaker["name"])
            if len(found) != 1:
                shown = ", ".join(r.name for r in found) or "none"
                lookups.append(f"{speaker['name']}: {shown}")
    return {
        "speaker_items": n,
        "speaker_purity": ratio(sum(max(c.values()) for c in by_corpus.values()), n) if n else 1.0,
        "speaker_completeness": (
            ratio(sum(max(c.values()) for c in by_gold.values()), n) if n else 1.0
        ),
        "speakers_split": tuple(
            f"{gold}: " + ", ".join(f"{names[c]} ({k})" for c, k in counts.most_common())
            for gold, counts in sorted(by_gold.items())
            if len(counts) > 1
        ),
        "speakers_merged": tuple(
            f"{names[corpus]}: " + ", ".join(f"{g} ({k})" for g, k in counts.most_common())
            for corpus, counts in sorted(by_corpus.items())
            if len(counts) > 1
        ),
        "speaker_lookups": tuple(lookups),
    }


def _overlapping(quotes: Sequence[StoredQuote], start: int, length: int) -> StoredQuote | None:
    best: tuple[int, StoredQuote] | None = None
    for q in quotes:
        overlap = min(q.end, start + length) - max(q.start, start)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, q)
    return None if best is None else best[1]


def format_clustering_report(report: ClusteringReport) -> str:
    lines = [
        f"Utterance clustering over {report.items} gold quotations:",
        f"  pairwise precision {report.precision:.3f}  recall {report.recall:.3f}"
        f"  F1 {report.f1:.3f}",
        f"  pairs: gold {report.gold_pairs}, predicted {report.predicted_pairs},"
        f" right {report.true_pairs}",
    ]
    if report.unmatched_gold:
        lines.append(f"  gold quotations not in the index ({len(report.unmatched_gold)}):")
        lines += [f"    {u}" for u in report.unmatched_gold]
    if report.missed_pairs:
        lines.append("  missed pairs:")
        lines += [f"    {a}  <->  {b}" for a, b in report.missed_pairs]
    if report.wrong_pairs:
        lines.append("  wrong pairs:")
        lines += [f"    {a}  <->  {b}" for a, b in report.wrong_pairs]
    if report.speaker_items:
        lines += [
            f"Speaker clusters over {report.speaker_items} attributed gold quotations:",
            f"  purity {report.speaker_purity:.3f}  completeness {report.speaker_completeness:.3f}",
            f"  gold people split over several corpus speakers: {len(report.speakers_split)}",
        ]
        lines += [f"    {s}" for s in report.speakers_split]
        lines.append(
            f"  corpus speakers holding several gold people: {len(report.speakers_merged)}"
        )
        lines += [f"    {s}" for s in report.speakers_merged]
        lines.append(
            f"  gold names not finding exactly one corpus speaker: {len(report.speaker_lookups)}"
        )
        lines += [f"    {s}" for s in report.speaker_lookups]
    return "\n".join(lines)


def _gold_items(
    gold_dir: Path, clusters: list[list[tuple[str, int, str]]]
) -> list[tuple[str, int, str]]:
    quotes_path = gold_dir / "quotes.jsonl"
    items: dict[tuple[str, int, str], None] = {}
    if quotes_path.is_file():
        for line in quotes_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                items[(d["file"], int(d["start"]), d["quote"])] = None
    for cluster in clusters:
        items.update(dict.fromkeys(cluster))
    return list(items)


def _article_ids_by_source(articles: Sequence[Article]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for article in articles:
        if article.meta.source_name:
            ids[Path(article.meta.source_name).name] = article.article_id
    return ids


def utterance_of(store: QuoteStore, article_id: str | None, start: int, length: int) -> str | None:
    """The utterance of the stored quotation overlapping a gold span most (None if none)."""
    if article_id is None:
        return None
    quotes, _ = store.list_quotes(article_id=article_id, limit=100_000)
    best: tuple[int, str] | None = None
    for q in quotes:
        overlap = min(q.end, start + length) - max(q.start, start)
        if overlap > 0 and q.utterance_id is not None and (best is None or overlap > best[0]):
            best = (overlap, q.utterance_id)
    return None if best is None else best[1]


def same_speaker(found: str | None, expected: str | None) -> bool:
    """The corpus speaker found is the expected one (its name, or a form that links)."""
    if found is None or expected is None:
        return False
    return name_key(found) == name_key(expected) or (
        identity.claim_link(expected, (found,)) is not None
    )


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0
