"""An in-memory copy of what speaker linking reads, for the length of one bulk load
(a `speaker_view.SpeakerView`).

Linking an article's speaker reads the candidates' written forms, keys, kinds and
quotation counts: a dozen small statements per speaker, most of a bulk load's time. A
bulk load holds the only writer, so it reads the speaker tables once into this mirror
and keeps the mirror in step with each row it writes: the linking decisions are the same
ones, taken from memory (a test builds an index both ways and compares every row).

Case-insensitive alias equality is SQLite's NOCASE: ASCII letters only fold.

The same speaker forms come back article after article (a prominent speaker is named in
thousands), and each time linking weighs the same candidates the same way. The mirror
remembers each decision with what it read (the lookup keys, the written forms, the
candidates); a write that touches any of those (a form or key gained or lost by any
speaker, a candidate renamed, merged or given a new form) forgets it, and the decision
is taken again. So a remembered decision is only reused while everything it depended on
is as it was: the same decision, without the work.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.speaker_view import Shown

_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def nocase(text: str) -> str:
    """``text`` as SQLite's NOCASE collation compares it."""
    return text.translate(_NOCASE)


@dataclass
class MirroredSpeaker:
    name: str
    kind: str
    fixed_name: str | None
    quote_count: int
    aliases: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Decision:
    """A linking decision: the speaker an article's forms were linked to, and the
    evidence recorded for the link (None: no link recorded)."""

    speaker: int
    evidence: str | None


# What a decision read: ("key", lookup key), ("form", NOCASE written form) or
# ("speaker", candidate id).
_Read = tuple[str, object]


class SpeakerMirror:
    """speakers, speaker_aliases, speaker_keys and speaker_splits, as the writer sees them."""

    def __init__(self) -> None:
        self.speakers: dict[int, MirroredSpeaker] = {}
        self._by_alias: dict[str, set[int]] = {}
        self._by_key: dict[str, set[int]] = {}
        self._splits: list[tuple[str, str]] = []
        # Decisions by (kind, sorted forms), and which of them each thing read: a change
        # to it forgets them.
        self._decisions: dict[tuple[EntityKind, tuple[str, ...]], Decision] = {}
        self._readers: dict[_Read, set[tuple[EntityKind, tuple[str, ...]]]] = {}
        # identity's answers are functions of the written forms alone, and the same forms
        # come back article after article: each is worked out once per load.
        self._keys: dict[tuple[EntityKind, tuple[str, ...]], frozenset[str]] = {}
        self._links: dict[
            tuple[EntityKind, tuple[str, ...], tuple[str, ...]], identity.Link | None
        ] = {}

    @classmethod
    def load(cls, conn: Connection) -> SpeakerMirror:
        mirror = cls()
        for rowid, name, kind, fixed, count in conn.execute(
            "SELECT id, name, kind, fixed_name, quote_count FROM speakers"
        ):
            mirror.create(int(rowid), str(name), str(kind), int(count), fixed)
        for speaker, alias in conn.execute("SELECT speaker, alias FROM speaker_aliases"):
            mirror.add_aliases(int(speaker), [str(alias)])
        for key, speaker in conn.execute("SELECT key, speaker FROM speaker_keys"):
            mirror.add_keys(int(speaker), [str(key)])
        mirror._splits = [
            (str(a), str(b)) for a, b in conn.execute("SELECT name_a, name_b FROM speaker_splits")
        ]
        return mirror

    def lookup_keys(self, kind: EntityKind, names: Sequence[str]) -> frozenset[str]:
        """identity.lookup_keys, remembered."""
        key = (kind, tuple(names))
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = frozenset(identity.lookup_keys(kind, names))
        return found

    def link(
        self, kind: EntityKind, new: Sequence[str], known: Sequence[str]
    ) -> identity.Link | None:
        """identity.link, remembered."""
        key = (kind, tuple(new), tuple(known))
        if key not in self._links:
            self._links[key] = identity.link(kind, new, known)
        return self._links[key]

    def decided(self, kind: EntityKind, forms: Sequence[str]) -> Decision | None:
        """The decision remembered for these sorted forms of this kind, while nothing it
        read has changed since; else None (it is taken again)."""
        return self._decisions.get((kind, tuple(forms)))

    def remember(
        self,
        kind: EntityKind,
        forms: Sequence[str],
        candidates: Iterable[int],
        speaker: int,
        evidence: str | None,
    ) -> None:
        """Remember a decision taken now from these forms (sorted) and candidates."""
        decision = (kind, tuple(forms))
        self._decisions[decision] = Decision(speaker, evidence)
        read: list[_Read] = [("key", k) for k in self.lookup_keys(kind, forms)]
        read += [("form", f) for f in {nocase(f) for f in forms}]
        read += [("speaker", s) for s in candidates]
        for thing in read:
            self._readers.setdefault(thing, set()).add(decision)

    def _changed(self, thing: _Read) -> None:
        """Forget the decisions that read ``thing`` (a later one under the same forms
        may be forgotten with them: it is only taken again)."""
        for decision in self._readers.pop(thing, ()):
            self._decisions.pop(decision, None)

    def create(
        self, speaker: int, name: str, kind: str, count: int = 0, fixed: str | None = None
    ) -> None:
        self.speakers[speaker] = MirroredSpeaker(name, kind, fixed, count)

    def created(self, speaker: int, name: str, kind: str) -> None:
        self.create(speaker, name, kind)

    def renamed(self, speaker: int, name: str) -> None:
        self.speakers[speaker].name = name
        self._changed(("speaker", speaker))

    def shown(self, speaker: int) -> Shown | None:
        found = self.speakers.get(speaker)
        return None if found is None else (found.name, found.kind, found.fixed_name)

    def splits(self) -> Iterable[tuple[str, str]]:
        return self._splits

    def names(self, speaker: int) -> list[str]:
        """As ``Reads._speaker_names``: the written forms and the shown name, sorted."""
        found = self.speakers.get(speaker)
        return [] if found is None else sorted(found.aliases | {found.name})

    def support(self, speaker: int) -> tuple[int, int]:
        found = self.speakers.get(speaker)
        return (0 if found is None else found.quote_count, -speaker)

    def with_alias(self, surface: Iterable[str], kind: str) -> set[int]:
        """Speakers of ``kind`` with one of these written forms, case aside (NOCASE)."""
        found: set[int] = set()
        for form in surface:
            found.update(self._by_alias.get(nocase(form), ()))
        return {s for s in found if s in self.speakers and self.speakers[s].kind == kind}

    def with_key(self, keys: Iterable[str], kind: str) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found.update(self._by_key.get(key, ()))
        return {s for s in found if s in self.speakers and self.speakers[s].kind == kind}

    def new_aliases(self, speaker: int, surface: Set[str]) -> Set[str]:
        """The forms the speaker does not have yet (exact text: the table's key)."""
        return surface - self.speakers[speaker].aliases

    def new_keys(self, speaker: int, keys: Sequence[str]) -> list[str]:
        known = self.speakers[speaker].keys
        return [k for k in keys if k not in known]

    def add_aliases(self, speaker: int, aliases: Iterable[str]) -> None:
        known = self.speakers[speaker].aliases
        for alias in aliases:
            if alias in known:
                continue
            known.add(alias)
            folded = nocase(alias)
            self._by_alias.setdefault(folded, set()).add(speaker)
            self._changed(("form", folded))
            self._changed(("speaker", speaker))

    def add_keys(self, speaker: int, keys: Iterable[str]) -> None:
        known = self.speakers[speaker].keys
        for key in keys:
            if key in known:
                continue
            known.add(key)
            self._by_key.setdefault(key, set()).add(speaker)
            self._changed(("key", key))

    aliases_added = add_aliases
    keys_added = add_keys

    def quotes_added(self, speaker: int, count: int) -> None:
        self.speakers[speaker].quote_count += count

    def merged(self, keep: int, gone: int) -> None:
        """As ``_merge_speakers`` before its refresh: forms and count move, keys go."""
        old = self.speakers.pop(gone)
        self._changed(("speaker", gone))
        self._changed(("speaker", keep))
        for alias in old.aliases:
            self._by_alias[nocase(alias)].discard(gone)
            self._changed(("form", nocase(alias)))
        for key in old.keys:
            self._by_key[key].discard(gone)
            self._changed(("key", key))
        self.add_aliases(keep, old.aliases)
        self.speakers[keep].quote_count += old.quote_count

    def split_off(self, speaker: int, form: str, new: int, moved: int) -> None:
        """As ``_split_off`` before its refresh: the form (case aside) and its quotations
        move, the speaker's keys go."""
        found = self.speakers[speaker]
        self._changed(("speaker", speaker))
        for alias in [a for a in found.aliases if nocase(a) == nocase(form)]:
            found.aliases.discard(alias)
            self._by_alias[nocase(alias)].discard(speaker)
            self._changed(("form", nocase(alias)))
        for key in found.keys:
            self._by_key[key].discard(speaker)
            self._changed(("key", key))
        found.keys.clear()
        found.quote_count -= moved
        self.speakers[new].quote_count += moved
