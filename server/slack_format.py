"""The agent's Markdown as Slack mrkdwn and Block Kit: replies, intake buttons, progress, report summary."""

from __future__ import annotations

import re
from typing import Any

# Slack rejects a section whose text is longer than this.
SECTION_LIMIT = 3000
ANSWER_ACTION_PREFIX = "soc2gap_answer"

# Intake questions whose answers are one of a few words: offered as buttons, the value is sent as the answer.
YES_NO = ("Yes", "No", "Not sure")
INTAKE_CHOICES: dict[str, tuple[str, ...]] = {
    "audit_type": ("Type I", "Type II", "Not sure"),
    "uptime_commitments": YES_NO,
    "confidentiality_commitments": YES_NO,
    "processing_integrity_commitments": YES_NO,
    "privacy_commitments": YES_NO,
    "cloud": ("AWS", "GCP", "Azure"),
    "identity_provider": ("Okta", "Google Workspace", "Entra ID"),
    "email_suite": ("Google Workspace", "Microsoft 365"),
    "code_host": ("GitHub", "GitLab"),
}

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_CODE_FENCE = re.compile(r"^\s*```")
# Placeholders survive escaping and the italic pass; they are control characters no message contains.
_B_OPEN, _B_CLOSE, _LINK_MARK = "\x01", "\x02", "\x03"


def escape(text: str) -> str:
    """Slack reads &, < and > as control sequences (mentions, links); plain text must escape them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(line: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f"<{match.group(2)}|{escape(match.group(1))}>")
        return f"{_LINK_MARK}{len(links) - 1}{_LINK_MARK}"

    line = _LINK.sub(keep_link, line)
    line = escape(line)
    line = _BOLD.sub(lambda m: f"{_B_OPEN}{m.group(1) or m.group(2)}{_B_CLOSE}", line)
    line = _ITALIC.sub(lambda m: f"_{m.group(1)}_", line)
    line = line.replace(_B_OPEN, "*").replace(_B_CLOSE, "*")
    return re.sub(f"{_LINK_MARK}(\\d+){_LINK_MARK}", lambda m: links[int(m.group(1))], line)


def to_mrkdwn(markdown: str) -> str:
    """CommonMark as the agent writes it -> Slack mrkdwn (bold, italics, links, headings, bullets)."""
    out: list[str] = []
    in_code = False
    # Markdown joins soft-wrapped lines into one paragraph; Slack would show every newline as a break.
    joinable = False
    for line in markdown.splitlines():
        if _CODE_FENCE.match(line):
            in_code = not in_code
            out.append("```")
            joinable = False
            continue
        if in_code:
            out.append(escape(line))
            continue
        heading = _HEADING.match(line)
        if heading:
            out.append(f"*{_inline(heading.group(1)).strip('*')}*")
            joinable = False
            continue
        bullet = _BULLET.match(line)
        if bullet:
            line = f"{bullet.group(1)}• {line[bullet.end() :]}"
        if joinable and line.strip() and not bullet and not line.startswith(" "):
            out[-1] = f"{out[-1]} {_inline(line.strip())}"
            continue
        out.append(_inline(line))
        joinable = bool(line.strip())
    return "\n".join(out)


def _chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*chunks, text] if text else chunks


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def reply_blocks(messages: list[str], pending: dict[str, Any]) -> list[dict[str, Any]]:
    """One section per agent message, then buttons when the pending intake question has a few answers."""
    blocks = [section(chunk) for message in messages for chunk in _chunks(to_mrkdwn(message))]
    choices = INTAKE_CHOICES.get(str(pending.get("field"))) if pending.get("kind") == "intake" else None
    if choices:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"intake:{pending['field']}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"{ANSWER_ACTION_PREFIX}:{index}",
                        "text": {"type": "plain_text", "text": choice},
                        "value": choice,
                    }
                    for index, choice in enumerate(choices)
                ],
            }
        )
    return blocks


def fallback_text(messages: list[str]) -> str:
    """The notification text (and what screen readers read) for a message sent with blocks."""
    return "\n\n".join(to_mrkdwn(m) for m in messages) or "…"


def progress_bar(settled: int, total: int, width: int = 10) -> str:
    filled = round(width * settled / total) if total else 0
    return "▓" * filled + "░" * (width - filled)


def status_blocks(assessment_id: str, view: dict[str, Any]) -> list[dict[str, Any]]:
    progress = view["progress"]
    company = (view.get("profile") or {}).get("company_name") or "your organization"
    state = "complete" if view["status"] == "complete" else "in progress"
    lines = [
        f"`{d['domain']}` {escape(d['label'])}: {progress_bar(d['settled'], d['total'])} "
        f"{d['settled']}/{d['total']}"
        for d in progress["domains"]
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"SOC 2 assessment: {company}"[:150]}},
        section(
            f"*{progress['settled']} of {progress['total']} controls settled* ({state}).\n"
            f"Scope: {escape(', '.join(view.get('scope') or ['security']))}"
        ),
    ]
    blocks += [section(chunk) for chunk in _chunks("\n".join(lines) or "No domains planned yet.")]
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Assessment `{assessment_id}`"}]}
    )
    return blocks


STATUS_ORDER = ("implemented", "partial", "gap", "unknown", "not_applicable")


def report_summary_blocks(report: dict[str, Any], top: int = 3) -> list[dict[str, Any]]:
    summary = report["summary"]
    company = (report.get("organization") or {}).get("company_name") or "your organization"
    counts = summary["by_status"]
    fields = [
        {"type": "mrkdwn", "text": f"*{name.replace('_', ' ').capitalize()}*\n{counts.get(name, 0)}"}
        for name in STATUS_ORDER
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"SOC 2 readiness: {company}"[:150]}},
        section(
            f"*Readiness {round(100 * summary['readiness'])}%* · "
            f"{summary['assessed']} of {summary['in_scope_controls']} in-scope controls assessed"
            + ("" if report.get("assessment_status") == "complete" else " (assessment still in progress)")
        ),
        {"type": "section", "fields": fields},
    ]
    roadmap = report.get("roadmap") or []
    if roadmap:
        items = [
            f"{item['rank']}. *{escape(item['title'])}* ({', '.join(item['control_ids'])})"
            + (f", due {item['due']}" if item.get("due") else "")
            for item in roadmap[:top]
        ]
        blocks.append(section("*First on the roadmap*\n" + "\n".join(items)))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "The full report (Markdown) is attached in this channel."}
            ],
        }
    )
    return blocks
