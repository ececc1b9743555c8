"""``kehoach db | users | audit``: the database, the people and the audit log, offline.

The operator at the command line acts as an admin (:meth:`Actor.command_line`); what they do
is written to the audit log like any privileged action in the chat, and the person concerned
is told as in the chat.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from bot.cli.bootstrap import cli_actor, fail, invalid, plan_id, services
from bot.cli.typer_vi import group
from core.clock import VN_TZ
from core.texts import cli as t

db_app = group(t.DB_HELP)
users_app = group(t.USERS_HELP)
audit_app = group(t.AUDIT_HELP)

PlanOption = Annotated[str, typer.Option("--plan", help=t.HELP_PLAN)]
UserArgument = Annotated[int, typer.Argument(help=t.HELP_TELEGRAM_ID, metavar=t.METAVAR_USER)]


def when(moment: dt.datetime | None) -> str:
    """A moment as ``YYYY-MM-DD HH:MM`` in Asia/Ho_Chi_Minh, ``-`` when there is none."""
    return f"{moment.astimezone(VN_TZ):%Y-%m-%d %H:%M}" if moment else "-"


def _tell(ctx: typer.Context, telegram_id: int, text: str) -> None:
    """Tell the person concerned, as the bot does in chat, and say whether it went."""
    from bot import notices
    from core.texts import registration as t_registration

    told = notices.tell_from_cli(services(ctx).settings, telegram_id, text)
    typer.echo(t_registration.CLI_TOLD[told])


def _check_status(status: str | None) -> None:
    """Refuse a ``--status`` that is not a registration status (2), listing them."""
    from storage.models import STATUSES

    if status is not None and status not in STATUSES:
        raise invalid(t.UNKNOWN_STATUS.format(value=status, choices=", ".join(STATUSES)))


def _check_role(role: str | None) -> None:
    """Refuse a ``--role`` that is not a role (2), listing them."""
    from storage.models import ROLES

    if role is not None and role not in ROLES:
        raise invalid(t.UNKNOWN_ROLE.format(value=role, choices=", ".join(ROLES)))


# --- db --------------------------------------------------------------------------------------


@db_app.command("upgrade", help=t.CMD_DB_UPGRADE)
def db_upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help=t.HELP_REVISION, metavar=t.METAVAR_REVISION)
                        ] = "head",
) -> None:
    """Apply the Alembic migrations (creating the tables of an empty database)."""
    database = services(ctx).database(writes=True, migrate=False)
    database.upgrade(revision)
    typer.echo(f"{database.safe_url}: {database.current_revision()}")


# --- users -----------------------------------------------------------------------------------


@users_app.command("list", help=t.CMD_USERS_LIST)
def users_list(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN_ONLY)] = None,
    status: Annotated[str | None, typer.Option("--status", help=t.HELP_STATUS)] = None,
    role: Annotated[str | None, typer.Option("--role", help=t.HELP_ROLE)] = None,
) -> None:
    """List the registrations, newest first."""
    from features import registry

    _check_status(status)
    _check_role(role)
    found = services(ctx)
    chosen = plan_id(found.kb, plan) if plan else None
    rows = found.database().call(registry.list_registrations, plan_id=chosen, status=status,
                                 role=role)
    if not rows:
        typer.echo(t.NONE)
    for r in rows:
        typer.echo(f"#{r.id}\t{r.telegram_id}\t{r.full_name or '-'}\t{r.plan_id}\t"
                   f"{r.unit_id or '-'}\t{r.role}\t{r.status}\t{when(r.requested_at)}")


@users_app.command("approve", help=t.CMD_USERS_APPROVE)
def users_approve(
    ctx: typer.Context,
    registration_id: Annotated[int, typer.Argument(help=t.HELP_REGISTRATION,
                                                                metavar=t.METAVAR_REGISTRATION)],
    refuse: Annotated[bool, typer.Option("--refuse", help=t.HELP_REFUSE)] = False,
    reason: Annotated[str | None, typer.Option("--reason", help=t.HELP_REASON)] = None,
) -> None:
    """Approve (or refuse) a pending registration; the person is told as in chat."""
    from bot import notices
    from features import registry

    found = services(ctx)
    try:
        reg = found.database(writes=True).call(
            registry.decide, cli_actor(), registration_id, approve=not refuse, now=found.now(),
            reason=reason if refuse else None)
    except registry.UnknownRegistration:
        raise invalid(t.UNKNOWN_REGISTRATION.format(id=registration_id)) from None
    except registry.NotPending as exc:
        raise fail(t.ALREADY_DECIDED.format(
            id=registration_id, status=t.STATUS_LABELS.get(exc.status, exc.status))) from None
    typer.echo((t.REFUSED if refuse else t.APPROVED).format(id=reg.id))
    _tell(ctx, reg.telegram_id, notices.decided(found.kb, reg.plan_id, reg.unit_id,
                                                approve=not refuse, reason=reason))


@users_app.command("grant", help=t.CMD_USERS_GRANT)
def users_grant(
    ctx: typer.Context,
    telegram_id: UserArgument,
    plan: PlanOption,
    name: Annotated[str | None, typer.Option("--name", help=t.HELP_NAME)] = None,
) -> None:
    """Make someone a coordinator of a plan."""
    from bot import notices
    from features import registry

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    reg = found.database(writes=True).call(registry.grant_coordinator, cli_actor(), telegram_id,
                                           chosen, now=found.now(), full_name=name)
    typer.echo(t.GRANTED.format(id=reg.id, telegram_id=telegram_id, plan=chosen))
    _tell(ctx, telegram_id, notices.granted(found.kb, chosen))


@users_app.command("revoke", help=t.CMD_USERS_REVOKE)
def users_revoke(
    ctx: typer.Context,
    telegram_id: UserArgument,
    plan: PlanOption,
    role: Annotated[str | None, typer.Option("--role", help=t.HELP_REVOKE_ROLE)] = None,
) -> None:
    """Revoke someone's roles in a plan."""
    from bot import notices
    from features import registry

    _check_role(role)
    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    revoked = found.database(writes=True).call(registry.revoke, cli_actor(), telegram_id, chosen,
                                               now=found.now(), role=role)
    typer.echo(t.REVOKED.format(count=len(revoked)))
    if revoked:
        _tell(ctx, telegram_id, notices.revoked(found.kb, chosen, [r.role for r in revoked]))


# --- audit -----------------------------------------------------------------------------------


@audit_app.command("list", help=t.CMD_AUDIT_LIST)
def audit_list(
    ctx: typer.Context,
    action: Annotated[str | None, typer.Option("--action", help=t.HELP_ACTION)] = None,
    plan: Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN_ONLY)] = None,
    actor: Annotated[int | None, typer.Option("--actor", help=t.HELP_ACTOR)] = None,
    limit: Annotated[int, typer.Option("--limit", help=t.HELP_LIMIT)] = 100,
) -> None:
    """The audit log of privileged actions, newest first."""
    from storage import audit

    rows = services(ctx).database().call(audit.list_entries, action=action, plan_id=plan,
                                         actor_id=actor, limit=limit)
    if not rows:
        typer.echo(t.NONE)
    for e in rows:
        who = e.actor_id if e.actor_id is not None else e.actor
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
        typer.echo(f"{when(e.at)}\t{who}\t{e.action}\t{e.target}\t{e.plan_id or '-'}\t{details}")


def register(app: typer.Typer) -> None:
    """Add ``db``, ``users`` and ``audit`` to the ``kehoach`` app."""
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
