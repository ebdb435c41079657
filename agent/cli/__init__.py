"""The `soc2-gap` command line. Each sub-module registers its own commands."""

from __future__ import annotations

import typer

from agent.cli import assess, eval_retrieval, eval_scoring, kb, reports, service

app = typer.Typer(
    name="soc2-gap",
    help="SOC 2 gap analysis in one conversation: interview, score, roadmap, crosswalk.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="The knowledge base: export and search.", no_args_is_help=True)
index_app = typer.Typer(help="The retrieval index.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations: scoring against fixtures, retrieval against labelled queries.")
keys_app = typer.Typer(help="API keys per tenant.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(index_app, name="index")
app.add_typer(eval_app, name="eval")
app.add_typer(keys_app, name="keys")

kb.register(kb_app, index_app)
assess.register(app)
reports.register(app)
eval_retrieval.register(eval_app)
eval_scoring.register(eval_app)
service.register(app, keys_app)
