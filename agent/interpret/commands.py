"""Conversation commands inside a reply: skip, go back, progress, pause, change my answer about X."""

from __future__ import annotations

import re

from agent.interpret.attribution import KeywordIndex
from agent.interpret.base import InterpretRequest
from agent.kb import KnowledgeBase

_SKIP = re.compile(
    r"^(?:please )?(?:skip|pass|next|skip (?:this|it|that)(?: one| question)?|let'?s skip(?: this| it| that)?(?: one)?|"
    r"move on|next question|skip for now|can we skip (?:this|it|that)(?: one)?|i'?ll skip (?:this|that)(?: one)?)"
    r"[\s.!?]*$"
)
_BACK = re.compile(
    r"^(?:please )?(?:go back|back|previous(?: question)?|undo|go back (?:one|a question|to the previous(?: question)?)|"
    r"(?:can we |let'?s )?go back(?: one)?|last question)[\s.!?]*$"
)
_PROGRESS = re.compile(
    r"^(?:progress|status|show progress|how far (?:along )?are we|how much (?:is )?left|how many (?:more|left)|"
    r"where are we|how are we doing|what'?s left)[\s.!?]*$"
)
_PAUSE = re.compile(
    r"^(?:please )?(?:pause|stop|stop for now|let'?s (?:pause|stop|take a break|continue later|pick this up later)|"
    r"(?:i'?ll |we'?ll |can we )?continue later|brb|take a break|save and exit|save and quit|quit|exit|"
    r"i need to go|gotta go|pause (?:for now|here|please))[\s.!?]*$"
)
_CHANGE = re.compile(
    r"\b(?:change|update|revise|correct|fix|amend|edit|redo|revisit)\s+(?:my |the |what i said in my )?"
    r"(?:answer|response|reply|what i said)\s*(?:about|on|for|to|regarding|re:?)?\s*(?P<topic>.*)$"
    r"|\b(?:go back to|revisit|back to)\s+(?:the )?(?P<topic2>.+?)(?: question)?[\s.!?]*$"
)
_STOPWORDS = re.compile(r"\b(?:the|a|an|my|our|answer|question|about|on|for|please|one|controls?|thing)\b")


def detect_command(
    clean: str, kb: KnowledgeBase, index: KeywordIndex, request: InterpretRequest
) -> str | None:
    text = clean.strip().strip("\"'")
    if not text or len(text.split()) > 14:
        return None
    for pattern, name in ((_SKIP, "skip"), (_BACK, "back"), (_PROGRESS, "progress"), (_PAUSE, "pause")):
        if pattern.match(text):
            return name
    change = _CHANGE.search(text)
    if change:
        topic = (change.group("topic") or change.group("topic2") or "").strip(" .!?")
        control_id = resolve_control(topic, kb, index, request)
        if control_id:
            return f"change:{control_id}"
    return None


def resolve_control(
    topic: str, kb: KnowledgeBase, index: KeywordIndex, request: InterpretRequest
) -> str | None:
    """Control ids, keywords, then title words; ties go to a control already answered, then KB order."""
    if not topic:
        return None
    for control in kb.controls:
        if control.id.lower() in topic.lower():
            return control.id
    scores = index.control_scores(topic.lower())
    if not scores:
        words = set(_STOPWORDS.sub(" ", topic.lower()).split())
        for control in kb.controls:
            title_words = set(re.findall(r"[a-z0-9]+", control.title.lower()))
            overlap = len({w for w in words if len(w) > 2} & title_words)
            if overlap:
                scores[control.id] = overlap
    if not scores:
        return None
    answered = set(request.previous_answers) | (set(kb.control_by_id) - set(request.open_controls))
    order = {c.id: i for i, c in enumerate(kb.controls)}
    return max(scores, key=lambda cid: (scores[cid], cid in answered, -order[cid]))
