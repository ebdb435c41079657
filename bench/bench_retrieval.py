"""Retrieval figures: index build cold and warm, query latency over the eval queries, peak RSS."""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agent.kb import load_knowledge
from agent.retrieval import build_index, build_retriever, embedding_name, make_embedding_function
from agent.settings import Settings
from evals.retrieval.runner import evaluate, load_queries

WARM_RUNS = 5


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(results_dir: Path) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    kb = load_knowledge()
    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        settings = Settings(data_dir=Path(tmp), llm="offline", _env_file=None)  # type: ignore[call-arg]
        function = make_embedding_function(settings)
        name = embedding_name(settings)

        started = time.perf_counter()
        function(["load the model"])
        model_load = time.perf_counter() - started

        started = time.perf_counter()
        cold = build_index(settings, kb, embedding_function=function, embedding=name)
        cold_seconds = time.perf_counter() - started

        warm_times = []
        for _ in range(WARM_RUNS):
            started = time.perf_counter()
            warm = build_index(settings, kb, embedding_function=function, embedding=name)
            warm_times.append(time.perf_counter() - started)
            assert warm.stats.added == warm.stats.updated == warm.stats.deleted == 0

        retriever = build_retriever(settings, kb, embedding_function=function, embedding=name)
        retriever.search("warm the query path")
        latencies, cpu = [], []
        for q in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            retriever.search_controls(q.query, k=5)
            latencies.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)

        hybrid = evaluate(retriever, queries)
        vector_only = evaluate(
            build_retriever(settings, kb, embedding_function=function, embedding=name, hybrid=False), queries
        )

    return {
        "embedding": name,
        "chunks": cold.stats.added,
        "model_load_s": round(model_load, 3),
        "build_cold_s": round(cold_seconds, 3),
        "build_warm_s_median": round(statistics.median(warm_times), 4),
        "build_warm_s_max": round(max(warm_times), 4),
        "queries": len(latencies),
        "query_ms_p50": _ms(_percentile(latencies, 0.50)),
        "query_ms_p95": _ms(_percentile(latencies, 0.95)),
        "query_ms_max": _ms(max(latencies)),
        # CPU time barely moves with other processes' load; wall time on the shared 2-core box does.
        "query_cpu_ms_p50": _ms(_percentile(cpu, 0.50)),
        "query_cpu_ms_p95": _ms(_percentile(cpu, 0.95)),
        # ru_maxrss is in kilobytes on Linux
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "recall_at_5": round(hybrid.recall_at_k, 4),
        "mrr": round(hybrid.mrr, 4),
        "vector_only_recall_at_5": round(vector_only.recall_at_k, 4),
        "vector_only_mrr": round(vector_only.mrr, 4),
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
