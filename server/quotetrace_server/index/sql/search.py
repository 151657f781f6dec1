"""Candidate search: the speech quotations sharing a query's most selective terms, best
first, read through the engine's postings (terms.TermIndex), whichever the engine.

Retrieval reads the postings of the query's rarest terms only, up to a budget of postings
in all: bounded work at any corpus size. Document frequencies come from term_df, kept
beside the postings: counting a common word's postings at query time is far too slow.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from quotetrace_server.entities.normalize import words
from quotetrace_server.index.model import PrintingFilter, SearchHit
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.reads import Reads
from quotetrace_server.index.sql.records import QUOTE_TEXT, quote_norm, utterance_id_for
from quotetrace_server.index.sql.terms import TermChoice, query_terms

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
# A query fewer than this share of whose adjacent-word pairs any quotation holds is not
# printed anywhere nearly as worded (a printing that a query scores 80 against holds most
# of its pairs: a typo breaks two, a changed word two): the caller may get its look-up by
# meaning ready while the candidates are still read and scored.
PAIRS_HELD_MIN = 0.5


def pairs_mostly_unheld(terms: Sequence[str], counted: Sequence[tuple[int, str]]) -> bool:
    """Fewer than PAIRS_HELD_MIN of the query's adjacent-word pairs ("why_we") are held by
    any quotation (``counted``: the (document frequency, term) of the indexed ones)."""
    pairs = [t for t in terms if "_" in t]
    if not pairs:
        return False
    held = {term for _, term in counted}
    return sum(p in held for p in pairs) < PAIRS_HELD_MIN * len(pairs)


class CandidateSearch(Reads):
    def _term_counts(
        self, conn: Connection, terms: Sequence[str]
    ) -> tuple[list[tuple[int, str]], int]:
        """(document frequency, term) of the indexed terms among ``terms``, rarest first,
        and the corpus size for idf (the largest quotation id), in one statement per 200
        terms: on a database server each statement is a round trip.

        term_df may leave out the terms held by one quotation at most (a bulk load into
        an empty SQLite index drops them: most word pairs are unique, and they were a
        sixth of the file); those are counted from their postings, a row or none each."""
        unique = list(dict.fromkeys(terms))
        counted: list[tuple[int, str]] = []
        corpus = 0
        for start in range(0, max(len(unique), 1), 200):  # under SQLite's parameter limit
            among, params = self._dialect.in_list("term", unique[start : start + 200])
            for term, df in conn.execute(
                f"SELECT term, df FROM term_df WHERE {among} AND df > 0"
                " UNION ALL SELECT NULL, COALESCE(MAX(id), 0) FROM quotes",
                params,
            ):
                if term is None:
                    corpus = int(df)
                else:
                    counted.append((int(df), str(term)))
        stored = {term for _, term in counted}
        missing = [term for term in unique if term not in stored]
        if missing:
            counted.extend((n, t) for t, n in self._terms.counts(conn, missing).items())
        counted.sort()
        return counted, corpus

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
        conn: Connection,
        terms: Sequence[str],
        limit: int,
        max_terms: int = _MAX_QUERY_TERMS,
        *,
        favour_short: bool = False,
        words_missing: Callable[[], None] | None = None,
    ) -> list[int]:
        """Quotations sharing the query's most selective terms, best first.

        ``favour_short`` ranks by bm25, whose length normalisation puts short quotations
        first (clustering looks for fragments of a long quotation); otherwise by the
        summed rarity of the shared terms alone, which is cheaper (bm25 reads every
        candidate's length) and does not push back the long printing a truncated query
        was cut from. ``words_missing`` is called, before any postings are read, when
        the counts show that no quotation is worded nearly like the query
        (``pairs_mostly_unheld``).
        """
        # Unknown terms are skipped: a term no quotation has is most often a typo.
        counted, corpus = self._term_counts(conn, terms)
        if words_missing is not None and pairs_mostly_unheld(terms, counted):
            words_missing()
        chosen, total = self._selective_terms(counted, max_terms)
        if not chosen:
            return []
        if total <= _POSTINGS_BUDGET:
            if favour_short:
                return self._terms.any_of_ranked(conn, [term for _, term in chosen], limit)
            return self._terms.rarest_first(conn, _weighted(chosen, corpus), limit)
        # Even the rarest term is common: take the quotations holding all of the rarest
        # few terms (an intersection) instead of scoring a huge posting list. Terms in a
        # large share of all quotations are left out of it (walking them is the cost); a
        # single remaining term is read unranked, first postings first.
        common = [term for df, term in counted if df <= _INTERSECT_MAX_DF]
        common = common[:_ALL_OF_TERMS]
        if not common:
            return []
        if favour_short and len(common) > 1:
            # A bounded rank: ranking the whole match reads every posting of it, once per
            # quotation clustered, so an article reprinting one saying with a changing
            # word (thousands of near-copies) would cost the square of its length.
            return self._terms.newest_all_of_ranked(conn, common, _POSTINGS_BUDGET, limit)
        return self._terms.all_of(conn, common, limit, ranked=len(common) > 1)

    def search(
        self,
        normalized_query: str,
        limit: int,
        printed: PrintingFilter | None = None,
        words_missing: Callable[[], None] | None = None,
    ) -> Iterator[SearchHit]:
        terms = query_terms(normalized_query, lemma_key(words(normalized_query)))
        first: list[tuple[Any, ...]] = []
        with self._reading() as conn:
            # One statement where the engine has it (a database server: each statement is
            # a round trip); else, or when its rarest terms are too common, the steps.
            # The rows of the best _HIT_BATCH come with it, the rest as ids.
            found = self._terms.rarest_first_rows(
                conn, terms, TermChoice(_POSTINGS_BUDGET, _MAX_QUERY_TERMS), limit, _HIT_BATCH
            )
            if found is not None:
                first = self._admitted_rows(conn, found.rows, printed)
                rowids = found.rest
            else:
                rowids = self._search_rowids(conn, terms, limit, words_missing=words_missing)
        yield from self._hits(first)
        # Rows are read a batch at a time, best first: a caller that has found a perfect
        # match stops early and reads no more. No lock is held between batches.
        batch = self._dialect.hit_batch or _HIT_BATCH
        for start in range(0, len(rowids), batch):
            with self._reading() as conn:
                rows = self._candidate_rows(conn, rowids[start : start + batch], printed)
            yield from self._hits(rows)

    @staticmethod
    def _hits(rows: Sequence[tuple[Any, ...]]) -> Iterator[SearchHit]:
        return (SearchHit(utterance_id_for(int(r[1])), r[2]) for r in rows)

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
                f"SELECT q.id, q.utterance, {quote_norm(self._dialect)}, q.article, q.norm_hash"
                " FROM quotes q"
                + self._dialect.indexed_by("quotes_norm_hash")
                + " JOIN articles a ON a.id = q.article"
                f" WHERE q.norm_hash IN ({marks}) AND q.utterance IS NOT NULL",
                list(wording_hashes),
            ).fetchall()
            if printed is not None and not printed.admits_all:
                admitted = self._articles_admitted(conn, {int(r[3]) for r in rows}, printed)
                rows = [r for r in rows if int(r[3]) in admitted]
        order = {h: i for i, h in enumerate(wording_hashes)}
        rows.sort(key=lambda r: (order[int(r[4])], int(r[0])))
        return [(int(r[4]), SearchHit(utterance_id_for(int(r[1])), r[2])) for r in rows]

    def speech_wordings(self, article_id: str | None = None) -> list[tuple[int, str]]:
        """(wording hash, printed text) of each distinct wording of speech quotations, of
        one article or of the whole index: what semantic search embeds."""
        with self._reading() as conn:
            if article_id is None:
                rows = conn.execute(
                    f"SELECT q.norm_hash, min({QUOTE_TEXT}) FROM quotes q JOIN articles a"
                    " ON a.id = q.article WHERE q.utterance IS NOT NULL GROUP BY q.norm_hash"
                ).fetchall()
            else:
                rows = conn.execute(
                    f"SELECT q.norm_hash, min({QUOTE_TEXT}) FROM quotes q JOIN articles a"
                    " ON a.id = q.article WHERE a.article_id = ? AND q.utterance IS NOT NULL"
                    " GROUP BY q.norm_hash",
                    (article_id,),
                ).fetchall()
        return [(int(h), str(t)) for h, t in rows]

    def _candidate_rows(
        self, conn: Connection, rowids: Sequence[int], printed: PrintingFilter | None
    ) -> list[tuple[Any, ...]]:
        """(id, utterance, norm, article) of the quotations with utterances, in rowids order."""
        # Read from the table by id, the normalised text derived from the article's where
        # the row does not store it: a covering index of (id, utterance, article, norm)
        # was a tenth of the file, for reads the tables answer in a look-up each.
        among, params = self._dialect.in_list("q.id", rowids)
        rows: list[tuple[Any, ...]] = conn.execute(
            f"SELECT q.id, q.utterance, {quote_norm(self._dialect)}, q.article FROM quotes q"
            f" JOIN articles a ON a.id = q.article WHERE {among} AND q.utterance IS NOT NULL",
            params,
        ).fetchall()
        rows = self._admitted_rows(conn, rows, printed)
        order = {rowid: i for i, rowid in enumerate(rowids)}
        rows.sort(key=lambda r: order[int(r[0])])
        return rows

    def _admitted_rows(
        self, conn: Connection, rows: list[tuple[Any, ...]], printed: PrintingFilter | None
    ) -> list[tuple[Any, ...]]:
        """The (id, utterance, norm, article) rows of articles ``printed`` admits."""
        if printed is None or printed.admits_all:
            return rows
        admitted = self._articles_admitted(conn, {int(r[3]) for r in rows}, printed)
        return [r for r in rows if int(r[3]) in admitted]

    def _articles_admitted(
        self, conn: Connection, articles: set[int], printed: PrintingFilter
    ) -> set[int]:
        if not articles:
            return set()
        among, params = self._dialect.in_list("id", sorted(articles))
        return {
            int(r[0])
            for r in conn.execute(
                f"SELECT id, outlet, wire_credits, date FROM articles WHERE {among}", params
            )
            if printed.admits(r[1], json.loads(r[2]), r[3])
        }


def _weighted(chosen: Sequence[tuple[int, str]], corpus: int) -> list[tuple[str, float]]:
    """(term, idf) of the chosen (document frequency, term), in their order."""
    corpus = max(corpus, 1)
    return [
        (term, math.log(1.0 + (corpus - doc_count + 0.5) / (doc_count + 0.5)))
        for doc_count, term in chosen
    ]
