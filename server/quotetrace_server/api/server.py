"""Assemble and run the gRPC server: QuoteTrace, health checking, reflection, auth, TLS."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent import futures
from types import FrameType
from typing import TYPE_CHECKING, Any

import grpc
import grpc.aio
from google.protobuf.message import DecodeError, Message
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server import errors
from quotetrace_server.api import convert, validation
from quotetrace_server.api.admission import HEALTH_RESERVE, CallLimitInterceptor
from quotetrace_server.api.auth import ApiKeyInterceptor, WritesClosedInterceptor
from quotetrace_server.api.reflection import reflection_handlers
from quotetrace_server.api.servicer import QuoteTraceServicer, UndecodableRequest
from quotetrace_server.api.status import ErrorInterceptor
from quotetrace_server.api.verify_pool import VerifyPool
from quotetrace_server.config import Limits, ServerConfig, check_access, is_loopback
from quotetrace_server.engine.engine import Engine

if TYPE_CHECKING:  # the web stack is imported only when the page is served
    from quotetrace_server.web.app import VerifyCall
    from quotetrace_server.web.serve import RunningWeb

log = logging.getLogger(__name__)

# grpc_health's type stubs predate its asyncio servicer.
AioHealthServicer: Any = health.aio.HealthServicer  # type: ignore[attr-defined]

# How long past the grace period shutdown waits for grpc to report every call closed.
DRAIN_SLACK_SECONDS = 10.0
# The web page's Verify deadline when worker processes answer it (a gRPC call has its own).
WEB_VERIFY_SECONDS = 30.0

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["QuoteTrace"].full_name


def lenient(message_type: type[Message]) -> Callable[[bytes], Any]:
    """A deserializer that hands undecodable bytes to the servicer to reject as INVALID_ARGUMENT.

    grpc answers a deserializer exception with INTERNAL, which would blame the server
    for a caller's bad bytes (e.g. a lone surrogate encoded into a string field).
    """

    def deserialize(data: bytes) -> Any:
        try:
            return message_type.FromString(data)
        except DecodeError as error:
            return UndecodableRequest(str(error) or "cannot parse")

    return deserialize


def quotetrace_handler(servicer: QuoteTraceServicer) -> grpc.GenericRpcHandler[Any, Any]:
    def unary(
        method: Callable[..., Any], request: type[Message]
    ) -> grpc.RpcMethodHandler[Any, Any]:
        return grpc.unary_unary_rpc_method_handler(
            method,
            request_deserializer=lenient(request),
            response_serializer=lambda m: m.SerializeToString(),
        )

    handlers = {
        "Verify": unary(servicer.Verify, pb.VerifyRequest),
        "VerifyStream": grpc.stream_stream_rpc_method_handler(
            servicer.VerifyStream,
            request_deserializer=lenient(pb.VerifyStreamRequest),
            response_serializer=lambda m: m.SerializeToString(),
        ),
        "IngestArticles": grpc.stream_unary_rpc_method_handler(
            servicer.IngestArticles,
            request_deserializer=lenient(pb.IngestArticlesRequest),
            response_serializer=lambda m: m.SerializeToString(),
        ),
        "IngestArticlesStream": grpc.stream_stream_rpc_method_handler(
            servicer.IngestArticlesStream,
            request_deserializer=lenient(pb.IngestArticlesStreamRequest),
            response_serializer=lambda m: m.SerializeToString(),
        ),
        "DeleteArticle": unary(servicer.DeleteArticle, pb.DeleteArticleRequest),
        "GetArticle": unary(servicer.GetArticle, pb.GetArticleRequest),
        "ListArticles": unary(servicer.ListArticles, pb.ListArticlesRequest),
        "ListQuotes": unary(servicer.ListQuotes, pb.ListQuotesRequest),
        "GetSpeaker": unary(servicer.GetSpeaker, pb.GetSpeakerRequest),
        "GetStats": unary(servicer.GetStats, pb.GetStatsRequest),
    }
    return grpc.method_handlers_generic_handler(SERVICE_NAME, handlers)


# The problem a server starts with while it ingests its seed corpus. Verify refuses
# (UNAVAILABLE) until it is gone: a claim looked up in a half-built index would come back
# a confident NOT_FOUND (or the wrong speakers) that is only true of the part indexed so far.
SEEDING = "the index is being seeded"


class ServingState:
    """Health is SERVING while nothing stops the server from answering: each problem
    (a damaged index, no Verify worker ready, seeding) is reported on and off by name."""

    def __init__(self, health_servicer: Any) -> None:
        self._health = health_servicer
        self.problems: set[str] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    async def report(self, problem: str, present: bool) -> None:
        before = set(self.problems)
        if present:
            self.problems.add(problem)
        else:
            self.problems.discard(problem)
        if self.problems != before:
            await self.publish()

    def verify_refusal(self) -> str | None:
        """Why Verify must not answer now (the index is incomplete), or None."""
        if SEEDING in self.problems:
            return f"{SEEDING}: Verify answers once it is done (health then says SERVING)"
        return None

    async def publish(self) -> None:
        status = (
            health_pb2.HealthCheckResponse.NOT_SERVING
            if self.problems
            else health_pb2.HealthCheckResponse.SERVING
        )
        if self.problems:
            log.warning("health NOT_SERVING: %s", "; ".join(sorted(self.problems)))
        for name in ("", SERVICE_NAME):
            await self._health.set(name, status)


class RunningServer:
    """A grpc.aio server on its own event-loop thread, driven from synchronous code.

    The loop thread leaves the caller's thread free: the CLI's main thread waits for
    signals, and tests call the server through a blocking client from the same process.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        thread: threading.Thread,
        server: grpc.aio.Server,
        health_servicer: Any,  # AioHealthServicer
        blocking: futures.ThreadPoolExecutor,
        port: int,
        verify_pool: VerifyPool | None = None,
        stop_work: Callable[[], None] = lambda: None,
        web: RunningWeb | None = None,
        serving: ServingState | None = None,
    ) -> None:
        self.serving = serving
        self.verify_pool = verify_pool
        self.web = web
        self.stop_work = stop_work
        self.loop = loop
        self.thread = thread
        self.server = server
        self.health = health_servicer
        self.blocking = blocking
        self.port = port

    @property
    def http_port(self) -> int | None:
        """The web page's port, when it is served."""
        return None if self.web is None else self.web.port

    def report(self, problem: str, present: bool) -> None:
        """Say from any thread that `problem` keeps the server from serving (health
        NOT_SERVING), or no longer does."""
        if self.serving is None:
            return
        asyncio.run_coroutine_threadsafe(self.serving.report(problem, present), self.loop).result()

    def stop(self, grace: float | None) -> None:
        """Refuse new calls, give calls in flight `grace` seconds, then wait for handlers.

        Calls still running when the grace period ends are cancelled; an article's NLP
        on a blocking thread stops at its next piece (`stop_work`: the article is not
        stored), an article already being written finishes, so the store is never
        closed under a writer.
        """
        drained = asyncio.run_coroutine_threadsafe(self._drain(grace), self.loop)
        try:
            drained.result(timeout=(grace or 0.0) + DRAIN_SLACK_SECONDS)
        except futures.TimeoutError:  # grpc has cancelled every call by now; stop anyway
            log.warning("calls still open %.0fs after the grace period", DRAIN_SLACK_SECONDS)
        self.stop_work()
        self.blocking.shutdown(wait=True)
        if self.verify_pool is not None:
            self.verify_pool.close()
        stop_loop(self.loop, self.thread)

    async def _drain(self, grace: float | None) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
        if self.web is not None:
            await self.web.stop()
        if self.verify_pool is not None:
            self.verify_pool.detach()


def stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()


def warn_about_exposure(config: ServerConfig) -> None:
    """Log a warning for settings that expose a key or open writes beyond this machine."""
    if is_loopback(config.host):
        return
    if config.api_key and not config.tls_cert:
        log.warning(
            "serving on %s in plaintext: the API key crosses the network unencrypted "
            "(use --tls-cert/--tls-key, or bind loopback)",
            config.host,
        )
    if config.open_writes:
        log.warning(
            "writes are open to anyone who can reach %s (--insecure-open-writes)", config.host
        )
    if config.http_port is not None:
        log.warning(
            "the web page answers anyone who can reach %s:%d, without a key",
            config.host,
            config.http_port,
        )


def start_server(
    engine: Engine, config: ServerConfig, problems: Iterable[str] = ()
) -> RunningServer:
    """Start serving on a new event-loop thread; return once the port is bound.

    `problems` start reported (health NOT_SERVING until each is reported gone with
    RunningServer.report), e.g. an index still being seeded.

    With ``config.processes`` above 1, Verify is answered by that many worker processes
    (started first, so the first calls do not wait for them). Access settings that
    contradict each other raise ConfigError before anything starts.
    """
    check_access(config)
    warn_about_exposure(config)
    pool = None
    if config.processes > 1:
        pool = VerifyPool(config.db, config.processes, config.log_level, semantic=config.semantic)
        log.info("Verify worker processes: %s", ", ".join(map(str, pool.start())))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="grpc-loop", daemon=True)
    thread.start()
    try:
        return asyncio.run_coroutine_threadsafe(
            _started_server(engine, config, loop, thread, pool, problems), loop
        ).result()
    except BaseException:
        stop_loop(loop, thread)
        if pool is not None:
            pool.close()
        raise


async def _started_server(
    engine: Engine,
    config: ServerConfig,
    loop: asyncio.AbstractEventLoop,
    thread: threading.Thread,
    verify_pool: VerifyPool | None,
    problems: Iterable[str] = (),
) -> RunningServer:
    limit = config.limits.max_message_bytes
    options = [
        ("grpc.max_receive_message_length", limit),
        ("grpc.max_send_message_length", limit),
        ("grpc.so_reuseport", 0),  # a second server on the same port must fail, not share
    ]
    health_servicer = AioHealthServicer()
    serving = ServingState(health_servicer)
    serving.problems.update(problems)

    async def store_damaged() -> None:
        await serving.report("the index file is damaged", True)

    # The cap first: every call that reaches the service counts, refused ones included.
    # Errors raised by the servicer become statuses in one place (api/status.py).
    interceptors: list[grpc.aio.ServerInterceptor[Any, Any]] = [
        CallLimitInterceptor(config.max_concurrent_calls),
        ErrorInterceptor(store_damaged),
    ]
    if config.api_key:
        interceptors.append(ApiKeyInterceptor(config.api_key, config.keys_required_for_reads))
    elif not config.open_writes:
        interceptors.append(WritesClosedInterceptor())
    server = grpc.aio.server(
        interceptors=interceptors,
        options=options,
        maximum_concurrent_rpcs=config.max_concurrent_calls + HEALTH_RESERVE,
    )
    blocking = futures.ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="blocking")
    if verify_pool is not None:

        def on_pool(ready: bool) -> None:
            task = loop.create_task(serving.report("no Verify worker is ready", not ready))
            serving.tasks.add(task)  # held until done: the loop keeps only weak references
            task.add_done_callback(serving.tasks.discard)

        verify_pool.on_serving = on_pool
        verify_pool.attach(loop)
    servicer = QuoteTraceServicer(
        engine, config.limits, blocking, verify_pool, serving.verify_refusal
    )
    server.add_generic_rpc_handlers((quotetrace_handler(servicer),))
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    server.add_generic_rpc_handlers(reflection_handlers((SERVICE_NAME, health.SERVICE_NAME)))
    address = f"{config.host}:{config.port}"
    try:
        if config.tls_cert and config.tls_key:
            credentials = grpc.ssl_server_credentials(
                [(config.tls_key.read_bytes(), config.tls_cert.read_bytes())]
            )
            port = server.add_secure_port(address, credentials)
        else:
            port = server.add_insecure_port(address)
    except RuntimeError:  # grpc.aio reports a port it cannot bind this way
        port = 0
    if port == 0:
        blocking.shutdown()
        raise OSError(f"cannot listen on {address}")
    await server.start()
    web = None
    if config.http_port is not None:
        try:
            web = await _started_web(
                web_verify(
                    engine, config.limits, verify_pool, store_damaged, serving.verify_refusal
                ),
                config,
            )
        except BaseException:
            await server.stop(None)
            blocking.shutdown()
            raise
    await serving.publish()
    return RunningServer(
        loop,
        thread,
        server,
        health_servicer,
        blocking,
        port,
        verify_pool,
        engine.stop_ingest,
        web,
        serving,
    )


def web_verify(
    engine: Engine,
    limits: Limits,
    verify_pool: VerifyPool | None,
    store_damaged: Callable[[], Awaitable[None]],
    refusal: Callable[[], str | None] = lambda: None,
) -> VerifyCall:
    """Verify for the web page, as the gRPC service answers it: the same validation, the
    same engine (or its worker processes), the same errors."""

    async def verify(request: pb.VerifyRequest) -> pb.VerifyResponse:
        query = validation.verify_query(request, limits)
        if (why := refusal()) is not None:
            raise errors.Unavailable(why)
        try:
            if verify_pool is None:
                return convert.verify_response(engine.verify(query))
            return await verify_pool.verify(query, WEB_VERIFY_SECONDS)
        except errors.IndexDamaged:
            await store_damaged()
            raise

    return verify


async def _started_web(verify: VerifyCall, config: ServerConfig) -> RunningWeb:
    from quotetrace_server.web.app import web_app
    from quotetrace_server.web.serve import start_web

    assert config.http_port is not None
    web = await start_web(
        web_app(verify),
        config.host,
        config.http_port,
        tls_cert=config.tls_cert,
        tls_key=config.tls_key,
        grace=config.grace_seconds,
    )
    scheme = "https" if config.tls_cert else "http"
    log.info("web page on %s://%s:%d/ (reads only)", scheme, config.host, web.port)
    return web


def serve_until_signalled(running: RunningServer, grace: float) -> None:
    """Block until SIGTERM/SIGINT, then stop taking calls and drain the ones in flight."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: draining for up to %.0fs", signum, grace)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Python runs signal handlers on the main thread only, and a signal the kernel hands
    # to another thread (grpc's, the event loop's) does not wake a main thread blocked
    # without a timeout: wake up now and then to let the handler run.
    while not stop.wait(0.25):
        pass
    running.stop(grace)
    log.info("stopped")
