"""Reads: articles, quotations, utterances and speakers as the API and the verifier see
them. Nothing here writes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.model import (
    ArticleRecord,
    CorpusStats,
    QuoteDetail,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.index.names import name_key
from quotetrace_server.index.sql.base import StoreBase
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.dialect import Dialect
from quotetrace_server.index.sql.records import (
    CONTEXT_COLUMN,
    QUOTE_TEXT,
    article_record_of,
    quote_norm,
    speaker_id_for,
    speaker_rowid_of,
    stored_quote_of,
    utterance_rowid_of,
)
from quotetrace_server.ingest.model import Article, ArticleMeta, Origin

QUOTE_COLUMNS = (
    f"a.article_id, q.seq, {QUOTE_TEXT},"
    ' q.start, q."end", q.kind, s.name, q.speaker,'
    " q.speaker_mention, q.cue, q.sieve, q.confidence, q.utterance, a.outlet, q.resolution"
)


class Reads(StoreBase):
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
        return None if row is None else article_record_of(row)

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
        return [article_record_of(r) for r in rows], total

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
            resolved = self._resolvespeaker_id_for(speaker_id)
            params.append(-1 if resolved is None else resolved)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        base = (
            " FROM quotes q JOIN articles a ON a.id = q.article"
            " LEFT JOIN speakers s ON s.id = q.speaker"
        )
        columns, column_params = QUOTE_COLUMNS, list[object]()
        if text_chars is not None:
            columns, column_params = _cut_text_columns(text_chars, self._dialect)
        with self._reading() as conn:
            total = int(conn.execute("SELECT COUNT(*)" + base + where, params).fetchone()[0])
            rows = conn.execute(
                f"SELECT {columns}" + base + where + " ORDER BY q.article, q.seq LIMIT ? OFFSET ?",
                [*column_params, *params, max(0, limit), max(0, offset)],
            ).fetchall()
        if text_chars is None:
            return [stored_quote_of(r) for r in rows], total
        return [replace(stored_quote_of(r), text_truncated=bool(r[15])) for r in rows], total

    def utterance_details(self, utterance_id: str) -> list[QuoteDetail]:
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {QUOTE_COLUMNS}, {quote_norm(self._dialect)}, {CONTEXT_COLUMN},"
                " a.title, a.wire_credits,"
                " a.date, a.url, a.source_name, a.processors FROM quotes q"
                " JOIN articles a ON a.id = q.article"
                " LEFT JOIN speakers s ON s.id = q.speaker WHERE q.utterance = ?"
                " ORDER BY q.article, q.seq",
                (utterance_rowid_of(utterance_id),),
            ).fetchall()
        return [
            QuoteDetail(
                quote=stored_quote_of(r[:15]),
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
        return frozenset(speaker_id_for(s) for s in self._speakers_named(name))

    def _speakers_named(self, name: str) -> list[int]:
        name = name.strip()
        if not name:
            return []
        with self._reading() as conn:
            candidates = {
                int(r[0])
                for r in conn.execute(
                    "SELECT speaker FROM speaker_aliases WHERE " + self._dialect.ci_equals("alias"),
                    (name,),
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
            resolved = self._resolvespeaker_id_for(name.strip())
            return None if resolved is None else self.get_speaker(name.strip())
        return self.get_speaker(speaker_id_for(found[0]))

    def lookup_speakers(self, name: str) -> list[SpeakerRecord]:
        """Every speaker the name may denote, best supported first: several means the
        name is ambiguous. A speaker id (also a merged one) finds its speaker."""
        found = self._speakers_named(name)
        if not found and self._resolvespeaker_id_for(name.strip()) is not None:
            record = self.get_speaker(name.strip())
            return [] if record is None else [record]
        records = [self.get_speaker(speaker_id_for(s)) for s in found]
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
        rowid = self._resolvespeaker_id_for(speaker_id)
        if rowid is None:
            return []
        with self._reading() as conn:
            merges = [
                (f"merged {speaker_id_for(int(r[0]))}", str(r[1]), str(r[2]))
                for r in conn.execute(
                    "SELECT gone, evidence, source FROM speaker_merges WHERE into_speaker = ?"
                    " ORDER BY gone",
                    (rowid,),
                )
            ]
            links = [
                (f"linked {r[0]!r}", str(r[1]), str(r[2]))
                for r in conn.execute(
                    "SELECT l.name, COALESCE(l.evidence, e.text), l.source FROM speaker_links l"
                    " LEFT JOIN link_evidence e ON e.id = l.evidence_id WHERE l.speaker = ?"
                    " ORDER BY l.source, l.name",
                    (rowid,),
                )
            ]
        return merges + links

    def alias_counts(self, speaker_id: str) -> list[tuple[str, int]]:
        """Each written form of the speaker with how many of its quotations name it so
        (the mention; 0 for a form seen only as an alias)."""
        rowid = self._resolvespeaker_id_for(speaker_id)
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

    def _resolvespeaker_id_for(self, speaker_id: str) -> int | None:
        """The rowid a speaker id denotes now: merged speakers resolve to their merger."""
        rowid = speaker_rowid_of(speaker_id)
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
        rowid = speaker_rowid_of(speaker_id)
        if rowid < 0:
            return None
        with self._reading() as conn:
            # The speaker (resolved through a merge), then its aliases: one statement, as
            # on a database server each is a round trip.
            rows = conn.execute(
                "WITH r(id) AS (SELECT COALESCE((SELECT id FROM speakers WHERE id = ?),"
                " (SELECT into_speaker FROM speaker_merges WHERE gone = ?)))"
                " SELECT 0, s.id, s.name, s.kind, s.quote_count FROM speakers s"
                " JOIN r ON s.id = r.id"
                " UNION ALL SELECT 1, a.speaker, a.alias, NULL, NULL FROM speaker_aliases a"
                " JOIN r ON a.speaker = r.id",
                (rowid, rowid),
            ).fetchall()
            row = next((r for r in rows if int(r[0]) == 0), None)
            if row is None:
                return None
            rowid = int(row[1])
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
            speaker_id=speaker_id_for(rowid),
            name=row[2],
            kind=EntityKind(row[3]),
            # Sorted here, by code point on either engine (a server's collation may not be).
            aliases=tuple(sorted(str(r[2]) for r in rows if int(r[0]) == 1)),
            quote_count=int(row[4]),
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

    def _article_rowid(self, conn: Connection, article_id: str) -> int | None:
        row = conn.execute("SELECT id FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def _speaker_names(self, conn: Connection, speaker: int) -> list[str]:
        """The speaker's written forms and shown name (one statement: a round trip each
        on a database server)."""
        return sorted(
            {
                str(r[0])
                for r in conn.execute(
                    "SELECT alias FROM speaker_aliases WHERE speaker = ?"
                    " UNION ALL SELECT name FROM speakers WHERE id = ?",
                    (speaker, speaker),
                )
            }
        )

    def _kind(self, conn: Connection, speaker: int) -> EntityKind | None:
        row = conn.execute("SELECT kind FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return None if row is None else EntityKind(row[0])

    def _support(self, conn: Connection, speaker: int) -> tuple[int, int]:
        row = conn.execute("SELECT quote_count FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return (int(row[0]) if row else 0, -speaker)

    def _best_supported(self, conn: Connection, speakers: set[int]) -> int:
        return max(speakers, key=lambda s: self._support(conn, s))


def _cut_text_columns(text_chars: int, dialect: Dialect) -> tuple[str, list[object]]:
    """QUOTE_COLUMNS with the text cut in SQL (a page of long quotations is never read
    whole) to its head and tail around " … " (verify's cut_text does the same), plus a
    column saying whether it was cut; and the parameters they take."""
    half = text_chars // 2
    text = f"({QUOTE_TEXT})"
    cut = (
        f"CASE WHEN length({text}) > ? THEN substr({text}, 1, ?) || ' … ' || "
        + dialect.tail(text)
        + f" ELSE {text} END"
    )
    columns = QUOTE_COLUMNS.replace(f"{QUOTE_TEXT},", f"{cut},", 1)
    return f"{columns}, length({text}) > ?", [text_chars, half, half, text_chars]
