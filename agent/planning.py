"""The interview plan: which controls are asked, in which order, and which are asked together."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from agent.kb import KnowledgeBase
from agent.kb.loader import group_labels
from agent.kb.models import CATEGORIES, Control


def domain_sort_key(group: str) -> tuple[int, int, str]:
    prefix, number = re.match(r"([A-Z]+)(\d*)", group).groups()  # type: ignore[union-attr]
    order = {"CC": 0, "A": 1, "C": 2, "PI": 3, "P": 4}
    return (order.get(prefix, 9), int(number or 0), group)


def domain_label(group: str) -> str:
    return group_labels().get(group, group)


def controls_in_scope(kb: KnowledgeBase, scope: Iterable[str]) -> list[Control]:
    wanted = set(scope)
    in_scope = [c for c in kb.controls if c.category in wanted]
    position = {c.id: i for i, c in enumerate(kb.controls)}
    return sorted(in_scope, key=lambda c: (domain_sort_key(c.group), position[c.id]))


def domains_in_scope(kb: KnowledgeBase, scope: Iterable[str]) -> list[str]:
    return sorted({c.group for c in controls_in_scope(kb, scope)}, key=domain_sort_key)


def question_groups(kb: KnowledgeBase, scope: Iterable[str]) -> list[list[str]]:
    """Connected components of `ask_with` among in-scope controls, in domain order.

    A component that spans domains is asked where its first member falls, so a person answers
    "access reviews" once even though CC4 and CC5 both hold a piece of it.
    """
    ordered = controls_in_scope(kb, scope)
    ids = [c.id for c in ordered]
    known = set(ids)
    parent = {cid: cid for cid in ids}

    def find(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for control in ordered:
        for other in control.ask_with:
            if other in known:
                parent[find(other)] = find(control.id)
    groups: dict[str, list[str]] = {}
    for cid in ids:
        groups.setdefault(find(cid), []).append(cid)
    seen: set[str] = set()
    plan: list[list[str]] = []
    for cid in ids:
        root = find(cid)
        if root not in seen:
            seen.add(root)
            plan.append(groups[root])
    return plan


def group_domain(kb: KnowledgeBase, group: list[str]) -> str:
    return kb.control(group[0]).group


def progress_by_domain(
    kb: KnowledgeBase,
    scope: Iterable[str],
    findings: Mapping[str, Any],
    open_ids: set[str],
) -> list[dict[str, Any]]:
    """Per domain: controls in scope and how many are settled (scored and no longer being asked)."""
    rows: dict[str, dict[str, Any]] = {}
    for control in controls_in_scope(kb, scope):
        row = rows.setdefault(
            control.group,
            {"domain": control.group, "label": domain_label(control.group), "total": 0, "settled": 0},
        )
        row["total"] += 1
        if control.id in findings and control.id not in open_ids:
            row["settled"] += 1
    return [rows[d] for d in sorted(rows, key=domain_sort_key)]


def categories_ordered(scope: Iterable[str]) -> list[str]:
    wanted = set(scope)
    return [c for c in CATEGORIES if c in wanted]
