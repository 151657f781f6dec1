"""The quote index on SQLite (stdlib sqlite3, WAL): articles, quotations, speakers, utterances.

Concurrency: one writer at a time (a lock around ``add_article``), any number of reader
threads, each with its own connection (WAL lets them read while the writer writes).
An in-memory database (":memory:") cannot be shared between connections, so there one
connection serves every thread under the same lock.

Crash safety: each article is written in one transaction, so a process killed mid-ingest
leaves the article either fully indexed or absent. Replacing an article (a new text at
its URL or path) deletes the old version and writes the new one in that transaction.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.clustering import (
    STRONG_LINKS,
    QuoteSketch,
    link_reason,
    links_nothing,
)
from quotetrace_server.index.context import bounded_context
from quotetrace_server.index.model import (
    ArticleRecord,
    CorpusStats,
    DeletedArticle,
    IngestOutcome,
    IngestStatus,
    PrintingFilter,
    QuoteDetail,
    SearchHit,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.index.names import name_key
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.ingest.model import Article, ArticleMeta, Origin, identity_for
from quotetrace_server.verify.normalize import index_terms, normalize, words

_SCHEMA = """
-- identity: what makes two ingests the same article, "url:…", "path:…" or "text:<hash>"
-- (ingest.model.Article.identity); a new text at a known identity replaces it.
-- derived: [[field, origin], …] of the metadata values read from the article itself.
CREATE TABLE IF NOT EXISTS articles(
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    title TEXT, outlet TEXT, wire_credits TEXT NOT NULL, byline TEXT, date TEXT,
    url TEXT, source_name TEXT,
    processors TEXT NOT NULL,
    identity TEXT,
    text_hash TEXT,
    derived TEXT NOT NULL DEFAULT '[]'
);
-- stats() reads these without scanning article texts.
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(lower(outlet));
CREATE INDEX IF NOT EXISTS articles_processors ON articles(processors);
CREATE TABLE IF NOT EXISTS speakers(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_key TEXT NOT NULL,
    quote_count INTEGER NOT NULL DEFAULT 0,  -- kept on insert: counting is slow at scale
    fixed_name TEXT  -- an operator's rename: shown whatever the forms say
);
CREATE INDEX IF NOT EXISTS speakers_name_key ON speakers(name_key);
CREATE INDEX IF NOT EXISTS speakers_name ON speakers(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS speaker_aliases(
    speaker INTEGER NOT NULL REFERENCES speakers(id),
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY(speaker, alias)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS speaker_aliases_key ON speaker_aliases(alias_key);
-- Exact written forms, any case: how an alias or an operator's name finds its speaker.
CREATE INDEX IF NOT EXISTS speaker_aliases_alias ON speaker_aliases(alias COLLATE NOCASE);
-- First and last token of each speaker's name key: how a bare "Novak" finds its person.
CREATE TABLE IF NOT EXISTS speaker_name_parts(
    part TEXT NOT NULL,
    speaker INTEGER NOT NULL REFERENCES speakers(id),
    PRIMARY KEY(part, speaker)
) WITHOUT ROWID;
-- Lookup keys of each speaker's written forms (surname, first name, letters, acronym).
CREATE TABLE IF NOT EXISTS speaker_keys(
    key TEXT NOT NULL,
    speaker INTEGER NOT NULL,
    PRIMARY KEY(key, speaker)
) WITHOUT ROWID;
-- Speakers merged into others: the old id resolves to the merged speaker.
CREATE TABLE IF NOT EXISTS speaker_merges(
    gone INTEGER PRIMARY KEY,
    into_speaker INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    source TEXT NOT NULL
);
-- Why an article's speaker name was linked to an existing speaker.
-- One row per article and linked name (about one per article at scale): WITHOUT ROWID,
-- so the key is stored once, not again in a separate unique index. `evidence` is not
-- declared NOT NULL (it never is NULL): SQLite 3.40's integrity_check misreads NOT NULL
-- columns outside the key of WITHOUT ROWID tables as NULL. Indexes made before keep
-- their rowid table, which reads and writes the same.
CREATE TABLE IF NOT EXISTS speaker_links(
    speaker INTEGER NOT NULL,
    name TEXT NOT NULL,
    evidence TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY(speaker, name, source)
) WITHOUT ROWID;
-- Operator corrections, replayed on every rebuild: merge, split, rename (by written names).
CREATE TABLE IF NOT EXISTS speaker_edits(
    id INTEGER PRIMARY KEY,
    op TEXT NOT NULL,
    name_a TEXT NOT NULL,
    name_b TEXT NOT NULL DEFAULT ''
);
-- Pairs of written names an operator split: never merged again.
CREATE TABLE IF NOT EXISTS speaker_splits(name_a TEXT NOT NULL, name_b TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS utterances(id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS quotes(
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    norm_hash INTEGER NOT NULL,
    lemmas TEXT NOT NULL,  -- '': lemma_key(words(norm)) is computed on read (older files
                           -- hold it here, the same value)
    lead TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    speaker INTEGER REFERENCES speakers(id),
    article_speaker TEXT,
    speaker_mention TEXT, cue TEXT, sieve TEXT,
    resolution TEXT,
    confidence REAL NOT NULL,
    context TEXT NOT NULL,  -- '' when context_start/context_end locate it in the article
    utterance INTEGER REFERENCES utterances(id),
    context_start INTEGER, context_end INTEGER
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker, article, seq);
CREATE INDEX IF NOT EXISTS quotes_norm_hash ON quotes(norm_hash);
"""
# Indexes of quotes that the bulk path never reads: a bulk load into an empty index
# drops them and builds each once at the end (sorted, pages packed full) instead of
# updating them row by row. Opening the store creates any that are missing.
_DEFERRED_INDEXES = """
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article, seq);
CREATE INDEX IF NOT EXISTS quotes_utterance ON quotes(utterance);
-- What Verify reads of each retrieved candidate, packed narrow (covering).
CREATE INDEX IF NOT EXISTS quotes_candidate ON quotes(id, utterance, article, norm);
"""
_SCHEMA += (
    _DEFERRED_INDEXES
    + """
-- Contentless postings of speech quotations: surface terms and lemma terms.
-- Terms are surface words, their lemmas, and adjacent-word pairs ("why_we"): a pair of
-- common words is far more selective than either word, which keeps retrieval bounded
-- for quotations made of everyday words.
CREATE VIRTUAL TABLE IF NOT EXISTS quote_terms USING fts5(
    terms, content='', tokenize="unicode61 tokenchars '_'"
);
-- Document frequency per term, kept with the postings: fts5vocab counts by walking a
-- term's whole posting list, far too slow for common words at query time.
CREATE TABLE IF NOT EXISTS term_df(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""
)

# Page cache per connection; the bulk path's writer gets more while it loads (KiB).
_CACHE_KIB = 65_536
_BULK_CACHE_KIB = 262_144


def _deferred_index_names() -> list[str]:
    return re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", _DEFERRED_INDEXES)


# Retrieval reads the postings of the query's rarest terms only, up to this many
# postings in all (at least the single rarest term): bounded work at any corpus size.
_POSTINGS_BUDGET = 2_000
# Retrieved candidates are read and handed to the verifier this many at a time.
_HIT_BATCH = 20
_MAX_QUERY_TERMS = 6
# When every term is over budget: quotations containing all of this many rarest terms.
_ALL_OF_TERMS = 4
# Terms with more postings than this are too costly to intersect (and say little).
_INTERSECT_MAX_DF = 50_000
# Clustering looks wider than a query: a long quotation must find the short fragments
# printed from it, and a fragment's only term may not be among the long one's rarest.
_CLUSTER_MAX_TERMS = 48
_CLUSTER_CANDIDATES = 60
# Rows of a wording's hash looked at for an indexed copy of a new quotation.
_COPY_PROBE = 64
_LEAD_WORDS = 3
# A cluster whose longest printing is shorter than this is a fragment cluster: it may be
# merged into any cluster it links to.
_FRAGMENT_MAX_WORDS = 8
# A sentence ends at . ! ? (closing marks may follow) and a space, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?:[.!?][\"'”’»]*\s|\n)")
_OPENING_MARKS = "\"'“‘«„‚"


@dataclass(frozen=True)
class _QuoteRow:
    """A quotation as prepared for insertion."""

    quote: AttributedQuote
    norm: str
    lemmas: tuple[str, ...]
    lead: tuple[str, ...]
    speaker: int | None
    context: str  # bounded (index.context): a frame may be the whole article
    # Where the context stands in the article text, when it is a piece of it: then only
    # the span is stored (the article text is stored anyway), not a second copy.
    context_span: tuple[int, int] | None = None


def context_span(text: str, start: int, end: int, context: str) -> tuple[int, int] | None:
    """[a, b) with text[a:b] == context and the quotation [start, end) inside it, or None
    (a context cut with ellipses, or one that is not a piece of the text)."""
    if not context:
        return None
    at = text.find(context, max(0, end - len(context)), start + len(context))
    if at < 0 or not (at <= start and end <= at + len(context)):
        return None
    return at, at + len(context)


def _norm_hash(norm: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(norm.encode(), digest_size=8).digest(), "big", signed=True
    )


def lead_words(text: str, start: int) -> tuple[str, ...]:
    """Lemma key of up to three words before a quotation's opening mark, same sentence.

    Only for quotations woven into the reporter's sentence ('would discuss “all
    issues”'): after a colon or comma ('Novak said: “…”') the words before are just the
    attribution, the same for every quotation of that speaker, and are not kept.
    """
    # Breaks are looked for before the spaces are stripped: a quotation opening a
    # paragraph has no lead-in, whatever the paragraph before it ends with.
    trimmed = text[max(0, start - 120) : start].rstrip().rstrip(_OPENING_MARKS)
    breaks = list(_SENTENCE_BREAK.finditer(trimmed))
    before = trimmed.rstrip()
    if not before or before[-1] in ",:;":
        return ()
    if breaks:
        before = before[breaks[-1].end() :]
    return lemma_key(words(normalize(before))[-_LEAD_WORDS:])


def _fts_terms(norm: str, lemmas: Sequence[str]) -> str:
    return " ".join(query_terms(norm, lemmas))


def query_terms(norm: str, lemmas: Sequence[str]) -> list[str]:
    """Postings terms of a normalised text: words, lemma words and adjacent word pairs."""
    surface = [t.replace("_", "") for t in index_terms(norm)]
    surface = [t for t in surface if t]
    terms = dict.fromkeys(surface)
    # One pass over the lemmas joined by spaces: the same runs as lemma by lemma.
    terms.update(dict.fromkeys(t.replace("_", "") for t in index_terms(" ".join(lemmas))))
    terms.update(dict.fromkeys(f"{a}_{b}" for a, b in itertools.pairwise(surface)))
    terms.pop("", None)
    return list(terms)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteStore:
    """QuoteStore on one SQLite file (or ":memory:" for tests)."""

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        self._memory = self._path == ":memory:"
        self._lock = threading.RLock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._shared: sqlite3.Connection | None = None
        if self._memory:
            self._shared = self._open()
        with self._writing() as conn:
            conn.executescript(_SCHEMA)
            _add_speaker_quote_count(conn)
            _add_article_identity(conn)
            _add_context_span(conn)
            has_edits = conn.execute("SELECT 1 FROM speaker_edits LIMIT 1").fetchone()
        # Operator corrections also live beside the index file, so that an index rebuilt
        # from scratch (the file deleted) gets them back.
        side = self.edits_file
        if side is not None and has_edits is None and side.is_file():
            self.import_edits(read_edits(side), write_side_file=False)

    @property
    def path(self) -> str:
        return self._path

    @property
    def edits_file(self) -> Path | None:
        """Where the operator's speaker corrections are kept beside the index."""
        return None if self._memory else Path(self._path + ".speaker-edits.jsonl")

    def _append_edit(self, op: str, a: str, b: str) -> None:
        side = self.edits_file
        if side is None:
            return
        with side.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"op": op, "name": a, "other": b}, ensure_ascii=False) + "\n")

    # --- connections --------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys=ON")
        if not self._memory:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
        conn.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
        with self._lock:
            self._connections.append(conn)
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("store is closed")
        if self._shared is not None:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
        else:
            yield self._connection()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._connection()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._writing() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    # --- ingest -------------------------------------------------------------------------

    def add_article(self, article: Article, quotes: ArticleQuotes) -> IngestOutcome:
        """Index one article atomically, by its identity (its URL, path or text): a new
        identity is added, the same text again changes nothing, a new text replaces the
        earlier version (its quotations, clusters and speakers follow)."""
        with self._transaction() as conn:
            outcome = self._unchanged(conn, article)
            if outcome is not None:
                return outcome
            versions = self._versions(conn, article.identity)
            article_id = versions[-1][1] if versions else article.article_id
            removed = sum(self._delete_rows(conn, v[0], v[1]).quotes_removed for v in versions)
            self._insert_article_with_quotes(conn, article, quotes, article_id)
            self._apply_edits(conn)
        status = IngestStatus.REPLACED if versions else IngestStatus.ADDED
        return IngestOutcome(article_id, status, len(quotes.quotes), removed)

    def unchanged(self, article: Article) -> IngestOutcome | None:
        """The outcome when ingesting the article would change nothing (so its NLP can be
        skipped), else None. Claims a row indexed by text before identities existed."""
        with self._transaction() as conn:
            return self._unchanged(conn, article)

    def _unchanged(self, conn: sqlite3.Connection, article: Article) -> IngestOutcome | None:
        versions = self._versions(conn, article.identity)
        same = [v for v in versions if v[2] == article.text_hash]
        if same:
            kept = same[-1]
            # Other versions of the identity are left from before identities existed:
            # this text is the one kept, and they go.
            removed = [
                self._delete_rows(conn, rowid, article_id).quotes_removed
                for rowid, article_id, _ in versions
                if rowid != kept[0]
            ]
            status = IngestStatus.REPLACED if removed else IngestStatus.UNCHANGED
            return IngestOutcome(kept[1], status, 0, sum(removed))
        if versions:
            return None
        # The same text, indexed before identities existed (or with no URL or path):
        # a file ingested again is that article, not another printing of it.
        row = conn.execute(
            "SELECT id, article_id FROM articles WHERE article_id = ? AND"
            " (identity = ? OR (identity = 'text:' || article_id AND ? LIKE 'path:%'))",
            (article.text_hash, "text:" + article.text_hash, article.identity),
        ).fetchone()
        if row is None:
            return None
        conn.execute("UPDATE articles SET identity = ? WHERE id = ?", (article.identity, row[0]))
        return IngestOutcome(str(row[1]), IngestStatus.UNCHANGED, 0)

    def _versions(self, conn: sqlite3.Connection, identity: str) -> list[tuple[int, str, str]]:
        """(rowid, article_id, text_hash) of the articles with this identity, oldest first."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in conn.execute(
                "SELECT id, article_id, text_hash FROM articles WHERE identity = ? ORDER BY id",
                (identity,),
            )
        ]

    def delete_article(self, article_id: str) -> DeletedArticle | None:
        """Remove the article and everything derived from it: its quotations and their
        postings, clusters left empty, speakers left with no quotation. None: no such id."""
        with self._transaction() as conn:
            rowid = self._article_rowid(conn, article_id)
            if rowid is None:
                return None
            return self._delete_rows(conn, rowid, article_id)

    def _delete_rows(self, conn: sqlite3.Connection, rowid: int, article_id: str) -> DeletedArticle:
        quotes = conn.execute(
            "SELECT id, norm, kind, speaker, utterance FROM quotes WHERE article = ?",
            (rowid,),
        ).fetchall()
        df: Counter[str] = Counter()
        for quote_rowid, norm, kind, _, _ in quotes:
            if kind != QuoteKind.TERM.value:
                terms = _fts_terms(norm, lemma_key(words(norm)))
                # Contentless FTS5 forgets a row only when told the values it indexed.
                conn.execute(
                    "INSERT INTO quote_terms(quote_terms, rowid, terms) VALUES('delete', ?, ?)",
                    (quote_rowid, terms),
                )
                df.update(terms.split())
        conn.executemany(
            "UPDATE term_df SET df = df - ? WHERE term = ?", [(n, t) for t, n in df.items()]
        )
        conn.execute("DELETE FROM term_df WHERE df <= 0")
        per_speaker = Counter(int(q[3]) for q in quotes if q[3] is not None)
        conn.executemany(
            "UPDATE speakers SET quote_count = max(0, quote_count - ?) WHERE id = ?",
            [(n, s) for s, n in per_speaker.items()],
        )
        conn.execute("DELETE FROM quotes WHERE article = ?", (rowid,))
        utterances = {int(q[4]) for q in quotes if q[4] is not None}
        gone_utterances = [
            u
            for u in sorted(utterances)
            if conn.execute("SELECT 1 FROM quotes WHERE utterance = ? LIMIT 1", (u,)).fetchone()
            is None
        ]
        conn.executemany("DELETE FROM utterances WHERE id = ?", [(u,) for u in gone_utterances])
        gone_speakers = [
            s
            for s in sorted(per_speaker)
            if conn.execute("SELECT 1 FROM quotes WHERE speaker = ? LIMIT 1", (s,)).fetchone()
            is None
        ]
        for speaker in gone_speakers:
            self._delete_speaker(conn, speaker)
        conn.execute("DELETE FROM speaker_links WHERE source = ?", (f"article {article_id}",))
        conn.execute("DELETE FROM articles WHERE id = ?", (rowid,))
        return DeletedArticle(article_id, len(quotes), len(gone_speakers), len(gone_utterances))

    def _delete_speaker(self, conn: sqlite3.Connection, speaker: int) -> None:
        """A speaker left with no quotation: gone, with its forms, keys and links."""
        for table in ("speaker_aliases", "speaker_keys", "speaker_name_parts", "speaker_links"):
            conn.execute(f"DELETE FROM {table} WHERE speaker = ?", (speaker,))
        conn.execute("DELETE FROM speaker_merges WHERE into_speaker = ?", (speaker,))
        conn.execute("DELETE FROM speakers WHERE id = ?", (speaker,))

    def bulk_add(self, items: Iterable[tuple[Article, ArticleQuotes]], batch: int = 2000) -> int:
        """Bulk path for large loads (benchmarks, re-indexing); returns articles added.

        Same rows as ``add_article`` with one difference: utterance clustering only joins
        *identical* normalised quotations (a hash lookup), not near-identical or contained
        ones, so that loading a million quotations does not run a fuzzy search per quote.
        Commits every ``batch`` articles; articles already indexed (same identity) are
        skipped, not replaced. Loading into an empty index builds three of the quotations'
        indexes at the end (``_DEFERRED_INDEXES``), so it is for an index nothing reads yet.
        """
        added = 0
        pending = 0
        # Document frequencies are summed over a batch and written once per term at
        # commit: nothing on the bulk path reads them meanwhile.
        df: Counter[str] = Counter()
        with self._writing() as conn:
            deferred = conn.execute("SELECT 1 FROM quotes LIMIT 1").fetchone() is None
            if deferred:
                for name in _deferred_index_names():
                    conn.execute(f"DROP INDEX IF EXISTS {name}")
            conn.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for article, quotes in items:
                    if self._versions(conn, article.identity):
                        continue
                    self._insert_article_with_quotes(
                        conn, article, quotes, article.article_id, bulk_df=df
                    )
                    added += 1
                    pending += 1
                    if pending >= batch:
                        _add_term_df(conn, df)
                        conn.execute("COMMIT")
                        conn.execute("BEGIN IMMEDIATE")
                        pending = 0
                _add_term_df(conn, df)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._apply_edits(conn)
            conn.execute("COMMIT")
            conn.execute("INSERT INTO quote_terms(quote_terms) VALUES('optimize')")
            if deferred:
                conn.executescript(_DEFERRED_INDEXES)
            conn.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
        return added

    def _insert_article_with_quotes(
        self,
        conn: sqlite3.Connection,
        article: Article,
        quotes: ArticleQuotes,
        article_id: str,
        bulk_df: Counter[str] | None = None,
    ) -> None:
        """Insert one article and its quotations, each speech quotation in its utterance.

        With `bulk_df` (the bulk path), an utterance is only joined by an identical
        normalised text, and the document frequencies of the terms are added to `bulk_df`
        (written later); else they go to term_df at once and ``_cluster`` places each
        quotation."""
        article_rowid = self._insert_article(conn, article, article_id, quotes.processors)
        speakers = self._resolve_article_speakers(conn, quotes.quotes, article_id)
        per_speaker: Counter[int] = Counter()
        spans = "\x00" not in article.text
        for seq, quote in enumerate(quotes.quotes):
            row = self._prepare(article.text, quote, speakers, spans)
            speech = quote.kind is not QuoteKind.TERM
            utterance = None
            if bulk_df is not None and speech:
                # The utterance is known before the row exists, so it is written with the
                # row rather than updated into it (two indexes hold it).
                utterance = self._identical_utterance(conn, row)
                if utterance is None:
                    utterance = int(
                        conn.execute("INSERT INTO utterances DEFAULT VALUES").lastrowid or 0
                    )
            quote_rowid = self._insert_quote(conn, article_rowid, seq, row, bulk_df, utterance)
            if row.speaker is not None:
                per_speaker[row.speaker] += 1
            if bulk_df is None and speech:
                self._cluster(conn, quote_rowid, row)
        # Counted once per article: nothing reads the counts while its quotations go in.
        conn.executemany(
            "UPDATE speakers SET quote_count = quote_count + ? WHERE id = ?",
            [(n, s) for s, n in per_speaker.items()],
        )

    def _article_rowid(self, conn: sqlite3.Connection, article_id: str) -> int | None:
        row = conn.execute("SELECT id FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def _insert_article(
        self,
        conn: sqlite3.Connection,
        article: Article,
        article_id: str,
        processors: Sequence[str],
    ) -> int:
        meta = article.meta
        cur = conn.execute(
            "INSERT INTO articles(article_id, text, title, outlet, wire_credits, byline, date,"
            " url, source_name, processors, identity, text_hash, derived)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                article.text,
                meta.title,
                meta.outlet,
                json.dumps(list(meta.wire_credits)),
                meta.byline,
                meta.date,
                meta.url,
                meta.source_name,
                json.dumps(list(processors)),
                article.identity,
                article.text_hash,
                json.dumps([list(pair) for pair in meta.derived]),
            ),
        )
        return int(cur.lastrowid or 0)

    def _prepare(
        self, text: str, quote: AttributedQuote, speakers: dict[str, int], spans: bool = True
    ) -> _QuoteRow:
        norm = normalize(quote.text)
        context = bounded_context(text, quote.start, quote.end, quote.context)
        return _QuoteRow(
            quote=quote,
            norm=norm,
            lemmas=lemma_key(words(norm)),
            lead=lead_words(text, quote.start),
            speaker=None if quote.speaker is None else speakers.get(quote.speaker),
            context=context,
            # SQLite's substr is not to be trusted past a NUL character (checked once per
            # article by the caller: a check per quotation would scan the text each time).
            context_span=context_span(text, quote.start, quote.end, context) if spans else None,
        )

    def _insert_quote(
        self,
        conn: sqlite3.Connection,
        article_rowid: int,
        seq: int,
        row: _QuoteRow,
        df: Counter[str] | None = None,
        utterance: int | None = None,
    ) -> int:
        q = row.quote
        cur = conn.execute(
            'INSERT INTO quotes(article, seq, text, norm, norm_hash, lemmas, lead, start, "end",'
            " kind, speaker, article_speaker, speaker_mention, cue, sieve, confidence, context,"
            " resolution, utterance, context_start, context_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_rowid,
                seq,
                q.text,
                row.norm,
                _norm_hash(row.norm),
                "",  # lemmas: derived from norm on read
                " ".join(row.lead),
                q.start,
                q.end,
                q.kind.value,
                row.speaker,
                q.speaker,
                q.speaker_mention,
                q.cue,
                q.sieve,
                float(q.confidence),
                "" if row.context_span else row.context,
                q.resolution,
                utterance,
                *(row.context_span or (None, None)),
            ),
        )
        quote_rowid = int(cur.lastrowid or 0)
        if q.kind is not QuoteKind.TERM:
            terms = _fts_terms(row.norm, row.lemmas)
            conn.execute(
                "INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)", (quote_rowid, terms)
            )
            if df is None:
                _add_term_df(conn, Counter(terms.split()))
            else:
                df.update(terms.split())
        return quote_rowid

    # --- speakers -----------------------------------------------------------------------

    def _resolve_article_speakers(
        self, conn: sqlite3.Connection, quotes: Sequence[AttributedQuote], article_id: str = ""
    ) -> dict[str, int]:
        """Article-level speaker name → corpus speaker rowid (created when new)."""
        aliases: dict[str, set[str]] = {}
        kinds: dict[str, EntityKind] = {}
        for quote in quotes:
            if quote.speaker is None:
                continue
            seen = aliases.setdefault(quote.speaker, {quote.speaker})
            seen.update(quote.speaker_aliases)
            if quote.speaker_kind is not None:
                kinds.setdefault(quote.speaker, quote.speaker_kind)
        resolved: dict[str, int] = {}
        for name, surface in aliases.items():
            kind = kinds.get(name, EntityKind.PERSON)
            surface = {a for a in surface if _usable_alias(a)} | {name}
            speaker = self._match_speaker(conn, name, surface, kind, article_id)
            if speaker is None:
                speaker = self._create_speaker(conn, name, kind)
            self._add_aliases(conn, speaker, surface)
            resolved[name] = speaker
        return resolved

    def _match_speaker(
        self,
        conn: sqlite3.Connection,
        name: str,
        surface: set[str],
        kind: EntityKind,
        article_id: str = "",
    ) -> int | None:
        """The corpus speaker an article's speaker is, merging speakers it shows are one.

        Strong links (full names that agree) decide alone; when one article's forms link
        several known speakers that do not contradict each other, those merge. A weak link
        (a bare surname, an acronym) is taken only when it is the one candidate. An
        operator's split keeps apart what it split.
        """
        new = sorted(surface)
        exact = self._speakers_with_alias(conn, surface, kind)
        candidates = self._candidates(conn, identity.lookup_keys(kind, new), kind) | exact
        strong: dict[int, str] = {}
        weak: dict[int, str] = {}
        folded = {n.casefold() for n in new}
        for speaker in sorted(candidates):
            known = self._speaker_names(conn, speaker)
            if self._split_between(conn, new, known):
                continue  # an operator split these forms apart
            if {n.casefold() for n in known} == folded and not identity.has_full_name(kind, new):
                return speaker  # the same bare or unparsed name(s) as before
            found = identity.link(kind, new, known)
            if found is None and speaker in exact and not identity.conflicts(kind, new, known):
                found = identity.Link(False, "same written alias")
            if found is None:
                continue
            (strong if found.strong else weak)[speaker] = found.evidence
        if strong:
            group = sorted(strong, key=lambda s: self._support(conn, s), reverse=True)
            if not self._mergeable(conn, group, kind):
                return None  # one form fits several different people: ambiguous
            target = group[0]
            for other in group[1:]:
                self._merge_speakers(
                    conn,
                    target,
                    other,
                    f"{name!r} in one article: {strong[target]} / {strong[other]}",
                    f"article {article_id}" if article_id else "ingest",
                )
            self._record_link(conn, target, name, strong[target], article_id)
            return target
        if len(weak) == 1 and len(candidates) == 1:
            target = next(iter(weak))
            self._record_link(conn, target, name, weak[target], article_id)
            return target
        return None

    def _mergeable(
        self, conn: sqlite3.Connection, speakers: Sequence[int], kind: EntityKind
    ) -> bool:
        names = {s: self._speaker_names(conn, s) for s in speakers}
        for a, b in itertools.combinations(speakers, 2):
            if identity.conflicts(kind, names[a], names[b]) or self._split_apart(conn, a, b):
                return False
        return True

    def _split_apart(self, conn: sqlite3.Connection, a: int, b: int) -> bool:
        return self._split_between(conn, self._speaker_names(conn, a), self._speaker_names(conn, b))

    def _split_between(
        self, conn: sqlite3.Connection, names_a: Iterable[str], names_b: Iterable[str]
    ) -> bool:
        """An operator split one of ``names_a`` from one of ``names_b``."""
        folded_a = {n.casefold() for n in names_a}
        folded_b = {n.casefold() for n in names_b}
        for left, right in conn.execute("SELECT name_a, name_b FROM speaker_splits"):
            x, y = str(left).casefold(), str(right).casefold()
            if (x in folded_a and y in folded_b) or (x in folded_b and y in folded_a):
                return True
        return False

    # --- operator corrections -----------------------------------------------------------

    def merge_speakers(self, into: str, other: str) -> SpeakerRecord:
        """Operator merge: ``other`` (a name or id) folds into ``into``. Recorded, and
        replayed after every ingest, so a re-ingest keeps it."""
        with self._transaction() as conn:
            keep = self._one_speaker(conn, into)
            gone = self._one_speaker(conn, other)
            if keep == gone:
                raise SpeakerEditError(f"{into!r} and {other!r} are already one speaker")
            keep_name, gone_name = self._name_of(conn, keep), self._name_of(conn, gone)
            conn.execute(
                "DELETE FROM speaker_splits WHERE (name_a = ? AND name_b = ?)"
                " OR (name_a = ? AND name_b = ?)",
                (keep_name, gone_name, gone_name, keep_name),
            )
            self._record_edit(conn, "merge", keep_name, gone_name)
            self._merge_speakers(conn, keep, gone, "operator merge", "operator")
            rowid = keep
        self._append_edit("merge", keep_name, gone_name)
        record = self.get_speaker(_speaker_id(rowid))
        assert record is not None
        return record

    def split_speaker(self, name: str, form: str) -> tuple[SpeakerRecord, SpeakerRecord]:
        """Operator split: the quotations an article attributed under ``form`` (and the
        alias) leave the speaker ``name`` for a speaker of their own; never merged again."""
        with self._transaction() as conn:
            speaker = self._one_speaker(conn, name)
            source = self._name_of(conn, speaker)
            if form.casefold() not in {n.casefold() for n in self._speaker_names(conn, speaker)}:
                raise SpeakerEditError(f"{source!r} has no form {form!r}")
            if form.casefold() == source.casefold():
                raise SpeakerEditError(f"{form!r} is the speaker's own name: rename it first")
            self._record_edit(conn, "split", source, form)
            conn.execute("INSERT INTO speaker_splits(name_a, name_b) VALUES (?, ?)", (source, form))
            new = self._split_off(conn, speaker, form)
        self._append_edit("split", source, form)
        a, b = self.get_speaker(_speaker_id(speaker)), self.get_speaker(_speaker_id(new))
        assert a is not None and b is not None
        return a, b

    def rename_speaker(self, name: str, new_name: str) -> SpeakerRecord:
        """Operator rename: the speaker is shown as ``new_name`` whatever its forms say."""
        if not new_name.strip():
            raise SpeakerEditError("the new name is empty")
        with self._transaction() as conn:
            speaker = self._one_speaker(conn, name)
            old_name = self._name_of(conn, speaker)
            self._record_edit(conn, "rename", old_name, new_name.strip())
            self._rename(conn, speaker, new_name.strip())
        self._append_edit("rename", old_name, new_name.strip())
        record = self.get_speaker(_speaker_id(speaker))
        assert record is not None
        return record

    def speaker_edits(self) -> list[tuple[str, str, str]]:
        """The operator corrections in the order they were made: (op, name, other)."""
        with self._reading() as conn:
            return [
                (str(r[0]), str(r[1]), str(r[2]))
                for r in conn.execute("SELECT op, name_a, name_b FROM speaker_edits ORDER BY id")
            ]

    def list_speakers(self) -> list[SpeakerRecord]:
        with self._reading() as conn:
            ids = [int(r[0]) for r in conn.execute("SELECT id FROM speakers ORDER BY id")]
        records = [self.get_speaker(_speaker_id(i), with_articles=False) for i in ids]
        return [r for r in records if r is not None]

    def import_edits(
        self, edits: Iterable[tuple[str, str, str]], *, write_side_file: bool = True
    ) -> int:
        """Record corrections exported from another index (a rebuild) and apply them."""
        count = 0
        edits = list(edits)
        with self._transaction() as conn:
            for op, a, b in edits:
                if op not in ("merge", "split", "rename"):
                    raise SpeakerEditError(f"unknown correction {op!r}")
                self._record_edit(conn, op, a, b)
                if op == "split":
                    conn.execute("INSERT INTO speaker_splits(name_a, name_b) VALUES (?, ?)", (a, b))
                count += 1
            self._apply_edits(conn)
        if write_side_file:
            for op, a, b in edits:
                self._append_edit(op, a, b)
        return count

    def _record_edit(self, conn: sqlite3.Connection, op: str, a: str, b: str) -> None:
        conn.execute("INSERT INTO speaker_edits(op, name_a, name_b) VALUES (?, ?, ?)", (op, a, b))

    def _name_of(self, conn: sqlite3.Connection, speaker: int) -> str:
        row = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return "" if row is None else str(row[0])

    def _rename(self, conn: sqlite3.Connection, speaker: int, new_name: str) -> None:
        conn.execute(
            "UPDATE speakers SET name = ?, name_key = ?, fixed_name = ? WHERE id = ?",
            (new_name, name_key(new_name), new_name, speaker),
        )
        self._add_aliases(conn, speaker, {new_name})

    def _split_off(self, conn: sqlite3.Connection, speaker: int, form: str) -> int:
        row = conn.execute("SELECT kind FROM speakers WHERE id = ?", (speaker,)).fetchone()
        new = self._create_speaker(conn, form, EntityKind(row[0]))
        moved = conn.execute(
            "UPDATE quotes SET speaker = ?"
            " WHERE speaker = ? AND article_speaker = ? COLLATE NOCASE",
            (new, speaker, form),
        ).rowcount
        conn.execute(
            "UPDATE speakers SET quote_count = quote_count - ? WHERE id = ?", (moved, speaker)
        )
        conn.execute("UPDATE speakers SET quote_count = ? WHERE id = ?", (moved, new))
        conn.execute(
            "DELETE FROM speaker_aliases WHERE speaker = ? AND alias = ? COLLATE NOCASE",
            (speaker, form),
        )
        conn.execute("DELETE FROM speaker_keys WHERE speaker = ?", (speaker,))
        self._add_aliases(conn, new, {form})
        self._refresh_speaker(conn, speaker)
        return new

    def _one_speaker(self, conn: sqlite3.Connection, name: str) -> int:
        found = self._exact_speakers(conn, name)
        if not found:
            found = set(self._speakers_named(name))
        if not found:
            raise SpeakerEditError(f"no speaker named {name!r}")
        if len(found) > 1:
            shown = ", ".join(f"{self._name_of(conn, s)} ({_speaker_id(s)})" for s in sorted(found))
            raise SpeakerEditError(f"{name!r} is ambiguous: {shown}; name one by its id")
        return next(iter(found))

    def _exact_speakers(self, conn: sqlite3.Connection, name: str) -> set[int]:
        """Speakers with this id, this shown name, or this exact written alias."""
        resolved = self._resolve_speaker_id(name.strip())
        if resolved is not None:
            return {resolved}
        found = {
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE", (name.strip(),)
            )
        }
        if not found:
            found = {
                int(r[0])
                for r in conn.execute(
                    "SELECT speaker FROM speaker_aliases WHERE alias = ? COLLATE NOCASE",
                    (name.strip(),),
                )
            }
        return found

    def _apply_edits(self, conn: sqlite3.Connection) -> None:
        """Replay the operator's corrections on what the last ingest added: a merged name
        that came back as a speaker of its own is merged again, a split form that ingest
        put back is split off again, a renamed speaker keeps its name."""
        edits = conn.execute("SELECT op, name_a, name_b FROM speaker_edits ORDER BY id").fetchall()
        for op, a, b in edits:
            left, right = self._exact_speakers(conn, str(a)), self._exact_speakers(conn, str(b))
            if op == "merge" and len(left) == 1 and len(right) == 1 and left != right:
                self._merge_speakers(
                    conn, next(iter(left)), next(iter(right)), "operator merge", "operator"
                )
            elif op == "split" and len(left) == 1 and left == right:
                self._split_off(conn, next(iter(left)), str(b))
            elif op == "split" and len(left) == 1 and len(right) == 1:
                # Quotations ingest attributed under the split form to the old speaker.
                self._move_form(conn, next(iter(left)), next(iter(right)), str(b))
            elif op == "rename" and len(left) == 1:
                speaker = next(iter(left))
                row = conn.execute(
                    "SELECT fixed_name FROM speakers WHERE id = ?", (speaker,)
                ).fetchone()
                if row is not None and row[0] != b:
                    self._rename(conn, speaker, str(b))

    def _move_form(self, conn: sqlite3.Connection, source: int, target: int, form: str) -> None:
        moved = conn.execute(
            "UPDATE quotes SET speaker = ?"
            " WHERE speaker = ? AND article_speaker = ? COLLATE NOCASE",
            (target, source, form),
        ).rowcount
        if moved:
            conn.execute(
                "UPDATE speakers SET quote_count = quote_count - ? WHERE id = ?", (moved, source)
            )
            conn.execute(
                "UPDATE speakers SET quote_count = quote_count + ? WHERE id = ?", (moved, target)
            )

    def _record_link(
        self, conn: sqlite3.Connection, speaker: int, name: str, evidence: str, article_id: str
    ) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO speaker_links(speaker, name, evidence, source)"
            " VALUES (?, ?, ?, ?)",
            (speaker, name, evidence, f"article {article_id}" if article_id else "ingest"),
        )

    def _candidates(self, conn: sqlite3.Connection, keys: set[str], kind: EntityKind) -> set[int]:
        found: set[int] = set()
        for key in sorted(keys):
            found.update(
                int(r[0])
                for r in conn.execute(
                    "SELECT k.speaker FROM speaker_keys k JOIN speakers s ON s.id = k.speaker"
                    " WHERE k.key = ? AND s.kind = ?",
                    (key, kind.value),
                )
            )
        return found

    def _speakers_with_alias(
        self, conn: sqlite3.Connection, surface: set[str], kind: EntityKind
    ) -> set[int]:
        found: set[int] = set()
        for alias in surface:
            found.update(
                int(r[0])
                for r in conn.execute(
                    "SELECT a.speaker FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker"
                    " WHERE a.alias = ? COLLATE NOCASE AND s.kind = ?",
                    (alias, kind.value),
                )
            )
        return found

    def _speaker_names(self, conn: sqlite3.Connection, speaker: int) -> list[str]:
        names = [
            str(r[0])
            for r in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker = ?", (speaker,))
        ]
        row = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker,)).fetchone()
        if row is not None:
            names.append(str(row[0]))
        return sorted(set(names))

    def _kind(self, conn: sqlite3.Connection, speaker: int) -> EntityKind | None:
        row = conn.execute("SELECT kind FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return None if row is None else EntityKind(row[0])

    def _support(self, conn: sqlite3.Connection, speaker: int) -> tuple[int, int]:
        row = conn.execute("SELECT quote_count FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return (int(row[0]) if row else 0, -speaker)

    def _best_supported(self, conn: sqlite3.Connection, speakers: set[int]) -> int:
        return max(speakers, key=lambda s: self._support(conn, s))

    def _create_speaker(self, conn: sqlite3.Connection, name: str, kind: EntityKind) -> int:
        cur = conn.execute(
            "INSERT INTO speakers(name, kind, name_key) VALUES (?, ?, ?)",
            (name, kind.value, name_key(name)),
        )
        return int(cur.lastrowid or 0)

    def _add_aliases(self, conn: sqlite3.Connection, speaker: int, surface: set[str]) -> None:
        added = 0
        for alias in sorted(surface):
            key = name_key(alias) if _is_proper_name(alias) else ""
            added += conn.execute(
                "INSERT OR IGNORE INTO speaker_aliases(speaker, alias, alias_key) VALUES (?, ?, ?)",
                (speaker, alias, key),
            ).rowcount
        if added:  # the same forms give the same keys and name: nothing to refresh
            self._refresh_speaker(conn, speaker)

    def _refresh_speaker(self, conn: sqlite3.Connection, speaker: int) -> None:
        """Lookup keys and the shown name, from the speaker's forms (an operator's rename
        wins over the forms)."""
        row = conn.execute(
            "SELECT name, kind, fixed_name FROM speakers WHERE id = ?", (speaker,)
        ).fetchone()
        if row is None:
            return
        kind = EntityKind(row[1])
        names = self._speaker_names(conn, speaker)
        conn.executemany(
            "INSERT OR IGNORE INTO speaker_keys(key, speaker) VALUES (?, ?)",
            [(k, speaker) for k in sorted(identity.lookup_keys(kind, names))],
        )
        name = str(row[2]) if row[2] else identity.canonical_name(kind, names, str(row[0]))
        if name != row[0]:
            conn.execute(
                "UPDATE speakers SET name = ?, name_key = ? WHERE id = ?",
                (name, name_key(name), speaker),
            )

    def _merge_speakers(
        self, conn: sqlite3.Connection, keep: int, gone: int, evidence: str, source: str
    ) -> None:
        """Fold speaker ``gone`` into ``keep``: quotations, aliases, counts and keys follow,
        and ``gone``'s id keeps resolving (to ``keep``)."""
        if keep == gone:
            return
        conn.execute("UPDATE quotes SET speaker = ? WHERE speaker = ?", (keep, gone))
        conn.execute(
            "INSERT OR IGNORE INTO speaker_aliases(speaker, alias, alias_key)"
            " SELECT ?, alias, alias_key FROM speaker_aliases WHERE speaker = ?",
            (keep, gone),
        )
        conn.execute("DELETE FROM speaker_aliases WHERE speaker = ?", (gone,))
        conn.execute("DELETE FROM speaker_keys WHERE speaker = ?", (gone,))
        conn.execute("DELETE FROM speaker_name_parts WHERE speaker = ?", (gone,))
        conn.execute(
            "UPDATE speakers SET quote_count = quote_count"
            " + (SELECT quote_count FROM speakers WHERE id = ?) WHERE id = ?",
            (gone, keep),
        )
        conn.execute(
            "UPDATE OR IGNORE speaker_links SET speaker = ? WHERE speaker = ?", (keep, gone)
        )
        conn.execute("DELETE FROM speakers WHERE id = ?", (gone,))
        conn.execute(
            "UPDATE speaker_merges SET into_speaker = ? WHERE into_speaker = ?", (keep, gone)
        )
        conn.execute(
            "INSERT OR REPLACE INTO speaker_merges(gone, into_speaker, evidence, source)"
            " VALUES (?, ?, ?, ?)",
            (gone, keep, evidence, source),
        )
        self._refresh_speaker(conn, keep)

    # --- utterance clustering -----------------------------------------------------------

    def _cluster(self, conn: sqlite3.Connection, quote_rowid: int, row: _QuoteRow) -> None:
        sketch = QuoteSketch(words(row.norm), row.lemmas, row.lead, row.speaker)
        if links_nothing(sketch):
            self._assign_utterance(conn, quote_rowid, set())
            return
        copy = self._copy_utterance(conn, quote_rowid, row, sketch)
        if copy is not None:
            self._assign_utterance(conn, quote_rowid, {copy})
            return
        strong: set[int] = set()
        weak: Counter[int] = Counter()
        terms = _fts_terms(row.norm, row.lemmas).split()
        rowids = [
            r
            for r in self._search_rowids(
                conn, terms, _CLUSTER_CANDIDATES, _CLUSTER_MAX_TERMS, favour_short=True
            )
            if r != quote_rowid
        ]
        marks = ",".join("?" * len(rowids))
        candidates = (
            conn.execute(
                "SELECT norm, lead, speaker, utterance FROM quotes"
                f" WHERE id IN ({marks}) AND utterance IS NOT NULL",
                rowids,
            ).fetchall()
            if rowids
            else []
        )
        for norm, lead, speaker, utterance in candidates:
            reason = link_reason(sketch, _sketch(norm, lead, speaker))
            if reason in STRONG_LINKS:
                strong.add(int(utterance))
            elif reason is not None:
                weak[int(utterance)] += 1
        self._assign_utterance(conn, quote_rowid, self._clusters_to_join(conn, strong, weak))

    def _copy_utterance(
        self, conn: sqlite3.Connection, quote_rowid: int, row: _QuoteRow, sketch: QuoteSketch
    ) -> int | None:
        """The utterance of an indexed copy of this quotation (the same words, speaker and
        lead-in), when identical printings link: None sends it to the full search.

        A copy links to whatever this quotation would, so joining its utterance skips the
        candidate search; an article repeating one quotation thousands of times would
        otherwise search and rank every earlier printing once per printing. Only the first
        _COPY_PROBE rows of the wording's hash are looked at, so a wording printed many
        times under other speakers costs a bounded probe, then the full search.
        """
        if link_reason(sketch, sketch) not in STRONG_LINKS:
            return None
        found = conn.execute(
            "SELECT utterance FROM (SELECT norm, speaker, lead, utterance FROM quotes"
            " INDEXED BY quotes_norm_hash WHERE norm_hash = ? AND id != ? LIMIT ?)"
            " WHERE norm = ? AND speaker IS ? AND lead = ? AND utterance IS NOT NULL LIMIT 1",
            (
                _norm_hash(row.norm),
                quote_rowid,
                _COPY_PROBE,
                row.norm,
                row.speaker,
                " ".join(row.lead),
            ),
        ).fetchone()
        return None if found is None else int(found[0])

    def _clusters_to_join(
        self, conn: sqlite3.Connection, strong: set[int], weak: Counter[int]
    ) -> set[int]:
        """The clusters a new quotation joins (and so merges).

        Strong links (identical, near-identical) always merge. A weak link (a fragment,
        a re-translation) would otherwise chain different sayings together: a fragment
        like "a fair deal" can sit inside two different long quotations by one speaker.
        So a weakly linked cluster is merged only when its longest printing or the
        target's is short, or the two longest printings themselves link.
        """
        if not strong and not weak:
            return set()
        ordered_weak = sorted(weak, key=lambda u: (-weak[u], u))
        joined = set(strong) if strong else {ordered_weak[0]}
        anchor = self._longest_member(conn, min(joined))
        for utterance in ordered_weak:
            if utterance in joined:
                continue
            other = self._longest_member(conn, utterance)
            if (
                len(anchor.words) < _FRAGMENT_MAX_WORDS
                or len(other.words) < _FRAGMENT_MAX_WORDS
                or link_reason(anchor, other) is not None
            ):
                joined.add(utterance)
                if len(other.words) > len(anchor.words):
                    anchor = other
        return joined

    def _longest_member(self, conn: sqlite3.Connection, utterance: int) -> QuoteSketch:
        row = conn.execute(
            "SELECT norm, lead, speaker FROM quotes WHERE utterance = ?"
            " ORDER BY length(norm) DESC, id LIMIT 1",
            (utterance,),
        ).fetchone()
        return _sketch(*row) if row else QuoteSketch((), (), (), None)

    def _identical_utterance(self, conn: sqlite3.Connection, row: _QuoteRow) -> int | None:
        """The utterance of an indexed speech quotation with the same normalised text."""
        found = conn.execute(
            "SELECT utterance FROM quotes WHERE norm_hash = ? AND norm = ?"
            " AND utterance IS NOT NULL LIMIT 1",
            (_norm_hash(row.norm), row.norm),
        ).fetchone()
        return None if found is None else int(found[0])

    def _assign_utterance(
        self, conn: sqlite3.Connection, quote_rowid: int, linked: set[int]
    ) -> None:
        if not linked:
            cur = conn.execute("INSERT INTO utterances DEFAULT VALUES")
            target = int(cur.lastrowid or 0)
        else:
            # Single linkage: a quotation that links two clusters merges them.
            target = min(linked)
            for other in sorted(linked - {target}):
                conn.execute("UPDATE quotes SET utterance = ? WHERE utterance = ?", (target, other))
                conn.execute("DELETE FROM utterances WHERE id = ?", (other,))
        conn.execute("UPDATE quotes SET utterance = ? WHERE id = ?", (target, quote_rowid))

    # --- retrieval ----------------------------------------------------------------------

    def _term_counts(self, conn: sqlite3.Connection, terms: Sequence[str]) -> list[tuple[int, str]]:
        """(document frequency, term) of the indexed terms among ``terms``, rarest first."""
        unique = list(dict.fromkeys(terms))
        counted: list[tuple[int, str]] = []
        for start in range(0, len(unique), 200):  # under SQLite's bound-parameter limit
            batch = unique[start : start + 200]
            marks = ",".join("?" * len(batch))
            counted.extend(
                (int(df), str(term))
                for term, df in conn.execute(
                    f"SELECT term, df FROM term_df WHERE term IN ({marks}) AND df > 0", batch
                )
            )
        counted.sort()
        return counted

    @staticmethod
    def _selective_terms(
        counted: Sequence[tuple[int, str]], max_terms: int
    ) -> tuple[list[tuple[int, str]], int]:
        """The rarest of the (document frequency, term) pairs within the postings budget,
        and their postings in all.

        The rarest term is always taken, even over budget.
        """
        chosen: list[tuple[int, str]] = []
        total = 0
        for doc_count, term in counted:
            if chosen and (total + doc_count > _POSTINGS_BUDGET or len(chosen) >= max_terms):
                break
            chosen.append((doc_count, term))
            total += doc_count
        return chosen, total

    def _search_rowids(
        self,
        conn: sqlite3.Connection,
        terms: Sequence[str],
        limit: int,
        max_terms: int = _MAX_QUERY_TERMS,
        *,
        favour_short: bool = False,
    ) -> list[int]:
        """Quotations sharing the query's most selective terms, best first.

        ``favour_short`` ranks by SQLite's bm25, whose length normalisation puts short
        quotations first (clustering looks for fragments of a long quotation); otherwise
        by the summed rarity of the shared terms alone, which is cheaper (bm25 reads every
        candidate's length) and does not push back the long printing a truncated query
        was cut from.
        """
        # Unknown terms are skipped: a term no quotation has is most often a typo.
        counted = self._term_counts(conn, terms)
        chosen, total = self._selective_terms(counted, max_terms)
        if not chosen:
            return []
        if total <= _POSTINGS_BUDGET:
            if favour_short:
                match = " OR ".join(_fts_phrase(term) for _, term in chosen)
                return self._fts_rowids(conn, match, limit)
            return self._rarest_terms_first(conn, chosen, limit)
        # Even the rarest term is common: take the quotations holding all of the rarest
        # few terms (an intersection) instead of scoring a huge posting list. Terms in a
        # large share of all quotations are left out of it (walking them is the cost); a
        # single remaining term is read unranked, first postings first.
        common = [term for df, term in counted if df <= _INTERSECT_MAX_DF]
        common = common[:_ALL_OF_TERMS]
        if not common:
            return []
        match = " AND ".join(map(_fts_phrase, common))
        if favour_short and len(common) > 1:
            return self._newest_ranked(conn, match, limit)
        return self._fts_rowids(conn, match, limit, ranked=len(common) > 1)

    def _newest_ranked(self, conn: sqlite3.Connection, match: str, limit: int) -> list[int]:
        """The best ranked of the newest _POSTINGS_BUDGET quotations matching: a bounded
        rank. Ranking the whole match reads every posting of it, once per quotation
        clustered, so an article reprinting one saying with a changing word (thousands
        of near-copies) would cost the square of its length."""
        rows = conn.execute(
            "SELECT rowid, rank FROM quote_terms WHERE quote_terms MATCH ?"
            " ORDER BY rowid DESC LIMIT ?",
            (match, _POSTINGS_BUDGET),
        ).fetchall()
        return [int(r[0]) for r in heapq.nsmallest(limit, rows, key=lambda r: (r[1], r[0]))]

    def _fts_rowids(
        self, conn: sqlite3.Connection, match: str, limit: int, *, ranked: bool = True
    ) -> list[int]:
        order = " ORDER BY rank" if ranked else ""
        return [
            int(r[0])
            for r in conn.execute(
                f"SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?{order} LIMIT ?",
                (match, limit),
            )
        ]

    def _rarest_terms_first(
        self, conn: sqlite3.Connection, chosen: Sequence[tuple[int, str]], limit: int
    ) -> list[int]:
        """Rowids holding any chosen (document frequency, term), by the summed idf of those
        they hold; ties in postings order."""
        corpus = max(int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM quotes").fetchone()[0]), 1)
        scores: dict[int, float] = {}
        for doc_count, term in chosen:
            idf = math.log(1.0 + (corpus - doc_count + 0.5) / (doc_count + 0.5))
            for (rowid,) in conn.execute(
                "SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?", (_fts_phrase(term),)
            ):
                scores[rowid] = scores.get(rowid, 0.0) + idf
        return heapq.nlargest(limit, scores, key=scores.__getitem__)

    def search(
        self, normalized_query: str, limit: int, printed: PrintingFilter | None = None
    ) -> Iterator[SearchHit]:
        terms = query_terms(normalized_query, lemma_key(words(normalized_query)))
        with self._reading() as conn:
            rowids = self._search_rowids(conn, terms, limit)
        # Rows are read a batch at a time, best first: a caller that has found a perfect
        # match stops early and reads no more. No lock is held between batches.
        for start in range(0, len(rowids), _HIT_BATCH):
            with self._reading() as conn:
                rows = self._candidate_rows(conn, rowids[start : start + _HIT_BATCH], printed)
            yield from (SearchHit(_utterance_id(int(r[1])), r[2]) for r in rows)

    def wording_hits(
        self, wording_hashes: Sequence[int], printed: PrintingFilter | None = None
    ) -> list[tuple[int, SearchHit]]:
        """(wording hash, hit) for each speech quotation printing one of the wordings, in
        the order of `wording_hashes`, of the articles `printed` admits (semantic search)."""
        if not wording_hashes:
            return []
        marks = ",".join("?" * len(wording_hashes))
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, utterance, norm, article, norm_hash FROM quotes INDEXED BY"
                f" quotes_norm_hash WHERE norm_hash IN ({marks}) AND utterance IS NOT NULL",
                list(wording_hashes),
            ).fetchall()
            if printed is not None and not printed.admits_all:
                admitted = self._articles_admitted(conn, {int(r[3]) for r in rows}, printed)
                rows = [r for r in rows if int(r[3]) in admitted]
        order = {h: i for i, h in enumerate(wording_hashes)}
        rows.sort(key=lambda r: (order[int(r[4])], int(r[0])))
        return [(int(r[4]), SearchHit(_utterance_id(int(r[1])), r[2])) for r in rows]

    def speech_wordings(self, article_id: str | None = None) -> list[tuple[int, str]]:
        """(wording hash, printed text) of each distinct wording of speech quotations, of
        one article or of the whole index: what semantic search embeds."""
        with self._reading() as conn:
            if article_id is None:
                rows = conn.execute(
                    "SELECT norm_hash, min(text) FROM quotes WHERE utterance IS NOT NULL"
                    " GROUP BY norm_hash"
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT q.norm_hash, min(q.text) FROM quotes q JOIN articles a"
                    " ON a.id = q.article WHERE a.article_id = ? AND q.utterance IS NOT NULL"
                    " GROUP BY q.norm_hash",
                    (article_id,),
                ).fetchall()
        return [(int(h), str(t)) for h, t in rows]

    def _candidate_rows(
        self, conn: sqlite3.Connection, rowids: Sequence[int], printed: PrintingFilter | None
    ) -> list[tuple[Any, ...]]:
        """(id, utterance, norm, article) of the quotations with utterances, in rowids order."""
        # The narrow covering index holds ~30 candidates a page, the table ~5.
        rows: list[tuple[Any, ...]] = conn.execute(
            "SELECT id, utterance, norm, article FROM quotes INDEXED BY quotes_candidate"
            f" WHERE id IN ({','.join('?' * len(rowids))}) AND utterance IS NOT NULL",
            list(rowids),
        ).fetchall()
        if printed is not None and not printed.admits_all:
            admitted = self._articles_admitted(conn, {int(r[3]) for r in rows}, printed)
            rows = [r for r in rows if int(r[3]) in admitted]
        order = {rowid: i for i, rowid in enumerate(rowids)}
        rows.sort(key=lambda r: order[int(r[0])])
        return rows

    def _articles_admitted(
        self, conn: sqlite3.Connection, articles: set[int], printed: PrintingFilter
    ) -> set[int]:
        marks = ",".join("?" * len(articles))
        return {
            int(r[0])
            for r in conn.execute(
                f"SELECT id, outlet, wire_credits, date FROM articles WHERE id IN ({marks})",
                list(articles),
            )
            if printed.admits(r[1], json.loads(r[2]), r[3])
        }

    # --- reads --------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self._reading() as conn:
            return self._article_rowid(conn, article_id) is not None

    def get_article(self, article_id: str) -> Article | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT text, title, outlet, wire_credits, byline, date, url, source_name,"
                " identity, derived FROM articles WHERE article_id = ?",
                (article_id,),
            ).fetchone()
        if row is None:
            return None
        identity = str(row[8] or "")
        meta = ArticleMeta(
            title=row[1],
            outlet=row[2],
            wire_credits=tuple(json.loads(row[3])),
            byline=row[4],
            date=row[5],
            url=row[6],
            source_name=row[7],
            source_path=identity.removeprefix("path:") if identity.startswith("path:") else None,
            derived=tuple((str(f), Origin(o)) for f, o in json.loads(row[9])),
        )
        return Article(text=row[0], meta=meta)

    _ARTICLE_COLUMNS = (
        "a.article_id, a.title, a.outlet, a.wire_credits, a.byline, a.date, a.url,"
        " a.source_name, a.identity, a.derived, length(a.text),"
        " (SELECT COUNT(*) FROM quotes q WHERE q.article = a.id),"
        " (SELECT COUNT(DISTINCT q.speaker) FROM quotes q WHERE q.article = a.id)"
    )

    def article_record(self, article_id: str) -> ArticleRecord | None:
        """The article's metadata and counts (GetArticle); None for an unknown id."""
        with self._reading() as conn:
            row = conn.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles a WHERE a.article_id = ?",
                (article_id,),
            ).fetchone()
        return None if row is None else _article_record(row)

    def list_articles(
        self, *, offset: int = 0, limit: int = 50, outlet: str | None = None
    ) -> tuple[list[ArticleRecord], int]:
        """One page of articles in the order they were indexed, and the total."""
        where, params = ("", []) if not outlet else (" WHERE lower(a.outlet) = lower(?)", [outlet])
        with self._reading() as conn:
            total = int(
                conn.execute("SELECT COUNT(*) FROM articles a" + where, params).fetchone()[0]
            )
            rows = conn.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles a{where} ORDER BY a.id"
                " LIMIT ? OFFSET ?",
                [*params, max(0, limit), max(0, offset)],
            ).fetchall()
        return [_article_record(r) for r in rows], total

    _QUOTE_COLUMNS = (
        'a.article_id, q.seq, q.text, q.start, q."end", q.kind, s.name, q.speaker,'
        " q.speaker_mention, q.cue, q.sieve, q.confidence, q.utterance, a.outlet, q.resolution"
    )

    def list_quotes(
        self,
        *,
        article_id: str | None = None,
        speaker_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
        text_chars: int | None = None,
    ) -> tuple[list[StoredQuote], int]:
        clauses: list[str] = []
        params: list[object] = []
        if article_id is not None:
            clauses.append("a.article_id = ?")
            params.append(article_id)
        if speaker_id is not None:
            clauses.append("q.speaker = ?")
            resolved = self._resolve_speaker_id(speaker_id)
            params.append(-1 if resolved is None else resolved)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        base = (
            " FROM quotes q JOIN articles a ON a.id = q.article"
            " LEFT JOIN speakers s ON s.id = q.speaker"
        )
        columns, column_params = self._QUOTE_COLUMNS, list[object]()
        if text_chars is not None:
            columns, column_params = _cut_text_columns(text_chars)
        with self._reading() as conn:
            total = int(conn.execute("SELECT COUNT(*)" + base + where, params).fetchone()[0])
            rows = conn.execute(
                f"SELECT {columns}" + base + where + " ORDER BY q.article, q.seq LIMIT ? OFFSET ?",
                [*column_params, *params, max(0, limit), max(0, offset)],
            ).fetchall()
        if text_chars is None:
            return [_stored_quote(r) for r in rows], total
        return [replace(_stored_quote(r), text_truncated=bool(r[15])) for r in rows], total

    def utterance_details(self, utterance_id: str) -> list[QuoteDetail]:
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {self._QUOTE_COLUMNS}, q.norm, {_CONTEXT}, a.title, a.wire_credits,"
                " a.date, a.url, a.source_name, a.processors FROM quotes q"
                " JOIN articles a ON a.id = q.article"
                " LEFT JOIN speakers s ON s.id = q.speaker WHERE q.utterance = ?"
                " ORDER BY q.article, q.seq",
                (_utterance_rowid(utterance_id),),
            ).fetchall()
        return [
            QuoteDetail(
                quote=_stored_quote(r[:15]),
                normalized=r[15],
                context=r[16],
                title=r[17],
                wire_credits=tuple(json.loads(r[18])),
                date=r[19],
                url=r[20],
                source_name=r[21],
                processors=tuple(json.loads(r[22])),
            )
            for r in rows
        ]

    def speakers_named(self, name: str) -> frozenset[str]:
        """Every corpus speaker the name may denote, in any written form: aliases,
        spellings, initials, titles, diacritics, an acronym (all of them if ambiguous)."""
        return frozenset(_speaker_id(s) for s in self._speakers_named(name))

    def _speakers_named(self, name: str) -> list[int]:
        name = name.strip()
        if not name:
            return []
        with self._reading() as conn:
            candidates = {
                int(r[0])
                for r in conn.execute(
                    "SELECT speaker FROM speaker_aliases WHERE alias = ? COLLATE NOCASE", (name,)
                )
            }
            candidates.update(
                int(r[0])
                for r in conn.execute(
                    "SELECT speaker FROM speaker_aliases WHERE alias_key = ?", (name_key(name),)
                )
            )
            printed = identity.as_printed(name)
            keys = identity.lookup_keys(EntityKind.PERSON, [printed]) | identity.lookup_keys(
                EntityKind.ORGANIZATION, [printed]
            )
            for key in sorted(keys):
                candidates.update(
                    int(r[0])
                    for r in conn.execute("SELECT speaker FROM speaker_keys WHERE key = ?", (key,))
                )
            found = [
                s
                for s in sorted(candidates)
                if identity.claim_link(name, self._speaker_names(conn, s), self._kind(conn, s))
                is not None
            ]
            found.sort(key=lambda s: self._support(conn, s), reverse=True)
        return found

    def find_speaker(self, name: str) -> SpeakerRecord | None:
        """The best supported speaker the name denotes (see ``lookup_speakers`` for all)."""
        found = self._speakers_named(name)
        if not found:
            resolved = self._resolve_speaker_id(name.strip())
            return None if resolved is None else self.get_speaker(name.strip())
        return self.get_speaker(_speaker_id(found[0]))

    def lookup_speakers(self, name: str) -> list[SpeakerRecord]:
        """Every speaker the name may denote, best supported first: several means the
        name is ambiguous. A speaker id (also a merged one) finds its speaker."""
        found = self._speakers_named(name)
        if not found and self._resolve_speaker_id(name.strip()) is not None:
            record = self.get_speaker(name.strip())
            return [] if record is None else [record]
        records = [self.get_speaker(_speaker_id(s)) for s in found]
        return [r for r in records if r is not None]

    def speaker_lookup(self, name: str) -> SpeakerLookup | None:
        found = self.lookup_speakers(name)
        if not found:
            return None
        best = found[0]
        return SpeakerLookup(
            record=best,
            candidates=tuple(found) if len(found) > 1 else (),
            forms=tuple(self.alias_counts(best.speaker_id)),
            evidence=tuple(
                f"{what}: {evidence} ({source})"
                for what, evidence, source in self.speaker_history(best.speaker_id)
            ),
        )

    def speaker_history(self, speaker_id: str) -> list[tuple[str, str, str]]:
        """(what, evidence, source) of every merge into and link to the speaker."""
        rowid = self._resolve_speaker_id(speaker_id)
        if rowid is None:
            return []
        with self._reading() as conn:
            merges = [
                (f"merged {_speaker_id(int(r[0]))}", str(r[1]), str(r[2]))
                for r in conn.execute(
                    "SELECT gone, evidence, source FROM speaker_merges WHERE into_speaker = ?"
                    " ORDER BY gone",
                    (rowid,),
                )
            ]
            links = [
                (f"linked {r[0]!r}", str(r[1]), str(r[2]))
                for r in conn.execute(
                    "SELECT name, evidence, source FROM speaker_links WHERE speaker = ?"
                    " ORDER BY source, name",
                    (rowid,),
                )
            ]
        return merges + links

    def alias_counts(self, speaker_id: str) -> list[tuple[str, int]]:
        """Each written form of the speaker with how many of its quotations name it so
        (the mention; 0 for a form seen only as an alias)."""
        rowid = self._resolve_speaker_id(speaker_id)
        if rowid is None:
            return []
        with self._reading() as conn:
            counts = Counter(
                str(r[0])
                for r in conn.execute(
                    "SELECT article_speaker FROM quotes WHERE speaker = ?", (rowid,)
                )
                if r[0] is not None
            )
            aliases = [
                str(r[0])
                for r in conn.execute(
                    "SELECT alias FROM speaker_aliases WHERE speaker = ?", (rowid,)
                )
            ]
        return sorted(
            ((a, counts.get(a, 0)) for a in aliases), key=lambda item: (-item[1], item[0])
        )

    def _resolve_speaker_id(self, speaker_id: str) -> int | None:
        """The rowid a speaker id denotes now: merged speakers resolve to their merger."""
        rowid = _speaker_rowid(speaker_id)
        if rowid < 0:
            return None
        with self._reading() as conn:
            if conn.execute("SELECT 1 FROM speakers WHERE id = ?", (rowid,)).fetchone():
                return rowid
            row = conn.execute(
                "SELECT into_speaker FROM speaker_merges WHERE gone = ?", (rowid,)
            ).fetchone()
        return None if row is None else int(row[0])

    def get_speaker(self, speaker_id: str, *, with_articles: bool = True) -> SpeakerRecord | None:
        """The speaker's record; ``with_articles=False`` leaves ``article_ids`` empty (cheap).

        The id of a speaker merged into another gives the merged speaker's record."""
        resolved = self._resolve_speaker_id(speaker_id)
        if resolved is None:
            return None
        rowid = resolved
        speaker_id = _speaker_id(rowid)
        with self._reading() as conn:
            row = conn.execute(
                "SELECT name, kind, quote_count FROM speakers WHERE id = ?", (rowid,)
            ).fetchone()
            if row is None:
                return None
            aliases = tuple(
                r[0]
                for r in conn.execute(
                    "SELECT alias FROM speaker_aliases WHERE speaker = ? ORDER BY alias", (rowid,)
                )
            )
            articles: tuple[str, ...] = ()
            if with_articles:
                articles = tuple(
                    r[0]
                    for r in conn.execute(
                        "SELECT a.article_id FROM articles a WHERE a.id IN"
                        " (SELECT DISTINCT article FROM quotes WHERE speaker = ?) ORDER BY a.id",
                        (rowid,),
                    )
                )
        return SpeakerRecord(
            speaker_id=speaker_id,
            name=row[0],
            kind=EntityKind(row[1]),
            aliases=aliases,
            quote_count=int(row[2]),
            article_ids=articles,
        )

    def stats(self) -> CorpusStats:
        with self._reading() as conn:

            def count(sql: str) -> int:
                return int(conn.execute(sql).fetchone()[0])

            processors: dict[str, None] = {}
            for (encoded,) in conn.execute(
                "SELECT processors FROM articles GROUP BY processors ORDER BY MIN(id)"
            ):
                processors.update(dict.fromkeys(json.loads(encoded)))
            return CorpusStats(
                article_count=count("SELECT COUNT(*) FROM articles"),
                quote_count=count("SELECT COUNT(*) FROM quotes"),
                speaker_count=count("SELECT COUNT(*) FROM speakers"),
                utterance_count=count("SELECT COUNT(*) FROM utterances"),
                outlet_count=count(
                    "SELECT COUNT(DISTINCT lower(outlet)) FROM articles"
                    " WHERE lower(outlet) IS NOT NULL"
                ),
                processors=tuple(processors),
            )


def _sketch(norm: str, lead: str, speaker: int | None) -> QuoteSketch:
    return QuoteSketch(
        words(norm),
        lemma_key(words(norm)),
        tuple(lead.split()),
        None if speaker is None else int(speaker),
    )


class SpeakerEditError(ValueError):
    """An operator correction that cannot be made (unknown or ambiguous name...)."""


def read_edits(path: Path) -> list[tuple[str, str, str]]:
    """Operator corrections from a JSON-lines file: {"op", "name", "other"} per line."""
    edits: list[tuple[str, str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            edits.append((str(d["op"]), str(d["name"]), str(d["other"])))
        except (ValueError, KeyError, TypeError) as error:
            raise SpeakerEditError(f"{path}:{number}: not a correction ({error})") from None
    return edits


def _add_term_df(conn: sqlite3.Connection, df: Counter[str]) -> None:
    """Add `df` to the stored document frequencies, and empty it."""
    conn.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + ?",
        [(t, n, n) for t, n in df.items()],
    )
    df.clear()


# A quotation's context: stored, or read from the article text by its span.
_CONTEXT = (
    "CASE WHEN q.context_end IS NULL THEN q.context"
    " ELSE substr(a.text, q.context_start + 1, q.context_end - q.context_start) END"
)


def _add_context_span(conn: sqlite3.Connection) -> None:
    """Bring an index made when every context was stored as text up to date: its rows
    keep their text (no span); new rows store a span where they can."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(quotes)")}
    if "context_start" not in columns:
        conn.execute("ALTER TABLE quotes ADD COLUMN context_start INTEGER")
        conn.execute("ALTER TABLE quotes ADD COLUMN context_end INTEGER")


def _add_article_identity(conn: sqlite3.Connection) -> None:
    """Bring an index made when articles were keyed on their text up to date: each keeps
    its id, its identity is its URL (the newest version of a URL replaces the others on
    its next ingest) or, without one, its text until a file of that text claims it."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(articles)")}
    if "identity" not in columns:
        conn.execute("ALTER TABLE articles ADD COLUMN identity TEXT")
        conn.execute("ALTER TABLE articles ADD COLUMN text_hash TEXT")
        conn.execute("ALTER TABLE articles ADD COLUMN derived TEXT NOT NULL DEFAULT '[]'")
    rows = conn.execute(
        "SELECT id, url, article_id FROM articles WHERE identity IS NULL"
    ).fetchall()
    conn.executemany(  # before identities, article_id was the hash of the text
        "UPDATE articles SET identity = ?, text_hash = ? WHERE id = ?",
        [
            (identity_for(url, None, article_id), article_id, rowid)
            for rowid, url, article_id in rows
        ],
    )
    conn.execute("CREATE INDEX IF NOT EXISTS articles_identity ON articles(identity)")


def _article_record(r: Sequence[Any]) -> ArticleRecord:
    return ArticleRecord(
        article_id=str(r[0]),
        title=r[1],
        outlet=r[2],
        wire_credits=tuple(json.loads(r[3])),
        byline=r[4],
        date=r[5],
        url=r[6],
        source_name=r[7],
        identity=str(r[8] or ""),
        derived=tuple((str(f), str(o)) for f, o in json.loads(r[9] or "[]")),
        char_count=int(r[10]),
        quote_count=int(r[11]),
        speaker_count=int(r[12]),
    )


def _add_speaker_quote_count(conn: sqlite3.Connection) -> None:
    """Bring an index made before speakers.quote_count, fixed_name or speaker_keys existed
    up to date."""
    quote_columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(quotes)")}
    if "resolution" not in quote_columns:
        conn.execute("ALTER TABLE quotes ADD COLUMN resolution TEXT")
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(speakers)")}
    if "fixed_name" not in columns:
        conn.execute("ALTER TABLE speakers ADD COLUMN fixed_name TEXT")
    if "quote_count" not in columns:
        conn.execute("ALTER TABLE speakers ADD COLUMN quote_count INTEGER NOT NULL DEFAULT 0")
        conn.execute(
            "UPDATE speakers SET quote_count ="
            " (SELECT COUNT(*) FROM quotes WHERE quotes.speaker = speakers.id)"
        )
    has_keys = conn.execute("SELECT 1 FROM speaker_keys LIMIT 1").fetchone()
    if has_keys is None:
        for speaker, kind in conn.execute("SELECT id, kind FROM speakers").fetchall():
            names = [
                str(r[0])
                for r in conn.execute(
                    "SELECT alias FROM speaker_aliases WHERE speaker = ?", (speaker,)
                )
            ]
            conn.executemany(
                "INSERT OR IGNORE INTO speaker_keys(key, speaker) VALUES (?, ?)",
                [(k, speaker) for k in identity.lookup_keys(EntityKind(kind), names)],
            )


def _usable_alias(alias: str) -> bool:
    """Not a one-letter or letterless form ("S", "—"): those name no one."""
    return sum(c.isalpha() for c in alias) >= 2


def _is_proper_name(alias: str) -> bool:
    # "the prime minister" describes; "Ana Novak" / "The Harbour Council" name.
    stripped = alias.strip()
    return bool(stripped) and not stripped[0].islower()


def _quote_id(article_id: str, seq: int) -> str:
    return f"{article_id}-{seq}"


def _speaker_id(rowid: int) -> str:
    return f"sp{rowid}"


def _speaker_rowid(speaker_id: str) -> int:
    return int(speaker_id[2:]) if speaker_id.startswith("sp") and speaker_id[2:].isdigit() else -1


def _utterance_id(rowid: int) -> str:
    return f"ut{rowid}"


def _utterance_rowid(utterance_id: str) -> int:
    return (
        int(utterance_id[2:])
        if utterance_id.startswith("ut") and utterance_id[2:].isdigit()
        else -1
    )


def _cut_text_columns(text_chars: int) -> tuple[str, list[object]]:
    """_QUOTE_COLUMNS with the text cut in SQL (a page of long quotations is never read
    whole) to its head and tail around " … " (verify's cut_text does the same), plus a
    column saying whether it was cut; and the parameters they take."""
    half = text_chars // 2
    cut = (
        "CASE WHEN length(q.text) > ? THEN substr(q.text, 1, ?) || ' … ' || substr(q.text, -?)"
        " ELSE q.text END"
    )
    columns = SqliteStore._QUOTE_COLUMNS.replace("q.text,", f"{cut},", 1)
    return f"{columns}, length(q.text) > ?", [text_chars, half, half, text_chars]


def _stored_quote(r: Sequence[object]) -> StoredQuote:
    speaker_rowid = r[7]
    utterance = r[12]
    return StoredQuote(
        quote_id=_quote_id(str(r[0]), int(str(r[1]))),
        article_id=str(r[0]),
        text=str(r[2]),
        start=int(str(r[3])),
        end=int(str(r[4])),
        kind=QuoteKind(str(r[5])),
        speaker=None if r[6] is None else str(r[6]),
        speaker_id=None if speaker_rowid is None else _speaker_id(int(str(speaker_rowid))),
        speaker_mention=None if r[8] is None else str(r[8]),
        cue=None if r[9] is None else str(r[9]),
        sieve=None if r[10] is None else str(r[10]),
        confidence=float(str(r[11])),
        utterance_id=None if utterance is None else _utterance_id(int(str(utterance))),
        outlet=None if r[13] is None else str(r[13]),
        resolution=None if r[14] is None else str(r[14]),
    )
