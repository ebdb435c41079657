"""Limits: body size (413), message length (422), per-key rate (429 + Retry-After), idempotent retries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agent.kb import KnowledgeBase
from agent.runtime import build_engine
from agent.settings import Settings
from server.limits import RateLimiter
from tests.server.test_api import Api, assert_error, running_api


@pytest.fixture
def api(settings: Settings, kb: KnowledgeBase) -> Iterator[Api]:
    limited = settings.model_copy(update={"max_body_bytes": 4096, "max_message_chars": 1000})
    with running_api(limited, kb) as running:
        yield running


def test_an_oversized_body_with_content_length_is_413(api: Api) -> None:
    aid = api.start()["assessment_id"]
    response = api.say(aid, "x" * 5000)
    assert "4096 bytes" in assert_error(response, 413, "payload_too_large")["message"]
    assert _users(api, aid) == []


def test_an_oversized_chunked_body_without_content_length_is_413(api: Api) -> None:
    aid = api.start()["assessment_id"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    response = api.client.post(
        f"/v1/assessments/{aid}/messages",
        headers={**api.auth, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")
    assert _users(api, aid) == []


def test_a_small_chunked_body_is_read_normally(api: Api) -> None:
    aid = api.start()["assessment_id"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": '
        yield b'"Lumen Analytics"}'

    response = api.client.post(
        f"/v1/assessments/{aid}/messages",
        headers={**api.auth, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert response.status_code == 200, response.text
    assert _users(api, aid) == ["Lumen Analytics"]


def test_a_message_over_the_length_limit_is_422_and_says_why(api: Api) -> None:
    aid = api.start()["assessment_id"]
    error = assert_error(api.say(aid, "z" * 1001), 422, "message_too_long")
    assert "1001 characters" in error["message"] and "limit is 1000" in error["message"]
    assert api.say(aid, "z" * 1000).status_code == 200


def test_a_malformed_content_length_is_400(api: Api) -> None:
    response = api.client.post(
        "/v1/assessments", headers={**api.auth, "Content-Length": "not-a-number"}, content=b"{}"
    )
    assert_error(response, 400, "bad_request")


def test_the_rate_limit_is_per_key_with_retry_after(settings: Settings, kb: KnowledgeBase) -> None:
    with running_api(settings.model_copy(update={"rate_limit_per_minute": 3}), kb) as api:
        aid = api.start()["assessment_id"]
        assert api.client.get(f"/v1/assessments/{aid}", headers=api.auth).status_code == 200
        assert api.say(aid, "Lumen Analytics").status_code == 200
        limited = api.client.get(f"/v1/assessments/{aid}", headers=api.auth)
        assert_error(limited, 429, "rate_limited")
        assert 1 <= int(limited.headers["retry-after"]) <= 61
        other_key = api.services.store.create_key("acme")
        assert (
            api.client.get(
                f"/v1/assessments/{aid}", headers={"Authorization": f"Bearer {other_key}"}
            ).status_code
            == 200
        )
        # Health checks carry no key and are never limited.
        assert all(api.client.get("/healthz").status_code == 200 for _ in range(5))


def test_the_rate_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    assert limiter.allow("k") == (True, 0)
    now[0] += 30
    assert limiter.allow("k") == (True, 0)
    allowed, retry_after = limiter.allow("k")
    assert not allowed and retry_after == 31
    assert limiter.allow("other") == (True, 0)
    now[0] += 30
    assert limiter.allow("k") == (True, 0)
    assert limiter.allow("k")[0] is False


def test_a_retried_idempotency_key_is_applied_once(api: Api) -> None:
    aid = api.start()["assessment_id"]
    first = api.say(aid, "Lumen Analytics", **{"Idempotency-Key": "turn-1"})
    assert first.status_code == 200
    assert_error(api.say(aid, "Lumen Analytics", **{"Idempotency-Key": "turn-1"}), 409, "duplicate")
    assert api.say(aid, "Type II", **{"Idempotency-Key": "turn-2"}).status_code == 200
    assert _users(api, aid) == ["Lumen Analytics", "Type II"]


class FailsOnce:
    """The real engine, except that the first answer fails (a crash between receipt and apply)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def send(self, assessment_id: str, text: str) -> Any:
        if not self.failed:
            self.failed = True
            raise RuntimeError("storage hiccup")
        return self._engine.send(assessment_id, text)


def test_a_delivery_that_failed_can_be_retried_with_its_key(settings: Settings, kb: KnowledgeBase) -> None:
    engine = FailsOnce(build_engine(settings, kb=kb))
    with running_api(settings, kb, engine=engine) as api:
        aid = api.start()["assessment_id"]
        assert_error(api.say(aid, "Lumen Analytics", **{"Idempotency-Key": "turn-1"}), 500)
        assert api.say(aid, "Lumen Analytics", **{"Idempotency-Key": "turn-1"}).status_code == 200
        assert_error(api.say(aid, "Lumen Analytics", **{"Idempotency-Key": "turn-1"}), 409)
        assert _users(api, aid) == ["Lumen Analytics"]


def _users(api: Api, aid: str) -> list[str]:
    state = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()
    return [m["text"] for m in state["transcript"] if m["role"] == "user"]
