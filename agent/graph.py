"""The interview as a LangGraph state machine. Compiled late: callers choose the checkpointer.

begin -> advance -> plan | narrative -> score | domain_summary | finish | ask   (plan, summary: back to advance)
ask -> wait (interrupt: one user turn) -> command | intake | interpret
intake, command -> advance | ask (re-ask the same question)
interpret -> score -> follow_up -> ask | advance;  interpret -> answer_question -> ask (a question back)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from agent.nodes import answers, commands, flow, intake, questions
from agent.nodes.base import GraphDeps, GraphState


def route_start(state: GraphState) -> Literal["begin", "advance"]:
    return "advance" if state.get("status") else "begin"


def route_advance(state: GraphState) -> Literal["plan", "narrative", "domain_summary", "finish", "ask"]:
    step = state.get("step")
    if step in ("plan", "narrative", "domain_summary", "finish"):
        return step  # type: ignore[return-value]
    return "ask"


def route_input(state: GraphState) -> Literal["command", "intake", "interpret"]:
    if state.get("command"):
        return "command"
    if (state.get("pending") or {}).get("kind") == "intake":
        return "intake"
    return "interpret"


def route_reask(state: GraphState) -> Literal["advance", "ask"]:
    return "ask" if state.get("step") == "reask" else "advance"


def route_interpreted(state: GraphState) -> Literal["command", "answer_question", "score", "ask"]:
    step = state.get("step")
    if step == "command":
        return "command"
    if step == "reask":
        return "ask"
    if step == "question_back":
        return "answer_question"
    return "score"


def route_scored(state: GraphState) -> Literal["follow_up", "advance"]:
    return "follow_up" if state.get("step") == "follow_up" else "advance"


def route_follow_up(state: GraphState) -> Literal["ask", "advance"]:
    return "ask" if state.get("step") == "ask" else "advance"


def build_graph(deps: GraphDeps) -> StateGraph:
    """The uncompiled graph; nodes close over `deps` so none of them builds a client."""
    graph = StateGraph(GraphState)

    def node(fn: Callable[..., dict[str, Any]]) -> Any:
        return partial(fn, deps=deps)

    graph.add_node("begin", node(intake.begin))
    graph.add_node("advance", node(flow.advance))
    graph.add_node("plan", node(flow.plan))
    graph.add_node("narrative", node(answers.narrative))
    graph.add_node("domain_summary", node(flow.domain_summary))
    graph.add_node("ask", node(flow.ask))
    graph.add_node("wait", node(flow.wait))
    graph.add_node("intake", node(intake.intake))
    graph.add_node("command", node(commands.command))
    graph.add_node("interpret", node(answers.interpret))
    graph.add_node("answer_question", node(questions.answer_question))
    graph.add_node("score", node(answers.score))
    graph.add_node("follow_up", node(answers.follow_up))
    graph.add_node("finish", node(flow.finish))

    graph.add_conditional_edges(START, route_start)
    graph.add_edge("begin", "advance")
    graph.add_conditional_edges("advance", route_advance)
    graph.add_edge("plan", "advance")
    graph.add_edge("narrative", "score")
    graph.add_edge("domain_summary", "advance")
    graph.add_edge("ask", "wait")
    graph.add_conditional_edges("wait", route_input)
    graph.add_conditional_edges("intake", route_reask)
    graph.add_conditional_edges("command", route_reask)
    graph.add_conditional_edges("interpret", route_interpreted)
    graph.add_edge("answer_question", "ask")
    graph.add_conditional_edges("score", route_scored)
    graph.add_conditional_edges("follow_up", route_follow_up)
    graph.add_edge("finish", END)
    return graph
