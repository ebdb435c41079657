"""Secrets pasted into answers never reach storage, quotes or a model."""

from __future__ import annotations

import pytest

from agent.interpret.redact import redact_secrets

CASES = [
    ("aws-access-key", "our key is AKIAIOSFODNN7EXAMPLE for the CI user", "AKIAIOSFODNN7EXAMPLE"),
    ("aws-access-key", "temporary creds ASIAY34FZKBOKMUTVV7A expire hourly", "ASIAY34FZKBOKMUTVV7A"),
    (
        "aws-secret-key",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "github-token",
        "deploy with ghp_16C7e42F292c6912E7710c838347Ae178B4a please",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    (
        "github-token",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
    ),
    (
        "github-token",
        "oauth gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    (
        "slack-token",
        "the bot token is xoxb-123456789012-abcdefghijklmnop",
        "xoxb-123456789012-abcdefghijklmnop",
    ),
    (
        "anthropic-key",
        "ANTHROPIC_API_KEY sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv",
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv",
    ),
    ("openai-key", "OPENAI key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx"),
    (
        "jwt",
        "session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    (
        "private-key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEA",
    ),
    (
        "private-key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA",
        "b3BlbnNzaC1rZXktdjEAAAA",
    ),
    ("connection-string", "DATABASE_URL=postgres://admin:s3cr3tP4ss@db.internal:5432/app", "s3cr3tP4ss"),
    ("password", "the root password: Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("password", 'config has password="hunter22"', "hunter22"),
]


@pytest.mark.parametrize(("kind", "text", "secret"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_secret_is_replaced(kind: str, text: str, secret: str) -> None:
    redacted, found = redact_secrets(text)
    assert secret not in redacted
    assert f"[REDACTED:{kind}]" in redacted
    assert kind in found


@pytest.mark.parametrize(
    "text",
    [
        "MFA is enforced everywhere except the legacy admin panel.",
        "Our password policy is 14 characters with a password manager.",
        "The password is required for every login.",
        "Commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it.",
        "We rotate the secret every 90 days.",
        "TLS 1.2 minimum on the ALB; sk-style names are fine",
    ],
)
def test_ordinary_answers_pass_unchanged(text: str) -> None:
    assert redact_secrets(text) == (text, [])


def test_several_secrets_reported_once_each() -> None:
    text = "AKIAIOSFODNN7EXAMPLE and AKIAI44QH8DHBEXAMPLE plus xoxp-1234567890-abcdefghijk"
    redacted, found = redact_secrets(text)
    assert found == ["slack-token", "aws-access-key"] or sorted(found) == ["aws-access-key", "slack-token"]
    assert redacted.count("[REDACTED:aws-access-key]") == 2
