"""The helper process that embeds a claim beside the word search (semantic.helper)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import numpy as np
import pytest

from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.semantic import cpu
from quotetrace_server.semantic.encoder import ModelFiles, SentenceEncoder
from quotetrace_server.semantic.helper import EmbedHelper, close_shared, shared_helper
from quotetrace_server.semantic.search import SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors
from quotetrace_server.verify.model import MatchSignal, Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier

from .factories import add_said

HARBOUR = "We will rebuild the old harbour wall before the winter storms arrive"
LIBRARY = "Every school library in the county gets new books before the autumn term"
REWORDED = "We are going to fix the old harbour wall ahead of the winter storms"
SPEAKER = "Odile Brannagh"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture()
def helper(encoder: SentenceEncoder) -> Iterator[EmbedHelper]:
    helper = EmbedHelper(encoder.files, relaunch_after=3600.0)
    assert helper.wait_ready(60.0)
    yield helper
    helper.close()


@pytest.fixture()
def store() -> Iterator[SqliteStore]:
    store = SqliteStore(":memory:")
    add_said(store, HARBOUR, SPEAKER)
    add_said(store, LIBRARY, "Kasimir Deluca")
    yield store
    store.close()


def _always() -> bool:
    return True


def _search(encoder: SentenceEncoder, helper: EmbedHelper, store: SqliteStore) -> SemanticSearch:
    search = SemanticSearch(
        WordingVectors(None, writable=True),
        lambda: encoder,
        core_spare=_always,
        helper=lambda files, threads: helper,
    )
    search.add_wordings(store.speech_wordings())
    return search


def _inline(encoder: SentenceEncoder, store: SqliteStore) -> SemanticSearch:
    search = SemanticSearch(WordingVectors(None, writable=True), lambda: encoder, embed_ahead=False)
    search.add_wordings(store.speech_wordings())
    return search


def test_the_helper_process_gives_the_vector_of_an_inline_embedding(
    helper: EmbedHelper, encoder: SentenceEncoder
) -> None:
    for text in (HARBOUR, REWORDED, "short one"):
        ticket = helper.submit(text)
        assert ticket is not None
        vector = helper.collect(ticket)
        assert vector is not None
        assert np.array_equal(vector, encoder.encode([text])[0])
    assert helper.counts.sent == helper.counts.received == 3


def test_a_helper_on_two_threads_gives_the_vector_of_one(encoder: SentenceEncoder) -> None:
    helper = EmbedHelper(encoder.files, threads=2)
    try:
        assert helper.wait_ready(60.0)
        ticket = helper.submit(REWORDED)
        assert ticket is not None
        vector = helper.collect(ticket)
        assert vector is not None
        assert np.allclose(vector, encoder.encode([REWORDED])[0], atol=1e-5)
    finally:
        helper.close()


def test_the_helper_takes_one_claim_at_a_time(helper: EmbedHelper) -> None:
    ticket = helper.submit(HARBOUR)
    assert ticket is not None
    assert helper.submit(LIBRARY) is None  # busy: the caller embeds it another way
    assert helper.collect(ticket) is not None
    assert helper.submit(LIBRARY) is not None


def test_a_stopped_claim_is_skipped_and_the_next_claim_gets_its_own_vector(
    helper: EmbedHelper, encoder: SentenceEncoder
) -> None:
    first = helper.submit(HARBOUR)
    assert first is not None
    helper.cancel(first)
    assert helper.collect(first) is None  # cancelled: nothing to collect
    second = helper.submit(LIBRARY)
    assert second is not None
    vector = helper.collect(second)
    assert vector is not None
    assert np.array_equal(vector, encoder.encode([LIBRARY])[0])
    assert helper.counts.stopped == 1


def test_a_claim_found_by_meaning_uses_the_vector_of_the_helper_process(
    helper: EmbedHelper, encoder: SentenceEncoder, store: SqliteStore
) -> None:
    search = _search(encoder, helper, store)
    claim = VerifyQuery(REWORDED, SPEAKER)
    found = Verifier(store, search).verify(claim)
    assert found.match_signal is MatchSignal.SEMANTIC
    counts = search.ahead_counts
    assert (counts.started, counts.in_process, counts.used, counts.stopped) == (1, 1, 1, 0)
    assert helper.counts.received == 1
    assert found == Verifier(store, _inline(encoder, store)).verify(claim)


def test_a_claim_found_by_its_words_sends_nothing_to_the_helper(
    helper: EmbedHelper, encoder: SentenceEncoder, store: SqliteStore
) -> None:
    search = _search(encoder, helper, store)
    assert Verifier(store, search).verify(VerifyQuery(HARBOUR)).verdict is Verdict.VERIFIED
    assert helper.counts.sent == 0
    assert search.ahead_counts.started == 0


def test_a_dead_helper_process_falls_back_to_embedding_in_this_process(
    helper: EmbedHelper, encoder: SentenceEncoder, store: SqliteStore
) -> None:
    assert helper.pid is not None
    os.kill(helper.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while helper.ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    search = _search(encoder, helper, store)
    claim = VerifyQuery(REWORDED, SPEAKER)
    found = Verifier(store, search).verify(claim)
    assert found.match_signal is MatchSignal.SEMANTIC
    assert search.ahead_counts.in_process == 0
    assert found == Verifier(store, _inline(encoder, store)).verify(claim)


def test_a_helper_that_stops_answering_is_given_up_after_its_timeout(
    encoder: SentenceEncoder,
) -> None:
    helper = EmbedHelper(encoder.files, answer_timeout=0.3, relaunch_after=3600.0)
    try:
        assert helper.wait_ready(60.0)
        assert helper.pid is not None
        pid = helper.pid
        os.kill(pid, signal.SIGSTOP)
        ticket = helper.submit(HARBOUR)
        assert ticket is not None
        started = time.monotonic()
        assert helper.collect(ticket) is None
        assert time.monotonic() - started < 5
        assert not helper.ready() and helper.pid is None  # killed, not started again yet
    finally:
        helper.close()


def test_closing_the_helper_ends_its_process(encoder: SentenceEncoder) -> None:
    helper = EmbedHelper(encoder.files)
    assert helper.wait_ready(60.0)
    pid = helper.pid
    assert pid is not None
    helper.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_helper_process_time_counts_as_this_process_own_work(helper: EmbedHelper) -> None:
    # Loading the model took the helper CPU time: it is this process's, not another's
    # taking the spare core (semantic.cpu).
    assert helper.pid is not None
    cpu.forget_helper(helper.pid)
    without = cpu.own_cpu_seconds()
    cpu.count_helper(helper.pid)
    assert cpu.own_cpu_seconds() - without > 0.05


def test_model_files_name_the_same_space_in_the_helper(encoder: SentenceEncoder) -> None:
    files = ModelFiles(encoder.files.model, encoder.files.tokenizer, None, "a-space-of-its-own")
    helper = EmbedHelper(files)
    try:
        assert helper.wait_ready(60.0)  # it answered ready with that space
    finally:
        helper.close()


def test_a_forked_child_does_not_keep_the_parents_helper(encoder: SentenceEncoder) -> None:
    helper = shared_helper(encoder.files)
    assert helper.wait_ready(60.0)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's helper is not its own
        os.close(read)
        os.write(write, b"1" if shared_helper(encoder.files) is not helper else b"0")
        os._exit(0)
    os.close(write)
    try:
        assert os.read(read, 1) == b"1"
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    ticket = helper.submit(LIBRARY)  # the parent's helper still answers
    assert ticket is not None and helper.collect(ticket) is not None
    close_shared()
    assert helper.pid is None
