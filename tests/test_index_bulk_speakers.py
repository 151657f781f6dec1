"""A bulk load links speakers from an in-memory mirror of the speaker tables: its
decisions must be the ones article-by-article ingest takes, row for row."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sql.speaker_mirror import SpeakerMirror, nocase
from quotetrace_server.index.sql.speaker_view import SpeakerTables
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from tests.factories import said_quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]

Item = tuple[Article, ArticleQuotes]

# Every table speaker linking writes, and who each quotation is attributed to.
_SPEAKER_TABLES = (
    "SELECT id, name, kind, name_key, quote_count, fixed_name FROM speakers ORDER BY id",
    "SELECT speaker, alias, alias_key FROM speaker_aliases ORDER BY speaker, alias",
    "SELECT key, speaker FROM speaker_keys ORDER BY key, speaker",
    "SELECT l.speaker, l.name, COALESCE(l.evidence, e.text), l.source FROM speaker_links l"
    " LEFT JOIN link_evidence e ON e.id = l.evidence_id ORDER BY l.speaker, l.name, l.source",
    "SELECT gone, into_speaker, evidence, source FROM speaker_merges ORDER BY gone",
    "SELECT id, speaker, article_speaker FROM quotes ORDER BY id",
)


def _article(number: int, said: list[tuple[str, str, tuple[str, ...], EntityKind]]) -> Item:
    """An article in which each (quote, speaker, other forms, kind) is said in turn."""
    body = ""
    made = []
    for quote, speaker, aliases, kind in said:
        start = len(body) + len(speaker) + len(' said "')
        body += f'{speaker} said "{quote}" on day {number}. '
        made.append(said_quote(quote, speaker, start, body, aliases, kind))
    meta = ArticleMeta(url=f"https://example.test/{number}")
    return Article(body, meta), ArticleQuotes(tuple(made), ("tokenize",))


def _hand_made() -> list[Item]:
    """Forms that link strongly, weakly, ambiguously, and that merge two known speakers."""
    person, org = EntityKind.PERSON, EntityKind.ORGANIZATION
    said: list[list[tuple[str, str, tuple[str, ...], EntityKind]]] = [
        [("the tide turns at noon", "Mara Quillon", ("Quillon",), person)],
        [("nets were mended twice", "Quillon", (), person)],
        [("the harbour stays open", "Tomas Quillon", (), person)],
        [("we counted the gulls", "Quillon", (), person)],
        [("lanterns burn till dawn", "Dr. Mara Quillon", ("M. Quillon",), person)],
        [("the ferry is late again", "Élodie Varenne", ("Varenne",), person)],
        [("the ferry is late again", "ÉLODIE VARENNE", (), person)],
        [("salt prices will rise", "Harbour Board", ("the Board",), org)],
        [("salt prices will rise", "harbour board", (), org)],
        [
            ("one crew, one boat", "Ines Borrow", ("Borrow",), person),
            ("the boat is ours", "I. Borrow", ("Ines B.",), person),
        ],
        [("keep the lights on", "Borrow", (), person)],
        [("the ropes hold fast", "Ansel Pikeman", (), person)],
        [("we sailed at first light", "Ansel Durrow", (), person)],
        [("the keel is sound", "Ansel Pikeman", ("Ansel Durrow",), person)],
        [("the nets are mended", "Oswin Threlkeld Sr.", (), person)],
        [("the nets are sold", "Oswin Threlkeld Jr.", (), person)],
        [("the wells are dug", "Khalid al-Rashidi", (), person)],
        [("the wells are deep", "Rashidi", (), person)],
        [("the pass is open", "Liesl Brandauer-Koenig", (), person)],
        [("the pass is closed", "Liesl Brandauer", (), person)],
        [("the pass is icy", "Yulia Chernovets", (), person)],
        [("the pass is steep", "Yuliya Tchernovets", (), person)],
        [("the vote is next week", "Abernathy", (), person)],
        [("the tram costs too much", "Simon Abernathy", (), person)],
        [("the tram will be extended", "Ruth Abernathy", ("Abernathy",), person)],
        [("the vote was close", "Abernathy", (), person)],
    ]
    return [_article(i, s) for i, s in enumerate(said)]


def _synthetic(quotes: int) -> list[Item]:
    return list(SyntheticCorpus(SynthConfig(quotes=quotes, seed=3)).articles())


def _tables(store: SqliteStore) -> list[list[tuple[object, ...]]]:
    with store._reading() as conn:
        return [[tuple(r) for r in conn.execute(query)] for query in _SPEAKER_TABLES]


def _one_by_one(items: list[Item]) -> SqliteStore:
    store = SqliteStore(":memory:")
    for article, quotes in items:
        store.add_article(article, quotes)
    return store


def test_bulk_load_links_speakers_as_article_by_article_ingest_does() -> None:
    items = _hand_made() + _synthetic(1500) + _hand_made()[:3]
    bulk = SqliteStore(":memory:")
    bulk.bulk_add(items)
    expected = _tables(_one_by_one(items))
    assert expected[4], "the articles were made to merge speakers"
    assert _tables(bulk) == expected


def test_bulk_load_onto_speakers_and_a_split_links_as_article_by_article_ingest_does() -> None:
    first, rest = _hand_made()[:5], _hand_made()[5:] + _synthetic(400) + _hand_made()[:5]
    one_by_one, bulk = _one_by_one(first), _one_by_one(first)
    for store in (one_by_one, bulk):
        store.split_speaker("Mara Quillon", "M. Quillon")
    for article, quotes in rest:
        one_by_one.add_article(article, quotes)
    assert bulk.bulk_add(rest) == len(rest) - 5  # the repeated articles are skipped
    assert _tables(bulk) == _tables(one_by_one)


def test_nocase_folds_ascii_letters_only_as_sqlite_does() -> None:
    conn = SqliteStore(":memory:")
    with conn._reading() as c:
        for a, b in (("ÉLODIE", "élodie"), ("Borrow", "BORROW"), ("Straße", "STRASSE")):
            (same,) = c.execute("SELECT ? = ? COLLATE NOCASE", (a, b)).fetchone()
            assert bool(same) == (nocase(a) == nocase(b))


def test_each_mirror_read_answers_as_the_tables_do() -> None:
    store = _one_by_one(_hand_made() + _synthetic(300))
    store.split_speaker("Mara Quillon", "M. Quillon")
    with store._reading() as conn:
        mirror = SpeakerMirror.load(conn)
        speakers = [int(r[0]) for r in conn.execute("SELECT id FROM speakers")]
        aliases = [str(r[0]) for r in conn.execute("SELECT alias FROM speaker_aliases")]
        keys = {str(r[0]) for r in conn.execute("SELECT key FROM speaker_keys")}
        tables = SpeakerTables(store, conn)
        for speaker in speakers:
            assert mirror.names(speaker) == tables.names(speaker)
            assert mirror.support(speaker) == tables.support(speaker)
            assert mirror.shown(speaker) == tables.shown(speaker)
        assert list(mirror.splits()) == list(tables.splits())
        for kind in EntityKind:
            for alias in aliases:
                for form in {alias, alias.upper(), alias.lower(), alias.casefold()}:
                    found = tables.with_alias({form}, kind.value)
                    assert mirror.with_alias({form}, kind.value) == found, form
            assert mirror.with_key(keys, kind.value) == tables.with_key(keys, kind.value)


def _mirror_with(name: str, forms: list[str], speaker: int = 1) -> SpeakerMirror:
    mirror = SpeakerMirror()
    mirror.create(speaker, name, EntityKind.PERSON.value)
    mirror.add_aliases(speaker, forms)
    mirror.add_keys(speaker, mirror.lookup_keys(EntityKind.PERSON, [name, *forms]))
    return mirror


def test_a_remembered_link_is_reused_while_nothing_it_read_has_changed() -> None:
    person = EntityKind.PERSON
    mirror = _mirror_with("Mara Quillon", ["Mara Quillon", "Quillon"])
    forms = ["Mara Quillon", "Quillon"]
    mirror.remember(person, forms, {1}, 1, "same form")
    mirror.quotes_added(1, 3)  # counts only order several strong candidates: not read
    found = mirror.decided(person, forms)
    assert found is not None and (found.speaker, found.evidence) == (1, "same form")
    assert mirror.decided(person, ["Quillon"]) is None  # other forms: never decided
    assert mirror.decided(EntityKind.ORGANIZATION, forms) is None


def _new_speaker_with_key(mirror: SpeakerMirror) -> None:
    mirror.create(2, "Tomas Quillon", EntityKind.PERSON.value)
    mirror.add_keys(2, mirror.lookup_keys(EntityKind.PERSON, ["Quillon"]))


def _new_speaker_with_form_in_capitals(mirror: SpeakerMirror) -> None:
    mirror.create(2, "QUILLON", EntityKind.PERSON.value)
    mirror.add_aliases(2, ["QUILLON"])


def _candidate_merged_away(mirror: SpeakerMirror) -> None:
    mirror.create(2, "M. Quillon", EntityKind.PERSON.value)
    mirror.merged(2, 1)


def test_a_remembered_link_is_decided_again_after_a_write_it_depends_on() -> None:
    person = EntityKind.PERSON
    forms = ["Mara Quillon", "Quillon"]
    changes: dict[str, Callable[[SpeakerMirror], None]] = {
        "a new speaker holds one of its keys": _new_speaker_with_key,
        "a new speaker writes one of its forms, in another case": (
            _new_speaker_with_form_in_capitals
        ),
        "the candidate gains a form": lambda m: m.add_aliases(1, ["Dr. Mara Quillon"]),
        "the candidate is renamed": lambda m: m.renamed(1, "Mara Quillon-Varenne"),
        "the candidate is merged away": _candidate_merged_away,
    }
    for why, change in changes.items():
        mirror = _mirror_with("Mara Quillon", forms)
        mirror.remember(person, forms, {1}, 1, "same form")
        change(mirror)
        assert mirror.decided(person, forms) is None, why
    unchanged = _mirror_with("Mara Quillon", forms)
    unchanged.remember(person, forms, {1}, 1, "same form")
    unchanged.add_aliases(1, ["Quillon"])  # a form it has already: nothing changes
    assert unchanged.decided(person, forms) is not None
