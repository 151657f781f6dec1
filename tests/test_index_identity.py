"""Corpus-level speaker identity in the store: merges with evidence, merges after the fact,
people who share a surname kept apart, look-up by any form (invented names)."""

from __future__ import annotations

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sql.store import SqlStore
from tests.factories import StoreFactory, add_said


def _add(
    store: SqlStore,
    quote: str,
    speaker: str,
    aliases: tuple[str, ...] = (),
    kind: EntityKind = EntityKind.PERSON,
) -> None:
    add_said(store, quote, speaker, aliases, kind, place="on the harbour front")


def _names(store: SqlStore) -> set[str]:
    return {q.speaker or "" for q in store.list_quotes(limit=100)[0]}


def test_initials_titles_diacritics_and_spellings_make_one_speaker(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the ferry runs again on Monday", "I. Marovic")
    _add(store, "we rebuilt the pier in a year", "Mayor Ilsa Marović")
    _add(store, "the tide tables were wrong", "Ilsa A. Marovic")
    _add(store, "nobody was hurt in the storm", "Marovic")
    assert store.stats().speaker_count == 1
    record = store.find_speaker("I. Marovic")
    assert record is not None and record.name == "Ilsa Marović" and record.quote_count == 4
    history = store.speaker_history(record.speaker_id)
    assert any("initial" in evidence for _, evidence, _ in history)


def test_transliterated_surnames_merge_and_answer_to_every_spelling(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    _add(store, "the border stays open", "Dragan Zelenkoy")
    _add(store, "our grain leaves by sea", "President Dragan Zelenkoyy")
    _add(store, "we will rebuild the bridges", "Zelenkoi")
    assert store.stats().speaker_count == 1
    ids = {store.speakers_named(n) for n in ("Zelenkoi", "D. Zelenkoy", "Mr Zelenkoyy")}
    assert len(ids) == 1 and len(next(iter(ids))) == 1


def test_people_who_share_a_surname_stay_apart(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the ferry runs again on Monday", "Ilsa Marovic")
    _add(store, "the bank will lend to the port", "Ivo Marovic")
    _add(store, "tolls go up next year", "Marovic")  # which one? neither
    _add(store, "the pier was rebuilt in a year", "I. Marovic")  # fits both: neither
    assert _names(store) == {"Ilsa Marovic", "Ivo Marovic", "Marovic", "I. Marovic"}
    ambiguous = store.lookup_speakers("Marovic")
    assert {r.name for r in ambiguous} >= {"Ilsa Marovic", "Ivo Marovic"}


def test_close_but_different_surnames_stay_apart(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the match was ours to lose", "Petra Bullworth")
    _add(store, "the referee saw nothing", "Petra Bellworth")
    assert store.stats().speaker_count == 2
    assert len(store.speakers_named("Petra Bellworth")) == 1


def test_a_later_article_that_links_two_speakers_merges_them(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the ferry runs again on Monday", "Ilsa Marovic-Kern")
    _add(store, "we rebuilt the pier in a year", "Ilsa Marovic")
    assert store.stats().speaker_count == 2
    old = store.find_speaker("Ilsa Marovic")
    assert old is not None
    _add(store, "the tolls stay as they are", "Ilsa Marovic-Kern", ("Ilsa Marovic",))
    assert store.stats().speaker_count == 1
    merged = store.find_speaker("Ilsa Marovic-Kern")
    assert merged is not None and merged.quote_count == 3
    # The old id still resolves, to the merged speaker, and its quotations followed.
    again = store.get_speaker(old.speaker_id)
    assert again is not None and again.speaker_id == merged.speaker_id
    quotes, total = store.list_quotes(speaker_id=old.speaker_id)
    assert total == 3 and {q.speaker_id for q in quotes} == {merged.speaker_id}
    assert any("merged" in what for what, _, _ in store.speaker_history(merged.speaker_id))


def test_an_acronym_and_the_full_name_are_one_organisation(new_store: StoreFactory) -> None:
    store = new_store()
    org = EntityKind.ORGANIZATION
    _add(store, "storm surge of six feet is expected", "Northern Grid Office", kind=org)
    _add(store, "power returns by Friday", "NGO", kind=org)
    assert store.stats().speaker_count == 1
    record = store.find_speaker("NGO")
    assert record is not None and record.name == "Northern Grid Office"


def test_a_single_letter_alias_is_dropped(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the clock is already ticking", "T. Velland", ("T",))
    record = store.find_speaker("T. Velland")
    assert record is not None and "T" not in record.aliases
    assert store.find_speaker("T") is None


def test_a_name_typed_in_lower_case_finds_its_speaker(new_store: StoreFactory) -> None:
    store = new_store()
    _add(store, "the border stays open", "Dragan Zelenkoy")
    record = store.find_speaker("dragan zelenkoi")
    assert record is not None and record.name == "Dragan Zelenkoy"


def test_an_acronym_seen_first_takes_the_full_name_when_it_appears(new_store: StoreFactory) -> None:
    store = new_store()
    org = EntityKind.ORGANIZATION
    _add(store, "power returns by Friday", "NGO", kind=org)
    old = store.find_speaker("NGO")
    _add(store, "storm surge of six feet is expected", "Northern Grid Office", kind=org)
    assert store.stats().speaker_count == 1
    record = store.find_speaker("Northern Grid Office")
    assert old is not None and record is not None and record.speaker_id == old.speaker_id
    assert record.name == "Northern Grid Office" and record.quote_count == 2
