"""What speaker linking reads of the known speakers, and the two places it reads it from.

Linking asks the same questions whichever way an article is written: the speakers with a
written form or a lookup key, each one's forms and quotation count, the operator's splits.
`SpeakerTables` answers them from the tables (one article at a time, several servers);
`speaker_mirror.SpeakerMirror` from memory for the length of a bulk load, where the
loader is the only writer. Linking picks one per transaction (`SpeakerLinking._view`), so
its decisions are written once and tested to be the same both ways. Each write linking
makes is reported to the view too: the mirror keeps in step, the tables need nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from typing import Protocol

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.reads import Reads

# (shown name, kind, operator's fixed name or None) of a speaker.
Shown = tuple[str, str, str | None]


class Decided(Protocol):
    """A remembered linking decision: the speaker, and the evidence of the link it
    recorded (None: it recorded none)."""

    @property
    def speaker(self) -> int: ...

    @property
    def evidence(self) -> str | None: ...


class SpeakerView(Protocol):
    def names(self, speaker: int) -> list[str]:
        """The speaker's written forms and shown name, sorted."""
        ...

    def support(self, speaker: int) -> tuple[int, int]:
        """(quotation count, -id): how strongly the corpus backs the speaker."""
        ...

    def shown(self, speaker: int) -> Shown | None: ...

    def with_alias(self, surface: Iterable[str], kind: str) -> set[int]:
        """Speakers of ``kind`` with one of these written forms, case aside (NOCASE)."""
        ...

    def with_key(self, keys: Set[str], kind: str) -> set[int]:
        """Speakers of ``kind`` holding one of these lookup keys."""
        ...

    def splits(self) -> Iterable[tuple[str, str]]:
        """The pairs of written names an operator split."""
        ...

    def lookup_keys(self, kind: EntityKind, names: Sequence[str]) -> Set[str]: ...

    def link(
        self, kind: EntityKind, new: Sequence[str], known: Sequence[str]
    ) -> identity.Link | None: ...

    def new_aliases(self, speaker: int, surface: Set[str]) -> Set[str]:
        """Of ``surface``, the forms to write (all of them where the write ignores dups)."""
        ...

    def new_keys(self, speaker: int, keys: Sequence[str]) -> list[str]: ...

    def decided(self, kind: EntityKind, forms: Sequence[str]) -> Decided | None:
        """A decision taken before on the same sorted forms, while everything it read is
        unchanged (a view may remember none)."""
        ...

    def remember(
        self,
        kind: EntityKind,
        forms: Sequence[str],
        candidates: Iterable[int],
        speaker: int,
        evidence: str | None,
    ) -> None:
        """A decision just taken: ``forms`` link to ``speaker`` (a link recorded with
        ``evidence``, or none), read from these candidates."""
        ...

    # Writes linking made, reported so that a view held in memory stays true.
    def created(self, speaker: int, name: str, kind: str) -> None: ...

    def aliases_added(self, speaker: int, aliases: Iterable[str]) -> None: ...

    def keys_added(self, speaker: int, keys: Iterable[str]) -> None: ...

    def renamed(self, speaker: int, name: str) -> None: ...

    def quotes_added(self, speaker: int, count: int) -> None: ...

    def merged(self, keep: int, gone: int) -> None: ...

    def split_off(self, speaker: int, form: str, new: int, moved: int) -> None:
        """``form`` and its ``moved`` quotations left ``speaker`` for ``new``; its keys went."""
        ...


class SpeakerTables:
    """The view read from the speaker tables, one statement per question."""

    def __init__(self, reads: Reads, conn: Connection) -> None:
        self._reads = reads
        self._conn = conn

    def names(self, speaker: int) -> list[str]:
        return self._reads._speaker_names(self._conn, speaker)

    def support(self, speaker: int) -> tuple[int, int]:
        return self._reads._support(self._conn, speaker)

    def shown(self, speaker: int) -> Shown | None:
        row = self._conn.execute(
            "SELECT name, kind, fixed_name FROM speakers WHERE id = ?", (speaker,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), row[2])

    def with_alias(self, surface: Iterable[str], kind: str) -> set[int]:
        found: set[int] = set()
        for batch in batches(sorted(surface)):
            equal = " OR ".join([self._reads._dialect.ci_equals("a.alias")] * len(batch))
            found.update(
                int(r[0])
                for r in self._conn.execute(
                    "SELECT a.speaker FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker"
                    f" WHERE ({equal}) AND s.kind = ?",
                    (*batch, kind),
                )
            )
        return found

    def with_key(self, keys: Set[str], kind: str) -> set[int]:
        found: set[int] = set()
        # One statement for many keys: on a database server each statement is a round trip.
        for batch in batches(sorted(keys)):
            found.update(
                int(r[0])
                for r in self._conn.execute(
                    # The kind is read per key found (by the speakers' key), not by a
                    # join PostgreSQL may plan as a scan of speakers, whose rows a bulk
                    # load updates many times in one transaction.
                    "SELECT k.speaker FROM speaker_keys k"
                    f" WHERE k.key IN ({','.join('?' * len(batch))})"
                    " AND (SELECT s.kind FROM speakers s WHERE s.id = k.speaker) = ?",
                    (*batch, kind),
                )
            )
        return found

    def splits(self) -> Iterable[tuple[str, str]]:
        return [
            (str(a), str(b))
            for a, b in self._conn.execute("SELECT name_a, name_b FROM speaker_splits")
        ]

    def lookup_keys(self, kind: EntityKind, names: Sequence[str]) -> Set[str]:
        return identity.lookup_keys(kind, names)

    def link(
        self, kind: EntityKind, new: Sequence[str], known: Sequence[str]
    ) -> identity.Link | None:
        return identity.link(kind, new, known)

    def new_aliases(self, speaker: int, surface: Set[str]) -> Set[str]:
        return surface  # INSERT … ignore: the table keeps each form once

    def new_keys(self, speaker: int, keys: Sequence[str]) -> list[str]:
        return list(keys)

    def decided(self, kind: EntityKind, forms: Sequence[str]) -> Decided | None:
        return None  # other writers may change the tables between two articles

    def remember(
        self,
        kind: EntityKind,
        forms: Sequence[str],
        candidates: Iterable[int],
        speaker: int,
        evidence: str | None,
    ) -> None:
        pass

    def created(self, speaker: int, name: str, kind: str) -> None:
        pass

    def aliases_added(self, speaker: int, aliases: Iterable[str]) -> None:
        pass

    def keys_added(self, speaker: int, keys: Iterable[str]) -> None:
        pass

    def renamed(self, speaker: int, name: str) -> None:
        pass

    def quotes_added(self, speaker: int, count: int) -> None:
        pass

    def merged(self, keep: int, gone: int) -> None:
        pass

    def split_off(self, speaker: int, form: str, new: int, moved: int) -> None:
        pass


def batches(values: list[str], size: int = 200) -> list[list[str]]:
    """``values`` in runs of at most ``size``: under SQLite's bound-parameter limit."""
    return [values[i : i + size] for i in range(0, len(values), size)]
