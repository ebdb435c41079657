"""Real PersistentClient + the real all-MiniLM-L6-v2 model: incremental builds, recovery, hybrid queries."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent.kb import KnowledgeBase, load_knowledge
from agent.retrieval import MiniLMEmbeddingFunction, Retriever, build_index, build_retriever
from agent.settings import Settings

pytestmark = pytest.mark.integration


class CountingMiniLM(MiniLMEmbeddingFunction):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def __call__(self, input):  # type: ignore[no-untyped-def]
        self.calls.append(len(input))
        return super().__call__(input)


@pytest.fixture(scope="module")
def minilm() -> CountingMiniLM:
    return CountingMiniLM()


@pytest.fixture(scope="module")
def real_retriever(
    tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase, minilm: CountingMiniLM
) -> Retriever:
    settings = Settings(data_dir=tmp_path_factory.mktemp("real-index"), llm="offline", _env_file=None)  # type: ignore[call-arg]
    return build_retriever(settings, kb, embedding_function=minilm, embedding="minilm-all-MiniLM-L6-v2")


def test_yaml_edit_reembeds_only_the_changed_chunk(
    settings: Settings, kb_root: Path, minilm: CountingMiniLM
) -> None:
    first = build_index(settings, load_knowledge(kb_root), embedding_function=minilm)
    assert first.stats.added > 0
    path = kb_root / "controls" / "security.yaml"
    data = yaml.safe_load(path.read_text())
    for control in data["controls"]:
        if control["id"] == "CC6-MFA-PROD":
            control["evidence"] = ["Okta authentication policy export", "AWS IAM credential report"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))

    minilm.calls.clear()
    second = build_index(settings, load_knowledge(kb_root), embedding_function=minilm)
    assert (second.stats.added, second.stats.updated, second.stats.deleted) == (0, 1, 0)
    assert sum(minilm.calls) == 1
    hit = second.collection.query(query_texts=["okta policy export"], n_results=1)
    assert hit["ids"][0] == ["control:CC6-MFA-PROD:evidence"]

    minilm.calls.clear()
    third = build_index(settings, load_knowledge(kb_root), embedding_function=minilm)
    assert third.stats.unchanged == first.stats.added and minilm.calls == []


def test_corrupt_index_is_rebuilt_and_searchable(
    settings: Settings, small_kb: KnowledgeBase, minilm: CountingMiniLM
) -> None:
    first = build_index(settings, small_kb, embedding_function=minilm)
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"garbage" * 2048)
    retriever = build_retriever(settings, small_kb, embedding_function=minilm)
    assert retriever.build_stats is not None and retriever.build_stats.rebuilt
    assert retriever.collection.count() == first.stats.added
    assert retriever.search_controls("second factor on the AWS console", k=3)[0] == "CC6-MFA-PROD"


@pytest.mark.parametrize(
    ("query", "control_id"),
    [
        ("CC6-MFA-PROD", "CC6-MFA-PROD"),
        ("what does cc7-ir-test ask for", "CC7-IR-TEST"),
        ("DE.CM-01", "CC7-MONITORING"),
        ("we turned on 2FA for everyone", "CC6-MFA-PROD"),
        ("Do we need a SIEM?", "CC7-MONITORING"),
        ("we ran a tabletop in March", "CC7-IR-TEST"),
        ("does the CAB have to approve every deploy", "CC8-CHANGE-PROCESS"),
        ("our BCP is two years old", "A1-BCDR"),
        ("vulnerabilty scaning with Nessus", "CC7-VULN-SCAN"),
    ],
)
def test_ids_and_jargon_put_the_right_control_first(
    real_retriever: Retriever, query: str, control_id: str
) -> None:
    assert real_retriever.search_controls(query, k=1) == [control_id]


def test_criterion_id_brings_the_criterion_and_its_controls(
    real_retriever: Retriever, kb: KnowledgeBase
) -> None:
    hits = real_retriever.search("CC6.6", k=8)
    assert ("CC6.6", "criterion") in {(h.id, h.kind) for h in hits}
    mapping = {c.id for c in kb.controls if "CC6.6" in c.criteria}
    controls = [h.id for h in hits if h.kind == "control"]
    assert controls and set(controls[: len(mapping)]) <= mapping


def test_iso_id_query_returns_only_controls_mapping_it_first(
    real_retriever: Retriever, kb: KnowledgeBase
) -> None:
    mapping = {c.id for c in kb.controls if "A.8.5" in c.iso27001}
    assert set(real_retriever.search_controls("A.8.5", k=len(mapping))) == mapping


def test_group_filter(real_retriever: Retriever) -> None:
    hits = real_retriever.search("we keep logs for a year", k=5, where={"group": "CC7"})
    assert hits and all(h.id.startswith("CC7") for h in hits)


def test_queries_run_single_threaded_after_a_bulk_build(
    real_retriever: Retriever, minilm: CountingMiniLM
) -> None:
    import torch

    minilm(["one", "two", "three", "four", "five", "six"])
    assert torch.get_num_threads() == 1
    assert len(minilm(["a single query"])[0]) == 384
