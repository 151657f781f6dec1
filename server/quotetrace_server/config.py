"""Server settings: defaults, overridden by QUOTETRACE_* environment variables, then flags."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 50051
# Loopback only (127.0.0.1 and [::1]): reaching the server from elsewhere takes --host.
DEFAULT_HOST = "localhost"
DEFAULT_DB = "data/quotetrace.db"
MIB = 1024 * 1024
LOG_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"


@dataclass(frozen=True)
class Limits:
    max_quote_chars: int = 5_000
    # An article's text (UTF-8), what its NLP is given. A news article is 5-50 KB; this
    # is 2.5x the longest. Sized by measurement (bench/bench_growth.py --largest, issue 15):
    # the costliest text measured, one-word quotations ('"a" "a" ...', 32,768 quotations
    # at this limit), takes 24 s of CPU on one core for NLP, attribution and indexing
    # (the bar: 60 s); one-word paragraphs ("a\n\na\n\n...") 24 s, the B1 7 s.
    max_article_bytes: int = 128 * 1024
    # An HTML page as sent (content_type "text/html"): markup and scripts included, it is
    # much larger than the text extracted from it, which max_article_bytes then bounds.
    max_page_bytes: int = 2 * MIB
    max_variants: int = 100
    default_variants: int = 10
    max_page_size: int = 500
    default_page_size: int = 50
    max_speaker_chars: int = 200
    max_wire_credits: int = 20  # credits per article ("Reuters", "AFP", ...)
    max_credit_chars: int = 200  # characters per credit
    # A stream (VerifyStream, IngestArticles) that sends nothing for this long is closed.
    stream_idle_seconds: float = 30.0
    # gRPC message cap: the largest HTML page plus its metadata, with headroom.
    max_message_bytes: int = 4 * MIB


@dataclass(frozen=True)
class ServerConfig:
    db: Path | str = Path(DEFAULT_DB)  # a file, or a postgresql:// URL
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # The desk's web page (server/quotetrace_server/web), on --host too; None: not served.
    http_port: int | None = None
    workers: int = 4  # blocking threads per process: ingest, listing, counting
    # Calls in progress (health checks not counted); beyond it RESOURCE_EXHAUSTED.
    max_concurrent_calls: int = 256
    processes: int = 1  # above 1: this many worker processes answer Verify (verify_pool)
    api_key: str | None = None  # when set, required for IngestArticles
    keys_required_for_reads: bool = False
    # Without an API key, writes (IngestArticles) are refused unless this is set.
    open_writes: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    seed_dir: Path | None = None  # ingested on start when the index is empty
    stanza_dir: str | None = None
    semantic: bool = True  # look claims up by meaning too (False: --lexical-only)
    grace_seconds: float = 10.0
    log_level: str = "INFO"
    limits: Limits = Limits()


class ConfigError(ValueError):
    """Settings that cannot be served safely or at all; the message is one line for the user."""


def check_access(config: ServerConfig) -> None:
    """Raise ConfigError for access settings that contradict each other."""
    if config.api_key is not None and not config.api_key.strip():
        raise ConfigError("the API key is empty")
    if config.keys_required_for_reads and not config.api_key:
        raise ConfigError(
            "--keys-for-reads needs an API key (--api-key-file, QUOTETRACE_API_KEY "
            "or QUOTETRACE_API_KEY_FILE)"
        )
    if config.http_port is not None and config.keys_required_for_reads:
        raise ConfigError(
            "the web page (--http-port) answers without an API key, so it cannot be "
            "served when reads need one (--keys-for-reads)"
        )
    if config.http_port is not None and config.http_port == config.port and config.port:
        raise ConfigError(f"--http-port and --port are both {config.port}")
    if config.open_writes and config.api_key:
        raise ConfigError("--insecure-open-writes and an API key contradict each other")


def write_access(config: ServerConfig) -> str:
    """Who may write, in words, for the start-up line."""
    if config.api_key:
        return (
            "reads and writes need the API key"
            if config.keys_required_for_reads
            else ("writes need the API key")
        )
    return "writes open to anyone" if config.open_writes else "read-only: writes disabled"


def is_loopback(host: str) -> bool:
    """Whether `host` (as given to --host) is reachable only from this machine."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def env_api_key() -> str | None:
    """The API key from QUOTETRACE_API_KEY or the file named by QUOTETRACE_API_KEY_FILE.

    A key file that is empty is an error, not "no key": the operator meant to set one.
    """
    if key_file := os.environ.get("QUOTETRACE_API_KEY_FILE"):
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"QUOTETRACE_API_KEY_FILE {key_file}: {exc.strerror}") from None
        if not key:
            raise ConfigError(f"QUOTETRACE_API_KEY_FILE {key_file} is empty")
        return key
    return os.environ.get("QUOTETRACE_API_KEY", "").strip() or None


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
