"""The SQLite index's schema, and the migrations that bring an older file up to date."""

from __future__ import annotations

import re

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.ingest.model import identity_for

SCHEMA = """
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
-- The evidence is link_evidence's text: a few texts repeat over many links, each is
-- stored once (`evidence` holds it only in rows written before link_evidence existed).
CREATE TABLE IF NOT EXISTS speaker_links(
    speaker INTEGER NOT NULL,
    name TEXT NOT NULL,
    evidence TEXT,
    source TEXT NOT NULL,
    evidence_id INTEGER,
    PRIMARY KEY(speaker, name, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_evidence(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
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
    -- NULL: the article's text at [start, end), and its normalised form derived in SQL
    -- (records.QUOTE_TEXT, quote_norm), not a second and third copy of it. Files made
    -- before declare both NOT NULL and store them (quote_copies_required).
    text TEXT,
    norm TEXT,
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
"""
# Indexes of quotes that the bulk path never reads: a bulk load into an empty index
# drops them and builds each once at the end (sorted, pages packed full) instead of
# updating them row by row. Opening the store creates any that are missing.
DEFERRED_INDEXES = """
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article, seq);
CREATE INDEX IF NOT EXISTS quotes_utterance ON quotes(utterance);
-- A bulk load into an empty index finds identical texts in memory (writer.Writer).
CREATE INDEX IF NOT EXISTS quotes_norm_hash ON quotes(norm_hash);
"""
SCHEMA += (
    DEFERRED_INDEXES
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


# The bulk path's writer gets a larger page cache while it loads (KiB): at a million
# quotations the B-trees it writes at random (postings, term_df, speaker links) outgrow
# a smaller one, and the load rate falls by half.
BULK_CACHE_KIB = 1_048_576


def quote_copies_required(conn: Connection) -> bool:
    """Whether the quotes table is an older file's, whose every row stores its text and
    normalised text (declared NOT NULL): the writer then stores them, as before."""
    return any(
        str(r[1]) in ("text", "norm") and int(r[3])
        for r in conn.execute("PRAGMA table_info(quotes)")
    )


def deferred_index_names() -> list[str]:
    return re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", DEFERRED_INDEXES)


def create_schema(conn: Connection) -> None:
    """Create what is missing, then migrate an older file's tables."""
    conn.raw.executescript(SCHEMA)
    _add_speaker_quote_count(conn)
    _add_article_identity(conn)
    _add_context_span(conn)
    _share_link_evidence(conn)
    # The covering index of candidate reads (id, utterance, article, norm) of older files:
    # search reads the table now.
    conn.execute("DROP INDEX IF EXISTS quotes_candidate")


def _share_link_evidence(conn: Connection) -> None:
    """Bring an index made when each speaker link held its evidence text up to date: the
    texts move to link_evidence, each once, and the links hold their ids."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(speaker_links)")}
    if "evidence_id" in columns:
        return
    conn.execute("ALTER TABLE speaker_links ADD COLUMN evidence_id INTEGER")
    conn.execute(
        "INSERT OR IGNORE INTO link_evidence(text) SELECT DISTINCT evidence FROM speaker_links"
        " WHERE evidence IS NOT NULL ORDER BY evidence"
    )
    conn.execute(
        "UPDATE speaker_links SET evidence_id ="
        " (SELECT e.id FROM link_evidence e WHERE e.text = speaker_links.evidence),"
        " evidence = NULL WHERE evidence IS NOT NULL"
    )


def _add_context_span(conn: Connection) -> None:
    """Bring an index made when every context was stored as text up to date: its rows
    keep their text (no span); new rows store a span where they can."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(quotes)")}
    if "context_start" not in columns:
        conn.execute("ALTER TABLE quotes ADD COLUMN context_start INTEGER")
        conn.execute("ALTER TABLE quotes ADD COLUMN context_end INTEGER")


def _add_article_identity(conn: Connection) -> None:
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


def _add_speaker_quote_count(conn: Connection) -> None:
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
