"""GetSpeaker by any form: ambiguity reported, forms with counts, merge evidence (invented
names), as the response and as the CLI prints it."""

from __future__ import annotations

from quotetrace_client.render import speaker_text
from quotetrace_server.api import convert
from quotetrace_server.index.sqlite_store import SqliteStore
from tests.factories import add_said


def _store() -> SqliteStore:
    store = SqliteStore(":memory:")
    add_said(store, "the ferry runs again on Monday", "Ilsa Marovic")
    add_said(store, "we rebuilt the pier in a year", "I. Marović")
    add_said(store, "the tide tables were wrong", "Mayor Ilsa Marovic")
    # Oskar, not a second I.: "I. Marović" fits Ilsa alone (it would leave her for a
    # speaker of its own once an Ivo Marovic came).
    add_said(store, "the bank will lend to the port", "Oskar Marovic")
    return store


def test_a_variant_form_finds_the_speaker_with_its_forms_and_evidence() -> None:
    lookup = _store().speaker_lookup("ILSA MAROVIĆ")
    assert lookup is not None and not lookup.ambiguous
    response = convert.speaker_lookup(lookup)
    assert response.speaker.name == "Ilsa Marovic" and response.speaker.occurrence_count == 3
    forms = {f.form: f.quote_count for f in response.forms}
    assert forms["I. Marović"] == 1 and forms["Mayor Ilsa Marovic"] == 1
    assert any("initial" in e for e in response.evidence)
    text = speaker_text(response)
    assert "forms: " in text and "ambiguous" not in text


def test_a_name_two_people_share_is_reported_ambiguous() -> None:
    lookup = _store().speaker_lookup("Marovic")
    assert lookup is not None and lookup.ambiguous
    response = convert.speaker_lookup(lookup)
    assert response.ambiguous
    assert {c.name for c in response.candidates} == {"Ilsa Marovic", "Oskar Marovic"}
    assert response.speaker.name == "Ilsa Marovic"  # the best supported
    assert speaker_text(response).startswith("ambiguous: the name may denote 2 speakers")


def test_an_unknown_name_finds_nothing() -> None:
    assert _store().speaker_lookup("Petra Holm") is None
