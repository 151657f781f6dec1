"""Seeded synthetic news corpus for benchmarks: articles with attributed quotations.

Realistic in the ways that matter to the index: Zipf-distributed vocabulary (a few
hundred function words carry most tokens, tens of thousands of rarer content words),
quotation lengths from one-word fragments to long statements (log-normal, median about a
dozen words), speakers with Zipf-distributed prominence, and wire copy reprinted across
articles (identical, truncated, or with a word changed), so clustering has work to do.

The NLP is bypassed: quotations are built with their offsets directly, then indexed
through the store's real API.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.ingest.model import Article, ArticleMeta

FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "i",
    "this",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
    "their",
    "we",
    "him",
    "been",
    "has",
    "when",
    "who",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "said",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "do",
    "first",
    "any",
    "my",
    "now",
    "such",
    "like",
    "our",
    "over",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
]
_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "cr",
    "dr",
    "fr",
    "gr",
    "pr",
    "tr",
    "st",
    "sh",
    "ch",
    "th",
    "pl",
]
_NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ie"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck"]

QUOTES_PER_ARTICLE = 10
REPRINT_SHARE = 0.15


@dataclass(frozen=True)
class SynthConfig:
    quotes: int = 10_000
    seed: int = 7
    vocabulary: int = 40_000
    speakers: int = 5_000
    outlets: int = 300


def _pseudo_word(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 3, 3, 4))
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS) for _ in range(syllables)
    )


def _zipf_cumulative(n: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


class SyntheticCorpus:
    """Deterministic for a given config: the same seed gives the same articles."""

    def __init__(self, config: SynthConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        rng = self._rng
        content = {_pseudo_word(rng) for _ in range(config.vocabulary * 2)}
        content_words = sorted(content - set(FUNCTION_WORDS))[: config.vocabulary]
        rng.shuffle(content_words)
        # Function words lead the ranking: they are the most frequent tokens in news.
        self.vocabulary = [*FUNCTION_WORDS, *content_words]
        self._vocab_cum = _zipf_cumulative(len(self.vocabulary))
        self.speakers = [
            f"{_pseudo_word(rng).capitalize()} {_pseudo_word(rng).capitalize()}"
            for _ in range(config.speakers)
        ]
        self._speaker_cum = _zipf_cumulative(len(self.speakers), 0.9)
        self.outlets = [
            f"The {_pseudo_word(rng).capitalize()} Times" for _ in range(config.outlets)
        ]
        self.printed: list[tuple[str, str]] = []  # (quote, speaker) for reprints and queries
        # For every quotation emitted, in order: the index in ``printed`` of the saying it
        # prints (itself when new) — the ground truth for clustering checks.
        self.origins: list[int] = []

    def words(self, n: int) -> list[str]:
        return self._rng.choices(self.vocabulary, cum_weights=self._vocab_cum, k=n)

    def quote_length(self) -> int:
        return max(1, min(60, round(math.exp(self._rng.gauss(2.4, 0.75)))))

    def _new_quote(self) -> tuple[str, str]:
        text = " ".join(self.words(self.quote_length()))
        speaker = self._rng.choices(self.speakers, cum_weights=self._speaker_cum, k=1)[0]
        return text[:1].upper() + text[1:] + ".", speaker

    def _reprint(self) -> tuple[str, str]:
        rng = self._rng
        origin = rng.randrange(len(self.printed))  # same draw as rng.choice(self.printed)
        self.origins.append(origin)
        text, speaker = self.printed[origin]
        tokens = text.rstrip(".").split()
        edit = rng.random()
        if edit < 0.5 or len(tokens) < 4:
            return text, speaker
        if edit < 0.75:
            start = rng.randrange(0, len(tokens) // 2)
            return " ".join(tokens[start : start + max(2, len(tokens) // 2)]), speaker
        tokens[rng.randrange(len(tokens))] = self.words(1)[0]
        return " ".join(tokens) + ".", speaker

    def articles(self) -> Iterator[tuple[Article, ArticleQuotes]]:
        """Articles until the configured number of quotations is reached."""
        rng = self._rng
        made = 0
        serial = 0
        while made < self.config.quotes:
            count = min(QUOTES_PER_ARTICLE, self.config.quotes - made)
            parts: list[str] = [f"Synthetic report {serial}\n\n"]
            offset = len(parts[0])
            quotes: list[AttributedQuote] = []
            for _ in range(count):
                if self.printed and rng.random() < REPRINT_SHARE:
                    text, speaker = self._reprint()
                else:
                    text, speaker = self._new_quote()
                    self.origins.append(len(self.printed))
                    self.printed.append((text, speaker))
                lead = f"{speaker} said: “"
                start = offset + len(lead)
                sentence = f"{lead}{text}”\n\n"
                parts.append(sentence)
                offset += len(sentence)
                quotes.append(
                    AttributedQuote(
                        text=text,
                        start=start,
                        end=start + len(text),
                        kind=QuoteKind.DIRECT if len(text.split()) > 3 else QuoteKind.PARTIAL,
                        speaker=speaker,
                        speaker_kind=EntityKind.PERSON,
                        speaker_aliases=(speaker, speaker.split()[-1]),
                        speaker_mention=speaker,
                        cue="said",
                        sieve="synthetic",
                        confidence=0.9,
                        context=sentence.strip(),
                    )
                )
            made += count
            has_outlet = rng.random() < 0.7
            meta = ArticleMeta(
                title=f"Synthetic report {serial}",
                outlet=rng.choice(self.outlets) if has_outlet else None,
                wire_credits=() if has_outlet else ("Reuters",),
                date=f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                source_name=f"synthetic-{serial}",
            )
            serial += 1
            yield Article("".join(parts), meta), ArticleQuotes(tuple(quotes), ("synthetic",))

    def typo(self, text: str) -> str:
        """One character deleted, doubled or swapped, inside a word."""
        rng = self._rng
        positions = [i for i, c in enumerate(text) if c.isalpha()]
        if len(positions) < 3:
            return text
        i = rng.choice(positions[1:-1])
        kind = rng.randrange(3)
        if kind == 0:
            return text[:i] + text[i + 1 :]
        if kind == 1:
            return text[:i] + text[i] + text[i:]
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
