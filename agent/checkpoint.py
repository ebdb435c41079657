"""Where assessments persist between turns: one LangGraph thread per assessment id.

SQLite under settings.data_dir by default (nothing to run); Postgres when DATABASE_URL is set, so
several server processes can share assessments.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.settings import Settings


def open_checkpointer(settings: Settings) -> BaseCheckpointSaver:
    """A ready-to-use saver (tables created). Close it with close_checkpointer."""
    if settings.database_url:
        return _postgres(settings.database_url)
    return _sqlite(settings)


def _sqlite(settings: Settings) -> SqliteSaver:
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # Server threads share the connection; SqliteSaver serialises access with its own lock.
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    saver = SqliteSaver(conn)
    saver.setup()  # switches the file to WAL
    # In WAL mode NORMAL still survives a killed process (only a power cut can lose the last commit),
    # and it spares an fsync on every step of every turn.
    conn.execute("PRAGMA synchronous=NORMAL")
    return saver


def _postgres(database_url: str) -> BaseCheckpointSaver:
    # Imported here: the postgres extra is optional and SQLite users never pay for it.
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    kwargs: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool = ConnectionPool(conninfo=_conninfo(database_url), max_size=10, kwargs=kwargs, open=True)
    saver = PostgresSaver(pool)  # type: ignore[arg-type]
    with postgres_setup_lock(database_url):
        saver.setup()
    return saver


# Any fixed number: every process of this app that creates tables takes this one advisory lock.
SCHEMA_LOCK_KEY = 0x50C2_6A90


@contextmanager
def postgres_setup_lock(database_url: str) -> Iterator[None]:
    """Server workers start together; concurrent CREATE TABLE IF NOT EXISTS / migrations race in
    Postgres (duplicate pg_type rows), so schema setup runs one process at a time.

    The lock is polled with pg_try_advisory_lock on its own autocommit connection: a session blocked
    inside pg_advisory_lock keeps a snapshot open, and the checkpointer's CREATE INDEX CONCURRENTLY
    migrations wait for every such snapshot, which would deadlock the two workers.
    """
    import psycopg

    with psycopg.connect(_conninfo(database_url), autocommit=True) as conn:
        while not conn.execute("SELECT pg_try_advisory_lock(%s)", (SCHEMA_LOCK_KEY,)).fetchone()[0]:  # type: ignore[index]
            time.sleep(0.05)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def _conninfo(database_url: str) -> str:
    # SQLAlchemy-style URLs ("postgresql+psycopg://") are common in .env files; libpq wants the plain scheme.
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres+psycopg://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    return database_url


def close_checkpointer(saver: BaseCheckpointSaver) -> None:
    conn = getattr(saver, "conn", None)
    close = getattr(conn, "close", None)
    if callable(close):
        close()


@contextmanager
def checkpointer(settings: Settings) -> Iterator[BaseCheckpointSaver]:
    saver = open_checkpointer(settings)
    try:
        yield saver
    finally:
        close_checkpointer(saver)
