"""JSONL records: one article per line.

Each line is an object with the article's "text" (plain text) or "html" (a page, read by
ingest.html), and any of "title", "outlet", "wire_credits", "byline", "date", "url",
"source_name". Metadata follows the manifest rule: a key present wins (null = "not
stated"), a missing key is read from the text. A record is identified by its "url",
else by its "source_name" within this file, else by its text. A line that cannot be
read is a Rejected naming the file and line; the lines after it are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from quotetrace_server.ingest.html import NoArticleText, extract_html
from quotetrace_server.ingest.metadata import derive_metadata
from quotetrace_server.ingest.model import Article
from quotetrace_server.ingest.reader import (
    MANIFEST_FIELDS,
    IngestError,
    Rejected,
    apply_manifest,
    decoded_utf8,
    read_bytes_checked,
    source_path,
)


def read_jsonl(file: Path) -> Iterator[Article | Rejected]:
    """The articles of a JSONL file; IngestError when the file itself cannot be read."""
    text = decoded_utf8(file, read_bytes_checked(file))
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield record_article(file, number, line)
        except IngestError as error:
            yield Rejected(f"{file}:{number}", str(error))


def record_article(file: Path, number: int, line: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise IngestError(f"invalid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise IngestError('each line must be an object with a "text" or an "html"')
    check_types(record)
    name = record.get("source_name") or f"{file.name}:{number}"
    if isinstance(record.get("html"), str):
        try:
            page = extract_html(record["html"], record.get("url") or None)
        except NoArticleText as error:
            raise IngestError(str(error)) from None
        body, meta = page.text, page.meta
    elif isinstance(record.get("text"), str) and record["text"].strip():
        body, meta = record["text"], derive_metadata(record["text"])
    else:
        raise IngestError('no "text" or "html" (a non-empty string) in the record')
    stated = {key: record[key] for key in MANIFEST_FIELDS if key in record}
    # Without a URL, a record that names its source is that source of this file;
    # one that names nothing is identified by its text.
    path = f"{source_path(file)}#{record['source_name']}" if record.get("source_name") else None
    meta = replace(meta, source_name=name, source_path=path)
    meta = apply_manifest(meta, {"file": name, **stated})
    return Article(text=body, meta=meta)


def check_types(record: dict[str, Any]) -> None:
    for key in (*MANIFEST_FIELDS, "source_name"):
        value = record.get(key)
        if key == "wire_credits":
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                raise IngestError('"wire_credits" must be a list of strings or null')
        elif value is not None and not isinstance(value, str):
            raise IngestError(f'"{key}" must be a string or null')
