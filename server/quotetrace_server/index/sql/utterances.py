"""Utterances, the writer's side: each new speech quotation joins the cluster of the
printings of one saying that it links to (index.clustering decides what links), merging
clusters it links together, or starts its own."""

from __future__ import annotations

from collections import Counter

from quotetrace_server.entities.normalize import strip_punctuation, words
from quotetrace_server.index.clustering import (
    OVERLAP_MIN_WORDS,
    STRONG_LINKS,
    QuoteSketch,
    link_reason,
    link_weight,
    links_nothing,
    spoken_words,
)
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.records import (
    QUOTE_TEXT,
    QuoteRow,
    norm_hash,
    quote_norm,
    sketch,
)
from quotetrace_server.index.sql.speakers import SpeakerLinking
from quotetrace_server.index.sql.terms import query_terms

# Clustering looks wider than a query: a long quotation must find the short fragments
# printed from it, and a fragment's only term may not be among the long one's rarest.
_CLUSTER_MAX_TERMS = 48
_CLUSTER_CANDIDATES = 60
# Rows of a wording's hash looked at for an indexed copy of a new quotation.
_COPY_PROBE = 64
# A cluster whose longest printing is shorter than this is a fragment cluster: it may be
# merged into any cluster it links to.
_FRAGMENT_MAX_WORDS = 8
# Printings of a cluster checked before a quotation that only overlaps one of them joins.
_OVERLAP_MEMBERS = 32
# Characters between a quotation broken off with a comma and its resumption in one
# article: a closing mark, an attribution ("said Ana Ruiz, the harbourmaster.") and an
# opening mark.
_RESUMED_GAP_MAX = 120
# Marks that open a quotation (what stands at the end of the words before its text).
_OPENING_MARKS = "\"'“‘«„‚"


class UtteranceClustering(SpeakerLinking):
    def _cluster(self, conn: Connection, quote_rowid: int, row: QuoteRow) -> None:
        spoken = spoken_words(row.norm)
        # The stored lemmas are those of every word; an editor's bracketed words are not
        # compared (spoken_words), so a bracketed quotation's lemmas are worked out again.
        bracketed = "[" in row.norm or "]" in row.norm
        lemmas = lemma_key(spoken) if bracketed else row.lemmas
        new = QuoteSketch(spoken, lemmas, row.lead, row.speaker)
        if links_nothing(new):
            self._assign_utterance(conn, quote_rowid, set())
            return
        copy = self._copy_utterance(conn, quote_rowid, row, new)
        if copy is not None:
            self._assign_utterance(conn, quote_rowid, {copy})
            return
        strong: set[int] = set()
        weak: Counter[int] = Counter()
        # How many words the best weak link to each cluster shares (its shorter side).
        weight: Counter[int] = Counter()
        # Clusters reached by some link other than an overlap of two cuts.
        held: set[int] = set()
        terms = query_terms(row.norm, row.lemmas)
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
                f"SELECT {quote_norm(self._dialect)}, q.lead, q.speaker, q.utterance"
                " FROM quotes q JOIN articles a ON a.id = q.article"
                f" WHERE q.id IN ({marks}) AND q.utterance IS NOT NULL",
                rowids,
            ).fetchall()
            if rowids
            else []
        )
        for norm, lead, speaker, utterance in candidates:
            other = sketch(norm, lead, speaker)
            reason = link_reason(new, other)
            if reason in STRONG_LINKS:
                strong.add(int(utterance))
            elif reason is not None:
                weak[int(utterance)] += 1
                shared = link_weight(reason, new, other)
                weight[int(utterance)] = max(weight[int(utterance)], shared)
                if reason != "overlap":
                    held.add(int(utterance))
        joined = self._clusters_to_join(conn, new, strong, weak, weight, held)
        if len(joined) < len(weak) and is_one_sentence(row.norm):
            joined |= self._pieces_run_together(conn, joined, set(weak) - held - joined)
        opening = self._sentence_opening(conn, quote_rowid, row)
        if opening is not None:
            joined.add(opening)
        self._assign_utterance(conn, quote_rowid, joined)

    def _copy_utterance(
        self, conn: Connection, quote_rowid: int, row: QuoteRow, new: QuoteSketch
    ) -> int | None:
        """The utterance of an indexed copy of this quotation (the same words, speaker and
        lead-in), when identical printings link: None sends it to the full search.

        A copy links to whatever this quotation would, so joining its utterance skips the
        candidate search; an article repeating one quotation thousands of times would
        otherwise search and rank every earlier printing once per printing. Only the first
        _COPY_PROBE rows of the wording's hash are looked at, so a wording printed many
        times under other speakers costs a bounded probe, then the full search.
        """
        if link_reason(new, new) not in STRONG_LINKS:
            return None
        found = conn.execute(
            f"SELECT utterance FROM (SELECT {quote_norm(self._dialect)} AS norm, q.speaker,"
            " q.lead, q.utterance FROM quotes q"
            + self._dialect.indexed_by("quotes_norm_hash")
            + " JOIN articles a ON a.id = q.article"
            " WHERE q.norm_hash = ? AND q.id != ? LIMIT ?) AS probe WHERE norm = ? AND "
            + self._dialect.same("speaker")
            + " AND lead = ? AND utterance IS NOT NULL LIMIT 1",
            (
                norm_hash(row.norm),
                quote_rowid,
                _COPY_PROBE,
                row.norm,
                row.speaker,
                " ".join(row.lead),
            ),
        ).fetchone()
        return None if found is None else int(found[0])

    def _clusters_to_join(
        self,
        conn: Connection,
        new: QuoteSketch,
        strong: set[int],
        weak: Counter[int],
        weight: Counter[int],
        held: set[int],
    ) -> set[int]:
        """The clusters a new quotation joins (and so merges).

        Strong links (identical, near-identical) always merge. A weak link (a fragment,
        a re-translation) would otherwise chain different sayings together: a fragment
        like "a fair deal" can sit inside two different long quotations by one speaker.
        So a weakly linked cluster is merged only when its longest printing or the
        target's is short, or the two longest printings themselves link (more than by an
        overlap: two cuts of one answer, which two remarks printed together also are). The new
        quotation is the target's longest printing when it is longer than them: a long
        printing holding two fragments is what they were cut from.

        Without a strong link, the target is the weakly linked cluster sharing the most
        words with the new quotation (``weight``), then the one whose longest printing
        links to it, then the one with the most links: a remark holding a 5-word phrase
        that a second remark of its speaker also holds belongs with the printing it shares
        a whole sentence with, not with whichever cluster the phrase reached first. A
        target reached only by an overlap (``held`` lacks it) is joined alone, if at all
        (``_overlap_target``).
        """
        if not strong and not weak:
            return set()
        longest = {u: self._longest_member(conn, u) for u in weak}
        # Between clusters sharing as many words, a fragment goes with the remark whose
        # fullest printing holds it, not with a printing that ran it into another remark.
        ordered_weak = sorted(
            weak,
            key=lambda u: (-weight[u], link_reason(new, longest[u]) is None, -weak[u], u),
        )
        if not strong and ordered_weak[0] not in held:
            return self._overlap_target(conn, new, ordered_weak[0])
        joined = set(strong) if strong else {ordered_weak[0]}
        anchor = self._longest_member(conn, min(joined))
        if len(new.words) > len(anchor.words):
            anchor = new
        for utterance in ordered_weak:
            if utterance in joined:
                continue
            other = longest[utterance]
            if (
                len(anchor.words) < _FRAGMENT_MAX_WORDS
                or len(other.words) < _FRAGMENT_MAX_WORDS
                or link_reason(anchor, other) not in (None, "overlap")
            ):
                joined.add(utterance)
                if len(other.words) > len(anchor.words):
                    anchor = other
        return joined

    def _pieces_run_together(
        self, conn: Connection, joined: set[int], overlapped: set[int]
    ) -> set[int]:
        """The clusters of ``overlapped`` (reached by the new quotation only by an overlap)
        that an article prints side by side with one of ``joined``, as one remark broken
        by its attribution ('"S1," said X. "S2."'), the new quotation being one sentence.

        The new printing then runs the two pieces together in one sentence ("...the end
        of S1 and S2": the reporter took S1's opening words into his own sentence), so
        they are one remark, though the pieces alone may not link. Without such a
        printing the pieces stay apart: a second sentence after "said X." is as often
        another remark, and a printing of "S1. S2" as two sentences is two remarks
        printed together (it goes with the one it holds more of); nor does a phrase
        found in both pieces ("a fair deal") run them together.
        """
        if not joined:
            return set()
        return {u for u in sorted(overlapped) if self._resumed_after_attribution(conn, joined, u)}

    def _resumed_after_attribution(self, conn: Connection, joined: set[int], other: int) -> bool:
        """Whether an article prints a quotation of ``other`` and one of ``joined`` side by
        side as one remark broken by its attribution: one speaker, the first piece ending
        in a comma, no other quotation and at most _RESUMED_GAP_MAX characters between."""
        marks = ",".join("?" * len(joined))
        found = conn.execute(
            "SELECT 1 FROM quotes q JOIN articles a ON a.id = q.article"
            " JOIN quotes r ON r.article = q.article AND r.seq = q.seq + 1"
            " AND r.speaker = q.speaker"
            f" WHERE ((q.utterance = ? AND r.utterance IN ({marks}))"
            f" OR (r.utterance = ? AND q.utterance IN ({marks})))"
            f' AND r.start - q."end" <= ? AND {QUOTE_TEXT} LIKE ? LIMIT 1',
            (other, *sorted(joined), other, *sorted(joined), _RESUMED_GAP_MAX, "%,"),
        ).fetchone()
        return found is not None

    def _sentence_opening(self, conn: Connection, quote_rowid: int, row: QuoteRow) -> int | None:
        """The utterance of the quotation this one resumes mid-sentence, or None.

        '"We will not," said Ana Ruiz, the mayor, "close a single school."': the two
        pieces are one sentence broken by its attribution, whatever their words link to
        (the opening "We will not" is too short to link to anything). Read so only when
        the second piece starts in lower case, the first (the article's quotation just
        before, same speaker) ends in a comma, and the words between, at most
        _RESUMED_GAP_MAX characters, end in a comma too: 'said X, the mayor, "'. A second
        quotation after 'X said. "' or 'and added that "' is not read as one sentence.
        """
        if row.speaker is None or not strip_punctuation(row.quote.text)[:1].islower():
            return None
        found = conn.execute(
            f'SELECT q.utterance, {QUOTE_TEXT}, substr(a.text, q."end" + 1, r.start - q."end")'
            " FROM quotes r JOIN quotes q ON q.article = r.article AND q.seq = r.seq - 1"
            " AND q.speaker = r.speaker JOIN articles a ON a.id = q.article"
            ' WHERE r.id = ? AND q.utterance IS NOT NULL AND r.start - q."end" BETWEEN 0 AND ?',
            (quote_rowid, _RESUMED_GAP_MAX),
        ).fetchone()
        if found is None:
            return None
        utterance, first, between = found
        attribution = str(between).rstrip().rstrip(_OPENING_MARKS).rstrip()
        if str(first).rstrip().endswith(",") and attribution.endswith(","):
            return int(utterance)
        return None

    def _overlap_target(self, conn: Connection, new: QuoteSketch, target: int) -> set[int]:
        """The cluster a quotation joins when its best link only overlaps a printing there.

        Cut from one answer at another point, or running two remarks together, the new
        quotation is not what the target's printings were cut from: it bridges nothing,
        so no other cluster is merged ("R1. R2" goes with R2 without pulling R1 in). Nor
        does it join a cluster holding a whole sentence it does not link to: that
        printing overlaps it on a remark of its own ("R1. R2" already with R1, when R2
        arrives).
        """
        norm = quote_norm(self._dialect)
        rows = conn.execute(
            f"SELECT {norm}, q.lead, q.speaker FROM quotes q JOIN articles a"
            f" ON a.id = q.article WHERE q.utterance = ? ORDER BY length({norm}) DESC, q.id"
            " LIMIT ?",
            (target, _OVERLAP_MEMBERS),
        ).fetchall()
        longest = words(rows[0][0]) if rows else ()
        for row in rows:
            member = sketch(*row)
            if len(member.lemmas) >= OVERLAP_MIN_WORDS and link_reason(new, member) is None:
                if rows and starts_mid_sentence(member.words, longest, rows[0][0]):
                    # A fragment cut from inside a sentence of the longest printing is
                    # part of that printing's remark, not a remark of its own.
                    continue
                return set()
        return {target}

    def _longest_member(self, conn: Connection, utterance: int) -> QuoteSketch:
        norm = quote_norm(self._dialect)
        row = conn.execute(
            f"SELECT {norm}, q.lead, q.speaker FROM quotes q JOIN articles a"
            f" ON a.id = q.article WHERE q.utterance = ? ORDER BY length({norm}) DESC, q.id"
            " LIMIT 1",
            (utterance,),
        ).fetchone()
        return sketch(*row) if row else QuoteSketch((), (), (), None)

    def _identical_utterance(self, conn: Connection, norm: str) -> int | None:
        """The utterance of an indexed speech quotation with normalised text ``norm``."""
        found = conn.execute(
            "SELECT q.utterance FROM quotes q JOIN articles a ON a.id = q.article"
            f" WHERE q.norm_hash = ? AND {quote_norm(self._dialect)} = ?"
            " AND q.utterance IS NOT NULL LIMIT 1",
            (norm_hash(norm), norm),
        ).fetchone()
        return None if found is None else int(found[0])

    def _assign_utterance(self, conn: Connection, quote_rowid: int, linked: set[int]) -> None:
        if not linked:
            target = conn.insert("INSERT INTO utterances DEFAULT VALUES")
        else:
            # Single linkage: a quotation that links two clusters merges them.
            target = min(linked)
            for other in sorted(linked - {target}):
                conn.execute("UPDATE quotes SET utterance = ? WHERE utterance = ?", (target, other))
                conn.execute("DELETE FROM utterances WHERE id = ?", (other,))
        conn.execute("UPDATE quotes SET utterance = ? WHERE id = ?", (target, quote_rowid))


def is_one_sentence(norm: str) -> bool:
    """No sentence ends inside ``norm`` (a quotation's normalised text) before its end."""
    return not any(_sentence_ends(norm)[:-1])


def _sentence_ends(norm: str) -> list[bool]:
    # Token by token as words() splits them (not through its cache: ingest would fill it).
    return [
        token.rstrip("\"')]").endswith((".", "!", "?"))
        for token in norm.split(" ")
        if strip_punctuation(token)
    ]


def starts_mid_sentence(fragment: tuple[str, ...], longest: tuple[str, ...], norm: str) -> bool:
    """``fragment`` is a run of ``longest``'s words (the words of ``norm``) that starts
    inside one of its sentences: the word before it ends no sentence."""
    ends = _sentence_ends(norm)
    if len(ends) != len(longest) or not fragment or len(fragment) >= len(longest):
        return False
    n = len(fragment)
    return any(
        longest[i : i + n] == fragment and not ends[i - 1] for i in range(1, len(longest) - n + 1)
    )
