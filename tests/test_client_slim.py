"""The client distribution (client/pyproject.toml) needs grpcio and protobuf, not the server's
NLP stack: importing it loads no torch or stanza, and it installs alone into a fresh venv."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from quotetrace_server.api.server import RunningServer

REPO = Path(__file__).resolve().parent.parent
CLIENT = REPO / "client"
WHY_WE_CAME = "That’s why we came here"
# What the client may load besides the standard library and its own packages.
CLIENT_DISTRIBUTIONS = {"grpcio", "grpcio-health-checking", "protobuf"}

# Imports every client module; prints the top-level modules loaded, all of them and those
# beyond what `import grpc` loads by itself (grpcio imports its companion packages, e.g.
# grpc_reflection, when they happen to be installed).
PROBE = """
import json, pkgutil, sys
import grpc, grpc.aio, google.protobuf
def top():
    return {name.partition(".")[0] for name in sys.modules} - set(sys.stdlib_module_names)
baseline = top()
import quotetrace_client
for module in pkgutil.iter_modules(quotetrace_client.__path__):
    __import__("quotetrace_client." + module.name)
print(json.dumps({"all": sorted(top()), "added": sorted(top() - baseline)}))
"""


def loaded_by_client(env: dict[str, str], python: str = sys.executable) -> dict[str, set[str]]:
    result = subprocess.run(
        [python, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return {key: set(names) for key, names in json.loads(result.stdout).items()}


def dependencies(pyproject: Path) -> set[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    return {re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]}


def test_client_declares_only_grpcio_and_protobuf() -> None:
    assert dependencies(CLIENT / "pyproject.toml") == CLIENT_DISTRIBUTIONS


def test_importing_every_client_module_loads_none_of_the_servers_dependencies() -> None:
    """Checked against the modules of every distribution the server needs and the client
    does not (torch, stanza, rapidfuzz, ...), as this environment installed them."""
    server_only = dependencies(REPO / "pyproject.toml") - CLIENT_DISTRIBUTIONS
    assert {"torch", "stanza"} <= server_only
    owners = importlib.metadata.packages_distributions()
    server_modules = {
        module
        for module, distributions in owners.items()
        if {d.lower() for d in distributions} <= server_only
    }
    assert {"torch", "stanza"} <= server_modules
    loaded = loaded_by_client({**os.environ, "PYTHONPATH": str(CLIENT)})
    assert {"quotetrace", "quotetrace_client"} <= loaded["added"]
    assert server_modules.isdisjoint(loaded["added"]), sorted(server_modules & loaded["added"])
    assert {"torch", "stanza", "quotetrace_server"}.isdisjoint(loaded["all"])


@pytest.mark.slow
def test_client_installs_alone_in_a_fresh_venv_and_calls_a_server(
    tmp_path: Path, seeded_server: RunningServer
) -> None:
    source = tmp_path / "client"
    shutil.copytree(CLIENT, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    install = subprocess.run(
        [str(bin_dir / "pip"), "install", "--quiet", "--disable-pip-version-check", str(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    listed = subprocess.run(
        [str(bin_dir / "pip"), "list", "--format", "json", "--disable-pip-version-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert {"quotetrace-client", "grpcio", "protobuf"} <= installed
    assert {"torch", "stanza", "quotetrace"}.isdisjoint(installed)
    server_only = dependencies(REPO / "pyproject.toml") - CLIENT_DISTRIBUTIONS
    assert installed.isdisjoint(server_only), sorted(installed & server_only)

    verify = subprocess.run(
        [
            str(bin_dir / "quotetrace"),
            "--server",
            f"127.0.0.1:{seeded_server.port}",
            "verify",
            WHY_WE_CAME,
            "--speaker",
            "Kim Jong Un",
        ],
        env=env,
        cwd=tmp_path,  # not the checkout: the venv's copy is what runs
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("MISATTRIBUTED"), verify.stdout
    assert "Vladimir Putin" in verify.stdout
    loaded = loaded_by_client(env, str(bin_dir / "python"))
    assert {"quotetrace", "quotetrace_client"} <= loaded["added"]
