"""The writer: articles in (added, replaced, unchanged), articles out, and the bulk path.

Crash safety: each article is written in one transaction, so a process killed mid-ingest
leaves the article either fully indexed or absent. Replacing an article (a new text at
its URL or path) deletes the old version and writes the new one in that transaction.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.normalize import words
from quotetrace_server.index.model import DeletedArticle, IngestOutcome, IngestStatus
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.prepare import (
    BulkValues,
    Prepared,
    prepare_article,
    prepared_items,
    prepared_of,
)
from quotetrace_server.index.sql.records import (
    QuoteRow,
    norm_hash,
    quote_norm,
)
from quotetrace_server.index.sql.speaker_mirror import SpeakerMirror
from quotetrace_server.index.sql.terms import query_terms, tokenized_as_written
from quotetrace_server.index.sql.utterances import UtteranceClustering
from quotetrace_server.ingest.model import Article, id_for_identity, identity_for


class Writer(UtteranceClustering):
    # During a bulk load: normalised text → utterance of the speech quotations it added
    # (each identical text joins the first one's utterance), and whether the index had
    # quotations before it (only then is the table asked about a text not seen here).
    _bulk_utterances: dict[str, int] | None = None
    _bulk_onto_rows = False
    # Whether a bulk load links speakers from memory (speaker_mirror): its case folding
    # is SQLite's NOCASE, so the SQLite store turns it on.
    _mirror_in_bulk = False
    # A bulk load into an empty index leaves out of term_df the terms held by this many
    # quotations or fewer (search counts those from their postings); 0: keeps them all.
    _term_df_floor = 0
    # Whether a quotation's row leaves out the text and normalised text that its article
    # gives back (records.QUOTE_TEXT, quote_norm); an older SQLite file stores them.
    _derive_quote_copies = True
    # Whether a bulk load numbers its quotation and utterance rows itself and writes them
    # many at a time at each commit (SQLite: an INTEGER PRIMARY KEY takes the number it
    # is given, the one it would have chosen: the largest plus one); else each row is
    # inserted as it comes and its id read back (a database server's identity columns).
    _bulk_numbers_rows = False
    # The batch a bulk load that numbers its rows is gathering (None otherwise).
    _numbered: BulkBatch | None = None
    # Whether a bulk load has its quotations' values worked out by a worker process
    # while it writes (prepare.prepared_items): where a second core is there to run it.
    _bulk_prepare_worker = (os.cpu_count() or 1) >= 2
    # Whether a bulk load into an empty index takes term_df from its postings' own
    # document counts at its end (the engine's text search counts them: SQLite's
    # fts5vocab), counting in memory only the quotations whose terms its tokenizer may
    # read otherwise; else every term of every quotation is counted in memory.
    _df_from_postings = False

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

    def _unchanged(self, conn: Connection, article: Article) -> IngestOutcome | None:
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

    def _versions(self, conn: Connection, identity: str) -> list[tuple[int, str, str]]:
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

    def _delete_rows(self, conn: Connection, rowid: int, article_id: str) -> DeletedArticle:
        quotes = conn.execute(
            f"SELECT q.id, {quote_norm(self._dialect)}, q.kind, q.speaker, q.utterance"
            " FROM quotes q JOIN articles a ON a.id = q.article WHERE q.article = ?",
            (rowid,),
        ).fetchall()
        df: Counter[str] = Counter()
        for quote_rowid, norm, kind, _, _ in quotes:
            if kind != QuoteKind.TERM.value:
                terms = query_terms(norm, lemma_key(words(norm)))
                self._terms.remove(conn, int(quote_rowid), terms)
                df.update(terms)
        conn.executemany(
            "UPDATE term_df SET df = df - ? WHERE term = ?", [(n, t) for t, n in df.items()]
        )
        conn.execute("DELETE FROM term_df WHERE df <= 0")
        per_speaker = Counter(int(q[3]) for q in quotes if q[3] is not None)
        conn.executemany(
            "UPDATE speakers SET quote_count ="
            " CASE WHEN quote_count > ? THEN quote_count - ? ELSE 0 END WHERE id = ?",
            [(n, n, s) for s, n in per_speaker.items()],
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

    def _delete_speaker(self, conn: Connection, speaker: int) -> None:
        """A speaker left with no quotation: gone, with its forms, keys and links."""
        for table in ("speaker_aliases", "speaker_keys", "speaker_name_parts", "speaker_links"):
            conn.execute(f"DELETE FROM {table} WHERE speaker = ?", (speaker,))
        conn.execute("DELETE FROM speaker_merges WHERE into_speaker = ?", (speaker,))
        conn.execute("DELETE FROM speakers WHERE id = ?", (speaker,))

    # Articles per commit of the bulk path (PostgresStore commits more often: see there).
    _BULK_BATCH = 2000

    def bulk_add(
        self, items: Iterable[tuple[Article, ArticleQuotes]], batch: int | None = None
    ) -> int:
        """Bulk path for large loads (benchmarks, re-indexing); returns articles added.

        Same rows as ``add_article`` with one difference: utterance clustering only joins
        *identical* normalised quotations (a hash lookup), not near-identical or contained
        ones, so that loading a million quotations does not run a fuzzy search per quote.
        Commits every ``batch`` articles (default: the engine's); articles already indexed
        (same identity) are skipped, not replaced. Loading into an empty index builds three
        of the quotations' indexes at the end (SQLite: ``sqlite_schema.DEFERRED_INDEXES``),
        so it is for an index nothing reads yet.
        """
        batch = batch or self._BULK_BATCH
        added = 0
        pending = 0
        # Postings and document frequencies are gathered over a batch and written at
        # commit (one COPY on PostgreSQL, one upsert per term): nothing on the bulk path
        # reads them meanwhile. Into an empty index, the document frequencies are
        # counted over the whole load and written once at its end, each term one row in
        # key order (a load stopped before its end leaves terms out of term_df: the
        # search counts those from their postings, exactly, and a load onto the rows
        # counts each term it adds to from them).
        gathered = BulkBatch()
        with self._writing() as conn:
            deferred = self._bulk_started(conn)
            gathered.df_from_postings = deferred and self._df_from_postings
            self._begin_bulk(conn)
            if self._bulk_numbers_rows:
                self._numbered = gathered
                self._pending_links = []
                self._number_rows(conn, gathered)
            self._mirror = SpeakerMirror.load(conn) if self._mirror_in_bulk else None
            self._bulk_utterances = {}
            self._evidence_ids = {}
            first = conn.execute("SELECT 1 FROM quotes LIMIT 1").fetchone()
            self._bulk_onto_rows = first is not None
            # The identities this load added, in memory; the table is asked only when it
            # held articles before the load (else its rows are all in this set).
            onto_articles = conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
            added_identities: set[str] = set()
            stream = prepared_items(
                items, derive_copies=self._derive_quote_copies, worker=self._bulk_prepare_worker
            )
            try:
                for article, quotes, prepared in stream:
                    keys = ArticleKeys.of(article)  # its text hashed once, not four times
                    if keys.identity in added_identities or (
                        onto_articles and self._versions(conn, keys.identity)
                    ):
                        continue
                    added_identities.add(keys.identity)
                    if gathered is self._numbered:
                        self._insert_bulk_article(conn, article, quotes, keys, prepared, gathered)
                    else:
                        values = [prepared_of(q) for q in prepared]
                        self._insert_article_with_quotes(
                            conn, article, quotes, keys.article_id, gathered, values, keys
                        )
                    added += 1
                    pending += 1
                    if pending >= batch:
                        self._write_gathered(conn, gathered, whole=deferred)
                        conn.execute("COMMIT")
                        self._bulk_committed(conn)
                        self._begin_bulk(conn)
                        if self._numbered is not None:  # another process may have written
                            self._number_rows(conn, gathered)
                        pending = 0
                self._write_gathered(conn, gathered, whole=deferred)
                if deferred:
                    self._insert_whole_load_df(conn, gathered)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                stream.close()  # the worker stops here, whatever stopped the load
                self._mirror = None
                self._bulk_utterances = None
                self._evidence_ids = None
                self._numbered = None
                self._pending_links = None
            self._apply_edits(conn)
            conn.execute("COMMIT")
            self._bulk_finished(conn, deferred)
        return added

    def _write_joined_postings(self, conn: Connection, postings: list[tuple[int, str]]) -> None:
        """Write postings whose terms are joined by spaces (the bulk path's own)."""
        self._terms.add_many(conn, [(quote, terms.split()) for quote, terms in postings])

    def _insert_whole_load_df(self, conn: Connection, gathered: BulkBatch) -> None:
        """term_df of a whole load into an empty index, written at its end."""
        insert_term_df(conn, gathered.df, above=self._term_df_floor)

    def _write_gathered(self, conn: Connection, gathered: BulkBatch, *, whole: bool) -> None:
        """Write a batch's rows and postings; and its document frequencies, unless they
        are counted over the ``whole`` load (into an empty index) and written at its end."""
        self._flush_pending(conn)
        # Postings first: a term term_df leaves out is counted from them (_add_term_df).
        self._terms.add_many(conn, gathered.postings)
        gathered.postings.clear()
        self._write_joined_postings(conn, gathered.joined_postings)
        gathered.joined_postings.clear()
        if not whole:
            self._add_term_df(conn, gathered.df)

    def _insert_article_with_quotes(
        self,
        conn: Connection,
        article: Article,
        quotes: ArticleQuotes,
        article_id: str,
        bulk: BulkBatch | None = None,
        prepared: Sequence[Prepared] | None = None,
        keys: ArticleKeys | None = None,
    ) -> None:
        """Insert one article and its quotations, each speech quotation in its utterance.

        With `bulk` (the bulk path), an utterance is only joined by an identical
        normalised text, and the postings and document frequencies of the terms are
        gathered in `bulk` (written later); else they go to the index at once and
        ``_cluster`` places each quotation. ``prepared``: the quotations' values worked
        out already (prepare.prepare_article), else worked out here."""
        article_rowid = self._insert_article(
            conn, article, article_id, quotes.processors, keys or ArticleKeys.of(article)
        )
        speakers = self._resolve_article_speakers(conn, quotes.quotes, article_id)
        per_speaker: Counter[int] = Counter()
        if prepared is None:
            prepared = prepare_article(article, quotes, self._derive_quote_copies)
        for seq, (quote, values) in enumerate(zip(quotes.quotes, prepared, strict=True)):
            row = self._prepare(quote, values, speakers)
            speech = quote.kind is not QuoteKind.TERM
            utterance = Utterance()
            if bulk is not None and speech:
                # The utterance is known before the row exists, so it is written with the
                # row rather than updated into it (two indexes hold it).
                utterance = self._identical_or_new_utterance(conn, row, bulk)
            quote_rowid = self._insert_quote(conn, article_rowid, seq, row, bulk, utterance)
            if row.speaker is not None:
                per_speaker[row.speaker] += 1
            if bulk is None and speech:
                self._cluster(conn, quote_rowid, row)
        # Counted once per article: nothing reads the counts while its quotations go in
        # (a bulk load that numbers its rows counts in memory until it writes them).
        if bulk is not None and bulk is self._numbered:
            bulk.counts.update(per_speaker)
        else:
            add_quote_counts(conn, per_speaker)
        view = self._view(conn)
        for speaker, n in per_speaker.items():
            view.quotes_added(speaker, n)

    def _insert_bulk_article(
        self,
        conn: Connection,
        article: Article,
        quotes: ArticleQuotes,
        keys: ArticleKeys,
        values: Sequence[BulkValues],
        bulk: BulkBatch,
    ) -> None:
        """``_insert_article_with_quotes`` of a bulk load that numbers its rows: the same
        rows, each quotation's gathered for the next commit from its values as the bulk
        path writes them (prepare.BulkQuote), with no row object in between."""
        article_rowid = self._insert_article(
            conn, article, keys.article_id, quotes.processors, keys
        )
        speakers = self._resolve_article_speakers(conn, quotes.quotes, keys.article_id)
        per_speaker: Counter[int] = Counter()
        rows = bulk.quotes
        for seq, (q, v) in enumerate(zip(quotes.quotes, values, strict=True)):
            # BulkQuote's fields, unpacked (the worker sends plain tuples).
            norm, text, stored_norm, hashed, _, lead, context, c_start, c_end, terms, plain = v
            speaker = None if q.speaker is None else speakers.get(q.speaker)
            # A speech quotation's utterance is known before its row exists (an identical
            # one's, else a new one), so it is written with the row.
            utterance = None if terms is None else self._bulk_utterance(conn, norm, bulk)
            rowid = bulk.next_quote
            bulk.next_quote += 1
            rows.append(
                (
                    rowid,
                    article_rowid,
                    seq,
                    text,
                    stored_norm,
                    hashed,
                    "",  # lemmas: derived from norm on read
                    lead,
                    q.start,
                    q.end,
                    q.kind.value,
                    speaker,
                    q.speaker,
                    q.speaker_mention,
                    q.cue,
                    q.sieve,
                    float(q.confidence),
                    context,
                    q.resolution,
                    utterance,
                    c_start,
                    c_end,
                )
            )
            if terms is not None:
                bulk.add_joined_postings(rowid, terms, plain)
            if speaker is not None:
                per_speaker[speaker] += 1
        bulk.counts.update(per_speaker)
        view = self._view(conn)
        for speaker, n in per_speaker.items():
            view.quotes_added(speaker, n)

    def _insert_article(
        self,
        conn: Connection,
        article: Article,
        article_id: str,
        processors: Sequence[str],
        keys: ArticleKeys,
    ) -> int:
        values = article_values(article, article_id, processors, keys)
        bulk = self._numbered
        if bulk is not None:  # numbered here, written with the batch's other rows
            rowid = bulk.next_article
            bulk.next_article += 1
            bulk.articles.append((rowid, *values))
            return rowid
        return conn.insert(f"INSERT INTO articles({ARTICLE_COLUMNS}) VALUES ({_13})", values)

    def _prepare(
        self, quote: AttributedQuote, prepared: Prepared, speakers: dict[str, int]
    ) -> QuoteRow:
        return QuoteRow(
            quote=quote,
            norm=prepared.norm,
            lemmas=prepared.lemmas,
            lead=prepared.lead,
            speaker=None if quote.speaker is None else speakers.get(quote.speaker),
            context=prepared.context,
            context_span=prepared.context_span,
            text_in_article=prepared.text_in_article,
            norm_in_article=prepared.norm_in_article,
            terms=prepared.terms,
        )

    def _insert_quote(
        self,
        conn: Connection,
        article_rowid: int,
        seq: int,
        row: QuoteRow,
        bulk: BulkBatch | None = None,
        utterance: Utterance | None = None,
    ) -> int:
        q = row.quote
        utterance = utterance or Utterance()
        values = self._quote_values(article_rowid, seq, row)
        if bulk is not None and bulk is self._numbered:
            quote_rowid = bulk.next_quote
            bulk.next_quote += 1
            bulk.quotes.append((quote_rowid, *values, *utterance.value_params, *values_tail(row)))
        else:
            quote_rowid = conn.insert(
                utterance.with_clause + f"INSERT INTO quotes({WRITTEN_QUOTE_COLUMNS})"
                f" VALUES ({', '.join(['?'] * 18)}, {utterance.value}, ?, ?)",
                (*utterance.with_params, *values, *utterance.value_params, *values_tail(row)),
            )
        if q.kind is not QuoteKind.TERM:
            terms = row.terms if row.terms is not None else query_terms(row.norm, row.lemmas)
            if bulk is None:
                self._terms.add(conn, quote_rowid, terms)
                self._add_term_df(conn, Counter(terms))
            else:
                bulk.postings.append((quote_rowid, terms))
                bulk.count_terms(terms)
        return quote_rowid

    def _quote_values(self, article_rowid: int, seq: int, row: QuoteRow) -> tuple[object, ...]:
        """A quotation row's values up to its utterance (WRITTEN_QUOTE_COLUMNS' first 18)."""
        q = row.quote
        return (
            article_rowid,
            seq,
            None if row.text_in_article else q.text,
            None if row.norm_in_article else row.norm,
            norm_hash(row.norm),
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
        )

    def _flush_pending(self, conn: Connection) -> None:
        """Write the rows a bulk load that numbers its rows has gathered: before each
        commit, and before a statement that reads or changes them (a speakers' merge)."""
        bulk = self._numbered
        if bulk is not None:
            self._write_numbered(conn, bulk)
            add_quote_counts(conn, bulk.counts)
            bulk.articles.clear()
            bulk.utterances.clear()
            bulk.quotes.clear()
            bulk.counts.clear()
        super()._flush_pending(conn)

    def _number_rows(self, conn: Connection, bulk: BulkBatch) -> None:
        """Where the next numbered rows start (at the load's start and after each commit)."""
        bulk.number_from(conn)

    def _write_numbered(self, conn: Connection, bulk: BulkBatch) -> None:
        """Write the utterance and quotation rows a bulk load numbered itself."""
        # Articles and utterances before the quotations that refer to them (foreign keys).
        conn.executemany(
            f"INSERT INTO articles(id, {ARTICLE_COLUMNS}) VALUES (?, {_13})", bulk.articles
        )
        conn.executemany("INSERT INTO utterances(id) VALUES (?)", bulk.utterances)
        conn.executemany(
            f"INSERT INTO quotes(id, {WRITTEN_QUOTE_COLUMNS}) VALUES ({', '.join(['?'] * 22)})",
            bulk.quotes,
        )

    def _add_term_df(self, conn: Connection, df: Counter[str]) -> None:
        """Add ``df`` (of postings already written) to term_df, and empty it. A term
        term_df leaves out (see _term_df_floor) may have postings: it is counted."""
        if not self._term_df_floor:
            add_term_df(conn, df)
            return
        terms = sorted(df)
        stored: set[str] = set()
        for start in range(0, len(terms), 200):  # under SQLite's bound-parameter limit
            batch = terms[start : start + 200]
            stored.update(
                str(r[0])
                for r in conn.execute(
                    f"SELECT term FROM term_df WHERE term IN ({','.join('?' * len(batch))})",
                    batch,
                )
            )
        conn.executemany(
            "UPDATE term_df SET df = df + ? WHERE term = ?",
            [(df[t], t) for t in terms if t in stored],
        )
        counted = self._terms.counts(conn, [t for t in terms if t not in stored])
        conn.executemany("INSERT INTO term_df(term, df) VALUES (?, ?)", sorted(counted.items()))
        df.clear()

    # Hooks of the bulk path, for what one engine does around a large load.

    def _bulk_started(self, conn: Connection) -> bool:
        """Prepare a bulk load; True when indexes were dropped, to build at the end."""
        return False

    def _bulk_utterance(self, conn: Connection, norm: str, bulk: BulkBatch) -> int:
        """The utterance of a speech quotation of a bulk load that numbers its rows: an
        identical one's (this load's, from memory; else the table's), else a new one."""
        known = self._bulk_utterances
        assert known is not None
        found = known.get(norm)
        if found is None:
            if self._bulk_onto_rows:
                found = self._identical_utterance(conn, norm)
            if found is None:
                found = bulk.next_utterance
                bulk.next_utterance += 1
                bulk.utterances.append((found,))
            known[norm] = found
        return found

    def _identical_or_new_utterance(
        self, conn: Connection, row: QuoteRow, bulk: BulkBatch | None = None
    ) -> Utterance:
        """The bulk path's utterance of a speech quotation: an identical one's, else a
        new one."""
        # From memory for what this load added, from the table for what was there.
        known = self._bulk_utterances
        found = None if known is None else known.get(row.norm)
        if found is None and (known is None or self._bulk_onto_rows):
            found = self._identical_utterance(conn, row.norm)
        if found is None and bulk is not None and bulk is self._numbered:
            found = bulk.next_utterance
            bulk.next_utterance += 1
            bulk.utterances.append((found,))
        elif found is None:
            found = conn.insert("INSERT INTO utterances DEFAULT VALUES")
        if known is not None:
            known.setdefault(row.norm, found)
        return Utterance(value_params=(found,))

    def _begin_bulk(self, conn: Connection) -> None:
        """Open one of a bulk load's transactions."""
        self._begin(conn)

    def _bulk_committed(self, conn: Connection) -> None:
        """After each commit of a bulk load but the last."""

    def _bulk_finished(self, conn: Connection, deferred: bool) -> None:
        """After a bulk load's last commit: compact, build what was deferred."""
        self._terms.optimize(conn)


@dataclass(frozen=True)
class ArticleKeys:
    """An article's text hash, identity and the id it gets when new, worked out once
    (each of Article's properties hashes the whole text again)."""

    text_hash: str
    identity: str
    article_id: str

    @classmethod
    def of(cls, article: Article) -> ArticleKeys:
        text_hash = article.text_hash
        identity = identity_for(article.meta.url, article.meta.source_path, text_hash)
        return cls(text_hash, identity, id_for_identity(identity))


@dataclass(frozen=True)
class Utterance:
    """How a quotation's row gets its utterance: ``value`` is its SQL in the row's
    VALUES, after ``with_clause`` (which a database server may use to find or make the
    utterance in the INSERT itself: one round trip)."""

    value: str = "?"
    value_params: tuple[object, ...] = (None,)
    with_clause: str = ""
    with_params: tuple[object, ...] = ()


# An article row's columns, in the order of article_values.
ARTICLE_COLUMNS = (
    "article_id, text, title, outlet, wire_credits, byline, date, url, source_name,"
    " processors, identity, text_hash, derived"
)


def article_values(
    article: Article, article_id: str, processors: Sequence[str], keys: ArticleKeys
) -> tuple[object, ...]:
    """An article row's values (ARTICLE_COLUMNS)."""
    meta = article.meta
    return (
        article_id,
        article.text,
        meta.title,
        meta.outlet,
        _json_list(meta.wire_credits),
        meta.byline,
        meta.date,
        meta.url,
        meta.source_name,
        _json_list(tuple(processors)),
        keys.identity,
        keys.text_hash,
        json.dumps([list(pair) for pair in meta.derived]) if meta.derived else "[]",
    )


_13 = ", ".join(["?"] * 13)


@lru_cache(maxsize=1024)  # a load's articles share a few: the same processors, credits
def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


# A quotation row's columns, in the order of Writer._quote_values, the utterance and
# values_tail.
WRITTEN_QUOTE_COLUMNS = (
    'article, seq, text, norm, norm_hash, lemmas, lead, start, "end", kind, speaker,'
    " article_speaker, speaker_mention, cue, sieve, confidence, context, resolution,"
    " utterance, context_start, context_end"
)


def values_tail(row: QuoteRow) -> tuple[object, ...]:
    """A quotation row's values after its utterance: where its context is in the text."""
    return row.context_span or (None, None)


@dataclass
class BulkBatch:
    """What the bulk path writes once per commit: postings, document frequencies, and
    where the engine lets the load number rows itself (Writer._bulk_numbers_rows), the
    quotation and utterance rows and the speakers' added quotation counts."""

    postings: list[tuple[int, list[str]]] = field(default_factory=list)
    joined_postings: list[tuple[int, str]] = field(default_factory=list)
    df: Counter[str] = field(default_factory=Counter)
    quotes: list[tuple[object, ...]] = field(default_factory=list)
    articles: list[tuple[object, ...]] = field(default_factory=list)
    utterances: list[tuple[int]] = field(default_factory=list)
    counts: Counter[int] = field(default_factory=Counter)
    next_quote: int = 0
    next_utterance: int = 0
    next_article: int = 0
    # Set when the postings count the load's terms at its end (Writer._df_from_postings):
    # ``df`` then counts only the quotations in ``folded`` (their terms joined), those
    # whose terms the engine's tokenizer may not read as written.
    df_from_postings: bool = False
    folded: list[str] = field(default_factory=list)

    def add_joined_postings(self, quote: int, terms: str, as_written: bool) -> None:
        """A speech quotation's postings, its terms joined by spaces, and their count
        for term_df (``as_written``: terms.tokenized_as_written(terms))."""
        self.joined_postings.append((quote, terms))
        if self.df_from_postings:
            if as_written:
                return  # the postings count these exactly
            self.folded.append(terms)
        self.df.update(terms.split())

    def count_terms(self, terms: Sequence[str]) -> None:
        """Count a speech quotation's terms for term_df (see ``df_from_postings``)."""
        if self.df_from_postings:
            joined = " ".join(terms)
            if tokenized_as_written(joined):
                return  # the postings count these exactly
            self.folded.append(joined)
        self.df.update(terms)

    def number_from(self, conn: Connection) -> None:
        """Number the next rows after the largest ids in the tables (the writer holds the
        write transaction: nothing else adds rows until it commits)."""
        self.next_quote = _largest_id(conn, "quotes") + 1
        self.next_utterance = _largest_id(conn, "utterances") + 1
        self.next_article = _largest_id(conn, "articles") + 1


def _largest_id(conn: Connection, table: str) -> int:
    row = conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


def add_quote_counts(conn: Connection, counts: Counter[int]) -> None:
    """Add each speaker's new quotations to its stored count."""
    conn.executemany(
        "UPDATE speakers SET quote_count = quote_count + ? WHERE id = ?",
        [(n, s) for s, n in sorted(counts.items())],
    )


def insert_term_df(conn: Connection, df: Counter[str], *, above: int) -> None:
    """Write the document frequencies of a whole load into an empty term_df, the terms
    held by more than ``above`` quotations, in key order; and empty ``df``."""
    conn.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, ?)",
        [(t, df[t]) for t in sorted(df) if df[t] > above],
    )
    df.clear()


def add_term_df(conn: Connection, df: Counter[str]) -> None:
    """Add `df` to the stored document frequencies, and empty it."""
    conn.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, ?)"
        " ON CONFLICT(term) DO UPDATE SET df = term_df.df + excluded.df",
        # In key order: each page of the table is visited once per batch, not at random.
        sorted(df.items()),
    )
    df.clear()
