"""Document frequencies after a bulk load that leaves single-quotation terms out of
term_df: the candidate search must still see every term's exact count, after the load
and after articles are added and deleted on top of it."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.normalize import words
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.dialect import Dialect
from quotetrace_server.index.sql.records import quote_norm
from quotetrace_server.index.sql.terms import query_terms
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from tests.factories import said_quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]


def _true_df(store: SqliteStore) -> Counter[str]:
    """Each term's document frequency, counted here from the stored speech quotations."""
    df: Counter[str] = Counter()
    with store._reading() as conn:
        for (norm,) in conn.execute(
            f"SELECT {quote_norm(Dialect())} FROM quotes q JOIN articles a ON a.id = q.article"
            " WHERE q.kind != ?",
            (QuoteKind.TERM.value,),
        ):
            df.update(query_terms(norm, lemma_key(words(norm))))
    return df


def _seen_df(store: SqliteStore, terms: list[str]) -> dict[str, int]:
    with store._reading() as conn:
        counted, _ = store._term_counts(conn, terms)
        return {term: df for df, term in counted}


def test_bulk_load_leaves_single_quotation_terms_out_yet_search_counts_every_term() -> None:
    store = SqliteStore(":memory:")
    store.bulk_add(SyntheticCorpus(SynthConfig(quotes=1500, seed=5)).articles())
    true = _true_df(store)
    with store._reading() as conn:
        (stored,) = conn.execute("SELECT count(*) FROM term_df").fetchone()
    assert stored == sum(1 for n in true.values() if n > 1) < len(true)
    probe = [*sorted(true), "zzqxv", "zzqxv_the"]  # and terms no quotation holds
    assert _seen_df(store, probe) == dict(true)


def test_counts_stay_exact_when_articles_are_added_and_deleted_after_a_bulk_load() -> None:
    corpus = SyntheticCorpus(SynthConfig(quotes=900, seed=11))
    items = list(corpus.articles())
    store = SqliteStore(":memory:")
    store.bulk_add(items[:-20])
    # Reprints in the synthetic corpus share terms with what the bulk load wrote.
    for article, quotes in items[-20:]:
        store.add_article(article, quotes)
    deleted = store.delete_article(items[3][0].article_id)
    assert deleted is not None
    true = _true_df(store)
    assert _seen_df(store, sorted(true)) == dict(true)


def _stored_df(store: SqliteStore) -> dict[str, int]:
    with store._reading() as conn:
        return {str(t): int(n) for t, n in conn.execute("SELECT term, df FROM term_df")}


def _accented_articles() -> list[tuple[Article, ArticleQuotes]]:
    """Quotations whose words the postings' tokenizer folds (accents, capitals after
    folding, non-Latin scripts) beside plain ones that share the folded spellings."""
    said = [
        "the café on the pier opens early",
        "the cafe on the pier opens early",
        "a naïve plan for the café",
        "naive plans fail at the pier",
        "Ærø ferries sail to Zürich",
        "the zurich line and the aero line",
        "東京 trains run on time",
        "東京 trains are full",
        "straße and strasse are one word",
        "the cafe on the pier opens early",
    ]
    items = []
    for number, quote in enumerate(said):
        body = f'Mira Olsen said "{quote}" on day {number}. '
        start = len('Mira Olsen said "')
        made = said_quote(quote, "Mira Olsen", start, body, (), EntityKind.PERSON)
        meta = ArticleMeta(url=f"https://example.test/fold/{number}")
        items.append((Article(body, meta), ArticleQuotes((made,), ("tokenize",))))
    return items


def test_bulk_term_df_counts_folded_words_as_written_not_as_the_postings_fold_them() -> None:
    # term_df of a bulk load into an empty index comes from the postings' own counts;
    # the postings fold 'café' into 'cafe': the stored counts must still be per term.
    items = _accented_articles() + list(SyntheticCorpus(SynthConfig(quotes=300, seed=2)).articles())
    store = SqliteStore(":memory:")
    store.bulk_add(items)
    true = _true_df(store)
    assert {"café", "cafe", "naïve", "naive", "東京"} <= set(true)
    assert _stored_df(store) == {t: n for t, n in true.items() if n > 1}


def test_bulk_term_df_of_plain_words_is_the_postings_count() -> None:
    store = SqliteStore(":memory:")
    store.bulk_add(SyntheticCorpus(SynthConfig(quotes=600, seed=9)).articles())
    true = _true_df(store)
    assert _stored_df(store) == {t: n for t, n in true.items() if n > 1}
