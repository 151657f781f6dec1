"""Issue 15, B3/B4: an article's NLP has a size and time budget, runs outside the write
lock, and stops when the server does: stanza is handed bounded pieces, a run too long
to be a word is not parsed, an article over its time budget is refused with the reason."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from quotetrace_server.engine.engine import Engine
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.nlp.model import ParsedText
from quotetrace_server.nlp.pipeline import (
    MAX_PIECE_CHARS,
    NlpBudgetExceeded,
    NlpPipeline,
    NlpStopped,
    pieces,
)
from tests.factories import engine_over_nlp

PARAGRAPH = (
    "“We will win this fight,” Ana Novak said on Monday. The minister added: "
    "“There is no workaround for this.”\n\n"
)


@pytest.fixture(scope="module")
def nlp(models_dir: str) -> NlpPipeline:
    return NlpPipeline.shared(models_dir)


def test_pieces_cover_the_text_in_bounded_parts_cut_at_paragraphs() -> None:
    text = PARAGRAPH * 200 + "x" * 5_000 + " " + "word " * 3_000
    spans = list(pieces(text))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(end - start <= MAX_PIECE_CHARS for start, end, opaque in spans if not opaque)
    assert [text[s:e] for s, e, opaque in spans if opaque] == ["x" * 5_000]
    prose = [(s, e) for s, e, opaque in spans if not opaque and e <= len(PARAGRAPH) * 200]
    assert len(prose) > 1 and all(text[s:e].endswith("\n\n") for s, e in prose[:-1])


def test_one_huge_token_is_not_handed_to_stanza(nlp: NlpPipeline) -> None:
    text = "x" * 2_097_152  # once the largest legal article; stanza alone never finished it
    began = time.monotonic()
    parsed = nlp.parse(text)
    assert time.monotonic() - began < 5.0
    (sentence,) = parsed.sentences
    assert [(t.start, t.end) for t in sentence.tokens] == [(0, len(text))]


def test_offsets_stay_right_across_pieces(nlp: NlpPipeline) -> None:
    text = PARAGRAPH * 50  # more than one piece
    assert len(text) > MAX_PIECE_CHARS
    parsed = nlp.parse(text)
    tokens = [t for s in parsed.sentences for t in s.tokens]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert sum(t.text == "Novak" for t in tokens) == 50
    assert len(parsed.sentences) == 100


def test_an_article_over_its_time_budget_is_refused_with_the_reason(nlp: NlpPipeline) -> None:
    with pytest.raises(NlpBudgetExceeded, match=r"budget is 0s an article"):
        nlp.parse(PARAGRAPH * 50, seconds=0.0)
    with pytest.raises(NlpStopped, match="stopping"):
        nlp.parse(PARAGRAPH, stopping=lambda: True)


class _BlockingNlp:
    """Parses nothing; an article containing "slow" waits until released or stopped."""

    processors = ("tokenize",)

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def parse(
        self,
        text: str,
        *,
        seconds: float | None = None,
        stopping: Callable[[], bool] | None = None,
    ) -> ParsedText:
        if "slow" in text:
            self.entered.set()
            while not self.release.wait(0.01):
                if stopping is not None and stopping():
                    raise NlpStopped("the server is stopping")
        return ParsedText(text=text, sentences=(), processors=self.processors)


def _engine(nlp: _BlockingNlp) -> Engine:
    return engine_over_nlp(nlp)


def test_a_slow_article_holds_up_no_other_writer_and_stops_with_the_server() -> None:
    nlp = _BlockingNlp()
    engine = _engine(nlp)
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            engine.ingest(Article("A slow article.", ArticleMeta()))
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=slow)
    worker.start()
    assert nlp.entered.wait(5.0)
    quick = engine.ingest(Article("A quick article.", ArticleMeta()))  # not held up
    assert quick.added
    engine.stop_ingest()
    worker.join(5.0)
    assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], NlpStopped)
    assert not engine.has_article(Article("A slow article.", ArticleMeta()).article_id)
    with pytest.raises(NlpStopped):
        engine.ingest(Article("Another article.", ArticleMeta()))


CONTRACTIONS = (
    "I'm sure we'd've gone. Don't! DON'T. Can't, won't and shan't, y'all. It's cold, he's"
    " late, they're here and I'll wait. O’Neil isn’t sure it can’t rain. Gimme one; gonna"
    " try. Zorbl'm qux'd. "
)


def _expanded(nlp: NlpPipeline, text: str, process: Callable[[Any, Any], Any]) -> list[str]:
    """The words of `text` after tokenizing it and expanding it with `process`."""
    pipeline = nlp._pipeline  # stanza's own, to run its mwt step both ways
    document = pipeline.processors["tokenize"].process(text)
    process(pipeline.processors["mwt"], document)
    return [word.text for sentence in document.sentences for word in sentence.words]


def test_multi_word_tokens_are_expanded_once_per_form_as_stanza_expands_each(
    nlp: NlpPipeline,
) -> None:
    from stanza.pipeline.mwt_processor import MWTProcessor

    text = CONTRACTIONS * 3  # every form more than once
    once_per_form = _expanded(nlp, text, lambda processor, doc: processor.process(doc))
    each_token = _expanded(nlp, text, MWTProcessor.process)
    assert once_per_form == each_token
    assert once_per_form[:3] == ["I", "'m", "sure"]


def test_a_repeated_contraction_costs_what_other_words_cost(nlp: NlpPipeline) -> None:
    # Stanza's model ran on each of them: 20,000 characters took 9 s of CPU, not 1 s.
    began = time.process_time()
    parsed = nlp.parse("I'm " * 5_000)
    assert time.process_time() - began < 4.0
    words = [t.text for s in parsed.sentences for t in s.tokens]
    assert words[:4] == ["I", "'m", "I", "'m"] and len(words) == 10_000
