"""Convert a copy of an index file built before the compact layout into it, to measure the
compact layout's size on the same rows (issue 14's size bar), without a rebuild.

    python bench/convert_compact.py OLD.db COPY.db

COPY.db gets each quotation row as the compact writer stores it (text and normalised text
NULL where its article gives them back: records.QUOTE_TEXT, quote_norm), then the store's
own migration on open (link evidence, the candidate index), then a VACUUM at 8 KiB pages,
as a compact bulk load into an empty index ends. OLD.db is only read.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import time

from quotetrace_server.index.sql import sqlite_schema
from quotetrace_server.index.sql.database import PAGE_SIZE
from quotetrace_server.index.sql.records import norm_in_article
from quotetrace_server.index.sqlite_store import SqliteStore

# The writer's test (writer._prepare): an article without NUL, printing the text as is.
_IN_ARTICLE = (
    'instr(a.text, char(0)) = 0 AND substr(a.text, q.start + 1, q."end" - q.start) = q.text'
)


def _compact_quotes(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """Rewrite the quotes table in the compact layout: (rows, texts kept, norms kept)."""
    conn.create_function("norm_in_article", 2, norm_in_article, deterministic=True)
    columns_ddl = sqlite_schema.SCHEMA.split("CREATE TABLE IF NOT EXISTS quotes(")[1]
    columns_ddl = columns_ddl.split(");")[0]
    conn.execute("BEGIN")
    conn.execute(f"CREATE TABLE quotes_new({columns_ddl})")
    columns = [str(r[1]) for r in conn.execute("PRAGMA table_info(quotes)")]
    if columns != [str(r[1]) for r in conn.execute("PRAGMA table_info(quotes_new)")]:
        raise SystemExit(f"not the quotes columns of this schema: {columns}")
    values = {
        "text": f"CASE WHEN {_IN_ARTICLE} THEN NULL ELSE q.text END",
        "norm": f"CASE WHEN {_IN_ARTICLE} AND norm_in_article(q.text, q.norm)"
        " THEN NULL ELSE q.norm END",
    }
    selected = ", ".join(values.get(c, f'q."{c}"') for c in columns)
    conn.execute(
        f"INSERT INTO quotes_new SELECT {selected} FROM quotes q"
        " JOIN articles a ON a.id = q.article ORDER BY q.id"
    )
    counts = conn.execute("SELECT COUNT(*), COUNT(text), COUNT(norm) FROM quotes_new").fetchone()
    conn.execute("DROP TABLE quotes")
    conn.execute("ALTER TABLE quotes_new RENAME TO quotes")
    conn.execute("COMMIT")
    return int(counts[0]), int(counts[1]), int(counts[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="an index file built before the compact layout (read)")
    parser.add_argument("copy", help="where the converted copy goes")
    args = parser.parse_args()
    started = time.perf_counter()
    shutil.copyfile(args.old, args.copy)
    conn = sqlite3.connect(args.copy, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    rows, texts, norms = _compact_quotes(conn)
    conn.close()
    print(f"quotations {rows:,}: texts stored {texts:,}, normalised texts stored {norms:,}")
    SqliteStore(args.copy).close()  # the store's migration, and the quotes indexes
    conn = sqlite3.connect(args.copy, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
    conn.execute("VACUUM")
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.close()
    mib = pages * PAGE_SIZE / 2**20
    print(f"compact copy: {mib:.1f} MiB, {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
