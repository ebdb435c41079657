"""A process running an assessment on SQLite is SIGKILLed mid-interview; a new process resumes it.

The answers are a pure function of the pending question, so the resumed assessment must end exactly
like one that was never interrupted: same transcript, same findings, and no acknowledged answer lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.checkpoint import checkpointer
from agent.engine import Engine, TurnResult
from agent.interpret.base import InterpretRequest
from agent.kb import KnowledgeBase
from agent.nodes.base import GraphDeps
from agent.settings import Settings
from agent.state import Interpretation, Pending
from tests.agent.graph.scripted import INTAKE_ANSWERS, TODAY, FakeRetriever, ScriptedInterpreter, mini_kb

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {"CC1-POLICY": "CC1-POLICY exists=met", "CC7-LOGS": "no", "CC6-OFFBOARD": "I'm not sure"}

CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from tests.agent.test_crash_resume import answer, make_engine_on_disk
engine, close = make_engine_on_disk(sys.argv[1], stall_on=sys.argv[3] if len(sys.argv) > 3 else None)
aid = sys.argv[2]
result = engine.resume(aid) if engine.exists(aid) else engine.start(aid)
sent = 0
while result.status != "complete":
    text = answer(result.pending)
    result = engine.send(aid, text)
    sent += 1
    print("ACK", json.dumps(text), flush=True)
print("DONE", flush=True)
close()
"""


def answer(pending: Pending) -> str:
    if pending.kind == "intake":
        return INTAKE_ANSWERS[str(pending.field)]
    return " ".join(ANSWERS.get(cid, "yes") for cid in pending.control_ids)


class StallingInterpreter(ScriptedInterpreter):
    """Hangs while interpreting one answer, so the test can kill the process in the middle of a turn."""

    def __init__(self, stall_on: str | None) -> None:
        super().__init__()
        self.stall_on = stall_on

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
        if self.stall_on and request.text == self.stall_on:
            print("INTERPRETING", flush=True)
            time.sleep(60)
        return super().interpret(request, kb)


def _deps(settings: Settings, stall_on: str | None = None) -> GraphDeps:
    return GraphDeps(
        kb=mini_kb(),
        interpreter=StallingInterpreter(stall_on),
        settings=settings,
        retriever=FakeRetriever([]),
        clock=lambda: TODAY,
    )


def make_engine_on_disk(data_dir: str, stall_on: str | None = None):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=Path(data_dir), llm="offline", _env_file=None)  # type: ignore[call-arg]
    context = checkpointer(settings)
    saver = context.__enter__()
    return Engine.create(_deps(settings, stall_on), saver), lambda: context.__exit__(None, None, None)


def _reference(settings: Settings) -> Engine:
    engine = Engine.create(_deps(settings), InMemorySaver())
    result: TurnResult = engine.start("crash")
    while result.status != "complete":
        result = engine.send("crash", answer(result.pending))
    return engine


def _child(script: Path, data_dir: Path, stall_on: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(script), str(data_dir), "crash", *([stall_on] if stall_on else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    ("kill_after", "stall_on"),
    [
        (14, None),  # between turns, wherever the 14th acknowledged answer leaves it
        (None, ANSWERS["CC1-POLICY"]),  # inside a turn: that turn never happened, so it is asked again
    ],
)
def test_killed_mid_assessment_resumes_without_losing_an_answer(
    tmp_path: Path, settings: Settings, kill_after: int | None, stall_on: str | None
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)), encoding="utf-8")
    data_dir = tmp_path / "data"

    child = _child(script, data_dir, stall_on)
    acknowledged: list[str] = []
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("ACK "):
            acknowledged.append(json.loads(line[4:]))
        if len(acknowledged) == kill_after or line.startswith("INTERPRETING"):
            child.send_signal(signal.SIGKILL)  # no cleanup, no flush: whatever is on disk is all there is
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""

    engine, close = make_engine_on_disk(str(data_dir))
    try:
        interrupted = engine.get_state("crash")
        said = [m["text"] for m in interrupted.transcript if m["role"] == "user"]
        # Every acknowledged answer is on disk, and nothing else: a turn is all-or-nothing.
        assert said == acknowledged
        if stall_on:
            assert interrupted.pending.kind == "control"  # the cut-short question is pending again
        assert interrupted.status == "in_progress"
    finally:
        close()

    resumed = _child(script, data_dir)
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert out.rstrip().endswith("DONE")

    engine, close = make_engine_on_disk(str(data_dir))
    try:
        final = engine.get_state("crash")
    finally:
        close()
    expected = _reference(settings).get_state("crash")
    assert final.status == "complete"
    assert [(m["role"], m["text"], m["turn"]) for m in final.transcript] == [
        (m["role"], m["text"], m["turn"]) for m in expected.transcript
    ]
    assert {f.control_id: f.status for f in final.findings} == {
        f.control_id: f.status for f in expected.findings
    }
    assert final.stats == expected.stats
