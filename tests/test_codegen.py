"""The generated gRPC code must be what the .proto produces, and the .proto must lint clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import gen_proto  # noqa: E402


def test_generated_code_matches_the_proto(tmp_path: Path) -> None:
    fresh = gen_proto.generate(tmp_path)
    stale = [
        name
        for name, path in zip(gen_proto.GENERATED, fresh, strict=True)
        if path.read_bytes() != (gen_proto.DEFAULT_OUT / name).read_bytes()
    ]
    assert not stale, f"run `python scripts/gen_proto.py`: stale {stale}"


def test_staleness_check_notices_a_changed_proto(tmp_path: Path) -> None:
    proto = tmp_path / "proto"
    shutil.copytree(gen_proto.PROTO_ROOT, proto)
    source = proto / gen_proto.PROTO_FILE
    source.write_text(
        source.read_text().replace(
            "string explanation = 6;", "string explanation = 6;\n  string note = 99;"
        )
    )
    original = gen_proto.PROTO_ROOT
    try:
        gen_proto.PROTO_ROOT = proto
        regenerated = gen_proto.generate(tmp_path / "out")[0]
    finally:
        gen_proto.PROTO_ROOT = original
    assert regenerated.read_bytes() != (gen_proto.DEFAULT_OUT / gen_proto.GENERATED[0]).read_bytes()


def test_proto_passes_buf_lint() -> None:
    buf = shutil.which("buf")
    if buf is None:
        pytest.skip("buf (PyPI buf-bin) not installed")
    result = subprocess.run(
        [buf, "lint"], cwd=gen_proto.PROTO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
