"""``kehoach run [--webhook]`` and ``kehoach shell``: start the assistant.

``run`` long-polls Telegram (or, with ``--webhook``, serves webhooks that must carry the secret
token header). Without ``TELEGRAM_BOT_TOKEN`` it starts the offline shell instead, on the
embedded SQLite database, so the assistant can be tried with one command.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import typer

from bot.settings import Settings, get_settings


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _services(settings: Settings) -> tuple:
    from knowledge.base import PlanFileError, load_knowledge_base
    from knowledge.clock import SystemClock
    from storage.crypto import IncidentKeyError, check_incident_key
    from storage.db import Database

    try:
        kb = load_knowledge_base(settings.plans_dir)
    except PlanFileError as exc:
        typer.echo(f"Lỗi tệp kế hoạch: {exc}", err=True)
        raise typer.Exit(2) from exc
    db = Database.from_settings(settings)
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
    application = build_application(settings, kb=kb, db=db, clock=clock)
    if not webhook:
        application.run_polling()
        return
    if not settings.webhook_url or settings.webhook_secret is None:
        typer.echo("Cần WEBHOOK_URL và WEBHOOK_SECRET để chạy webhook (xem .env.example).",
                   err=True)
        raise typer.Exit(2)
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
    )


def register(app: typer.Typer) -> None:
    """Add ``run`` and ``shell`` to the ``kehoach`` command."""
    app.command("run")(run)
    app.command("shell")(shell)
