"""Start-up wires the long-running parts: the reminder job, replacing any earlier one."""

from __future__ import annotations

from bot.reminders import JOB_NAME, reminders_job, schedule_reminders
from tests.support.factories import make_settings, offline_bot


async def test_start_up_schedules_the_reminder_job_once(kb, sqlite_db, clock) -> None:
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        jobs = bot.app.job_queue.get_jobs_by_name(JOB_NAME)
        assert len(jobs) == 1
        assert jobs[0].callback is reminders_job
        # scheduling again (a second post_init) replaces the job instead of adding one
        schedule_reminders(bot.app)
        live = [j for j in bot.app.job_queue.get_jobs_by_name(JOB_NAME) if not j.removed]
        assert len(live) == 1



async def test_every_job_is_in_the_one_table_and_scheduled_once(kb, sqlite_db, clock) -> None:
    from bot.jobs import JOBS, Phase, schedule

    names = {j.name for j in JOBS if j.phase is not Phase.STARTED}
    async with offline_bot(make_settings(incidents_enabled=True), kb=kb, db=sqlite_db,
                           clock=clock) as bot:
        assert names <= {j.name for j in bot.app.job_queue.jobs()}
        schedule(bot.app, Phase.BUILD)  # again: replaced, not added
        schedule(bot.app, Phase.START)
        live = [j.name for j in bot.app.job_queue.jobs() if not j.removed]
        assert all(live.count(name) == 1 for name in names)
