"""Shared fixtures. The tripwire makes any real Anthropic call fail the test that made it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.kb import KnowledgeBase, load_knowledge
from agent.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REAL_MODEL_HOSTS = {"api.anthropic.com", "anthropic.com"}
_real_getaddrinfo = socket.getaddrinfo


def _tripwire_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if isinstance(host, str) and any(host == h or host.endswith("." + h) for h in REAL_MODEL_HOSTS):
        pytest.fail(f"tripwire: a test tried to reach the real model API at {host}", pytrace=False)
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def model_api_tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket, "getaddrinfo", _tripwire_getaddrinfo)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    yield


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", llm="offline", _env_file=None)  # type: ignore[call-arg]


def services_required() -> bool:
    """CI sets SOC2GAP_REQUIRE_SERVICES=1 so a missing Postgres fails instead of skipping."""
    return os.environ.get("SOC2GAP_REQUIRE_SERVICES") == "1"
