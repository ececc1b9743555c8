"""The reminder job: one repeating JobQueue job that sends what the database says is due.

Every :data:`TICK_SECONDS` (and once at start-up: the catch-up) the job asks the database what
is due, then for each reminder: **claim** (committed) → **send** → **mark sent**. The database
is the source of truth, not the scheduler: APScheduler's misfire grace is off (a late tick
still runs) and a missed tick loses nothing, because the next one finds the same reminders
unclaimed. Two bot processes on one database never send the same reminder twice (the claim is
a unique-key insert); a process killed between claim and mark is covered by the lease (see
:mod:`features.reminder_delivery` for the at-least-once choice).

Telegram errors: ``RetryAfter`` waits and retries; ``Forbidden`` in a group switches its
subscriptions off and tells the plan's coordinators privately; ``ChatMigrated`` moves the
subscription (and this reminder) to the supergroup and sends there — both through the chat's
one owner (:mod:`features.chats`). The texts are rendered by :mod:`bot.reminder_texts`.

Started from the application's ``post_init`` with :func:`schedule_reminders`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import os
import socket
import uuid
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, Job

from bot import chat_life
from bot.context import BotContext, ChatPlanCache, services_of
from bot.errors import safe_traceback
from bot.job_queue import replace_ticking
from bot.reminder_texts import format_date, mention, render_reminder
from core.clock import Clock
from features import chats, reminder_delivery as rd, reminders as rem
from knowledge.base import KnowledgeBase
from storage import worker_locks
from storage.db import Database

logger = logging.getLogger(__name__)

# re-exported: the texts of reminders are bot.reminder_texts'
__all__ = ["format_date", "mention", "render_reminder"]

JOB_NAME = "deadline-reminders"  # stable: removed before it is added again
TICK_SECONDS = 60.0
# Reminders sent at the same time; the rate limiter (30/s) paces them, and at most this many
# claims are open when the process dies.
SEND_CONCURRENCY = 8
# RetryAfter answers waited out per reminder (beyond the rate limiter's own retries).
RETRY_AFTER_ATTEMPTS = 3

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


# --- sending -----------------------------------------------------------------------------------


# Telegram's answer when a forum topic no longer exists ("Bad Request: message thread not found").
TOPIC_GONE = "message thread not found"


def worker_id() -> str:
    """Who claims: host, process and a random part (a restarted process is another worker)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claimant_is_dead(claimed_by: str, *, me: str) -> bool:
    """Whether the worker that made a claim (``host:pid:random``) is provably dead.

    Only on this host: its pid no longer exists, or it is this process's pid under another
    worker id (an earlier process that had the same pid, as a container's pid 1). Another
    host's: see :meth:`ReminderSender._is_dead` (PostgreSQL advisory locks), else its lease.
    """
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or claimed_by == me:
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class ReminderSender:
    """Runs the protocol for everything due: claim → send → mark, with Telegram's errors.

    Its database work runs in one thread of its own, in order (one unit of work per call, as
    :meth:`storage.db.Database.run`): on SQLite, transactions of the same process then never
    wait on each other through SQLite's sleeping busy handler, so "sent" is recorded within
    milliseconds of Telegram's answer — the only window in which a crash can duplicate a
    reminder.

    Args:
        bot: the bot to send with (the application's, rate-limited).
        db: the database.
        kb: the knowledge base.
        clock: the clock "now" comes from.
        schedule: hour, default lead days, lease.
        admin_ids: told when a group has no coordinator to tell.
        worker: this process's name in claims (default :func:`worker_id`).
        concurrency: reminders in flight at once.
        sleep: how to wait out a RetryAfter (tests pass a recorder).
        chat_plans: the application's cache of chat plans (forgotten when a chat moves or
            is deactivated).
    """

    def __init__(self, bot: Bot, db: Database, kb: KnowledgeBase, clock: Clock,
                 schedule: rem.Schedule, *, admin_ids: Iterable[int] = (),
                 worker: str | None = None, concurrency: int = SEND_CONCURRENCY,
                 sleep: Sleep = asyncio.sleep, chat_plans: ChatPlanCache | None = None) -> None:
        self.bot, self.db, self.kb, self.clock, self.schedule = bot, db, kb, clock, schedule
        self.admin_ids = list(admin_ids)
        self.worker = worker or worker_id()
        self.concurrency = concurrency
        self.sleep = sleep
        self.chat_plans = chat_plans
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="reminders-db")
        # PostgreSQL: held while this worker lives; free, it says the worker is dead.
        self._lock = worker_locks.WorkerLock(db.engine, self.worker)

    def _is_dead(self, claimed_by: str) -> bool:
        """Whether the claimant is provably dead.

        Same host and its pid gone, or (PostgreSQL, any host) its worker lock free.
        """
        return claimant_is_dead(claimed_by, me=self.worker) or (
            claimed_by != self.worker and worker_locks.lock_is_free(self.db.engine, claimed_by))

    async def _db(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(session, *args, **kwargs)`` in one unit of work, in the sender's thread."""
        call = functools.partial(self.db.call, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    @classmethod
    def from_application(cls, application: Application, **kwargs: object) -> ReminderSender:
        """The sender of an application built by :func:`bot.app.build_application`."""
        s = services_of(application)
        return cls(application.bot, s.db, s.kb, s.clock, rem.Schedule.from_settings(s.settings),
                   admin_ids=s.settings.admin_ids, chat_plans=s.chat_plans,
                   **kwargs)  # type: ignore[arg-type]

    async def run_once(self) -> Counter[str]:
        """Send everything due now.

        Returns:
            How many were sent, skipped, failed, deferred — and ``resent``: claims of a dead
            process sent again (each a possible duplicate).
        """
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self._lock.hold)  # before any claim
        due = await self._db(rd.plan_due, self.kb, self.clock.now(), self.schedule,
                             is_dead=self._is_dead)
        outcomes: Counter[str] = Counter()
        items = iter(due)

        async def lane() -> None:
            for item in items:  # the lanes share one iterator
                try:
                    outcomes[await self.deliver(item)] += 1
                except Exception as exc:  # one bad reminder must not stop the others
                    logger.error("reminder %s to %s failed: %s\n%s", item.key, item.chat_id,
                                 type(exc).__name__, safe_traceback(exc))
                    outcomes["error"] += 1

        await asyncio.gather(*(lane() for _ in range(min(self.concurrency, len(due)))))
        if due:
            logger.info("reminders: %s", dict(outcomes))
        return outcomes

    async def deliver(self, due: rd.Due) -> str:
        """Claim, send and mark one reminder: ``sent``, ``skipped``, ``failed``, ``deferred``."""
        reminder = await self._db(rd.claim, self.kb, due, self.clock.now(),
                                     worker=self.worker, schedule=self.schedule)
        if reminder is None:
            return "skipped"
        assert reminder.delivery_id is not None
        text, chat_id, waits = render_reminder(reminder), due.chat_id, 0
        topic = reminder.message_thread_id
        while True:
            try:
                message = await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True,
                    message_thread_id=topic)
            except RetryAfter as exc:
                if waits == RETRY_AFTER_ATTEMPTS:
                    logger.warning("reminder to %s: still flooded, left for a retry", chat_id)
                    return "deferred"
                waits += 1
                await self.sleep(_seconds(exc))
            except ChatMigrated as exc:
                moved = await self._db(rd.on_migrated, reminder.delivery_id, chat_id,
                                       exc.new_chat_id, now=self.clock.now())
                chat_life.forget(self.chat_plans, chat_id, exc.new_chat_id)
                logger.info("chat %s became %s: reminders moved", chat_id, exc.new_chat_id)
                if not moved:
                    return "skipped"
                chat_id = exc.new_chat_id
            except Forbidden as exc:
                return await self._forbidden(reminder, chat_id, exc)
            except BadRequest as exc:
                if topic is not None and TOPIC_GONE in exc.message.lower():
                    # the topic was deleted: the group itself gets it, the topic is stale
                    await self._db(rem.mark_topic_stale, chat_id, topic, now=self.clock.now())
                    topic = None
                    continue
                await self._db(rd.mark_failed, reminder.delivery_id, error=exc.message)
                logger.error("reminder to %s refused: %s", chat_id, exc.message)
                return "failed"
            except NetworkError as exc:  # perhaps delivered: the lease decides (at-least-once)
                logger.warning("reminder to %s not confirmed (%s): retried after the lease",
                               chat_id, exc)
                return "deferred"
            except TelegramError as exc:
                await self._db(rd.mark_failed, reminder.delivery_id, error=exc.message)
                logger.error("reminder to %s failed: %s", chat_id, exc)
                return "failed"
            else:
                await self._db(rd.mark_sent, reminder.delivery_id, now=self.clock.now(),
                                  message_id=message.message_id)
                return "resent" if due.retry else "sent"

    async def _forbidden(self, reminder: rem.Reminder, chat_id: int, exc: Forbidden) -> str:
        assert reminder.delivery_id is not None
        if reminder.kind == rem.KIND_PRIVATE:  # the officer never opened or blocked the bot
            await self._db(rd.mark_failed, reminder.delivery_id, error="forbidden")
            logger.info("private reminder to %s refused: %s", chat_id, exc.message)
            return "failed"
        removed: chats.Deactivated = await self._db(
            rd.on_forbidden, self.kb, reminder.delivery_id, chat_id, now=self.clock.now(),
            admin_ids=self.admin_ids)
        chat_life.forget(self.chat_plans, chat_id)
        logger.warning("bot removed from %s: its reminders are off (%s)", chat_id, exc.message)
        await chat_life.tell_ended(self.bot, removed.ended)
        return "failed"


# --- the job -------------------------------------------------------------------------------------


async def reminders_job(context: BotContext) -> None:
    """One tick: send what is due (the sender is the job's data)."""
    assert context.job is not None
    sender: ReminderSender = context.job.data  # type: ignore[assignment]
    # the plans an admin reloaded (/reload) count from the next tick on
    sender.kb = services_of(context.application).kb
    await sender.run_once()


async def catch_up_reminders(application: Application) -> Counter[str]:
    """The start-up pass: send what came due while no bot ran, right after the start.

    Returns:
        The outcomes (see :meth:`ReminderSender.run_once`).
    """
    jobs = application.job_queue.get_jobs_by_name(JOB_NAME) if application.job_queue else ()
    sender = jobs[0].data if jobs else ReminderSender.from_application(application)
    try:
        return await sender.run_once()  # type: ignore[union-attr]
    except Exception as exc:  # noqa: BLE001 - the repeating tick tries again
        logger.error("reminder catch-up failed: %s\n%s", type(exc).__name__, safe_traceback(exc))
        return Counter(error=1)


def schedule_reminders(application: Application, *, interval: float = TICK_SECONDS,
                       first: float | None = None, sender: ReminderSender | None = None) -> Job:
    """Start the reminder job of ``application`` (call it from ``post_init``).

    The job has a stable name and replaces an earlier one. Its first tick runs ``first``
    seconds after the scheduler starts (default: ``interval``; the catch-up after downtime is
    :func:`catch_up_reminders`, run right after the start), then every ``interval`` seconds.
    APScheduler's misfire grace is off and late ticks coalesce: what is due is decided by the
    database, not by the scheduler.

    Args:
        application: the application (with its JobQueue and services).
        interval: seconds between ticks.
        first: seconds before the first tick.
        sender: the sender to use (default: built from the application's services).

    Returns:
        The job.
    """
    return replace_ticking(
        application, reminders_job, name=JOB_NAME, interval=interval,
        first=interval if first is None else first,
        data=sender or ReminderSender.from_application(application),
    )
