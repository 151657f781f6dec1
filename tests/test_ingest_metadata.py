"""Metadata is read only from what an article states; nothing is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace_server.ingest.metadata import derive_metadata
from quotetrace_server.ingest.reader import IngestError, read_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MANIFEST = {
    e["file"]: e
    for e in map(json.loads, (SEEDS / "manifest.jsonl").read_text(encoding="utf-8").splitlines())
}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_derived_metadata_matches_what_each_seed_states(name: str) -> None:
    meta = derive_metadata((SEEDS / name).read_text(encoding="utf-8"))
    stated = MANIFEST[name]
    assert meta.title == stated["title"]
    assert meta.outlet == stated["outlet"]
    assert list(meta.wire_credits) == stated["wire_credits"]
    assert meta.byline == stated["byline"]
    assert meta.date == stated["date"]


def test_agency_named_as_a_source_in_the_body_is_not_a_wire_credit() -> None:
    text = (SEEDS / "000_9ee7ddbbf47ce182.txt").read_text(encoding="utf-8")
    body_only = text.rsplit("\n", 1)[0]  # drop the closing "AFP & Reuters" credit line
    assert "told AFP" in body_only
    assert derive_metadata(body_only).wire_credits == ()


def test_manifest_value_wins_and_missing_keys_are_derived(tmp_path: Path) -> None:
    source = SEEDS / "001_2a18783046106177.txt"
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    entry = {"file": source.name, "outlet": None, "url": "https://example.org/a"}
    (tmp_path / "manifest.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    [article] = read_articles([tmp_path])
    assert article.meta.outlet is None  # the manifest says: not stated
    assert article.meta.url == "https://example.org/a"
    assert article.meta.date == "2023-09-13"  # not in the manifest: derived from the text
    assert article.meta.source_name == source.name


def test_invalid_manifest_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text('{"file": "a.txt"}\n{oops\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"manifest.jsonl:2: invalid JSON"):
        list(read_articles([tmp_path]))


def test_file_that_is_not_utf8_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(IngestError, match=r"latin1\.txt: not UTF-8"):
        list(read_articles([bad]))


def test_missing_path_is_refused() -> None:
    with pytest.raises(IngestError, match="no such file"):
        list(read_articles([SEEDS / "nope.txt"]))
