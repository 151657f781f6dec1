"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl on a temporary folder,
listening on a unix socket in that folder only (no TCP port to collide on), run as the
``postgres`` user when the tests run as root (initdb refuses root)."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import psycopg

# How long initdb, and a start up to accepting connections, may take: pg_ctl's own default
# wait is 60 s, which a loaded CI machine (the whole suite beside other jobs) can outlast;
# an idle machine takes a second or two, and pg_ctl -w returns as soon as it is up.
START_SECONDS = 300


def postgres_bin() -> Path | None:
    """Debian's binaries (newest version first), else whatever initdb is on the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    on_path = shutil.which("initdb")
    return None if on_path is None else Path(on_path).parent


class ThrowawayPostgres:
    """Started by ``start``, gone (files and all) after ``stop``."""

    def __init__(
        self, bindir: Path, root: Path | None = None, settings: Sequence[str] = ()
    ) -> None:
        """``root``: a folder kept after ``stop(remove=False)`` and started again (a
        benchmark's database, timed again later); else a new temporary one. ``settings``:
        more ``name=value`` server settings."""
        self.bindir = bindir
        # A short path: a unix socket's path is limited to about 100 characters.
        self.root = root or Path(tempfile.mkdtemp(prefix="qt-pg-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / "data"
        self.settings = tuple(settings)
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            os.chown(self.root, pwd.getpwnam("postgres").pw_uid, -1)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self._as, *command], check=True, capture_output=True, timeout=START_SECONDS + 60
        )

    def start(self) -> None:
        made = not self.data.exists()
        if made:
            self._initdb()
        # Durability is not what these tests check: no fsync makes databases cheap.
        options = f"-k {self.root} -h '' -c fsync=off -c synchronous_commit=off"
        options += " -c full_page_writes=off -c max_connections=200"
        options += "".join(f" -c {setting}" for setting in self.settings)
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            str(START_SECONDS),
            "start",
        )
        if made:
            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE quotetrace")

    def _initdb(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        path = f"postgresql://postgres@/{database}?host={self.root}"
        return path if schema is None else path + f"&options=-csearch_path%3D{schema}"

    def new_database(self) -> str:
        """The URL of a new, empty index: a schema of its own in one database (a schema
        is made in milliseconds, a database in seconds)."""
        name = f"t{next(self._names)}"
        with psycopg.connect(self.url("quotetrace"), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url("quotetrace", name)

    def stop(self, *, remove: bool = True) -> None:
        """Stop the server; and unless ``remove`` is False, delete its files."""
        if not remove:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
            return
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
