"""Gold-standard corpus as the index sees it: ArticleQuotes built from the hand annotation.

Not product code: it stands in for the attributor in index/verify tests and in the
evaluation scripts, so those can be developed and measured independently of the NLP.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.names import name_tokens
from quotetrace_server.ingest.model import Article, ArticleMeta

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
GOLD = REPO.parent / "shared" / "eval" / "seeds"

# What the gold standard gives an attributed quotation vs. an unattributed one.
GOLD_CONFIDENCE = 0.9
_PARAGRAPH = re.compile(r"\n\s*\n")


def _paragraph_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _PARAGRAPH.finditer(text, 0, start)), default=0)
    right_match = _PARAGRAPH.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right].strip()


def _article_name(text: str, name: str, aliases: list[str]) -> tuple[str, tuple[str, ...]]:
    """The fullest form of a speaker's name this article prints, and the forms it prints."""
    seen = tuple(a for a in aliases if a in text)
    if name in text or not seen:
        return name, seen or (name,)
    proper = [a for a in seen if a[:1].isupper()] or list(seen)
    # The attributor strips titles: prefer the form with the most name tokens, then the shortest.
    return max(proper, key=lambda a: (len(name_tokens(a)), -len(a))), seen


def gold_corpus(gold: Path = GOLD, seeds: Path = SEEDS) -> list[tuple[Article, ArticleQuotes]]:
    """Every seed article with its gold quotations (and non-speech marks as TERM)."""
    speakers = {s["name"]: s for s in json.loads((gold / "speakers.json").read_text("utf-8"))}
    metas = {
        m["file"]: m for m in map(json.loads, (gold / "meta.jsonl").read_text("utf-8").splitlines())
    }
    by_file: dict[str, list[AttributedQuote]] = {}
    texts = {p.name: p.read_text("utf-8") for p in sorted(seeds.glob("*.txt"))}
    for line in (gold / "quotes.jsonl").read_text("utf-8").splitlines():
        g = json.loads(line)
        text = texts[g["file"]]
        start, end = g["start"], g["start"] + len(g["quote"])
        assert text[start:end] == g["quote"]
        name: str | None = None
        aliases: tuple[str, ...] = ()
        kind: EntityKind | None = None
        if g["speaker"] is not None:
            spec = speakers[g["speaker"]]
            name, aliases = _article_name(text, spec["name"], spec["aliases"])
            kind = EntityKind(spec["kind"])
        by_file.setdefault(g["file"], []).append(
            AttributedQuote(
                text=g["quote"],
                start=start,
                end=end,
                kind=QuoteKind(g["kind"]),
                speaker=name,
                speaker_kind=kind,
                speaker_aliases=aliases,
                speaker_mention=g.get("speaker_mention"),
                cue=g.get("cue"),
                sieve="gold",
                confidence=GOLD_CONFIDENCE if name is not None else 0.0,
                context=_paragraph_around(text, start, end),
            )
        )
    for line in (gold / "not_quotes.jsonl").read_text("utf-8").splitlines():
        g = json.loads(line)
        text = texts[g["file"]]
        start, end = g["start"], g["start"] + len(g["text"])
        by_file.setdefault(g["file"], []).append(
            AttributedQuote(
                g["text"],
                start,
                end,
                QuoteKind.TERM,
                None,
                None,
                (),
                None,
                None,
                None,
                0.0,
                _paragraph_around(text, start, end),
            )
        )
    corpus = []
    for file, text in texts.items():
        m = metas.get(file, {})
        meta = ArticleMeta(
            title=m.get("title"),
            outlet=m.get("outlet"),
            wire_credits=tuple(m.get("wire_credits") or ()),
            byline=m.get("byline"),
            date=m.get("date"),
            url=m.get("url"),
            source_name=file,
        )
        quotes = tuple(sorted(by_file.get(file, []), key=lambda q: q.start))
        corpus.append((Article(text, meta), ArticleQuotes(quotes, ("gold",))))
    return corpus


def test_gold_quotations_are_exact_spans_of_the_seed_texts() -> None:
    corpus = gold_corpus()
    assert len(corpus) == 5
    for article, quotes in corpus:
        for q in quotes.quotes:
            assert article.text[q.start : q.end] == q.text
