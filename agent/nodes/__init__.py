"""LangGraph nodes of the interview. Each is a function of (state, deps) returning a partial update."""
