"""Shared fixtures: the real seed corpus, a real index, a real server on a free port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from quotetrace_client import QuoteTraceClient
from quotetrace_server.config import ServerConfig
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from tests.factories import StoreFactory
from tests.postgres import ThrowawayPostgres, postgres_bin

if TYPE_CHECKING:  # imported lazily: they load the NLP stack
    from quotetrace_server.api.server import RunningServer
    from quotetrace_server.engine.engine import Engine

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
GOLD = SHARED / "eval" / "seeds"

# Property tests check answers, not speed (speed is bench/'s): no per-example deadline,
# which a loaded CI machine would turn into failures of correct code.
settings.register_profile("quotetrace", deadline=None)
settings.load_profile("quotetrace")


def stanza_dir() -> str | None:
    """The model folder the README's commands use, if this machine has one."""
    if env := os.environ.get("STANZA_RESOURCES_DIR"):
        return env
    shared = SHARED / "models" / "stanza_resources"
    return str(shared) if shared.is_dir() else None


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL server of this test session's own (scripts/dev.sh test installs
    Debian's postgresql where it is missing)."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb): install Debian's postgresql")
    server = ThrowawayPostgres(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _store_factory(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    made: list[SqlStore] = []

    def make() -> SqlStore:
        store: SqlStore
        if request.param == "sqlite":
            store = SqliteStore(":memory:")
        else:
            from quotetrace_server.index.postgres_store import PostgresStore

            server: ThrowawayPostgres = request.getfixturevalue("postgres")
            store = PostgresStore(server.new_database(), max_connections=4)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Makes empty stores of one engine: a test taking it runs once on each engine."""
    yield from _store_factory(request)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """new_store for a module's shared fixtures: the module runs once on each engine."""
    yield from _store_factory(request)


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def models_dir() -> str:
    found = stanza_dir()
    if found is None or not Path(found, "resources.json").is_file():
        pytest.skip("no stanza models: set STANZA_RESOURCES_DIR")
    return found


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    if not GOLD.is_dir():
        pytest.skip("gold standard ../shared/eval/seeds not present")
    return GOLD


@pytest.fixture(scope="session")
def seeded_engine(
    tmp_path_factory: pytest.TempPathFactory, models_dir: str, seed_dir: Path
) -> Iterator[Engine]:
    """An index built from the seeds through the real NLP, attribution and store."""
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(tmp_path_factory.mktemp("index") / "seeds.db", models_dir)
    for _ in engine.ingest_paths([seed_dir]):
        pass
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def seeded_server(seeded_engine: Engine) -> Iterator[RunningServer]:
    from quotetrace_server.api.server import start_server

    # Writes open: the validation tests send over-size and malformed articles.
    config = ServerConfig(host="127.0.0.1", port=0, open_writes=True)
    running = start_server(seeded_engine, config)
    yield running
    running.stop(grace=None)


@pytest.fixture()
def client(seeded_server: RunningServer) -> Iterator[QuoteTraceClient]:
    with QuoteTraceClient(f"127.0.0.1:{seeded_server.port}", timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def seeded_web(seeded_engine: Engine) -> Iterator[RunningServer]:
    """The seeded index served over gRPC and as the desk's web page (--http-port)."""
    from quotetrace_server.api.server import start_server

    running = start_server(seeded_engine, ServerConfig(host="127.0.0.1", port=0, http_port=0))
    yield running
    running.stop(grace=None)
