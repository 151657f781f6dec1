"""One place where errors become gRPC statuses: a mapping and the interceptor that applies it.

Every QuoteTrace method runs inside ErrorInterceptor: an error from the engine,
validation or a Verify worker (quotetrace_server.errors) is answered with its status
and message; an error SQLite reports as damage is DATA_LOSS and turns health
NOT_SERVING; anything else is a bug, logged once with its traceback and answered
INTERNAL without details.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

import grpc
import grpc.aio

from quotetrace_server import errors
from quotetrace_server.api.handlers import Context, Coroutine, Generator, Handler, rewrap
from quotetrace_server.index.integrity import is_damage
from quotetrace_server.nlp.pipeline import NlpUnavailableError

if TYPE_CHECKING:  # grpc's classes are generic only in their type stubs
    Interceptor: TypeAlias = grpc.aio.ServerInterceptor[Any, Any]
else:
    Interceptor = grpc.aio.ServerInterceptor

log = logging.getLogger(__name__)

SERVICE = "/quotetrace.v1.QuoteTrace/"
DAMAGED = "the index file is damaged; the server has stopped serving (see its log)"

CODES: dict[type[errors.QuoteTraceError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
    errors.DeadlineExceeded: grpc.StatusCode.DEADLINE_EXCEEDED,
    errors.Cancelled: grpc.StatusCode.CANCELLED,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.IndexDamaged: grpc.StatusCode.DATA_LOSS,
}


def contract_error(error: BaseException) -> errors.QuoteTraceError | None:
    """`error` as an error of the contract, or None when it is a bug."""
    if isinstance(error, errors.QuoteTraceError):
        return error
    if isinstance(error, NlpUnavailableError):  # the server can read but cannot ingest
        return errors.FailedPrecondition(str(error))
    if is_damage(error):
        return errors.IndexDamaged(DAMAGED)
    return None


def status_for(error: errors.QuoteTraceError) -> grpc.StatusCode:
    for cls in type(error).__mro__:
        if cls in CODES:
            return CODES[cls]
    return grpc.StatusCode.UNKNOWN


class ErrorInterceptor(Interceptor):
    """Answers each QuoteTrace call that raises with the status its error maps to.

    `on_damage` is awaited the first time the index file reports damage.
    """

    def __init__(self, on_damage: Callable[[], Awaitable[None]] | None = None) -> None:
        self._on_damage = on_damage
        self.damaged = False

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        details: grpc.HandlerCallDetails,
    ) -> Handler:
        handler = await continuation(details)
        if handler is None or not details.method.startswith(SERVICE):
            return handler
        name = details.method.removeprefix(SERVICE)
        return rewrap(
            handler,
            lambda behaviour: self._mapped_coroutine(name, behaviour),
            lambda behaviour: self._mapped_generator(name, behaviour),
        )

    def _mapped_coroutine(self, method: str, behaviour: Coroutine) -> Coroutine:
        async def mapped(request: Any, context: Context) -> Any:
            try:
                return await behaviour(request, context)
            except grpc.aio.AbortError:  # raised by context.abort(): pass it on
                raise
            except Exception as error:
                await self.abort(error, context, method)

        return mapped

    def _mapped_generator(self, method: str, behaviour: Generator) -> Generator:
        async def mapped(request: Any, context: Context) -> AsyncIterator[Any]:
            try:
                async for response in behaviour(request, context):
                    yield response
            except grpc.aio.AbortError:
                raise
            except Exception as error:
                await self.abort(error, context, method)

        return mapped

    async def abort(self, error: Exception, context: Context, method: str) -> NoReturn:
        """Abort the call with the status `error` maps to (logging it if it is a bug)."""
        known = contract_error(error)
        if known is None:
            log.error("%s failed", method, exc_info=error)
            await context.abort(grpc.StatusCode.INTERNAL, f"{method} failed; see server log")
            raise AssertionError("unreachable: context.abort raises")
        if isinstance(known, errors.IndexDamaged) and not self.damaged:
            self.damaged = True
            log.error("%s: the index file is damaged", method, exc_info=error)
            if self._on_damage is not None:
                await self._on_damage()
        await context.abort(status_for(known), known.message)
        raise AssertionError("unreachable: context.abort raises")
