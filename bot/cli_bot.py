"""``kehoach run [--webhook]`` and ``kehoach shell``: start the assistant.

``run`` long-polls Telegram (or, with ``--webhook``, serves webhooks that must carry the secret
token header). Without ``TELEGRAM_BOT_TOKEN`` it starts the offline shell instead, on the
embedded SQLite database, so the assistant can be tried with one command.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from core.settings import Settings, get_settings


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from features.pii import install_token_mask

    install_token_mask()  # any /bot<digits>:… in any record, at any level


def warn_if_readable(settings: Settings) -> None:
    """Warn when ``.env`` or the SQLite database can be read by other users of the machine."""
    from storage.private_files import sensitive_paths, too_open

    for path, mode in too_open(sensitive_paths(settings.database_url)):
        typer.echo(f"Cảnh báo: {path} đang cho người khác đọc được (quyền {mode:o}); "
                   f"nên chạy: chmod {'700' if path.is_dir() else '600'} {path}", err=True)


def _services(settings: Settings) -> tuple:
    from core.clock import SystemClock
    from knowledge.base import PlanFileError, load_knowledge_base
    from storage.crypto import IncidentKeyError, check_incident_key
    from storage.db import Database

    try:
        kb = load_knowledge_base(settings.plans_dir)
    except PlanFileError as exc:
        typer.echo(f"Lỗi tệp kế hoạch: {exc}", err=True)
        raise typer.Exit(2) from exc
    db = Database.from_settings(settings)
    warn_if_readable(settings)
    try:
        check_incident_key(settings, db)
    except IncidentKeyError as exc:
        typer.echo(f"Không khởi động: {exc}", err=True)
        raise typer.Exit(2) from exc
    return kb, db, SystemClock(ZoneInfo(settings.timezone))


def shell() -> None:
    """Trò chuyện với trợ lý ngay trong cửa sổ lệnh (không cần mạng, không cần token)."""
    from bot.shell import run_shell

    settings = get_settings()
    logging.basicConfig(level=logging.WARNING)
    kb, db, clock = _services(settings)
    run_shell(settings, kb=kb, db=db, clock=clock)


def run(
    webhook: Annotated[bool, typer.Option("--webhook", help="Nhận cập nhật qua webhook.")] = False,
) -> None:
    """Chạy bot Telegram (không có TELEGRAM_BOT_TOKEN thì mở chế độ dòng lệnh)."""
    settings = get_settings()
    if settings.telegram_bot_token is None:
        if webhook:
            typer.echo("Cần TELEGRAM_BOT_TOKEN để chạy webhook (xem .env.example).", err=True)
            raise typer.Exit(2)
        typer.echo("Chưa có TELEGRAM_BOT_TOKEN: mở chế độ dòng lệnh (kehoach shell).", err=True)
        shell()
        return
    from bot.app import build_application

    _setup_logging(settings)
    kb, db, clock = _services(settings)
    if webhook and (not settings.webhook_url or settings.webhook_secret is None):
        typer.echo("Cần WEBHOOK_URL và WEBHOOK_SECRET để chạy webhook (xem .env.example).",
                   err=True)
        raise typer.Exit(2)
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
    app.command("run")(run)
    app.command("shell")(shell)
