"""Benchmark: one reminder fanned out to N subscribed groups through the local Bot API emulator.

The bot runs in a child process exactly as in production — ``build_application`` with
AIORateLimiter on (30 messages/s overall, 20/min per group), the reminder job started by
``schedule_reminders`` — against the emulator (HTTP on 127.0.0.1) served by this process, which
also enforces 20 messages/min per chat (429) and timestamps every message it accepts.

Run 1: a clean fan-out — total time against the N/30 s floor, duplicates, losses.
Run 2 (``--kill-trials``): the child is SIGKILLed when about half the groups got their
reminder, then a new child starts on the same database — every group must still get exactly
one (at-least-once: a kill in the milliseconds between Telegram's answer and the "sent" mark
can duplicate one message; the figures say how often it happened).

    .venv/bin/python bench/bench_reminders.py [--groups 1000] [--db-url postgresql://…]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.clock import VN_TZ  # noqa: E402

PLAN = "quan3-2020"
LEAD = 3
FIRE = dt.datetime(2026, 12, 7, 8, 0, tzinfo=VN_TZ)  # 3 days before "Báo cáo năm" (10/12/2026)
FIRST_GROUP = -1001000000000
OVERALL_RATE = 30.0


# --- the bot (child process) -----------------------------------------------------------------


class ShiftedClock:
    """Real time moving on from FIRE, the same in every child (``epoch`` = FIRE's wall time)."""

    def __init__(self, epoch: float) -> None:
        self.epoch = epoch

    def now(self) -> dt.datetime:
        return FIRE + dt.timedelta(seconds=time.time() - self.epoch)


async def run_bot(db_url: str, base_url: str, epoch: float, lease: float, tick: float) -> None:
    from bot.app import build_application, running
    from bot.reminders import ReminderSender, schedule_reminders
    from core.settings import Settings
    from features.reminders import Schedule
    from knowledge.base import load_knowledge_base
    from storage.db import Database
    from tests.support.emulator import TOKEN

    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_base_url=base_url,
                        database_url=db_url, reminder_lead_days=[LEAD], incidents_enabled=False)
    kb, db, clock = load_knowledge_base(), Database(db_url), ShiftedClock(epoch)
    app = build_application(settings, kb=kb, db=db, clock=clock, rate_limit=True)
    async with running(app):
        schedule = Schedule.from_settings(settings, lease=dt.timedelta(seconds=lease))
        sender = ReminderSender(app.bot, db, kb, clock, schedule, admin_ids=[])
        schedule_reminders(app, interval=tick, first=0.0, sender=sender)  # started already
        await asyncio.Event().wait()  # until killed


# --- the harness (parent process) --------------------------------------------------------------


def prepare_database(db_url: str, groups: list[int]) -> None:
    from features import reminders as rem
    from features.permissions import Actor
    from knowledge.base import load_knowledge_base
    from storage.db import Database

    kb, db = load_knowledge_base(), Database(db_url)
    db.upgrade()
    with db.unit_of_work() as session:
        for chat_id in groups:
            rem.subscribe(session, kb, Actor.command_line("bench"), chat_id, PLAN,
                          now=FIRE - dt.timedelta(days=10), lead_days=[LEAD])
    db.dispose()


def open_claims(db_url: str) -> int:
    from sqlmodel import func, select

    from storage.db import Database
    from storage.models import REMINDER_CLAIMED, ReminderDelivery

    db = Database(db_url)
    try:
        with db.unit_of_work() as s:
            return s.exec(select(func.count()).where(
                ReminderDelivery.status == REMINDER_CLAIMED)).one()
    finally:
        db.dispose()


class Harness:
    """The emulator plus the bookkeeping of what each group received, and when."""

    def __init__(self, groups: list[int]) -> None:
        from tests.support.emulator import BotApiEmulator

        self.groups = groups
        self.emu = BotApiEmulator()
        self.received: Counter[int] = Counter()
        self.stamps: list[float] = []
        self.emu.api.listeners.append(self._on_call)
        for chat_id in groups:
            self.emu.api.remember_chat({"id": chat_id, "type": "supergroup",
                                        "title": f"Nhóm {chat_id}"})
        self.emu.rate_limit(20, window=60.0, retry_after=30)  # Telegram's per-group limit

    def _on_call(self, call) -> None:
        if call.method == "sendMessage":
            self.received[int(call.params["chat_id"])] += 1
            self.stamps.append(time.monotonic())

    def spawn(self, db_url: str, epoch: float, lease: float, tick: float,
              log: Path) -> subprocess.Popen:
        args = [sys.executable, __file__, "child", "--db-url", db_url, "--base-url",
                self.emu.base_url, "--epoch", repr(epoch), "--lease", str(lease),
                "--tick", str(tick)]
        return subprocess.Popen(args, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT)

    async def until(self, predicate, child: subprocess.Popen, within: float) -> None:
        """Wait for ``predicate()``; fail at once if the bot process died."""
        deadline = time.monotonic() + within
        while not predicate():
            if child.poll() is not None:
                raise RuntimeError(f"the bot exited with {child.returncode}: see its log")
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not finish in time")
            with contextlib.suppress(TimeoutError):
                await self.emu.wait_for(lambda _calls: predicate(), within=0.5)

    def complete(self) -> bool:
        return len(self.received) >= len(self.groups)

    def figures(self) -> dict[str, float | int]:
        stamps = sorted(self.stamps)
        window = max((sum(1 for s in stamps[i:i + 200] if s - t < 1.0)
                      for i, t in enumerate(stamps)), default=0)
        sends = self.emu.requests.count("sendMessage")
        return {
            "messages": len(stamps),
            "duplicates": sum(n - 1 for n in self.received.values() if n > 1),
            "losses": sum(1 for g in self.groups if self.received[g] == 0),
            "fanout_s": stamps[-1] - stamps[0] if stamps else 0.0,
            "max_per_1s": window,
            "http_429": sends - len(stamps),
        }


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


async def clean_run(db_url: str, groups: list[int], args, log: Path) -> dict:
    prepare_database(db_url, groups)
    harness = Harness(groups)
    async with harness.emu:
        epoch = time.time()
        started = time.monotonic()
        child = harness.spawn(db_url, epoch, args.lease, args.tick, log)
        try:
            await harness.until(harness.complete, child, within=600)
            done = time.monotonic()
            await asyncio.sleep(args.lease + 3 * args.tick)  # let any duplicate show up
        finally:
            kill(child)
    out = harness.figures()
    out["end_to_end_s"] = done - started
    return out


async def kill_run(db_url: str, groups: list[int], args, log: Path) -> dict:
    prepare_database(db_url, groups)
    harness = Harness(groups)
    kill_at = len(groups) // 2
    async with harness.emu:
        epoch = time.time()
        first = harness.spawn(db_url, epoch, args.lease, args.tick, log)
        try:
            await harness.until(lambda: len(harness.stamps) >= kill_at, first, within=600)
            await asyncio.sleep(random.uniform(0, 1 / OVERALL_RATE))  # any moment of a cycle
        finally:
            kill(first)
        before = len(harness.stamps)
        orphaned = open_claims(db_url)
        restarted = time.monotonic()
        second = harness.spawn(db_url, epoch, args.lease, args.tick, log)
        try:
            await harness.until(harness.complete, second, within=600)
            done = time.monotonic()
            await asyncio.sleep(args.lease + 3 * args.tick)
        finally:
            kill(second)
    out = harness.figures()
    out.update(sent_before_kill=before, claims_open_at_kill=orphaned,
               restart_to_complete_s=done - restarted)
    return out


def fresh_database(db_url: str | None, tmp: Path) -> tuple[str, object]:
    """A new empty database: a SQLite file, or a new schema of the PostgreSQL URL given."""
    if not db_url:
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}", None
    import psycopg

    from storage.db import normalise_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    base = normalise_url(db_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


def show(name: str, figures: dict, groups: int) -> None:
    floor = groups / OVERALL_RATE
    print(f"\n{name}")
    for key, value in figures.items():
        print(f"  {key:24} {value:.2f}" if isinstance(value, float) else f"  {key:24} {value}")
    if "fanout_s" in figures:
        print(f"  {'floor_s':24} {floor:.2f}   (fan-out / floor = "
              f"{figures['fanout_s'] / floor:.3f})")


async def main(args) -> None:
    groups = [FIRST_GROUP - i for i in range(args.groups)]
    backend = "PostgreSQL" if args.db_url else "SQLite"
    print(f"{args.groups} groups, {backend}, lease {args.lease}s, tick {args.tick}s, "
          f"AIORateLimiter 30/s overall + 20/min per group")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "bot.log"
        url, drop = fresh_database(args.db_url, Path(tmp))
        try:
            show("clean fan-out", await clean_run(url, groups, args, log), args.groups)
        finally:
            if drop:
                drop()
        for trial in range(args.kill_trials):
            url, drop = fresh_database(args.db_url, Path(tmp))
            try:
                show(f"killed half-way and restarted (trial {trial + 1})",
                     await kill_run(url, groups, args, log), args.groups)
            finally:
                if drop:
                    drop()
        errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
        print(f"\nbot log: {len(errors)} tracebacks")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", nargs="?", default="bench", choices=["bench", "child"])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--kill-trials", type=int, default=1)
    parser.add_argument("--lease", type=float, default=5.0, help="claim lease, seconds")
    parser.add_argument("--tick", type=float, default=1.0, help="job interval, seconds")
    parser.add_argument("--base-url")
    parser.add_argument("--epoch", type=float)
    args = parser.parse_args()
    if args.mode == "child":
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        asyncio.run(run_bot(args.db_url, args.base_url, args.epoch, args.lease, args.tick))
    else:
        asyncio.run(main(args))


if __name__ == "__main__":
    cli()
