"""Speaker identity on a probe written for this project (tests/data/identity_probe.jsonl).

Every person, outlet and sentence in the probe is invented. Each line is one scenario: a
small corpus of two to four articles in which people are named in different forms (a
bare surname after the full name elsewhere, titles, middle initials, diacritics,
transliterations, hyphenated, double and particle surnames, family name first, al-/bin,
nicknames, Sr./Jr., two people sharing a surname, one full name for two people, an
organisation named after a family), with the person each quotation's speaker is. A
person of null is a speaker no one can tell (a bare surname that fits two people): it
must merge with no one.

Each scenario is ingested into a fresh store by the real path (the attributor, then the
index, as `quotetrace-server eval` does); the speaker ids of its quotations are compared
pairwise with the gold persons: precision (pairs merged that are one person) and recall
(pairs of one person that were merged). A wrong merge costs more than a missed one.
Every scenario is scored with its articles in file order and in reverse order (a speaker
seen first in a short form must end up where it would have gone seen last).
`python tests/test_identity_probe.py` prints the scores and every wrong or missed pair.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.nlp.pipeline import NlpPipeline

PROBE = Path(__file__).resolve().parent / "data" / "identity_probe.jsonl"

Item = tuple[str, int]  # (article id in the probe, quotation index)


@dataclass(frozen=True)
class PairScore:
    precision: float
    recall: float
    wrong: tuple[str, ...]  # pairs merged that are two people
    missed: tuple[str, ...]  # pairs of one person left apart
    unplaced: tuple[str, ...]  # quotations the attributor gave no speaker (or did not find)

    def summary(self) -> str:
        return (
            f"pair precision {self.precision:.3f} recall {self.recall:.3f}"
            f" (wrong merges {len(self.wrong)}, missed merges {len(self.missed)},"
            f" quotations without a speaker {len(self.unplaced)})"
        )


def load_probe() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class _Counts:
    gold: int = 0
    predicted: int = 0
    right: int = 0


def reversed_articles(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scenarios with their articles ingested last first."""
    return [{**s, "articles": s["articles"][::-1]} for s in scenarios]


def _speakers_of(
    scenario: dict[str, Any], attributor: Attributor
) -> dict[Item, tuple[str | None, str]]:
    """Each quotation's corpus speaker id and how it is shown, after ingesting the scenario."""
    store = SqliteStore(":memory:")
    try:
        stored_ids = {}
        for entry in scenario["articles"]:
            article = Article(
                entry["text"], ArticleMeta(outlet=entry["outlet"], source_name=entry["id"])
            )
            quotes = attributor.attribute(entry["text"])
            stored_ids[entry["id"]] = store.add_article(article, quotes).article_id
        found: dict[Item, tuple[str | None, str]] = {}
        for entry in scenario["articles"]:
            stored, _ = store.list_quotes(article_id=stored_ids[entry["id"]], limit=1000)
            for i, gold in enumerate(entry["quotes"]):
                start = entry["text"].index(gold["quote"])
                end = start + len(gold["quote"])
                hit = next((q for q in stored if q.start < end and start < q.end), None)
                speaker_id = hit.speaker_id if hit is not None else None
                shown = f"{entry['id']}: {gold['quote'][:28]!r} by {hit.speaker if hit else None!r}"
                found[(entry["id"], i)] = (speaker_id, shown)
        return found
    finally:
        store.close()


def score_probe(scenarios: list[dict[str, Any]], attributor: Attributor) -> PairScore:
    counts = _Counts()
    wrong: list[str] = []
    missed: list[str] = []
    unplaced: list[str] = []
    for scenario in scenarios:
        found = _speakers_of(scenario, attributor)
        person: dict[Item, str] = {}
        for entry in scenario["articles"]:
            for i, gold in enumerate(entry["quotes"]):
                item = (entry["id"], i)
                # A null person is nobody anyone can tell: a person of its own.
                person[item] = gold["person"] or f"unknown {entry['id']}:{i}"
        unplaced += [shown for speaker, shown in found.values() if speaker is None]
        for a, b in itertools.combinations(sorted(person), 2):
            same_gold = person[a] == person[b]
            same_found = found[a][0] is not None and found[a][0] == found[b][0]
            counts.gold += same_gold
            counts.predicted += same_found
            counts.right += same_gold and same_found
            pair = f"[{scenario['id']}] {found[a][1]}  <->  {found[b][1]}"
            if same_found and not same_gold:
                wrong.append(pair)
            elif same_gold and not same_found:
                missed.append(pair)
    precision = counts.right / counts.predicted if counts.predicted else 1.0
    recall = counts.right / counts.gold if counts.gold else 1.0
    return PairScore(precision, recall, tuple(wrong), tuple(missed), tuple(unplaced))


def test_probe_quotations_are_in_their_articles_and_persons_are_given() -> None:
    scenarios = load_probe()
    assert len(scenarios) >= 25 and len({s["id"] for s in scenarios}) == len(scenarios)
    for scenario in scenarios:
        assert 2 <= len(scenario["articles"]) <= 6
        for entry in scenario["articles"]:
            for gold in entry["quotes"]:
                assert gold["quote"] in entry["text"] and "person" in gold


def test_scorer_counts_a_merge_of_two_people_as_wrong(models_dir: str) -> None:
    """Two people whose full names share only the surname, and a bare surname that fits
    both: the scorer sees no wrong merge and no missed one when the store keeps them apart."""

    def article(n: int, text: str, quote: str, person: str) -> dict[str, Any]:
        quotes = [{"quote": quote, "person": person}]
        return {"id": f"t-{n}", "outlet": f"Outlet {n}", "text": text, "quotes": quotes}

    scenario = {
        "id": "t",
        "articles": [
            article(1, "“Go now,” said Ana Ruizdal.", "Go now,", "ana"),
            article(2, "“Stay here,” said Bo Ruizdal.", "Stay here,", "bo"),
        ],
    }
    score = score_probe([scenario], Attributor(NlpPipeline.shared(models_dir)))
    assert (score.precision, score.recall, score.wrong, score.missed) == (1.0, 1.0, (), ())


@pytest.fixture(scope="module")
def attributor(models_dir: str) -> Attributor:
    return Attributor(NlpPipeline.shared(models_dir))


@pytest.mark.parametrize("order", ["file order", "reverse order"])
def test_probe_speakers_meet_the_bars(attributor: Attributor, order: str) -> None:
    scenarios = load_probe()
    if order == "reverse order":
        scenarios = reversed_articles(scenarios)
    score = score_probe(scenarios, attributor)
    print(score.summary(), *score.wrong, *score.missed, sep="\n")
    precision, recall, wrong = PROBE_BARS[order]
    assert score.precision >= precision, score.wrong
    assert score.recall >= recall, score.missed
    assert len(score.wrong) <= wrong, score.wrong


# (pair precision, pair recall, wrong merges) per order: the figures measured when the
# rules were last changed (docs/speakers.md gives the history and what is still wrong).
PROBE_BARS = {"file order": (0.981, 0.881, 1), "reverse order": (0.980, 0.847, 1)}


if __name__ == "__main__":
    shared = Attributor(NlpPipeline.shared())
    for name, run in [
        ("file order", load_probe()),
        ("reverse order", reversed_articles(load_probe())),
    ]:
        result = score_probe(run, shared)
        print(f"{name}: {result.summary()}")
        for line in result.wrong:
            print("  wrong   ", line)
        for line in result.missed:
            print("  missed  ", line)
        for line in result.unplaced:
            print("  no speaker", line)
