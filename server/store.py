"""Tenant data: tenants, hashed API keys, which tenant owns which assessment, widget sessions.

SQLite in SOC2GAP_DATA_DIR by default; Postgres when DATABASE_URL is set, so several workers share it.
Checkpoints (the assessments themselves) live in the LangGraph checkpointer, not here.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

KeyKind = Literal["secret", "publishable"]

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tenants (name TEXT PRIMARY KEY, created REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        key_hash TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL,
        allowed_origins TEXT NOT NULL DEFAULT '', created REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS assessments (
        id TEXT PRIMARY KEY, tenant TEXT NOT NULL, session_hash TEXT,
        channel TEXT NOT NULL DEFAULT 'api', created REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS processed_events (
        event_key TEXT PRIMARY KEY, created REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS slack_threads (
        thread_key TEXT PRIMARY KEY, assessment_id TEXT NOT NULL, created REAL NOT NULL)""",
]


KEY_CACHE_S = 60.0
CACHE_ENTRIES = 10_000


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(cache) >= CACHE_ENTRIES:
        cache.clear()  # crude but bounded; a miss only costs one indexed query
    cache[key] = value


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    tenant: str
    kind: KeyKind
    allowed_origins: tuple[str, ...]


class TenantStore:
    """A tiny SQL store that speaks to sqlite3 or psycopg with the same statements."""

    def __init__(self, sqlite_path: Path | None = None, database_url: str | None = None):
        self._pg_pool: Any = None
        self._lock = threading.Lock()
        self._known_keys: dict[str, tuple[float, ApiKey]] = {}
        self._owners: dict[str, tuple[str, str | None]] = {}
        if database_url:
            from psycopg_pool import ConnectionPool

            from agent.checkpoint import _conninfo

            self._pg_pool = ConnectionPool(_conninfo(database_url), min_size=1, max_size=8, open=True)
            self._sqlite: sqlite3.Connection | None = None
        else:
            assert sqlite_path is not None
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            self._sqlite = sqlite3.connect(str(sqlite_path), check_same_thread=False, timeout=30)
            self._sqlite.execute("PRAGMA journal_mode=WAL")
        if database_url:
            from agent.checkpoint import postgres_setup_lock

            with postgres_setup_lock(database_url):
                for statement in SCHEMA:
                    self._execute(statement)
        else:
            for statement in SCHEMA:
                self._execute(statement)

    @property
    def is_postgres(self) -> bool:
        return self._pg_pool is not None

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self._pg_pool is not None:
            with self._pg_pool.connection() as conn, conn.cursor() as cur:
                yield cur
            return
        assert self._sqlite is not None
        with self._lock:
            cur = self._sqlite.cursor()
            try:
                yield cur
                self._sqlite.commit()
            finally:
                cur.close()

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self._pg_pool is not None else statement

    def _execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), params)
            return list(cur.fetchall()) if cur.description else []

    def ping(self) -> bool:
        return self._execute("SELECT 1") == [(1,)]

    def close(self) -> None:
        if self._pg_pool is not None:
            self._pg_pool.close()
        elif self._sqlite is not None:
            self._sqlite.close()

    # tenants and keys
    def ensure_tenant(self, name: str) -> None:
        self._execute(
            "INSERT INTO tenants (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, time.time()),
        )

    def create_key(self, tenant: str, kind: KeyKind = "secret", allowed_origins: tuple[str, ...] = ()) -> str:
        self.ensure_tenant(tenant)
        prefix = "s2g_pk_" if kind == "publishable" else "s2g_sk_"
        key = prefix + secrets.token_urlsafe(24)
        self.add_key(key, tenant, kind, allowed_origins)
        return key

    def add_key(self, key: str, tenant: str, kind: KeyKind, allowed_origins: tuple[str, ...] = ()) -> None:
        """Registers a key the caller chose (the local demo's widget key); stored hashed like any other."""
        self.ensure_tenant(tenant)
        self._execute(
            "INSERT INTO api_keys (key_hash, tenant, kind, allowed_origins, created) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (key_hash) DO UPDATE SET allowed_origins = excluded.allowed_origins",
            (hash_secret(key), tenant, kind, ",".join(allowed_origins), time.time()),
        )

    def lookup_key(self, key: str) -> ApiKey | None:
        """Found keys are remembered for KEY_CACHE_S (every request authenticates; keys rarely change).
        Unknown keys are always looked up, so a key made with `keys create` works at once."""
        key_hash = hash_secret(key)
        cached = self._known_keys.get(key_hash)
        if cached is not None and time.monotonic() - cached[0] < KEY_CACHE_S:
            return cached[1]
        rows = self._execute(
            "SELECT tenant, kind, allowed_origins FROM api_keys WHERE key_hash = ?", (key_hash,)
        )
        if not rows:
            return None
        tenant, kind, origins = rows[0]
        found = ApiKey(tenant=tenant, kind=kind, allowed_origins=tuple(o for o in origins.split(",") if o))
        _remember(self._known_keys, key_hash, (time.monotonic(), found))
        return found

    def all_allowed_origins(self) -> set[str]:
        rows = self._execute("SELECT allowed_origins FROM api_keys WHERE kind = 'publishable'")
        return {o for (origins,) in rows for o in origins.split(",") if o}

    # assessments
    def register_assessment(
        self, assessment_id: str, tenant: str, session_token: str | None = None, channel: str = "api"
    ) -> None:
        self._execute(
            "INSERT INTO assessments (id, tenant, session_hash, channel, created) VALUES (?, ?, ?, ?, ?)",
            (
                assessment_id,
                tenant,
                hash_secret(session_token) if session_token else None,
                channel,
                time.time(),
            ),
        )

    def owner(self, assessment_id: str) -> tuple[str, str | None] | None:
        """An assessment's owner never changes, so found owners are remembered; a worker that missed a
        DELETE elsewhere still answers 404, because the checkpoint is gone too."""
        cached = self._owners.get(assessment_id)
        if cached is not None:
            return cached
        rows = self._execute("SELECT tenant, session_hash FROM assessments WHERE id = ?", (assessment_id,))
        if not rows:
            return None
        found = (rows[0][0], rows[0][1])
        _remember(self._owners, assessment_id, found)
        return found

    def list_assessments(self, tenant: str) -> list[str]:
        rows = self._execute("SELECT id FROM assessments WHERE tenant = ? ORDER BY created", (tenant,))
        return [r[0] for r in rows]

    def forget_assessment(self, assessment_id: str) -> None:
        self._owners.pop(assessment_id, None)
        self._execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))
        self._execute("DELETE FROM slack_threads WHERE assessment_id = ?", (assessment_id,))

    # idempotency for retried deliveries (Slack retries, client retries)
    def first_delivery(self, event_key: str) -> bool:
        """True exactly once per key, across workers: the insert is the lock."""
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO processed_events (event_key, created) VALUES (?, ?) "
                    "ON CONFLICT (event_key) DO NOTHING"
                ),
                (event_key, time.time()),
            )
            return bool(cur.rowcount == 1)

    def forget_delivery(self, event_key: str) -> None:
        """The delivery failed before it was applied: a retry of it must be allowed through."""
        self._execute("DELETE FROM processed_events WHERE event_key = ?", (event_key,))

    # slack thread -> assessment
    def thread_assessment(self, thread_key: str) -> str | None:
        rows = self._execute("SELECT assessment_id FROM slack_threads WHERE thread_key = ?", (thread_key,))
        return rows[0][0] if rows else None

    def bind_thread(self, thread_key: str, assessment_id: str) -> None:
        self._execute(
            "INSERT INTO slack_threads (thread_key, assessment_id, created) VALUES (?, ?, ?) "
            "ON CONFLICT (thread_key) DO NOTHING",
            (thread_key, assessment_id, time.time()),
        )


def build_store(settings: Any) -> TenantStore:
    if settings.database_url:
        return TenantStore(database_url=settings.database_url)
    return TenantStore(sqlite_path=settings.app_db_path)
