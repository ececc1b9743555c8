"""Scheduling one of the bot's jobs under its stable name (the table of jobs: :mod:`bot.jobs`).

A job is removed by name before it is added again, so scheduling twice never runs it twice.
The ticking jobs (reminders, incident clock, report notices) share their APScheduler settings:
misfire grace off and late ticks coalesced — what is due is decided by the database, not by
the scheduler.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application, Job

TICKING = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


def remove_jobs(application: Application, name: str) -> bool:
    """Remove the jobs named ``name``; False when the application has no job queue."""
    if application.job_queue is None:
        return False
    for job in application.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    return True


def replace_ticking(application: Application, callback: Callable[[Any], Coroutine[Any, Any, Any]],
                    *, name: str, interval: float, first: float, data: object) -> Job[Any]:
    """Run ``callback`` every ``interval`` seconds from ``first``, replacing the jobs of ``name``.

    Raises:
        RuntimeError: the application has no JobQueue (the ``job-queue`` extra is missing).
    """
    if not remove_jobs(application, name):
        raise RuntimeError("JobQueue unavailable: install python-telegram-bot[job-queue]")
    assert application.job_queue is not None
    return application.job_queue.run_repeating(
        callback, interval=interval, first=first, name=name, data=data, job_kwargs=TICKING)
