"""Server settings: defaults, overridden by QUOTETRACE_* environment variables, then flags."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 50051
DEFAULT_DB = "data/quotetrace.db"
MIB = 1024 * 1024
LOG_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"


@dataclass(frozen=True)
class Limits:
    max_quote_chars: int = 5_000
    max_article_bytes: int = 2 * MIB
    max_variants: int = 100
    default_variants: int = 10
    max_page_size: int = 500
    default_page_size: int = 50
    max_speaker_chars: int = 200
    # gRPC message cap: the largest article plus its metadata, with headroom.
    max_message_bytes: int = 4 * MIB


@dataclass(frozen=True)
class ServerConfig:
    db: Path = Path(DEFAULT_DB)
    host: str = "[::]"
    port: int = DEFAULT_PORT
    workers: int = 4  # blocking threads per process: ingest, listing, counting
    max_concurrent_calls: int = 256  # per process; beyond it calls get RESOURCE_EXHAUSTED
    processes: int = 1  # above 1: this many worker processes answer Verify (verify_pool)
    api_key: str | None = None  # when set, required for IngestArticles
    keys_required_for_reads: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    seed_dir: Path | None = None  # ingested on start when the index is empty
    stanza_dir: str | None = None
    grace_seconds: float = 10.0
    log_level: str = "INFO"
    limits: Limits = Limits()


def env_api_key() -> str | None:
    """The API key from QUOTETRACE_API_KEY or the file named by QUOTETRACE_API_KEY_FILE."""
    if key_file := os.environ.get("QUOTETRACE_API_KEY_FILE"):
        return Path(key_file).read_text(encoding="utf-8").strip() or None
    return os.environ.get("QUOTETRACE_API_KEY") or None


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
