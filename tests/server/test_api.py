"""The HTTP API contract of interfaces.md, end to end through the real engine (offline, SQLite)."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from agent.kb import KnowledgeBase
from agent.runtime import build_engine
from agent.settings import Settings
from agent.simulate import SimulatedPerson, load_fixture
from agent.state import Pending
from server.app import create_app
from server.logs import JsonFormatter
from server.services import Services, build_services

FIXTURES = Path(__file__).resolve().parents[2] / "evals" / "fixtures"


@dataclass
class Api:
    client: TestClient
    services: Services
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def start(self) -> dict[str, Any]:
        response = self.client.post("/v1/assessments", headers=self.auth)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def say(self, assessment_id: str, text: str, **headers: str) -> Any:
        return self.client.post(
            f"/v1/assessments/{assessment_id}/messages", headers={**self.auth, **headers}, json={"text": text}
        )


@contextmanager
def running_api(
    settings: Settings, kb: KnowledgeBase, *, engine: Any = None, bootstrap: bool = False
) -> Iterator[Api]:
    """The real app over the real engine; the caller's tenant is "acme" with a fresh secret key."""
    services = build_services(settings, engine or build_engine(settings, kb=kb))
    app = create_app(settings, services, bootstrap=bootstrap)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(client, services, services.store.create_key("acme"))
    finally:
        services.close()


@pytest.fixture
def api(settings: Settings, kb: KnowledgeBase) -> Iterator[Api]:
    with running_api(settings, kb) as running:
        yield running


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    error: dict[str, str] = body["error"]
    return error


def test_start_returns_id_first_message_pending_and_progress(api: Api) -> None:
    body = api.start()
    assert len(body["assessment_id"]) >= 16
    assert body["messages"] and all(isinstance(m, str) and m for m in body["messages"])
    assert body["pending"]["kind"] == "intake"
    assert body["progress"]["total"] > 0 and body["progress"]["settled"] == 0
    assert body["status"] == "in_progress"


def test_a_reply_returns_messages_pending_progress_and_status(api: Api) -> None:
    started = api.start()
    response = api.say(started["assessment_id"], "Lumen Analytics")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["assessment_id"] == started["assessment_id"]
    assert body["messages"] and body["status"] == "in_progress"
    assert body["pending"]["kind"] in {"intake", "control"}
    assert body["pending"] != started["pending"]
    assert {"domains", "settled", "total"} <= set(body["progress"])


def test_state_holds_profile_findings_progress_and_the_transcript(api: Api) -> None:
    aid = api.start()["assessment_id"]
    api.say(aid, "Lumen Analytics")
    response = api.client.get(f"/v1/assessments/{aid}", headers=api.auth)
    assert response.status_code == 200
    view = response.json()
    assert view["assessment_id"] == aid
    assert {"profile", "scope", "findings", "progress", "transcript", "pending", "status"} <= set(view)
    users = [m["text"] for m in view["transcript"] if m["role"] == "user"]
    assert users == ["Lumen Analytics"]


def test_a_whole_assessment_over_http_then_its_report_in_three_formats(api: Api) -> None:
    person = SimulatedPerson(load_fixture(FIXTURES / "seed-stage-saas-aws.yaml"))
    turn = api.start()
    aid = turn["assessment_id"]
    opening = person.opening()
    if opening:
        turn = api.say(aid, opening).json()
    for _ in range(200):
        if turn["status"] == "complete":
            break
        response = api.say(aid, person.reply(Pending.model_validate(turn["pending"])))
        assert response.status_code == 200, response.text
        turn = response.json()
    assert turn["status"] == "complete" and turn["pending"]["kind"] == "done"

    assert_error(api.say(aid, "one more thing"), 409, "conflict")

    report = api.client.get(f"/v1/assessments/{aid}/report?format=json", headers=api.auth)
    assert report.status_code == 200
    data = report.json()
    assert data["assessment_id"] == aid
    assert {"organization", "scope", "findings", "summary", "roadmap", "crosswalk", "to_verify"} <= set(data)
    assert {f["status"] for f in data["findings"]} <= {
        "implemented",
        "partial",
        "gap",
        "not_applicable",
        "unknown",
    }
    markdown = api.client.get(f"/v1/assessments/{aid}/report?format=md", headers=api.auth)
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert aid in markdown.text
    html = api.client.get(f"/v1/assessments/{aid}/report", params={"format": "html"}, headers=api.auth)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<html" in html.text.lower()
    assert_error(api.client.get(f"/v1/assessments/{aid}/report?format=pdf", headers=api.auth), 422)


def test_report_while_in_progress_is_scored_so_far(api: Api) -> None:
    aid = api.start()["assessment_id"]
    response = api.client.get(f"/v1/assessments/{aid}/report", headers=api.auth)
    assert response.status_code == 200
    assert response.json()["assessment_id"] == aid


def test_event_stream_carries_the_same_turn_as_json(api: Api) -> None:
    aid = api.start()["assessment_id"]
    with api.client.stream(
        "POST",
        f"/v1/assessments/{aid}/messages",
        headers={**api.auth, "Accept": "text/event-stream"},
        json={"text": "Lumen Analytics"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "done" and "delta" in kinds and "message" in kinds
    done = events[-1][1]
    messages = [data["text"] for kind, data in events if kind == "message"]
    assert messages == done["messages"]
    for index, message in enumerate(messages):
        deltas = "".join(d["text"] for kind, d in events if kind == "delta" and d["index"] == index)
        assert deltas == message
    state = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()
    assert state["pending"] == done["pending"]


def test_delete_removes_the_assessment_and_its_transcript(api: Api) -> None:
    aid = api.start()["assessment_id"]
    api.say(aid, "Lumen Analytics")
    assert api.client.delete(f"/v1/assessments/{aid}", headers=api.auth).status_code == 204
    assert_error(api.client.get(f"/v1/assessments/{aid}", headers=api.auth), 404, "not_found")
    assert_error(api.client.delete(f"/v1/assessments/{aid}", headers=api.auth), 404)
    assert not api.services.engine.exists(aid)
    assert api.services.store.owner(aid) is None


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("POST", "/messages"), ("GET", "/report"), ("DELETE", "")],
)
def test_unknown_ids_are_404(api: Api, method: str, suffix: str) -> None:
    response = api.client.request(
        method, f"/v1/assessments/0123456789abcdef{suffix}", headers=api.auth, json={"text": "hi"}
    )
    assert_error(response, 404, "not_found")


def test_invalid_bodies_are_422_with_a_reason(api: Api) -> None:
    aid = api.start()["assessment_id"]
    url = f"/v1/assessments/{aid}/messages"
    broken = api.client.post(url, headers={**api.auth, "Content-Type": "application/json"}, content=b"{text:")
    assert "not valid JSON" in assert_error(broken, 422, "invalid_request")["message"]
    assert "text" in assert_error(api.client.post(url, headers=api.auth, json={}), 422)["message"]
    assert_error(api.client.post(url, headers=api.auth, json={"text": ""}), 422)
    assert_error(api.client.post(url, headers=api.auth, json={"text": "hi", "role": "system"}), 422)
    assert_error(api.client.post(url, headers=api.auth, json=["hi"]), 422)


def test_unknown_routes_and_methods_answer_json(api: Api) -> None:
    assert_error(api.client.get("/v1/nothing-here"), 404)
    assert_error(api.client.put("/v1/assessments", headers=api.auth), 405)


class ExplodingEngine:
    """The real engine, except that answering blows up with details no client may see."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def send(self, assessment_id: str, text: str) -> Any:
        raise RuntimeError("db password hunter2 at /srv/secret/path.py line 42")


def test_an_internal_error_is_a_json_500_without_a_traceback(settings: Settings, kb: KnowledgeBase) -> None:
    engine = ExplodingEngine(build_engine(settings, kb=kb))
    with running_api(settings, kb, engine=engine) as api:
        aid = api.start()["assessment_id"]
        response = api.say(aid, "Lumen Analytics")
    error = assert_error(response, 500, "internal_error")
    assert "not applied" in error["message"]
    for leak in ("hunter2", "RuntimeError", "secret/path", 'File "'):
        assert leak not in response.text


def test_openapi_documents_the_api(api: Api) -> None:
    assert api.client.get("/docs").status_code == 200
    spec = api.client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"/v1/assessments", "/v1/assessments/{assessment_id}/messages"} <= set(paths)
    assert "/v1/assessments/{assessment_id}/report" in paths and "/healthz" in paths
    assert "MessageIn" in spec["components"]["schemas"] and "TurnOut" in spec["components"]["schemas"]
    assert "404" in paths["/v1/assessments/{assessment_id}"]["get"]["responses"]


def test_healthz_is_alive(api: Api) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readyz_reports_the_index_and_the_store(api: Api) -> None:
    ready = api.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "checks": {"store": True, "index": True, "engine": True}}
    api.services.store.close()
    down = api.client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["checks"]["store"] is False


def test_logs_are_json_with_request_ids_and_never_hold_answers_at_info(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("soc2gap")
    logger.addHandler(handler)
    answer = "Our zebra-umbrella-7731 vault rotates keys"
    try:
        aid = api.start()["assessment_id"]
        response = api.say(aid, answer, **{"X-Request-ID": "req-from-client-1"})
        api.client.get(f"/v1/assessments/{aid}", headers=api.auth)
    finally:
        logger.removeHandler(handler)
    assert response.headers["x-request-id"] == "req-from-client-1"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) >= 3
    assert all(line["request_id"] not in {"", "-"} for line in lines)
    assert any(line["request_id"] == "req-from-client-1" and line["status"] == 200 for line in lines)
    assert "zebra-umbrella" not in stream.getvalue()
    stored = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()["transcript"]
    assert any("zebra-umbrella-7731" in m["text"] for m in stored)


class LockedStoreEngine(ExplodingEngine):
    def send(self, assessment_id: str, text: str) -> Any:
        raise sqlite3.OperationalError("database is locked")


def test_a_busy_store_is_503_with_retry_after(settings: Settings, kb: KnowledgeBase) -> None:
    with running_api(settings, kb, engine=LockedStoreEngine(build_engine(settings, kb=kb))) as api:
        aid = api.start()["assessment_id"]
        response = api.say(aid, "Lumen Analytics")
        assert_error(response, 503, "unavailable")
        assert response.headers["retry-after"] == "5"
        state = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()
        assert not [m for m in state["transcript"] if m["role"] == "user"]
