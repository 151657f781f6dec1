"""Run `quotetrace-server serve` as a real child process, for tests that kill or signal it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import grpc

from quotetrace_client import QuoteTraceClient

REPO = Path(__file__).resolve().parent.parent
# How long a server may take from its start to answering health SERVING: an idle machine
# takes seconds (imports, opening the index), a loaded CI machine several times longer.
# The wait ends as soon as it serves, so a generous limit costs nothing when all is well.
START_SECONDS = 300.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(
        self,
        db: Path | str,
        *extra_args: str,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        open_writes: bool = True,
    ) -> None:
        """`open_writes`: pass --insecure-open-writes (tests ingest without a key) unless
        the arguments give an API key. ``db`` is an index file, or a PostgreSQL URL (then
        give ``log``)."""
        self.db = db
        self.port = free_port()
        if open_writes and "--api-key-file" not in extra_args:
            extra_args = ("--insecure-open-writes", *extra_args)
        self.args = [
            sys.executable,
            "-m",
            "quotetrace_server.cli",
            "serve",
            "--db",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-seed",
            *extra_args,
        ]
        self.env = {**os.environ, **(env or {})}
        if log is None and not isinstance(db, Path):
            raise ValueError("a server on a database URL needs a log path")
        self.log = log or Path(db).with_suffix(f".{self.port}.log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, ready_timeout: float = START_SECONDS) -> ServerProcess:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_serving(ready_timeout)
        return self

    def wait_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with QuoteTraceClient(self.target, timeout=2) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited {self.process.returncode}: {self.output()}")
                try:
                    if client.health() == "SERVING":
                        return
                except grpc.RpcError:
                    time.sleep(0.1)
        raise TimeoutError(f"server not serving after {timeout}s: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.wait(10)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
