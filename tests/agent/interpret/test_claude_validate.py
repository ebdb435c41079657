"""What survives of Claude's reading: verbatim quotes, known ids, controls in play."""

from __future__ import annotations

from agent.interpret.base import InterpretRequest
from agent.interpret.claude_schema import ClaudeTurnReading
from agent.interpret.claude_validate import to_interpretation, verbatim_span
from agent.state import Profile

REPLY = "We’re fully remote, no office network.\nLogs are kept   for 90 days. Not sure about tabletop tests."


def test_verbatim_span_returns_the_users_own_characters():
    assert verbatim_span("we're fully remote", REPLY) == "We’re fully remote"
    assert verbatim_span("Logs are kept for 90 days.", REPLY) == "Logs are kept   for 90 days"
    assert verbatim_span('"no office network"', REPLY) == "no office network"


def test_paraphrase_and_empty_quotes_are_not_verbatim():
    assert verbatim_span("logs are retained for 90 days", REPLY) is None
    assert verbatim_span("Logs are kept ... 90 days", REPLY) is None
    assert verbatim_span(" . ", REPLY) is None


def _read(raw: dict, asked: list[str], open_controls: list[str], kb):
    request = InterpretRequest(text=REPLY, asked=asked, open_controls=open_controls, profile=Profile())
    return to_interpretation(ClaudeTurnReading.model_validate(raw), request, kb)


def test_unquoted_verdicts_become_unknown_and_silent_unasked_controls_vanish(kb):
    raw = {
        "readings": [
            {
                "control_id": "CC7-LOG-RETENTION",
                "judgments": [
                    {
                        "requirement_id": "logs-kept",
                        "verdict": "met",
                        "quotes": ["Logs are kept for 90 days"],
                    },
                    {
                        "requirement_id": "twelve-months",
                        "verdict": "partly_met",
                        "quotes": ["logs kept 3 months"],
                    },
                    {"requirement_id": "tamper-protected", "verdict": "unknown", "quotes": []},
                ],
            },
            {
                "control_id": "CC7-IR-TEST",
                "user_unsure": False,
                "judgments": [
                    {"requirement_id": "exercised", "verdict": "met", "quotes": ["tabletop exercise"]}
                ],
            },
            {
                "control_id": "CC6-NETWORK-SEG",
                "not_applicable_reason": "fully remote, no office network",
                "judgments": [
                    {
                        "requirement_id": "corporate-isolated",
                        "verdict": "met",
                        "quotes": ["no office network"],
                    }
                ],
            },
        ]
    }
    result = _read(raw, ["CC7-LOG-RETENTION"], ["CC7-LOG-RETENTION", "CC7-IR-TEST", "CC6-NETWORK-SEG"], kb)

    by_id = {r.control_id: r for r in result.readings}
    assert set(by_id) == {"CC7-LOG-RETENTION", "CC6-NETWORK-SEG"}
    logs = {j.requirement_id: (j.verdict, j.reason) for j in by_id["CC7-LOG-RETENTION"].judgments}
    assert logs["logs-kept"][0] == "met"
    assert logs["twelve-months"] == ("unknown", "unquoted")
    assert by_id["CC6-NETWORK-SEG"].not_applicable_reason == "fully remote, no office network"


def test_an_asked_control_the_user_is_unsure_about_is_kept(kb):
    raw = {
        "readings": [
            {
                "control_id": "CC7-IR-TEST",
                "user_unsure": True,
                "judgments": [{"requirement_id": "exercised", "verdict": "unknown", "quotes": []}],
            }
        ]
    }
    result = _read(raw, ["CC7-IR-TEST"], ["CC7-IR-TEST"], kb)
    assert [(r.control_id, r.user_unsure) for r in result.readings] == [("CC7-IR-TEST", True)]
