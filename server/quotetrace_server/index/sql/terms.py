"""Postings: which speech quotations hold a term. The candidate search (search.py) asks
the same questions of either engine's text search; each engine answers from its own.

A quotation's terms are its surface words, their lemmas and adjacent-word pairs
("why_we"): a pair of common words is far more selective than either word, which keeps
retrieval bounded for quotations made of everyday words.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from quotetrace_server.entities.normalize import index_terms
from quotetrace_server.index.similarity import us_spelling
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.dialect import PostgresDialect
from quotetrace_server.index.sql.records import quote_norm


def query_terms(norm: str, lemmas: Sequence[str]) -> list[str]:
    """Postings terms of a normalised text: words, lemma words and adjacent word pairs."""
    surface = [t.replace("_", "") for t in index_terms(norm)]
    surface = [t for t in surface if t]
    terms = dict.fromkeys(surface)
    # One pass over the lemmas joined by spaces: the same runs as lemma by lemma. A UK
    # word's US spelling is left out: it is the same word again, and would take one of the
    # few places among the rarest terms a search reads.
    respelled = {us_spelling(t) for t in surface} - terms.keys()
    terms.update(
        dict.fromkeys(
            t.replace("_", "") for t in index_terms(" ".join(lemmas)) if t not in respelled
        )
    )
    terms.update(dict.fromkeys(f"{a}_{b}" for a, b in itertools.pairwise(surface)))
    terms.pop("", None)
    return list(terms)


# Terms the FTS5 tokenizer (unicode61, '_' a token character) reads exactly as written,
# one token each: lower-case ASCII letters, digits and '_' (it folds case and drops
# diacritics, and splits at what it does not count as a letter or number).
_AS_WRITTEN = re.compile(r"[a-z0-9_ ]*")


def tokenized_as_written(joined: str) -> bool:
    """Whether the postings hold each of these space-joined terms as itself."""
    return _AS_WRITTEN.fullmatch(joined) is not None


def insert_term_df_from_postings(
    conn: Connection, counted: Counter[str], folded: Sequence[str], *, above: int
) -> None:
    """term_df of a whole load into an empty index (SQLite), from the postings' own
    document counts, each term held by more than ``above`` quotations.

    fts5vocab counts the quotations holding each token: exactly each term's document
    frequency for the quotations whose terms are tokens as written (tokenized_as_written).
    The others (``folded``, their terms joined; accented or non-Latin words) were counted
    in memory (``counted``): their tokens are counted apart, through a scratch table with
    the same tokenizer, and taken off the postings' counts, and their terms' own counts
    added. So every count is the number of quotations whose terms hold the term, as
    counting every quotation in memory gives, without counting them all."""
    conn.execute("CREATE VIRTUAL TABLE temp.load_vocab USING fts5vocab(main, quote_terms, 'row')")
    delta: Counter[str] = Counter(counted)
    if folded:
        conn.execute(
            "CREATE VIRTUAL TABLE temp.load_folded USING fts5("
            " terms, content='', tokenize=\"unicode61 tokenchars '_'\")"
        )
        conn.executemany("INSERT INTO temp.load_folded(terms) VALUES (?)", [(t,) for t in folded])
        conn.execute(
            "CREATE VIRTUAL TABLE temp.load_folded_vocab USING fts5vocab(temp, load_folded, 'row')"
        )
        for token, docs in conn.execute("SELECT term, doc FROM temp.load_folded_vocab"):
            delta[str(token)] -= int(docs)
    if not delta:
        conn.execute(
            "INSERT INTO term_df(term, df) SELECT term, doc FROM temp.load_vocab WHERE doc > ?",
            (above,),
        )
    else:
        conn.execute("CREATE TEMP TABLE load_delta(term TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        conn.executemany("INSERT INTO temp.load_delta VALUES (?, ?)", sorted(delta.items()))
        conn.execute(
            "INSERT INTO term_df(term, df) SELECT term, df FROM ("
            " SELECT v.term AS term, v.doc + coalesce(d.n, 0) AS df FROM temp.load_vocab v"
            " LEFT JOIN temp.load_delta d ON d.term = v.term"
            " UNION ALL SELECT d.term, d.n FROM temp.load_delta d WHERE NOT EXISTS"
            " (SELECT 1 FROM temp.load_vocab v WHERE v.term = d.term))"
            " WHERE df > ? ORDER BY term",
            (above,),
        )
        conn.execute("DROP TABLE temp.load_delta")
    for table in ("load_vocab", "load_folded_vocab", "load_folded"):
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    counted.clear()


class TermIndex(Protocol):
    """An engine's postings of speech quotations (quote ids are the quotes table's)."""

    def add(self, conn: Connection, quote: int, terms: Sequence[str]) -> None: ...

    def add_many(self, conn: Connection, postings: Sequence[tuple[int, Sequence[str]]]) -> None:
        """``add`` for each (quote, terms): the bulk path's postings, written at once."""
        ...

    def remove(self, conn: Connection, quote: int, terms: Sequence[str]) -> None:
        """Forget a quotation's postings; ``terms`` are those it was added with."""
        ...

    def postings(self, conn: Connection, terms: Sequence[str]) -> dict[str, list[int]]:
        """Every quotation holding each term, in id order."""
        ...

    def counts(self, conn: Connection, terms: Sequence[str]) -> dict[str, int]:
        """How many quotations hold each term, for those some quotation holds (read from
        the postings: for terms that term_df leaves out, which are rare)."""
        ...

    def any_of_ranked(self, conn: Connection, terms: Sequence[str], limit: int) -> list[int]:
        """Quotations holding any of the terms, best bm25 first (short ones favoured)."""
        ...

    def rarest_first(
        self, conn: Connection, weighted: Sequence[tuple[str, float]], limit: int
    ) -> list[int]:
        """Quotations holding any of the (term, idf), by the summed idf of those they hold;
        ties in postings order (by the first term they hold, then by id)."""
        ...

    def all_of(
        self, conn: Connection, terms: Sequence[str], limit: int, *, ranked: bool
    ) -> list[int]:
        """Quotations holding every term: best bm25 first, or in id order. The terms come
        rarest first (an engine may walk the first one's postings and look up the rest)."""
        ...

    def rarest_first_rows(
        self, conn: Connection, terms: Sequence[str], choice: TermChoice, limit: int, first: int
    ) -> RankedRows | None:
        """The whole common case of a search in one statement, where the engine has one:
        the rarest of ``terms`` chosen as ``choice`` says (search._selective_terms), ranked
        as ``rarest_first`` ranks them, the best ``limit`` quotations: the (id, utterance,
        norm, article) rows of the speech quotations among the best ``first``, and the ids
        of the others, best first. None when the rarest term alone is over the postings
        budget, or the engine answers in steps (the caller takes them)."""
        ...

    def newest_all_of_ranked(
        self, conn: Connection, terms: Sequence[str], window: int, limit: int
    ) -> list[int]:
        """The best bm25 ranked of the newest ``window`` quotations holding every term."""
        ...

    def optimize(self, conn: Connection) -> None:
        """Compact the postings after a bulk load."""
        ...


@dataclass(frozen=True)
class RankedRows:
    """A search's best quotations: the (id, utterance, norm, article) rows of the speech
    quotations among the first few, best first, and the ids of the rest, best first (their
    rows read only when a caller goes past the first: most stop at a match printed word
    for word, and a row's normalised text is most of a row's cost)."""

    rows: list[tuple[Any, ...]]
    rest: list[int]


@dataclass(frozen=True)
class TermChoice:
    """How a search picks its terms: the rarest first, up to ``max_terms`` of them and up
    to ``budget`` postings in all, the rarest one always."""

    budget: int
    max_terms: int


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class Fts5Terms:
    """SQLite: a contentless FTS5 table, quote_terms, whose rowid is the quote's id."""

    def add(self, conn: Connection, quote: int, terms: Sequence[str]) -> None:
        conn.execute(
            "INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)", (quote, " ".join(terms))
        )

    def add_many(self, conn: Connection, postings: Sequence[tuple[int, Sequence[str]]]) -> None:
        conn.executemany(
            "INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)",
            [(quote, " ".join(terms)) for quote, terms in postings],
        )

    @staticmethod
    def add_joined(conn: Connection, postings: Sequence[tuple[int, str]]) -> None:
        """``add_many`` of (quote, its terms joined by spaces)."""
        conn.executemany("INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)", postings)

    def remove(self, conn: Connection, quote: int, terms: Sequence[str]) -> None:
        # Contentless FTS5 forgets a row only when told the values it indexed.
        conn.execute(
            "INSERT INTO quote_terms(quote_terms, rowid, terms) VALUES('delete', ?, ?)",
            (quote, " ".join(terms)),
        )

    def postings(self, conn: Connection, terms: Sequence[str]) -> dict[str, list[int]]:
        return {
            term: [
                int(r[0])
                for r in conn.execute(
                    "SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?", (_phrase(term),)
                )
            ]
            for term in terms
        }

    def counts(self, conn: Connection, terms: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for term in terms:
            (count,) = conn.execute(
                "SELECT count(*) FROM quote_terms WHERE quote_terms MATCH ?", (_phrase(term),)
            ).fetchone()
            if count:
                found[term] = int(count)
        return found

    def any_of_ranked(self, conn: Connection, terms: Sequence[str], limit: int) -> list[int]:
        return self._matching(conn, " OR ".join(map(_phrase, terms)), limit, ranked=True)

    def rarest_first(
        self, conn: Connection, weighted: Sequence[tuple[str, float]], limit: int
    ) -> list[int]:
        postings = self.postings(conn, [term for term, _ in weighted])
        scores: dict[int, float] = {}
        for term, idf in weighted:
            for rowid in postings[term]:
                scores[rowid] = scores.get(rowid, 0.0) + idf
        return heapq.nlargest(limit, scores, key=scores.__getitem__)

    def rarest_first_rows(
        self, conn: Connection, terms: Sequence[str], choice: TermChoice, limit: int, first: int
    ) -> RankedRows | None:
        return None  # in-process: the steps cost no round trips

    def all_of(
        self, conn: Connection, terms: Sequence[str], limit: int, *, ranked: bool
    ) -> list[int]:
        return self._matching(conn, " AND ".join(map(_phrase, terms)), limit, ranked=ranked)

    def newest_all_of_ranked(
        self, conn: Connection, terms: Sequence[str], window: int, limit: int
    ) -> list[int]:
        rows = conn.execute(
            "SELECT rowid, rank FROM quote_terms WHERE quote_terms MATCH ?"
            " ORDER BY rowid DESC LIMIT ?",
            (" AND ".join(map(_phrase, terms)), window),
        ).fetchall()
        return [int(r[0]) for r in heapq.nsmallest(limit, rows, key=lambda r: (r[1], r[0]))]

    def optimize(self, conn: Connection) -> None:
        conn.execute("INSERT INTO quote_terms(quote_terms) VALUES('optimize')")

    @staticmethod
    def merge_for_bulk(conn: Connection, *, bulk: bool) -> None:
        """FTS5's segment merging for a bulk load into an empty index (``bulk``), or as
        it was before (FTS5's defaults). Each commit writes a new segment, and by default
        FTS5 merges segments as they come (automerge 4) and at 16 of a level at the
        latest: during a load that nothing reads and that ends with an 'optimize' (one
        segment), merges are left until 64 segments of a level are there, so each
        posting is rewritten fewer times (100,000 synthetic quotations' postings, a
        commit per 20,000: 5.4 -> 3.8 CPU s, optimize included). Stored in the table's
        config: a load killed midway leaves them set (and the index without its
        deferred indexes: it is loaded again)."""
        automerge, crisismerge = (0, 64) if bulk else (4, 16)
        for name, value in (("automerge", automerge), ("crisismerge", crisismerge)):
            conn.execute("INSERT INTO quote_terms(quote_terms, rank) VALUES(?, ?)", (name, value))

    @staticmethod
    def _matching(conn: Connection, match: str, limit: int, *, ranked: bool) -> list[int]:
        order = " ORDER BY rank" if ranked else ""
        return [
            int(r[0])
            for r in conn.execute(
                f"SELECT rowid FROM quote_terms WHERE quote_terms MATCH ?{order} LIMIT ?",
                (match, limit),
            )
        ]


# bm25's parameters, FTS5's defaults.
_K1 = 1.2
_B = 0.75


class PostgresPostings:
    """PostgreSQL: quote_postings(term, quote, terms), a btree on (term, quote) holding
    each posting list in quote order, and postings_totals for bm25's average length.

    bm25 is FTS5's: every term occurs once in a quotation's terms, so a quotation's score
    is the sum, over the query terms it holds, of idf(term) · (k1 + 1) / (1 + k1 · (1 − b
    + b · length / average length)); the quotations are ranked in this process."""

    def add(self, conn: Connection, quote: int, terms: Sequence[str]) -> None:
        conn.executemany(
            "INSERT INTO quote_postings(term, quote, terms) VALUES (?, ?, ?)",
            [(term, quote, len(terms)) for term in terms],
        )
        conn.execute("UPDATE postings_totals SET docs = docs + 1, terms = terms + ?", (len(terms),))

    def add_many(self, conn: Connection, postings: Sequence[tuple[int, Sequence[str]]]) -> None:
        # One COPY and one update of the totals, not a row statement per posting: the
        # totals row updated once per quotation would leave a version of it per quotation
        # in the transaction, each read by the next update.
        if not postings:
            return
        with (
            conn.raw.cursor() as cursor,
            cursor.copy("COPY quote_postings(term, quote, terms) FROM STDIN") as copy,
        ):
            for quote, terms in postings:
                for term in terms:
                    copy.write_row((term, quote, len(terms)))
        conn.execute(
            "UPDATE postings_totals SET docs = docs + ?, terms = terms + ?",
            (len(postings), sum(len(terms) for _, terms in postings)),
        )

    def remove(self, conn: Connection, quote: int, terms: Sequence[str]) -> None:
        conn.execute(
            "DELETE FROM quote_postings WHERE term = ANY(?) AND quote = ?", (list(terms), quote)
        )
        conn.execute("UPDATE postings_totals SET docs = docs - 1, terms = terms - ?", (len(terms),))

    def postings(self, conn: Connection, terms: Sequence[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {term: [] for term in terms}
        for term, quote in conn.execute(
            "SELECT term, quote FROM quote_postings WHERE term = ANY(?) ORDER BY term, quote",
            (list(terms),),
        ):
            found[str(term)].append(int(quote))
        return found

    def counts(self, conn: Connection, terms: Sequence[str]) -> dict[str, int]:
        return {
            str(term): int(count)
            for term, count in conn.execute(
                "SELECT term, count(*) FROM quote_postings WHERE term = ANY(?) GROUP BY term",
                (list(terms),),
            )
        }

    def any_of_ranked(self, conn: Connection, terms: Sequence[str], limit: int) -> list[int]:
        rows = conn.execute(
            "SELECT term, quote, terms FROM quote_postings WHERE term = ANY(?)", (list(terms),)
        ).fetchall()
        docs, average = self._totals(conn)
        df = Counter(str(r[0]) for r in rows)
        scores: dict[int, float] = {}
        for term, quote, length in rows:
            weight = _bm25(_idf(docs, df[str(term)]), int(length), average)
            scores[int(quote)] = scores.get(int(quote), 0.0) + weight
        return heapq.nsmallest(limit, scores, key=lambda q: (-scores[q], q))

    def rarest_first(
        self, conn: Connection, weighted: Sequence[tuple[str, float]], limit: int
    ) -> list[int]:
        # Scored on the server: only the best ``limit`` ids come back, not every posting.
        # The sums are rounded so that the order of their terms cannot break a tie that
        # the same terms make (ties go to the first term held, then to the lower id).
        return [
            int(r[0])
            for r in conn.execute(
                "SELECT p.quote FROM unnest(?::text[], ?::float8[]) WITH ORDINALITY"
                " AS c(term, idf, pos) JOIN quote_postings p ON p.term = c.term"
                " GROUP BY p.quote ORDER BY round(sum(c.idf) * 1e9::float8) DESC, min(c.pos),"
                " p.quote LIMIT ?",
                ([t for t, _ in weighted], [idf for _, idf in weighted], limit),
            )
        ]

    def rarest_first_rows(
        self, conn: Connection, terms: Sequence[str], choice: TermChoice, limit: int, first: int
    ) -> RankedRows | None:
        unique = list(dict.fromkeys(terms))
        rows = conn.execute(
            _RAREST_FIRST_ROWS,
            (unique, choice.budget, choice.max_terms, choice.budget, limit, first, first),
        ).fetchall()
        within = rows[0][4]  # the status row comes first
        if within is None:
            return RankedRows([], [])  # no term of the query is indexed
        if not within:
            return None
        return RankedRows(
            [tuple(r[:4]) for r in rows[1:] if r[5] <= first],
            [int(r[0]) for r in rows[1:] if r[5] > first],
        )

    def all_of(
        self, conn: Connection, terms: Sequence[str], limit: int, *, ranked: bool
    ) -> list[int]:
        unique = list(dict.fromkeys(terms))
        order = _BM25_OF_ALL if ranked else "p0.quote"
        sql = _holding_all(len(unique), order) + " LIMIT ?"
        return [int(r[0]) for r in _planned_each_time(conn, sql, (*unique, limit))]

    def newest_all_of_ranked(
        self, conn: Connection, terms: Sequence[str], window: int, limit: int
    ) -> list[int]:
        unique = list(dict.fromkeys(terms))
        newest = _holding_all(len(unique), "p0.quote DESC") + " LIMIT ?"
        sql = f"SELECT h.quote FROM ({newest}) h ORDER BY {_BM25_OF_ALL} LIMIT ?"
        return [int(r[0]) for r in _planned_each_time(conn, sql, (*unique, window, limit))]

    def optimize(self, conn: Connection) -> None:
        # VACUUM marks the loaded pages all-visible, so that postings are read from the
        # index alone (an index-only scan), not from the table too.
        conn.execute("VACUUM (ANALYZE) quote_postings, term_df, quotes")

    @staticmethod
    def _totals(conn: Connection) -> tuple[int, float]:
        docs, terms = conn.execute("SELECT docs, terms FROM postings_totals").fetchone()
        return max(int(docs), 1), max(float(terms) / max(int(docs), 1), 1.0)


# search._selective_terms, _weighted and rarest_first in one statement: the indexed
# terms by (document frequency, term by code point), the rarest within the budget
# (running sums: all frequencies are positive, so the first over budget ends the run),
# their postings scored by summed idf (computed as search._weighted does, rounded as
# rarest_first rounds: to 1e-9), and the best quotations by rank: the rows of the speech
# quotations among the first few (their normalised text read from the article), the ids
# of the rest. A status row comes first (rank 0): whether the chosen terms are within
# budget (NULL: no term indexed).
_RAREST_FIRST_ROWS = """
WITH counted AS (
    SELECT d.term, d.df, row_number() OVER w AS pos, sum(d.df) OVER w AS running
    FROM term_df d WHERE d.term = ANY(?) AND d.df > 0
    WINDOW w AS (ORDER BY d.df, d.term COLLATE "C")
), chosen AS (
    SELECT term, df, pos FROM counted
    WHERE pos = 1 OR (running <= ? AND pos <= ?)
), status AS (
    SELECT sum(df) <= (SELECT ?::bigint) AS within FROM chosen
), weighted AS (
    SELECT c.term, c.pos, ln(1.0::float8 + (corpus.n - c.df::float8 + 0.5::float8)
        / (c.df::float8 + 0.5::float8)) AS idf
    FROM chosen c, (SELECT greatest(COALESCE(max(id), 0), 1)::float8 AS n FROM quotes) corpus
), scored AS (
    SELECT p.quote, min(w.pos) AS first, round(sum(w.idf) * 1e9::float8) AS score
    FROM weighted w JOIN quote_postings p ON p.term = w.term
    WHERE (SELECT within FROM status)
    GROUP BY p.quote ORDER BY score DESC, first, p.quote LIMIT ?
), ranked AS MATERIALIZED (
    SELECT quote, row_number() OVER (ORDER BY score DESC, first, quote) AS rank FROM scored
)
SELECT NULL::bigint, NULL::bigint, NULL::text, NULL::bigint, (SELECT within FROM status),
    0::bigint
UNION ALL
SELECT q.id, q.utterance, {norm}, q.article, NULL, r.rank
FROM ranked r JOIN quotes q ON q.id = r.quote JOIN articles a ON a.id = q.article
WHERE r.rank <= ? AND q.utterance IS NOT NULL
UNION ALL
SELECT r.quote, NULL, NULL, NULL, NULL, r.rank FROM ranked r WHERE r.rank > ?
ORDER BY 6
""".replace("{norm}", quote_norm(PostgresDialect()))


# bm25's order of quotations that each hold every one of the same terms: their scores
# are the same idf sum (positive: _idf's floor) times (k1 + 1) / (1 + k1 · (1 − b + b ·
# length / average)), which falls as the length grows, so the shortest come first, ties
# by id. Ranked on the server: only the best ids come back, not every quotation holding
# the terms with its length (2,074 rows for two terms of 37,000 postings at a million),
# nor two more statements for the idf and the average length.
_BM25_OF_ALL = "terms, quote"  # both columns named alike in _holding_all's rows


def _holding_all(count: int, order: str) -> str:
    """(quote, terms: its length) of the quotations holding each of ``count`` terms (the
    parameters, the rarest first), in ``order``: the first term's postings walked in the
    index's order, each looked up in the others' (a semi-join the planner runs as a merge
    or as index probes). Not a GROUP BY over every posting of every term with a count of
    the terms each quotation holds: with the common terms this path is for (tens of
    thousands of postings each) that read and hashed every posting, 30-90 ms at a
    million quotations, against 0.3-20 ms this way."""
    probes = "".join(
        f" AND EXISTS (SELECT 1 FROM quote_postings p{i}"
        f" WHERE p{i}.term = ? AND p{i}.quote = p0.quote)"
        for i in range(1, count)
    )
    return (
        f"SELECT p0.quote, p0.terms FROM quote_postings p0 WHERE p0.term = ?{probes}"
        f" ORDER BY {order}"
    )


def _planned_each_time(conn: Connection, sql: str, params: Sequence[object]) -> list[Any]:
    """The rows of a statement planned for its own parameters each time, not prepared:
    whether walking the rarest term's postings and looking each quotation up in the
    others' beats a merge of the lists depends on their lengths (the planner reads them
    from the column's statistics, postgres_schema); a prepared statement's generic plan
    after five uses would fix one for every call. Planning costs about 0.3 ms."""
    return list(conn.raw.execute(conn.dialect.sql(sql), tuple(params), prepare=False).fetchall())


def _idf(docs: int, holding: int) -> float:
    idf = math.log((docs - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else 1e-6  # FTS5's floor: a very common term still counts a little


def _bm25(idf: float, length: int, average: float) -> float:
    return idf * (_K1 + 1) / (1 + _K1 * (1 - _B + _B * length / average))
