"""The engine behind the API: one store, one verifier, one attributor, one writer at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from quotetrace_server.attribution.attributor import Attributor, attribute_parsed
from quotetrace_server.index.integrity import IndexFile, check_index_file, mark_index
from quotetrace_server.index.model import (
    CorpusStats,
    IngestOutcome,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.ingest.model import Article
from quotetrace_server.ingest.reader import read_articles
from quotetrace_server.nlp.pipeline import NlpPipeline, NlpStopped
from quotetrace_server.semantic.search import EmbedReport, SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors, vectors_path
from quotetrace_server.verify.model import VerifyQuery, VerifyResult
from quotetrace_server.verify.verifier import Verifier

log = logging.getLogger(__name__)

# An article's NLP (stanza) stops after this long and the article is refused with the
# reason (issue 15, B3): with the text handed to stanza a bounded piece at a time its
# cost grows with the text's length, and 2 MiB of prose takes about 150 s on one core.
NLP_SECONDS_PER_ARTICLE = 300.0
# During ingest the wording vectors are written out at most this often (the file is
# rewritten whole; Verify workers re-map it); always at the end of a batch and on close.
VECTORS_SAVE_SECONDS = 30.0


class Engine:
    """Ingests articles (NLP → attribution → index) and answers queries from the index.

    The attributor is built on first use: a read-only server never loads stanza.
    Each article is one transaction by one writer; its NLP and attribution run before,
    outside the write lock, so a long article holds up no other writer (issue 15, B4).
    """

    def __init__(
        self,
        store: QuoteStore,
        attributor: Callable[[], Attributor],
        *,
        nlp_seconds: float = NLP_SECONDS_PER_ARTICLE,
        semantic: SemanticSearch | None = None,
    ) -> None:
        self.store = store
        self.semantic = semantic
        self.verifier = Verifier(store, semantic)
        self.embedding = EmbedReport()  # what ingest spent on embedding wordings, in all
        self._make_attributor = attributor
        self._attributor: Attributor | None = None
        self._attributor_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._nlp_seconds = nlp_seconds
        self._stopping = threading.Event()
        self._index_processors: tuple[str, ...] | None = None  # cached: stats() counts rows

    @classmethod
    def open(
        cls,
        db: Path | str,
        stanza_dir: str | None = None,
        *,
        check: bool = True,
        semantic: bool = True,
        writer: bool = True,
    ) -> Engine:
        """Open the index file `db`, creating it (with a log line saying so) if there is none.

        With `check` (the default) the file is checked first and refused, untouched, with
        IndexFileError when it is another application's file or damaged (see
        index.integrity). Verify workers skip the check: the front process has made it.
        With `semantic`, wordings are embedded at ingest and Verify looks claims up by
        meaning too (the model loads on first use; `require_semantic` loads it now).
        A `writer` keeps the wording vectors in memory and saves them; a reader (a Verify
        worker) memory-maps the saved file.
        """
        make_attributor = lambda: Attributor(NlpPipeline.shared(stanza_dir))  # noqa: E731
        if str(db) == ":memory:":
            vectors = WordingVectors(None, writable=True)
            return cls(
                SqliteStore(db),
                make_attributor,
                semantic=SemanticSearch(vectors) if semantic else None,
            )
        path = Path(db)
        if check and check_index_file(path) is IndexFile.NEW:
            log.info("no quotetrace index at %s: creating a new, empty one", path)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(path)
        try:
            if check:
                mark_index(path)
        except BaseException:
            store.close()
            raise
        meaning = (
            SemanticSearch(WordingVectors(vectors_path(path), writable=writer))
            if semantic
            else None
        )
        return cls(store, make_attributor, semantic=meaning)

    def require_semantic(self) -> None:
        """Load the embedding model now (start-up): SemanticUnavailable says what is missing."""
        if self.semantic is not None:
            self.semantic.require()

    def embed_missing(self) -> EmbedReport:
        """Embed every speech wording of the index that has no vector yet (an index built
        before semantic search, or vectors lost), and save them."""
        if self.semantic is None:
            return EmbedReport()
        report = self.semantic.add_wordings(self.store.speech_wordings())
        self.semantic.save()
        self.embedding = self.embedding + report
        return report

    def save_vectors(self) -> None:
        if self.semantic is not None:
            self.semantic.save()

    def _embed_article(self, article_id: str) -> None:
        """Embed the article's new wordings; the file is saved at most every
        VECTORS_SAVE_SECONDS during ingest, and at the end (save_vectors, close)."""
        if self.semantic is None:
            return
        report = self.semantic.add_wordings(self.store.speech_wordings(article_id))
        self.embedding = self.embedding + report
        self.semantic.save(if_older_than=VECTORS_SAVE_SECONDS)

    def attributor(self) -> Attributor:
        with self._attributor_lock:
            if self._attributor is None:
                self._attributor = self._make_attributor()
            return self._attributor

    def ingest(self, article: Article) -> IngestOutcome:
        """Add one article; an article already indexed (same text) is left as it is.

        Raises NlpBudgetExceeded (INVALID_ARGUMENT) when the article's NLP runs past its
        budget, NlpStopped (UNAVAILABLE) once `stop_ingest` was called; nothing is stored.
        """
        if self.store.has_article(article.article_id):
            return IngestOutcome(article.article_id, added=False, quotes_added=0)
        if self._stopping.is_set():
            raise NlpStopped("the server is stopping: the article was not ingested")
        parsed = self.attributor().nlp.parse(
            article.text, seconds=self._nlp_seconds, stopping=self._stopping.is_set
        )
        quotes = attribute_parsed(parsed)
        with self._write_lock:  # add_article leaves an article indexed meanwhile as it is
            outcome = self.store.add_article(article, quotes)
            self._index_processors = None
            if outcome.added:
                self._embed_article(article.article_id)
            return outcome

    def stop_ingest(self) -> None:
        """Stop articles' NLP at its next piece (shutdown): they are refused, not stored."""
        self._stopping.set()

    def ingest_paths(self, paths: Iterable[Path]) -> Iterator[IngestOutcome]:
        for article in read_articles(paths):
            yield self.ingest(article)
        self.save_vectors()

    def processors(self) -> tuple[str, ...]:
        """The stanza processors that built the index."""
        if self._index_processors is None:
            self._index_processors = self.store.stats().processors
        return self._index_processors

    def verify(self, query: VerifyQuery) -> VerifyResult:
        result = self.verifier.verify(query)
        return result if result.processors else replace(result, processors=self.processors())

    def has_article(self, article_id: str) -> bool:
        return self.store.has_article(article_id)

    def list_quotes(
        self, *, article_id: str | None, speaker_id: str | None, offset: int, limit: int
    ) -> tuple[list[StoredQuote], int]:
        return self.store.list_quotes(
            article_id=article_id, speaker_id=speaker_id, offset=offset, limit=limit
        )

    def find_speaker(self, name: str) -> SpeakerRecord | None:
        return self.store.find_speaker(name)

    def speaker_lookup(self, name: str) -> SpeakerLookup | None:
        return self.store.speaker_lookup(name)

    def stats(self) -> CorpusStats:
        return self.store.stats()

    def close(self) -> None:
        if self.semantic is not None and self.semantic.vectors.writable:
            self.semantic.save()
        self.store.close()
