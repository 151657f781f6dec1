"""Read articles from files and directories, with metadata from a manifest or the text.

A corpus directory may hold `manifest.jsonl`, one JSON object per line:
{"file", "title", "outlet", "wire_credits", "byline", "date", "url"}. A key that
is present wins (null included: it says "not stated"); a missing key is derived
from the text by `derive_metadata`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from quotetrace_server.ingest.metadata import derive_metadata, normalized_date
from quotetrace_server.ingest.model import Article, ArticleMeta

MANIFEST_NAME = "manifest.jsonl"
ARTICLE_SUFFIXES = (".txt",)
MANIFEST_FIELDS = ("title", "outlet", "wire_credits", "byline", "date", "url")


class IngestError(ValueError):
    """A corpus file or manifest that cannot be read; the message names the file."""


def article_files(paths: Iterable[Path]) -> list[Path]:
    """Every article file named or contained (recursively) in `paths`, sorted per directory."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in ARTICLE_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise IngestError(f"{path}: no such file or directory")
    return files


def read_articles(paths: Iterable[Path]) -> Iterator[Article]:
    """Articles from files and directories, each with its manifest or derived metadata."""
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    for file in article_files(paths):
        folder = file.parent.resolve()
        if folder not in manifests:
            manifests[folder] = read_manifest(folder / MANIFEST_NAME)
        yield read_article(file, manifests[folder].get(file.name))


def read_article(file: Path, manifest_entry: Mapping[str, Any] | None = None) -> Article:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise IngestError(f"{file}: {exc.strerror}") from exc
    meta = derive_metadata(text, source_name=file.name)
    if manifest_entry is not None:
        meta = apply_manifest(meta, manifest_entry)
    return Article(text=text, meta=meta)


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Manifest entries by file name; an absent manifest is an empty one."""
    if not path.is_file():
        return {}
    entries: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise IngestError(f'{path}:{number}: each line must be an object with a "file"')
        entries[entry["file"]] = entry
    return entries


def apply_manifest(meta: ArticleMeta, entry: Mapping[str, Any]) -> ArticleMeta:
    """`meta` with every field the manifest entry states replaced by the manifest's value."""
    stated = {key: entry[key] for key in MANIFEST_FIELDS if key in entry}
    if "wire_credits" in stated:
        stated["wire_credits"] = tuple(stated["wire_credits"] or ())
    if stated.get("date"):  # stored as YYYY-MM-DD, so the date filters can compare it
        try:
            stated["date"] = normalized_date(str(stated["date"]))
        except ValueError as error:
            raise IngestError(f"manifest entry for {entry.get('file')}: date {error}") from None
    return replace(meta, **stated)
