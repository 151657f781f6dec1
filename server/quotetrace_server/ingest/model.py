"""Articles as they enter the system."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ArticleMeta:
    """What an article's text or manifest states about it. None/empty = not stated."""

    title: str | None = None
    outlet: str | None = None
    wire_credits: tuple[str, ...] = ()
    byline: str | None = None
    date: str | None = None  # "YYYY-MM-DD"
    url: str | None = None
    source_name: str | None = None  # file name or caller-given name, for display


@dataclass(frozen=True)
class Article:
    """One news article: its exact text and its metadata."""

    text: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    @property
    def article_id(self) -> str:
        """Content hash: the same text is the same article, whatever its name."""
        return article_id_for(self.text)


def article_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
