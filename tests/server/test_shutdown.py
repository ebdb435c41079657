"""SIGTERM while turns are in flight: the server lets them finish, and every stored answer has its reply."""

from __future__ import annotations

import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import httpx

from agent.checkpoint import checkpointer
from agent.kb import KnowledgeBase
from agent.runtime import build_engine
from agent.settings import Settings
from bench.bench_load import create_key, serve_process
from tests.server.test_concurrency import distinct_answers, replies_of, transcript_problems

IN_FLIGHT = 16


def test_sigterm_lets_in_flight_turns_finish_and_stores_no_half_turn(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    data_dir = tmp_path / "data"
    key = create_key(data_dir, None, "acme")
    headers = {"Authorization": f"Bearer {key}"}
    texts = distinct_answers(IN_FLIGHT, "shutdown")
    finished_after_term: list[bool] = [False] * IN_FLIGHT
    terminated = threading.Event()

    with serve_process(data_dir, graceful_timeout=60) as server:
        aid = httpx.post(server.base_url + "/v1/assessments", headers=headers, timeout=60).json()[
            "assessment_id"
        ]
        barrier = threading.Barrier(IN_FLIGHT)

        def post(index: int) -> Any:
            with httpx.Client(base_url=server.base_url, headers=headers, timeout=120) as client:
                barrier.wait()
                try:
                    response = client.post(f"/v1/assessments/{aid}/messages", json={"text": texts[index]})
                except httpx.HTTPError as exc:
                    return exc
                finished_after_term[index] = terminated.is_set()
                return response

        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            futures = [pool.submit(post, i) for i in range(IN_FLIGHT)]
            # The answers queue on the assessment's lock; stop the server as soon as the first is through.
            wait(futures, return_when=FIRST_COMPLETED)
            server.process.send_signal(signal.SIGTERM)
            terminated.set()
            responses = [f.result() for f in futures]
        exit_code = server.process.wait(timeout=120)

    # uvicorn re-raises the signal after its graceful shutdown, so "killed by SIGTERM" is a clean exit.
    assert exit_code in (0, -signal.SIGTERM), server.log()[-2000:]
    assert "Traceback" not in server.log()
    statuses = [getattr(r, "status_code", type(r).__name__) for r in responses]
    assert all(s == 200 or not isinstance(s, int) for s in statuses), statuses
    completed_in_flight = [
        i for i, r in enumerate(responses) if finished_after_term[i] and statuses[i] == 200
    ]
    assert completed_in_flight, f"no turn was still in flight at SIGTERM: {statuses}"

    # Read what was stored, with the server gone, straight from its SQLite checkpoints.
    settings = Settings(data_dir=data_dir, llm="offline", _env_file=None)  # type: ignore[call-arg]
    with checkpointer(settings) as saver:
        transcript = build_engine(settings, kb=kb, checkpointer=saver).get_state(aid).transcript
    assert transcript_problems(transcript, replies_of(texts, responses)) == []
