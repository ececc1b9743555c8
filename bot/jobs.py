"""Every job of the bot, scheduled in one place: :data:`JOBS`.

Each job has a stable name (removed before it is added again, so scheduling twice never runs
it twice) and a phase:

- ``BUILD`` — scheduled by :func:`bot.app.build_application`, after the handlers;
- ``START`` — scheduled by the application's ``post_init``, once the database is migrated;
- ``STARTED`` — run once right after the application started (:func:`bot.app.running` with
  ``catch_up=True``): the reminders' catch-up after downtime (a first tick due before the
  scheduler starts would be moved by APScheduler to start + interval).

Job callbacks are as thin as handlers: each calls its feature's job function.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application

from bot.context import BotContext, services_of
from bot.handlers import conversation, incidents
from bot.incident_clock import JOB_NAME as INCIDENT_CLOCK_JOB, schedule_incident_clock
from bot.job_queue import remove_jobs
from bot.notices_job import JOB_NAME as NOTICES_JOB, schedule_notices
from bot.reminders import JOB_NAME as REMINDERS_JOB, catch_up_reminders, schedule_reminders


class Phase(enum.Enum):
    """When a job is scheduled (see the module docstring)."""

    BUILD = "build"
    START = "start"
    STARTED = "started"


@dataclass(frozen=True)
class ScheduledJob:
    """One job of :data:`JOBS`: its stable name, when it is scheduled, and how."""

    name: str
    phase: Phase
    schedule: Callable[[Application], Any]
    what: str


async def _expire_idle(context: BotContext) -> None:
    await conversation.expire_idle(context.application)


def schedule_idle_goodbyes(application: Application) -> None:
    """Every minute: say goodbye to conversations left idle, and end them."""
    if remove_jobs(application, conversation.EXPIRE_JOB):
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            _expire_idle, interval=conversation.EXPIRE_EVERY_S,
            first=conversation.EXPIRE_EVERY_S, name=conversation.EXPIRE_JOB)


def schedule_retention(application: Application) -> None:
    """Every night: anonymise the incidents past their retention (incidents enabled only)."""
    if services_of(application).settings.incidents_enabled and remove_jobs(
            application, incidents.RETENTION_JOB):
        assert application.job_queue is not None
        application.job_queue.run_daily(incidents.retention_job, incidents.RETENTION_AT,
                                        name=incidents.RETENTION_JOB)


# order matters only within a phase (the order they are scheduled in).
JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(conversation.EXPIRE_JOB, Phase.BUILD, schedule_idle_goodbyes,
                 "idle conversations: goodbye and end, every minute"),
    ScheduledJob(incidents.RETENTION_JOB, Phase.BUILD, schedule_retention,
                 "incident retention, daily at 02:30"),
    ScheduledJob(REMINDERS_JOB, Phase.START, schedule_reminders,
                 "deadline reminders: what the database says is due, every minute"),
    ScheduledJob(INCIDENT_CLOCK_JOB, Phase.START, schedule_incident_clock,
                 "urgent incidents: 6 h, 11 h, 5 days"),
    ScheduledJob("deadline-reminders:catch-up", Phase.STARTED, catch_up_reminders,
                 "reminders missed while no bot ran, once after the start"),
    ScheduledJob(NOTICES_JOB, Phase.START, schedule_notices,
                 "coordinators' report notices (each, or the daily digest), every minute"),
)


def schedule(application: Application, phase: Phase) -> None:
    """Schedule the :data:`JOBS` of ``phase`` (``BUILD``, ``START``: see :func:`run_started`)."""
    for job in JOBS:
        if job.phase is phase and phase is not Phase.STARTED:
            job.schedule(application)


def run_started(application: Application) -> list[Awaitable[Any]]:
    """The ``STARTED`` jobs of :data:`JOBS`, to run as tasks right after the start."""
    return [job.schedule(application) for job in JOBS if job.phase is Phase.STARTED]
