"""DATABASE_URL moves both checkpoints and tenant data to Postgres (a scratch database per run)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from agent.kb import KnowledgeBase
from agent.settings import Settings
from bench.bench_load import scratch_database
from server.locks import PostgresLocks, advisory_key, build_locks
from server.store import TenantStore
from tests.server.test_api import assert_error, running_api


@pytest.fixture
def pg_settings(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(update={"database_url": database_url})


def rows(database_url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def test_the_api_keeps_checkpoints_and_tenants_in_postgres(
    pg_settings: Settings, kb: KnowledgeBase, database_url: str
) -> None:
    with running_api(pg_settings, kb) as api:
        aid = api.start()["assessment_id"]
        assert api.say(aid, "Lumen Analytics").status_code == 200
        state = api.client.get(f"/v1/assessments/{aid}", headers=api.auth).json()
        assert [m["text"] for m in state["transcript"] if m["role"] == "user"] == ["Lumen Analytics"]
        assert api.client.get(f"/v1/assessments/{aid}/report?format=md", headers=api.auth).status_code == 200
        ready = api.client.get("/readyz").json()["checks"]
        assert ready["store"] and ready["engine"]

        assert rows(database_url, "SELECT tenant FROM assessments WHERE id = %s", aid) == [("acme",)]
        assert rows(database_url, "SELECT count(*) FROM checkpoints WHERE thread_id = %s", aid)[0][0] > 0
        stored = rows(database_url, "SELECT key_hash, tenant FROM api_keys")
        assert ("acme" in {t for _, t in stored}) and all(api.key not in str(h) for h, _ in stored)

        assert api.client.delete(f"/v1/assessments/{aid}", headers=api.auth).status_code == 204
        assert_error(api.client.get(f"/v1/assessments/{aid}", headers=api.auth), 404)
        assert rows(database_url, "SELECT count(*) FROM checkpoints WHERE thread_id = %s", aid)[0][0] == 0
        assert rows(database_url, "SELECT count(*) FROM assessments WHERE id = %s", aid)[0][0] == 0
    data_dir = Path(pg_settings.data_dir)
    assert not pg_settings.sqlite_path.exists() and not pg_settings.app_db_path.exists()
    assert not list(data_dir.glob("*.sqlite"))


def test_another_process_sees_the_same_assessment(pg_settings: Settings, kb: KnowledgeBase) -> None:
    with running_api(pg_settings, kb) as first:
        aid = first.start()["assessment_id"]
        first.say(aid, "Lumen Analytics")
        key = first.key
    # A second, independent app (as a second worker or host would be) continues it.
    with running_api(pg_settings, kb) as second:
        auth = {"Authorization": f"Bearer {key}"}
        answered = second.client.post(
            f"/v1/assessments/{aid}/messages", headers=auth, json={"text": "Type II"}
        )
        assert answered.status_code == 200
        users = [
            m["text"]
            for m in second.client.get(f"/v1/assessments/{aid}", headers=auth).json()["transcript"]
            if m["role"] == "user"
        ]
    assert users == ["Lumen Analytics", "Type II"]


def test_the_advisory_lock_excludes_every_other_session(database_url: str) -> None:
    locks = build_locks(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    assert isinstance(locks, PostgresLocks)
    key = advisory_key("assessment-1")
    try:
        with psycopg.connect(database_url, autocommit=True) as other:

            def try_lock() -> bool:
                got = bool(other.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0])  # type: ignore[index]
                if got:
                    other.execute("SELECT pg_advisory_unlock(%s)", (key,))
                return got

            with locks.hold("assessment-1"):
                assert try_lock() is False
                assert bool(
                    other.execute(
                        "SELECT pg_try_advisory_lock(%s)", (advisory_key("assessment-2"),)
                    ).fetchone()[0]  # type: ignore[index]
                )
                other.execute("SELECT pg_advisory_unlock(%s)", (advisory_key("assessment-2"),))
            assert try_lock() is True
    finally:
        locks.close()


def test_a_delivery_is_first_exactly_once_across_stores(database_url: str) -> None:
    one, two = TenantStore(database_url=database_url), TenantStore(database_url=database_url)
    try:
        outcomes = [
            one.first_delivery("slack:evt-1"),
            two.first_delivery("slack:evt-1"),
            one.first_delivery("slack:evt-1"),
        ]
        assert outcomes == [True, False, False]
        two.forget_delivery("slack:evt-1")
        assert one.first_delivery("slack:evt-1") is True
    finally:
        one.close()
        two.close()


def test_schema_setup_is_safe_to_run_from_several_processes_at_once() -> None:
    """Workers start together on an empty database; none may fail creating the same tables."""
    from concurrent.futures import ThreadPoolExecutor

    from agent.checkpoint import close_checkpointer, open_checkpointer

    with scratch_database() as fresh:
        settings = Settings(database_url=fresh, _env_file=None)  # type: ignore[call-arg]

        def set_up(_: int) -> bool:
            store = TenantStore(database_url=fresh)
            saver = open_checkpointer(settings)
            ok = store.ping() and saver.get_tuple({"configurable": {"thread_id": "x"}}) is None
            close_checkpointer(saver)
            store.close()
            return ok

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(set_up, range(4))) == [True] * 4
