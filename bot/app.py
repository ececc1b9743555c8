"""The one function that builds the bot: :func:`build_application`.

It creates the python-telegram-bot Application (AIORateLimiter on; network errors that sent
nothing retried), installs the typed context, registers every handler module in one order
(:mod:`bot.handlers`), installs the error handler and the start/stop hooks. ``kehoach run``
(:mod:`bot.cli_bot`), the shell, the tests and the benchmark all build the bot here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.context import AnswerFn, BotContext, Services, install_services, services_of
from bot.errors import on_error
from bot.handlers import menu_commands, register_all
from bot.incident_clock import schedule_incident_clock
from bot.memory import FollowUpMemory
from bot.reminders import schedule_reminders
from bot.settings import Settings
from knowledge import engine
from knowledge.base import KnowledgeBase
from knowledge.clock import Clock
from storage.crypto import check_incident_key

logger = logging.getLogger(__name__)

# A well-formed token for a bot that never reaches Telegram (the shell, tests, benchmarks).
OFFLINE_TOKEN = "1:offline-kehoach"
# Retries of requests that certainly did not reach the Bot API (connection refused, 502…).
NETWORK_RETRIES = 3
NETWORK_BACKOFF_S = 0.5
# RetryAfter (flood control) answers retried by the rate limiter.
RATE_LIMIT_RETRIES = 3
_RETRY_STATUS = {502, 503, 504}


class RetryingRequest(HTTPXRequest):
    """HTTPX transport that retries what did not reach the server: no duplicate messages.

    A refused or failed connection and a 502/503/504 from a proxy are retried with backoff;
    a read timeout (the request may have been handled) is not.
    """

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the request, retrying connection failures and gateway errors."""
        for attempt in range(NETWORK_RETRIES + 1):
            last = attempt == NETWORK_RETRIES
            try:
                code, payload = await super().do_request(*args, **kwargs)
            except NetworkError as exc:
                cause = exc.__cause__
                connect_failed = isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout)
                if last or not connect_failed:
                    raise
                logger.warning("Bot API unreachable (%s): retry %d", type(cause).__name__,
                               attempt + 1)
            else:
                if code not in _RETRY_STATUS or last:
                    return code, payload
                logger.warning("Bot API answered %d: retry %d", code, attempt + 1)
            await asyncio.sleep(NETWORK_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def build_application(
    settings: Settings,
    *,
    kb: KnowledgeBase,
    db: Any,
    clock: Clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
    answer: AnswerFn | None = None,
) -> Application:
    """Build the bot.

    Args:
        settings: the settings (token, Bot API URLs, time zone…).
        kb: the knowledge base.
        db: the database (:class:`storage.db.Database`).
        clock: the clock "today" comes from.
        request: the Bot API transport (default: HTTPX with retries); the shell and tests pass
            an in-process one.
        get_updates_request: the transport of ``getUpdates`` (default: HTTPX).
        rate_limit: throttle and retry sends with ``AIORateLimiter`` (off for benchmarks and
            the offline shell, where nothing reaches Telegram).
        answer: the answering function (default :func:`knowledge.engine.answer`).

    Returns:
        The application, not yet initialised.

    Raises:
        ValueError: with no token and no in-process ``request``.
        IncidentKeyError: incidents are enabled and ``INCIDENT_KEY`` is missing, malformed or
            does not open the stored incidents.
    """
    check_incident_key(settings, db)  # incidents on and no usable INCIDENT_KEY: refuse to start
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
    elif request is not None:
        token = OFFLINE_TOKEN
    else:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .defaults(Defaults(tzinfo=ZoneInfo(settings.timezone)))
        .request(request or RetryingRequest(connection_pool_size=32))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
    application = builder.build()
    if answer is None:
        engine.engine_for(kb)  # the engine is built here, at start-up, not on the first question
    install_services(application, Services(
        kb=kb, db=db, clock=clock, settings=settings, answer=answer or engine.answer,
        followups=FollowUpMemory(minutes=settings.follow_up_minutes),
    ))
    register_all(application)
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application) -> None:
    """Migrate the database, then register the command menu (a failure there is not fatal)."""
    await asyncio.to_thread(services_of(application).db.upgrade)
    schedule_reminders(application)  # the catch-up of reminders missed while down runs first
    schedule_incident_clock(application)  # urgent incidents: 6 h, 11 h, 5 days
    try:
        await application.bot.set_my_commands(menu_commands())
    except TelegramError as exc:
        logger.warning("command menu not registered: %s", exc)


async def _post_shutdown(application: Application) -> None:
    """Close the database connections."""
    services_of(application).db.dispose()


@contextlib.asynccontextmanager
async def running(application: Application, *, polling: bool = False,
                  poll_timeout: float = 10) -> AsyncIterator[Application]:
    """Run ``application`` for the ``async with`` block, as ``run_polling`` would.

    Initialises it, calls ``post_init``, starts it (and long polling if ``polling``), and
    stops it all in reverse order, ``post_shutdown`` last.
    """
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        if polling:
            await application.updater.start_polling(timeout=poll_timeout)
        yield application
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
