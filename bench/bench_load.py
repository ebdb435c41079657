"""Load: N simulated users completing assessments at once over loopback against a real `soc2-gap serve`.

Offline (deterministic interpreter, no model API). Each user plays an eval fixture through the HTTP API,
pausing between answers like a person reading the question (THINK_S), for at most MAX_TURNS answers.
Reported per scenario: turns/s, p50/p95/p99 latency per turn, errors, peak server RSS (all workers),
and lost or duplicated answers: every user's stored transcript is compared with what it sent.
A second pass with no pause at all measures saturation throughput. Scenarios: SQLite with one worker;
Postgres with two workers (a fresh database, dropped afterwards; skipped if Postgres is unreachable).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
USER_FIXTURES = (
    "seed-stage-saas-aws",
    "narrative-first-fintech",
    "coverage-exceptions",
    "hedged-but-real",
    "policy-vs-practice",
    "contradictions-resolved",
)
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
USERS = 50
MAX_TURNS = 30
THINK_S = (1.0, 4.0)
SCENARIO_CAP_S = 180.0
STARTUP_TIMEOUT_S = 180.0


def soc2_gap_command() -> list[str]:
    script = Path(sys.executable).with_name("soc2-gap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "agent.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pids(self) -> list[int]:
        """The server and its worker processes."""
        found = [self.process.pid]
        for pid in found:
            children = Path(f"/proc/{pid}/task/{pid}/children")
            if children.exists():
                found += [int(child) for child in children.read_text().split()]
        return found

    def rss_mb(self) -> float:
        total_kb = 0
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total_kb += next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
            )
        return round(total_kb / 1024, 1)


def server_env(data_dir: Path, database_url: str | None, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "SOC2GAP_DATA_DIR": str(data_dir),
        "SOC2GAP_LLM": "offline",
        "SOC2GAP_RATE_LIMIT_PER_MINUTE": "1000000",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        # The server under test is this working tree, whatever an (editable) install last recorded.
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        **overrides,
    }
    env.pop("ANTHROPIC_API_KEY", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
        env.pop("SOC2GAP_DATABASE_URL", None)
    return env


@contextmanager
def serve_process(
    data_dir: Path,
    *,
    workers: int = 1,
    database_url: str | None = None,
    graceful_timeout: int = 30,
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[ServerProcess]:
    """`soc2-gap serve` in a subprocess on a free port; stopped with SIGTERM (graceful) on exit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = data_dir / f"server-{port}.log"
    command = [
        *soc2_gap_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--graceful-timeout",
        str(graceful_timeout),
        *extra_args,
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**server_env(data_dir, database_url), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_up(server, workers)
        yield server
    finally:
        stop(server)


def _wait_until_up(server: ServerProcess, workers: int) -> None:
    """Until every worker has logged that it is ready (the socket answers as soon as the first is)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"soc2-gap serve exited with {server.process.returncode}:\n{server.log()[-3000:]}"
            )
        if len(ready_workers(server.log())) >= workers:
            try:
                if httpx.get(server.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"soc2-gap serve did not come up:\n{server.log()[-3000:]}")


def ready_workers(log: str) -> set[int]:
    return {
        int(record["pid"])
        for line in log.splitlines()
        if line.startswith("{") and '"worker ready"' in line
        for record in [json.loads(line)]
    }


def stop(server: ServerProcess, timeout: float = 60) -> int:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    return int(server.process.returncode)


def create_key(data_dir: Path, database_url: str | None, tenant: str) -> str:
    """Through the CLI, as an operator would."""
    result = subprocess.run(
        [*soc2_gap_command(), "keys", "create", "--tenant", tenant],
        cwd=ROOT,
        env=server_env(data_dir, database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def build_index(data_dir: Path) -> float:
    """`soc2-gap index build`, as a deployment runs it once before serving; returns seconds taken."""
    started = time.perf_counter()
    subprocess.run(
        [*soc2_gap_command(), "index", "build"],
        cwd=ROOT,
        env=server_env(data_dir, None),
        capture_output=True,
        check=True,
    )
    return round(time.perf_counter() - started, 1)


@contextmanager
def scratch_database(admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """A fresh Postgres database for one run, dropped afterwards."""
    import psycopg

    name = f"soc2gap_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_reachable(admin_url: str = POSTGRES_ADMIN_URL) -> str | None:
    """None when reachable, else why not."""
    try:
        import psycopg

        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "not usable here"
        return f"{type(exc).__name__}: {exc}"
    return None


# -- the simulated users --------------------------------------------------------------------------
@dataclass
class UserRun:
    assessment_id: str = ""
    sent: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def one_user(
    client: httpx.AsyncClient, key: str, fixture: Any, think: tuple[float, float], deadline: float, seed: int
) -> UserRun:
    from agent.simulate import SimulatedPerson
    from agent.state import Pending

    rng = random.Random(seed)
    run = UserRun()
    auth = {"Authorization": f"Bearer {key}"}
    person = SimulatedPerson(fixture)
    started = time.perf_counter()
    try:
        response = await client.post("/v1/assessments", headers=auth)
    except httpx.HTTPError as exc:
        run.errors.append(f"start: {type(exc).__name__}")
        return run
    run.latencies_ms.append((time.perf_counter() - started) * 1000)
    if response.status_code != 201:
        run.errors.append(f"start: {response.status_code}")
        return run
    turn = response.json()
    run.assessment_id = turn["assessment_id"]
    opening = person.opening()
    while len(run.sent) < MAX_TURNS and turn["status"] != "complete" and time.monotonic() < deadline:
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))
        text = opening if opening and not run.sent else person.reply(Pending.model_validate(turn["pending"]))
        started = time.perf_counter()
        try:
            response = await client.post(
                f"/v1/assessments/{run.assessment_id}/messages", headers=auth, json={"text": text}
            )
        except httpx.HTTPError as exc:
            run.errors.append(f"message: {type(exc).__name__}")
            break
        run.latencies_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            run.errors.append(f"message: {response.status_code}")
            break
        run.sent.append(text)
        turn = response.json()
    return run


async def lost_answers(client: httpx.AsyncClient, key: str, runs: list[UserRun]) -> tuple[int, int]:
    """(answers missing or reordered, answers stored more than once) over every user's transcript."""
    from agent.nodes.findings import redact

    lost = duplicated = 0
    for run in runs:
        if not run.assessment_id:
            continue
        response = await client.get(
            f"/v1/assessments/{run.assessment_id}", headers={"Authorization": f"Bearer {key}"}
        )
        stored = [m["text"] for m in response.json()["transcript"] if m["role"] == "user"]
        expected = [redact(text).strip() for text in run.sent]
        if stored == expected:
            continue
        duplicated += max(0, len(stored) - len(expected))
        matched = sum(1 for a, b in zip(stored, expected, strict=False) if a == b)
        lost += len(expected) - matched
    return lost, duplicated


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def drive(base_url: str, key: str, users: int, think: tuple[float, float]) -> dict[str, Any]:
    from agent.simulate import load_fixture

    fixtures = [load_fixture(FIXTURES / f"{name}.yaml") for name in USER_FIXTURES]
    limits = httpx.Limits(max_connections=users + 5, max_keepalive_connections=users + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        deadline = time.monotonic() + SCENARIO_CAP_S
        began = time.perf_counter()
        runs = await asyncio.gather(
            *(
                one_user(client, key, fixtures[i % len(fixtures)], think, deadline, seed=i)
                for i in range(users)
            )
        )
        elapsed = time.perf_counter() - began
        lost, duplicated = await lost_answers(client, key, runs)
    latencies = [ms for run in runs for ms in run.latencies_ms]
    errors = [error for run in runs for error in run.errors]
    busy = sum(ms for ms in latencies) / 1000
    return {
        "users": users,
        "think_s": list(think),
        "turns": len(latencies),
        "answers_sent": sum(len(run.sent) for run in runs),
        "seconds": round(elapsed, 2),
        "turns_per_s": round(len(latencies) / elapsed, 1) if elapsed else None,
        "turn_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "turn_ms_p95": round(percentile(latencies, 0.95), 1) if latencies else None,
        "turn_ms_p99": round(percentile(latencies, 0.99), 1) if latencies else None,
        "turn_ms_max": round(max(latencies), 1) if latencies else None,
        "mean_in_flight": round(busy / elapsed, 1) if elapsed else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "lost_answers": lost,
        "duplicated_answers": duplicated,
    }


class RssSampler:
    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())
            self._stop.wait(0.5)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.server.rss_mb())


def scenario(data_dir: Path, workers: int, database_url: str | None, users: int) -> dict[str, Any]:
    key = create_key(data_dir, database_url, "bench")
    with serve_process(data_dir, workers=workers, database_url=database_url) as server:
        idle_rss = server.rss_mb()
        result: dict[str, Any] = {"workers": workers, "store": "postgres" if database_url else "sqlite"}
        with RssSampler(server) as rss:
            result["paced"] = asyncio.run(drive(server.base_url, key, users, THINK_S))
        result["paced"]["server_rss_mb_peak"] = rss.peak
        with RssSampler(server) as rss:
            result["saturation"] = asyncio.run(drive(server.base_url, key, users, (0.0, 0.0)))
        result["saturation"]["server_rss_mb_peak"] = rss.peak
        result["server_rss_mb_idle"] = idle_rss
        exit_code = stop(server)
        result["server_exit_code"] = exit_code
    return result


def run(results_dir: Path, users: int = USERS) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "users": users,
        "max_turns_per_user": MAX_TURNS,
        "aim": {"turn_ms_p95": 150, "errors": 0, "lost_answers": 0},
    }
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        figures["index_build_s"] = build_index(data_dir)
        figures["sqlite_1_worker"] = scenario(data_dir, 1, None, users)
        why_not = postgres_reachable()
        if why_not:
            figures["postgres_2_workers"] = {"skipped": f"Postgres unreachable: {why_not}"}
        else:
            with scratch_database() as database_url:
                figures["postgres_2_workers"] = scenario(data_dir, 2, database_url, users)
    return figures


if __name__ == "__main__":
    print(
        json.dumps(
            run(ROOT / "bench" / "results", int(sys.argv[1]) if len(sys.argv) > 1 else USERS), indent=2
        )
    )
