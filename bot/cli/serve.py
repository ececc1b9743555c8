"""``kehoach run [--webhook]`` and ``kehoach shell``: start the assistant.

``run`` long-polls Telegram (or, with ``--webhook``, serves webhooks that must carry the secret
token header). Without ``TELEGRAM_BOT_TOKEN`` it starts the offline shell instead, on the
embedded SQLite database, so the assistant can be tried with one command.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.bootstrap import Services, invalid, services, warn_if_readable
from core.texts import cli as t

if TYPE_CHECKING:
    from core.clock import Clock
    from core.settings import Settings
    from knowledge.base import KnowledgeBase
    from storage.db import Database

__all__ = ["register", "warn_if_readable"]


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from features.log_guard import install_token_mask

    install_token_mask()  # any /bot<digits>:… in any record, at any level


def _services(settings: Settings) -> tuple[KnowledgeBase, Database, Clock]:
    """Knowledge base, database and clock for the bot, the incident key checked (exit 2)."""
    from core.settings import home_dir

    found = Services(settings)
    kb = found.kb
    database = found.database(writes=True, migrate=False)
    warn_if_readable(settings, home_dir() / ".env")
    if settings.incidents_enabled:
        from storage.crypto import IncidentKeyError, check_incident_key

        try:
            check_incident_key(settings, database)
        except IncidentKeyError as exc:
            database.dispose()
            raise invalid(t.NOT_STARTED.format(error=exc)) from exc
    return kb, database, found.clock


def shell(ctx: typer.Context) -> None:
    """Talk to the assistant in the terminal (no network, no token)."""
    from bot.shell import run_shell

    settings = services(ctx).settings
    logging.basicConfig(level=logging.WARNING)
    kb, db, clock = _services(settings)
    run_shell(settings, kb=kb, db=db, clock=clock)


def run(
    ctx: typer.Context,
    webhook: Annotated[bool, typer.Option("--webhook", help=t.HELP_WEBHOOK)] = False,
) -> None:
    """Run the Telegram bot (the offline shell when no TELEGRAM_BOT_TOKEN is set)."""
    settings = services(ctx).settings
    if settings.telegram_bot_token is None:
        if webhook:
            raise invalid(t.WEBHOOK_NEEDS_TOKEN)
        typer.echo(t.NO_TOKEN_SHELL, err=True)
        shell(ctx)
        return
    from bot.app import build_application

    _setup_logging(settings)
    if webhook and (not settings.webhook_url or settings.webhook_secret is None):
        raise invalid(t.WEBHOOK_NEEDS_URL)
    kb, db, clock = _services(settings)
    application = build_application(settings, kb=kb, db=db, clock=clock)
    asyncio.run(_serve(application, settings, webhook=webhook))


async def _serve(application: Any, settings: Settings, *, webhook: bool) -> None:
    """Run until SIGINT/SIGTERM: long polling, or the webhook server (:mod:`bot.webhook`)."""
    from bot.app import running

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    from bot.startup import wait_for_bot_api

    if not await wait_for_bot_api(application.bot, stop):  # Telegram unreachable: wait
        return
    if not webhook:
        async with running(application, polling=True, catch_up=True):
            await stop.wait()
        return
    from bot.webhook import serve_webhook

    async with running(application, catch_up=True):
        await serve_webhook(application, settings, stop)


def register(app: typer.Typer) -> None:
    """Add ``run`` and ``shell`` to the ``kehoach`` command."""
    app.command("run", help=t.CMD_RUN)(run)
    app.command("shell", help=t.CMD_SHELL)(shell)
