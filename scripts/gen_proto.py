"""Regenerate the Python code for proto/quotetrace/v1/quotetrace.proto.

Run `python scripts/gen_proto.py` after editing the .proto. Output goes to
client/quotetrace/v1/ (the modules, and a descriptor set with the .proto's comments
for server reflection) and is never edited by hand; tests/test_codegen.py fails
when it is stale. `--out DIR` writes elsewhere (the staleness test uses it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO / "proto"
PROTO_FILE = "quotetrace/v1/quotetrace.proto"
DEFAULT_OUT = REPO / "client"
# The descriptor set keeps the .proto's comments (source info), which the generated
# modules drop: server reflection serves it, so generic tools show the documentation.
DESCRIPTOR_SET = "quotetrace/v1/quotetrace.binpb"
GENERATED = (
    "quotetrace/v1/quotetrace_pb2.py",
    "quotetrace/v1/quotetrace_pb2.pyi",
    "quotetrace/v1/quotetrace_pb2_grpc.py",
    DESCRIPTOR_SET,
)


def generate(out: Path) -> list[Path]:
    """Run protoc into `out`; return the generated files."""
    from grpc_tools import protoc  # imported here: only needed by developers

    (out / DESCRIPTOR_SET).parent.mkdir(parents=True, exist_ok=True)
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{Path(protoc.__file__).parent / '_proto'}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        "--include_source_info",
        f"--descriptor_set_out={out / DESCRIPTOR_SET}",
        str(PROTO_ROOT / PROTO_FILE),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return [out / name for name in GENERATED]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    for path in generate(parser.parse_args().out):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path, file=sys.stderr)


if __name__ == "__main__":
    main()
