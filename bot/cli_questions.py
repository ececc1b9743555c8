"""``kehoach questions``: what officers asked that the assistant could not answer.

The questions are kept screened and folded (no names, phone numbers or addresses; nobody's
id), 90 days, and listed grouped by similarity, so an admin can see what the knowledge base or
the language lexicon lacks.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from core.settings import get_settings
from features import questions
from storage.db import Database

questions_app = typer.Typer(help="Câu hỏi trợ lý chưa trả lời được.", no_args_is_help=True)


@questions_app.command("unanswered")
def unanswered(
    since: Annotated[str | None, typer.Option(
        "--since", help="Từ ngày này (YYYY-MM-DD); mặc định: 90 ngày qua.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
) -> None:
    """Các câu hỏi chưa trả lời được, gộp theo câu gần giống nhau, nhóm đông nhất trước."""
    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        typer.echo(f"Ngày không hợp lệ: {since!r} (cần dạng YYYY-MM-DD).", err=True)
        raise typer.Exit(2) from None
    database = Database.from_settings(get_settings())
    try:
        database.upgrade()
        found = database.call(questions.groups, since=start)
    finally:
        database.dispose()
    if as_json:
        rows = [{"example": g.example, "count": g.count, "last_asked": g.last_asked.isoformat(),
                 "intents": list(g.intents), "others": list(g.others)} for g in found]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("(không có câu hỏi nào chưa trả lời được)")
        return
    for g in found:
        typer.echo(f"{g.count:>4} lần  {g.last_asked:%d/%m/%Y}  [{', '.join(g.intents)}]  "
                   f"{g.example}")
        for other in g.others:
            typer.echo(f"{'':>22}~ {other}")


def register(app: typer.Typer) -> None:
    """Add ``kehoach questions`` to the app."""
    app.add_typer(questions_app, name="questions")
