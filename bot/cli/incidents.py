"""``kehoach incidents``: export, counts, retention and keys of the incident records.

The operator at the command line acts as an admin (:meth:`Actor.command_line`); every export,
count and retention run is written to the audit log. Exports leave the description out unless
``--with-description`` is given, and can be encrypted with a password (``--encrypt``: a real
encrypted .xlsx that Excel and LibreOffice open after asking for the password). A wrong
``INCIDENT_KEY`` (after a rotation) is said in the bot's words, never a traceback (exit 2).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.bootstrap import cli_actor, fail, invalid, plan_id, services
from bot.cli.typer_vi import group
from core.clock import VN_TZ
from core.texts import cli as t

incidents_app = group(t.INCIDENTS_HELP)
PlanOption = Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN_ONLY)]
MIN_PASSWORD = 8


@incidents_app.command("export", help=t.CMD_EXPORT)
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help=t.HELP_INCIDENTS_OUTPUT)],
    plan: PlanOption = None,
    with_description: Annotated[bool, typer.Option(
        "--with-description", help=t.HELP_WITH_DESCRIPTION)] = False,
    encrypt: Annotated[bool, typer.Option("--encrypt", help=t.HELP_ENCRYPT)] = False,
) -> None:
    """Export incidents to .xlsx (admins only; audited)."""
    from features import incident_exports
    from features.incident_fields import IncidentError
    from storage.crypto import Undecryptable

    password = None
    if encrypt:
        password = typer.prompt(t.PASSWORD_PROMPT, hide_input=True,
                                confirmation_prompt=t.PASSWORD_AGAIN)
        if len(password) < MIN_PASSWORD:
            raise invalid(t.PASSWORD_TOO_SHORT.format(length=MIN_PASSWORD))
    found = services(ctx)
    chosen = plan_id(found.kb, plan) if plan else None
    cipher = found.cipher()
    try:
        data, count = found.database().call(
            incident_exports.export_xlsx, cli_actor(), cipher, now=found.now(),
            plan_id=chosen, with_description=with_description, password=password, kb=found.kb,
        )
    except IncidentError as exc:
        raise fail(t.NOT_EXPORTED.format(reason=exc.reason)) from exc
    except Undecryptable as exc:
        raise invalid(t.WRONG_KEY) from exc
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner only
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    typer.echo(t.INCIDENTS_EXPORTED.format(path=output, count=count)
               + (t.ENCRYPTED if password else ""))


@incidents_app.command("stats", help=t.CMD_STATS)
def stats(
    ctx: typer.Context,
    plan: PlanOption = None,
    year: Annotated[int | None, typer.Option("--year", help=t.HELP_YEAR)] = None,
    min_count: Annotated[int, typer.Option("--min-count", help=t.HELP_MIN_COUNT)] = 1,
    as_json: Annotated[bool, typer.Option("--json", help=t.HELP_JSON)] = False,
) -> None:
    """Incident counts by kind, month and commune/ward — nothing identifying."""
    from features import incident_exports
    from storage.crypto import Undecryptable

    found = services(ctx)
    chosen = plan_id(found.kb, plan) if plan else None
    cipher = found.cipher()
    try:
        result = found.database().call(incident_exports.stats, cli_actor(), cipher,
                                       now=found.now(), plan_id=chosen, year=year,
                                       min_count=min_count)
    except Undecryptable as exc:
        raise invalid(t.WRONG_KEY) from exc
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    hidden = f"<{min_count}"
    typer.echo(t.STATS_TOTAL.format(total=result.total))
    for title, rows in ((t.STATS_BY_KIND, result.by_kind), (t.STATS_BY_MONTH, result.by_month),
                        (t.STATS_BY_PLACE, result.by_place)):
        typer.echo(f"\n{title}:")
        for label, count in rows:
            typer.echo(f"  {label}\t{hidden if count is None else count}")


@incidents_app.command("purge", help=t.CMD_PURGE)
def purge(
    ctx: typer.Context,
    months: Annotated[int | None, typer.Option("--months", help=t.HELP_MONTHS)] = None,
    delete: Annotated[bool, typer.Option("--delete", help=t.HELP_DELETE)] = False,
    yes: Annotated[bool, typer.Option("--yes", help=t.HELP_YES)] = False,
) -> None:
    """Anonymise (or delete) incidents past their retention; audited."""
    from bot.handlers.conversation import IDLE_TIMEOUT
    from features import incident_drafts, incidents
    from features.incident_fields import IncidentError

    found = services(ctx)
    months = months if months is not None else found.settings.incident_retention_months
    if delete and not yes:
        typer.confirm(t.CONFIRM_DELETE.format(months=months), abort=True)
    cipher = found.cipher()
    database = found.database(writes=True)
    now = found.now()
    try:
        result = database.call(incidents.purge, cli_actor(), cipher, months=months, now=now,
                               delete=delete)
        dropped = database.call(incident_drafts.drop_stale, now, IDLE_TIMEOUT)
    except IncidentError as exc:
        raise fail(t.NOT_DONE.format(reason=exc.reason)) from exc
    cutoff = result.cutoff.astimezone(VN_TZ).strftime("%d/%m/%Y")
    if delete:
        typer.echo(t.PURGED_DELETED.format(count=len(result.deleted), cutoff=cutoff))
    else:
        typer.echo(t.PURGED_ANONYMISED.format(count=len(result.anonymised), cutoff=cutoff))
    if dropped:
        typer.echo(t.DRAFTS_DROPPED.format(count=dropped))


@incidents_app.command("new-key", help=t.CMD_NEW_KEY)
def new_key() -> None:
    """Print a new key for INCIDENT_KEY (keep it safe: a lost key is lost data)."""
    from storage.crypto import generate_key

    typer.echo(generate_key())


@incidents_app.command("rotate-key", help=t.CMD_ROTATE_KEY)
def rotate_key(ctx: typer.Context) -> None:
    """Re-encrypt every incident with the first key of INCIDENT_KEY (after adding it)."""
    from features import incidents
    from features.incident_fields import IncidentError
    from storage.crypto import Undecryptable

    found = services(ctx)
    cipher = found.cipher()
    try:
        count = found.database(writes=True).call(incidents.rotate_key, cli_actor(), cipher,
                                                 now=found.now())
    except IncidentError as exc:
        raise fail(t.NOT_DONE.format(reason=exc.reason)) from exc
    except Undecryptable as exc:
        raise invalid(t.NO_KEY_OPENS) from exc
    typer.echo(t.ROTATED.format(count=count))


def register(app: typer.Typer) -> None:
    """Add ``kehoach incidents`` to the ``kehoach`` app."""
    app.add_typer(incidents_app, name="incidents")
