"""Take credentials out of what a user pastes before it is stored, quoted or sent to a model.

People answering "how do vendors sign in?" sometimes paste a connection string or a token. Each match
is replaced by `[REDACTED:<kind>]` and the kinds found are returned so the channel can warn the user.
"""

from __future__ import annotations

import re

# Order matters: specific token shapes first, so a GitHub token is not reported as a generic secret.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "private-key",
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
            re.S,
        ),
    ),
    ("anthropic-key", re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{16,}")),
    ("openai-key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}")),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("slack-token", re.compile(r"\bxox[abprse]-[A-Za-z0-9\-]{10,}")),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b")),
    ("aws-secret-key", re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("stripe-key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}")),
    (
        "connection-string",
        re.compile(r"\b([a-z][a-z0-9+.\-]{1,20}://)([^\s:/@]+):([^\s@/]+)@", re.I),
    ),
    (
        "password",
        re.compile(
            r"(?i)\b(pass(?:word|wd|phrase)?|pwd|secret|api[_\- ]?key|access[_\- ]?token|auth[_\- ]?token|token)"
            r"(\s*(?:is|=|:|:=)\s*)([\"']?)([^\s\"',;]{4,})\3"
        ),
    ),
]
_SECRET_CONTEXT = re.compile(r"(?i)\b(?:secret|aws_secret_access_key|secret_access_key|secret key)\b")


def redact_secrets(text: str) -> tuple[str, list[str]]:
    """Returns the text with secrets replaced, and the kinds found (in order, without repeats)."""
    found: list[str] = []

    def note(kind: str) -> str:
        if kind not in found:
            found.append(kind)
        return f"[REDACTED:{kind}]"

    for kind, pattern in _PATTERNS:
        if kind == "aws-secret-key":
            text = _redact_aws_secrets(text, note)
        elif kind == "connection-string":
            text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}:{note('connection-string')}@", text)
        elif kind == "password":
            text = pattern.sub(lambda m: _password(m, note), text)
        else:
            text = pattern.sub(lambda m, k=kind: note(k), text)  # type: ignore[misc]
    return text, found


def _redact_aws_secrets(text: str, note: object) -> str:
    """A 40-character base64-ish string counts only near the word 'secret' (otherwise it could be a hash)."""
    out: list[str] = []
    last = 0
    for match in dict(_PATTERNS)["aws-secret-key"].finditer(text):
        window = text[max(0, match.start() - 60) : match.start()]
        token = match.group(0)
        looks_random = any(c.isdigit() for c in token) and any(c.isupper() for c in token)
        if _SECRET_CONTEXT.search(window) and looks_random:
            out.append(text[last : match.start()])
            out.append(note("aws-secret-key"))  # type: ignore[operator]
            last = match.end()
    out.append(text[last:])
    return "".join(out)


_PROSE = frozenset(
    {"manager", "policy", "rotation", "reset", "required", "enforced", "protected", "managers", "vault"}
)


def _password(match: re.Match[str], note: object) -> str:
    value = match.group(4)
    if value.startswith("[REDACTED:") or "REDACTED" in value:
        return match.group(0)
    # "password is required" is prose; "password is Tr0ub4dor&3" is a secret.
    prose = value.isalpha() and value.islower()
    if prose and (match.group(2).strip() == "is" or value in _PROSE):
        return match.group(0)
    if match.group(2).strip() == "is" and not re.search(r"[\d\W_]", value):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{note('password')}{match.group(3)}"  # type: ignore[operator]
