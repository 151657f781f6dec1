"""The fact-check desk's web page: paste a quote, see the verdict, download the ClaimReview.

Served by `quotetrace-server serve --http-port N` beside the gRPC service, in the same
process and on the same event loop, answering from the same engine (see api/server.py).
It only reads: every route is a GET. Everything from the corpus is untrusted text, and the
page escapes all of it (Jinja2 autoescaping), links only http(s) URLs, runs no script, and
forbids any with its Content-Security-Policy.
"""
