from __future__ import annotations

from agent.engine import Engine
from agent.planning import question_groups
from tests.agent.graph.scripted import FakeRetriever, ScriptedInterpreter, finish_intake, mini_kb


def start(engine: Engine, assessment_id: str, **intake: str):  # type: ignore[no-untyped-def]
    engine.start(assessment_id)
    return finish_intake(engine, assessment_id, intake)


def status_of(engine: Engine, assessment_id: str, control_id: str) -> str:
    return next(f.status for f in engine.get_state(assessment_id).findings if f.control_id == control_id)


def test_plan_groups_ask_with_components_in_domain_order() -> None:
    kb = mini_kb()
    assert question_groups(kb, ["security", "availability"]) == [
        ["CC1-POLICY"],
        ["CC1-ROLES"],
        ["CC6-MFA-PROD", "CC6-MFA-EMAIL"],
        ["CC6-OFFBOARD"],
        ["CC7-LOGS"],
        ["A1-BACKUP"],
    ]
    assert ["C1-CONF"] in question_groups(kb, ["security", "confidentiality"])


def test_whole_assessment_asks_grouped_controls_once_and_finishes(engine: Engine) -> None:
    result = start(engine, "full")
    assert result.pending.control_ids == ["CC1-POLICY"]
    assert "CC1 · Control environment" in result.messages[-1]
    pendings = []
    while result.status != "complete":
        pendings.append(result.pending.control_ids)
        result = engine.send("full", "yes")
    assert pendings == [
        ["CC1-POLICY"],
        ["CC1-ROLES"],
        ["CC6-MFA-PROD", "CC6-MFA-EMAIL"],
        ["CC6-OFFBOARD"],
    ] + [
        ["CC7-LOGS"],
        ["A1-BACKUP"],
    ]
    assert result.pending.kind == "done"
    view = engine.get_state("full")
    assert view.status == "complete"
    assert {f.control_id for f in view.findings} == {
        c.id for c in mini_kb().controls if c.category != "confidentiality"
    }
    assert all(f.status == "implemented" and f.evidence_quotes == ["yes"] for f in view.findings)
    assert view.progress.settled == view.progress.total == 7
    assert view.stats["questions"] == 12 + 6
    assert view.stats["model_calls"] == 6 and view.stats["input_tokens"] == 60
    assert any("done:" in m for m in result.messages)  # the last domain's summary
    assert "7 implemented" in result.messages[-1]


def test_grouped_question_is_joined_and_tailored_to_the_stack(engine: Engine) -> None:
    start(engine, "tailor")
    engine.send("tailor", "yes")
    result = engine.send("tailor", "yes")
    text = result.messages[-1]
    assert result.pending.control_ids == ["CC6-MFA-PROD", "CC6-MFA-EMAIL"]
    assert "1. Do people need a second factor to sign in to the AWS console?" in text
    assert "2. Question about CC6-MFA-EMAIL?" in text
    assert "Okta" in text  # sign-in questions name their identity provider


def test_follow_up_targets_the_unclear_control_and_stops_at_the_limit(engine: Engine) -> None:
    start(engine, "fu")
    # exists met, but the must-confirm review requirement is unknown: follow up, at most twice.
    result = engine.send("fu", "CC1-POLICY exists=met")
    assert result.pending.control_ids == ["CC1-POLICY"]
    assert result.messages[-1] == "Follow-up about CC1-POLICY?"
    result = engine.send("fu", "CC1-POLICY exists=met")
    assert result.pending.control_ids == ["CC1-POLICY"]
    result = engine.send("fu", "CC1-POLICY exists=met")
    assert result.pending.control_ids == ["CC1-ROLES"]
    view = engine.get_state("fu")
    policy = next(f for f in view.findings if f.control_id == "CC1-POLICY")
    assert policy.status == "partial" and policy.rule == "evidence-unconfirmed"


def test_a_follow_up_answer_overrides_and_settles(engine: Engine) -> None:
    start(engine, "settle")
    engine.send("settle", "CC1-POLICY exists=met")
    result = engine.send("settle", "CC1-POLICY reviewed=met")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "settle", "CC1-POLICY") == "implemented"


def test_follow_up_only_for_the_group_member_left_unclear(engine: Engine) -> None:
    start(engine, "grp")
    engine.send("grp", "yes")
    engine.send("grp", "yes")
    result = engine.send("grp", "CC6-MFA-PROD enforced=met all-systems=partly_met")
    assert result.pending.control_ids == ["CC6-MFA-EMAIL"]
    assert result.messages[-1].startswith("Follow-up about CC6-MFA-EMAIL?")
    assert status_of(engine, "grp", "CC6-MFA-PROD") == "partial"


def test_nothing_new_after_a_follow_up_ends_the_follow_ups(engine: Engine) -> None:
    start(engine, "nothing")
    engine.send("nothing", "CC1-POLICY exists=met")
    result = engine.send("nothing", "I don't know more than that.")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "nothing", "CC1-POLICY") == "partial"


def test_not_sure_is_unknown_without_a_follow_up(engine: Engine) -> None:
    start(engine, "unsure")
    result = engine.send("unsure", "I'm not sure, I'd have to ask our IT contractor")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "unsure", "CC1-POLICY") == "unknown"


def test_gap_and_not_applicable_need_no_follow_up(engine: Engine) -> None:
    start(engine, "gap")
    result = engine.send("gap", "no, we never wrote one")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "gap", "CC1-POLICY") == "gap"
    result = engine.send("gap", "na: fully remote, there is nobody to assign")
    assert result.pending.control_ids == ["CC6-MFA-PROD", "CC6-MFA-EMAIL"]
    roles = next(f for f in engine.get_state("gap").findings if f.control_id == "CC1-ROLES")
    assert roles.status == "not_applicable" and "fully remote" in str(roles.not_applicable_reason)


def test_an_aside_settles_a_later_control_so_it_is_not_asked(engine: Engine) -> None:
    start(engine, "aside")
    engine.send("aside", "CC1-POLICY exists=met reviewed=met CC6-OFFBOARD exists=met timely=met tickets=met")
    asked = []
    result = engine.send("aside", "yes")
    while result.status != "complete":
        asked += result.pending.control_ids
        result = engine.send("aside", "yes")
    assert "CC6-OFFBOARD" not in asked
    assert status_of(engine, "aside", "CC6-OFFBOARD") == "implemented"


def test_quotes_that_are_not_the_users_words_are_dropped(
    engine: Engine, interpreter: ScriptedInterpreter
) -> None:
    start(engine, "quotes")
    engine.send("quotes", "yes")
    view = engine.get_state("quotes")
    policy = next(f for f in view.findings if f.control_id == "CC1-POLICY")
    assert policy.evidence_quotes == ["yes"]
    assert all(q == "yes" for j in policy.judgments for q in j.quotes)


def test_skip_marks_unknown_and_moves_on(engine: Engine) -> None:
    start(engine, "skip")
    result = engine.send("skip", "skip")
    assert result.pending.control_ids == ["CC1-ROLES"]
    finding = next(f for f in engine.get_state("skip").findings if f.control_id == "CC1-POLICY")
    assert finding.status == "unknown" and finding.rule == "skipped"


def test_skip_recognised_by_the_interpreter_works_too(engine: Engine) -> None:
    start(engine, "skip2")
    result = engine.send("skip2", "cmd:skip")
    assert result.pending.control_ids == ["CC1-ROLES"]


def test_go_back_reasks_the_previous_group_with_its_findings_cleared(engine: Engine) -> None:
    start(engine, "back")
    engine.send("back", "yes")
    result = engine.send("back", "go back")
    assert result.pending.control_ids == ["CC1-POLICY"]
    assert "CC1-POLICY" not in {f.control_id for f in engine.get_state("back").findings}
    result = engine.send("back", "no")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "back", "CC1-POLICY") == "gap"


def test_go_back_during_intake_reasks_the_previous_field(engine: Engine) -> None:
    engine.start("iback")
    engine.send("iback", "Acme")
    result = engine.send("iback", "back")
    assert result.pending.field == "company_name"
    result = engine.send("iback", "Acme Corp")
    assert result.pending.field == "employees"
    assert engine.get_state("iback").profile.company_name == "Acme Corp"


def test_change_my_answer_reasks_that_control_then_continues(engine: Engine) -> None:
    start(engine, "change")
    for _ in range(4):
        result = engine.send("change", "yes")
    assert result.pending.control_ids == ["CC7-LOGS"]
    result = engine.send("change", "I want to change my answer about MFA")
    assert result.pending.control_ids == ["CC6-MFA-PROD"]
    result = engine.send("change", "no")
    assert status_of(engine, "change", "CC6-MFA-PROD") == "gap"
    assert result.pending.control_ids == ["CC7-LOGS"]


def test_change_about_something_not_asked_yet_says_so(engine: Engine) -> None:
    start(engine, "later")
    result = engine.send("later", "change my answer about CC7-LOGS")
    assert result.pending.control_ids == ["CC1-POLICY"]
    assert "haven't asked" in result.messages[0]


def test_progress_reports_per_domain_and_repeats_the_question(engine: Engine) -> None:
    start(engine, "prog")
    engine.send("prog", "yes")
    questions = engine.get_state("prog").stats["questions"]
    result = engine.send("prog", "progress")
    assert "1/7" in result.messages[0]
    assert "- CC1 Control environment: 1/2" in result.messages[0]
    assert result.messages[-1] == "Question about CC1-ROLES?"
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert engine.get_state("prog").stats["questions"] == questions


def test_pause_then_resume(engine: Engine) -> None:
    start(engine, "pause")
    result = engine.send("pause", "pause")
    assert len(result.messages) == 1 and "pause" in result.messages[0]
    assert "`pause`" in result.messages[0]  # the id to come back to, in any channel
    assert result.pending.control_ids == ["CC1-POLICY"]
    result = engine.send("pause", "resume")
    assert "Question about CC1-POLICY?" in result.messages[-1]
    result = engine.send("pause", "yes")
    assert result.pending.control_ids == ["CC1-ROLES"]


def test_question_back_is_answered_from_the_kb_then_the_question_repeats(
    engine: Engine, retriever: FakeRetriever
) -> None:
    start(engine, "qb")
    engine.send("qb", "yes")
    engine.send("qb", "yes")
    engine.send("qb", "yes")
    result = engine.send("qb", "What would count as evidence here?")
    answer = result.messages[-1]
    assert result.pending.control_ids == ["CC6-OFFBOARD"]
    assert "CC6.1" in answer and "Evidence for CC6-OFFBOARD" in answer
    assert "CC1-ROLES" in answer  # a related control from retrieval, with its criteria
    assert answer.rstrip().endswith("Question about CC6-OFFBOARD?")
    # Grounded in what is pending: the question alone says nothing about which control it means.
    (query,) = retriever.queries
    assert query.startswith("What would count as evidence here?")
    assert engine.kb.control("CC6-OFFBOARD").title in query
    assert "CC6-OFFBOARD" not in {f.control_id for f in engine.get_state("qb").findings}


def test_transcript_keeps_every_turn_in_order(engine: Engine) -> None:
    start(engine, "tr")
    engine.send("tr", "yes")
    transcript = engine.get_state("tr").transcript
    users = [m["text"] for m in transcript if m["role"] == "user"]
    assert users[-1] == "yes" and users[0] == "Acme Analytics"
    turns = [m["turn"] for m in transcript]
    assert turns == sorted(turns)
    assert transcript[0]["role"] == "assistant" and "SOC 2" in transcript[0]["text"]


def test_a_question_alongside_an_answer_is_answered_and_the_answer_scored(
    engine: Engine, interpreter: ScriptedInterpreter
) -> None:
    start(engine, "inline")

    original = interpreter.interpret

    def answer_and_ask(request, kb):  # type: ignore[no-untyped-def]
        reading = original(request, kb)
        if request.text.startswith("yes"):
            reading.question_back = "does a Notion page count?"
        return reading

    interpreter.interpret = answer_and_ask  # type: ignore[method-assign]
    result = engine.send("inline", "yes. Does a Notion page count? Just curious.")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert any(
        m.startswith("Noted. You also asked:") and "Evidence for CC1-POLICY" in m for m in result.messages
    )
    assert status_of(engine, "inline", "CC1-POLICY") == "implemented"


def test_changing_a_scope_answer_replans(engine: Engine) -> None:
    start(engine, "scope")
    engine.send("scope", "yes")
    result = engine.send("scope", "change my answer about uptime")
    assert result.pending.kind == "intake" and result.pending.field == "uptime_commitments"
    result = engine.send("scope", "no")
    assert result.pending.control_ids == ["CC1-ROLES"]  # what was answered stays answered
    asked = []
    while result.status != "complete":
        asked += result.pending.control_ids
        result = engine.send("scope", "yes")
    view = engine.get_state("scope")
    assert view.scope == ["security"]
    assert "A1-BACKUP" not in asked
    assert status_of(engine, "scope", "CC1-POLICY") == "implemented"


def test_skipping_a_follow_up_keeps_what_was_already_said(engine: Engine) -> None:
    start(engine, "skipfu")
    result = engine.send("skipfu", "CC1-POLICY exists=met")
    assert result.messages[-1] == "Follow-up about CC1-POLICY?"
    result = engine.send("skipfu", "skip")
    assert result.pending.control_ids == ["CC1-ROLES"]
    finding = next(f for f in engine.get_state("skipfu").findings if f.control_id == "CC1-POLICY")
    assert finding.status == "partial" and finding.rule == "evidence-unconfirmed"


def test_an_interpreter_failure_asks_to_resend_and_loses_nothing(
    engine: Engine, interpreter: ScriptedInterpreter
) -> None:
    start(engine, "fail")
    original = interpreter.interpret
    calls = {"n": 0}

    def flaky(request, kb):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("model unavailable")
        return original(request, kb)

    interpreter.interpret = flaky  # type: ignore[method-assign]
    result = engine.send("fail", "yes")
    assert result.pending.control_ids == ["CC1-POLICY"]
    assert "send it again" in result.messages[-1]
    assert "CC1-POLICY" not in {f.control_id for f in engine.get_state("fail").findings}
    result = engine.send("fail", "yes")
    assert result.pending.control_ids == ["CC1-ROLES"]
    assert status_of(engine, "fail", "CC1-POLICY") == "implemented"
    users = [m["text"] for m in engine.get_state("fail").transcript if m["role"] == "user"]
    assert users[-2:] == ["yes", "yes"]


def test_secrets_are_redacted_before_transcript_and_interpreter(
    engine: Engine, interpreter: ScriptedInterpreter
) -> None:
    start(engine, "secret")
    engine.send("secret", "yes, the root key is AKIAIOSFODNN7EXAMPLE")
    assert "AKIAIOSFODNN7EXAMPLE" not in interpreter.requests[-1].text
    view = engine.get_state("secret")
    assert not any("AKIAIOSFODNN7EXAMPLE" in m["text"] for m in view.transcript)
    assert not any("AKIAIOSFODNN7EXAMPLE" in q for f in view.findings for q in f.evidence_quotes)
