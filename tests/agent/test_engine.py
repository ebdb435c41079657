from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.checkpoint import checkpointer, close_checkpointer, open_checkpointer
from agent.engine import AssessmentExists, Engine, MessageTooLong
from agent.kb import KnowledgeBase
from agent.nodes.base import GraphDeps
from agent.runtime import build_engine
from agent.settings import Settings
from agent.simulate import Fixture, SimulatedPerson, plain_words, play
from tests.agent.graph.scripted import TODAY, FakeRetriever, ScriptedInterpreter, finish_intake, mini_kb
from tests.conftest import services_required

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def scripted_deps(settings: Settings) -> GraphDeps:
    return GraphDeps(
        kb=mini_kb(),
        interpreter=ScriptedInterpreter(),
        settings=settings,
        retriever=FakeRetriever([]),
        clock=lambda: TODAY,
    )


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return Engine.create(scripted_deps(settings), InMemorySaver())


def test_start_returns_the_first_question(engine: Engine) -> None:
    result = engine.start()
    assert len(result.assessment_id) == 32
    assert result.pending.kind == "intake" and result.pending.field == "company_name"
    assert result.status == "in_progress"
    assert len(result.messages) == 2
    assert result.progress.total == 7 - 1  # security only until the scope questions are answered
    assert [d.domain for d in result.progress.domains] == ["CC1", "CC6", "CC7"]


def test_start_with_an_existing_id_is_refused(engine: Engine) -> None:
    engine.start("same")
    with pytest.raises(AssessmentExists):
        engine.start("same")


def test_unknown_ids_raise_key_error(engine: Engine) -> None:
    with pytest.raises(KeyError):
        engine.get_state("nope")
    with pytest.raises(KeyError):
        engine.send("nope", "hello")
    with pytest.raises(KeyError):
        engine.delete("nope")


def test_too_long_message_is_refused_without_changing_state(engine: Engine, settings: Settings) -> None:
    engine.start("long")
    with pytest.raises(MessageTooLong):
        engine.send("long", "x" * (settings.max_message_chars + 1))
    assert engine.get_state("long").pending.field == "company_name"


def test_delete_removes_the_assessment(engine: Engine) -> None:
    engine.start("gone")
    engine.delete("gone")
    with pytest.raises(KeyError):
        engine.get_state("gone")


def test_a_complete_assessment_answers_without_changing(engine: Engine) -> None:
    engine.start("done")
    result = finish_intake(engine, "done")
    while result.status != "complete":
        result = engine.send("done", "yes")
    before = engine.get_state("done")
    again = engine.send("done", "one more thing")
    assert again.status == "complete" and again.pending.kind == "done"
    assert "complete" in again.messages[0]
    assert engine.get_state("done").transcript == before.transcript


def test_view_exposes_contract_fields(engine: Engine) -> None:
    engine.start("view")
    finish_intake(engine, "view")
    engine.send("view", "yes")
    view = engine.get_state("view")
    data = json.loads(view.model_dump_json())
    assert set(data) >= {"assessment_id", "profile", "scope", "findings", "progress", "transcript", "pending"}
    assert set(data["stats"]) == {
        "questions",
        "model_calls",
        "input_tokens",
        "output_tokens",
        "cached_tokens",
    }
    assert data["findings"][0]["control_id"] == "CC1-POLICY"
    assert data["profile"]["target_audit_date"] == "2027-09-01"
    assert data["updated_at"] == TODAY.isoformat()


def test_concurrent_sends_to_one_assessment_do_not_interleave(engine: Engine) -> None:
    engine.start("race")
    finish_intake(engine, "race")
    threads = [threading.Thread(target=engine.send, args=("race", "yes")) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    view = engine.get_state("race")
    users = [m for m in view.transcript if m["role"] == "user"]
    assert len(users) == 12 + 4
    assert len({m["turn"] for m in users}) == len(users)
    assert {f.control_id for f in view.findings} >= {
        "CC1-POLICY",
        "CC1-ROLES",
        "CC6-MFA-PROD",
        "CC6-OFFBOARD",
    }


def test_sqlite_keeps_assessments_across_engines(settings: Settings) -> None:
    with checkpointer(settings) as saver:
        first = Engine.create(scripted_deps(settings), saver)
        first.start("kept")
        first.send("kept", "Acme")
    assert settings.sqlite_path.exists()
    with checkpointer(settings) as saver:
        second = Engine.create(scripted_deps(settings), saver)
        result = second.send("kept", "25")
        assert result.pending.field == "audit_type"
        assert second.get_state("kept").profile.company_name == "Acme"


def test_postgres_checkpointer_when_database_url_is_set(settings: Settings) -> None:
    pg_settings = settings.model_copy(update={"database_url": POSTGRES_URL})
    try:
        saver = open_checkpointer(pg_settings)
    except Exception as exc:  # psycopg raises its own OperationalError subclasses
        if services_required():
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        assessment_id = f"pg-{threading.get_ident()}-{id(saver)}"
        engine = Engine.create(scripted_deps(pg_settings), saver)
        engine.start(assessment_id)
        engine.send(assessment_id, "Acme")
        again = Engine.create(scripted_deps(pg_settings), saver)
        assert again.get_state(assessment_id).profile.company_name == "Acme"
        again.delete(assessment_id)
        with pytest.raises(KeyError):
            engine.get_state(assessment_id)
    finally:
        close_checkpointer(saver)


def test_simulated_person_follows_the_fixture_rules() -> None:
    fixture = Fixture(
        id="f",
        profile={"audit_type": "type2", "target_audit_date": date(2027, 9, 1), "uptime_commitments": True},
        answers={"A": "answer A", "B": "answer B"},
        followups={"A": "more about A"},
    )
    person = SimulatedPerson(fixture)
    from agent.state import Pending

    assert person.reply(Pending(kind="intake", field="audit_type")) == "Type II"
    assert person.reply(Pending(kind="intake", field="target_audit_date")) == "September 1, 2027"
    assert person.reply(Pending(kind="intake", field="uptime_commitments")) == "yes"
    assert person.reply(Pending(kind="intake", field="cloud")) == "I'm not sure."
    assert person.reply(Pending(kind="control", control_ids=["A", "B"])) == "answer A\nanswer B"
    assert person.reply(Pending(kind="control", control_ids=["A"])) == "more about A"
    assert person.reply(Pending(kind="control", control_ids=["A"])) == "I don't know more than that."
    assert person.reply(Pending(kind="control", control_ids=["C"])) == "I'm not sure."
    assert plain_words("target_audit_date", "2027-09-01") == "September 1, 2027"


@pytest.fixture
def real_engine(settings: Settings, kb: KnowledgeBase) -> Iterator[Engine]:
    yield build_engine(settings, kb=kb, checkpointer=InMemorySaver(), clock=lambda: TODAY)


def test_the_real_kb_and_offline_interpreter_play_a_fixture_to_the_end(
    real_engine: Engine, kb: KnowledgeBase
) -> None:
    path = Path(__file__).resolve().parents[2] / "evals" / "fixtures" / "seed-stage-saas-aws.yaml"
    if not path.exists():
        pytest.skip("fixture not written yet")
    from agent.simulate import load_fixture

    fixture = load_fixture(path)
    view = play(real_engine, fixture)
    assert view.status == "complete"
    assert view.scope == fixture.expected_scope
    in_scope = {c.id for c in kb.controls_in(view.scope)}
    assert {f.control_id for f in view.findings} == in_scope
    assert view.stats["model_calls"] == 0
    for finding in view.findings:
        said = [m["text"] for m in view.transcript if m["role"] == "user"]
        assert all(any(q in text for text in said) for q in finding.evidence_quotes)


def test_readiness_probes(engine: Engine, settings: Settings) -> None:
    assert engine.ready()
    assert engine.index_ready()  # a retriever without a lazy build is ready as given
    no_index = Engine.create(
        GraphDeps(**{**scripted_deps(settings).__dict__, "retriever": None}), InMemorySaver()
    )
    assert not no_index.index_ready()


def test_lazy_retriever_builds_once_and_reports_failure() -> None:
    from agent.runtime import LazyRetriever

    builds: list[int] = []

    def build() -> FakeRetriever:
        builds.append(1)
        return FakeRetriever(["CC1-ROLES"])

    lazy = LazyRetriever(build)
    assert builds == []
    assert lazy.ready() and lazy.ready()
    assert [h.id for h in lazy.search("anything", 1)] == ["CC1-ROLES"]
    assert builds == [1]

    def broken() -> FakeRetriever:
        raise RuntimeError("no index")

    assert not LazyRetriever(broken).ready()


def test_runtime_picks_the_interpreter_from_settings(settings: Settings) -> None:
    from agent.runtime import build_interpreter

    assert build_interpreter(settings).name == "offline"
    claude = settings.model_copy(update={"llm": "anthropic", "anthropic_api_key": "test-key"})
    assert build_interpreter(claude).name == "anthropic"
