"""The stanza wrapper: which processors load, offsets, caching, locking, failure mode."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from quotetrace_server.nlp.pipeline import (
    NlpPipeline,
    NlpUnavailableError,
    available_processors,
    resolve_resources_dir,
)


@pytest.fixture(scope="module")
def nlp(models_dir: str) -> NlpPipeline:
    return NlpPipeline.shared(models_dir)


def fake_models(root: Path, processors: list[str]) -> Path:
    (root / "resources.json").write_text(json.dumps({"en": {}}), encoding="utf-8")
    for processor in processors:
        folder = root / "en" / processor
        folder.mkdir(parents=True)
        (folder / "model.pt").write_bytes(b"")
    return root


def test_only_processors_with_model_files_are_used(tmp_path: Path) -> None:
    root = fake_models(tmp_path, ["tokenize", "mwt", "ner"])
    (root / "en" / "pos").mkdir()  # a folder without a model file does not count
    assert available_processors(root) == ("tokenize", "mwt", "ner")


def test_depparse_is_dropped_when_its_requirements_are_missing(tmp_path: Path) -> None:
    root = fake_models(tmp_path, ["tokenize", "depparse"])
    assert available_processors(root) == ("tokenize",)


def test_full_english_set_is_used_when_present(tmp_path: Path) -> None:
    root = fake_models(tmp_path, ["tokenize", "mwt", "pos", "lemma", "depparse", "ner"])
    assert available_processors(root) == ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")


def test_directory_without_tokenizer_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NlpUnavailableError, match="tokenize"):
        NlpPipeline(str(tmp_path))


def test_argument_beats_environment_for_the_model_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANZA_RESOURCES_DIR", "/somewhere/else")
    assert resolve_resources_dir(str(tmp_path)) == tmp_path
    assert resolve_resources_dir(None) == Path("/somewhere/else")


def test_shared_pipeline_is_loaded_once(nlp: NlpPipeline, models_dir: str) -> None:
    assert NlpPipeline.shared(models_dir) is nlp


def test_processors_are_those_present_in_the_model_dir(nlp: NlpPipeline, models_dir: str) -> None:
    assert nlp.processors == available_processors(Path(models_dir))
    assert nlp.processors[0] == "tokenize"


def test_token_offsets_point_at_their_text(nlp: NlpPipeline, seed_texts: dict[str, str]) -> None:
    text = seed_texts["002_f8b77b186fc46e03.txt"]
    parsed = nlp.parse(text)
    assert parsed.text == text
    tokens = [t for s in parsed.sentences for t in s.tokens]
    assert len(tokens) > 1000
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.text and token.text == token.text.strip()
    starts = [t.start for t in tokens]
    assert starts == sorted(starts)


def test_possessive_is_split_into_its_own_word_with_offsets(nlp: NlpPipeline) -> None:
    text = "Mr. Kim’s train left."
    words = [t.text for s in nlp.parse(text).sentences for t in s.tokens]
    assert "Kim" in words and "’s" in words


def test_blank_text_parses_to_no_sentences(nlp: NlpPipeline) -> None:
    assert nlp.parse("  \n ").sentences == ()


def test_parallel_parses_match_serial_ones(nlp: NlpPipeline, seed_texts: dict[str, str]) -> None:
    texts = list(seed_texts.values())
    serial = [nlp.parse(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(nlp.parse, texts))
    assert parallel == serial


def test_broken_optional_model_falls_back_to_what_loads(tmp_path: Path, models_dir: str) -> None:
    source = Path(models_dir)
    (tmp_path / "resources.json").symlink_to(source / "resources.json")
    (tmp_path / "en").mkdir()
    for processor in ("tokenize", "mwt"):
        (tmp_path / "en" / processor).symlink_to(source / "en" / processor)
    broken = tmp_path / "en" / "ner"
    broken.mkdir()
    (broken / "broken.pt").write_bytes(b"not a model")
    pipeline = NlpPipeline(str(tmp_path))
    assert pipeline.processors == ("tokenize", "mwt")
    assert pipeline.parse("It works.").sentences
