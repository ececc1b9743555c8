"""The coordinator's report notices job: claim → send → mark, every :data:`TICK_SECONDS`.

Thin over :mod:`features.report_notices` (the outbox): one unit of work takes in the new
reports and claims what is due (committed before sending), then each message is sent and
marked. A message not confirmed (network) stays claimed and is sent again after the lease:
at-least-once, never lost. Texts from :mod:`bot.render_office`; never report content.
"""

from __future__ import annotations

import logging
from collections import Counter

from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, Job

from bot.context import BotContext, services_of
from bot.job_queue import replace_ticking
from bot.reminders import worker_id
from bot.render_office import notice_text
from core.clock import Clock
from features import report_notices as rn
from knowledge.base import KnowledgeBase
from storage.db import Database

logger = logging.getLogger(__name__)

JOB_NAME = "report-notices"  # stable: removed before it is added again
TICK_SECONDS = 60.0


class NoticeSender:
    """Sends the coordinators' report notices that are due.

    Args:
        bot: the bot to send with.
        db: the database.
        kb: the knowledge base (unit and plan names).
        clock: where "now" comes from.
        worker: this process's name in claims.
    """

    def __init__(self, bot: Bot, db: Database, kb: KnowledgeBase, clock: Clock, *,
                 worker: str | None = None) -> None:
        """Keep what the job needs; ``worker`` defaults to this process's name."""
        self.bot, self.db, self.kb, self.clock = bot, db, kb, clock
        self.worker = worker or worker_id()

    @classmethod
    def from_application(cls, application: Application) -> NoticeSender:
        """The sender of an application built by :func:`bot.app.build_application`."""
        s = services_of(application)
        return cls(application.bot, s.db, s.kb, s.clock)

    async def run_once(self) -> Counter[str]:
        """Send everything due now. Returns how many messages were sent, failed, deferred."""
        due = await self.db.run(rn.claim_due, self.clock.now(), worker=self.worker)
        outcomes: Counter[str] = Counter()
        for batch in due:
            try:
                outcomes[await self.deliver(batch)] += 1
            except Exception:  # one bad notice must not stop the others
                logger.exception("report notice to %s failed", batch.telegram_id)
                outcomes["error"] += 1
        if due:
            logger.info("report notices: %s", dict(outcomes))
        return outcomes

    async def deliver(self, batch: rn.NoticeBatch) -> str:
        """Send and mark one claimed message. Returns ``sent``, ``failed`` or ``deferred``."""
        try:
            await self.bot.send_message(batch.telegram_id, notice_text(self.kb, batch))
        except (RetryAfter, NetworkError) as exc:  # perhaps delivered: the lease decides
            logger.warning("report notice to %s not confirmed (%s)", batch.telegram_id,
                           type(exc).__name__)
            return "deferred"
        except Forbidden:
            await self.db.run(rn.mark_failed, batch.ids, error="forbidden")
            logger.warning("report notice: coordinator %s has blocked the bot", batch.telegram_id)
            return "failed"
        except TelegramError as exc:
            await self.db.run(rn.mark_failed, batch.ids, error=exc.message)
            logger.error("report notice to %s failed: %s", batch.telegram_id, exc.message)
            return "failed"
        await self.db.run(rn.mark_sent, batch.ids, now=self.clock.now())
        return "sent"


async def notices_job(context: BotContext) -> None:
    """One tick of the report notices (the sender is the job's data)."""
    assert context.job is not None
    sender: NoticeSender = context.job.data  # type: ignore[assignment]
    sender.kb = services_of(context.application).kb  # the plans reloaded count from now on
    await sender.run_once()


def schedule_notices(application: Application, *, interval: float = TICK_SECONDS,
                     first: float = 0.0, sender: NoticeSender | None = None) -> Job:
    """Start the report notices job (from ``post_init``): stable name, replaces an earlier one.

    The first tick takes in nothing old: the outbox starts at the newest report.
    """
    return replace_ticking(application, notices_job, name=JOB_NAME, interval=interval,
                           first=first, data=sender or NoticeSender.from_application(application))
