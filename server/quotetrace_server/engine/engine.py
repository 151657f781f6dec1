"""The engine behind the API: one store, one verifier, one attributor, one writer at a time."""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

from quotetrace_server.attribution.attributor import Attributor, attribute_parsed
from quotetrace_server.attribution.model import ArticleQuotes
from quotetrace_server.config import Limits
from quotetrace_server.engine.workers import (
    Attributed,
    AttributionLost,
    AttributionPool,
    NlpWorkers,
    Pending,
)
from quotetrace_server.entities.normalize import normalize
from quotetrace_server.errors import InvalidArgument
from quotetrace_server.index.integrity import IndexFile, check_index_file, mark_index
from quotetrace_server.index.model import (
    ArticleRecord,
    CorpusStats,
    DeletedArticle,
    IngestOutcome,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.index.postgres_store import PostgresStore
from quotetrace_server.index.sql.postgres_database import is_postgres_url
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.ingest.model import Article
from quotetrace_server.ingest.reader import Rejected, read_inputs
from quotetrace_server.nlp.pipeline import NlpBudgetExceeded, NlpPipeline, NlpStopped
from quotetrace_server.semantic.encoder import Vectors
from quotetrace_server.semantic.search import EmbedReport, SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors, vectors_path
from quotetrace_server.verify.model import VerifyQuery, VerifyResult
from quotetrace_server.verify.verifier import Verifier

log = logging.getLogger(__name__)

# An article's NLP (stanza) stops after this long and the article is refused with the
# reason (issue 15, B3). Its cost grows with the text's length (stanza is handed a bounded
# piece at a time): 30-120 s of CPU a megabyte on every text measured (one-word
# quotations, contractions, one-word paragraphs, news), so at max_article_bytes (128 KiB)
# at most ~15 s; this bounds the texts not measured, and a machine too busy to finish.
NLP_SECONDS_PER_ARTICLE = 60.0
# During ingest the wording vectors are written out at most this often (the file is
# rewritten whole; Verify workers re-map it); always at the end of a batch and on close.
VECTORS_SAVE_SECONDS = 30.0
# Articles begun per worker ahead of the one being written. The writes are in input
# order, so a long article at the head of the queue holds up the writes behind it; the
# workers go on with the articles queued meanwhile, and sit idle once those are done.
# Modelled with news-dev's per-article NLP times (median 0.16 s, longest 0.42 s), 120
# articles: 2 per worker reaches 99% of the ideal time with 2 workers, 96% with 4, 81%
# with 8; 4 per worker 99%, 98%, 89% (docs/scaling.md). Queued articles cost their text.
QUEUED_PER_WORKER = 4


class ArticleTooLarge(InvalidArgument):
    """An article's text (an HTML page's: its extracted text) is over max_article_bytes."""


@dataclass(frozen=True)
class ItemResult:
    """What became of one input: its outcome, or why it was not ingested."""

    source: str  # the input's name: its URL, file, archive record or JSONL line
    outcome: IngestOutcome | None
    reason: str | None = None  # set when outcome is None


# What begin_ingest hands to finish_ingest: an outcome already known, the NLP under way
# in a worker process, or nothing yet (NLP in this process).
Begun = IngestOutcome | Future[Attributed] | None


def source_of(article: Article) -> str:
    meta = article.meta
    return meta.url or meta.source_path or meta.source_name or article.article_id


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
        max_article_bytes: int = Limits.max_article_bytes,
        semantic: SemanticSearch | None = None,
        stanza_dir: str | None = None,
    ) -> None:
        self.store = store
        self.semantic = semantic
        self.verifier = Verifier(store, semantic)
        self._make_attributor = attributor
        self._attributor: Attributor | None = None
        self._attributor_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._nlp_seconds = nlp_seconds
        self.max_article_bytes = max_article_bytes
        self._stopping = threading.Event()
        self._index_processors: tuple[str, ...] | None = None  # cached: stats() counts rows
        self._shared_index = isinstance(store, PostgresStore)
        self._stanza_dir = stanza_dir  # for the worker processes' pipelines
        # Worker processes for a stream's NLP (IngestArticlesStream); 1: in this process.
        self.ingest_workers = 1
        self._pool: AttributionPool | None = None

    @classmethod
    def open(
        cls,
        db: Path | str,
        stanza_dir: str | None = None,
        *,
        check: bool = True,
        semantic: bool = True,
        writer: bool = True,
        max_article_bytes: int = Limits.max_article_bytes,
    ) -> Engine:
        """Open the index file `db`, creating it (with a log line saying so) if there is none.

        A postgresql:// URL opens that database instead (its tables created on first use),
        without semantic search: the wording vectors are a file beside a SQLite index, and
        a copy in each server's memory would go stale when another server writes.

        With `check` (the default) the file is checked first and refused, untouched, with
        IndexFileError when it is another application's file or damaged (see
        index.integrity). Verify workers skip the check: the front process has made it.
        With `semantic`, wordings are embedded at ingest and Verify looks claims up by
        meaning too (the model loads on first use; `require_semantic` loads it now).
        A `writer` keeps the wording vectors in memory and saves them; a reader (a Verify
        worker) memory-maps the saved file.
        """
        make_attributor = lambda: Attributor(NlpPipeline.shared(stanza_dir))  # noqa: E731
        if is_postgres_url(str(db)):
            return cls(
                PostgresStore(str(db)),
                make_attributor,
                semantic=None,
                stanza_dir=stanza_dir,
                max_article_bytes=max_article_bytes,
            )
        if str(db) == ":memory:":
            vectors = WordingVectors(None, writable=True)
            return cls(
                SqliteStore(db),
                make_attributor,
                semantic=SemanticSearch(vectors) if semantic else None,
                stanza_dir=stanza_dir,
                max_article_bytes=max_article_bytes,
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
        return cls(
            store,
            make_attributor,
            semantic=meaning,
            stanza_dir=stanza_dir,
            max_article_bytes=max_article_bytes,
        )

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
        return report

    @property
    def embedding(self) -> EmbedReport:
        """What embedding wordings has cost this engine so far, in all."""
        return EmbedReport() if self.semantic is None else self.semantic.spent

    def save_vectors(self) -> None:
        if self.semantic is not None:
            self.semantic.save()

    def _embed_article(self, article_id: str, vectors: Mapping[str, Vectors]) -> None:
        """Embed the article's new wordings; the file is saved at most every
        VECTORS_SAVE_SECONDS during ingest, and at the end (save_vectors, close)."""
        if self.semantic is None:
            return
        wordings = self.store.speech_wordings(article_id)
        made = {h: vectors[normalize(t)] for h, t in wordings if normalize(t) in vectors}
        self.semantic.add_wordings(wordings, made)
        self.semantic.save(if_older_than=VECTORS_SAVE_SECONDS)

    def attributor(self) -> Attributor:
        with self._attributor_lock:
            if self._attributor is None:
                self._attributor = self._make_attributor()
            return self._attributor

    def ingest(self, article: Article) -> IngestOutcome:
        """Add one article by its identity (see SqliteStore.add_article): added, replaced,
        or unchanged (the same text at the same URL or path: no NLP is run).

        Raises ArticleTooLarge or NlpBudgetExceeded (INVALID_ARGUMENT) when its text is
        over max_article_bytes or its NLP runs past its budget, NlpStopped (UNAVAILABLE)
        once `stop_ingest` was called; nothing is stored.
        """
        unchanged = self.store.unchanged(article)
        if unchanged is not None:
            return unchanged
        self._check_size(article)
        self._check_stopping()
        parsed = self.attributor().nlp.parse(
            article.text, seconds=self._nlp_seconds, stopping=self._stopping.is_set
        )
        return self._write(article, attribute_parsed(parsed))

    def _write(
        self, article: Article, quotes: ArticleQuotes, vectors: Mapping[str, Vectors] | None = None
    ) -> IngestOutcome:
        """Store the article; then add the vectors of its new wordings (`vectors`: made by
        an ingest worker, keyed by normalised text; any missing are embedded here)."""
        with self._write_lock:  # add_article decides again, in its transaction
            outcome = self.store.add_article(article, quotes)
            self._index_processors = None
        if outcome.added:  # a new article or a new version: new wordings, embedded after
            self._embed_article(outcome.article_id, vectors or {})  # the write, outside its lock
        return outcome

    def stop_ingest(self) -> None:
        """Stop articles' NLP at its next piece (shutdown): they are refused, not stored."""
        self._stopping.set()

    def ingest_items(
        self,
        items: Iterable[Article | Rejected],
        workers: int = 1,
        pool: NlpWorkers | None = None,
    ) -> Iterator[ItemResult]:
        """Each item's result, in the items' order. With `workers` above 1 the NLP and
        attribution of the next articles run in that many worker processes meanwhile (the
        engine's own pool, or `pool`: a process pool or a Dask cluster); this thread alone
        writes, in order, so the index is what one process builds."""
        items = (self._within_size(item) for item in items)
        ahead = list(itertools.islice(items, 2 * workers))
        if pool is None and (workers <= 1 or self._too_few_for_workers(ahead, workers)):
            yield from (self._ingest_item(item) for item in itertools.chain(ahead, items))
            return
        items = itertools.chain(ahead, items)
        pool = pool or self.attribution_pool(workers)
        queued = QUEUED_PER_WORKER * pool.size
        window: deque[tuple[Article | Rejected, Pending | IngestOutcome | None]]
        window = deque()
        for item in items:
            window.append((item, self._started(item, pool)))
            while len(window) > queued:  # enough queued to keep every worker busy
                yield self._finished(*window.popleft())
        while window:
            yield self._finished(*window.popleft())

    def begin_ingest(self, article: Article) -> Begun:
        """Start one article of a stream: its outcome when it is unchanged, else its NLP in
        a worker process (with `ingest_workers` above 1), else nothing yet (finish_ingest
        runs it here). Articles begun are finished in the order they were begun."""
        unchanged = self.store.unchanged(article)
        if unchanged is not None or self.ingest_workers <= 1:
            return unchanged
        self._check_size(article)
        self._check_stopping()
        return self.attribution_pool(self.ingest_workers).submit(article.text, self._nlp_seconds)

    def finish_ingest(self, article: Article, begun: Begun) -> IngestOutcome:
        """The article's outcome: written by this one writer (NlpBudgetExceeded: refused)."""
        if isinstance(begun, IngestOutcome):
            return begun
        if begun is None:
            return self.ingest(article)
        self._check_stopping()
        done = begun.result()
        return self._write(article, done.quotes, done.vectors)

    def _too_few_for_workers(self, ahead: list[Article | Rejected], workers: int) -> bool:
        """Fewer articles than workers can share (the input ends within 2 x workers):
        starting the processes and their models would cost more than it saves."""
        return len(ahead) < 2 * workers and sum(isinstance(a, Article) for a in ahead) < workers + 1

    def _ingest_item(self, item: Article | Rejected) -> ItemResult:
        self._check_stopping()
        if isinstance(item, Rejected):
            return ItemResult(item.source, None, item.reason)
        try:
            return ItemResult(source_of(item), self.ingest(item))
        except NlpBudgetExceeded as error:
            return ItemResult(source_of(item), None, str(error))

    def _started(
        self, item: Article | Rejected, pool: NlpWorkers
    ) -> Pending | IngestOutcome | None:
        if isinstance(item, Rejected):
            return None
        unchanged = self.store.unchanged(item)
        return unchanged if unchanged is not None else pool.submit(item.text, self._nlp_seconds)

    def _finished(
        self,
        item: Article | Rejected,
        work: Pending | IngestOutcome | None,
    ) -> ItemResult:
        self._check_stopping()
        if isinstance(item, Rejected):
            return ItemResult(item.source, None, item.reason)
        if isinstance(work, IngestOutcome):
            return ItemResult(source_of(item), work)
        assert work is not None
        try:
            done = work.result()
        except (NlpBudgetExceeded, AttributionLost) as error:
            return ItemResult(source_of(item), None, str(error))
        return ItemResult(source_of(item), self._write(item, done.quotes, done.vectors))

    def _check_size(self, article: Article) -> None:
        """Refuse, before any NLP, a text whose NLP could run past its budget: the
        largest article of each pattern measured then finishes in well under 60 s."""
        size = len(article.text.encode("utf-8", "surrogatepass"))
        if size > self.max_article_bytes:
            raise ArticleTooLarge(
                f"article text is {size} bytes of UTF-8; the limit is"
                f" {self.max_article_bytes} (max_article_bytes): split it into shorter articles"
            )

    def _within_size(self, item: Article | Rejected) -> Article | Rejected:
        """The item, or its refusal when its text is over max_article_bytes."""
        if isinstance(item, Article):
            try:
                self._check_size(item)
            except ArticleTooLarge as error:
                return Rejected(source_of(item), error.message)
        return item

    def _check_stopping(self) -> None:
        if self._stopping.is_set():
            raise NlpStopped("the server is stopping: ingest stopped")

    def attribution_pool(self, workers: int) -> AttributionPool:
        """The engine's worker processes (started on first use; closed with the engine)."""
        if self._pool is not None and self._pool.size != workers:
            self._pool.close()
            self._pool = None
        if self._pool is None:
            self._pool = AttributionPool(
                workers, self._stanza_dir, semantic=self.semantic is not None
            )
        return self._pool

    def ingest_paths(
        self, paths: Iterable[Path], workers: int = 1, pool: NlpWorkers | None = None
    ) -> Iterator[ItemResult]:
        """Every input in `paths` (see ingest.reader.read_inputs), each one's result."""
        yield from self.ingest_items(read_inputs(paths), workers, pool)
        self.save_vectors()

    def delete_article(self, article_id: str) -> DeletedArticle | None:
        with self._write_lock:
            deleted = self.store.delete_article(article_id)
            self._index_processors = None
            return deleted

    def article_record(self, article_id: str) -> ArticleRecord | None:
        return self.store.article_record(article_id)

    def list_articles(
        self, *, offset: int, limit: int, outlet: str | None = None
    ) -> tuple[list[ArticleRecord], int]:
        return self.store.list_articles(offset=offset, limit=limit, outlet=outlet)

    def processors(self) -> tuple[str, ...]:
        """The stanza processors that built the index. Cached between this engine's own
        writes, except on a database other servers write to too (PostgreSQL), where
        another server's ingest would leave the cache stale: read every time there."""
        if self._index_processors is None or self._shared_index:
            self._index_processors = self.store.stats().processors
        return self._index_processors

    def verify(self, query: VerifyQuery) -> VerifyResult:
        result = self.verifier.verify(query)
        return result if result.processors else replace(result, processors=self.processors())

    def has_article(self, article_id: str) -> bool:
        return self.store.has_article(article_id)

    def list_quotes(
        self,
        *,
        article_id: str | None,
        speaker_id: str | None,
        offset: int,
        limit: int,
        text_chars: int | None = None,
    ) -> tuple[list[StoredQuote], int]:
        return self.store.list_quotes(
            article_id=article_id,
            speaker_id=speaker_id,
            offset=offset,
            limit=limit,
            text_chars=text_chars,
        )

    def find_speaker(self, name: str) -> SpeakerRecord | None:
        return self.store.find_speaker(name)

    def speaker_lookup(self, name: str) -> SpeakerLookup | None:
        return self.store.speaker_lookup(name)

    def stats(self) -> CorpusStats:
        return self.store.stats()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self.semantic is not None and self.semantic.vectors.writable:
            self.semantic.save()
        self.store.close()
