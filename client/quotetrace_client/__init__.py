"""Python client for the quotetrace.v1 gRPC API, and the `quotetrace` CLI."""

from quotetrace_client.aio import AsyncQuoteTraceClient
from quotetrace_client.client import QuoteTraceClient, claim_request
from quotetrace_client.results import Verdict, VerifyResult

__all__ = ["AsyncQuoteTraceClient", "QuoteTraceClient", "Verdict", "VerifyResult", "claim_request"]
