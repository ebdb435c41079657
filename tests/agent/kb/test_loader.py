"""Validation of the knowledge base: the real files load, and bad files fail loudly and completely."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from agent.kb import KnowledgeBase, KnowledgeError, load_knowledge
from agent.kb.loader import default_knowledge_dir

SHARED = Path(__file__).resolve().parents[4] / "shared"


def test_real_knowledge_base_loads(kb: KnowledgeBase) -> None:
    assert len(kb.criteria) == 61
    assert len(kb.common_gaps) == 10
    assert kb.source_hash


def test_every_seed_control_is_defined_with_its_stable_id(kb: KnowledgeBase) -> None:
    seeds = yaml.safe_load((default_knowledge_dir() / "reference" / "seed_controls.yaml").read_text())
    for seed in seeds["controls"]:
        control = kb.control(seed["id"])
        assert control.seed and control.group == seed["group"]


@pytest.mark.skipif(
    not (SHARED / "reference").exists(), reason="shared/reference is not beside this checkout"
)
def test_packaged_reference_ids_match_shared_reference() -> None:
    ref = default_knowledge_dir() / "reference"
    tsc = json.loads((SHARED / "reference" / "tsc_criteria.json").read_text())["criteria"]
    iso = json.loads((SHARED / "reference" / "iso27001_2022_annex_a.json").read_text())["controls"]
    csf = json.loads((SHARED / "reference" / "nist_csf_2_subcategories.json").read_text())["items"]
    ours = {
        "tsc": [c["id"] for c in yaml.safe_load((ref / "tsc.yaml").read_text())["criteria"]],
        "iso": [c["id"] for c in yaml.safe_load((ref / "iso27001.yaml").read_text())["controls"]],
        "csf": [c["id"] for c in yaml.safe_load((ref / "nist_csf.yaml").read_text())["subcategories"]],
    }
    assert ours["tsc"] == [c["id"] for c in tsc]
    assert ours["iso"] == [c["id"] for c in iso]
    assert ours["csf"] == [c["id"] for c in csf if c["level"] == "subcategory"]
    seeds = yaml.safe_load((SHARED / "spec" / "seed-controls.yaml").read_text())
    packaged = yaml.safe_load((ref / "seed_controls.yaml").read_text())["controls"]
    assert [s["id"] for s in seeds] == [s["id"] for s in packaged]


def test_every_criterion_is_covered_and_every_mapping_exists(kb: KnowledgeBase) -> None:
    covered = {crit for c in kb.controls for crit in c.criteria}
    assert covered == {c.id for c in kb.criteria}
    for control in kb.controls:
        assert set(control.iso27001) <= set(kb.iso_titles)
        assert set(control.nist_csf) <= set(kb.csf_titles)


def test_export_matches_the_interface_schema(kb: KnowledgeBase) -> None:
    exported = kb.export()
    control = next(c for c in exported["controls"] if c["id"] == "CC6-MFA-PROD")
    for key in ("id", "group", "title", "criteria", "question", "requirements", "evidence", "common_gap"):
        assert key in control
    assert set(control["remediation"]) >= {"steps", "effort_days", "owner", "depends_on"}
    assert all(isinstance(r, str) for r in control["requirements"])
    assert {"id", "category", "group", "title"} <= set(exported["criteria"][0])


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def _edit_controls(root: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "controls" / name
    data = yaml.safe_load(path.read_text())
    edit(data["controls"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_every_problem_is_reported_at_once_naming_file_and_field(kb_copy: Path) -> None:
    first = sorted((kb_copy / "controls").glob("*.yaml"))[0].name

    def break_things(controls: list[dict]) -> None:  # type: ignore[type-arg]
        controls[0]["iso27001"] = ["A.99.1"]
        controls[0]["nist_csf"] = ["XX.YY-01"]
        del controls[1]["remediation"]["owner"]
        controls.append(dict(controls[2]))  # duplicate id

    _edit_controls(kb_copy, first, break_things)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy)
    text = str(caught.value)
    assert f"controls/{first}" in text
    assert "iso27001: unknown ISO 27001:2022 Annex A id A.99.1" in text
    assert "nist_csf: unknown NIST CSF 2.0 subcategory XX.YY-01" in text
    assert "remediation.owner" in text and "Field required" in text
    assert "duplicate id" in text
    assert len(caught.value.problems) >= 4


def test_missing_seed_and_uncovered_criterion_and_unknown_reference(kb_copy: Path) -> None:
    for path in sorted((kb_copy / "controls").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        kept = [c for c in data["controls"] if c["id"] != "CC6-MFA-EMAIL"]
        for c in kept:
            c["ask_with"] = [x for x in c.get("ask_with", []) if x != "CC6-MFA-EMAIL"]
            c["remediation"]["depends_on"] = [
                x for x in c["remediation"].get("depends_on", []) if x != "CC6-MFA-EMAIL"
            ]
        data["controls"] = kept
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    _edit_controls(
        kb_copy,
        sorted((kb_copy / "controls").glob("*.yaml"))[0].name,
        lambda cs: cs[0]["remediation"]["depends_on"].append("CC0-NOPE"),
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy)
    text = str(caught.value)
    assert "seed control CC6-MFA-EMAIL is missing" in text
    assert "remediation.depends_on: unknown control CC0-NOPE" in text
    gaps = yaml.safe_load((kb_copy / "common_gaps.yaml").read_text())
    assert gaps  # rank 2 still names CC6-MFA-EMAIL, which must now be reported
    assert "common_gaps[2].control_ids: unknown control CC6-MFA-EMAIL" in text


def test_uncovered_criterion_is_reported(kb_copy: Path) -> None:
    for path in sorted((kb_copy / "controls").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for c in data["controls"]:
            c["criteria"] = [x for x in c["criteria"] if x != "P8.1"] or ["CC1.1"]
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(KnowledgeError, match="criterion P8.1 is not covered by any control"):
        load_knowledge(kb_copy)


def test_unreadable_yaml_names_the_file(kb_copy: Path) -> None:
    (kb_copy / "scoping.yaml").write_text("always_in_scope: [security\n  : :")
    with pytest.raises(KnowledgeError, match="scoping.yaml: cannot be read as YAML"):
        load_knowledge(kb_copy)


def test_a_group_without_a_display_name_is_reported(kb_copy: Path) -> None:
    groups = yaml.safe_load((kb_copy / "groups.yaml").read_text())
    del groups["groups"]["CC7"]
    (kb_copy / "groups.yaml").write_text(yaml.safe_dump(groups))
    with pytest.raises(KnowledgeError, match="groups.yaml: groups: group CC7 has no display name"):
        load_knowledge(kb_copy)


def test_group_labels_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert kb.group_label("CC6") == "Logical and physical access"
    assert kb.group_label("ZZ9") == "ZZ9"
