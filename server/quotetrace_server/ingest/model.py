"""Articles as they enter the system."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Origin(StrEnum):
    """Where a derived metadata value came from (a value the caller stated has none)."""

    TEXT = "text"  # the article text's header, credit or footer lines (ingest.metadata)
    HTML_METADATA = "html_metadata"  # the page's <head>, meta tags, JSON-LD (trafilatura)
    HTMLDATE = "htmldate"  # the page's markup or URL, read by htmldate
    WARC_RECORD = "warc_record"  # the archive record: its target URI, its capture date


# The metadata fields that can be derived; each has at most one origin.
DERIVABLE_FIELDS = ("title", "outlet", "wire_credits", "byline", "date", "url")


@dataclass(frozen=True)
class ArticleMeta:
    """What an article's text or manifest states about it. None/empty = not stated.

    `derived` names the fields whose value was read from the article itself rather
    than stated by the caller or a manifest, each with its origin.
    """

    title: str | None = None
    outlet: str | None = None
    wire_credits: tuple[str, ...] = ()
    byline: str | None = None
    date: str | None = None  # "YYYY-MM-DD"
    url: str | None = None
    source_name: str | None = None  # file name or caller-given name, for display
    source_path: str | None = None  # the file it was read from: its identity without a URL
    derived: tuple[tuple[str, Origin], ...] = ()

    def derived_from(self) -> dict[str, Origin]:
        return dict(self.derived)

    def marked(self, origin: Origin, fields: Iterable[str]) -> ArticleMeta:
        """These fields (those with a value) marked as derived from `origin`."""
        marks = self.derived_from()
        for name in fields:
            if _has_value(getattr(self, name)):
                marks[name] = origin
        return replace(self, derived=_ordered(marks))

    def stated(self, fields: Iterable[str]) -> ArticleMeta:
        """These fields' marks removed: their values were stated by the caller."""
        gone = set(fields)
        marks = {k: v for k, v in self.derived_from().items() if k not in gone}
        return replace(self, derived=_ordered(marks))

    def checked(self) -> ArticleMeta:
        """Marks only for fields that hold a value (a derived "nothing" is not stated)."""
        marks = {k: v for k, v in self.derived_from().items() if _has_value(getattr(self, k))}
        return replace(self, derived=_ordered(marks))


def _has_value(value: object) -> bool:
    return bool(value)


def _ordered(marks: Mapping[str, Origin]) -> tuple[tuple[str, Origin], ...]:
    return tuple((name, marks[name]) for name in DERIVABLE_FIELDS if name in marks)


@dataclass(frozen=True)
class Article:
    """One news article: its exact text and its metadata.

    Its identity is where it was printed: its URL, else the file it was read from,
    else (nothing else known) its text. The same text at another URL is another
    printing; another text at the same URL is a new version of the same article.
    """

    text: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    @property
    def identity(self) -> str:
        """ "url:…", "path:…" or "text:<hash>": what makes two ingests the same article."""
        return identity_for(self.meta.url, self.meta.source_path, self.text_hash)

    @property
    def text_hash(self) -> str:
        return article_id_for(self.text)

    @property
    def article_id(self) -> str:
        """The id a newly indexed article gets (a replaced one keeps its earlier id)."""
        return id_for_identity(self.identity)


def identity_for(url: str | None, source_path: str | None, text_hash: str) -> str:
    if url and url.strip():
        return "url:" + url.strip().split("#", 1)[0]
    if source_path:
        return "path:" + source_path
    return "text:" + text_hash


def id_for_identity(identity: str) -> str:
    """An article's id: its text hash when only its text identifies it (as before
    identities existed), else a hash of its URL or path."""
    if identity.startswith("text:"):
        return identity.removeprefix("text:")
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def article_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
