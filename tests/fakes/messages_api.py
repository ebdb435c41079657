"""A fake Anthropic Messages API over real HTTP on 127.0.0.1: replays scripted responses, records requests.

Responses are JSON documents in the Messages API response format (tests/fixtures/anthropic/*.json). A
script entry can also be an error status (429, 529 overloaded, 500) or a delay past the client's timeout.
With `estimate_usage=True` the fake replaces each reply's usage with an estimate computed from the request
it received (about 4 characters per token) and simulates prompt caching: a prefix that ends at a
cache_control breakpoint, is at least `min_cacheable_tokens` long and was sent before is read from cache;
otherwise it is written. That is what bench/bench_claude_tokens.py reports; it is not the real tokenizer.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anthropic"
CHARS_PER_TOKEN = 4


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def api_error(status: int, kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


@dataclass
class Scripted:
    body: dict[str, Any] | str
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def _tokens(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class CacheSimulator:
    """Prompt-cache bookkeeping in the order the API caches: tools, then system blocks, then messages."""

    def __init__(self, min_cacheable_tokens: int) -> None:
        self.min_cacheable_tokens = min_cacheable_tokens
        self._seen: set[str] = set()

    def usage(self, body: dict[str, Any], output: Any) -> dict[str, int]:
        segments: list[tuple[Any, bool]] = [
            (tool, "cache_control" in tool) for tool in body.get("tools") or []
        ]
        system = body.get("system") or []
        if isinstance(system, str):
            system = [{"type": "text", "text": system}]
        segments += [(block, "cache_control" in block) for block in system]
        for message in body.get("messages") or []:
            content = message.get("content")
            blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
            segments += [(block, "cache_control" in block) for block in blocks]

        digest = hashlib.sha256()
        total = 0
        breakpoints: list[tuple[str, int]] = []
        for segment, marked in segments:
            digest.update(json.dumps(segment, sort_keys=True).encode())
            total += _tokens(segment.get("text", segment) if isinstance(segment, dict) else segment)
            if marked and total >= self.min_cacheable_tokens:
                breakpoints.append((digest.copy().hexdigest(), total))
        read = max((tokens for key, tokens in breakpoints if key in self._seen), default=0)
        written = max((tokens for _, tokens in breakpoints), default=0) - read
        self._seen.update(key for key, _ in breakpoints)
        return {
            "input_tokens": total - read - written,
            "output_tokens": _tokens(output),
            "cache_read_input_tokens": read,
            "cache_creation_input_tokens": max(written, 0),
        }


class FakeMessagesAPI:
    def __init__(self, *, estimate_usage: bool = False, min_cacheable_tokens: int = 1024) -> None:
        self._script: deque[Scripted] = deque()
        self.requests: list[Recorded] = []
        self.usages: list[dict[str, Any]] = []  # usage of every 200 reply served, in order
        self._lock = threading.Lock()
        self._cache = CacheSimulator(min_cacheable_tokens) if estimate_usage else None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------------------
    def reply(self, body: dict[str, Any] | str, status: int = 200, **kwargs: Any) -> FakeMessagesAPI:
        with self._lock:
            self._script.append(Scripted(body=body, status=status, **kwargs))
        return self

    def reply_fixture(self, name: str, **kwargs: Any) -> FakeMessagesAPI:
        return self.reply(load_fixture(name), **kwargs)

    def overloaded(self) -> FakeMessagesAPI:
        # retry-after-ms keeps the SDK's backoff short in tests; the SDK honours it up to 60 s.
        return self.reply(
            api_error(529, "overloaded_error", "Overloaded"), status=529, headers={"retry-after-ms": "20"}
        )

    @property
    def remaining(self) -> int:
        return len(self._script)

    # -- serving ---------------------------------------------------------------------------------------
    def _next(self, body: dict[str, Any], path: str, headers: dict[str, str]) -> Scripted:
        with self._lock:
            self.requests.append(Recorded(path=path, headers=headers, body=body))
            if not self._script:
                return Scripted(api_error(400, "invalid_request_error", "fake: no scripted response"), 400)
            scripted = self._script.popleft()
        if self._cache is not None and scripted.status == 200 and isinstance(scripted.body, dict):
            with self._lock:
                usage = self._cache.usage(body, scripted.body.get("content"))
            scripted = Scripted(
                {**scripted.body, "usage": usage}, scripted.status, scripted.delay_s, scripted.headers
            )
        if scripted.status == 200 and isinstance(scripted.body, dict):
            with self._lock:
                self.usages.append(dict(scripted.body.get("usage") or {}))
        return scripted

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw) if raw else {}
                scripted = api._next(body, self.path, {k.lower(): v for k, v in self.headers.items()})
                if scripted.delay_s:
                    time.sleep(scripted.delay_s)
                payload = scripted.body if isinstance(scripted.body, str) else json.dumps(scripted.body)
                data = payload.encode()
                try:
                    self.send_response(scripted.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.send_header("request-id", f"req_fake_{len(api.requests)}")
                    for key, value in scripted.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test); nothing to deliver

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature is http.server's
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeMessagesAPI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
