"""The incident clock job: private reminders about urgent incidents still open (6 h, 11 h, 5 days).

Thin over :mod:`features.incident_clock`: every :data:`TICK_SECONDS` (and once at start-up, the
catch-up) it asks the database what is due, then for each reminder **claim** (committed) →
**send** → **mark sent** (and audited), the protocol of the deadline reminders
(:mod:`bot.reminders`). Texts from :mod:`core.texts.office`; never the description.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, Job

from bot.context import BotContext, services_of
from bot.job_queue import replace_ticking
from bot.reminders import worker_id
from bot.render import escape
from core.clock import VN_TZ, Clock
from core.texts import office as t
from features import incident_clock as ic
from storage.crypto import FieldCipher, cipher_from_settings
from storage.db import Database

logger = logging.getLogger(__name__)

JOB_NAME = "incident-clock"  # stable: removed before it is added again
TICK_SECONDS = 60.0


def render_clock(reminder: ic.ClockReminder) -> str:
    """The Telegram HTML of a clock reminder: number, type, commune, time logged."""
    logged = f"{reminder.logged_at.astimezone(VN_TZ):%H:%M %d/%m/%Y}"
    values = {"number": escape(reminder.number), "logged": logged,
              "kind": escape(reminder.kind), "place": escape(reminder.place or "—")}
    if reminder.support:
        return t.SUPPORT_HTML.format(**values)
    left = 12 - reminder.step
    return t.CLOCK_HTML.format(hours=reminder.step,
                               left=t.CLOCK_LEFT.format(hours=left) if left > 0 else "",
                               **values)


class IncidentClockSender:
    """Sends what the incident clock says is due: claim → send → mark.

    Args:
        bot: the bot to send with.
        db: the database.
        clock: where "now" comes from.
        cipher: the incident cipher (type and commune are encrypted).
        admin_ids: reminded when the plan has no coordinator.
        worker: this process's name in claims.
        lease: how long another process's claim is respected.
    """

    def __init__(self, bot: Bot, db: Database, clock: Clock, cipher: FieldCipher, *,
                 admin_ids: Iterable[int] = (), worker: str | None = None,
                 lease: dt.timedelta = ic.CLAIM_LEASE) -> None:
        """Keep what the sender needs (see the class docstring)."""
        self.bot, self.db, self.clock, self.cipher = bot, db, clock, cipher
        self.admin_ids = list(admin_ids)
        self.worker = worker or worker_id()
        self.lease = lease

    @classmethod
    def from_application(cls, application: Application) -> IncidentClockSender:
        """The sender of an application built by :func:`bot.app.build_application`."""
        s = services_of(application)
        return cls(application.bot, s.db, s.clock, cipher_from_settings(s.settings),
                   admin_ids=s.settings.admin_ids)

    async def run_once(self) -> Counter[str]:
        """Send everything due now. Returns how many were sent, skipped, failed, deferred."""
        due = await self.db.run(ic.plan_due, self.clock.now(), self.admin_ids,
                                lease=self.lease)
        outcomes: Counter[str] = Counter()
        for item in due:
            try:
                outcomes[await self.deliver(item)] += 1
            except Exception:  # one bad reminder must not stop the others
                logger.exception("incident clock %s (%d h) to %s failed", item.number,
                                 item.step, item.chat_id)
                outcomes["error"] += 1
        if due:
            logger.info("incident clock: %s", dict(outcomes))
        return outcomes

    async def deliver(self, due: ic.ClockDue) -> str:
        """Claim, send and mark one reminder: ``sent``, ``skipped``, ``failed``, ``deferred``."""
        reminder = await self.db.run(ic.claim, self.cipher, due, self.clock.now(),
                                     worker=self.worker, admin_ids=self.admin_ids,
                                     lease=self.lease)
        if reminder is None:
            return "skipped"
        try:
            message = await self.bot.send_message(due.chat_id, render_clock(reminder),
                                                  parse_mode=ParseMode.HTML)
        except RetryAfter:
            logger.warning("incident clock to %s: flooded, retried after the lease", due.chat_id)
            return "deferred"
        except Forbidden:
            await self.db.run(ic.mark_failed, reminder, error="forbidden")
            logger.warning("incident clock %s: recipient %s has blocked the bot", due.number,
                           due.chat_id)
            return "failed"
        except NetworkError as exc:  # perhaps delivered: the lease decides (at-least-once)
            logger.warning("incident clock to %s not confirmed (%s)", due.chat_id, exc)
            return "deferred"
        except TelegramError as exc:
            await self.db.run(ic.mark_failed, reminder, error=exc.message)
            logger.error("incident clock to %s failed: %s", due.chat_id, exc.message)
            return "failed"
        await self.db.run(ic.mark_sent, reminder, now=self.clock.now(),
                          message_id=message.message_id)
        return "sent"


async def incident_clock_job(context: BotContext) -> None:
    """One tick of the incident clock (the sender is the job's data)."""
    assert context.job is not None
    sender: IncidentClockSender = context.job.data  # type: ignore[assignment]
    await sender.run_once()


def schedule_incident_clock(application: Application, *, interval: float = TICK_SECONDS,
                            first: float = 0.0, sender: IncidentClockSender | None = None
                            ) -> Job | None:
    """Start the incident clock job (from ``post_init``); None when incidents are disabled.

    The job has a stable name and replaces an earlier one; its first tick is the catch-up.
    """
    if not services_of(application).settings.incidents_enabled:
        return None
    return replace_ticking(application, incident_clock_job, name=JOB_NAME, interval=interval,
                           first=first,
                           data=sender or IncidentClockSender.from_application(application))

