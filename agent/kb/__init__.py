"""The SOC 2 knowledge base: YAML under knowledge/, validated by pydantic models."""

from agent.kb.loader import KnowledgeBase, KnowledgeError, load_knowledge

__all__ = ["KnowledgeBase", "KnowledgeError", "load_knowledge"]
