"""A fake Slack Web API over real HTTP on 127.0.0.1: records every call and answers in Slack's shape.

Covers what the bot uses: auth.test (Bolt's single-workspace authorization), chat.postMessage, and the
three steps of files_upload_v2 (files.getUploadURLExternal, a POST of the bytes to the returned URL,
files.completeUploadExternal). Arguments are read from the query string, a form or a JSON body, like
Slack does; a wrong bot token gets `invalid_auth`, an unknown method `unknown_method`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
HOME_TEAM_ID = "T0HOME01"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeSlack:
    token: str
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def next_id(self) -> int:
        with self._lock:
            return next(self._counter)

    def record(self, method: str, args: dict[str, Any], result: dict[str, Any] | None = None) -> None:
        with self._lock:
            self.calls.append(Call(method, args, result or {}))

    def called(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def posts(self, **match: Any) -> list[Call]:
        """Successful chat.postMessage calls whose arguments include every key=value (None = absent)."""
        return [
            c
            for c in self.called("chat.postMessage")
            if c.result.get("ok") and all(c.args.get(k) == v for k, v in match.items())
        ]

    def wait_for(self, found: Callable[[], Any], timeout_s: float = 60.0) -> Any:
        """Lazy listeners answer after the HTTP response: poll what was recorded, up to a bound."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            result = found()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"the fake Slack API did not receive the expected call; calls: {self.calls}")

    # -- the methods ---------------------------------------------------------------------------------
    def answer(self, method: str, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        if authorization != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Home",
                "user": "soc2-gap",
                "team_id": HOME_TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            if not args.get("channel") or not (args.get("text") or args.get("blocks")):
                return {"ok": False, "error": "no_text" if args.get("channel") else "channel_not_found"}
            ts = f"{1_800_000_000 + self.next_id()}.000100"
            message = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "ts": ts,
                "text": args.get("text"),
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}
        if method == "files.getUploadURLExternal":
            if not args.get("filename") or not str(args.get("length", "")).isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{self.next_id():08d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(args.get("files") or "[]")
            if not files or any(f["id"] not in self.uploads for f in files):
                return {"ok": False, "error": "file_not_found"}
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title"), "name": f.get("title")} for f in files],
            }
        return {"ok": False, "error": "unknown_method"}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path.startswith("/upload/"):
                file_id = url.path.rsplit("/", 1)[-1]
                fake.uploads[file_id] = raw
                fake.record("upload", {"file_id": file_id, "length": len(raw)})
                self._send(200, f"OK - {len(raw)}".encode(), "text/plain")
                return
            if not url.path.startswith("/api/"):
                self._send(404, b"not found", "text/plain")
                return
            args: dict[str, Any] = dict(parse_qsl(url.query))
            content_type = self.headers.get("Content-Type", "")
            if raw and content_type.startswith("application/json"):
                args.update(json.loads(raw))
            elif raw:
                args.update(parse_qsl(raw.decode()))
            for key in ("blocks", "attachments"):
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
            method = url.path[len("/api/") :]
            reply = fake.answer(method, args, self.headers.get("Authorization", ""))
            fake.record(method, args, reply)
            self._send(200, json.dumps(reply).encode(), "application/json; charset=utf-8")

    return Handler


@contextmanager
def run_fake_slack(token: str) -> Iterator[FakeSlack]:
    fake = FakeSlack(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-slack-api", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
