"""Load and validate the knowledge base. Every problem in every file is reported at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from agent.kb.models import (
    CommonGap,
    CommonGapsFile,
    Control,
    ControlsFile,
    CriteriaFile,
    Criterion,
    GroupsFile,
    Scoping,
)

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(ValueError):
    """Raised with every problem found, each naming its file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n" + "\n".join(problems))


def default_knowledge_dir() -> Path:
    return Path(str(resources.files("knowledge")))


@lru_cache(maxsize=1)
def group_labels() -> dict[str, str]:
    """Group display names from knowledge/groups.yaml, for code that names a domain without a KB at hand."""
    data = yaml.safe_load((default_knowledge_dir() / "groups.yaml").read_text(encoding="utf-8"))
    return dict(GroupsFile.model_validate(data).groups)


@dataclass
class KnowledgeBase:
    criteria: list[Criterion]
    controls: list[Control]
    common_gaps: list[CommonGap]
    scoping: Scoping
    iso_titles: dict[str, str]
    csf_titles: dict[str, str]
    group_labels: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""
    files: dict[str, str] = field(default_factory=dict)

    @cached_property
    def control_by_id(self) -> dict[str, Control]:
        return {c.id: c for c in self.controls}

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def gap_by_rank(self) -> dict[int, CommonGap]:
        return {g.rank: g for g in self.common_gaps}

    def group_label(self, group: str) -> str:
        return self.group_labels.get(group, group)

    def control(self, control_id: str) -> Control:
        return self.control_by_id[control_id]

    def controls_in(self, categories: list[str] | set[str]) -> list[Control]:
        return [c for c in self.controls if c.category in categories]

    def export(self) -> dict[str, Any]:
        """The `kb export` schema of interfaces.md, plus the fields it leaves open."""
        return {
            "criteria": [
                {
                    "id": c.id,
                    "category": c.category,
                    "group": c.group,
                    "title": c.title,
                    "summary": c.summary,
                    "auditor_examines": list(c.auditor_examines),
                }
                for c in self.criteria
            ],
            "controls": [
                {
                    "id": c.id,
                    "group": c.group,
                    "category": c.category,
                    "title": c.title,
                    "criteria": list(c.criteria),
                    "question": c.question,
                    "follow_up": c.follow_up,
                    "requirements": [r.text for r in c.requirements],
                    "requirement_details": [r.model_dump(exclude_none=True) for r in c.requirements],
                    "evidence": list(c.evidence),
                    "not_evidence": list(c.not_evidence),
                    "common_gap": c.common_gap,
                    "iso27001": list(c.iso27001),
                    "nist_csf": list(c.nist_csf),
                    "remediation": c.remediation.model_dump(),
                    "seed": c.seed,
                }
                for c in self.controls
            ],
            "common_gaps": [g.model_dump() for g in self.common_gaps],
            "scoping": self.scoping.model_dump(mode="json"),
        }


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot be read as YAML: {exc}")
        return None


def _validate(model: type[M], data: Any, label: str, problems: list[str]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = _field_path(data, err["loc"])
            problems.append(f"{label}: {where}: {err['msg']}")
        return None


def _validate_controls(data: Any, rel: str, problems: list[str]) -> list[Control]:
    """Each control is validated on its own, so one broken control hides no other problem."""
    if not isinstance(data, dict) or not isinstance(data.get("controls"), list):
        _validate(ControlsFile, data, rel, problems)
        return []
    valid: list[Control] = []
    for index, item in enumerate(data["controls"]):
        try:
            valid.append(Control.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                where = _field_path(data, ("controls", index, *err["loc"]))
                problems.append(f"{rel}: {where}: {err['msg']}")
    return valid


def _field_path(data: Any, loc: tuple[Any, ...]) -> str:
    """Turn ('controls', 3, 'remediation', 'owner') into controls[3 CC6-MFA-PROD].remediation.owner."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            item_id = ""
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                item_id = str(node[key].get("id", node[key].get("rank", "")))
            parts[-1] = f"{parts[-1]}[{key}{' ' + item_id if item_id else ''}]" if parts else f"[{key}]"
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(file)"


def _reference(root: Path, name: str, key: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((root / "reference" / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data[key])


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    root = root or default_knowledge_dir()
    problems: list[str] = []
    files: dict[str, str] = {}

    def read(rel: str) -> Any:
        path = root / rel
        if not path.exists():
            problems.append(f"{rel}: file is missing")
            return None
        files[rel] = path.read_text(encoding="utf-8")
        return _read_yaml(path, problems)

    criteria: list[Criterion] = []
    for path in sorted((root / "criteria").glob("*.yaml")):
        rel = f"criteria/{path.name}"
        parsed_criteria = _validate(CriteriaFile, read(rel), rel, problems)
        if parsed_criteria:
            criteria.extend(parsed_criteria.criteria)
    gaps_file = _validate(CommonGapsFile, read("common_gaps.yaml"), "common_gaps.yaml", problems)
    scoping = _validate(Scoping, read("scoping.yaml"), "scoping.yaml", problems)
    # A partial knowledge tree (tests, a consultant's overlay) may leave the display names to the package.
    groups = (
        _validate(GroupsFile, read("groups.yaml"), "groups.yaml", problems)
        if (root / "groups.yaml").exists()
        else GroupsFile(groups=group_labels())
    )

    controls: list[tuple[str, Control]] = []
    for path in sorted((root / "controls").glob("*.yaml")):
        rel = f"controls/{path.name}"
        controls.extend((rel, c) for c in _validate_controls(read(rel), rel, problems))

    tsc = {c["id"]: c for c in _reference(root, "tsc", "criteria")}
    iso = {c["id"]: c["title"] for c in _reference(root, "iso27001", "controls")}
    csf = {c["id"]: c["title"] for c in _reference(root, "nist_csf", "subcategories")}
    seeds = _reference(root, "seed_controls", "controls")

    common_gaps = gaps_file.common_gaps if gaps_file else []
    _check_criteria(criteria, tsc, problems)
    _check_controls(controls, {c.id for c in criteria} or set(tsc), iso, csf, tsc, problems)
    _check_seeds(controls, seeds, problems)
    _check_gaps(common_gaps, {c.id for _, c in controls}, problems)
    labels = groups.groups if groups else {}
    for group in sorted({c["group"] for c in tsc.values()} - set(labels)):
        problems.append(f"groups.yaml: groups: group {group} has no display name")

    if problems or scoping is None:
        raise KnowledgeError(problems or ["scoping.yaml: could not be loaded"])

    digest = hashlib.sha256("".join(f"{k}\0{files[k]}" for k in sorted(files)).encode()).hexdigest()
    return KnowledgeBase(
        criteria=criteria,
        controls=[c for _, c in controls],
        common_gaps=sorted(common_gaps, key=lambda g: g.rank),
        scoping=scoping,
        iso_titles=iso,
        csf_titles=csf,
        group_labels=dict(labels),
        source_hash=digest,
        files=files,
    )


def _check_criteria(criteria: list[Criterion], tsc: dict[str, dict[str, Any]], problems: list[str]) -> None:
    seen: set[str] = set()
    for i, c in enumerate(criteria):
        where = f"criteria: criteria[{i} {c.id}]"
        if c.id in seen:
            problems.append(f"{where}.id: duplicate id {c.id}")
        seen.add(c.id)
        ref = tsc.get(c.id)
        if ref is None:
            problems.append(f"{where}.id: {c.id} is not a Trust Services Criterion")
            continue
        if ref["category"] != c.category:
            problems.append(f"{where}.category: {c.category} should be {ref['category']}")
        if ref["group"] != c.group:
            problems.append(f"{where}.group: {c.group} should be {ref['group']}")
    for missing in sorted(set(tsc) - seen):
        problems.append(f"criteria: criterion {missing} is missing")


def _check_controls(
    controls: list[tuple[str, Control]],
    criterion_ids: set[str],
    iso: dict[str, str],
    csf: dict[str, str],
    tsc: dict[str, dict[str, Any]],
    problems: list[str],
) -> None:
    ids = [c.id for _, c in controls]
    known = set(ids)
    seen: set[str] = set()
    covered: set[str] = set()
    for rel, c in controls:
        where = f"{rel}: controls[{c.id}]"
        if c.id in seen:
            problems.append(f"{where}.id: duplicate id {c.id}")
        seen.add(c.id)
        for crit in c.criteria:
            if crit not in criterion_ids:
                problems.append(f"{where}.criteria: unknown criterion {crit}")
            covered.add(crit)
        for ref in c.iso27001:
            if ref not in iso:
                problems.append(f"{where}.iso27001: unknown ISO 27001:2022 Annex A id {ref}")
        for ref in c.nist_csf:
            if ref not in csf:
                problems.append(f"{where}.nist_csf: unknown NIST CSF 2.0 subcategory {ref}")
        for field_name, refs in (
            ("ask_with", c.ask_with),
            ("remediation.depends_on", c.remediation.depends_on),
        ):
            for ref in refs:
                if ref not in known:
                    problems.append(f"{where}.{field_name}: unknown control {ref}")
                elif ref == c.id:
                    problems.append(f"{where}.{field_name}: a control cannot name itself")
        req_ids = [r.id for r in c.requirements]
        for dup in sorted({r for r in req_ids if req_ids.count(r) > 1}):
            problems.append(f"{where}.requirements: duplicate requirement id {dup}")
        if not any(r.aspect in ("exists", "practice") for r in c.requirements):
            problems.append(f"{where}.requirements: needs at least one 'exists' or 'practice' requirement")
    for crit in sorted(set(tsc) - covered):
        problems.append(f"controls: criterion {crit} is not covered by any control")


def _check_seeds(
    controls: list[tuple[str, Control]], seeds: list[dict[str, Any]], problems: list[str]
) -> None:
    by_id = {c.id: (rel, c) for rel, c in controls}
    for seed in seeds:
        found = by_id.get(seed["id"])
        if found is None:
            problems.append(f"controls: seed control {seed['id']} is missing")
            continue
        rel, control = found
        if control.group != seed["group"]:
            problems.append(f"{rel}: controls[{control.id}].group: should be {seed['group']}")
        if seed.get("common_gap") != control.common_gap:
            problems.append(f"{rel}: controls[{control.id}].common_gap: should be {seed.get('common_gap')}")
        if not control.seed:
            problems.append(f"{rel}: controls[{control.id}].seed: must be true for a seed control")


def _check_gaps(gaps: list[CommonGap], control_ids: set[str], problems: list[str]) -> None:
    ranks = [g.rank for g in gaps]
    for rank in range(1, 11):
        if ranks.count(rank) != 1:
            problems.append(f"common_gaps.yaml: common_gaps: rank {rank} appears {ranks.count(rank)} times")
    for g in gaps:
        for ref in g.control_ids:
            if ref not in control_ids:
                problems.append(f"common_gaps.yaml: common_gaps[{g.rank}].control_ids: unknown control {ref}")
