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
import threading
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    ExtBot,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.context import AnswerFn, BotContext, Services, install_services, services_of
from bot.errors import on_error
from bot.handlers import menu_commands, register_all
from bot.jobs import Phase, run_started, schedule
from bot.render import MAX_MESSAGE, tg_len
from bot.startup import warm_engine
from bot.updates import KehoachApplication, poll
from core.clock import Clock
from core.settings import Settings
from features.memory import FollowUpMemory
from knowledge import engine
from knowledge.answers import Answer
from knowledge.base import KnowledgeBase
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
# Seconds the fetch loop and the catch-up get to finish when the application stops.
STOP_GRACE_S = 5
GET_UPDATES_READ_TIMEOUT_S = 30


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


NOT_MODIFIED = "message is not modified"
QUERY_TOO_OLD = "query is too old"


class KehoachBot(ExtBot):
    """The bot, with the Bot API's answers to a repeated action taken as the success they are.

    A double tap edits a message to what it already shows: Telegram answers "message is not
    modified", although the action succeeded; a redone update answers a button's query again:
    "query is too old". Both are successes here — one place, for every handler — and never
    reach the error handler (which would tell the user to try again).
    """

    async def _do_post(self, endpoint: str, data: Any, **kwargs: Any) -> Any:
        if endpoint == "sendMessage" and tg_len(str(data.get("text", ""))) > MAX_MESSAGE:
            return await self._send_long(data, **kwargs)
        try:
            return await super()._do_post(endpoint, data, **kwargs)
        except BadRequest as exc:
            text = exc.message.lower()
            if endpoint.startswith("editMessage") and NOT_MODIFIED in text:
                logger.debug("%s: message already as asked", endpoint)
                return True
            if endpoint == "answerCallbackQuery" and QUERY_TOO_OLD in text:
                logger.debug("answerCallbackQuery: query already answered or too old")
                return True
            raise

    async def _send_long(self, data: Any, **kwargs: Any) -> Any:
        """Send a text over Telegram's limit in pieces rather than have it refused.

        (A bug upstream: every echo is cut.) Pieces are cut at line ends, the buttons on the
        last.
        """
        logger.warning("sendMessage of %d characters split", tg_len(str(data["text"])))
        pieces = split_lines(str(data["text"]), MAX_MESSAGE)
        result: Any = None
        for i, piece in enumerate(pieces):
            part = {**data, "text": piece}
            if i < len(pieces) - 1:
                part.pop("reply_markup", None)
            result = await super()._do_post("sendMessage", part, **kwargs)
        return result


def split_lines(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units, cut at line ends if possible.

    (HTML tags of this bot never span lines.)
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while tg_len(line) > limit:  # one huge line: hard cuts
            room = limit - tg_len(current) - (1 if current else 0)
            if room <= 0:
                pieces.append(current)
                current, room = "", limit
            cut = _fit(line, room)
            current = f"{current}\n{line[:cut]}" if current else line[:cut]
            pieces.append(current)
            current, line = "", line[cut:]
        joined = f"{current}\n{line}" if current else line
        if tg_len(joined) > limit:
            pieces.append(current)
            joined = line
        current = joined
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:_fit(text, limit)]]


def _fit(text: str, limit: int) -> int:
    """The longest prefix of ``text`` within ``limit`` UTF-16 units (its length)."""
    n = min(len(text), limit)
    while tg_len(text[:n]) > limit:
        n -= 1
    return n


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
    bot = KehoachBot(
        token, base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=request or RetryingRequest(connection_pool_size=32),
        get_updates_request=get_updates_request or HTTPXRequest(
            connection_pool_size=1, read_timeout=GET_UPDATES_READ_TIMEOUT_S),
        defaults=Defaults(tzinfo=ZoneInfo(settings.timezone)),
        rate_limiter=AIORateLimiter(max_retries=RATE_LIMIT_RETRIES) if rate_limit else None,
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .application_class(KehoachApplication)
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    install_services(application, Services(
        kb=kb, db=db, clock=clock, settings=settings,
        answer=answer or EngineAnswerer(kb, build_now=False),  # built by running(): warm_engine
        followups=FollowUpMemory(minutes=settings.follow_up_minutes),
    ))
    register_all(application)
    schedule(application, Phase.BUILD)  # every job: bot/jobs.py
    application.add_error_handler(on_error)
    return application


class EngineAnswerer:
    """The default answering function: one engine, built again when ``/reload`` brings new plans.

    Built at once by default; ``build_now=False`` (``kehoach run``) leaves it to :meth:`warm`,
    which :func:`running` calls on a worker thread once the reminders' start-up pass has begun
    (that pass does not wait for the engine's ~1 s of CPU), or to the first question if one
    comes before.
    """

    def __init__(self, kb: KnowledgeBase, *, build_now: bool = True) -> None:
        """Keep ``kb``; build its engine now unless ``build_now`` is False."""
        self._kb = kb
        self._lock = threading.Lock()
        self._engine: engine.Engine | None = engine.Engine(kb) if build_now else None

    def warm(self) -> None:
        """Build the engine now if it is not built yet (from a worker thread)."""
        with self._lock:  # not over one a /reload's question built meanwhile
            if self._engine is None:
                self._engine = engine.Engine(self._kb)

    def _for(self, kb: KnowledgeBase) -> engine.Engine:
        built = self._engine
        if built is not None and built.kb is kb:
            return built
        with self._lock:  # warm() and a first question: one build
            if self._engine is None or self._engine.kb is not kb:  # /reload: another base
                self._engine = engine.Engine(kb)
            return self._engine

    def __call__(self, kb: KnowledgeBase, question: str, **kwargs: Any) -> Answer:
        """Answer ``question`` with the engine of ``kb`` (built again if ``kb`` changed)."""
        return self._for(kb).answer(question, **kwargs)


async def _post_init(application: Application) -> None:
    """Migrate the database, then register the command menu (a failure there is not fatal)."""
    await asyncio.to_thread(services_of(application).db.upgrade)
    if isinstance(application, KehoachApplication):
        await application.load_high()
    # the repeating ticks (reminders, incident clock…); the catch-up of reminders missed while
    # down runs right after the start (``running(catch_up=True)``): see bot/jobs.py
    schedule(application, Phase.START)
    try:
        await application.bot.set_my_commands(menu_commands())
    except TelegramError as exc:
        logger.warning("command menu not registered: %s", exc)


async def _post_shutdown(application: Application) -> None:
    """Close the database connections."""
    services_of(application).db.dispose()


@contextlib.asynccontextmanager
async def running(application: Application, *, polling: bool = False,
                  poll_timeout: float = 10, catch_up: bool = False
                  ) -> AsyncIterator[Application]:
    """Run ``application`` for the ``async with`` block.

    Initialises it, calls ``post_init``, starts it, then (``catch_up``) runs the reminders'
    start-up pass at once and (``polling``) long-polls with :func:`bot.updates.poll`, which
    confirms an update only once it is processed; stops it all in reverse order,
    ``post_shutdown`` last.
    """
    await application.initialize()
    stop = asyncio.Event()
    tasks: list[asyncio.Task[Any]] = []
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        if catch_up:
            tasks.extend(asyncio.ensure_future(run) for run in run_started(application))
        tasks.append(asyncio.create_task(warm_engine(application, tasks[0] if tasks else None)))
        if polling:
            await application.bot.delete_webhook()
            tasks.append(asyncio.create_task(poll(application, stop, timeout=poll_timeout)))
        yield application
    finally:
        stop.set()
        for task in tasks:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=STOP_GRACE_S)
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
