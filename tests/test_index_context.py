"""Issue 15, B2: the context stored with each quotation is bounded, so the index of an
article with many quotations and no sentence breaks grows linearly, not quadratically."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.index.context import CONTEXT_BOUND, ELLIPSIS, bounded_context
from quotetrace_server.index.sqlite_store import SqliteStore, context_span
from quotetrace_server.ingest.model import Article, ArticleMeta


def _pattern_article(n: int) -> tuple[Article, ArticleQuotes]:
    """`'"a" ' * n` as the attributor sees it: n quotations, each framed by the whole text."""
    text = '"a" ' * n
    quotes = tuple(
        AttributedQuote(
            text='"a"',
            start=4 * i,
            end=4 * i + 3,
            kind=QuoteKind.DIRECT,
            speaker=None,
            speaker_kind=None,
            speaker_aliases=(),
            speaker_mention=None,
            cue=None,
            sieve=None,
            confidence=0.0,
            context=text.strip(),
        )
        for i in range(n)
    )
    return Article(text, ArticleMeta()), ArticleQuotes(quotes, ("tokenize",))


def _index_bytes(tmp_path: Path, n: int) -> tuple[int, int]:
    db = tmp_path / f"{n}.db"
    store = SqliteStore(db)
    store.add_article(*_pattern_article(n))
    store.close()
    with sqlite3.connect(db) as conn:
        longest = int(conn.execute("SELECT max(length(context)) FROM quotes").fetchone()[0])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = int(pages) * int(conn.execute("PRAGMA page_size").fetchone()[0])
    return longest, size


def test_stored_context_is_bounded_and_the_index_grows_linearly(tmp_path: Path) -> None:
    longest_small, small = _index_bytes(tmp_path, 500)
    longest_large, large = _index_bytes(tmp_path, 2_000)
    assert longest_small <= CONTEXT_BOUND and longest_large <= CONTEXT_BOUND
    # Four times the quotations: about 3.3 times the bytes (whole frames: 7.5).
    assert large / small < 5.5, (small, large)


def test_a_short_context_is_kept_as_it_is() -> None:
    text = 'Novak said: "We will win." Then she left.'
    context = 'Novak said: "We will win."'
    assert bounded_context(text, 11, 26, context) == context


def test_a_long_context_is_a_window_around_the_quotation() -> None:
    before, after = "word " * 1_000, " more" * 1_000
    text = f'{before}"We will win this fight," {after}'
    start = len(before)
    end = start + len('"We will win this fight,"')
    shown = bounded_context(text, start, end, text)
    assert len(shown) <= CONTEXT_BOUND
    assert '"We will win this fight,"' in shown
    assert shown.startswith(f"{ELLIPSIS} word") and shown.endswith(f"more {ELLIPSIS}")


def test_the_window_stops_at_a_paragraph_break_and_cuts_a_huge_quotation() -> None:
    quote = '"' + "x " * 5_000 + '"'
    text = f"Headline\nNovak said {quote} on Monday.\nNext paragraph " + "y " * 1_000
    start = text.index('"')
    shown = bounded_context(text, start, start + len(quote), text)
    assert len(shown) <= CONTEXT_BOUND
    assert shown.startswith('Novak said "x x') and shown.endswith("on Monday.")
    assert ELLIPSIS in shown


def _said(text: str, quote: str, context: str) -> ArticleQuotes:
    start = text.index(quote)
    made = AttributedQuote(
        text=quote,
        start=start,
        end=start + len(quote),
        kind=QuoteKind.DIRECT,
        speaker="Ana Novak",
        speaker_kind=None,
        speaker_aliases=("Ana Novak",),
        speaker_mention="Novak",
        cue="said",
        sieve="test",
        confidence=0.9,
        context=context,
    )
    return ArticleQuotes((made,), ("tokenize",))


def _stored_and_read(store: SqliteStore, db: Path) -> tuple[list[tuple[str, object]], list[str]]:
    with sqlite3.connect(db) as conn:
        stored = [
            (str(r[0]), r[1]) for r in conn.execute("SELECT context, context_start FROM quotes")
        ]
    quotes, _ = store.list_quotes()
    read = [d.context for q in quotes for d in store.utterance_details(q.utterance_id or "")]
    return stored, read


def test_a_context_that_is_a_piece_of_the_article_is_stored_as_its_span(tmp_path: Path) -> None:
    """The article text is stored anyway: a context cut from it is kept as offsets, read
    back as the same text; a context that is not a piece of it (a window with ellipses)
    is kept as text."""
    text = "It rained. Novak said: “We will win.” Then she left."
    context = "Novak said: “We will win.”"
    db = tmp_path / "spans.db"
    store = SqliteStore(db)
    store.add_article(Article(text, ArticleMeta()), _said(text, "We will win.", context))
    other = "Novak said: “We shall see.” Then she left for the harbour."
    store.add_article(Article(other, ArticleMeta()), _said(other, "We shall see.", "… said: “We"))
    stored, read = _stored_and_read(store, db)
    assert stored == [("", text.index(context)), ("… said: “We", None)]
    assert read == [context, "… said: “We"]


def test_context_span_needs_the_quotation_inside_it() -> None:
    text = "Novak said: “Yes.” Later Novak said: “Yes.”"
    second = text.rindex("Yes.")
    assert context_span(text, second, second + 4, "Novak said: “Yes.”") == (25, 43)
    assert context_span(text, second, second + 4, "Later") is None


def test_an_index_from_before_context_spans_keeps_its_stored_contexts(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    text = "It rained. Novak said: “We will win.” Then she left."
    context = "Novak said: “We will win.”"
    store = SqliteStore(db)
    store.add_article(Article(text, ArticleMeta()), _said(text, "We will win.", context))
    store.close()
    with sqlite3.connect(db) as conn:  # the layout before spans: every context as text
        conn.execute("UPDATE quotes SET context = ?", (context,))
        conn.execute("ALTER TABLE quotes DROP COLUMN context_start")
        conn.execute("ALTER TABLE quotes DROP COLUMN context_end")
    store = SqliteStore(db)
    later = "Novak said: “We shall see.” Then she left."
    store.add_article(Article(later, ArticleMeta()), _said(later, "We shall see.", later[:27]))
    stored, read = _stored_and_read(store, db)
    assert stored == [(context, None), ("", 0)]
    assert read == [context, later[:27]]


def test_an_article_with_a_nul_character_keeps_its_contexts_as_text(tmp_path: Path) -> None:
    text = "It rained.\x00 Novak said: “We will win.” Then she left."
    context = "Novak said: “We will win.”"
    db = tmp_path / "nul.db"
    store = SqliteStore(db)
    store.add_article(Article(text, ArticleMeta()), _said(text, "We will win.", context))
    stored, read = _stored_and_read(store, db)
    assert stored == [(context, None)]
    assert read == [context]
