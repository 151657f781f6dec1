"""HTML pages: the text a reader sees and the metadata the page states.

The main text comes from trafilatura (boilerplate, navigation and markup removed,
character references such as `&ldquo;` decoded), so attribute values like
`class="byline"` are never text and every quotation offset refers to the extracted
text. Title, outlet, byline and date come from the page's own metadata (trafilatura;
the date from htmldate, original publication date only); a field the page does not
state stays None, and then the extracted text's header and credit lines are read as
for any plain-text article. Each value is marked with where it came from
(ArticleMeta.derived): the page's head, htmldate, or the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from quotetrace_server.ingest.metadata import derive_metadata, normalized_date
from quotetrace_server.ingest.model import ArticleMeta, Origin

HTML_CONTENT_TYPE = "text/html"


class NoArticleText(ValueError):
    """The page holds no main text to ingest."""


@dataclass(frozen=True)
class ExtractedPage:
    text: str
    meta: ArticleMeta


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """The page's main text and the metadata it states; NoArticleText when there is none."""
    import trafilatura  # imported here: only HTML ingest needs it

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise NoArticleText("no article text found in the HTML page")
    page = trafilatura.extract_metadata(html, default_url=url)
    from_text = derive_metadata(text)
    origins = from_text.derived_from()
    title = _stated(page.title if page else None)
    outlet = _site_name(page, url)
    byline = _stated(page.author if page else None)
    page_url = None if url else _stated(page.url if page else None)
    for name, value in (("title", title), ("outlet", outlet), ("byline", byline)):
        if value is not None:
            origins[name] = Origin.HTML_METADATA
    date = _page_date(html, url)
    if date is not None:
        origins["date"] = Origin.HTMLDATE
    if page_url is not None:
        origins["url"] = Origin.HTML_METADATA
    meta = replace(
        from_text,
        title=title or from_text.title,
        outlet=outlet or from_text.outlet,
        byline=byline or from_text.byline,
        date=date or from_text.date,
        url=url or page_url,
        derived=tuple(origins.items()),
    ).checked()
    return ExtractedPage(text=text, meta=meta)


def _site_name(page: Any, url: str | None) -> str | None:
    """The site name the page states; not the host name trafilatura falls back to."""
    name = _stated(page.sitename if page else None)
    if name is None:
        return None
    hosts = {urlsplit(u).hostname or "" for u in (url, page.url) if u}
    if name.lower() in hosts | {h.removeprefix("www.") for h in hosts}:
        return None
    return name


def _stated(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _page_date(html: str, url: str | None) -> str | None:
    """The publication date the page states (its markup or URL), as YYYY-MM-DD."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError):
        return None
    if not isinstance(found, str):
        return None
    try:
        return normalized_date(found)
    except ValueError:
        return None
