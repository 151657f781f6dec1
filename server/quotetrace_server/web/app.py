"""The ASGI application (Starlette): the desk's page and its ClaimReview download.

Routes, all GET (HEAD too; anything else is 405):

- ``/?q=QUOTE&speaker=NAME&outlet=OUTLET&from=YYYY-MM-DD&to=YYYY-MM-DD``: the form, and
  with a quote the answer: verdict, confidence, explanation, speakers, each wording with
  its diff against the query and its printings, the outlets with their printings' links
  and dates, how many printings the filters hide, a link to the ClaimReview. Only ``q`` is
  required; the filters are Verify's (outlet, date range).
- ``/claimreview.jsonld?…`` (the same parameters): schema.org ClaimReview JSON-LD for the
  same claim, built by the client's builder (quotetrace_client.claimreview), as a download.
- ``/static/...``: the style sheet.

A request the service refuses (over-long quote, a control character, ...) gets a 400 page
with the same one-line message gRPC would give; an index that cannot be read, a 500.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.claimreview import Reviewer, claimreview
from quotetrace_client.results import VerifyResult
from quotetrace_server import errors
from quotetrace_server.web.page import Claim, claimreview_href, outlet_rows, wordings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# Verify as the gRPC service answers it: validation, the engine (or its worker processes).
VerifyCall = Callable[[pb.VerifyRequest], Awaitable[pb.VerifyResponse]]

# No script at all, styles and images from this server only, forms post back here only.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATUS_BY_ERROR: dict[type[errors.QuoteTraceError], int] = {
    errors.InvalidArgument: 400,
    errors.ResourceExhausted: 429,
    errors.Unavailable: 503,
    errors.DeadlineExceeded: 504,
}


def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def reviewer_from_env() -> Reviewer:
    """The reviewing organisation, from the variables the CLI's --claimreview reads too."""
    return Reviewer(
        name=os.environ.get("QUOTETRACE_ORG_NAME") or "quotetrace",
        url=os.environ.get("QUOTETRACE_ORG_URL") or None,
        review_url=os.environ.get("QUOTETRACE_REVIEW_URL") or None,
    )


def claim_from(request: Request) -> Claim:
    """The claim and its filters from the query string, as typed (the service validates
    them: a malformed date is its one-line 400)."""
    params = request.query_params

    def field(name: str) -> str:
        return params.get(name, "").strip()

    return Claim(params.get("q", ""), field("speaker"), field("outlet"), field("from"), field("to"))


def error_status(error: errors.QuoteTraceError) -> int:
    return next((code for cls, code in STATUS_BY_ERROR.items() if isinstance(error, cls)), 500)


def web_app(verify: VerifyCall) -> Starlette:
    """The page, answering with `verify`."""
    env = templates()
    page_template = env.get_template("page.html")

    def page(claim: Claim, status: int = 200, **values: object) -> HTMLResponse:
        defaults: dict[str, object] = {"result": None, "error": None}
        html = page_template.render(claim=claim, **(defaults | values))
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    async def index(request: Request) -> Response:
        claim = claim_from(request)
        if not claim.quote.strip():
            return page(claim)
        try:
            response = await verify(claim.request())
        except errors.QuoteTraceError as error:
            if error_status(error) >= 500:
                log.error("web page: %s", error.message)
            return page(claim, error_status(error), error=error.message)
        result = VerifyResult.from_proto(response)
        return page(
            claim,
            result=result,
            wordings=wordings(result),
            outlets=outlet_rows(result),
            claimreview_href=claimreview_href(claim),
        )

    async def download(request: Request) -> Response:
        claim = claim_from(request)
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": 'attachment; filename="claimreview.jsonld"',
        }
        if not claim.quote.strip():
            return error_json(400, "q (the quote) is required", headers)
        verify_request = claim.request()
        try:
            response = await verify(verify_request)
        except errors.QuoteTraceError as error:
            return error_json(error_status(error), error.message, headers)
        review = claimreview(None, verify_request, response, reviewer_from_env())
        body = json.dumps(review, ensure_ascii=False, indent=2) + "\n"
        return Response(body, media_type="application/ld+json", headers=headers)

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/claimreview.jsonld", download, methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
    )


def error_json(status: int, message: str, headers: dict[str, str]) -> Response:
    body = json.dumps({"error": message}, ensure_ascii=False) + "\n"
    headers = {k: v for k, v in headers.items() if k != "Content-Disposition"}
    return Response(body, status_code=status, media_type="application/json", headers=headers)
