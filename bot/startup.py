"""The start of ``kehoach run``: the reminders first, nothing waiting on what can wait.

- :func:`wait_for_bot_api`: Telegram unreachable when the process starts (a flaky provincial
  line, a proxy not up yet) is waited out — tries 1 s apart, doubling up to 60 s, one log line
  a minute, not one a try — instead of giving up after the transport's few retries, so nobody
  has to restart the bot by hand. A stop signal ends the wait.
- :func:`warm_engine`: the answering engine (about a second of CPU: the index, the places)
  is built on a worker thread once the reminders' start-up pass has begun, so the first
  reminder after a restart does not wait for it; a question that comes first builds it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.error import NetworkError
from telegram.ext import Application
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0
LOG_EVERY_S = 60.0
PROBE_TIMEOUT_S = 10.0
# The engine is built when the start-up pass of reminders ends, or this long after it began.
WARM_AFTER_S = 2.0


async def wait_for_bot_api(bot: Bot, stop: asyncio.Event, *, first_delay: float = FIRST_DELAY_S,
                           max_delay: float = MAX_DELAY_S, log_every: float = LOG_EVERY_S,
                           clock: Callable[[], float] = time.monotonic) -> bool:
    """Wait until the Bot API of ``bot`` answers ``getMe``, or ``stop`` is set.

    Each try is one ``getMe`` on a transport of its own without retries (the bot's transport
    retries, and logs, each failed connection); only a network failure (refused, timed out,
    a gateway error) is waited out — a wrong token is raised at once.

    Args:
        bot: the bot, not yet initialised.
        stop: set it to give up (SIGTERM during the wait).
        first_delay: seconds before the second try; doubled after each failure.
        max_delay: the longest wait between two tries.
        log_every: seconds between two log lines while the Bot API stays unreachable.
        clock: monotonic seconds (tests).

    Returns:
        True once the Bot API answered; False when ``stop`` was set first.

    Raises:
        telegram.error.InvalidToken: the Bot API refused the token.
    """
    probe = HTTPXRequest(connection_pool_size=1, connect_timeout=PROBE_TIMEOUT_S,
                         read_timeout=PROBE_TIMEOUT_S)
    await probe.initialize()
    started = clock()
    logged: float | None = None
    delay, tries = first_delay, 0
    try:
        while not stop.is_set():
            tries += 1
            try:
                await probe.post(f"{bot.base_url}/getMe")
            except NetworkError as exc:
                now = clock()
                if logged is None or now - logged >= log_every:
                    logged = now
                    logger.warning("Bot API unreachable (%s): %d tries in %.0f s, still trying",
                                   type(exc).__name__, tries, now - started)
            else:
                if logged is not None:
                    logger.warning("Bot API reachable again after %.0f s (%d tries)",
                                   clock() - started, tries)
                return True
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
            except TimeoutError:
                pass
            delay = min(delay * 2, max_delay)
        return False
    finally:
        await probe.shutdown()


async def warm_engine(application: Application, first_pass: asyncio.Task[object] | None = None
                      ) -> None:
    """Build the answering engine of ``application`` on a worker thread.

    After ``first_pass`` (the reminders' start-up pass) ends, or :data:`WARM_AFTER_S` after
    it began; an answering function without ``warm`` (tests, benchmarks) is left alone.
    """
    from bot.context import services_of

    warm = getattr(services_of(application).answer, "warm", None)
    if warm is None:
        return
    if first_pass is not None:
        await asyncio.wait({first_pass}, timeout=WARM_AFTER_S)
    try:
        await asyncio.to_thread(warm)
    except Exception as exc:  # noqa: BLE001 - the first question tries again
        logger.error("answering engine not built at start: %s", type(exc).__name__)
