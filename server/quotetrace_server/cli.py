"""`quotetrace-server`: serve the index over gRPC, build it from files, extract, evaluate."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotetrace_client.args import OneLineParser
from quotetrace_server import __version__
from quotetrace_server.config import (
    DEFAULT_DB,
    DEFAULT_HOST,
    DEFAULT_PORT,
    LOG_FORMAT,
    ConfigError,
    ServerConfig,
    check_access,
    env_api_key,
    env_flag,
    write_access,
)
from quotetrace_server.index.integrity import IndexFileError
from quotetrace_server.ingest.reader import IngestError

if TYPE_CHECKING:  # imported when used: the CLI starts without the index code
    from quotetrace_server.api.server import RunningServer
    from quotetrace_server.engine.engine import Engine
    from quotetrace_server.engine.workers import NlpWorkers
    from quotetrace_server.index.sql.store import SqlStore

log = logging.getLogger("quotetrace_server")

BUNDLED_SEEDS = Path(__file__).resolve().parents[2] / "seeds"


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="quotetrace-server", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--log-level", default=os.environ.get("QUOTETRACE_LOG_LEVEL", "INFO"))
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gRPC service")
    _db_option(serve)
    # Also accepted after the command (`serve --log-level DEBUG`), as the README shows it.
    serve.add_argument("--log-level", default=argparse.SUPPRESS)
    serve.add_argument(
        "--host",
        default=os.environ.get("QUOTETRACE_HOST", DEFAULT_HOST),
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "[::] or 0.0.0.0 for every interface)",
    )
    serve.add_argument(
        "--port", type=int, default=int(os.environ.get("QUOTETRACE_PORT", DEFAULT_PORT))
    )
    serve.add_argument(
        "--http-port",
        type=int,
        default=int(os.environ["QUOTETRACE_HTTP_PORT"])
        if os.environ.get("QUOTETRACE_HTTP_PORT")
        else None,
        help="also serve the fact-check desk's web page on this port, on --host "
        "(reads only; env QUOTETRACE_HTTP_PORT; default: no web page)",
    )
    serve.add_argument(
        "--seed-dir",
        type=Path,
        default=None,
        help="corpus ingested when the index is empty (default: the bundled seeds/)",
    )
    serve.add_argument("--no-seed", action="store_true", help="start with an empty index")
    serve.add_argument("--tls-cert", type=Path, default=None)
    serve.add_argument("--tls-key", type=Path, default=None)
    serve.add_argument(
        "--api-key-file",
        type=Path,
        default=None,
        help="file holding the API key (else QUOTETRACE_API_KEY); required for ingest",
    )
    serve.add_argument(
        "--insecure-open-writes",
        action="store_true",
        help="without an API key, accept IngestArticles from anyone (default: refused)",
    )
    serve.add_argument(
        "--keys-for-reads",
        action="store_true",
        default=env_flag("QUOTETRACE_KEYS_FOR_READS"),
        help="require the API key for read calls too",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=4,
        help="threads per process for blocking work: ingest, listing, counts (default 4)",
    )
    serve.add_argument(
        "--ingest-workers",
        type=positive_int,
        default=None,
        help="processes for the NLP of ingest: seeding an empty index and"
        " IngestArticlesStream (default: the cores; 1 = in the server process)",
    )
    serve.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("QUOTETRACE_PROCESSES", 1)),
        help="processes answering Verify: 1 = the gRPC process itself; N>1 = N workers (default 1)",
    )
    serve.add_argument(
        "--grace",
        type=float,
        default=10.0,
        help="seconds calls in flight may take to finish after SIGTERM (default 10)",
    )
    serve.add_argument(
        "--stream-idle-timeout",
        type=float,
        default=None,
        help="seconds a VerifyStream or IngestArticles stream may send nothing before it is "
        "closed (default 30)",
    )
    _lexical_only_option(serve)
    serve.add_argument("--max-quote-chars", type=int, default=None)
    serve.add_argument("--max-article-bytes", type=int, default=None)

    index = commands.add_parser(
        "index",
        aliases=["ingest"],
        help="ingest files, folders, WARC archives and JSONL into the db",
    )
    # "*", not "+": `--dask PATH` takes the path as its address, and run_index gives it back.
    index.add_argument("paths", nargs="*", type=Path, metavar="PATHS")
    _db_option(index)
    index.add_argument("--no-progress", action="store_true")
    _lexical_only_option(index)
    index.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="processes running the NLP and attribution (default: the cores); one writer",
    )
    index.add_argument(
        "--dask",
        nargs="?",
        const="",
        default=None,
        metavar="SCHEDULER_ADDRESS",
        help="run the NLP and attribution on a Dask cluster: the scheduler at this address"
        " (tcp://host:port), or a local cluster when none is given; this process writes",
    )
    index.add_argument(
        "--dask-workers",
        type=positive_int,
        default=None,
        help="worker processes of the local Dask cluster (default: the cores)",
    )

    delete = commands.add_parser(
        "delete", help="remove articles and everything derived from them from the db"
    )
    delete.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID")
    _db_option(delete)

    extract = commands.add_parser("extract", help="print the attributed quotations of a file")
    extract.add_argument("file", type=Path)
    extract.add_argument("--json", action="store_true", help="one JSON object per line")
    extract.add_argument(
        "--explain",
        action="store_true",
        help="per quotation: the mention, the cue, the stage-1 sieve, the stage-2 rule",
    )

    evaluate = commands.add_parser("eval", help="score against a gold folder")
    evaluate.add_argument("gold_dir", type=Path)
    evaluate.add_argument("corpus_dir", type=Path)
    evaluate.add_argument(
        "--queries",
        type=Path,
        default=None,
        help="verification queries (JSONL); default: eval/queries_<gold dir name>.jsonl",
    )
    evaluate.add_argument("--json", action="store_true")
    _speakers_parser(commands)
    return parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: give 1 or more")
    return value


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=_db_location,
        default=_db_location(os.environ.get("QUOTETRACE_DB", DEFAULT_DB)),
        help=f"SQLite index file, or a PostgreSQL database as postgresql://USER@HOST/NAME"
        f" (default {DEFAULT_DB}, env QUOTETRACE_DB)",
    )


def _db_location(text: str) -> Path | str:
    """A PostgreSQL URL stays as written (a Path would fold its '//'); else a file path."""
    from quotetrace_server.index.sql.postgres_database import is_postgres_url

    return text if is_postgres_url(text) else Path(text)


def _require_index(db: Path | str) -> None:
    """A command that reads an index refuses a file that holds none (a database server's
    index is created on first use)."""
    from quotetrace_server.index.integrity import IndexFile, check_index_file

    if isinstance(db, Path) and check_index_file(db) is IndexFile.NEW:
        raise CliError(f"{db}: no index there (build one with `quotetrace-server index`)")


def _lexical_only_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lexical-only",
        action="store_true",
        default=env_flag("QUOTETRACE_LEXICAL_ONLY"),
        help="no semantic search: do not load the embedding model, embed nothing, look claims"
        " up by their words only (answers say so)",
    )


def _start_semantic(engine: Engine) -> None:
    """Load the embedding model (a missing package is one clear line, before serving) and
    embed the wordings that have no vector yet."""
    from quotetrace_server.semantic.encoder import SemanticUnavailable

    try:
        engine.require_semantic()
    except SemanticUnavailable as error:
        raise CliError(f"semantic search: {error}") from None
    report = engine.embed_missing()
    if report.embedded:
        log.info(
            "semantic search: embedded %d wordings in %.1f s (%.0f/s), %d already embedded",
            report.embedded,
            report.seconds,
            report.per_second,
            report.present,
        )


def _embedding_line(engine: Engine) -> str:
    if engine.semantic is None:
        return "semantic search: off (--lexical-only): no wordings embedded"
    spent = engine.embedding
    return (
        f"semantic search ({engine.semantic.model_id}): {spent.embedded} wordings embedded"
        f" in {spent.seconds:.1f} s ({spent.per_second:.0f}/s), {spent.present} already"
        f" embedded; {len(engine.semantic.vectors)} in the index"
    )


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    api_key = env_api_key()
    if args.api_key_file is not None:
        api_key = _read_text(args.api_key_file).strip()
        if not api_key:
            raise CliError(f"--api-key-file {args.api_key_file} is empty")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert and --tls-key go together")
    for path in (args.tls_cert, args.tls_key):
        if path is not None:
            _read_text(path)
    config = ServerConfig(
        db=args.db,
        host=args.host,
        port=args.port,
        http_port=args.http_port,
        workers=args.workers,
        api_key=api_key,
        keys_required_for_reads=args.keys_for_reads,
        open_writes=args.insecure_open_writes,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        seed_dir=None if args.no_seed else (args.seed_dir or BUNDLED_SEEDS),
        stanza_dir=os.environ.get("STANZA_RESOURCES_DIR"),
        semantic=not args.lexical_only,
        grace_seconds=args.grace,
        processes=args.processes,
        log_level=args.log_level,
    )
    if config.processes < 1:
        raise CliError("--processes needs a positive count")
    check_access(config)
    limits = config.limits
    if args.max_quote_chars:
        limits = replace(limits, max_quote_chars=args.max_quote_chars)
    if args.max_article_bytes:
        limits = replace(limits, max_article_bytes=args.max_article_bytes)
    if args.stream_idle_timeout is not None:
        if args.stream_idle_timeout <= 0:
            raise CliError("--stream-idle-timeout needs a positive number of seconds")
        limits = replace(limits, stream_idle_seconds=args.stream_idle_timeout)
    return replace(config, limits=limits)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None


def run_serve(args: argparse.Namespace) -> int:
    """Open the port at once; an empty index is seeded meanwhile, with health saying
    NOT_SERVING (and the log showing progress) until the seeding ends."""
    from quotetrace_server.api.server import SEEDING, serve_until_signalled, start_server
    from quotetrace_server.engine.engine import Engine
    from quotetrace_server.engine.workers import default_workers, one_thread_each

    config = config_from_args(args)
    one_thread_each()  # ingest NLP in this process must not fight the Verify workers
    engine = Engine.open(
        config.db,
        config.stanza_dir,
        semantic=config.semantic,
        max_article_bytes=config.limits.max_article_bytes,
    )
    seeding = None
    try:
        _start_semantic(engine)
        stats = engine.stats()
        seed = config.seed_dir is not None and stats.article_count == 0
        log.info(
            "serving quotetrace.v1.QuoteTrace on %s:%d (%s, %s, %s) — %d articles, "
            "%d quotes, processors %s",
            config.host,
            config.port,
            "TLS" if config.tls_cert else "plaintext",
            write_access(config),
            f"{config.processes} Verify workers" if config.processes > 1 else "Verify in-process",
            stats.article_count,
            stats.quote_count,
            ",".join(stats.processors) or "-",
        )
        engine.ingest_workers = args.ingest_workers or default_workers()
        running = start_server(engine, config, [SEEDING] if seed else [])
        log.info("serving on port %d", running.port)
        if seed:
            assert config.seed_dir is not None
            seeding = threading.Thread(
                target=seed_index,
                args=(engine, running, config.seed_dir, engine.ingest_workers),
                name="seeding",
                daemon=True,
            )
            seeding.start()
        serve_until_signalled(running, config.grace_seconds)
        if seeding is not None:
            seeding.join(timeout=60)
    finally:
        engine.close()
    return 0


SEED_LOG_SECONDS = 5.0  # at most one progress line this often


def seed_index(engine: Engine, running: RunningServer, seed_dir: Path, workers: int) -> None:
    """Ingest `seed_dir` into the empty index, logging progress, then report serving."""
    from quotetrace_server.api.server import SEEDING
    from quotetrace_server.nlp.pipeline import NlpStopped

    log.info("index is empty: ingesting %s with %d NLP worker(s)", seed_dir, workers)
    done = rejected = 0
    logged = time.monotonic()
    try:
        for result in engine.ingest_paths([seed_dir], workers):
            done += 1
            if result.outcome is None:
                rejected += 1
                log.warning("seed %s not ingested: %s", result.source, result.reason)
            if time.monotonic() - logged >= SEED_LOG_SECONDS:
                logged = time.monotonic()
                log.info("seeding: %d inputs done (%s)", done, result.source)
    except NlpStopped:
        log.info("seeding stopped after %d inputs: the server is stopping", done)
        return
    except Exception:
        log.exception("seeding failed after %d inputs", done)
        raise
    log.info("seeded: %d inputs, %d not ingested", done, rejected)
    running.report(SEEDING, False)


def run_index(args: argparse.Namespace) -> int:
    """Ingest every input (see ingest.reader.read_inputs); an input that cannot be read is
    one line on stderr naming it, the others still go in, and the exit status is then 1."""
    from quotetrace_server.engine.engine import Engine
    from quotetrace_server.engine.workers import default_workers, one_thread_each
    from quotetrace_server.index.model import IngestStatus

    _check_index_args(args)
    for path in args.paths:
        if not path.exists():
            raise CliError(f"{path}: no such file or directory")
    one_thread_each()
    workers = args.workers or default_workers()
    engine = Engine.open(
        args.db, os.environ.get("STANZA_RESOURCES_DIR"), semantic=not args.lexical_only
    )
    counts: Counter[str] = Counter()
    quotes = 0
    try:
        _start_semantic(engine)
        with _dask_workers(args, engine) as (pool, where):
            started = time.perf_counter()
            quotes = _ingest_counting(engine, args, workers, pool, counts)
            seconds = time.perf_counter() - started
        replaced = counts[IngestStatus.REPLACED]
        print(
            f"{counts[IngestStatus.ADDED]} articles added, "
            f"{counts[IngestStatus.UNCHANGED]} unchanged, "
            + (f"{replaced} replaced, " if replaced else "")
            + f"{quotes} quotes added"
            + (f", {counts['rejected']} inputs not ingested" if counts["rejected"] else "")
            + f" → {args.db} (processors: {','.join(engine.processors())})"
        )
        print(_embedding_line(engine))
        attributed = counts[IngestStatus.ADDED] + counts[IngestStatus.REPLACED]
        where = where or (
            f"in {workers} worker processes (their start counted)"
            if workers > 1
            else "in this process (its model load counted)"
        )
        print(
            f"ingest: {attributed} articles attributed in {seconds:.1f} s"
            f" ({attributed / max(seconds, 1e-9):.2f} articles/s), NLP {where}"
        )
    finally:
        engine.close()
    return 1 if counts["rejected"] else 0


# What a Dask scheduler address looks like: a URL ("tcp://10.0.0.5:8786") or host:port.
_SCHEDULER_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://\S+|[\w.-]+:\d+|\[[0-9a-fA-F:]+\]:\d+)$")


def looks_like_address(text: str) -> bool:
    """Whether `text` is a scheduler address rather than a path to ingest: `--dask
    [ADDRESS] PATHS…` cannot otherwise tell `--dask corpus/` from `--dask host:8786`."""
    return bool(_SCHEDULER_ADDRESS.match(text)) and not Path(text).exists()


def _check_index_args(args: argparse.Namespace) -> None:
    """`--dask PATH`: the path was taken as the scheduler's address; it goes back."""
    if args.dask and not looks_like_address(args.dask):
        args.paths.insert(0, Path(args.dask))
        args.dask = ""
    if not args.paths:
        raise CliError(f"{args.command}: give the files or folders to ingest")
    if args.dask is not None and args.workers:
        raise CliError("--workers is for worker processes here; with --dask, --dask-workers")
    if args.dask is None and args.dask_workers:
        raise CliError("--dask-workers sizes a local Dask cluster: give --dask too")
    if args.dask and args.dask_workers:
        raise CliError("--dask-workers sizes a local Dask cluster, not the one at --dask ADDRESS")


def _ingest_counting(
    engine: Engine,
    args: argparse.Namespace,
    workers: int,
    pool: NlpWorkers | None,
    counts: Counter[str],
) -> int:
    """Ingest `args.paths` (a progress bar on a terminal, each rejected input one line on
    stderr), counting outcomes in `counts`; the quotations added."""
    from tqdm import tqdm

    quotes = 0
    quiet = args.no_progress or not sys.stderr.isatty()
    progress = tqdm(unit="article", disable=quiet, file=sys.stderr)
    for result in engine.ingest_paths(args.paths, workers, pool):
        if result.outcome is None:
            counts["rejected"] += 1
            progress.write(f"quotetrace-server: {result.source}: {result.reason}", sys.stderr)
            continue
        counts[result.outcome.status] += 1
        quotes += result.outcome.quotes_added
        progress.update()
    progress.close()
    return quotes


@contextmanager
def _dask_workers(
    args: argparse.Namespace, engine: Engine
) -> Iterator[tuple[NlpWorkers | None, str | None]]:
    """With --dask, the Dask cluster's workers (their models loaded) and a phrase saying
    where the NLP runs; else (None, None): the engine's own worker processes."""
    if args.dask is None:
        yield None, None
        return
    from quotetrace_server.engine.dask_ingest import DaskAttributionPool, dask_client
    from quotetrace_server.engine.workers import default_workers

    if not log.isEnabledFor(logging.DEBUG):  # Dask logs each worker's start and stop at INFO
        logging.getLogger("distributed").setLevel(logging.WARNING)
    started = time.perf_counter()
    local = not args.dask
    # A remote cluster's workers find the models by their own STANZA_RESOURCES_DIR.
    stanza_dir = os.environ.get("STANZA_RESOURCES_DIR") if local else None
    with dask_client(args.dask or None, args.dask_workers or default_workers()) as client:
        pool = DaskAttributionPool(client, stanza_dir, semantic=engine.semantic is not None)
        pool.load_models()
        cluster = "a local Dask cluster" if local else f"the Dask cluster at {args.dask}"
        where = f"on {cluster} ({pool.size} worker threads; their start not counted)"
        print(
            f"dask: {cluster}, {pool.size} worker threads, models loaded in"
            f" {time.perf_counter() - started:.1f} s (not counted in the ingest time)"
        )
        yield pool, where


def run_delete(args: argparse.Namespace) -> int:
    """Delete each article named; an unknown id is one line on stderr and exit status 1."""
    from quotetrace_server.engine.engine import Engine

    _require_index(args.db)
    # Wording vectors of deleted quotations stay in the vector file: a vector is found
    # through the quotations printing its wording, and those are gone.
    engine = Engine.open(args.db, semantic=False)
    missing = 0
    try:
        for article_id in args.article_ids:
            deleted = engine.delete_article(article_id)
            if deleted is None:
                missing += 1
                print(f"quotetrace-server: no article {article_id} in {args.db}", file=sys.stderr)
                continue
            print(
                f"deleted {article_id}: {deleted.quotes_removed} quotations, "
                f"{deleted.speakers_removed} speakers, {deleted.utterances_removed} utterances"
            )
    finally:
        engine.close()
    return 1 if missing else 0


def run_extract(args: argparse.Namespace) -> int:
    from quotetrace_server.attribution.attributor import (
        Attributor,
        explain_quote,
        quotes_as_json_lines,
    )
    from quotetrace_server.nlp.pipeline import NlpPipeline

    text = _read_text(args.file)
    nlp = NlpPipeline.shared(os.environ.get("STANZA_RESOURCES_DIR"))
    result = Attributor(nlp).attribute(text)
    rows = quotes_as_json_lines(result)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    print(f"{args.file}: {len(rows)} quotations (processors: {','.join(result.processors)})")
    for row, quote in zip(rows, result.quotes, strict=True):
        who = row["speaker"] or "—"
        print(f"[{row['start']}:{row['end']}] {row['kind']:<12} {who:<24} “{row['quote']}”")
        if args.explain:
            print("    " + explain_quote(quote))
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from quotetrace_server.evaluation.report import run_evaluation

    report_text, report_json = run_evaluation(args.gold_dir, args.corpus_dir, args.queries)
    print(json.dumps(report_json, indent=2, ensure_ascii=False) if args.json else report_text)
    return 0


# --- `speakers`: the operator's corrections of the corpus speakers --------------------


def _speakers_parser(commands: Any) -> None:
    speakers = commands.add_parser(
        "speakers",
        help="list, show and correct the corpus speakers (merge, split, rename)",
        description="Corrections are recorded in the index and beside it"
        " (<db>.speaker-edits.jsonl): they are replayed after every ingest and restored"
        " when the index is rebuilt.",
    )
    _db_option(speakers)
    ops = speakers.add_subparsers(dest="speakers_command", required=True)
    ops.add_parser("list", help="every speaker with its quotation count")
    show = ops.add_parser("show", help="a speaker by any form: forms, counts, evidence")
    show.add_argument("name")
    merge = ops.add_parser("merge", help="fold speaker B into speaker A (names or ids)")
    merge.add_argument("a")
    merge.add_argument("b")
    split = ops.add_parser(
        "split", help="give the quotations attributed under FORM a speaker of their own"
    )
    split.add_argument("name")
    split.add_argument("form")
    rename = ops.add_parser("rename", help="show speaker NAME as NEW_NAME")
    rename.add_argument("name")
    rename.add_argument("new_name")
    ops.add_parser("edits", help="print the recorded corrections as JSON lines")
    load = ops.add_parser("import", help="record and apply corrections from a JSON-lines file")
    load.add_argument("file", type=Path)


def run_speakers(args: argparse.Namespace) -> int:
    from quotetrace_server.index.sql.speakers import SpeakerEditError
    from quotetrace_server.index.stores import open_store

    _require_index(args.db)
    store = open_store(args.db)
    try:
        return _speakers_command(store, args)
    except SpeakerEditError as error:
        raise CliError(str(error)) from None
    finally:
        store.close()


def _speakers_command(store: SqlStore, args: argparse.Namespace) -> int:
    from quotetrace_server.index.sqlite_store import read_edits

    command = args.speakers_command
    if command == "list":
        for record in store.list_speakers():
            print(f"{record.speaker_id:<8} {record.quote_count:>5}  {record.name} ({record.kind})")
    elif command == "show":
        lookup = store.speaker_lookup(args.name)
        if lookup is None:
            raise CliError(f"no speaker named {args.name!r}")
        if lookup.ambiguous:
            names = "; ".join(f"{r.name} ({r.speaker_id})" for r in lookup.candidates)
            print(
                f"ambiguous: {args.name!r} may denote {len(lookup.candidates)} speakers — {names}"
            )
        record = lookup.record
        shown = f"{record.name} ({record.speaker_id}, {record.kind})"
        print(f"{shown} — {record.quote_count} quotation(s)")
        print("forms: " + ", ".join(f"{form} ({count})" for form, count in lookup.forms))
        for line in lookup.evidence:
            print(f"  {line}")
    elif command == "merge":
        record = store.merge_speakers(args.a, args.b)
        print(f"merged: {record.name} ({record.speaker_id}) — {record.quote_count} quotation(s)")
    elif command == "split":
        kept, new = store.split_speaker(args.name, args.form)
        print(
            f"split: {kept.name} ({kept.speaker_id}, {kept.quote_count}) and"
            f" {new.name} ({new.speaker_id}, {new.quote_count})"
        )
    elif command == "rename":
        record = store.rename_speaker(args.name, args.new_name)
        print(f"renamed: {record.name} ({record.speaker_id})")
    elif command == "edits":
        for op, name, other in store.speaker_edits():
            print(json.dumps({"op": op, "name": name, "other": other}, ensure_ascii=False))
    elif command == "import":
        print(f"{store.import_edits(read_edits(args.file))} correction(s) recorded and applied")
    return 0


COMMANDS = {
    "serve": run_serve,
    "index": run_index,
    "ingest": run_index,
    "delete": run_delete,
    "extract": run_extract,
    "eval": run_eval,
    "speakers": run_speakers,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format=LOG_FORMAT)
    try:
        return COMMANDS[args.command](args)
    except (CliError, ConfigError, IngestError, IndexFileError) as error:
        print(f"quotetrace-server: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for the user; the trace only at DEBUG
        log.debug("failed", exc_info=True)
        print(f"quotetrace-server: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
