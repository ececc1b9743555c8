"""``kehoach questions``: what officers asked that the assistant could not answer.

The questions are kept screened and folded (no names, phone numbers or addresses; nobody's
id), 90 days, and listed grouped by similarity, so an admin can see what the knowledge base or
the language lexicon lacks.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.bootstrap import parse_date, services
from bot.cli.typer_vi import group
from core.texts import cli as t

questions_app = group(t.QUESTIONS_HELP)


@questions_app.command("unanswered", help=t.CMD_UNANSWERED)
def unanswered(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help=t.HELP_SINCE)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t.HELP_JSON)] = False,
) -> None:
    """Questions the assistant could not answer, grouped by similarity, largest first."""
    from features import questions

    start = parse_date(since, "--since")
    found = services(ctx).database().call(questions.groups, since=start)
    if as_json:
        rows = [{"example": g.example, "count": g.count, "last_asked": g.last_asked.isoformat(),
                 "intents": list(g.intents), "others": list(g.others)} for g in found]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(t.NO_UNANSWERED)
        return
    for g in found:
        typer.echo(t.UNANSWERED_ROW.format(count=g.count, last=g.last_asked,
                                           intents=", ".join(g.intents), example=g.example))
        for other in g.others:
            typer.echo(f"{'':>22}~ {other}")


def register(app: typer.Typer) -> None:
    """Add ``kehoach questions`` to the app."""
    app.add_typer(questions_app, name="questions")
