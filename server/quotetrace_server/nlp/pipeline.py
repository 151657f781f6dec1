"""The one place that talks to stanza: load once, parse under a lock, return plain dataclasses."""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from quotetrace_server import errors
from quotetrace_server.nlp.model import ParsedText, Sentence, Token
from quotetrace_server.nlp.mwt import expand_once_per_form

LOG = logging.getLogger(__name__)

LANG = "en"
# Order matters: stanza wants a processor's requirements listed before it.
KNOWN_PROCESSORS: tuple[str, ...] = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
# What each optional processor needs to have run first (stanza's own requirements).
REQUIRES: dict[str, tuple[str, ...]] = {
    "mwt": ("tokenize",),
    "pos": ("tokenize",),
    "lemma": ("tokenize",),
    "depparse": ("tokenize", "pos", "lemma"),
    "ner": ("tokenize",),
}


# Stanza's cost grows faster than the text it is given (one 16,000-character token takes
# 12 s, two million never finish: issue 15, B3). It is handed at most MAX_PIECE_CHARS at
# a time, cut at a paragraph break where there is one (stanza never lets a sentence
# cross one), else a sentence end, a line break or a space. A run of more than
# MAX_TOKEN_CHARS characters without a space is no word stanza knows: it is one token
# of its own sentence, not parsed.
MAX_PIECE_CHARS = 4_000
MAX_TOKEN_CHARS = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
# Stanza's models are small (a character LSTM on 4,000-character pieces) and most of a
# parse is Python building its Document, so torch's intra-op threads buy little; on a busy
# machine they cost a lot: with two threads, one descheduled while the other spins at the
# barrier, a 40 KB article took 23 s of CPU against 1.3 s with one thread (issue 15, B1;
# bench/bench_growth.py prints both). Results do not depend on the thread count.
TORCH_THREADS = 1
_CUTS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"[.!?][\"'”’)\]]*\s"),
    re.compile(r"\n"),
    re.compile(r"\s"),
)


class NlpUnavailableError(RuntimeError):
    """No stanza English tokenizer model could be found; nothing can be parsed."""


class NlpBudgetExceeded(errors.InvalidArgument):
    """An article's NLP ran past its time budget; it was stopped, nothing was stored."""


class NlpStopped(errors.Unavailable):
    """The server is stopping: an article's NLP was stopped, nothing was stored."""


def pieces(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, opaque) spans covering `text` in order: what stanza parses one call
    at a time (at most MAX_PIECE_CHARS), and runs too long to be words (opaque)."""
    position = 0
    for run in _LONG_RUN.finditer(text):
        yield from _parsable(text, position, run.start())
        yield run.start(), run.end(), True
        position = run.end()
    yield from _parsable(text, position, len(text))


def _parsable(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    while end - start > MAX_PIECE_CHARS:
        limit = start + MAX_PIECE_CHARS
        cut = limit
        for pattern in _CUTS:
            found = [m.end() for m in pattern.finditer(text, start + MAX_PIECE_CHARS // 4, limit)]
            if found:
                cut = found[-1]
                break
        yield start, cut, False
        start = cut
    if text[start:end].strip():
        yield start, end, False


def resolve_resources_dir(resources_dir: str | None = None) -> Path:
    """Model directory: the argument, else $STANZA_RESOURCES_DIR, else stanza's default."""
    if resources_dir:
        return Path(resources_dir)
    from_env = os.environ.get("STANZA_RESOURCES_DIR")
    if from_env:
        return Path(from_env)
    return Path(_stanza_default_dir())


def _stanza_default_dir() -> str:
    try:
        from stanza.resources.common import DEFAULT_MODEL_DIR
    except ImportError:  # pragma: no cover - stanza is a hard dependency
        return str(Path.home() / "stanza_resources")
    return str(DEFAULT_MODEL_DIR)


def available_processors(resources_dir: Path) -> tuple[str, ...]:
    """English processors whose model files are on disk, dropping any whose requirements are not."""
    if not (resources_dir / "resources.json").is_file():
        return ()
    lang_dir = resources_dir / LANG
    present = [p for p in KNOWN_PROCESSORS if _has_model_files(lang_dir / p)]
    usable: list[str] = []
    for processor in present:
        if all(req in usable for req in REQUIRES.get(processor, ())):
            usable.append(processor)
    return tuple(usable)


def _has_model_files(processor_dir: Path) -> bool:
    return processor_dir.is_dir() and any(processor_dir.glob("*.pt"))


class NlpPipeline:
    """A loaded stanza English pipeline. Use `shared()`: models are large and slow to load."""

    _instances: ClassVar[dict[str, NlpPipeline]] = {}
    _instances_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, resources_dir: str | None = None) -> None:
        self._dir = resolve_resources_dir(resources_dir)
        wanted = available_processors(self._dir)
        if "tokenize" not in wanted:
            raise NlpUnavailableError(
                f"no stanza English tokenize model under {self._dir} "
                "(set STANZA_RESOURCES_DIR or pass resources_dir)"
            )
        self._pipeline, self._processors = _load_with_fallback(self._dir, wanted)
        # Stanza pipelines keep per-call state in their processors: one caller at a time.
        self._parse_lock = threading.Lock()

    @classmethod
    def shared(cls, resources_dir: str | None = None) -> NlpPipeline:
        """The process-wide pipeline for this model directory, loaded on first use."""
        key = str(resolve_resources_dir(resources_dir).resolve())
        with cls._instances_lock:
            pipeline = cls._instances.get(key)
            if pipeline is None:
                pipeline = cls(key)
                cls._instances[key] = pipeline
            return pipeline

    @property
    def processors(self) -> tuple[str, ...]:
        return self._processors

    @property
    def resources_dir(self) -> Path:
        return self._dir

    def parse(
        self,
        text: str,
        *,
        seconds: float | None = None,
        stopping: Callable[[], bool] | None = None,
    ) -> ParsedText:
        """Sentences and words of `text` with offsets into it, plus any tags the models give.

        Stanza gets the text a piece at a time (see `pieces`), so its work grows with the
        text's length, and the lock is held for one piece at a time. Between pieces the
        parse stops with NlpBudgetExceeded once `seconds` have passed, or NlpStopped
        when `stopping()` says so.
        """
        began = time.monotonic()
        sentences: list[Sentence] = []
        for start, end, opaque in pieces(text):
            if stopping is not None and stopping():
                raise NlpStopped("the server is stopping: the article was not ingested")
            spent = time.monotonic() - began
            if seconds is not None and spent > seconds:
                raise NlpBudgetExceeded(
                    f"the article's NLP was stopped after {spent:.0f}s, at character"
                    f" {start} of {len(text)} (the budget is {seconds:g}s an article):"
                    " split it into shorter articles"
                )
            if opaque:
                token = Token(text=text[start:end], start=start, end=end)
                sentences.append(Sentence(start=start, end=end, tokens=(token,)))
                continue
            with self._parse_lock:
                doc = self._pipeline(text[start:end])
            sentences.extend(_convert_sentence(text, s, start) for s in doc.sentences)
        return ParsedText(
            text=text,
            sentences=tuple(s for s in sentences if s.tokens),
            processors=self._processors,
        )


def _load_with_fallback(
    resources_dir: Path, wanted: tuple[str, ...]
) -> tuple[Any, tuple[str, ...]]:
    """Load the richest pipeline that works; a broken optional model must not stop tokenising."""
    import stanza
    import torch

    torch.set_num_threads(TORCH_THREADS)
    attempts = _fallback_sets(wanted)
    last_error: Exception | None = None
    for processors in attempts:
        try:
            pipeline = stanza.Pipeline(
                LANG,
                dir=str(resources_dir),
                processors=",".join(processors),
                download_method=None,
                logging_level="WARN",
            )
        except Exception as error:  # stanza raises many types for missing/corrupt files
            LOG.warning("stanza pipeline %s failed to load: %s", processors, error)
            last_error = error
            continue
        expand_once_per_form(pipeline)
        return pipeline, processors
    raise NlpUnavailableError(f"stanza could not load from {resources_dir}: {last_error}")


def _fallback_sets(wanted: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Processor sets to try, richest first: all, then each optional one left out (with what
    depends on it), then shorter and shorter prefixes down to tokenize alone."""
    candidates = [wanted]
    for dropped in reversed(wanted[1:]):
        candidates.append(_closed(tuple(p for p in wanted if p != dropped)))
    candidates.extend(_closed(wanted[:n]) for n in range(len(wanted) - 1, 0, -1))
    unique: list[tuple[str, ...]] = []
    for candidate in candidates:
        if candidate and candidate not in unique:
            unique.append(candidate)
    return unique


def _closed(processors: tuple[str, ...]) -> tuple[str, ...]:
    """Drop processors whose requirements are not in the set."""
    kept: list[str] = []
    for processor in processors:
        if all(req in kept for req in REQUIRES.get(processor, ())):
            kept.append(processor)
    return tuple(kept)


def _convert_sentence(text: str, sentence: Any, offset: int = 0) -> Sentence:
    tokens: list[Token] = []
    for stanza_token in sentence.tokens:
        tokens.extend(_words_of_token(text, stanza_token, offset))
    if not tokens:
        return Sentence(start=0, end=0, tokens=())
    return Sentence(start=tokens[0].start, end=tokens[-1].end, tokens=tuple(tokens))


def _words_of_token(text: str, stanza_token: Any, offset: int = 0) -> list[Token]:
    """One Token per stanza word; a multi-word token is split where its words spell it.
    Stanza's offsets are into the piece it parsed, which starts at `offset` in `text`."""
    start = offset + int(stanza_token.start_char)
    end = offset + int(stanza_token.end_char)
    ner = getattr(stanza_token, "ner", None)
    words = list(stanza_token.words)
    spans = _split_offsets(text[start:end], [w.text for w in words], start, end)
    return [
        Token(
            text=text[s:e],
            start=s,
            end=e,
            upos=getattr(word, "upos", None),
            lemma=getattr(word, "lemma", None),
            head=(int(word.head) - 1) if getattr(word, "head", None) is not None else None,
            deprel=getattr(word, "deprel", None),
            ner=ner,
        )
        for word, (s, e) in zip(words, spans, strict=True)
    ]


def _split_offsets(
    surface: str, word_texts: list[str], start: int, end: int
) -> list[tuple[int, int]]:
    """Offsets of each word inside a token's surface; whole-token span when they don't spell it."""
    if len(word_texts) == 1 or "".join(word_texts) != surface:
        return [(start, end)] * len(word_texts)
    spans: list[tuple[int, int]] = []
    cursor = start
    for word in word_texts:
        spans.append((cursor, cursor + len(word)))
        cursor += len(word)
    return spans


def describe(resources_dir: str | None = None) -> dict[str, Any]:
    """What the pipeline would load, for diagnostics (does not load models)."""
    directory = resolve_resources_dir(resources_dir)
    return {"resources_dir": str(directory), "processors": list(available_processors(directory))}
