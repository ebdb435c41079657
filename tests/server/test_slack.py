"""The Slack bot end to end: signed requests to the live server, replies recorded by a fake Slack Web API.

Both servers are real HTTP on 127.0.0.1. The bot answers in lazy listeners after the 200, so tests poll
the fake's records with a bounded wait; the engine's state is read back through the HTTP API with a key
of the workspace's tenant.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from server.store import TenantStore
from tests.server.fake_slack_api import BOT_ID, BOT_USER_ID, FakeSlack, run_fake_slack
from tests.server.live_server import LiveServer, live_server, live_settings, run_live_server  # noqa: F401

SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
TEAM = "T0ACME01"
CHANNEL = "C0GENERAL"
USER = "U0FOUNDER"
# Message timestamps and event ids are unique per workspace in Slack; one sequence for the whole module.
SEQUENCE = itertools.count(int(time.time()) * 1000)


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with run_fake_slack(BOT_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def slack_server(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[LiveServer]:
    settings = live_settings(
        tmp_path_factory.mktemp("slack") / "data",
        slack_signing_secret=SECRET,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=fake_slack.api_url,
    )
    with run_live_server(settings) as server:
        yield server


@pytest.fixture(scope="module")
def store(slack_server: LiveServer) -> Iterator[TenantStore]:
    """The server's own tenant database, opened a second time (SQLite WAL), to read thread bindings."""
    store = TenantStore(sqlite_path=slack_server.settings.app_db_path)
    yield store
    store.close()


def signed(
    body: str, content_type: str, *, timestamp: int | None = None, secret: str = SECRET
) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


class Slack:
    """Plays Slack: signs and delivers events, slash commands and button clicks to the server."""

    def __init__(self, server: LiveServer, team: str = TEAM):
        self.server = server
        self.team = team

    def next_ts(self) -> str:
        n = next(SEQUENCE)
        return f"{n // 1000}.{n % 1000:06d}"

    def deliver(self, payload: dict[str, Any], **headers: str) -> httpx.Response:
        body = json.dumps(payload)
        return httpx.post(
            self.server.url("/slack/events"),
            content=body,
            headers={**signed(body, "application/json"), **headers},
            timeout=30,
        )

    def event_payload(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        return {
            "token": "legacy",
            "team_id": self.team,
            "api_app_id": "A0SOC2GAP",
            "type": "event_callback",
            "event_id": event_id or f"Ev{self.team}{next(SEQUENCE)}",
            "event_time": int(time.time()),
            "event": event,
        }

    def mention(self, text: str, channel: str = CHANNEL, thread_ts: str | None = None) -> str:
        ts = self.next_ts()
        event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER_ID}> {text}", "ts": ts}
        event |= {"channel": channel, "event_ts": ts} | ({"thread_ts": thread_ts} if thread_ts else {})
        assert self.deliver(self.event_payload(event)).status_code == 200
        return ts

    def message_event(
        self, text: str, thread_ts: str, channel: str = CHANNEL, **extra: Any
    ) -> dict[str, Any]:
        ts = self.next_ts()
        event = {"type": "message", "channel_type": "channel", "user": USER, "text": text, "ts": ts}
        return event | {"channel": channel, "thread_ts": thread_ts, "event_ts": ts} | extra

    def reply(self, text: str, thread_ts: str, channel: str = CHANNEL) -> None:
        response = self.deliver(self.event_payload(self.message_event(text, thread_ts, channel)))
        assert response.status_code == 200

    def command(self, text: str, channel: str) -> httpx.Response:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": self.team,
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "soc2",
                "user_id": USER,
                "user_name": "founder",
                "command": "/soc2-gap",
                "text": text,
                "api_app_id": "A0SOC2GAP",
                "response_url": self.server.url("/unused-response-url"),
                "trigger_id": f"trigger-{self.next_ts()}",
            }
        )
        return httpx.post(
            self.server.url("/slack/events"),
            content=body,
            headers=signed(body, "application/x-www-form-urlencoded"),
            timeout=30,
        )

    def click(self, posted: dict[str, Any], message_ts: str, value: str, channel: str = CHANNEL) -> None:
        actions = next(b for b in posted["blocks"] if b["type"] == "actions")
        button = next(e for e in actions["elements"] if e["value"] == value)
        payload = {
            "type": "block_actions",
            "team": {"id": self.team, "domain": "acme"},
            "user": {"id": USER, "username": "founder", "team_id": self.team},
            "api_app_id": "A0SOC2GAP",
            "token": "legacy",
            "trigger_id": f"trigger-{self.next_ts()}",
            "channel": {"id": channel, "name": "general"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "message": {
                "type": "message",
                "ts": message_ts,
                "thread_ts": posted["thread_ts"],
                "bot_id": BOT_ID,
            },
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": actions["block_id"],
                    "value": button["value"],
                    "text": button["text"],
                    "action_ts": self.next_ts(),
                }
            ],
            "response_url": self.server.url("/unused-response-url"),
        }
        body = urlencode({"payload": json.dumps(payload)})
        response = httpx.post(
            self.server.url("/slack/events"),
            content=body,
            headers=signed(body, "application/x-www-form-urlencoded"),
            timeout=30,
        )
        assert response.status_code == 200


def tenant_api(server: LiveServer, store: TenantStore, team: str) -> httpx.Client:
    key = store.create_key(f"slack:{team}")
    return httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60)


def user_texts(api: httpx.Client, assessment_id: str) -> list[str]:
    state = api.get(f"/v1/assessments/{assessment_id}")
    assert state.status_code == 200, state.text
    return [m["text"] for m in state.json()["transcript"] if m["role"] == "user"]


def wait_replies(fake: FakeSlack, thread_ts: str, count: int, channel: str = CHANNEL) -> list[Any]:
    return list(
        fake.wait_for(
            lambda: (p := fake.posts(channel=channel, thread_ts=thread_ts)) and len(p) >= count and p
        )
    )


# -- signatures and the handshake ------------------------------------------------------------------
def test_url_verification_answers_the_challenge(slack_server: LiveServer) -> None:
    response = Slack(slack_server).deliver(
        {"token": "legacy", "challenge": "c-123", "type": "url_verification"}
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


def test_bad_signature_is_rejected_and_nothing_starts(slack_server: LiveServer, store: TenantStore) -> None:
    slack = Slack(slack_server)
    ts = slack.next_ts()
    payload = slack.event_payload(
        {"type": "app_mention", "user": USER, "text": "hi", "ts": ts, "channel": CHANNEL, "event_ts": ts}
    )
    body = json.dumps(payload)
    response = httpx.post(
        slack_server.url("/slack/events"),
        content=body,
        headers=signed(body, "application/json", secret="wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    unsigned = httpx.post(
        slack_server.url("/slack/events"), content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    assert store.thread_assessment(f"{TEAM}:{CHANNEL}:{ts}") is None


def test_stale_timestamp_is_rejected(slack_server: LiveServer) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-old", "type": "url_verification"})
    headers = signed(body, "application/json", timestamp=int(time.time()) - 10 * 60)
    response = httpx.post(slack_server.url("/slack/events"), content=body, headers=headers)
    assert response.status_code == 401
    assert "challenge" not in response.text


def test_unconfigured_slack_answers_503(live_server: LiveServer) -> None:  # noqa: F811 - pytest fixture
    body = json.dumps({"type": "url_verification", "challenge": "x"})
    response = httpx.post(
        live_server.url("/slack/events"), content=body, headers=signed(body, "application/json")
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "slack_not_configured"
    assert "Slack is not configured" in response.json()["error"]["message"]


# -- conversations in threads ----------------------------------------------------------------------
def test_mention_starts_an_assessment_and_its_thread_continues_it(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    slack = Slack(slack_server)
    root = slack.mention("let's check our SOC 2 readiness")
    first = wait_replies(fake_slack, root, 1)[0].args
    assert "SOC 2 readiness assistant" in first["text"]
    assert "organization called" in first["blocks"][-1]["text"]["text"]
    assert "**" not in first["text"]  # Markdown bold became mrkdwn
    assessment_id = store.thread_assessment(f"{TEAM}:{CHANNEL}:{root}")
    assert assessment_id is not None
    assert store.owner(assessment_id) == (f"slack:{TEAM}", None)

    slack.reply("Acme Robotics", thread_ts=root)
    second = wait_replies(fake_slack, root, 2)[1].args
    assert "How many people work at Acme Robotics" in second["text"]
    with tenant_api(slack_server, store, TEAM) as api:
        assert user_texts(api, assessment_id) == ["Acme Robotics"]
        assert (
            api.get(f"/v1/assessments/{assessment_id}").json()["profile"]["company_name"] == "Acme Robotics"
        )
    with tenant_api(slack_server, store, "T0OTHER1") as other_workspace:
        assert other_workspace.get(f"/v1/assessments/{assessment_id}").status_code == 404


def test_retried_event_bot_messages_and_double_clicks_apply_nothing_twice(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    slack = Slack(slack_server)
    root = slack.mention("start please")
    wait_replies(fake_slack, root, 1)
    assessment_id = store.thread_assessment(f"{TEAM}:{CHANNEL}:{root}")
    assert assessment_id is not None
    slack.reply("Globex", thread_ts=root)
    wait_replies(fake_slack, root, 2)

    answer = slack.event_payload(slack.message_event("42", thread_ts=root))
    assert slack.deliver(answer).status_code == 200
    retried = slack.deliver(answer, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retried.status_code == 200
    third = wait_replies(fake_slack, root, 3)[2]
    actions = [b for b in third.args["blocks"] if b["type"] == "actions"]
    assert [e["value"] for e in actions[0]["elements"]] == ["Type I", "Type II", "Not sure"]

    # Our own post echoed back, and another bot's post: neither is an answer.
    own = slack.message_event("I am the bot", thread_ts=root, user=BOT_USER_ID, bot_id=BOT_ID)
    other_bot = slack.message_event("deploy finished", thread_ts=root, subtype="bot_message", bot_id="B0CI")
    for event in (own, other_bot):
        assert slack.deliver(slack.event_payload(event)).status_code == 200

    slack.click(third.args, third.result["ts"], "Type II")
    slack.click(third.args, third.result["ts"], "Type I")  # a second click on the same question
    fourth = wait_replies(fake_slack, root, 4)[3].args
    assert "answered *Type II*" in fourth["blocks"][0]["elements"][0]["text"]
    assert "When would you like the audit" in fourth["text"]

    slack.reply("September 1, 2027", thread_ts=root)
    wait_replies(fake_slack, root, 5)
    with tenant_api(slack_server, store, TEAM) as api:
        assert user_texts(api, assessment_id) == ["Globex", "42", "Type II", "September 1, 2027"]
        profile = api.get(f"/v1/assessments/{assessment_id}").json()["profile"]
        assert (profile["employees"], profile["audit_type"]) == (42, "type2")
    assert len(fake_slack.posts(channel=CHANNEL, thread_ts=root)) == 5


def test_direct_message_starts_an_assessment_in_a_thread(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    slack = Slack(slack_server)
    ts = slack.next_ts()
    event = {"type": "message", "channel_type": "im", "channel": "D0FOUNDER", "user": USER, "text": "hello"}
    assert slack.deliver(slack.event_payload(event | {"ts": ts, "event_ts": ts})).status_code == 200
    assert "SOC 2 readiness assistant" in wait_replies(fake_slack, ts, 1, channel="D0FOUNDER")[0].args["text"]
    assert store.thread_assessment(f"{TEAM}:D0FOUNDER:{ts}") is not None


# -- the slash command -----------------------------------------------------------------------------
def test_slash_command_start_status_and_report(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    team, channel = "T0SLASH1", "C0SOC2"
    slack = Slack(slack_server, team=team)
    started = slack.command("start", channel)
    assert started.status_code == 200
    assert "Starting" in started.text

    root_post = fake_slack.wait_for(lambda: fake_slack.posts(channel=channel, thread_ts=None))[0]
    assert "started a SOC 2 readiness assessment" in root_post.args["text"]
    root = root_post.result["ts"]
    assert "organization called" in wait_replies(fake_slack, root, 1, channel=channel)[0].args["text"]
    assessment_id = store.thread_assessment(f"{team}:{channel}:{root}")
    assert assessment_id is not None
    slack.reply("Initech", thread_ts=root, channel=channel)
    wait_replies(fake_slack, root, 2, channel=channel)

    assert slack.command("status", channel).status_code == 200
    status = fake_slack.wait_for(
        lambda: [p for p in fake_slack.posts(channel=channel, thread_ts=None) if p.args.get("blocks")]
    )[0]
    assert status.args["blocks"][0]["text"]["text"] == "SOC 2 assessment: Initech"
    assert "controls settled" in status.args["text"]
    assert assessment_id in json.dumps(status.args["blocks"])

    assert slack.command("report", channel).status_code == 200
    completed = fake_slack.wait_for(lambda: fake_slack.called("files.completeUploadExternal"))[0]
    assert completed.result["ok"] and completed.args["channel_id"] == channel
    requested = fake_slack.called("files.getUploadURLExternal")[0]
    assert requested.args["filename"] == f"soc2-gap-report-{assessment_id[:8]}.md"
    uploaded = fake_slack.uploads[requested.result["file_id"]]
    assert int(requested.args["length"]) == len(uploaded)
    with tenant_api(slack_server, store, team) as api:
        markdown = api.get(f"/v1/assessments/{assessment_id}/report", params={"format": "md"}).text
    assert uploaded.decode() == markdown
    summary = fake_slack.wait_for(
        lambda: [p for p in fake_slack.posts(channel=channel) if "readiness report" in p.args["text"]]
    )[0]
    assert summary.args["blocks"][0]["text"]["text"] == "SOC 2 readiness: Initech"


def test_slash_command_never_reaches_another_workspaces_assessment(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    slack = Slack(slack_server)
    root = slack.mention("start")
    wait_replies(fake_slack, root, 1)
    assessment_id = store.thread_assessment(f"{TEAM}:{CHANNEL}:{root}")
    intruder = Slack(slack_server, team="T0INTRUDE")
    assert intruder.command(f"status {assessment_id}", "C0INTRUDE").status_code == 200
    refusal = fake_slack.wait_for(lambda: fake_slack.posts(channel="C0INTRUDE"))[0]
    assert refusal.args["text"].startswith(f"No assessment '{assessment_id}' here.")
    assert "blocks" not in refusal.args
    usage = slack.command("frobnicate", CHANNEL)
    assert "Usage" in usage.text


def test_a_mention_inside_a_thread_is_answered_once(
    slack_server: LiveServer, fake_slack: FakeSlack, store: TenantStore
) -> None:
    """Slack sends a mention in a channel twice (app_mention and message, two event ids): one answer."""
    slack = Slack(slack_server)
    root = slack.mention("start")
    wait_replies(fake_slack, root, 1)
    assessment_id = store.thread_assessment(f"{TEAM}:{CHANNEL}:{root}")
    assert assessment_id is not None
    ts = slack.next_ts()
    text = f"<@{BOT_USER_ID}> Hooli &amp; Co"
    as_mention = {"type": "app_mention", "user": USER, "text": text, "ts": ts, "channel": CHANNEL}
    as_message = slack.message_event(text, thread_ts=root) | {"ts": ts}
    assert (
        slack.deliver(slack.event_payload(as_mention | {"thread_ts": root, "event_ts": ts})).status_code
        == 200
    )
    assert slack.deliver(slack.event_payload(as_message)).status_code == 200
    slack.reply("12", thread_ts=root)
    replies = wait_replies(fake_slack, root, 3)
    with tenant_api(slack_server, store, TEAM) as api:
        assert user_texts(api, assessment_id) == ["Hooli & Co", "12"]
    assert "Hooli &amp; Co" in replies[1].args["text"]  # escaped again for Slack
    assert len(fake_slack.posts(channel=CHANNEL, thread_ts=root)) == 3


# -- Markdown to mrkdwn and blocks -------------------------------------------------------------------
def test_markdown_becomes_slack_mrkdwn() -> None:
    from server.slack_format import to_mrkdwn

    markdown = (
        "# Plan\nWe use **MFA** and *SSO* on\n[the portal](https://x.test/a) <admin> & more.\n- one\n- two"
    )
    assert to_mrkdwn(markdown) == (
        "*Plan*\nWe use *MFA* and _SSO_ on <https://x.test/a|the portal> &lt;admin&gt; &amp; more.\n• one\n• two"
    )
    assert to_mrkdwn("```\n**kept** <as is>\n```") == "```\n**kept** &lt;as is&gt;\n```"


def test_reply_blocks_split_long_messages_and_offer_buttons_only_for_choices() -> None:
    from server.slack_format import SECTION_LIMIT, reply_blocks

    long_message = "\n".join(f"line {i} " + "x" * 80 for i in range(100))
    blocks = reply_blocks([long_message], {"kind": "intake", "field": "company_name"})
    assert len(blocks) > 1 and all(b["type"] == "section" for b in blocks)
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks).count("line ") == 100
    yes_no = reply_blocks(["Uptime SLA?"], {"kind": "intake", "field": "uptime_commitments"})[-1]
    assert [e["value"] for e in yes_no["elements"]] == ["Yes", "No", "Not sure"]
    control = reply_blocks(["Do you use MFA?"], {"kind": "control", "control_ids": ["CC6-MFA-PROD"]})
    assert [b["type"] for b in control] == ["section"]
