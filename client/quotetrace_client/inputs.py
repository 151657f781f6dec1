"""What `quotetrace ingest` sends: articles read from files, folders and URLs.

The client stays light (standard library, grpcio, protobuf): it reads plain text
(.txt, .md) and sends it as article text, and JSONL records (.jsonl: one article per
line, "text" or "html" plus metadata keys, null = not stated) as one article each; it
sends an HTML page (.html/.htm file, or an http(s) URL it fetches) as the page itself
with content_type "text/html", and the server extracts the main text and metadata.
Every input that is not sent is an `Unsent` with a one-line reason that names it; the
inputs after it are still read.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotetrace.v1 import quotetrace_pb2 as pb

MANIFEST_NAME = "manifest.jsonl"
TEXT_SUFFIXES = (".txt", ".md", ".text")
JSONL_SUFFIX = ".jsonl"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML = "text/html"
PDF_REASON = "a PDF document (PDF is not read; extract its text first)"
FETCH_TIMEOUT_S = 30.0
MAX_FETCH_BYTES = 8 * 1024 * 1024

# Manifest keys sent with field presence: a missing key leaves the field unset (the
# server reads it from the text); `null` sends "" ("not stated": nothing is derived).
STATED_FIELDS = ("title", "outlet", "byline", "date")


@dataclass(frozen=True)
class Unsent:
    """An input that is not sent, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Outgoing:
    """An article to send, and the input it came from (for messages about it)."""

    source: str
    article: pb.Article


def is_url(argument: str) -> bool:
    return argument.lower().startswith(("http://", "https://"))


def article_message(
    text: str,
    name: str,
    manifest: dict[str, Any],
    content_type: str = "",
    source_path: str = "",
) -> pb.Article:
    """One article with what its manifest entry states, keeping "absent" and "null" apart.
    `source_path` (the file it was read from) identifies it when it has no URL."""
    message = pb.Article(
        text=text,
        source_name=name,
        url=str(manifest.get("url") or ""),
        content_type=content_type,
        source_path=source_path,
    )
    for key in STATED_FIELDS:
        if key in manifest:
            value = manifest[key]
            setattr(message, key, "" if value is None else str(value))
    if "wire_credits" in manifest:
        message.wire_credits.extend(str(c) for c in manifest["wire_credits"] or ())
        message.wire_credits_stated = True
    return message


def read_inputs(arguments: Iterable[str]) -> Iterator[Outgoing | Unsent]:
    """Articles from every argument: a file, a folder (recursively) or an http(s) URL."""
    manifests: dict[Path, dict[str, dict[str, Any]] | Unsent] = {}
    for argument in arguments:
        if is_url(argument):
            yield fetch(argument)
            continue
        path = Path(argument)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith(".")
            )
        elif path.is_file():
            files = [path]
        else:
            yield Unsent(argument, "no such file or directory")
            continue
        for file in files:
            folder = file.parent.resolve()
            if folder not in manifests:
                manifests[folder] = manifest_entries(folder / MANIFEST_NAME)
            manifest = manifests[folder]
            if isinstance(manifest, Unsent):
                yield Unsent(str(file), f"not sent: {manifest}")
                continue
            if file.suffix.lower() == JSONL_SUFFIX:
                yield from read_jsonl(file)
            else:
                yield read_file(file, manifest.get(file.name, {}))


def read_file(file: Path, manifest: dict[str, Any]) -> Outgoing | Unsent:
    name = file.name.lower()
    suffix = file.suffix.lower()
    if name.endswith(WARC_SUFFIXES):
        return Unsent(str(file), "skipped: WARC archives are read by `quotetrace-server index`")
    if suffix == ".pdf":
        return Unsent(str(file), PDF_REASON)
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        kind = f"a {file.suffix} file" if file.suffix else "a file without a suffix"
        readable = ".txt, .md, .html, .htm, .jsonl"
        return Unsent(str(file), f"skipped: {kind} is not read ({readable} are)")
    try:
        data = file.read_bytes()
    except OSError as error:
        return Unsent(str(file), error.strerror or str(error))
    problem = content_problem(data)
    # Text files are UTF-8; an HTML page may declare another charset in its <meta>.
    charset = declared_charset(data) if suffix in HTML_SUFFIXES else None
    if problem is None:
        try:
            text = data.decode(charset or "utf-8")
        except (UnicodeDecodeError, LookupError) as error:
            problem = undecodable(charset, error)
    if problem is not None:
        return Unsent(str(file), problem)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text reads it
    content_type = HTML if suffix in HTML_SUFFIXES else ""
    message = article_message(text, file.name, manifest, content_type, str(file.resolve()))
    return Outgoing(str(file), message)


def read_jsonl(file: Path) -> Iterator[Outgoing | Unsent]:
    """One article per line: {"text" or "html", and any of the manifest keys}; a line
    that cannot be read is named by file and line, and the lines after it still go."""
    try:
        data = file.read_bytes()
    except OSError as error:
        yield Unsent(str(file), error.strerror or str(error))
        return
    problem = content_problem(data)
    if problem is not None:
        yield Unsent(str(file), problem)
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        yield Unsent(str(file), f"not UTF-8 text ({error.reason} at byte {error.start})")
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield jsonl_record(f"{file}:{number}", f"{file.name}:{number}", line, file.resolve())


def jsonl_record(
    source: str, default_name: str, line: str, file: Path | None = None
) -> Outgoing | Unsent:
    """One record as an article. Without a URL, a record that names its "source_name"
    is identified as that source of `file`; one that names nothing, by its text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Unsent(source, f"invalid JSON ({error.msg})")
    if not isinstance(record, dict):
        return Unsent(source, 'each line must be an object with a "text" or an "html"')
    for key in (*STATED_FIELDS, "url", "source_name"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return Unsent(source, f'"{key}" must be a string or null')
    credits = record.get("wire_credits")
    if credits is not None and not (
        isinstance(credits, list) and all(isinstance(c, str) for c in credits)
    ):
        return Unsent(source, '"wire_credits" must be a list of strings or null')
    name = record.get("source_name") or default_name
    path = f"{file}#{record['source_name']}" if file and record.get("source_name") else ""
    if isinstance(record.get("html"), str) and record["html"].strip():
        return Outgoing(source, article_message(record["html"], name, record, HTML, path))
    if isinstance(record.get("text"), str) and record["text"].strip():
        return Outgoing(source, article_message(record["text"], name, record, "", path))
    return Unsent(source, 'no "text" or "html" (a non-empty string) in the record')


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> near its start, if any."""
    match = _META_CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else None


def undecodable(charset: str | None, error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        where = f"{error.reason} at byte {error.start}"
        return f"not {charset} text ({where})" if charset else f"not UTF-8 text ({where})"
    return f"unknown charset {charset!r}"


def content_problem(data: bytes) -> str | None:
    if not data.strip():
        return "empty file"
    if data.startswith(b"%PDF"):
        return PDF_REASON
    return None


def fetch(url: str) -> Outgoing | Unsent:
    """The page at `url`: HTML is sent for extraction by the server, plain text as text."""
    request = urllib.request.Request(url, headers={"User-Agent": "quotetrace"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            data = response.read(MAX_FETCH_BYTES + 1)
            media_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
            final_url = response.geturl() or url
    except urllib.error.HTTPError as error:
        return Unsent(url, f"HTTP {error.code} {error.reason}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Unsent(url, f"cannot fetch ({reason})")
    if len(data) > MAX_FETCH_BYTES:
        return Unsent(url, f"page larger than {MAX_FETCH_BYTES} bytes")
    if media_type not in (HTML, "application/xhtml+xml", "text/plain"):
        return Unsent(url, f"content type {media_type} is not read (HTML and plain text are)")
    problem = content_problem(data)
    if problem is not None:
        return Unsent(url, problem)
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError) as error:
        return Unsent(url, f"cannot decode the page as {charset} ({error})")
    content_type = "" if media_type == "text/plain" else HTML
    return Outgoing(url, article_message(text, final_url, {"url": final_url}, content_type))


def manifest_entries(path: Path) -> dict[str, dict[str, Any]] | Unsent:
    """Manifest entries by file name (none without a manifest), or why it cannot be read."""
    if not path.is_file():
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return Unsent(str(path), f"cannot read the manifest ({error})")
    entries: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                return Unsent(f"{path}:{number}", f"invalid JSON ({error.msg})")
            if not isinstance(entry, dict):
                return Unsent(f"{path}:{number}", 'each line must be an object with a "file"')
            entries[str(entry.get("file"))] = entry
    return entries
