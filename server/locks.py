"""Serialize turns per assessment, across threads and across worker processes.

Two messages posted at once to one assessment must apply one after the other; otherwise both
would read the same checkpoint and one answer would be lost.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol


class AssessmentLocks(Protocol):
    def hold(self, assessment_id: str) -> Any: ...


class FileLocks:
    """flock on one file per assessment: exclusive across processes on this host (the SQLite setup)."""

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


class PostgresLocks:
    """Session advisory locks: exclusive across every worker and host sharing the database."""

    def __init__(self, pool: Any):
        self.pool = pool

    @contextmanager
    def hold(self, assessment_id: str) -> Iterator[None]:
        key = int.from_bytes(hashlib.sha256(assessment_id.encode()).digest()[:8], "big", signed=True)
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def build_locks(settings: Any) -> AssessmentLocks:
    if settings.database_url:
        from psycopg_pool import ConnectionPool

        pool = ConnectionPool(
            settings.database_url, min_size=1, max_size=20, open=True, kwargs={"autocommit": True}
        )
        return PostgresLocks(pool)
    return FileLocks(Path(settings.data_dir) / "locks")
