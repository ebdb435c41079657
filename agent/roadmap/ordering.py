"""Priority order of roadmap items: severity, then quick wins, never ahead of what an item waits for.

Severity is the guide's common-gap rank (its ten most frequent first-audit findings, 1 first), then
a missing control before one that falls short, then one whose status is unknown. Effort breaks ties,
so quick wins go early. An item that others wait for (a policy, an inventory, an IR plan) inherits
the most urgent priority of everything waiting on it, so the order is a topological sort in which the
foundations of a critical fix are pulled forward with it instead of waiting their own turn.
"""

from __future__ import annotations

import heapq

from agent.roadmap.items import DraftItem

Key = tuple[int, int, int]


def dependency_edges(drafts: list[DraftItem]) -> dict[int, set[int]]:
    """item index -> indexes of the items it waits for (only those still in the roadmap)."""
    owner_of = {cid: i for i, d in enumerate(drafts) for cid in d.control_ids}
    edges: dict[int, set[int]] = {i: set() for i in range(len(drafts))}
    for i, draft in enumerate(drafts):
        for cid in draft.depends_on:
            j = owner_of.get(cid)
            if j is not None and j != i:
                edges[i].add(j)
    return edges


def own_key(draft: DraftItem) -> Key:
    rank, status = draft.severity
    return (rank, status, draft.effort_days)


def inherited_keys(drafts: list[DraftItem], edges: dict[int, set[int]]) -> list[Key]:
    keys = [own_key(d) for d in drafts]
    # Relax until stable: a dependency takes the best key of anything that waits on it (cycles included).
    changed = True
    while changed:
        changed = False
        for i, deps in edges.items():
            for j in deps:
                if keys[i] < keys[j]:
                    keys[j] = keys[i]
                    changed = True
    return keys


def priority_order(drafts: list[DraftItem], kb_order: dict[str, int]) -> tuple[list[int], list[str]]:
    """Indexes of `drafts` in roadmap order, and notes about any dependency cycle that had to be cut."""
    edges = dependency_edges(drafts)
    keys = inherited_keys(drafts, edges)

    def sort_key(i: int) -> tuple[Key, Key, int]:
        return (keys[i], own_key(drafts[i]), min(kb_order.get(c, 10**6) for c in drafts[i].control_ids))

    waiting = {i: set(deps) for i, deps in edges.items()}
    ready = [(sort_key(i), i) for i, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    done: set[int] = set()
    order: list[int] = []
    notes: list[str] = []
    while len(order) < len(drafts):
        if not ready:
            # A cycle in depends_on: start with its most urgent item rather than dropping any.
            stuck = min((i for i in waiting if i not in done), key=sort_key)
            notes.append(
                f"Dependency cycle around {', '.join(drafts[stuck].control_ids)}: started there; "
                "check remediation.depends_on in the knowledge base."
            )
            waiting[stuck] = set()
            heapq.heappush(ready, (sort_key(stuck), stuck))
        _, i = heapq.heappop(ready)
        if i in done:
            continue
        done.add(i)
        order.append(i)
        for j, deps in waiting.items():
            if i in deps and j not in done:
                deps.discard(i)
                if not deps:
                    heapq.heappush(ready, (sort_key(j), j))
    return order, notes


def phase_of(draft: DraftItem, is_dependency: bool) -> str:
    if draft.kind == "verify" or is_dependency:
        return "Foundations"
    if draft.evidence_only:
        return "Operate and collect evidence"
    if draft.common_gap is not None:
        return "Close critical gaps"
    return "Close remaining gaps"
