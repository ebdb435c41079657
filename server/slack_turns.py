"""Slack threads as assessments: which assessment a thread holds, and engine turns run off the event loop.

Engine calls are synchronous (graph runs, checkpoint writes), so each runs in a worker thread and under
the per-assessment lock that the HTTP API also takes: a Slack answer and an API answer never interleave.
"""

from __future__ import annotations

import html
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import anyio.to_thread

from agent.engine import MessageTooLong
from server.services import Services

log = logging.getLogger("soc2gap.slack")
T = TypeVar("T")

_MENTION = re.compile(r"<[@!][^>]*>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")


def tenant_for(team_id: str) -> str:
    """Each Slack workspace is its own tenant: its assessments are invisible to every other tenant."""
    return f"slack:{team_id}"


def thread_key(team_id: str, channel: str, thread_ts: str) -> str:
    return f"{team_id}:{channel}:{thread_ts}"


def clean_text(text: str) -> str:
    """Slack's wire format -> what the user typed: mentions dropped, links unwrapped, entities decoded."""
    text = _MENTION.sub("", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()


@dataclass
class Reply:
    """What to post back in a thread: the agent's Markdown messages and what it now waits for."""

    messages: list[str]
    pending: dict[str, Any] = field(default_factory=lambda: {"kind": "done"})
    assessment_id: str | None = None

    @classmethod
    def of(cls, turn: Any) -> Reply:
        data = turn.model_dump(mode="json")
        return cls(messages=data["messages"], pending=data["pending"], assessment_id=data["assessment_id"])


class SlackAssessments:
    def __init__(self, services: Services):
        self.services = services

    @property
    def engine(self) -> Any:
        return self.services.engine

    async def _locked(self, assessment_id: str, action: Callable[[], T]) -> T:
        def run() -> T:
            with self.services.locks.hold(assessment_id):
                return action()

        return await anyio.to_thread.run_sync(run)

    async def bound(self, team_id: str, channel: str, thread_ts: str) -> str | None:
        return await anyio.to_thread.run_sync(
            self.services.store.thread_assessment, thread_key(team_id, channel, thread_ts)
        )

    async def start(self, team_id: str, channel: str, thread_ts: str) -> Reply:
        store = self.services.store
        key = thread_key(team_id, channel, thread_ts)
        assessment_id = uuid.uuid4().hex

        def register() -> str | None:
            store.ensure_tenant(tenant_for(team_id))
            store.register_assessment(assessment_id, tenant_for(team_id), channel="slack")
            store.bind_thread(key, assessment_id)
            return store.thread_assessment(key)

        winner = await anyio.to_thread.run_sync(register)
        if winner != assessment_id:
            # Two first messages raced for one thread: the other bound it, so this one is not needed.
            await anyio.to_thread.run_sync(store.forget_assessment, assessment_id)
            return Reply(messages=["An assessment is already running in this thread; answer here."])
        return Reply.of(await self._locked(assessment_id, lambda: self.engine.start(assessment_id)))

    async def answer(self, assessment_id: str, text: str) -> Reply:
        if not text:
            # A bare mention in the thread: repeat what the agent is waiting for.
            return Reply.of(await self._locked(assessment_id, lambda: self.engine.resume(assessment_id)))
        try:
            turn = await self._locked(assessment_id, lambda: self.engine.send(assessment_id, text))
        except KeyError:
            return Reply(
                messages=["That assessment no longer exists. Mention me outside a thread to start one."]
            )
        except MessageTooLong as exc:
            return Reply(messages=[f"That message is too long ({exc}). Could you shorten it?"])
        return Reply.of(turn)

    async def resolve(self, team_id: str, requested: str) -> str | None:
        """The assessment a slash command means: the id given, else this workspace's latest one."""
        store = self.services.store
        tenant = tenant_for(team_id)
        if requested:
            owner = await anyio.to_thread.run_sync(store.owner, requested)
            return requested if owner is not None and owner[0] == tenant else None
        ids = await anyio.to_thread.run_sync(store.list_assessments, tenant)
        for assessment_id in reversed(ids):
            if await anyio.to_thread.run_sync(self.engine.exists, assessment_id):
                return str(assessment_id)
        return None

    async def view(self, assessment_id: str) -> Any:
        return await anyio.to_thread.run_sync(self.engine.get_state, assessment_id)

    async def report(self, assessment_id: str) -> tuple[dict[str, Any], str]:
        """The report as JSON-ready data (for the summary blocks) and as Markdown (the uploaded file)."""
        from agent.report import build_report, render_markdown

        view = await self.view(assessment_id)
        services = self.services

        def build() -> tuple[dict[str, Any], str]:
            # Dated from the last answer, as the API and `soc2-gap report` do, so due dates are stable.
            report = build_report(view, services.kb, services.settings, view.updated_at or date.today())
            return report.model_dump(mode="json"), render_markdown(report)

        return await anyio.to_thread.run_sync(build)
