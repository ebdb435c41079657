from __future__ import annotations

import pytest

from agent.kb import KnowledgeBase
from tests.agent.roadmap.small_kb import load_small_kb


@pytest.fixture(scope="session")
def small_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_small_kb(tmp_path_factory.mktemp("small-kb") / "knowledge")
