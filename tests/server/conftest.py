"""Fixtures shared by the server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.bench_load import postgres_reachable, scratch_database
from tests.conftest import services_required


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A scratch database on the local Postgres; skips without one, except where CI requires it."""
    why_not = postgres_reachable()
    if why_not:
        if services_required():
            pytest.fail(f"Postgres at 127.0.0.1:5432 is required here: {why_not}")
        pytest.skip(f"Postgres at 127.0.0.1:5432 unreachable: {why_not}")
    with scratch_database() as url:
        yield url
