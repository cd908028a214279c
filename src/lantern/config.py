"""Settings, read from LANTERN_* environment variables and passed into the app explicitly."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

WEAK_SECRETS = {"changeme", "secret", "changethis", "password", "lantern"}


class Settings(BaseSettings):
    """Lantern's configuration; every field can be set as LANTERN_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="LANTERN_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./var/lantern.db"
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(48)))
    token_minutes: int = 8 * 60
    cookie_secure: bool = True
    max_event_bytes: int = 64 * 1024
    max_batch_events: int = 1000
    max_request_bytes: int = 16 * 1024 * 1024
    # Records per transaction in `lantern ingest`: each commit writes every page its batch touched, so larger
    # batches write less (1M events on SQLite: 2,000 a batch 4,697/s, 10,000 5,405/s, 50,000 5,510/s; ADR 56),
    # while a SQLite batch holds the write lock for its length (about 2 s at 10,000).
    ingest_batch_size: int = Field(default=10_000, ge=1)
    # Chronology entries each server process holds after reading them, so a chronology read again carries only
    # a stamp per record from the database (ADR 52); 0 holds none. About 1 KB an entry.
    chronology_cache_mb: int = Field(default=64, ge=0)
    scheduler_seconds: float = 60.0
    # Requests handled at once in each server process (its threads; others wait their turn, in order). Python
    # runs one thread at a time per process: more threads only slow whoever holds the write lock; two let one
    # wait for the database while the other runs (measured: docs/benchmarks.md, Load; ADR 45).
    request_threads: int = Field(default=2, ge=1)
    # How ingestion finds the person a record is about: "probabilistic" (strong identifiers, then the
    # linkage model) or "exact" (strong identifiers only; for bulk loads of trusted identifiers).
    matching: Literal["probabilistic", "exact"] = "probabilistic"
    linkage_model_file: Path | None = None  # a model saved by `lantern link-train --out`; else the shipped one
    # Where `lantern link` runs Splink: in process (DuckDB) or on Spark in local mode (ADR 43).
    linkage_backend: Literal["duckdb", "spark"] = "duckdb"
    # DuckDB's memory for `lantern link`; beyond it DuckDB spills to disk (a `.tmp` folder where it runs).
    # 2.5GB keeps a million records within a 4 GiB share; ten million want more memory or much disk.
    linkage_memory: str = Field(default="2.5GB", pattern=r"^\d+(\.\d+)?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")
    delivery_file: Path | None = None  # TOML: agency code -> [{channel, target}], see docs/delivery.md
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "lantern@localhost"
    webhook_secret: SecretStr | None = None  # signs webhook bodies (X-Lantern-Signature)
    # Sign-in hardening (docs/decisions.md ADR 35): lockout after consecutive failures, and a cap on
    # failed sign-ins from one client address in a sliding window (kept in each server process).
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    login_rate_limit: int = Field(default=20, ge=1)
    login_rate_window_seconds: int = Field(default=300, ge=1)
    # The council's DfE three-digit LA code, written as the CIN census's Source/LEA (docs/returns.md);
    # `lantern returns cin-census --la` and the route's `la` override it.
    la_code: str | None = Field(default=None, pattern=r"^\d{3}$")

    @field_validator("secret_key")
    @classmethod
    def refuse_weak_secret(cls, value: SecretStr) -> SecretStr:
        """Refuse well-known or short secrets: they would let anyone forge a session."""
        raw = value.get_secret_value()
        if raw.lower() in WEAK_SECRETS or len(raw) < 32:
            raise ValueError("LANTERN_SECRET_KEY must be a random string of at least 32 characters")
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
