"""Operator corrections of the speaker list: merge, split, rename — recorded, replayed on
re-ingest, and kept when the index is rebuilt from scratch (invented names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SpeakerEditError, SqliteStore
from tests.factories import StoreFactory, add_said

ARTICLES = [
    ("the ferry runs again on Monday", "Ilsa Marovic"),
    ("the pier was rebuilt in a year", "Ilsa Kernholt"),
    ("the harbour fees stay as they are", "Tomas Velland"),
    ("the tide tables were wrong", "T. Velland"),
]


def _speaker_of(store: SqlStore, quote: str) -> str | None:
    return next(q.speaker for q in store.list_quotes(limit=100)[0] if q.text == quote)


def _build(path: Path, articles: list[tuple[str, str]] = ARTICLES) -> SqlStore:
    store = SqliteStore(path)
    for quote, speaker in articles:
        add_said(store, quote, speaker)
    return store


def test_operator_merge_split_and_rename_are_kept_across_a_rebuild(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    store = _build(db)
    assert store.stats().speaker_count == 2 + 1  # the two Velland forms are one already
    merged = store.merge_speakers("Ilsa Marovic", "Ilsa Kernholt")
    assert merged.quote_count == 2
    velland, t_velland = store.split_speaker("Tomas Velland", "T. Velland")
    assert velland.quote_count == 1 and t_velland.quote_count == 1
    store.rename_speaker("Ilsa Marovic", "Ilsa Kernholt (harbour mayor)")
    edits = store.speaker_edits()
    assert [op for op, _, _ in edits] == ["merge", "split", "rename"]
    store.close()

    # Re-ingest into the same index: nothing changes.
    again = _build(db)
    assert again.stats().speaker_count == 3
    again.close()

    # Rebuild from scratch: the corrections come back from the side file.
    db.unlink()
    rebuilt = _build(db)
    assert _speaker_of(rebuilt, "the ferry runs again on Monday") == (
        "Ilsa Kernholt (harbour mayor)"
    )
    assert _speaker_of(rebuilt, "the pier was rebuilt in a year") == (
        "Ilsa Kernholt (harbour mayor)"
    )
    assert _speaker_of(rebuilt, "the tide tables were wrong") == "T. Velland"
    assert _speaker_of(rebuilt, "the harbour fees stay as they are") == "Tomas Velland"
    assert rebuilt.stats().speaker_count == 3


def test_a_split_form_is_not_merged_back_by_a_later_article(tmp_path: Path) -> None:
    store = _build(tmp_path / "q.db")
    store.split_speaker("Tomas Velland", "T. Velland")
    add_said(store, "the crane is finally fixed", "T. Velland")
    assert _speaker_of(store, "the crane is finally fixed") == "T. Velland"
    assert _speaker_of(store, "the harbour fees stay as they are") == "Tomas Velland"


def test_ambiguous_or_unknown_names_are_refused(new_store: StoreFactory) -> None:
    store = new_store()
    for quote, speaker in [
        ("the ferry runs again on Monday", "Ilsa Marovic"),
        ("the bank will lend to the port", "Ivo Marovic"),
    ]:
        add_said(store, quote, speaker)
    with pytest.raises(SpeakerEditError, match="ambiguous"):
        store.merge_speakers("Marovic", "Ilsa Marovic")
    with pytest.raises(SpeakerEditError, match="no speaker"):
        store.rename_speaker("Petra Holm", "P. Holm")
    ivo = store.find_speaker("Ivo Marovic")
    assert ivo is not None
    merged = store.merge_speakers("Ilsa Marovic", ivo.speaker_id)  # by id: explicit
    assert merged.quote_count == 2
