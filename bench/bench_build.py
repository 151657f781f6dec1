"""The SQLite build bars in one run: this checkout's bulk build against an older
revision's (the baseline) and against PostgreSQL pg_trgm, on the same synthetic corpus.

    python bench/bench_build.py --scale 1M --baseline 930c888 --work /tmp/bb
    python bench/bench_build.py --scale 100k --baseline 930c888 --phases old,new
    python bench/bench_build.py --work /tmp/bb --phases summary   # figures already measured

What is timed: each build generates the synthetic corpus first (each checkout's own
bench/synth.py, held in memory) and only then starts the clock on ``bulk_add``
(bench/build_only.py, run with that checkout's packages): the build alone, the same input
both sides. --with-generation times each checkout's bench_verify.py build instead, whose
clock runs while the corpus is generated (how the figures before 2026-11-29 05:00 were
taken: a build that takes less time gains less from it).

Phases (each writes WORK/PHASE.json, so a long run can be done in parts in one sitting):
``old`` unpacks the baseline revision (``git archive``) into WORK/old-src and builds
WORK/old.db with its packages, then times Verify with its own bench/bench_verify.py;
``new`` does the same with this checkout, building WORK/new.db (or --new-db); both print
build seconds, file size, Verify p50/p99 and recall@1 on the same seeded queries (the two
files hold the same quotations under the same ids, so the queries are the same). ``pg``
loads the same quotations (normalised text) into a throwaway PostgreSQL with a pg_trgm
GIN index and reports the load time (the rows streamed as generated: corpus generation
included) and the table's size with its indexes. ``both`` builds old and new at the same
time, a process each, build figures only, and ``verify`` then times Verify on each file
in turn (--reuse): the two builds of a large scale in half the wall time, under the same
conditions; each one's CPU seconds are reported too (its build's worker included), which
the machine's load changes little. ``summary`` prints the ratios the bars are stated in:
old build s / new build s (bar: >= 3) and new MiB / pg_trgm MiB (bar: <= 2).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

SCALES = {"10k": 10_000, "20k": 20_000, "100k": 100_000, "1M": 1_000_000}
# What bench_verify.py prints, and the figure each line gives.
_PATTERNS = {
    "build_s": r"build: ([\d.]+) s",
    "peak_rss_mib": r"peak RSS (\d+) MiB",
    "file_mib": r"index file: (\d+) MiB",
    "p50_ms": r"p50 ([\d.]+) ms, p99",
    "p99_ms": r"p99 ([\d.]+) ms, mean",
    "recall": r"found the source utterance: ([\d.]+)",
    "build_cpu_s": r"build CPU: ([\d.]+) s",
    "generate_s": r"generated in ([\d.]+) s",
}


def parse_verify_output(text: str) -> dict[str, float]:
    """The figures of one bench_verify.py run, by name (a missing line is left out)."""
    found: dict[str, float] = {}
    for name, pattern in _PATTERNS.items():
        match = re.search(pattern, text)
        if match is not None:
            found[name] = float(match.group(1))
    return found


def _bench_verify(
    source: Path, db: Path, args: argparse.Namespace, *, reuse: bool = False
) -> tuple[list[str], dict[str, str]]:
    """The command line (and environment) of the bench_verify.py of the checkout at
    ``source``, run with that checkout's packages first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(source / "server"), str(source / "client")])
    command = [sys.executable, str(source / "bench" / "bench_verify.py"), "--db", str(db)]
    command += ["--scale", str(args.quotes), "--queries", str(args.queries)]
    command += ["--seed", str(args.seed), "--naive-queries", "0"]
    return [*command, "--reuse"] if reuse else command, env


def _build_command(
    source: Path, db: Path, args: argparse.Namespace
) -> tuple[list[str], dict[str, str]]:
    """The command line (and environment) that builds ``db`` with the checkout at
    ``source``: build_only.py, which generates the corpus first and times the build alone;
    with --with-generation, the checkout's bench_verify.py, whose timed build generates
    the corpus as it goes (how the figures before this option were measured)."""
    if args.with_generation:
        return _bench_verify(source, db, args)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(source / "server"), str(source / "client")])
    command = [sys.executable, str(ROOT / "bench" / "build_only.py"), str(source), str(db)]
    return [*command, str(args.quotes), str(args.seed)], env


def _fresh(db: Path) -> None:
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()


def run_bench_verify(
    source: Path, db: Path, args: argparse.Namespace, *, reuse: bool = False
) -> dict[str, float]:
    """Build ``db`` (or, with ``reuse``, only time Verify on it) with the bench_verify.py
    of the checkout at ``source``; its figures."""
    text = ""
    if not reuse:
        _fresh(db)
        text = _run(*_build_command(source, db, args))
    if reuse or not args.with_generation:  # bench_verify times Verify on the built file
        text += _run(*_bench_verify(source, db, args, reuse=True))
    figures = parse_verify_output(text)
    figures["file_mib"] = db.stat().st_size / 2**20  # exact, not rounded as printed
    return figures


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(command[1:3])} failed (exit {done.returncode})")
    return done.stdout


def builds_side_by_side(
    sources: dict[str, tuple[Path, Path]], args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    """Build each (source, db) at the same time, one process each (a core each on a
    two-core machine, so both run under the same conditions): build seconds and file
    size only, as the Verify figures of whichever ends first are taken while the other
    still builds (the ``verify`` phase times Verify afterwards, one file at a time)."""
    running = {}
    for name, (source, db) in sources.items():
        _fresh(db)
        command, env = _build_command(source, db, args)
        log = (args.work / f"{name}.log").open("w")
        running[name] = (subprocess.Popen(command, env=env, stdout=log, stderr=log), log, db)
    figures: dict[str, dict[str, float]] = {}
    for name, (child, log, db) in running.items():
        # The CPU seconds of the run and of every process it waited for (a worker of the
        # build): what the build cost whatever share of the cores the machine gave it.
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        log.close()
        text = (args.work / f"{name}.log").read_text()
        sys.stdout.write(f"-- {name}\n{text}")
        if child.returncode != 0:
            raise SystemExit(f"{name} build failed (exit {child.returncode})")
        found = parse_verify_output(text)
        figures[name] = {
            "build_s": found["build_s"],
            "file_mib": db.stat().st_size / 2**20,
            # build_only.py counts the build's own; bench_verify's run holds the corpus
            # generation and the Verify queries too.
            "cpu_s": found.get("build_cpu_s", usage.ru_utime + usage.ru_stime),
            **{k: found[k] for k in ("peak_rss_mib", "generate_s") if k in found},
        }
    return figures


def unpack_revision(revision: str, into: Path) -> str:
    """The files of ``revision`` of this repository under ``into``; its full commit id."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", revision],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not (into / ".commit").exists() or (into / ".commit").read_text() != commit:
        into.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as archive:
            subprocess.run(["git", "-C", str(ROOT), "archive", commit], stdout=archive, check=True)
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(into, filter="data")
        (into / ".commit").write_text(commit)
    return commit


def synthetic_quotations(quotes: int, seed: int) -> Iterator[tuple[int, str]]:
    """(id, normalised text) of the speech quotations bench_verify indexes, in its order."""
    from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]

    from quotetrace_server.entities.normalize import normalize

    corpus = SyntheticCorpus(SynthConfig(quotes=quotes, seed=seed))
    number = 0
    for _, found in corpus.articles():
        for quote in found.quotes:
            number += 1
            yield number, normalize(quote.text)


def pg_trgm_build(quotes: int, seed: int) -> dict[str, float]:
    """Load the quotations into PostgreSQL with a pg_trgm GIN index: seconds and MiB."""
    import psycopg

    from tests.postgres import ThrowawayPostgres, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        raise SystemExit("pg phase: no PostgreSQL binaries (initdb)")
    server = ThrowawayPostgres(bindir)
    server.start()
    try:
        with psycopg.connect(server.url("quotetrace"), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            conn.execute("CREATE TABLE quotations(id bigint PRIMARY KEY, norm text NOT NULL)")
            started = time.perf_counter()
            with conn.cursor() as cur, cur.copy("COPY quotations(id, norm) FROM STDIN") as copy:
                for row in synthetic_quotations(quotes, seed):
                    copy.write_row(row)
            loaded = time.perf_counter() - started
            conn.execute("CREATE INDEX quotations_trgm ON quotations USING gin (norm gin_trgm_ops)")
            conn.execute("VACUUM ANALYZE quotations")
            seconds = time.perf_counter() - started
            size = conn.execute("SELECT pg_total_relation_size('quotations')").fetchone()
            assert size is not None
        return {"build_s": seconds, "load_s": loaded, "size_mib": int(size[0]) / 2**20}
    finally:
        server.stop()


def summary(work: Path) -> None:
    figures = {
        phase: json.loads((work / f"{phase}.json").read_text())
        for phase in ("old", "new", "pg")
        if (work / f"{phase}.json").exists()
    }
    for phase, values in figures.items():
        shown = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items()
        )
        print(f"{phase}: {shown}")
    old, new, pg = figures.get("old"), figures.get("new"), figures.get("pg")
    if old and new:
        speedup = old["build_s"] / new["build_s"]
        print(f"build speed-up, old / new: {speedup:.2f}x (bar >= 3)")
        if "cpu_s" in old and "cpu_s" in new:
            print(
                f"CPU seconds of the builds (workers included), old / new:"
                f" {old['cpu_s']:.1f} / {new['cpu_s']:.1f} = {old['cpu_s'] / new['cpu_s']:.2f}x"
            )
        print(f"file size, new / old: {new['file_mib'] / old['file_mib']:.2f}")
    if old and new and "p50_ms" in old and "p50_ms" in new:  # after the verify phase
        print(
            f"Verify p50 {old['p50_ms']:.2f} -> {new['p50_ms']:.2f} ms,"
            f" p99 {old['p99_ms']:.2f} -> {new['p99_ms']:.2f} ms,"
            f" recall@1 {old['recall']:.3f} -> {new['recall']:.3f}"
        )
    if new and pg:
        ratio = new["file_mib"] / pg["size_mib"]
        print(f"size, new SQLite / pg_trgm: {ratio:.2f}x (bar <= 2)")
        print(f"build, new SQLite / pg_trgm: {new['build_s'] / pg['build_s']:.2f}x")
    if old and pg:
        print(f"size, old SQLite / pg_trgm: {old['file_mib'] / pg['size_mib']:.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="20k", help="10k, 20k, 100k, 1M or a number")
    parser.add_argument("--baseline", default="930c888", help="the revision built as 'old'")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "qt-bb")
    parser.add_argument("--phases", default="old,new,pg,summary")
    parser.add_argument("--new-db", type=Path, help="where the new build goes (WORK/new.db)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--with-generation",
        action="store_true",
        help="time the corpus generation with each build (bench_verify's own build), as"
        " the figures before build_only.py were",
    )
    args = parser.parse_args(argv)
    args.quotes = SCALES.get(args.scale) or int(args.scale)
    args.work.mkdir(parents=True, exist_ok=True)
    phases = args.phases.split(",")
    meta = {"quotes": args.quotes, "load": os.getloadavg()[0]}
    new_db = args.new_db or args.work / "new.db"
    if "both" in phases:
        commit = unpack_revision(args.baseline, args.work / "old-src")
        print(f"== old ({commit[:12]}) and new side by side, {args.quotes:,}", flush=True)
        sources = {"old": (args.work / "old-src", args.work / "old.db"), "new": (ROOT, new_db)}
        for name, figures in builds_side_by_side(sources, args).items():
            extra = {"commit": commit} if name == "old" else {}
            _save(args.work / f"{name}.json", {**meta, **figures, **extra, "side_by_side": 1})
    if "verify" in phases:
        sources = {"old": (args.work / "old-src", args.work / "old.db"), "new": (ROOT, new_db)}
        for name, (source, db) in sources.items():
            print(f"== Verify on the {name} build", flush=True)
            saved = json.loads((args.work / f"{name}.json").read_text())
            figures = run_bench_verify(source, db, args, reuse=True)
            figures.pop("file_mib")
            _save(args.work / f"{name}.json", {**saved, **figures})
    if "old" in phases:
        commit = unpack_revision(args.baseline, args.work / "old-src")
        print(f"== old: {commit[:12]}, {args.quotes:,} quotations", flush=True)
        figures = run_bench_verify(args.work / "old-src", args.work / "old.db", args)
        _save(args.work / "old.json", {**meta, **figures, "commit": commit})
    if "new" in phases:
        print(f"== new: this checkout, {args.quotes:,} quotations", flush=True)
        figures = run_bench_verify(ROOT, new_db, args)
        _save(args.work / "new.json", {**meta, **figures})
    if "pg" in phases:
        print(f"== pg_trgm: {args.quotes:,} quotations", flush=True)
        figures = pg_trgm_build(args.quotes, args.seed)
        print(f"  build {figures['build_s']:.1f} s, {figures['size_mib']:.0f} MiB")
        _save(args.work / "pg.json", {**meta, **figures})
    if "summary" in phases:
        summary(args.work)
    return 0


def _save(path: Path, figures: dict[str, object]) -> None:
    figures["load_after"] = os.getloadavg()[0]
    path.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    raise SystemExit(main())
