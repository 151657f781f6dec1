"""Claims with the printed words and the speaker in each form a gold set gives them.

For every gold quotation of at least MIN_WORDS words with a named speaker, Verify is asked
with the quotation's own words and (a) each form the gold lists for its speaker (full name,
surname, "Judge X", "the judge", a role, a nickname): none of these may come back
MISATTRIBUTED, the error that sends a fact-checker to publish a false correction; and
(b) the name of another gold speaker of the same set: that should be MISATTRIBUTED (or
UNATTRIBUTED when the printings leave doubt), never VERIFIED or ALTERED.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotetrace_server.verify.model import Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier

# Shorter quotations ("we will", a single word) are not what a claim quotes.
MIN_WORDS = 6
ACCEPTED = (Verdict.VERIFIED, Verdict.ALTERED)
EXAMPLES = 10


@dataclass
class SpeakerFormScores:
    right: Counter[str] = field(default_factory=Counter)  # verdict name -> claims
    wrong: Counter[str] = field(default_factory=Counter)
    misattributed_right: list[dict[str, str]] = field(default_factory=list)
    accepted_wrong: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "right_form_claims": sum(self.right.values()),
            "right_form_misattributed": self.right[Verdict.MISATTRIBUTED.name],
            "right_form_verdicts": dict(sorted(self.right.items())),
            "wrong_speaker_claims": sum(self.wrong.values()),
            "wrong_speaker_accepted": sum(self.wrong[v.name] for v in ACCEPTED),
            "wrong_speaker_verdicts": dict(sorted(self.wrong.items())),
            "examples_right_misattributed": self.misattributed_right[:EXAMPLES],
            "examples_wrong_accepted": self.accepted_wrong[:EXAMPLES],
        }


def evaluate_speaker_forms(verifier: Verifier, gold_dir: Path) -> SpeakerFormScores | None:
    """None when the gold set has no speakers.json."""
    speakers_file = gold_dir / "speakers.json"
    if not speakers_file.is_file():
        return None
    speakers = {s["name"]: s for s in json.loads(speakers_file.read_text(encoding="utf-8"))}
    people = [name for name, s in speakers.items() if s.get("kind") == "person"]
    scores = SpeakerFormScores()
    for text, speaker in _claims(gold_dir):
        if speaker not in speakers:
            continue
        for form in sorted(set(speakers[speaker].get("aliases", [])) | {speaker}):
            verdict = verifier.verify(VerifyQuery(text, form)).verdict
            scores.right[verdict.name] += 1
            if verdict is Verdict.MISATTRIBUTED:
                scores.misattributed_right.append({"quote": text, "claimed": form})
        other = _another(people, speaker)
        if other is not None:
            verdict = verifier.verify(VerifyQuery(text, other)).verdict
            scores.wrong[verdict.name] += 1
            if verdict in ACCEPTED:
                scores.accepted_wrong.append({"quote": text, "claimed": other})
    return scores


def _claims(gold_dir: Path) -> list[tuple[str, str]]:
    """Distinct (quotation, speaker) pairs of the gold, long enough to be claims."""
    seen: dict[tuple[str, str], None] = {}
    for line in (gold_dir / "quotes.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        if q.get("speaker") and len(q["quote"].split()) >= MIN_WORDS:
            seen[(q["quote"], q["speaker"])] = None
    return list(seen)


def _another(people: list[str], speaker: str) -> str | None:
    """The next person of the gold set after `speaker` (a fixed, reproducible choice)."""
    others = [p for p in people if p != speaker]
    if not others:
        return None
    after = [p for p in others if p > speaker]
    return (after or others)[0]


def format_speaker_form_report(scores: SpeakerFormScores) -> str:
    d = scores.to_dict()
    lines = [
        f"right speaker in each gold form: {d['right_form_claims']} claims,"
        f" MISATTRIBUTED {d['right_form_misattributed']}; {d['right_form_verdicts']}",
        f"another gold speaker: {d['wrong_speaker_claims']} claims, VERIFIED/ALTERED"
        f" {d['wrong_speaker_accepted']}; {d['wrong_speaker_verdicts']}",
    ]
    lines += [
        f"  misattributed: {e['claimed']!r} for “{e['quote']}”"
        for e in d["examples_right_misattributed"]
    ]
    lines += [
        f"  accepted: {e['claimed']!r} for “{e['quote']}”" for e in d["examples_wrong_accepted"]
    ]
    return "\n".join(lines)
