"""The served encoder (issue 11's latency bar): the shipped model quantized once per machine
into a cache keyed by its digest and the tool versions, rebuilt when damaged, and one vector
space for wordings and queries that the vectors file records, so vectors of another encoder
are re-embedded, never searched. Sentences are invented."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from quotetrace_server.engine.engine import Engine
from quotetrace_server.semantic import quantized
from quotetrace_server.semantic.encoder import (
    ModelFiles,
    SemanticUnavailable,
    SentenceEncoder,
    installed_model_files,
)
from quotetrace_server.semantic.search import SemanticSearch
from quotetrace_server.semantic.vectors import (
    LEGACY_ENCODER,
    WordingVectors,
    encoder_path,
    vectors_path,
)
from quotetrace_server.verify.model import MatchSignal, Verdict, VerifyQuery

from .factories import add_said

FERRY = "The ferry to the island will run every hour from the first of May"
LIBRARY = "Our town library stays open late on Thursdays for the students"
FERRY_REWORDED = "From the start of May a boat will sail to the island once an hour"


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModelFiles]:
    directory = tmp_path_factory.mktemp("model-cache")
    return directory, quantized.served_model_files(directory=directory)


@pytest.fixture(scope="module")
def served() -> SentenceEncoder:
    return SentenceEncoder()


def test_the_served_model_is_derived_into_a_cache_named_by_its_key(
    derived: tuple[Path, ModelFiles],
) -> None:
    directory, files = derived
    key = quantized.cache_key(installed_model_files())
    assert files.model.parent == directory
    assert key in files.model.name
    assert files.encoder_id == quantized.encoder_id() and key in files.encoder_id
    assert files.tokenizer == installed_model_files().tokenizer


def test_a_sound_cached_model_is_reused_not_derived_again(
    derived: tuple[Path, ModelFiles], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, files = derived

    def derive_again(source: ModelFiles, target: Path) -> str:
        raise AssertionError("derived again although the cache holds a sound copy")

    monkeypatch.setattr(quantized, "_derive", derive_again)
    assert quantized.served_model_files(directory=directory) == files


def test_a_damaged_cached_model_is_derived_again_to_the_same_bytes(
    derived: tuple[Path, ModelFiles], tmp_path: Path
) -> None:
    _, files = derived
    copy = tmp_path / files.model.name
    shutil.copy(files.model, copy)
    shutil.copy(files.model.with_name(files.model.name + ".sha256"), tmp_path)
    with copy.open("r+b") as f:  # a flipped block in the middle of the weights
        f.seek(copy.stat().st_size // 2)
        f.write(b"\xff" * 64)
    again = quantized.served_model_files(directory=tmp_path)
    assert again.sha256 == files.sha256  # deterministic: the same model as before
    assert copy.read_bytes() == files.model.read_bytes()


def test_a_cache_without_its_digest_is_derived_again(
    derived: tuple[Path, ModelFiles], tmp_path: Path
) -> None:
    _, files = derived
    shutil.copy(files.model, tmp_path / files.model.name)  # no .sha256 beside it: partial
    calls: list[Path] = []
    real = quantized._derive

    def counting(source: ModelFiles, target: Path) -> str:
        calls.append(target)
        return real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quantized, "_derive", counting)
        assert quantized.served_model_files(directory=tmp_path).sha256 == files.sha256
    assert calls == [tmp_path / files.model.name]


def test_another_onnxruntime_version_is_another_cache_key_and_vector_space(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = quantized.encoder_id()
    real = quantized._version
    monkeypatch.setattr(quantized, "_version", lambda p: "0.0.1" if p == "onnxruntime" else real(p))
    assert quantized.encoder_id() != before


def test_a_missing_onnx_package_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    real = quantized._version

    def without_onnx(package: str) -> str:
        if package == "onnx":
            return real("no-such-package-quotetrace")
        return real(package)

    monkeypatch.setattr(quantized, "_version", without_onnx)
    with pytest.raises(SemanticUnavailable, match="no-such-package-quotetrace"):
        quantized.encoder_id()


def test_the_served_encoder_embeds_close_to_the_shipped_model(served: SentenceEncoder) -> None:
    shipped = SentenceEncoder(installed_model_files())
    texts = [FERRY, LIBRARY, FERRY_REWORDED, "Prices at the market fell again this week"]
    cosines = np.sum(served.encode(texts) * shipped.encode(texts), axis=1)
    assert served.encoder_id == quantized.encoder_id() != shipped.encoder_id
    assert float(cosines.min()) > 0.95
    near = served.encode([FERRY, FERRY_REWORDED, LIBRARY])
    assert float(near[0] @ near[1]) > float(near[0] @ near[2]) + 0.2


# --- vectors record their encoder ------------------------------------------------------


def _saved_vectors(path: Path, encoder: SentenceEncoder, encoder_id: str) -> None:
    writer = SemanticSearch(
        WordingVectors(path, writable=True), lambda: encoder, encoder_id=lambda: encoder_id
    )
    writer.add_wordings([(1, FERRY), (2, LIBRARY)])
    assert writer.save()


def test_saved_vectors_name_the_encoder_that_made_them(
    tmp_path: Path, served: SentenceEncoder
) -> None:
    path = tmp_path / "index.db.vectors"
    _saved_vectors(path, served, served.encoder_id)
    assert encoder_path(path).read_text().strip() == served.encoder_id
    reader = WordingVectors(path, writable=False)
    reader.use_encoder(served.encoder_id)
    assert (len(reader), reader.encoder_id) == (2, served.encoder_id)


def test_a_writer_re_embeds_every_wording_whose_vector_another_encoder_made(
    tmp_path: Path, served: SentenceEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.db.vectors"
    _saved_vectors(path, served, "some-other-encoder")
    writer = SemanticSearch(WordingVectors(path, writable=True), lambda: served)
    with caplog.at_level(logging.WARNING):
        report = writer.add_wordings([(1, FERRY), (2, LIBRARY)])
    assert (report.embedded, report.present) == (2, 0)
    assert "some-other-encoder" in caplog.text
    writer.save()
    assert encoder_path(path).read_text().strip() == served.encoder_id


def test_a_vectors_file_that_names_no_encoder_is_the_shipped_models_and_dropped(
    tmp_path: Path, served: SentenceEncoder
) -> None:
    path = tmp_path / "index.db.vectors"
    _saved_vectors(path, served, served.encoder_id)
    encoder_path(path).unlink()  # as written before the encoder was recorded
    reader = WordingVectors(path, writable=False)
    assert reader.encoder_id == LEGACY_ENCODER
    reader.use_encoder(served.encoder_id)
    assert len(reader) == 0
    assert reader.nearest(served.encode([FERRY_REWORDED])[0], 2) == []


def test_a_reader_searches_another_encoders_vectors_only_after_the_writer_replaced_them(
    tmp_path: Path, served: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quotetrace_server.semantic.vectors.REFRESH_SECONDS", 0.0)
    path = tmp_path / "index.db.vectors"
    _saved_vectors(path, served, "some-other-encoder")
    reader = SemanticSearch(WordingVectors(path, writable=False), lambda: served)
    assert reader.nearest(FERRY_REWORDED, 2) == []
    writer = SemanticSearch(WordingVectors(path, writable=True), lambda: served)
    writer.add_wordings([(1, FERRY), (2, LIBRARY)])
    writer.save()
    assert reader.nearest(FERRY_REWORDED, 1)[0][0] == 1


def test_an_index_with_another_encoders_vectors_is_re_embedded_and_verified_by_meaning(
    tmp_path: Path,
) -> None:
    db = tmp_path / "index.db"
    engine = Engine.open(db, check=True)
    add_said(engine.store, FERRY, "Oona Castellvi")  # type: ignore[arg-type]
    add_said(engine.store, LIBRARY, "Pieter Amadou")  # type: ignore[arg-type]
    assert engine.embed_missing().embedded == 2
    engine.close()
    encoder_path(vectors_path(db)).write_text("some-other-encoder\n")
    engine = Engine.open(db, check=True)
    assert (engine.embed_missing().embedded, engine.embed_missing().embedded) == (2, 0)
    result = engine.verify(VerifyQuery(FERRY_REWORDED, "Oona Castellvi"))
    engine.close()
    assert result.match_signal is MatchSignal.SEMANTIC
    assert result.verdict is Verdict.ALTERED


def test_the_encoder_loads_after_the_vector_index_in_a_bare_process(tmp_path: Path) -> None:
    script = (
        "from quotetrace_server.semantic.vectors import WordingVectors\n"
        "from quotetrace_server.semantic.encoder import SentenceEncoder\n"
        "import onnxruntime\n"
        "print(len(WordingVectors(None, writable=True)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, b"0")
