"""One mapping from the errors of the contract to gRPC statuses (issue 15, "Structure")."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import grpc
import pytest

from quotetrace_server import errors
from quotetrace_server.api import servicer, status
from quotetrace_server.nlp.pipeline import NlpUnavailableError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InvalidArgument("quote is empty"), grpc.StatusCode.INVALID_ARGUMENT),
        (errors.NotFound("no article 0123456789abcdef"), grpc.StatusCode.NOT_FOUND),
        (errors.FailedPrecondition("no models"), grpc.StatusCode.FAILED_PRECONDITION),
        (errors.Unavailable("worker died"), grpc.StatusCode.UNAVAILABLE),
        (errors.DeadlineExceeded("idle"), grpc.StatusCode.DEADLINE_EXCEEDED),
        (errors.Cancelled("cancelled"), grpc.StatusCode.CANCELLED),
        (errors.ResourceExhausted("full"), grpc.StatusCode.RESOURCE_EXHAUSTED),
        (errors.IndexDamaged("damaged"), grpc.StatusCode.DATA_LOSS),
    ],
)
def test_each_error_of_the_contract_has_its_status(
    error: errors.QuoteTraceError, code: grpc.StatusCode
) -> None:
    assert status.contract_error(error) is error
    assert status.status_for(error) == code
    assert error.kind == code.name  # the name the Verify workers send it under
    assert errors.BY_KIND[error.kind] is type(error)
    prefixed = error.prefixed("claim c7: ")
    assert type(prefixed) is type(error) and prefixed.message == "claim c7: " + error.message


def test_library_errors_map_to_the_contract_and_bugs_do_not() -> None:
    nlp = status.contract_error(NlpUnavailableError("stanza models missing"))
    assert isinstance(nlp, errors.FailedPrecondition) and "stanza" in nlp.message
    damage = status.contract_error(sqlite3.DatabaseError("database disk image is malformed"))
    assert isinstance(damage, errors.IndexDamaged)
    assert status.contract_error(sqlite3.OperationalError("database is locked")) is None
    assert status.contract_error(KeyError("bug")) is None


def test_the_servicer_maps_no_error_itself() -> None:
    """The interceptor is the one place: no method catches errors to abort with a status."""
    tree = ast.parse(Path(servicer.__file__).read_text(encoding="utf-8"))
    aborts = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"abort", "StatusCode"}
    ]
    assert aborts == []
