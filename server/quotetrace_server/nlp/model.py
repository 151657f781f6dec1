"""Sentences and tokens with character offsets into the original text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    """One word. Optional fields are filled only when that stanza processor ran."""

    text: str
    start: int
    end: int
    upos: str | None = None
    lemma: str | None = None
    head: int | None = None  # index of the head word within the sentence; -1 = root
    deprel: str | None = None
    ner: str | None = None  # BIOES tag, e.g. "S-PERSON"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class ParsedText:
    text: str
    sentences: tuple[Sentence, ...]
    processors: tuple[str, ...]  # stanza processors that ran, e.g. ("tokenize", "mwt")
