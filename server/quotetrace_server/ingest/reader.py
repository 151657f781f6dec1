"""Read articles from files and directories, with metadata from a manifest or the text.

A corpus directory may hold `manifest.jsonl`, one JSON object per line:
{"file", "title", "outlet", "wire_credits", "byline", "date", "url"}. A key that
is present wins (null included: it says "not stated"); a missing key is derived
from the text by `derive_metadata` (and marked as derived). A file's absolute path is
its article's identity when no URL is given (ingest.model.Article.identity).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quotetrace_server.ingest.metadata import derive_metadata, normalized_date
from quotetrace_server.ingest.model import Article, ArticleMeta

MANIFEST_NAME = "manifest.jsonl"
ARTICLE_SUFFIXES = (".txt",)
MANIFEST_FIELDS = ("title", "outlet", "wire_credits", "byline", "date", "url")


class IngestError(ValueError):
    """A corpus file or manifest that cannot be read; the message names the file."""


# `read_inputs` reads these; any other file named or found is reported, not read.
TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl",)
PDF_REASON = "a PDF document (PDF is not read; extract its text first)"


@dataclass(frozen=True)
class Rejected:
    """An input that was not ingested, and why (one line that names it)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def input_kind(path: Path) -> str | None:
    """ "text", "html" or "warc" by the file name; None for a type that is not read."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    if path.suffix.lower() in HTML_SUFFIXES:
        return "html"
    if path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    return None


def read_inputs(paths: Iterable[Path]) -> Iterator[Article | Rejected]:
    """Every input named or found (recursively) in `paths`, each an Article or a Rejected.

    Plain text (.txt, .md), HTML pages (.html, .htm: main text and metadata by
    ingest.html), WARC archives (.warc, .warc.gz: every HTML response record, by
    ingest.warc) and JSONL records (.jsonl: one article per line, by ingest.jsonl).
    A file that cannot be read, or whose type is not read, is a Rejected
    naming it, and the inputs after it are still read. Manifest metadata applies to
    text and HTML files as in `read_articles`.
    """
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith(".")
            )
        elif path.is_file():
            files = [path]
        else:
            yield Rejected(str(path), "no such file or directory")
            continue
        for file in files:
            kind = input_kind(file)
            if kind is None:
                yield Rejected(str(file), _unread_reason(file))
                continue
            try:
                if kind == "warc":
                    from quotetrace_server.ingest.warc import read_warc

                    yield from read_warc(file)
                    continue
                if kind == "jsonl":
                    from quotetrace_server.ingest.jsonl import read_jsonl

                    yield from read_jsonl(file)
                    continue
                folder = file.parent.resolve()
                if folder not in manifests:
                    manifests[folder] = read_manifest(folder / MANIFEST_NAME)
                entry = manifests[folder].get(file.name)
                if kind == "html":
                    yield read_html_article(file, entry)
                else:
                    yield read_article(file, entry)
            except IngestError as error:
                yield Rejected(str(file), str(error).removeprefix(f"{file}: "))


def _unread_reason(file: Path) -> str:
    if file.suffix.lower() == ".pdf":
        return PDF_REASON
    kind = f"a {file.suffix} file" if file.suffix else "a file without a suffix"
    return f"skipped: {kind} is not read (.txt, .md, .html, .htm, .warc, .jsonl are)"


def read_bytes_checked(file: Path) -> bytes:
    """The file's bytes; IngestError for an unreadable, empty or PDF file."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise IngestError(f"{file}: {exc.strerror}") from exc
    if not data.strip():
        raise IngestError(f"{file}: empty file")
    if data.startswith(b"%PDF"):
        raise IngestError(f"{file}: {PDF_REASON}")
    return data


def decoded_utf8(file: Path, data: bytes) -> str:
    try:  # newlines as Path.read_text reads them, so the same file keeps the same id
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> near its start, if any."""
    match = _META_CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else None


def read_html_article(file: Path, manifest_entry: Mapping[str, Any] | None = None) -> Article:
    """An HTML page's main text and metadata; the manifest wins where it states a key."""
    from quotetrace_server.ingest.html import NoArticleText, extract_html

    data = read_bytes_checked(file)
    charset = declared_charset(data)
    if charset is None or charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        html = decoded_utf8(file, data)
    else:  # newlines need no care: extraction rebuilds the text
        try:
            html = data.decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise IngestError(f"{file}: cannot decode as its declared {charset} ({exc})") from None
    url = str(manifest_entry.get("url") or "") if manifest_entry else ""
    try:
        page = extract_html(html, url or None)
    except NoArticleText as error:
        raise IngestError(f"{file}: {error}") from None
    meta = replace(page.meta, source_name=file.name, source_path=source_path(file))
    if manifest_entry is not None:
        meta = apply_manifest(meta, manifest_entry)
    return Article(text=page.text, meta=meta)


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
    text = decoded_utf8(file, read_bytes_checked(file))
    meta = replace(derive_metadata(text, source_name=file.name), source_path=source_path(file))
    if manifest_entry is not None:
        meta = apply_manifest(meta, manifest_entry)
    return Article(text=text, meta=meta)


def source_path(file: Path) -> str:
    """The file's identity when the article has no URL: its absolute path."""
    return str(file.resolve())


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
    return replace(meta, **stated).stated(stated)
