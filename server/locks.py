"""Serialize turns per assessment, across threads and across worker processes.

Two messages posted at once to one assessment must apply one after the other; otherwise both
would read the same checkpoint and one answer would be lost.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol


class AssessmentLocks(Protocol):
    def hold(self, assessment_id: str) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


class FileLocks:
    """flock on one file per assessment: exclusive across threads and processes on this host (SQLite).

    Each hold opens its own file description, so two threads of one process exclude each other too.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def hold(self, assessment_id: str) -> Iterator[None]:
        name = hashlib.sha256(assessment_id.encode()).hexdigest()[:32]
        with open(self.directory / f"{name}.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        return None


def advisory_key(assessment_id: str) -> int:
    return int.from_bytes(hashlib.sha256(assessment_id.encode()).digest()[:8], "big", signed=True)


class PostgresLocks:
    """Session advisory locks: exclusive across every worker and host sharing the database.

    The lock lives on the pooled connection held for the whole turn; if the worker dies, Postgres
    ends the session and releases the lock, so a crash never leaves an assessment locked.
    """

    def __init__(self, pool: Any):
        self.pool = pool

    @contextmanager
    def hold(self, assessment_id: str) -> Iterator[None]:
        key = advisory_key(assessment_id)
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def close(self) -> None:
        self.pool.close()


def build_locks(settings: Any) -> AssessmentLocks:
    if settings.database_url:
        from psycopg_pool import ConnectionPool

        from agent.checkpoint import _conninfo

        # One connection per turn in flight; the server's thread pool bounds how many run at once.
        pool = ConnectionPool(
            _conninfo(settings.database_url),
            min_size=1,
            max_size=LOCK_POOL_SIZE,
            open=True,
            kwargs={"autocommit": True},
        )
        return PostgresLocks(pool)
    return FileLocks(Path(settings.data_dir) / "locks")


LOCK_POOL_SIZE = 16
