"""WARC archives: every HTML response record is an article.

Each record with WARC-Type "response", an HTTP status 2xx and an HTML content type is
read by ingest.html; its WARC-Target-URI is the article's URL and its source name, and
the capture date (WARC-Date) is its date when the page states none. Records that are
not HTML responses (requests, metadata, images, redirects) are passed over. A record
whose page has no main text, or that cannot be decoded, is a Rejected naming the
archive and the URL; the records after it are still read.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from quotetrace_server.ingest.html import NoArticleText, extract_html
from quotetrace_server.ingest.metadata import normalized_date
from quotetrace_server.ingest.model import Article, Origin
from quotetrace_server.ingest.reader import IngestError, Rejected

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


def read_warc(file: Path) -> Iterator[Article | Rejected]:
    """The archive's HTML pages as articles; IngestError when it is not a WARC file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_warc_start(file)
    try:
        with file.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                content_type = record.http_headers.get_header("Content-Type") or ""
                if not status.startswith("2") or "html" not in content_type.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                captured = record.rec_headers.get_header("WARC-Date") or ""
                body = record.content_stream().read()
                yield _article(file, url, captured, body, content_type)
    except ArchiveLoadFailed as error:
        raise IngestError(f"{file}: not a WARC archive ({error})") from None
    except OSError as error:
        raise IngestError(f"{file}: {error}") from None


def _check_warc_start(file: Path) -> None:
    """IngestError unless the (possibly gzipped) file opens with a WARC record header."""
    try:
        opener = gzip.open if file.name.lower().endswith(".gz") else open
        with opener(file, "rb") as stream:
            start = stream.read(5)
    except (OSError, EOFError) as error:
        raise IngestError(f"{file}: not a WARC archive ({error})") from None
    if start != b"WARC/":
        raise IngestError(f"{file}: not a WARC archive (no WARC/1.x record header at its start)")


def _article(
    file: Path, url: str, captured: str, body: bytes, content_type: str
) -> Article | Rejected:
    source = f"{file} record {url or '(no URL)'}"
    match = _CHARSET.search(content_type)
    try:
        html = body.decode(match.group(1) if match else "utf-8")
    except (UnicodeDecodeError, LookupError) as error:
        return Rejected(source, f"cannot decode the page ({error})")
    try:
        page = extract_html(html, url or None)
    except NoArticleText as error:
        return Rejected(source, str(error))
    meta = replace(page.meta, url=url or None, source_name=url or file.name)
    meta = meta.marked(Origin.WARC_RECORD, ["url"])
    if meta.date is None and captured:
        with contextlib.suppress(ValueError):  # an unreadable capture date: no date
            meta = replace(meta, date=normalized_date(captured))
        meta = meta.marked(Origin.WARC_RECORD, ["date"])
    return Article(text=page.text, meta=meta)
