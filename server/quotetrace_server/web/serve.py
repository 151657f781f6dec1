"""Serve the page with uvicorn as a task on the event loop that runs the gRPC server.

The socket is bound here, before uvicorn starts, so a port in use is an OSError the
caller reports (uvicorn would log it and exit the process), and port 0 gives the port
the system chose. uvicorn installs no signal handlers off the main thread: the server's
own handler stops both services.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

log = logging.getLogger(__name__)

# How long start-up may take before it is reported as a failure.
START_SECONDS = 10.0


@dataclass
class RunningWeb:
    server: uvicorn.Server
    task: asyncio.Task[None]
    port: int

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish (uvicorn's graceful timeout)."""
        self.server.should_exit = True
        await self.task


def bound_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host` (its first address, IPv4 first) and `port`."""
    infos = socket.getaddrinfo(
        host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    family, kind, proto, _, address = sorted(infos, key=lambda info: info[0] != socket.AF_INET)[0]
    # The protocol as resolved (TCP), not 0: asyncio sets TCP_NODELAY on accepted
    # connections only for sockets that say they are TCP, and without it a response
    # written in two pieces waits for the client's delayed ACK (~40 ms).
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise OSError(
            error.errno, f"cannot listen on {host}:{port} for the web page: {error.strerror}"
        ) from None
    return sock


async def start_web(
    app: Starlette,
    host: str,
    port: int,
    *,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    grace: float | None = None,
) -> RunningWeb:
    """Start serving `app` on the running loop; return once it accepts connections."""
    sock = bound_socket(host, port)
    config = uvicorn.Config(
        app,
        log_config=None,  # the server's logging, as configured by the CLI
        lifespan="off",
        server_header=False,
        proxy_headers=False,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        timeout_graceful_shutdown=int(grace) if grace else None,
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(START_SECONDS):
            while not server.started:
                if task.done():
                    task.result()  # raises what stopped it
                    raise OSError(f"the web page could not start on {host}:{port}")
                await asyncio.sleep(0.01)
    except BaseException:
        server.should_exit = True
        sock.close()
        raise
    bound = int(sock.getsockname()[1])
    return RunningWeb(server, task, bound)
