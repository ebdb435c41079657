"""Which failing controls one remediation closes together.

Two controls share a fix when the guide files them under the same common gap (one access-review
process closes both the periodic certification and the in-period review; one IdP policy enforces MFA
on production and on email): a dependency between them is then internal to that one piece of work.
Controls asked in the same breath (`ask_with`) that sit in the same criteria group and have the same
owner are merged too, but only when neither depends on the other: there the dependency is the order
the work must happen in (an IR plan before its tabletop). A merge that would put a control outside
the group on a dependency path between two members is refused, so the order stays acyclic.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.kb import KnowledgeBase
from agent.kb.models import Control


def dependency_closure(kb: KnowledgeBase, control_id: str) -> set[str]:
    """Every control `control_id` waits for, directly or through others."""
    seen: set[str] = set()
    stack = list(kb.control(control_id).remediation.depends_on) if control_id in kb.control_by_id else []
    while stack:
        current = stack.pop()
        if current in seen or current not in kb.control_by_id:
            continue
        seen.add(current)
        stack.extend(kb.control(current).remediation.depends_on)
    return seen


def _related_by_dependency(kb: KnowledgeBase, a: str, b: str) -> bool:
    return b in dependency_closure(kb, a) or a in dependency_closure(kb, b)


def same_common_gap(a: Control, b: Control) -> bool:
    return a.common_gap is not None and a.common_gap == b.common_gap


def _splits_a_dependency_path(kb: KnowledgeBase, members: set[str]) -> bool:
    """True when some outside control waits on one member and is waited on by another."""
    for member in members:
        for outside in dependency_closure(kb, member) - members:
            if dependency_closure(kb, outside) & members:
                return True
    return False


def share_a_fix(a: Control, b: Control) -> bool:
    if same_common_gap(a, b):
        return True
    asked_together = b.id in a.ask_with or a.id in b.ask_with
    return (
        asked_together
        and a.group == b.group
        and a.common_gap == b.common_gap
        and a.remediation.owner == b.remediation.owner
    )


def remediation_clusters(kb: KnowledgeBase, control_ids: Iterable[str]) -> list[list[str]]:
    """Partition the failing controls into groups closed by one piece of work, in the KB's order."""
    order = {c.id: i for i, c in enumerate(kb.controls)}
    ids = sorted({cid for cid in control_ids if cid in kb.control_by_id}, key=lambda cid: order[cid])
    parent = {cid: cid for cid in ids}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if root(a) == root(b):
                continue
            if not share_a_fix(kb.control(a), kb.control(b)):
                continue
            members = {m for m in ids if root(m) in (root(a), root(b))}
            if _splits_a_dependency_path(kb, members):
                continue
            if not same_common_gap(kb.control(a), kb.control(b)) and any(
                _related_by_dependency(kb, x, y) for x in members for y in members if x < y
            ):
                continue
            parent[root(b)] = root(a)

    clusters: dict[str, list[str]] = {}
    for cid in ids:
        clusters.setdefault(root(cid), []).append(cid)
    return list(clusters.values())
