"""Score the attributor against a hand-made gold standard (quotes.jsonl, not_quotes.jsonl,
speakers.json in the gold directory; the articles themselves in the corpus directory)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.finder import normalise_name

QUOTE_KINDS = (QuoteKind.DIRECT, QuoteKind.PARTIAL, QuoteKind.CONTINUATION)


class QuoteAttributor(Protocol):
    def attribute(self, text: str) -> ArticleQuotes: ...


@dataclass(frozen=True)
class GoldQuote:
    file: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class SieveStats:
    """How one sieve did on exactly matched spans: the measure behind its confidence."""

    decided: int = 0
    correct: int = 0  # right speaker (quotations) or rightly a term
    confidence_sum: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.decided if self.decided else 0.0

    @property
    def mean_confidence(self) -> float:
        return self.confidence_sum / self.decided if self.decided else 0.0


@dataclass
class ExtractionError:
    file: str
    error: str  # missed | spurious | wrong_speaker | kind_mismatch | term_attributed
    start: int
    end: int
    quote: str
    expected: str | None = None
    got: str | None = None


@dataclass
class ExtractionReport:
    files: int = 0
    exact: Score = field(default_factory=Score)  # direct + partial + continuation spans
    overlap: Score = field(default_factory=Score)
    exact_by_kind: dict[str, Score] = field(default_factory=dict)  # span and kind both right
    overlap_by_kind: dict[str, Score] = field(default_factory=dict)  # kind right, spans overlap
    speaker_matched: int = 0  # matched non-term quotes whose speaker was scored
    speaker_correct: int = 0
    predicted_quotes: int = 0  # non-term quotations the attributor produced
    unknown_speaker: int = 0  # ... of which with no speaker
    named_left_unknown: int = 0  # matched quotes with a named gold speaker but none predicted
    gold_terms: int = 0
    terms_attributed: int = 0  # gold term spans the attributor gave a speaker
    by_sieve: dict[str, SieveStats] = field(default_factory=dict)  # stage 1
    by_resolution: dict[str, SieveStats] = field(default_factory=dict)  # stage 2
    by_confidence: dict[str, SieveStats] = field(default_factory=dict)  # calibration buckets
    errors: list[ExtractionError] = field(default_factory=list)

    @property
    def calibration_error(self) -> float:
        """Expected calibration error over the confidence buckets (matched quotations)."""
        total = sum(st.decided for st in self.by_confidence.values())
        if not total:
            return 0.0
        return (
            sum(
                st.decided * abs(st.accuracy - st.mean_confidence)
                for st in self.by_confidence.values()
            )
            / total
        )

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_matched if self.speaker_matched else 1.0

    @property
    def unknown_speaker_rate(self) -> float:
        return self.unknown_speaker / self.predicted_quotes if self.predicted_quotes else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "exact": self.exact.as_dict(),
            "overlap": self.overlap.as_dict(),
            "exact_by_kind": {k: s.as_dict() for k, s in self.exact_by_kind.items()},
            "overlap_by_kind": {k: s.as_dict() for k, s in self.overlap_by_kind.items()},
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "speaker_matched": self.speaker_matched,
            "speaker_correct": self.speaker_correct,
            "predicted_quotes": self.predicted_quotes,
            "unknown_speaker": self.unknown_speaker,
            "unknown_speaker_rate": round(self.unknown_speaker_rate, 4),
            "named_left_unknown": self.named_left_unknown,
            "gold_terms": self.gold_terms,
            "terms_attributed": self.terms_attributed,
            "by_sieve": _stats_table(self.by_sieve),
            "by_resolution": _stats_table(self.by_resolution),
            "calibration": _stats_table(self.by_confidence),
            "calibration_error": round(self.calibration_error, 4),
            "errors": [asdict(e) for e in self.errors],
        }


def _stats_table(table: dict[str, SieveStats]) -> dict[str, dict[str, float | int]]:
    return {
        name: {
            "decided": st.decided,
            "correct": st.correct,
            "accuracy": round(st.accuracy, 4),
            "mean_confidence": round(st.mean_confidence, 4),
        }
        for name, st in sorted(table.items())
    }


def load_gold(gold_dir: Path) -> tuple[list[GoldQuote], dict[str, set[str]]]:
    """Gold quotations (terms included, as kind TERM) and, per canonical speaker, the
    normalised names that count as that speaker."""
    quotes: list[GoldQuote] = []
    for row in _read_jsonl(gold_dir / "quotes.jsonl"):
        text = str(row["quote"])
        start = int(row["start"])
        quotes.append(
            GoldQuote(
                row["file"], start, start + len(text), text, QuoteKind(row["kind"]), row["speaker"]
            )
        )
    not_quotes = gold_dir / "not_quotes.jsonl"
    if not_quotes.exists():
        for row in _read_jsonl(not_quotes):
            text = str(row["text"])
            start = int(row["start"])
            quotes.append(
                GoldQuote(row["file"], start, start + len(text), text, QuoteKind.TERM, None)
            )
    aliases: dict[str, set[str]] = {}
    speakers = gold_dir / "speakers.json"
    if speakers.exists():
        for entry in json.loads(speakers.read_text(encoding="utf-8")):
            names = {normalise_name(entry["name"])} | {
                normalise_name(a) for a in entry.get("aliases", [])
            }
            aliases[normalise_name(entry["name"])] = names
    return quotes, aliases


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def evaluate_extraction(
    gold_dir: Path, corpus_dir: Path, attributor: QuoteAttributor
) -> ExtractionReport:
    """Run the attributor over every article the gold covers and score it."""
    gold, aliases = load_gold(Path(gold_dir))
    report = ExtractionReport()
    report.exact_by_kind = {k.value: Score() for k in (*QUOTE_KINDS, QuoteKind.TERM)}
    report.overlap_by_kind = {k.value: Score() for k in (*QUOTE_KINDS, QuoteKind.TERM)}
    files = sorted({g.file for g in gold})
    report.files = len(files)
    for name in files:
        text = (Path(corpus_dir) / name).read_text(encoding="utf-8")
        predicted = list(attributor.attribute(text).quotes)
        _score_file(report, name, [g for g in gold if g.file == name], predicted, aliases)
    return report


def _score_file(
    report: ExtractionReport,
    file: str,
    gold: list[GoldQuote],
    predicted: list[AttributedQuote],
    aliases: dict[str, set[str]],
) -> None:
    gold_quotes = [g for g in gold if g.kind != QuoteKind.TERM]
    gold_terms = [g for g in gold if g.kind == QuoteKind.TERM]
    pred_quotes = [p for p in predicted if p.kind != QuoteKind.TERM]
    by_span = {(p.start, p.end): p for p in predicted}
    gold_spans = {(g.start, g.end) for g in gold}

    report.predicted_quotes += len(pred_quotes)
    report.unknown_speaker += sum(1 for p in pred_quotes if p.speaker is None)
    _add_span_scores(report, gold_quotes, pred_quotes)
    for kind, score in report.exact_by_kind.items():
        gold_k = {(g.start, g.end) for g in gold if g.kind.value == kind}
        pred_k = {(p.start, p.end) for p in predicted if p.kind.value == kind}
        score.gold += len(gold_k)
        score.predicted += len(pred_k)
        score.true_positives += len(gold_k & pred_k)
        overlap = report.overlap_by_kind[kind]
        overlap.gold += len(gold_k)
        overlap.predicted += len(pred_k)
        overlap.true_positives += _overlap_matches(sorted(gold_k), sorted(pred_k))

    for g in gold_quotes:
        p = by_span.get((g.start, g.end))
        if p is None:
            report.errors.append(
                ExtractionError(file, "missed", g.start, g.end, g.text, g.kind.value)
            )
            continue
        if p.kind != g.kind:
            report.errors.append(
                ExtractionError(
                    file, "kind_mismatch", g.start, g.end, g.text, g.kind.value, p.kind.value
                )
            )
        if p.kind == QuoteKind.TERM:
            continue
        report.speaker_matched += 1
        if _same_speaker(g.speaker, p, aliases):
            report.speaker_correct += 1
        else:
            report.errors.append(
                ExtractionError(file, "wrong_speaker", g.start, g.end, g.text, g.speaker, p.speaker)
            )
        if g.speaker is not None and p.speaker is None:
            report.named_left_unknown += 1
    report.gold_terms += len(gold_terms)
    for g in gold_terms:
        p = by_span.get((g.start, g.end))
        if p is None:
            report.errors.append(ExtractionError(file, "missed", g.start, g.end, g.text, "term"))
            continue
        if p.kind != QuoteKind.TERM:
            report.errors.append(
                ExtractionError(file, "kind_mismatch", g.start, g.end, g.text, "term", p.kind.value)
            )
        if p.speaker is not None:
            report.terms_attributed += 1
            report.errors.append(
                ExtractionError(file, "term_attributed", g.start, g.end, g.text, None, p.speaker)
            )
    gold_by_span = {(g.start, g.end): g for g in gold}
    for p in predicted:
        matched = gold_by_span.get((p.start, p.end))
        if matched is not None:
            _count_sieve(report, p, matched, aliases)
    for p in predicted:
        if (p.start, p.end) not in gold_spans:
            report.errors.append(
                ExtractionError(file, "spurious", p.start, p.end, p.text, None, p.kind.value)
            )


def _count_sieve(
    report: ExtractionReport,
    predicted: AttributedQuote,
    gold: GoldQuote,
    aliases: dict[str, set[str]],
) -> None:
    is_term = predicted.kind == QuoteKind.TERM
    correct = False
    if is_term and gold.kind == QuoteKind.TERM:
        correct = True
    elif not is_term and gold.kind != QuoteKind.TERM:
        correct = _same_speaker(gold.speaker, predicted, aliases)
    keys = (
        (report.by_sieve, predicted.sieve or "none"),
        (report.by_resolution, predicted.resolution or "none"),
        (report.by_confidence, _bucket(predicted.confidence)),
    )
    for table, key in keys:
        stats = table.setdefault(key, SieveStats())
        stats.decided += 1
        stats.confidence_sum += predicted.confidence
        stats.correct += int(correct)


CONFIDENCE_BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def _bucket(confidence: float) -> str:
    """The calibration bucket of a confidence, as "[0.8, 0.9)"."""
    for low, high in itertools.pairwise(CONFIDENCE_BUCKETS):
        if confidence < high or high == 1.0:
            return f"[{low:.1f}, {high:.1f}{']' if high == 1.0 else ')'}"
    return "[1.0, 1.0]"


def _add_span_scores(
    report: ExtractionReport, gold: list[GoldQuote], predicted: list[AttributedQuote]
) -> None:
    gold_spans = {(g.start, g.end) for g in gold}
    pred_spans = {(p.start, p.end) for p in predicted}
    report.exact.gold += len(gold_spans)
    report.exact.predicted += len(pred_spans)
    report.exact.true_positives += len(gold_spans & pred_spans)
    report.overlap.gold += len(gold_spans)
    report.overlap.predicted += len(pred_spans)
    report.overlap.true_positives += _overlap_matches(sorted(gold_spans), sorted(pred_spans))


def _overlap_matches(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> int:
    """One-to-one matches between spans that share at least one character (greedy)."""
    used: set[tuple[int, int]] = set()
    matches = 0
    for g_start, g_end in gold:
        for span in predicted:
            if span not in used and span[0] < g_end and g_start < span[1]:
                used.add(span)
                matches += 1
                break
    return matches


def _same_speaker(
    gold: str | None, predicted: AttributedQuote, aliases: dict[str, set[str]]
) -> bool:
    """Null matches null; a name matches its canonical form or any gold alias of it."""
    if gold is None or predicted.speaker is None:
        return gold is None and predicted.speaker is None
    accepted = aliases.get(normalise_name(gold), {normalise_name(gold)})
    accepted = accepted | {_without_initials(a) for a in accepted}
    name = normalise_name(predicted.speaker)
    return name in accepted or _without_initials(name) in accepted


def _without_initials(name: str) -> str:
    """A normalised name without its middle initials ("lewis a. kaplan" -> "lewis kaplan"):
    the same person, whichever form the article printed in full."""
    parts = name.split()
    if len(parts) < 3:
        return name
    middle = [p for p in parts[1:-1] if len(p.rstrip(".")) > 1]
    return " ".join([parts[0], *middle, parts[-1]])


def format_report(report: ExtractionReport) -> str:
    lines = [f"Quote extraction against gold ({report.files} files)", ""]
    lines.append("Spans (direct + partial + continuation):")
    lines.append(_score_line("exact", report.exact))
    lines.append(_score_line("overlap", report.overlap))
    lines.append("")
    lines.append("By kind (kind must agree), exact span / overlapping span:")
    for kind, score in report.exact_by_kind.items():
        lines.append(_score_line(f"{kind} exact", score))
        lines.append(_score_line(f"{kind} overlap", report.overlap_by_kind[kind]))
    lines.append("")
    lines.append(
        f"Speaker accuracy on matched quotes: {report.speaker_accuracy:.3f} "
        f"({report.speaker_correct}/{report.speaker_matched})"
    )
    lines.append(
        f"Unknown-speaker rate: {report.unknown_speaker_rate:.3f} "
        f"({report.unknown_speaker}/{report.predicted_quotes} predicted quotes; "
        f"{report.named_left_unknown} with a named gold speaker)"
    )
    lines.append(f"Term spans attributed: {report.terms_attributed}/{report.gold_terms}")
    lines.append("")
    tables = (
        ("By deciding sieve, stage 1 (matched spans): correct/decided, mean confidence", "sieve"),
        ("By resolution rule, stage 2 (matched spans)", "resolution"),
        ("Calibration: confidence bucket, expected (mean confidence) vs observed accuracy", ""),
    )
    for title, which in tables:
        lines.append(title)
        table = {
            "sieve": report.by_sieve,
            "resolution": report.by_resolution,
            "": report.by_confidence,
        }[which]
        ordered = sorted(table.items(), key=lambda kv: kv[0] if not which else -kv[1].decided)
        for name, stats in ordered:
            lines.append(
                f"  {name:<20} {stats.correct:>3}/{stats.decided:<3} "
                f"acc={stats.accuracy:.2f} conf={stats.mean_confidence:.2f}"
            )
        lines.append("")
    lines.append(f"Expected calibration error: {report.calibration_error:.3f}")
    lines.append("")
    if not report.errors:
        lines.append("Errors: none")
    else:
        lines.append(f"Errors ({len(report.errors)}):")
        for e in report.errors:
            detail = ""
            if e.error in ("wrong_speaker", "kind_mismatch", "term_attributed"):
                detail = f" expected={e.expected!r} got={e.got!r}"
            elif e.error == "spurious":
                detail = f" kind={e.got}"
            elif e.error == "missed":
                detail = f" kind={e.expected}"
            lines.append(f"  {e.error:<16} {e.file} [{e.start}:{e.end}] {_clip(e.quote)!r}{detail}")
    return "\n".join(lines)


def _score_line(label: str, score: Score) -> str:
    return (
        f"  {label:<20} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
        f"(tp={score.true_positives} pred={score.predicted} gold={score.gold})"
    )


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
