"""The Slack bot: a Bolt AsyncApp whose listeners acknowledge at once and do engine turns lazily.

Slack wants an answer within 3 seconds and retries otherwise, while an engine turn can take longer; so
every listener acks immediately and its lazy half runs the turn and posts the reply with chat.postMessage.
A retried delivery (same event_id) is dropped before any listener sees it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from server.services import Services
from server.slack_format import (
    ANSWER_ACTION_PREFIX,
    escape,
    fallback_text,
    reply_blocks,
    report_summary_blocks,
    status_blocks,
)
from server.slack_turns import Reply, SlackAssessments, clean_text

log = logging.getLogger("soc2gap.slack")

COMMAND = "/soc2-gap"
USAGE = (
    "Usage: `/soc2-gap start` (a new assessment in a new thread), "
    "`/soc2-gap status [id]` (progress per domain), `/soc2-gap report [id]` (the report as a file)."
)
FAILED = "Sorry, something went wrong on my side; your last answer was not applied. Please try again."
ACKS = {
    "start": "Starting a new SOC 2 assessment…",
    "status": "Checking progress…",
    "report": "Building the report…",
}


def slack_configured(services: Services) -> bool:
    settings = services.settings
    return bool(settings.slack_signing_secret and settings.slack_bot_token)


def build_slack_app(services: Services) -> AsyncApp:
    settings = services.settings
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    app = AsyncApp(
        name="soc2-gap",
        signing_secret=settings.slack_signing_secret,
        client=client,
        logger=logging.getLogger("soc2gap.slack.bolt"),
    )
    SlackBot(SlackAssessments(services), services).register(app)
    return app


async def post_reply(
    client: AsyncWebClient, channel: str, thread_ts: str, reply: Reply, note: str = ""
) -> None:
    blocks = reply_blocks(reply.messages, reply.pending)
    if note:
        blocks.insert(0, {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    await client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=fallback_text(reply.messages), blocks=blocks
    )


class SlackBot:
    def __init__(self, assessments: SlackAssessments, services: Services):
        self.assessments = assessments
        self.services = services

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.drop_redelivered_events)
        app.event("app_mention")(ack=self.ack, lazy=[self.on_mention])
        app.event("message")(ack=self.ack, lazy=[self.on_message])
        app.command(COMMAND)(ack=self.ack_command, lazy=[self.on_command])
        app.action(re.compile(f"^{ANSWER_ACTION_PREFIX}:"))(ack=self.ack, lazy=[self.on_answer_button])

    # -- acknowledgements (fast path) -------------------------------------------------------------
    async def drop_redelivered_events(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]], request: Any
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks we missed; the first delivery already applied the answer."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            first = await anyio.to_thread.run_sync(self.services.store.first_delivery, f"slack:{event_id}")
            if not first:
                retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
                log.info("dropping a redelivered Slack event", extra={"event_id": event_id, "retry": retry})
                return BoltResponse(status=200, body="")
        await next()
        return None

    async def ack(self, ack: AsyncAck) -> None:
        await ack()

    async def ack_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        verb = (command.get("text") or "").split()[:1]
        await ack(ACKS.get(verb[0].lower(), USAGE) if verb else USAGE)

    # -- lazy halves --------------------------------------------------------------------------------
    async def on_mention(self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("bot_id"):
            return
        await self.converse(client, body["team_id"], event, may_start=True)

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        # Edits, joins and other bots' posts are not answers; neither is our own output.
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        if event.get("channel_type") == "im":
            await self.converse(client, body["team_id"], event, may_start=True)
            return
        # In channels a message that mentions the bot also arrives as app_mention; answer that one only.
        if context.bot_user_id and f"<@{context.bot_user_id}" in (event.get("text") or ""):
            return
        if event.get("thread_ts"):
            await self.converse(client, body["team_id"], event, may_start=False)

    async def converse(
        self, client: AsyncWebClient, team_id: str, event: dict[str, Any], *, may_start: bool
    ) -> None:
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        try:
            assessment_id = await self.assessments.bound(team_id, channel, thread_ts)
            if assessment_id is not None:
                reply = await self.assessments.answer(assessment_id, clean_text(event.get("text") or ""))
            elif may_start:
                reply = await self.assessments.start(team_id, channel, thread_ts)
            else:
                return
        except Exception:
            log.exception("a Slack turn failed", extra={"channel": channel, "thread_ts": thread_ts})
            reply = Reply(messages=[FAILED])
        await post_reply(client, channel, thread_ts, reply)

    async def on_answer_button(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        team_id = body["team"]["id"]
        channel = body["channel"]["id"]
        message = body.get("message") or {}
        thread_ts = str(message.get("thread_ts") or message.get("ts") or "")
        action = body["actions"][0]
        # One answer per question message: a double click or a second person's click is not applied twice.
        first = await anyio.to_thread.run_sync(
            self.services.store.first_delivery, f"slack:action:{team_id}:{channel}:{message.get('ts')}"
        )
        assessment_id = await self.assessments.bound(team_id, channel, thread_ts) if thread_ts else None
        if not first or assessment_id is None:
            return
        try:
            reply = await self.assessments.answer(assessment_id, action["value"])
        except Exception:
            log.exception("a Slack button answer failed", extra={"channel": channel})
            reply = Reply(messages=[FAILED])
        note = f"<@{body['user']['id']}> answered *{escape(action['value'])}*"
        await post_reply(client, channel, thread_ts, reply, note=note)

    async def on_command(self, command: dict[str, Any], client: AsyncWebClient) -> None:
        words = (command.get("text") or "").split()
        verb = words[0].lower() if words else ""
        team_id, channel = command["team_id"], command["channel_id"]
        try:
            if verb == "start":
                await self.command_start(client, team_id, channel, command["user_id"])
            elif verb in ("status", "report"):
                requested = words[1] if len(words) > 1 else ""
                assessment_id = await self.assessments.resolve(team_id, requested)
                if assessment_id is None:
                    missing = f"No assessment {requested!r} here." if requested else "No assessment yet."
                    await client.chat_postMessage(
                        channel=channel, text=f"{missing} Start one with `/soc2-gap start`."
                    )
                elif verb == "status":
                    await self.command_status(client, channel, assessment_id)
                else:
                    await self.command_report(client, channel, assessment_id)
        except Exception:
            log.exception("a Slack command failed", extra={"verb": verb, "channel": channel})
            await client.chat_postMessage(channel=channel, text=FAILED)

    async def command_start(self, client: AsyncWebClient, team_id: str, channel: str, user_id: str) -> None:
        root = await client.chat_postMessage(
            channel=channel,
            text=f"<@{user_id}> started a SOC 2 readiness assessment. Answer in this thread.",
        )
        thread_ts = str(root["ts"])
        await post_reply(
            client, channel, thread_ts, await self.assessments.start(team_id, channel, thread_ts)
        )

    async def command_status(self, client: AsyncWebClient, channel: str, assessment_id: str) -> None:
        view = (await self.assessments.view(assessment_id)).model_dump(mode="json")
        progress = view["progress"]
        await client.chat_postMessage(
            channel=channel,
            text=f"SOC 2 assessment: {progress['settled']} of {progress['total']} controls settled.",
            blocks=status_blocks(assessment_id, view),
        )

    async def command_report(self, client: AsyncWebClient, channel: str, assessment_id: str) -> None:
        report, markdown = await self.assessments.report(assessment_id)
        await client.files_upload_v2(
            channel=channel,
            content=markdown,
            filename=f"soc2-gap-report-{assessment_id[:8]}.md",
            title="SOC 2 readiness report",
        )
        readiness = round(100 * report["summary"]["readiness"])
        await client.chat_postMessage(
            channel=channel,
            text=f"SOC 2 readiness report: {readiness}% ready.",
            blocks=report_summary_blocks(report),
        )
