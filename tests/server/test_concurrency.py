"""Messages posted at once to one assessment apply one at a time: none lost, none applied twice, and the
stored transcript agrees with what each caller was told. SQLite with threads in one process, and
Postgres behind `soc2-gap serve --workers 2`."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.bench_load import create_key, serve_process
from server.store import TenantStore
from tests.server.live_server import live_settings, run_live_server

CONCURRENT = 12


def distinct_answers(count: int, tag: str) -> list[str]:
    # Statements, not questions: a question would send the turn to retrieval instead.
    return [f"{tag} answer {i}: our team uses Okta for single sign-on on system {i}." for i in range(count)]


def transcript_problems(transcript: list[dict[str, Any]], replies: dict[str, list[str]]) -> list[str]:
    """Everything that would mean a lost, doubled or mismatched answer.

    replies maps each answer that got a 200 to the agent messages returned for it; answers whose
    request failed may be stored or not, but only whole (with the agent's reply of the same turn)."""
    problems: list[str] = []
    users = [m for m in transcript if m["role"] == "user"]
    counts = Counter(m["text"] for m in users)
    problems += [f"stored {n} times: {text!r}" for text, n in counts.items() if n > 1]
    problems += [f"lost: {text!r}" for text in replies if counts[text] == 0]
    turns = [m["turn"] for m in users]
    if turns != sorted(set(turns)):
        problems.append(f"user turns out of order or repeated: {turns}")
    said: dict[int, list[str]] = {}
    for m in transcript:
        if m["role"] == "assistant":
            said.setdefault(m["turn"], []).append(m["text"])
    for m in users:
        if not said.get(m["turn"]):
            problems.append(f"answer without a reply: {m['text']!r}")
        elif m["text"] in replies and said[m["turn"]] != replies[m["text"]]:
            problems.append(f"reply stored for {m['text']!r} is not the one returned")
    order = [i for i, m in enumerate(transcript) if m["role"] == "user"]
    for before, after in zip(order, order[1:], strict=False):
        if not any(transcript[i]["role"] == "assistant" for i in range(before + 1, after)):
            problems.append(f"two answers with no reply between them at {before}")
    return problems


def post_all_at_once(
    base_url: str, headers: dict[str, str], assessment_id: str, texts: list[str]
) -> list[Any]:
    """Each answer on its own connection, released together by a barrier."""
    barrier = threading.Barrier(len(texts))

    def post(text: str) -> Any:
        with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
            barrier.wait()
            try:
                return client.post(f"/v1/assessments/{assessment_id}/messages", json={"text": text})
            except httpx.HTTPError as exc:
                return exc

    with ThreadPoolExecutor(len(texts)) as pool:
        return list(pool.map(post, texts))


def replies_of(texts: list[str], responses: list[Any]) -> dict[str, list[str]]:
    return {
        text: response.json()["messages"]
        for text, response in zip(texts, responses, strict=True)
        if isinstance(response, httpx.Response) and response.status_code == 200
    }


def test_concurrent_answers_to_one_assessment_apply_once_each_sqlite_threads(tmp_path: Path) -> None:
    with run_live_server(live_settings(tmp_path / "data")) as server:
        store = TenantStore(sqlite_path=server.settings.app_db_path)
        key = store.create_key("acme")
        store.close()
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            aid = client.post("/v1/assessments").json()["assessment_id"]
            texts = distinct_answers(CONCURRENT, "sqlite")
            responses = post_all_at_once(server.base_url, headers, aid, texts)
            assert [getattr(r, "status_code", r) for r in responses] == [200] * CONCURRENT
            transcript = client.get(f"/v1/assessments/{aid}").json()["transcript"]
    assert transcript_problems(transcript, replies_of(texts, responses)) == []
    assert sorted(m["text"] for m in transcript if m["role"] == "user") == sorted(texts)


def test_the_consistency_check_catches_lost_doubled_and_mismatched_answers() -> None:
    good = [
        {"role": "assistant", "text": "q0", "turn": 0},
        {"role": "user", "text": "a", "turn": 1},
        {"role": "assistant", "text": "q1", "turn": 1},
        {"role": "user", "text": "b", "turn": 2},
        {"role": "assistant", "text": "q2", "turn": 2},
    ]
    assert transcript_problems(good, {"a": ["q1"], "b": ["q2"]}) == []
    assert transcript_problems(good, {"a": ["q1"], "b": ["q2"], "c": ["q3"]}) == ["lost: 'c'"]
    assert transcript_problems(good, {"a": ["q2"], "b": ["q2"]})
    doubled = [
        *good,
        {"role": "user", "text": "a", "turn": 3},
        {"role": "assistant", "text": "q3", "turn": 3},
    ]
    assert any("2 times" in p for p in transcript_problems(doubled, {"a": ["q1"]}))
    unanswered = [*good, {"role": "user", "text": "c", "turn": 3}]
    assert any("without a reply" in p for p in transcript_problems(unanswered, {}))


def worker_pids_in_log(log: str, assessment_id: str) -> set[int]:
    pids = set()
    for line in log.splitlines():
        if line.startswith("{") and assessment_id in line:
            record = json.loads(line)
            if record.get("path", "").endswith("/messages") and record.get("status") == 200:
                pids.add(record["pid"])
    return pids


def test_two_workers_on_postgres_serialize_answers_to_one_assessment(
    database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    key = create_key(data_dir, database_url, "acme")
    headers = {"Authorization": f"Bearer {key}"}
    with serve_process(data_dir, workers=2, database_url=database_url) as server:
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            aid = client.post("/v1/assessments").json()["assessment_id"]
            replies: dict[str, list[str]] = {}
            sent: list[str] = []
            # Until both workers have answered this assessment (a few rounds at most).
            for round_no in range(5):
                texts = distinct_answers(CONCURRENT, f"round {round_no}")
                responses = post_all_at_once(server.base_url, headers, aid, texts)
                assert [getattr(r, "status_code", r) for r in responses] == [200] * CONCURRENT
                replies.update(replies_of(texts, responses))
                sent += texts
                if len(worker_pids_in_log(server.log(), aid)) >= 2:
                    break
            transcript = client.get(f"/v1/assessments/{aid}").json()["transcript"]
        assert len(worker_pids_in_log(server.log(), aid)) == 2, "one worker served every answer"
    assert transcript_problems(transcript, replies) == []
    assert sorted(m["text"] for m in transcript if m["role"] == "user") == sorted(sent)
