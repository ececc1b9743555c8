"""``kehoach ingest FILE``: read a new plan (.docx, .doc, PDF, text) into a draft to review.

The draft is ``<id>.yaml`` (schema of :mod:`knowledge.schema`, every item ``review: true``, a
comment block on top saying what was found and what could not be classified) and its source
text ``<id>.txt`` beside it. It is checked with :func:`knowledge.base.read_plan_file` before the
command says it is done. With ``-q`` only the two paths are printed, one per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.bootstrap import fail, services
from core.texts import cli as t


def ingest(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=t.HELP_INGEST_FILE, metavar=t.METAVAR_FILE)],
    plan_id: Annotated[str | None, typer.Option("--id", help=t.HELP_INGEST_ID)] = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", help=t.HELP_INGEST_OUT)] = None,
    year: Annotated[int | None, typer.Option("--year", help=t.HELP_INGEST_YEAR)] = None,
    force: Annotated[bool, typer.Option("--force", help=t.HELP_FORCE)] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=t.HELP_QUIET)] = False,
) -> None:
    """Read a new plan (.docx, .doc, .pdf, .txt) into a draft for an officer to review."""
    from knowledge.base import PlanFileError, read_plan_file
    from knowledge.ingest import IngestError, ingest_file, write_draft

    max_bytes = services(ctx).settings.max_file_mb * 1024 * 1024
    try:
        draft = ingest_file(file, plan_id=plan_id, year=year, max_bytes=max_bytes)
        path = write_draft(draft, out or Path("."), force=force)
    except IngestError as exc:
        raise fail(t.INGEST_ERROR.format(error=exc)) from exc
    if not quiet:
        typer.echo(draft.summary())
    try:
        read_plan_file(path)
    except PlanFileError as exc:
        raise fail(t.DRAFT_INVALID.format(error=exc)) from exc
    text_path = path.parent / draft.plan.source
    if quiet:
        typer.echo(f"{path}\n{text_path}")
        return
    typer.echo(t.DRAFT_WRITTEN.format(path=path, text=text_path))
    typer.echo(t.DRAFT_NEXT.format(name=path.name))


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the ``kehoach`` command."""
    app.command("ingest", help=t.CMD_INGEST)(ingest)
