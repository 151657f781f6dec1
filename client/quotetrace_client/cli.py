"""`quotetrace`: ask a quotetrace server who said a quote, where, and in which words."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TextIO

import grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import render
from quotetrace_client.args import OneLineParser
from quotetrace_client.batch import (
    Answer,
    BatchStopped,
    Skipped,
    Summary,
    read_claims,
    verify_claims,
)
from quotetrace_client.claimreview import Reviewer, claimreview, verdict_name
from quotetrace_client.client import DEFAULT_TARGET, QuoteTraceClient, claim_request
from quotetrace_client.inputs import Unsent, read_inputs

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_VERDICT = 0, 1, 2, 3
VERDICTS = ("verified", "altered", "misattributed", "unattributed", "not_found")


class CliError(Exception):
    """A problem worth one line on stderr and a non-zero exit."""


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return value


def verdict_list(text: str) -> frozenset[str]:
    names = {n.strip().lower().replace("-", "_") for n in text.split(",") if n.strip()}
    if unknown := sorted(names - set(VERDICTS)):
        raise argparse.ArgumentTypeError(
            f"unknown verdict {', '.join(unknown)}; choose from {','.join(VERDICTS)}"
        )
    return frozenset(n.upper() for n in names)


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
        help='JSONL claims: {"id": ..., "quote": ..., "speaker": ...} per line ("-": stdin)',
    )
    verify.add_argument(
        "--max-variants", type=non_negative_int, default=0, help="0: the server's default"
    )
    verify.add_argument("--outlet", help="only printings by this outlet")
    verify.add_argument("--from", dest="date_from", help="only printings on/after YYYY-MM-DD")
    verify.add_argument("--to", dest="date_to", help="only printings on/before YYYY-MM-DD")
    verify.add_argument(
        "--fail-on",
        type=verdict_list,
        default=frozenset(),
        metavar="VERDICT,...",
        help=f"exit {EXIT_VERDICT} if any claim gets one of these verdicts "
        "(e.g. misattributed,altered)",
    )
    output = verify.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the response as JSON")
    output.add_argument(
        "--claimreview", action="store_true", help="schema.org ClaimReview JSON-LD, one per line"
    )
    review = verify.add_argument_group("ClaimReview")
    review.add_argument(
        "--org-name",
        default=os.environ.get("QUOTETRACE_ORG_NAME", "quotetrace"),
        help="the reviewing organisation (env QUOTETRACE_ORG_NAME)",
    )
    review.add_argument(
        "--org-url",
        default=os.environ.get("QUOTETRACE_ORG_URL") or None,
        help="its home page (env QUOTETRACE_ORG_URL)",
    )
    review.add_argument(
        "--review-url",
        default=os.environ.get("QUOTETRACE_REVIEW_URL") or None,
        metavar="TEMPLATE",
        help="URL of each review page; {id} and {line} are filled in "
        "(env QUOTETRACE_REVIEW_URL; default a urn:quotetrace:claim:{id} placeholder)",
    )

    timeline = commands.add_parser(
        "timeline",
        help="where and when a quote was printed: first appearance, then every printing",
    )
    timeline.add_argument("quote", help="the quote to look up")
    timeline.add_argument("--speaker", help="who the quote is attributed to")
    timeline.add_argument("--outlet", help="only printings by this outlet")
    timeline.add_argument("--from", dest="date_from", help="only printings on/after YYYY-MM-DD")
    timeline.add_argument("--to", dest="date_to", help="only printings on/before YYYY-MM-DD")
    timeline.add_argument("--json", action="store_true", help="first appearance and timeline")

    speaker = commands.add_parser("speaker", help="look a speaker up by any alias")
    speaker.add_argument("name")
    speaker.add_argument("--json", action="store_true")

    quotes = commands.add_parser("quotes", help="list the quotations of an article or speaker")
    which = quotes.add_mutually_exclusive_group(required=True)
    which.add_argument("--article", help="article id")
    which.add_argument("--speaker", help="speaker name (any alias)")
    quotes.add_argument("--json", action="store_true")

    ingest = commands.add_parser(
        "ingest", help="send articles (text/HTML files, folders, http(s) URLs) to the server"
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument(
        "--json", action="store_true", help="a JSON line per article, then the summary"
    )
    ingest.add_argument(
        "-v", "--verbose", action="store_true", help="a line per article: what became of it"
    )
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")

    article = commands.add_parser("article", help="an article's metadata and counts, by id")
    article.add_argument("article_id")
    article.add_argument("--text", action="store_true", help="print its text too")
    article.add_argument("--json", action="store_true")

    articles = commands.add_parser("articles", help="list the indexed articles")
    articles.add_argument("--outlet", default="", help="only this outlet's articles")
    articles.add_argument("--json", action="store_true", help="one JSON line per article")

    delete = commands.add_parser(
        "delete", help="remove articles and everything derived from them (needs the API key)"
    )
    delete.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID")

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


def reviewer(args: argparse.Namespace) -> Reviewer:
    return Reviewer(name=args.org_name, url=args.org_url, review_url=args.review_url)


def verdict_exit(args: argparse.Namespace, verdicts: Iterable[str]) -> int:
    return EXIT_VERDICT if args.fail_on & set(verdicts) else EXIT_OK


def run_verify(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    if args.file is not None:
        if args.quote:
            raise CliError("give a quote or --file, not both")
        if args.speaker:
            raise CliError("--speaker is for one quote; with --file, each line names its speaker")
        return run_batch(client, args)
    if not args.quote:
        raise CliError("verify needs a quote (or --file claims.jsonl)")
    request = request_for(args, args.quote, args.speaker)
    response = client.verify_request(request)
    if args.json:
        print(render.as_json(response))
    elif args.claimreview:
        record = claimreview(None, request, response, reviewer(args))
        print(render.json_line(record))
    else:
        print(render.verify_text(args.quote, response))
    return verdict_exit(args, [verdict_name(response.verdict)])


def run_timeline(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    """Verify the quote and print its provenance: dated printings, earliest first."""
    if not args.quote.strip():
        raise CliError("timeline needs a quote")
    response = client.verify_request(request_for(args, args.quote, args.speaker))
    if args.json:
        answer = render.as_dict(response)
        record = {
            "quote": args.quote,
            "verdict": verdict_name(response.verdict),
            "first_appearance": answer.get("first_appearance"),
            "timeline": answer["timeline"],
            "timeline_omitted": response.timeline_omitted,
            "printings_outside_filter": response.printings_outside_filter,
        }
        print(render.json_line(record))
    else:
        print(render.timeline_text(args.quote, response))
    return EXIT_OK


def request_for(args: argparse.Namespace, quote: str, speaker: str | None) -> pb.VerifyRequest:
    return claim_request(
        quote,
        speaker,
        max_variants=getattr(args, "max_variants", 0),
        outlet=args.outlet,
        date_from=args.date_from,
        date_to=args.date_to,
    )


def print_answer(args: argparse.Namespace, answer: Answer, review_by: Reviewer) -> None:
    claim, response = answer.claim, answer.response
    if args.json:
        record = {
            "claim_id": claim.claim_id,
            "line": claim.line,
            "response": render.as_dict(response),
        }
        print(render.json_line(record))
    elif args.claimreview:
        record = claimreview(claim.claim_id, claim.request, response, review_by, line=claim.line)
        print(render.json_line(record))
    else:
        label = f"claim {claim.claim_id} (line {claim.line})" if claim.claim_id else ""
        print(f"# {label or f'line {claim.line}'}")
        print(render.verify_text(claim.request.quote, response) + "\n")


def jsonl_lines(text: str) -> list[str]:
    """Lines split at "\n" only: str.splitlines() would also split at U+2028, U+0085 ..., which
    JSON allows unescaped inside a string, and so shift every line number after them."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def run_batch(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    """Every line is answered on stdout or reported on stderr with its number; see batch."""
    summary = Summary()
    claims, skipped = read_claims(
        jsonl_lines(read_text(args.file)),
        lambda quote, speaker: request_for(args, quote, speaker),
        summary,
    )

    def report(item: Skipped) -> None:
        summary.skipped[item.reason] += 1
        print(f"quotetrace: {args.file}:{item.line}: {item.message}", file=sys.stderr)

    for item in skipped:
        report(item)
    review_by = reviewer(args)
    stopped = None
    try:
        for outcome in verify_claims(client, claims):
            if isinstance(outcome, Skipped):
                report(outcome)
            else:
                summary.verified[verdict_name(outcome.response.verdict)] += 1
                print_answer(args, outcome, review_by)
                sys.stdout.flush()
    except BatchStopped as error:
        stopped = error
        summary.skipped["batch stopped"] += len(error.unanswered)
        lines = ", ".join(str(c.line) for c in error.unanswered[:10])
        more = ", ..." if len(error.unanswered) > 10 else ""
        print(
            f"quotetrace: {args.file}: batch stopped: {error.message}; "
            f"line(s) {lines}{more} not verified",
            file=sys.stderr,
        )
    print(f"quotetrace: {args.file}: {summary.text()}", file=sys.stderr)
    if stopped is not None or summary.skipped:
        return EXIT_FAILED
    return verdict_exit(args, summary.verified)


def run_speaker(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    response = client.get_speaker(args.name)
    print(render.as_json(response) if args.json else render.speaker_text(response))
    return EXIT_OK


def run_quotes(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    quotes = list(client.all_quotes(article_id=args.article or "", speaker=args.speaker or ""))
    if args.json:
        for q in quotes:
            print(render.json_line(render.as_dict(q)))
    else:
        print("\n".join(render.quote_line(q) for q in quotes) or "(no quotations)")
    return EXIT_OK


class Progress(Protocol):
    def update(self) -> object: ...
    def write(self, text: str, file: TextIO) -> None: ...
    def close(self) -> None: ...


class NoProgress:
    """No bar: lines are written as they come."""

    def update(self) -> None:
        pass

    def write(self, text: str, file: TextIO) -> None:
        print(text, file=file)

    def close(self) -> None:
        pass


def progress_bar(shown: bool) -> Progress:
    """A tqdm bar on stderr; none when not `shown`, or where tqdm is not installed (the
    client distribution alone needs only grpcio and protobuf)."""
    if not shown:
        return NoProgress()
    try:
        from tqdm import tqdm
    except ImportError:
        return NoProgress()
    return tqdm(unit="article", file=sys.stderr)


def run_ingest(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    """Every article goes on one IngestArticlesStream; each one's result comes back as
    it is done (a rejected one is printed on stderr with its file or URL, the others
    with --verbose or --json, then the summary). Inputs
    that cannot be read are reported the same way (see inputs); any rejected or unread
    input makes the exit status 1. The progress bar (stderr) shows only on a terminal."""
    sources: dict[int, str] = {}  # stream position → the input it came from
    unsent = 0
    progress = progress_bar(not args.no_progress and sys.stderr.isatty())

    def outgoing() -> Iterator[pb.Article]:
        nonlocal unsent
        for item in read_inputs(str(path) for path in args.paths):
            if isinstance(item, Unsent):
                unsent += 1
                progress.write(f"quotetrace: {item.source}: {item.reason}", sys.stderr)
                continue
            sources[len(sources) + 1] = item.source
            yield item.article

    summary = None
    for response in client.ingest_stream(outgoing(), timeout=None):
        if response.HasField("summary"):
            summary = response.summary
            continue
        result = response.item
        source = sources.pop(result.number, result.name)
        progress.update()
        if args.json:
            progress.write(render.json_line(render.as_dict(result)), sys.stdout)
        elif result.status == pb.INGEST_STATUS_REJECTED:
            progress.write(
                f"quotetrace: {source}: rejected by the server: {result.reason}", sys.stderr
            )
        elif args.verbose:
            progress.write(render.ingest_item_line(result, source), sys.stdout)
    progress.close()
    if summary is None:
        raise CliError("the server ended the ingest stream without a summary")
    not_ingested = unsent + summary.articles_rejected
    if args.json:
        print(render.json_line({"summary": render.as_dict(summary), "not_sent": unsent}))
    else:
        print(render.ingest_summary(summary, not_ingested))
    return EXIT_FAILED if not_ingested else EXIT_OK


def run_article(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    response = client.get_article(args.article_id, include_text=args.text)
    if args.json:
        print(render.as_json(response))
    else:
        print(render.article_text(response.article))
        if args.text:
            print("\n" + response.text)
    return EXIT_OK


def run_articles(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    found = 0
    for info in client.all_articles(outlet=args.outlet):
        found += 1
        print(render.json_line(render.as_dict(info)) if args.json else render.article_line(info))
    if not found and not args.json:
        print("(no articles)")
    return EXIT_OK


def run_delete(client: QuoteTraceClient, args: argparse.Namespace) -> int:
    """Each id is deleted in its own call; an unknown one is reported and the rest go on."""
    missing = 0
    for article_id in args.article_ids:
        try:
            deleted = client.delete_article(article_id)
        except grpc.RpcError as error:
            if not isinstance(error, grpc.Call) or error.code() not in (
                grpc.StatusCode.NOT_FOUND,
                grpc.StatusCode.INVALID_ARGUMENT,
            ):
                raise
            missing += 1
            print(f"quotetrace: {article_id}: {error.details()}", file=sys.stderr)
            continue
        print(
            f"deleted {deleted.article_id}: {deleted.quotes_removed} quotations, "
            f"{deleted.speakers_removed} speakers, {deleted.utterances_removed} utterances"
        )
    return EXIT_FAILED if missing else EXIT_OK


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
    "timeline": run_timeline,
    "speaker": run_speaker,
    "quotes": run_quotes,
    "ingest": run_ingest,
    "article": run_article,
    "articles": run_articles,
    "delete": run_delete,
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
