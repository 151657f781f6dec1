"""Python client for the quotetrace.v1 gRPC API, and the `quotetrace` CLI."""

from quotetrace_client.client import QuoteTraceClient, claim_request

__all__ = ["QuoteTraceClient", "claim_request"]
