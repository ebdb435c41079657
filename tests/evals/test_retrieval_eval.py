from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from agent.cli import app
from agent.kb import KnowledgeBase
from agent.kb.loader import default_knowledge_dir
from agent.settings import get_settings
from evals.retrieval.runner import (
    DEFAULT_QUERIES,
    DEFAULT_THRESHOLDS,
    LabelledQuery,
    evaluate,
    failures,
    load_queries,
    load_thresholds,
    unknown_labels,
)


class ScriptedSearch:
    def __init__(self, rankings: dict[str, list[str]]) -> None:
        self.rankings = rankings

    def search_controls(self, text: str, k: int = 5) -> list[str]:
        return self.rankings[text][:k]


def test_recall_and_mrr_arithmetic() -> None:
    queries = [
        LabelledQuery(query="a", relevant=["X"]),
        LabelledQuery(query="b", relevant=["Y", "Z"]),
        LabelledQuery(query="c", relevant=["W"]),
    ]
    search = ScriptedSearch(
        {
            "a": ["X", "P"],
            "b": ["P", "Y", "Q", "R", "S", "Z"],
            "c": ["P", "Q", "R", "S", "T", "U", "W"],
        }
    )
    score = evaluate(search, queries, k=5)
    assert score.recall_at_k == pytest.approx((1 + 0.5 + 0) / 3)
    assert score.mrr == pytest.approx((1 + 1 / 2 + 1 / 7) / 3)
    assert [m.query for m in score.misses] == ["b", "c"]
    assert score.misses[0].missed == ["Z"]
    assert score.as_dict()["misses"][1]["first_rank"] == 7


def test_thresholds_come_from_the_shared_file() -> None:
    limits = load_thresholds(DEFAULT_THRESHOLDS)
    raw = yaml.safe_load(DEFAULT_THRESHOLDS.read_text())["retrieval"]
    assert limits == {"min_recall_at_5": raw["min_recall_at_5"], "min_mrr": raw["min_mrr"]}


def test_failures_name_each_metric_under_its_threshold() -> None:
    limits = {"min_recall_at_5": 0.95, "min_mrr": 0.8}
    second = evaluate(ScriptedSearch({"a": ["Q", "X"]}), [LabelledQuery(query="a", relevant=["X"])])
    assert failures(second, limits) == ["MRR 0.500 < 0.8"]
    missing = evaluate(ScriptedSearch({"a": ["Q"]}), [LabelledQuery(query="a", relevant=["X"])])
    assert failures(missing, limits) == ["recall@5 0.000 < 0.95", "MRR 0.000 < 0.8"]
    first = evaluate(ScriptedSearch({"a": ["X"]}), [LabelledQuery(query="a", relevant=["X"])])
    assert failures(first, limits) == []


def test_queries_file_is_big_labelled_and_covers_every_seed(kb: KnowledgeBase) -> None:
    queries = load_queries(DEFAULT_QUERIES)
    assert len(queries) >= 90
    assert unknown_labels(queries, set(kb.control_by_id)) == []
    labelled = {c for q in queries for c in q.relevant}
    seeds = yaml.safe_load((default_knowledge_dir() / "reference" / "seed_controls.yaml").read_text())[
        "controls"
    ]
    assert {s["id"] for s in seeds} <= labelled
    assert any(c.startswith("PI1-") for c in labelled) and any(
        c.startswith("P") and c[1].isdigit() for c in labelled
    )


def test_queries_are_in_users_words_not_the_kbs(kb: KnowledgeBase) -> None:
    kb_sentences = {t.lower() for c in kb.controls for t in (c.title, c.question, c.follow_up, *c.keywords)}
    for q in load_queries(DEFAULT_QUERIES):
        assert q.query.lower() not in {s for s in kb_sentences if len(s) > 25}, q.query


@pytest.mark.integration
def test_cli_passes_fails_and_rejects_unknown_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    runner = CliRunner()
    good = tmp_path / "good.yaml"
    good.write_text(
        yaml.safe_dump({"queries": [{"query": "2FA on the AWS console", "relevant": ["CC6-MFA-PROD"]}]})
    )
    out = tmp_path / "out.json"
    result = runner.invoke(
        app, ["eval", "retrieval", "--queries", str(good), "--json", str(out), "--no-ablation"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["hybrid"]["recall_at_5"] == 1.0 and figures["passed"] is True

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump({"queries": [{"query": "2FA on the AWS console", "relevant": ["P5-CORRECTION"]}]})
    )
    result = runner.invoke(app, ["eval", "retrieval", "--queries", str(bad), "--no-ablation"])
    assert result.exit_code == 1
    assert "P5-CORRECTION" in result.output

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(yaml.safe_dump({"queries": [{"query": "anything", "relevant": ["ZZ-NOPE"]}]}))
    assert runner.invoke(app, ["eval", "retrieval", "--queries", str(unknown)]).exit_code == 2
    get_settings.cache_clear()
