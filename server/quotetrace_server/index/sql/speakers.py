"""Speakers, the writer's side: linking an article's speakers to the corpus's (merging
those an article shows are one), and the operator's corrections (merge, split, rename),
recorded and replayed after every ingest. The policy is index.identity's; this module
reads and writes the rows it decides on."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from quotetrace_server.attribution.model import AttributedQuote
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.model import SpeakerRecord
from quotetrace_server.index.names import is_proper_name, name_key
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.records import speaker_id_for, usable_alias
from quotetrace_server.index.sql.search import CandidateSearch
from quotetrace_server.index.sql.speaker_mirror import SpeakerMirror
from quotetrace_server.index.sql.speaker_view import SpeakerTables, SpeakerView, batches


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


class SpeakerLinking(CandidateSearch):
    # Set for the length of a bulk load (speaker_mirror): linking reads it, not the tables.
    _mirror: SpeakerMirror | None = None
    # Set for the length of a bulk load: link evidence text → its link_evidence id.
    _evidence_ids: dict[str, int] | None = None
    # Set for the length of a bulk load that writes rows many at a time: speaker_links
    # rows gathered, written at its next commit or before a merge reads the table.
    _pending_links: list[tuple[int, str, int, str]] | None = None

    def _view(self, conn: Connection) -> SpeakerView:
        """Where linking reads the known speakers: the bulk load's mirror, else the tables."""
        return self._mirror if self._mirror is not None else SpeakerTables(self, conn)

    def _resolve_article_speakers(
        self, conn: Connection, quotes: Sequence[AttributedQuote], article_id: str = ""
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
        view = self._view(conn)
        for name, surface in aliases.items():
            kind = kinds.get(name, EntityKind.PERSON)
            surface = {a for a in surface if usable_alias(a)} | {name}
            before = view.decided(kind, sorted(surface))
            if before is not None:
                # The same forms, decided on what is still there: the same link, and
                # the forms are the speaker's already (adding one would have changed it).
                if before.evidence is not None:
                    self._record_link(conn, before.speaker, name, before.evidence, article_id)
                resolved[name] = before.speaker
                continue
            conflicting: list[int] = []
            speaker = self._match_speaker(conn, name, surface, kind, article_id, conflicting)
            if speaker is None:
                speaker = self._create_speaker(conn, name, kind)
            self._add_aliases(conn, speaker, surface)
            for other in conflicting:
                self._free_shared_forms(conn, other, name, sorted(surface), kind, article_id)
            resolved[name] = speaker
        return resolved

    def _free_shared_forms(
        self,
        conn: Connection,
        other: int,
        name: str,
        new: list[str],
        kind: EntityKind,
        article_id: str,
    ) -> None:
        """Short forms of ``other`` that the article's person (``name``, written ``new``)
        fits too leave ``other`` with the quotations printed under them, for a speaker of
        their own: "Abernathy" (or "I. Abernathy") seen before "Simon Abernathy" joined him
        as the one person it fitted; once "Ruth Abernathy" comes it fits two people, as it
        would have, read after both (the order articles arrive in must not decide)."""
        view = self._view(conn)
        if view.shown(other) is None:
            return  # merged away
        for form in view.names(other):
            if view.link(kind, new, [form]) is None or identity.conflicts(kind, new, [form]):
                continue
            self._flush_pending(conn)  # the statements below read and change gathered rows
            if not self._printed_under(conn, other, form):
                continue
            freed = self._split_off(conn, other, form)
            shown = view.shown(other)
            evidence = f"{form!r} fits {shown[0] if shown else other!r} and {name!r}"
            self._record_link(conn, freed, form, f"{evidence}: a speaker of its own", article_id)

    def _printed_under(self, conn: Connection, speaker: int, form: str) -> bool:
        """An article attributed a quotation of ``speaker`` under the name ``form``."""
        row = conn.execute(
            "SELECT 1 FROM quotes WHERE speaker = ? AND "
            + self._dialect.ci_equals("article_speaker")
            + " LIMIT 1",
            (speaker, form),
        ).fetchone()
        return row is not None

    def _match_speaker(
        self,
        conn: Connection,
        name: str,
        surface: set[str],
        kind: EntityKind,
        article_id: str = "",
        conflicting: list[int] | None = None,
    ) -> int | None:
        """The corpus speaker an article's speaker is, merging speakers it shows are one.

        Strong links (full names that agree) decide alone; when one article's forms link
        several known speakers that do not contradict each other, those merge. A weak link
        (a bare surname, an acronym) is taken only when it is the one candidate. An
        operator's split keeps apart what it split. Candidates whose full names say they
        are another person are added to ``conflicting``.
        """
        view = self._view(conn)
        new = sorted(surface)
        exact = view.with_alias(surface, kind.value)
        candidates = view.with_key(view.lookup_keys(kind, new), kind.value) | exact
        strong: dict[int, str] = {}
        weak: dict[int, str] = {}
        folded = {n.casefold() for n in new}
        for speaker in sorted(candidates):
            known = view.names(speaker)
            if _split_between(view, new, known):
                continue  # an operator split these forms apart
            if {n.casefold() for n in known} == folded and not identity.has_full_name(kind, new):
                view.remember(kind, new, candidates, speaker, None)
                return speaker  # the same bare or unparsed name(s) as before
            found = view.link(kind, new, known)
            if found is None and speaker in exact and not identity.conflicts(kind, new, known):
                found = identity.Link(False, "same written alias")
            if found is None:
                if conflicting is not None and identity.conflicts(kind, new, known):
                    conflicting.append(speaker)
                continue
            (strong if found.strong else weak)[speaker] = found.evidence
        if strong:
            group = sorted(strong, key=view.support, reverse=True)
            if not _mergeable(view, group, kind):
                return None  # one form fits several different people: ambiguous
            target = group[0]
            if len(group) == 1:  # a merge changes what the next decision reads
                view.remember(kind, new, candidates, target, strong[target])
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
            view.remember(kind, new, candidates, target, weak[target])
            self._record_link(conn, target, name, weak[target], article_id)
            return target
        return None

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
        record = self.get_speaker(speaker_id_for(rowid))
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
        a, b = self.get_speaker(speaker_id_for(speaker)), self.get_speaker(speaker_id_for(new))
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
        record = self.get_speaker(speaker_id_for(speaker))
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
        records = [self.get_speaker(speaker_id_for(i), with_articles=False) for i in ids]
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

    def _record_edit(self, conn: Connection, op: str, a: str, b: str) -> None:
        conn.execute("INSERT INTO speaker_edits(op, name_a, name_b) VALUES (?, ?, ?)", (op, a, b))

    def _name_of(self, conn: Connection, speaker: int) -> str:
        row = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker,)).fetchone()
        return "" if row is None else str(row[0])

    def _rename(self, conn: Connection, speaker: int, new_name: str) -> None:
        conn.execute(
            "UPDATE speakers SET name = ?, name_key = ?, fixed_name = ? WHERE id = ?",
            (new_name, name_key(new_name), new_name, speaker),
        )
        self._add_aliases(conn, speaker, {new_name})

    def _split_off(self, conn: Connection, speaker: int, form: str) -> int:
        row = conn.execute("SELECT kind FROM speakers WHERE id = ?", (speaker,)).fetchone()
        new = self._create_speaker(conn, form, EntityKind(row[0]))
        moved = conn.execute(
            "UPDATE quotes SET speaker = ? WHERE speaker = ? AND "
            + self._dialect.ci_equals("article_speaker"),
            (new, speaker, form),
        ).rowcount
        conn.execute(
            "UPDATE speakers SET quote_count = quote_count - ? WHERE id = ?", (moved, speaker)
        )
        conn.execute("UPDATE speakers SET quote_count = ? WHERE id = ?", (moved, new))
        conn.execute(
            "DELETE FROM speaker_aliases WHERE speaker = ? AND " + self._dialect.ci_equals("alias"),
            (speaker, form),
        )
        conn.execute("DELETE FROM speaker_keys WHERE speaker = ?", (speaker,))
        self._view(conn).split_off(speaker, form, new, moved)
        self._add_aliases(conn, new, {form})
        self._refresh_speaker(conn, speaker)
        return new

    def _one_speaker(self, conn: Connection, name: str) -> int:
        found = self._exact_speakers(conn, name)
        if not found:
            found = set(self._speakers_named(name))
        if not found:
            raise SpeakerEditError(f"no speaker named {name!r}")
        if len(found) > 1:
            shown = ", ".join(
                f"{self._name_of(conn, s)} ({speaker_id_for(s)})" for s in sorted(found)
            )
            raise SpeakerEditError(f"{name!r} is ambiguous: {shown}; name one by its id")
        return next(iter(found))

    def _exact_speakers(self, conn: Connection, name: str) -> set[int]:
        """Speakers with this id, this shown name, or this exact written alias."""
        resolved = self._resolvespeaker_id_for(name.strip())
        if resolved is not None:
            return {resolved}
        found = {
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM speakers WHERE " + self._dialect.ci_equals("name"),
                (name.strip(),),
            )
        }
        if not found:
            found = {
                int(r[0])
                for r in conn.execute(
                    "SELECT speaker FROM speaker_aliases WHERE " + self._dialect.ci_equals("alias"),
                    (name.strip(),),
                )
            }
        return found

    def _apply_edits(self, conn: Connection) -> None:
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

    def _move_form(self, conn: Connection, source: int, target: int, form: str) -> None:
        moved = conn.execute(
            "UPDATE quotes SET speaker = ? WHERE speaker = ? AND "
            + self._dialect.ci_equals("article_speaker"),
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
        self, conn: Connection, speaker: int, name: str, evidence: str, article_id: str
    ) -> None:
        row = (
            speaker,
            name,
            self._evidence_id(conn, evidence),
            f"article {article_id}" if article_id else "ingest",
        )
        if self._pending_links is not None:
            self._pending_links.append(row)
        else:
            self._write_links(conn, [row])

    def _write_links(self, conn: Connection, rows: Sequence[tuple[int, str, int, str]]) -> None:
        conn.executemany(
            self._dialect.insert_ignore(
                "speaker_links(speaker, name, evidence_id, source)", "VALUES (?, ?, ?, ?)"
            ),
            rows,
        )

    def _flush_pending(self, conn: Connection) -> None:
        """Write the rows gathered for a later write (see Writer._flush_pending)."""
        if self._pending_links:
            # In key order (speaker, name, source): each page of the table visited once;
            # a stable sort, so of two rows with one key the first is kept, as before.
            self._write_links(conn, sorted(self._pending_links, key=lambda r: (r[0], r[1], r[3])))
            self._pending_links.clear()

    def _evidence_id(self, conn: Connection, evidence: str) -> int:
        """The id of ``evidence`` in link_evidence (added when new). Links repeat a few
        evidence texts ("'X' ~ 'X': same form" for every article naming X): each text is
        stored once, a link holds its id."""
        known = self._evidence_ids
        if known is not None and evidence in known:
            return known[evidence]
        row = conn.execute("SELECT id FROM link_evidence WHERE text = ?", (evidence,)).fetchone()
        found = (
            int(row[0])
            if row is not None
            else conn.insert("INSERT INTO link_evidence(text) VALUES (?)", (evidence,))
        )
        if known is not None:
            known[evidence] = found
        return found

    def _create_speaker(self, conn: Connection, name: str, kind: EntityKind) -> int:
        speaker = conn.insert(
            "INSERT INTO speakers(name, kind, name_key) VALUES (?, ?, ?)",
            (name, kind.value, name_key(name)),
        )
        self._view(conn).created(speaker, name, kind.value)
        return speaker

    def _add_aliases(self, conn: Connection, speaker: int, surface: set[str]) -> None:
        added = 0
        view = self._view(conn)
        surface = set(view.new_aliases(speaker, surface))
        view.aliases_added(speaker, surface)
        # One multi-row statement per batch: its count is of the rows actually added.
        for batch in batches(sorted(surface)):
            rows = [(speaker, a, name_key(a) if is_proper_name(a) else "") for a in batch]
            added += conn.execute(
                self._dialect.insert_ignore(
                    "speaker_aliases(speaker, alias, alias_key)",
                    "VALUES " + ",".join(["(?, ?, ?)"] * len(rows)),
                ),
                [value for row in rows for value in row],
            ).rowcount
        if added:  # the same forms give the same keys and name: nothing to refresh
            self._refresh_speaker(conn, speaker)

    def _refresh_speaker(self, conn: Connection, speaker: int) -> None:
        """Lookup keys and the shown name, from the speaker's forms (an operator's rename
        wins over the forms)."""
        view = self._view(conn)
        row = view.shown(speaker)
        if row is None:
            return
        kind = EntityKind(row[1])
        names = view.names(speaker)
        keys = view.new_keys(speaker, sorted(view.lookup_keys(kind, names)))
        view.keys_added(speaker, keys)
        conn.executemany(
            self._dialect.insert_ignore("speaker_keys(key, speaker)", "VALUES (?, ?)"),
            [(k, speaker) for k in keys],
        )
        name = str(row[2]) if row[2] else identity.canonical_name(kind, names, str(row[0]))
        if name != row[0]:
            conn.execute(
                "UPDATE speakers SET name = ?, name_key = ? WHERE id = ?",
                (name, name_key(name), speaker),
            )
            view.renamed(speaker, name)

    def _merge_speakers(
        self, conn: Connection, keep: int, gone: int, evidence: str, source: str
    ) -> None:
        """Fold speaker ``gone`` into ``keep``: quotations, aliases, counts and keys follow,
        and ``gone``'s id keeps resolving (to ``keep``)."""
        if keep == gone:
            return
        self._flush_pending(conn)  # the statements below read and change gathered rows
        conn.execute("UPDATE quotes SET speaker = ? WHERE speaker = ?", (keep, gone))
        conn.execute(
            self._dialect.insert_ignore(
                "speaker_aliases(speaker, alias, alias_key)",
                "SELECT ?, alias, alias_key FROM speaker_aliases WHERE speaker = ?",
            ),
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
        # A link ``keep`` has already (same name, same source) stays, the other goes.
        conn.execute(
            "DELETE FROM speaker_links WHERE speaker = ? AND EXISTS (SELECT 1 FROM"
            " speaker_links k WHERE k.speaker = ? AND k.name = speaker_links.name"
            " AND k.source = speaker_links.source)",
            (gone, keep),
        )
        conn.execute("UPDATE speaker_links SET speaker = ? WHERE speaker = ?", (keep, gone))
        conn.execute("DELETE FROM speakers WHERE id = ?", (gone,))
        conn.execute(
            "UPDATE speaker_merges SET into_speaker = ? WHERE into_speaker = ?", (keep, gone)
        )
        conn.execute(
            "INSERT INTO speaker_merges(gone, into_speaker, evidence, source)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(gone) DO UPDATE SET"
            " into_speaker = excluded.into_speaker, evidence = excluded.evidence,"
            " source = excluded.source",
            (gone, keep, evidence, source),
        )
        self._view(conn).merged(keep, gone)
        self._refresh_speaker(conn, keep)


def _mergeable(view: SpeakerView, speakers: Sequence[int], kind: EntityKind) -> bool:
    names = {s: view.names(s) for s in speakers}
    for a, b in itertools.combinations(speakers, 2):
        if identity.conflicts(kind, names[a], names[b]) or _split_between(view, names[a], names[b]):
            return False
    return True


def _split_between(view: SpeakerView, names_a: Iterable[str], names_b: Iterable[str]) -> bool:
    """An operator split one of ``names_a`` from one of ``names_b``."""
    folded_a = {n.casefold() for n in names_a}
    folded_b = {n.casefold() for n in names_b}
    for left, right in view.splits():
        x, y = left.casefold(), right.casefold()
        if (x in folded_a and y in folded_b) or (x in folded_b and y in folded_a):
            return True
    return False
