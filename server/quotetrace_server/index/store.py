"""The narrow storage interface the API and the verifier use; index.sql implements it on
SQLite (index.sqlite_store) and on PostgreSQL (index.postgres_store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from quotetrace_server.attribution.model import ArticleQuotes
from quotetrace_server.index.model import (
    ArticleRecord,
    CorpusStats,
    DeletedArticle,
    IngestOutcome,
    PrintingFilter,
    QuoteDetail,
    SearchHit,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.ingest.model import Article


class QuoteStore(Protocol):
    def add_article(self, article: Article, quotes: ArticleQuotes) -> IngestOutcome:
        """Index one article atomically by its identity (URL, path, else text): added,
        replaced (a new text at a known identity) or unchanged (the same text)."""
        ...

    def unchanged(self, article: Article) -> IngestOutcome | None:
        """The outcome when ingesting the article would change nothing, else None."""
        ...

    def delete_article(self, article_id: str) -> DeletedArticle | None:
        """Remove an article and what derives from it; None when there is no such id."""
        ...

    def article_record(self, article_id: str) -> ArticleRecord | None: ...

    def list_articles(
        self, *, offset: int = 0, limit: int = 50, outlet: str | None = None
    ) -> tuple[list[ArticleRecord], int]:
        """One page of articles in indexing order, and the total."""
        ...

    def has_article(self, article_id: str) -> bool: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def list_quotes(
        self,
        *,
        article_id: str | None = None,
        speaker_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
        text_chars: int | None = None,
    ) -> tuple[list[StoredQuote], int]:
        """One page of quotations in article order, and the total matching. With
        `text_chars`, a text longer than that comes as its first and last text_chars // 2
        characters joined by " … " (text_truncated), cut before it leaves the index."""
        ...

    def find_speaker(self, name: str) -> SpeakerRecord | None:
        """The corpus speaker a name denotes (alias-aware); the best supported if several."""
        ...

    def lookup_speakers(self, name: str) -> list[SpeakerRecord]:
        """Every speaker a name may denote, best supported first (several: ambiguous)."""
        ...

    def speaker_lookup(self, name: str) -> SpeakerLookup | None:
        """A name (any form, or a speaker id) → its speaker, candidates, forms, evidence."""
        ...

    def stats(self) -> CorpusStats: ...

    def close(self) -> None: ...

    # --- used by the verifier ---------------------------------------------------------

    def search(
        self,
        normalized_query: str,
        limit: int,
        printed: PrintingFilter | None = None,
        words_missing: Callable[[], None] | None = None,
    ) -> Iterator[SearchHit]:
        """Speech quotations sharing the query's most selective terms, best first; of the
        ``limit`` best, those whose article ``printed`` admits. Read lazily: stopping
        early saves work. ``words_missing`` (optional) is called, before the candidates
        are read, when the term counts show that no quotation is worded nearly like the
        query (the caller may start its look-up by meaning); it changes no hit."""
        ...

    def wording_hits(
        self, wording_hashes: Sequence[int], printed: PrintingFilter | None = None
    ) -> list[tuple[int, SearchHit]]:
        """(wording hash, hit) of the speech quotations printing these wordings (by the hash
        of their normalised text), in the order given, of the articles ``printed`` admits."""
        ...

    def speech_wordings(self, article_id: str | None = None) -> list[tuple[int, str]]:
        """(wording hash, printed text) of each distinct speech wording, of one article or
        of the whole index."""
        ...

    def utterance_details(self, utterance_id: str) -> list[QuoteDetail]:
        """Every printing of one utterance, in article order."""
        ...

    def speakers_named(self, name: str) -> frozenset[str]:
        """Ids of every corpus speaker the name may denote (all of them if ambiguous)."""
        ...

    def get_speaker(self, speaker_id: str, *, with_articles: bool = True) -> SpeakerRecord | None:
        """A speaker by id; ``with_articles=False`` may leave ``article_ids`` empty."""
        ...
