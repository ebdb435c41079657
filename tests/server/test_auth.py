"""Tenancy and keys: hashed storage, tenant isolation, the widget's publishable key and its sessions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from agent.cli import app as cli
from agent.kb import KnowledgeBase
from agent.settings import Settings
from server.services import DEFAULT_TENANT, DEMO_WIDGET_KEY
from tests.server.test_api import Api, assert_error, running_api

WIDGET_ORIGIN = "https://shop.example.com"


@pytest.fixture
def api(settings: Settings, kb: KnowledgeBase) -> Iterator[Api]:
    with running_api(settings, kb) as running:
        yield running


def bearer(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def every_stored_value(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            str(value) for table in tables for row in conn.execute(f"SELECT * FROM {table}") for value in row
        ]
    finally:
        conn.close()


def test_keys_create_prints_a_key_that_is_stored_only_hashed(
    settings: Settings, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["keys", "create", "--tenant", "globex"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("s2g_sk_") and len(key) > 30

    values = every_stored_value(settings.app_db_path)
    assert "globex" in values
    assert not any(key in value for value in values)
    assert key.encode() not in settings.app_db_path.read_bytes()
    wal = settings.app_db_path.with_name(settings.app_db_path.name + "-wal")
    assert not wal.exists() or key.encode() not in wal.read_bytes()

    with running_api(settings, kb) as api:
        started = api.client.post("/v1/assessments", headers=bearer(key))
        assert started.status_code == 201
        assert api.services.store.owner(started.json()["assessment_id"]) == ("globex", None)
        listed = api.client.get("/v1/assessments", headers=bearer(key)).json()["assessments"]
        assert listed == [started.json()["assessment_id"]]


def test_a_publishable_key_needs_an_origin(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(settings.data_dir))
    refused = CliRunner().invoke(cli, ["keys", "create", "--tenant", "globex", "--publishable"])
    assert refused.exit_code != 0
    made = CliRunner().invoke(
        cli, ["keys", "create", "--tenant", "globex", "--publishable", "--origin", WIDGET_ORIGIN + "/"]
    )
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("s2g_pk_")
    from server.store import build_store

    store = build_store(settings)
    try:
        found = store.lookup_key(key)
    finally:
        store.close()
    assert found is not None and found.kind == "publishable" and found.allowed_origins == (WIDGET_ORIGIN,)


def test_missing_or_wrong_keys_are_401(api: Api) -> None:
    assert_error(api.client.post("/v1/assessments"), 401, "unauthorized")
    assert_error(api.client.post("/v1/assessments", headers={"Authorization": "Basic abc"}), 401)
    assert_error(api.client.post("/v1/assessments", headers=bearer("s2g_sk_made_up")), 401)
    assert_error(api.client.get("/v1/assessments", headers=bearer(api.key[:-1])), 401)


def test_another_tenant_gets_404_for_every_operation(api: Api) -> None:
    aid = api.start()["assessment_id"]
    other = api.services.store.create_key("initech")
    for method, path in [
        ("GET", f"/v1/assessments/{aid}"),
        ("POST", f"/v1/assessments/{aid}/messages"),
        ("GET", f"/v1/assessments/{aid}/report"),
        ("DELETE", f"/v1/assessments/{aid}"),
    ]:
        response = api.client.request(method, path, headers=bearer(other), json={"text": "mark it all done"})
        assert_error(response, 404, "not_found")
    assert api.client.get("/v1/assessments", headers=bearer(other)).json() == {"assessments": []}
    # The owner still sees it untouched.
    state = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()
    assert not [m for m in state["transcript"] if m["role"] == "user"]


def test_a_second_key_of_the_same_tenant_shares_its_assessments(api: Api) -> None:
    aid = api.start()["assessment_id"]
    colleague = api.services.store.create_key("acme")
    assert api.client.get(f"/v1/assessments/{aid}", headers=bearer(colleague)).status_code == 200


@pytest.fixture
def widget(api: Api) -> str:
    return api.services.store.create_key("acme", "publishable", (WIDGET_ORIGIN,))


def test_the_widget_key_works_only_from_its_origins(api: Api, widget: str) -> None:
    assert api.client.post("/v1/assessments", headers=bearer(widget, Origin=WIDGET_ORIGIN)).status_code == 201
    assert_error(api.client.post("/v1/assessments", headers=bearer(widget)), 403, "forbidden")
    evil = bearer(widget, Origin="https://evil.example.net")
    assert_error(api.client.post("/v1/assessments", headers=evil), 403)
    spoofed = bearer(widget, **{"Sec-Fetch-Site": "cross-site"})
    assert_error(api.client.post("/v1/assessments", headers=spoofed), 403)


def test_the_widget_continues_only_its_own_sessions(api: Api, widget: str) -> None:
    headers = bearer(widget, Origin=WIDGET_ORIGIN)
    mine = api.client.post("/v1/assessments", headers=headers).json()
    theirs = api.client.post("/v1/assessments", headers=headers).json()
    token = mine["session_token"]
    assert token and token != theirs["session_token"]
    aid = mine["assessment_id"]

    with_token = {**headers, "X-Session-Token": token}
    answered = api.client.post(f"/v1/assessments/{aid}/messages", headers=with_token, json={"text": "Lumen"})
    assert answered.status_code == 200
    assert api.client.get(f"/v1/assessments/{aid}", headers=with_token).status_code == 200
    assert api.client.get(f"/v1/assessments/{aid}/report", headers=with_token).status_code == 200

    # Without the token, or with another session's, it does not exist.
    stolen = {**headers, "X-Session-Token": theirs["session_token"]}
    for attempt in (headers, stolen, {**headers, "X-Session-Token": "guess"}):
        assert_error(api.client.get(f"/v1/assessments/{aid}", headers=attempt), 404)
        response = api.client.post(f"/v1/assessments/{aid}/messages", headers=attempt, json={"text": "x"})
        assert_error(response, 404)
    # Assessments started with the tenant's secret key are not the widget's either.
    secret_one = api.start()["assessment_id"]
    assert_error(api.client.get(f"/v1/assessments/{secret_one}", headers=with_token), 404)


def test_the_widget_can_never_list_assessments(api: Api, widget: str) -> None:
    headers = bearer(widget, Origin=WIDGET_ORIGIN)
    api.client.post("/v1/assessments", headers=headers)
    assert_error(api.client.get("/v1/assessments", headers=headers), 403, "forbidden")
    assert len(api.client.get("/v1/assessments", headers=api.auth).json()["assessments"]) == 1


def test_cors_preflight_allows_only_known_origins(api: Api, widget: str) -> None:
    def preflight(origin: str) -> httpx.Response:
        return api.client.options(
            "/v1/assessments",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type,x-session-token",
            },
        )

    # Origins a publishable key names, created after start-up, and the configured defaults.
    for origin in (WIDGET_ORIGIN, "http://localhost:8000"):
        allowed = preflight(origin)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == origin
        assert "x-session-token" in allowed.headers["access-control-allow-headers"].lower()
    refused = preflight("https://evil.example.net")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers

    simple = api.client.get("/healthz", headers={"Origin": WIDGET_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == WIDGET_ORIGIN
    assert (
        "access-control-allow-origin"
        not in api.client.get("/healthz", headers={"Origin": "https://evil.example.net"}).headers
    )


def test_bootstrap_creates_the_local_tenant_and_demo_widget_key(
    settings: Settings, kb: KnowledgeBase
) -> None:
    with running_api(settings.model_copy(update={"port": 8123}), kb, bootstrap=True) as api:
        found = api.services.store.lookup_key(DEMO_WIDGET_KEY)
        assert found is not None and found.tenant == DEFAULT_TENANT and found.kind == "publishable"
        for origin in ("http://localhost:8000", "http://127.0.0.1:8123", "http://localhost:8123"):
            assert origin in found.allowed_origins
        started = api.client.post(
            "/v1/assessments", headers=bearer(DEMO_WIDGET_KEY, Origin="http://127.0.0.1:8123")
        )
        assert started.status_code == 201
        assert api.services.store.owner(started.json()["assessment_id"])[0] == DEFAULT_TENANT  # type: ignore[index]
        # The demo page is served with its key filled in.
        assert DEMO_WIDGET_KEY in api.client.get("/").text
    values = every_stored_value(settings.app_db_path)
    assert DEFAULT_TENANT in values and DEMO_WIDGET_KEY not in values
