"""The quote index on SQL, one store over two engines (SQLite, PostgreSQL).

Along the data's path:

- ``dialect``: what the engines spell differently (placeholders, upserts, new ids, case,
  index hints, how a writer starts); ``database`` / ``postgres_database``: connections.
- ``sqlite_schema`` / ``postgres_schema``: tables, and migrations of older indexes.
- ``terms``: postings of speech quotations (FTS5 on SQLite, a postings table on
  PostgreSQL), asked the same questions.
- ``writer`` (articles in and out, the bulk path) over ``utterances`` (clustering) over
  ``speakers`` (linking, operator corrections) over ``search`` (candidate search) over
  ``reads``; ``store.SqlStore`` is the whole, ``index.sqlite_store.SqliteStore`` and
  ``index.postgres_store.PostgresStore`` its two engines.
"""
