"""Bulk ingest on a Dask cluster (issue 14): a real local cluster of worker processes,
nothing mocked. The NLP runs on Dask's workers and this process writes: the index is
the one the in-process path builds, and a worker killed mid-ingest loses nothing and
duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from distributed import Client

from quotetrace_server.cli import looks_like_address
from quotetrace_server.cli import main as server_main
from quotetrace_server.engine.dask_ingest import DaskAttributionPool, dask_client
from quotetrace_server.engine.engine import Engine, ItemResult
from quotetrace_server.index.model import IngestStatus
from quotetrace_server.ingest.reader import read_inputs
from tests.conftest import SHARED
from tests.test_ingest_workers import quotations

NEWS_DEV = SHARED / "eval" / "news-dev" / "articles"

# Invented people, places and statements: each article a few paragraphs of reporting with
# quotations, long enough that its NLP is still running when the test kills a worker.
_PEOPLE = [
    ("Marta Okonkwo", "the harbour commissioner", "Okonkwo"),
    ("Pieter Vandersloot", "the county's chief engineer", "Vandersloot"),
    ("Ines Carvalho-Reyes", "a spokeswoman for the transit union", "Carvalho-Reyes"),
    ("Tobias Lindqvist", "the mayor of Eastbrook", "Lindqvist"),
]
_SAYINGS = [
    "We will not reopen the bridge until every cable has been tested",
    "Nobody told us the budget had been cut by a third",
    "The drivers have waited four years for a contract, and they will not wait a fifth",
    "I expect the first ferries to sail again before the end of March",
    "This council has never hidden a report from the public, and it will not start now",
    "Our engineers found cracks that nobody had looked for since the nineteen-sixties",
]


def _article(number: int) -> str:
    name, role, surname = _PEOPLE[number % len(_PEOPLE)]
    other, other_role, other_surname = _PEOPLE[(number + 1) % len(_PEOPLE)]
    lines = [f"Eastbrook Courier, report {number}", ""]
    for paragraph in range(6):
        said = _SAYINGS[(number + paragraph) % len(_SAYINGS)]
        answer = _SAYINGS[(number + paragraph + 3) % len(_SAYINGS)]
        lines += [
            f"{name}, {role}, spoke on day {paragraph + 1} of the inquiry. “{said},”"
            f" {surname} said. The hearing in room {number * 10 + paragraph} lasted into"
            " the evening, and reporters waited outside for the next statement.",
            "",
            f"“{answer},” said {other}, {other_role}. {other_surname} added that the"
            f" figures for quarter {paragraph % 4 + 1} would be published on the"
            " council's website.",
            "",
        ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask-corpus")
    for number in range(10):
        (folder / f"report-{number:02d}.txt").write_text(_article(number), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory, corpus: Path, models_dir: str) -> Path:
    """The corpus indexed by the in-process path (`index --workers 1`)."""
    db = tmp_path_factory.mktemp("in-process") / "one.db"
    argv = ["index", str(corpus), "--db", str(db), "--workers", "1", "--lexical-only"]
    assert server_main(argv) == 0
    return db


def duplicated_identities(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT identity, count(*) FROM articles GROUP BY identity HAVING count(*) > 1"
        ).fetchall()
    return [(str(identity), int(count)) for identity, count in rows]


def test_a_scheduler_address_is_told_from_a_path(tmp_path: Path) -> None:
    assert looks_like_address("tcp://10.0.0.5:8786")
    assert looks_like_address("scheduler.internal:8786")
    assert looks_like_address("[::1]:8786")
    assert not looks_like_address(str(tmp_path))
    assert not looks_like_address("corpus/2024")
    folder = tmp_path / "host:8786"  # an odd folder name that exists is a path
    folder.mkdir()
    assert not looks_like_address(str(folder))


def test_ingest_on_a_local_dask_cluster_indexes_what_the_in_process_path_does(
    tmp_path: Path,
    corpus: Path,
    in_process: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    db = tmp_path / "dask.db"
    # `--dask PATH`: the path, not an address, so a local cluster.
    argv = ["ingest", "--dask", str(corpus), "--dask-workers", "2", "--db", str(db)]
    assert server_main([*argv, "--lexical-only"]) == 0
    out = capsys.readouterr().out
    assert "dask: a local Dask cluster, 2 worker threads" in out
    assert out.splitlines()[1].startswith("10 articles added, 0 unchanged")
    assert "ingest: 10 articles attributed in" in out
    ours, theirs = quotations(db), quotations(in_process)
    assert len(theirs) >= 10 * 12  # two quotations a paragraph
    assert ours == theirs
    # Again: every article is known by its identity, nothing is attributed twice.
    assert server_main([*argv, "--lexical-only"]) == 0
    assert "0 articles added, 10 unchanged, 0 quotes added" in capsys.readouterr().out
    assert quotations(db) == theirs


def test_ingest_options_that_do_not_go_together_are_refused(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    for argv, says in [
        (["ingest", "--dask", str(corpus), "--workers", "2"], "--dask-workers"),
        (["ingest", str(corpus), "--dask-workers", "2"], "give --dask too"),
        (["ingest", "--dask", "tcp://127.0.0.1:1", "--dask-workers", "2", str(corpus)], "not"),
        (["ingest", "--dask"], "give the files or folders"),
    ]:
        assert server_main([*argv, "--db", db]) == 2
        assert says in capsys.readouterr().err
    assert not Path(db).exists()


def _worker_pids(pool: DaskAttributionPool) -> dict[str, int]:
    pids: dict[str, int] = pool.client.run(os.getpid)
    return pids


def test_a_worker_killed_mid_ingest_loses_no_article_and_duplicates_none(
    tmp_path: Path, corpus: Path, in_process: Path, models_dir: str
) -> None:
    db = tmp_path / "killed.db"
    engine = Engine.open(db, models_dir, semantic=False)
    results: list[ItemResult] = []
    failed: list[BaseException] = []
    try:
        with dask_client(None, 2) as client:
            pool = DaskAttributionPool(client, models_dir, semantic=False)
            pool.load_models()
            before = _worker_pids(pool)

            def ingest() -> None:
                try:
                    results.extend(engine.ingest_paths([corpus], 2, pool))
                except BaseException as error:
                    failed.append(error)

            writer = threading.Thread(target=ingest)
            writer.start()
            victim, lost = _kill_a_busy_worker(client, before)
            writer.join(timeout=600)
            assert not writer.is_alive() and not failed, failed
            after = _worker_pids(pool)
    finally:
        engine.close()
    # The killed worker held articles that were being attributed; they were run again.
    assert lost, "the killed worker held no article"
    assert before[victim] not in after.values()
    assert [r.outcome.status if r.outcome else r.reason for r in results] == [
        IngestStatus.ADDED
    ] * 10
    assert duplicated_identities(db) == []
    assert quotations(db) == quotations(in_process)


def _kill_a_busy_worker(client: Client, pids: dict[str, int]) -> tuple[str, list[str]]:
    """SIGKILL the first worker seen with articles assigned to it; (its address, the
    tasks it held)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        busy: dict[str, list[str]] = {
            address: [str(key) for key in keys]
            for address, keys in client.processing().items()
            if keys
        }
        if busy:
            victim = sorted(busy)[0]
            os.kill(pids[victim], signal.SIGKILL)
            return victim, busy[victim]
        time.sleep(0.01)
    raise AssertionError("no worker was given an article within 120 s")


@pytest.mark.slow
def test_news_dev_on_two_dask_workers_matches_the_in_process_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str
) -> None:
    if not NEWS_DEV.is_dir():
        pytest.skip("../shared/eval/news-dev/articles not present")
    dbs = {how: tmp_path / f"{how}.db" for how in ("in-process", "dask")}
    options = {"in-process": ["--workers", "1"], "dask": ["--dask", "--dask-workers", "2"]}
    rates: dict[str, str] = {}
    for how, db in dbs.items():
        capsys.readouterr()
        assert server_main(["ingest", str(NEWS_DEV), "--db", str(db), *options[how]]) == 0
        out = capsys.readouterr().out
        rates[how] = next(line for line in out.splitlines() if line.startswith("ingest: "))
    articles = sum(1 for _ in read_inputs([NEWS_DEV]))
    with capsys.disabled():  # the throughput, reported with the load it was measured at
        print(f"\nnews-dev, load average {os.getloadavg()[0]:.2f}:")
        for how, line in rates.items():
            print(f"  {how}: {line}")
    assert all(f"{articles} articles attributed" in line for line in rates.values())
    one, two = quotations(dbs["in-process"]), quotations(dbs["dask"])
    assert len(one) > 50
    assert two == one
    # The Dask workers embedded the wordings: every wording has its vector.
    from quotetrace_server.semantic.vectors import WordingVectors, vectors_path

    counts = [len(WordingVectors(vectors_path(db), writable=False)) for db in dbs.values()]
    assert counts[0] == counts[1] > 50
