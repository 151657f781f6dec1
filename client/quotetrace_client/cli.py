"""`quotetrace`: ask a quotetrace server who said a quote, where, and in which words."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import render
from quotetrace_client.args import OneLineParser
from quotetrace_client.client import DEFAULT_TARGET, QuoteTraceClient, claim_request

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A problem worth one line on stderr and a non-zero exit."""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="quotetrace", description=__doc__)
    parser.add_argument(
        "--server",
        default=os.environ.get("QUOTETRACE_SERVER", DEFAULT_TARGET),
        help=f"HOST:PORT of the server (default {DEFAULT_TARGET}, env QUOTETRACE_SERVER)",
    )
    parser.add_argument("--api-key-file", type=Path, help="file holding the API key")
    parser.add_argument("--tls-ca", type=Path, help="CA certificate: connect with TLS")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
    commands = parser.add_subparsers(dest="command", required=True)

    verify = commands.add_parser("verify", help="verify a quote, or a JSONL file of claims")
    verify.add_argument("quote", nargs="?", help="the quote to look up")
    verify.add_argument("--speaker", help="who the quote is attributed to")
    verify.add_argument(
        "--file",
        type=Path,
        help='JSONL claims: {"quote": ..., "speaker": ..., "id": ...} per line ("-": stdin)',
    )
    verify.add_argument("--max-variants", type=int, default=0)
    verify.add_argument("--outlet", help="only printings by this outlet")
    verify.add_argument("--from", dest="date_from", help="only printings on/after YYYY-MM-DD")
    verify.add_argument("--to", dest="date_to", help="only printings on/before YYYY-MM-DD")
    output = verify.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the response as JSON")
    output.add_argument(
        "--claimreview", action="store_true", help="ClaimReview-shaped JSON, one per line"
    )

    speaker = commands.add_parser("speaker", help="look a speaker up by any alias")
    speaker.add_argument("name")
    speaker.add_argument("--json", action="store_true")

    quotes = commands.add_parser("quotes", help="list the quotations of an article or speaker")
    which = quotes.add_mutually_exclusive_group(required=True)
    which.add_argument("--article", help="article id")
    which.add_argument("--speaker", help="speaker name (any alias)")
    quotes.add_argument("--json", action="store_true")

    ingest = commands.add_parser("ingest", help="send article files to the server")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--json", action="store_true")

    stats = commands.add_parser("stats", help="corpus statistics")
    stats.add_argument("--json", action="store_true")
    commands.add_parser("health", help="is the server serving?")
    return parser


def make_client(args: argparse.Namespace) -> QuoteTraceClient:
    api_key = os.environ.get("QUOTETRACE_API_KEY") or None
    if args.api_key_file:
        api_key = read_text(args.api_key_file).strip()
    if args.tls_ca:
        read_text(args.tls_ca)
    return QuoteTraceClient(args.server, api_key=api_key, tls_ca=args.tls_ca, timeout=args.timeout)


def read_text(path: Path) -> str:
    try:
        return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None


def run_verify(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    if args.file is not None:
        if args.quote:
            raise CliError("give a quote or --file, not both")
        return run_batch(client, args)
    if not args.quote:
        raise CliError("verify needs a quote (or --file claims.jsonl)")
    request = claim_request(
        args.quote,
        args.speaker,
        max_variants=args.max_variants,
        outlet=args.outlet,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    response = client.verify_request(request)
    if args.json:
        print(render.as_json(response))
    elif args.claimreview:
        print(json.dumps(render.claimreview("1", request, response), ensure_ascii=False))
    else:
        print(render.verify_text(args.quote, response))
    return EXIT_OK


def claims_from_lines(
    lines: list[str], args: argparse.Namespace
) -> Iterator[tuple[str, pb.VerifyRequest]]:
    """Valid claims as (claim_id, request); each invalid line is reported on stderr and skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            claim = parse_claim(line)
        except ValueError as error:
            print(f"quotetrace: {args.file}:{number}: {error}", file=sys.stderr)
            args.bad_lines += 1
            continue
        claim_id = str(claim.get("id") or claim.get("claim_id") or number)
        speaker = claim.get("speaker") or claim.get("claimed_speaker") or claim.get("claimant")
        yield (
            claim_id,
            claim_request(
                claim.get("quote") or claim["claim"],
                speaker,
                max_variants=args.max_variants,
                outlet=args.outlet,
                date_from=args.date_from,
                date_to=args.date_to,
            ),
        )


def parse_claim(line: str) -> dict[str, Any]:
    try:
        claim = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(claim, dict):
        raise ValueError("expected a JSON object")
    quote = claim.get("quote", claim.get("claim"))
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError('missing "quote" (a non-empty string)')
    speaker = claim.get("speaker") or claim.get("claimed_speaker") or claim.get("claimant")
    if speaker is not None and not isinstance(speaker, str):
        raise ValueError('"speaker" must be a string')
    return claim


def run_batch(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    lines = read_text(args.file).splitlines()
    args.bad_lines = 0
    sent: dict[str, pb.VerifyRequest] = {}

    def claims() -> Iterator[tuple[str, pb.VerifyRequest]]:
        for claim_id, request in claims_from_lines(lines, args):
            sent[claim_id] = request
            yield claim_id, request

    answered = 0
    for item in client.verify_stream(claims(), timeout=None):
        answered += 1
        request = sent[item.claim_id]
        if args.json:
            record = {"claim_id": item.claim_id, "response": render.as_dict(item.response)}
            print(json.dumps(record, ensure_ascii=False))
        elif args.claimreview:
            record = render.claimreview(item.claim_id, request, item.response)
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"# claim {item.claim_id}")
            print(render.verify_text(request.quote, item.response) + "\n")
    print(
        f"quotetrace: {answered} claims verified, {args.bad_lines} lines skipped", file=sys.stderr
    )
    return EXIT_FAILED if args.bad_lines else EXIT_OK


def run_speaker(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    response = client.get_speaker(args.name)
    print(render.as_json(response) if args.json else render.speaker_text(response))
    return EXIT_OK


def run_quotes(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    quotes = list(client.all_quotes(article_id=args.article or "", speaker=args.speaker or ""))
    if args.json:
        for q in quotes:
            print(json.dumps(render.as_dict(q), ensure_ascii=False))
    else:
        print("\n".join(render.quote_line(q) for q in quotes) or "(no quotations)")
    return EXIT_OK


def article_messages(paths: list[Path]) -> Iterator[pb.Article]:
    """Articles from files/directories; metadata from a manifest.jsonl beside them, if any."""
    for path in paths:
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        for file in files:
            manifest = manifest_entries(file.parent / "manifest.jsonl").get(file.name, {})
            yield pb.Article(
                text=read_text(file),
                source_name=file.name,
                title=manifest.get("title") or "",
                outlet=manifest.get("outlet") or "",
                wire_credits=manifest.get("wire_credits") or [],
                byline=manifest.get("byline") or "",
                date=manifest.get("date") or "",
                url=manifest.get("url") or "",
            )


def manifest_entries(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    entries = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                raise CliError(f"{path}:{number}: invalid JSON") from None
            entries[str(entry.get("file"))] = entry
    return entries


def run_ingest(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    for path in args.paths:
        if not path.exists():
            raise CliError(f"{path}: no such file or directory")
    response = client.ingest(article_messages(args.paths), timeout=None)
    if args.json:
        print(render.as_json(response))
    else:
        print(
            f"{response.articles_received} received, {response.articles_added} added, "
            f"{response.articles_unchanged} unchanged, {response.quotes_added} quotes added"
        )
    return EXIT_OK


def run_stats(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    response = client.stats()
    print(render.as_json(response) if args.json else render.stats_text(response))
    return EXIT_OK


def run_health(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    status = client.health()
    print(status)
    return EXIT_OK if status == "SERVING" else EXIT_FAILED


COMMANDS = {
    "verify": run_verify,
    "speaker": run_speaker,
    "quotes": run_quotes,
    "ingest": run_ingest,
    "stats": run_stats,
    "health": run_health,
}


def rpc_error_line(error: grpc.RpcError, server: str) -> str:
    code = error.code() if isinstance(error, grpc.Call) else None
    details = error.details() if isinstance(error, grpc.Call) else str(error)
    if code == grpc.StatusCode.UNAVAILABLE:
        return f"cannot reach a quotetrace server at {server} ({(details or '').splitlines()[0]})"
    name = code.name if code is not None else "ERROR"
    return f"{name}: {details}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with make_client(args) as client:
            return COMMANDS[args.command](client, args)
    except CliError as error:
        print(f"quotetrace: {error}", file=sys.stderr)
        return EXIT_USAGE
    except grpc.RpcError as error:
        print(f"quotetrace: {rpc_error_line(error, args.server)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
