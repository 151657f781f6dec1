"""Re-worded claims: does Verify find the quotation by its meaning, and only when it should?

A paraphrase set (eval/paraphrases_<gold set>.jsonl, written for this project) holds:
- ``paraphrase`` claims: a printed quotation re-worded, pointing at its gold quotation by
  file and start offset (the text itself stays in ../shared/eval and is read at run time);
- ``opposite`` and ``invented`` claims on the same topics and speakers: the opposite of a
  printed remark, or one nobody printed.

Scored with semantic search on and, as the baseline in the same run, lexical-only:
paraphrases ALTERED with the gold speaker on top (the bar is 90%), the share that found
the gold quotation's utterance, and opposite/invented claims given ALTERED (the bar is
10% at most) or any found verdict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quotetrace_server.evaluation.verification import (
    gold_quotes,
    ratio,
    same_speaker,
    utterance_of,
)
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.verify.model import MatchSignal, Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier

PARAPHRASE = "paraphrase"
UNSUPPORTED = ("opposite", "invented")


@dataclass(frozen=True)
class ParaphraseCase:
    claim: str
    claimed_speaker: str | None
    kind: str  # "paraphrase", "opposite" or "invented"
    gold_speaker: str | None = None  # paraphrases: the gold quotation's speaker
    gold_utterance: str | None = None  # paraphrases: its utterance in the index


@dataclass(frozen=True)
class ParaphraseOutcome:
    case: ParaphraseCase
    verdict: Verdict
    signal: MatchSignal
    top_speaker: str | None
    utterance_id: str | None
    cosine: float
    lexical: float

    @property
    def altered_with_right_speaker(self) -> bool:
        return self.verdict is Verdict.ALTERED and same_speaker(
            self.top_speaker, self.case.gold_speaker
        )

    @property
    def right_utterance(self) -> bool:
        return self.utterance_id is not None and self.utterance_id == self.case.gold_utterance


@dataclass(frozen=True)
class ParaphraseScores:
    """One run over the set (semantic on, or the lexical-only baseline)."""

    outcomes: tuple[ParaphraseOutcome, ...]

    def _of(self, kinds: Sequence[str]) -> list[ParaphraseOutcome]:
        return [o for o in self.outcomes if o.case.kind in kinds]

    @property
    def paraphrases(self) -> int:
        return len(self._of([PARAPHRASE]))

    @property
    def unsupported(self) -> int:
        return len(self._of(UNSUPPORTED))

    @property
    def paraphrase_altered_right_speaker(self) -> float:
        found = self._of([PARAPHRASE])
        return ratio(sum(o.altered_with_right_speaker for o in found), len(found))

    @property
    def paraphrase_right_utterance(self) -> float:
        found = self._of([PARAPHRASE])
        return ratio(sum(o.right_utterance for o in found), len(found))

    @property
    def unsupported_altered(self) -> float:
        claims = self._of(UNSUPPORTED)
        return ratio(sum(o.verdict is Verdict.ALTERED for o in claims), len(claims))

    @property
    def unsupported_found(self) -> float:
        """Opposite/invented claims given any verdict but NOT_FOUND."""
        claims = self._of(UNSUPPORTED)
        return ratio(sum(o.verdict is not Verdict.NOT_FOUND for o in claims), len(claims))

    def to_dict(self) -> dict[str, object]:
        return {
            "paraphrases": self.paraphrases,
            "unsupported": self.unsupported,
            "paraphrase_altered_right_speaker": round(self.paraphrase_altered_right_speaker, 4),
            "paraphrase_right_utterance": round(self.paraphrase_right_utterance, 4),
            "unsupported_altered": round(self.unsupported_altered, 4),
            "unsupported_found": round(self.unsupported_found, 4),
            "misses": self.misses(),
        }

    def misses(self) -> list[dict[str, object]]:
        """Paraphrases not ALTERED with the right speaker; unsupported claims found."""
        return [
            {
                "claim": o.case.claim,
                "kind": o.case.kind,
                "verdict": str(o.verdict),
                "signal": str(o.signal),
                "top_speaker": o.top_speaker,
                "cosine": o.cosine,
                "lexical": o.lexical,
            }
            for o in self.outcomes
            if (o.case.kind == PARAPHRASE and not o.altered_with_right_speaker)
            or (o.case.kind != PARAPHRASE and o.verdict is not Verdict.NOT_FOUND)
        ]


@dataclass(frozen=True)
class ParaphraseReport:
    semantic: ParaphraseScores
    lexical_only: ParaphraseScores


def load_paraphrases(
    path: Path, gold_dir: Path, store: QuoteStore, article_ids: dict[str, str]
) -> list[ParaphraseCase]:
    """The set's cases, each paraphrase resolved to its gold quotation's speaker and
    utterance (`article_ids`: gold file name → indexed article id)."""
    gold = gold_quotes(gold_dir)
    cases: list[ParaphraseCase] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        kind = d["kind"]
        if kind != PARAPHRASE and kind not in UNSUPPORTED:
            raise ValueError(f"{path}:{number}: unknown kind {kind!r}")
        speaker = utterance = None
        if kind == PARAPHRASE:
            key = (d["gold"]["file"], int(d["gold"]["start"]))
            if key not in gold:
                raise ValueError(f"{path}:{number}: no gold quotation at {key[0]}:{key[1]}")
            speaker = gold[key].get("speaker")
            utterance = utterance_of(
                store, article_ids.get(key[0]), key[1], len(gold[key]["quote"])
            )
        cases.append(ParaphraseCase(d["claim"], d.get("claimed_speaker"), kind, speaker, utterance))
    return cases


def evaluate_paraphrases(
    verifier: Verifier, lexical_only: Verifier, cases: Sequence[ParaphraseCase]
) -> ParaphraseReport:
    return ParaphraseReport(_run(verifier, cases), _run(lexical_only, cases))


def _run(verifier: Verifier, cases: Sequence[ParaphraseCase]) -> ParaphraseScores:
    outcomes: list[ParaphraseOutcome] = []
    for case in cases:
        result = verifier.verify(VerifyQuery(case.claim, case.claimed_speaker))
        outcomes.append(
            ParaphraseOutcome(
                case=case,
                verdict=result.verdict,
                signal=result.match_signal,
                top_speaker=result.speakers[0].name if result.speakers else None,
                utterance_id=result.utterance_id,
                cosine=result.semantic_similarity,
                lexical=result.lexical_score,
            )
        )
    return ParaphraseScores(tuple(outcomes))


def format_paraphrase_report(report: ParaphraseReport) -> str:
    lines = []
    for name, scores in (("semantic on", report.semantic), ("lexical-only", report.lexical_only)):
        lines.append(
            f"{name:13} paraphrases {scores.paraphrases}: ALTERED with the right speaker"
            f" {scores.paraphrase_altered_right_speaker:.3f}, right utterance"
            f" {scores.paraphrase_right_utterance:.3f}; opposite/invented {scores.unsupported}:"
            f" ALTERED {scores.unsupported_altered:.3f}, any found verdict"
            f" {scores.unsupported_found:.3f}"
        )
    for miss in report.semantic.misses():
        lines.append(f"    miss: {miss}")
    return "\n".join(lines)
