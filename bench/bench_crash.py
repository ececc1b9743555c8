"""Benchmark: real ``kehoach run`` processes killed with SIGKILL at random moments, restarted.

The bot runs as in production — ``kehoach run`` (long polling, its own fetch loop that
confirms an update only after its effect committed), a child process with its environment
pointing at the HTTP Bot API emulator (``tests/emulator.py``) that this process serves on
127.0.0.1 — and is killed (SIGKILL) at a random moment, then started again on the same
database, over and over. Officers played by this process keep working through the kills; what
counts is what the emulator saw and what the database holds:

- ``reports``: officers submit ad-hoc reports (/baocao → ⚡ → text → ✅). *Lost*: a receipt
  seen whose report is not stored. *Duplicated*: a report stored twice. *Unanswered*: a step
  still without its reply ``--answer-within`` seconds after it was sent (kills and restarts
  included) — the officer would give up and start again.
- ``incidents``: the same with the whole /suvu form (9 steps, the description unique).
- ``reminders``: one reminder fanned out to ``--groups`` groups (30 messages/s) while the bot
  is killed; *lost*: a group with none; *duplicates*: groups with two, counted per kill; the
  delay from each restart to its first reminder.
- ``reminders2`` (PostgreSQL only): the same with two processes at once, killed in turn.

    .venv/bin/python bench/bench_crash.py [--kills 30] [--db sqlite|postgresql|both]
        [--scenario reports,incidents,reminders,reminders2]

Run it from a snapshot of the tree, so that editing the code does not change the processes
half-way: ``git archive HEAD | tar -x -C /tmp/snap && cd /tmp/snap &&
/path/to/.venv/bin/python bench/bench_crash.py``.

PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``), a
new schema per run, dropped at the end. Everything on loopback; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_reminders import fresh_database  # noqa: E402
from tests.support.emulator import TOKEN, BotApiEmulator  # noqa: E402
from tests.support.factories import TEST_INCIDENT_KEY, private_chat, user  # noqa: E402
from tests.support.reports_kit import ADMIN, COORD, OFFICER, OFFICER_GDDT, PLAN, seed_roles  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# "Báo cáo năm" of quan3-2020 is due 10/12 every year: its reminder 9 days before, at 00:00,
# is due on 1 December (the bench sets the lead so that it is due today).
ANNUAL_DUE = (12, 10)
FIRST_GROUP = -1002000000000


# --- the bot processes -----------------------------------------------------------------------


class Bots:
    """``kehoach run`` children on one database and one emulator; kill and restart them."""

    def __init__(self, emu: BotApiEmulator, db_url: str, workdir: Path, **env: str) -> None:
        self.emu, self.db_url, self.workdir = emu, db_url, workdir
        self.env = {
            **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")},
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url,
            "TELEGRAM_BASE_FILE_URL": emu.base_file_url, "DATABASE_URL": db_url,
            "ADMIN_IDS": str(ADMIN), "INCIDENT_KEY": TEST_INCIDENT_KEY,
            "FILES_DIR": str(workdir / "files"), "LOG_LEVEL": "WARNING",
            "REMINDER_HOUR": "23", "PYTHONPATH": str(ROOT), **env,
        }
        self.log = (workdir / "bot.log").open("a")
        self.children: list[subprocess.Popen | None] = []
        self.kills = 0
        self.restarts = 0

    def start(self, slot: int = 0) -> subprocess.Popen:
        # ``kehoach run``, from this file's tree (``python -m bot`` is the kehoach command):
        # run the bench from a snapshot (git archive) and the code under test stays put.
        child = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=self.workdir,
                                 env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        while len(self.children) <= slot:
            self.children.append(None)
        self.children[slot] = child
        return child

    def kill(self, slot: int = 0) -> None:
        child = self.children[slot]
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGKILL)
            child.wait()
            self.kills += 1

    def check(self) -> None:
        for child in self.children:
            if child is not None and child.poll() is not None and child.returncode != -9:
                raise RuntimeError(f"kehoach run exited with {child.returncode}: see bot.log")

    def stop(self) -> None:
        for slot, child in enumerate(self.children):
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGKILL)
                child.wait()
            self.children[slot] = None
        self.log.close()


async def kill_loop(bots: Bots, kills: int, *, low: float, high: float,
                    busy: Any = None, slots: int = 1) -> list[float]:
    """Start, let run ``low``–``high`` s (once ``busy()`` says work is going on), SIGKILL,
    restart, ``kills`` times. Returns the seconds from each restart to its first getUpdates."""
    ready_after: list[float] = []
    for slot in range(slots):
        bots.start(slot)
    for n in range(kills):
        slot = n % slots
        if busy is not None:
            for _ in range(600):
                if busy():
                    break
                await asyncio.sleep(0.1)
        await asyncio.sleep(random.uniform(low, high))
        bots.check()
        bots.kill(slot)
        polls = bots.emu.requests.count("getUpdates")
        started = time.monotonic()
        bots.start(slot)
        bots.restarts += 1
        for _ in range(300):  # until the new process polls (bounded: 30 s)
            if bots.emu.requests.count("getUpdates") > polls:
                ready_after.append(time.monotonic() - started)
                break
            await asyncio.sleep(0.1)
    return ready_after


async def settle(bots: Bots, quiet: float = 3.0) -> None:
    """Before the last stop (no restart follows it): every update confirmed, then ``quiet`` s
    more — a receipt leaves before the coordinators' notices, so the last form's would be
    killed on their way."""
    for _ in range(300):
        if not bots.emu.pending():
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(quiet)


# --- officers ----------------------------------------------------------------------------------


class Officer:
    """One officer acting through the emulator: sends a step, waits for its reply."""

    def __init__(self, emu: BotApiEmulator, uid: int, within: float) -> None:
        self.emu, self.uid, self.within = emu, uid, within
        self.who = user(uid, "Cán bộ")
        self.chat = private_chat(uid, "Cán bộ")
        self.unanswered = 0
        self.steps = 0
        self.missed: Counter[str] = Counter()  # the steps left unanswered

    def _mark(self) -> int:
        return len(self.emu.api.calls)

    async def _reply(self, mark: int, wanted: Any) -> dict | None:
        """The first message sent or edited to this officer after ``mark`` that ``wanted``."""

        def found(calls: list) -> dict | None:
            for call in calls[mark:]:
                if call.method not in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
                    continue
                if int(call.params.get("chat_id") or 0) != self.uid:
                    continue
                message = call.result if isinstance(call.result, dict) else None
                if message is not None and wanted(message):
                    return message
            return None

        try:
            return await self.emu.wait_for(found, within=self.within)
        except TimeoutError:
            return None

    async def say(self, text: str, wanted: Any) -> dict | None:
        mark = self._mark()
        self.steps += 1
        await self.emu.send(self.chat, self.who, text)
        reply = await self._reply(mark, wanted)
        if reply is None:
            self.unanswered += 1
            self.missed[text if text.startswith("/") else "text"] += 1
        return reply

    async def tap(self, message: dict, data: str, wanted: Any) -> dict | None:
        mark = self._mark()
        self.steps += 1
        await self.emu.tap(self.uid, message["message_id"], data, self.who)
        reply = await self._reply(mark, wanted)
        if reply is None:
            self.unanswered += 1
            self.missed[data.rsplit(":", 1)[0] if ":" in data else data] += 1
        return reply


def buttons(message: dict) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button(label_start: str):
    return lambda m: any(text.startswith(label_start) for text, _ in buttons(m))


def data_of(message: dict, label_start: str) -> str:
    return next(d for text, d in buttons(message) if text.startswith(label_start))


def has_text(*parts: str):
    return lambda m: all(p in (m.get("text") or "") for p in parts)


# --- reports -----------------------------------------------------------------------------------


async def submit_report(officer: Officer, tag: str, receipts: dict[str, str]) -> None:
    """/baocao → ⚡ ad hoc → the text → ✅; a receipt is recorded under ``tag``."""
    menu = await officer.say("/baocao", button("⚡"))
    if menu is None:
        return
    ask = await officer.tap(menu, data_of(menu, "⚡"), has_text("nội dung"))
    if ask is None:
        return
    preview = await officer.say(f"Kết quả kiểm tra {tag}: đã rà soát 12 hộ.",
                                lambda m: button("✅")(m) and tag in (m.get("text") or ""))
    if preview is None:
        return
    receipt = await officer.tap(preview, data_of(preview, "✅"), has_text("Đã nhận báo cáo"))
    if receipt is not None:
        receipts[tag] = receipt["text"]


def stored_reports(db_url: str) -> Counter[str]:
    from sqlmodel import select

    from storage.db import Database
    from storage.models import SubmissionVersion

    db = Database(db_url)
    try:
        with db.unit_of_work() as s:
            texts = s.exec(select(SubmissionVersion.text)).all()
    finally:
        db.dispose()
    return Counter((t or "").split(":")[0].removeprefix("Kết quả kiểm tra ") for t in texts)


async def reports_scenario(emu: BotApiEmulator, bots: Bots, args) -> dict[str, Any]:
    officers = [Officer(emu, uid, args.answer_within) for uid in (OFFICER, OFFICER_GDDT)]
    receipts: dict[str, str] = {}
    tried: list[str] = []
    stop = asyncio.Event()

    async def work(officer: Officer) -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            tag = f"R{officer.uid}x{n}"
            tried.append(tag)
            await submit_report(officer, tag, receipts)

    workers = [asyncio.create_task(work(o)) for o in officers]
    ready = await kill_loop(bots, args.kills, low=args.low, high=args.high)
    stop.set()
    await asyncio.gather(*workers)
    await settle(bots)
    bots.stop()
    stored = stored_reports(bots.db_url)
    return {
        "kills": bots.kills, "forms started": len(tried), "steps": sum(o.steps for o in officers),
        "receipts seen": len(receipts), "reports stored": sum(stored.values()),
        "lost (receipt, not stored)": sum(1 for tag in receipts if stored[tag] == 0),
        "duplicated (stored twice)": sum(n - 1 for n in stored.values() if n > 1),
        "stored without receipt": sum(1 for tag in stored if tag not in receipts),
        "unanswered after restart": sum(o.unanswered for o in officers),
        "unanswered steps": dict(sum((o.missed for o in officers), Counter())),
        "restart to first poll, median s": round(statistics.median(ready), 2) if ready else None,
    }


# --- incidents ---------------------------------------------------------------------------------


async def submit_incident(officer: Officer, tag: str, receipts: dict[str, str]) -> None:
    """Every step of /suvu, then ✅ (``sv:ok``); the receipt's number recorded under ``tag``."""

    def offers(data: str):
        return lambda m: any(d == data for _, d in buttons(m))

    step = await officer.say("/suvu", offers("sv:f:kind:violence"))
    for data, nxt in (("sv:f:kind:violence", "sv:f:setting:family"),
                      ("sv:f:setting:family", None)):
        if step is None:
            return
        step = await officer.tap(step, data, offers(nxt) if nxt else (lambda m: True))
    if step is None:
        return
    step = await officer.say("p.5", offers("sv:f:date:yesterday"))
    for data, nxt in (("sv:f:date:yesterday", "sv:f:sex:female"),
                      ("sv:f:sex:female", "sv:f:age:6-10"),
                      ("sv:f:age:6-10", "sv:f:perp:step_parent"),
                      ("sv:f:perp:step_parent", None)):
        if step is None:
            return
        step = await officer.tap(step, data, offers(nxt) if nxt else (lambda m: True))
    if step is None:
        return
    actions = await officer.say(f"Sự việc {tag} được hàng xóm báo", offers("sv:f:actions:done"))
    if actions is None:
        return
    for data in ("sv:f:actions:police", "sv:f:actions:done"):
        step = await officer.tap(actions, data, offers("sv:f:urgency:urgent") if data.endswith(
            "done") else (lambda m: True))
        if step is None:
            return
    confirm = await officer.tap(step, "sv:f:urgency:urgent",
                                lambda m: offers("sv:ok")(m) and tag in (m.get("text") or ""))
    if confirm is None:
        return
    receipt = await officer.tap(confirm, "sv:ok", has_text("Đã lưu sự vụ"))
    if receipt is not None:
        receipts[tag] = receipt["text"].split("Đã lưu sự vụ ", 1)[1].split(" ", 1)[0]


def stored_incidents(db_url: str) -> tuple[Counter[str], dict[str, str]]:
    from features import incidents
    from storage.crypto import FieldCipher
    from storage.db import Database

    db = Database(db_url)
    try:
        with db.unit_of_work() as s:
            views = incidents.all_views(s, FieldCipher([TEST_INCIDENT_KEY]), None)
    finally:
        db.dispose()
    tags: Counter[str] = Counter()
    numbers: dict[str, str] = {}
    for view in views:
        tag = (view.description or "").removeprefix("Sự việc ").split(" ", 1)[0]
        tags[tag] += 1
        numbers[view.number] = tag
    return tags, numbers


async def incidents_scenario(emu: BotApiEmulator, bots: Bots, args) -> dict[str, Any]:
    for uid in (COORD, ADMIN):  # the coordinator and the admin get the new incidents
        emu.api.remember_chat(private_chat(uid, "Cán bộ"))
    officer = Officer(emu, OFFICER, args.answer_within)
    receipts: dict[str, str] = {}
    tried: list[str] = []
    stop = asyncio.Event()

    async def work() -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            tag = f"S{n}"
            tried.append(tag)
            await submit_incident(officer, tag, receipts)

    worker = asyncio.create_task(work())
    await kill_loop(bots, args.kills, low=args.low, high=args.high)
    stop.set()
    await worker
    await settle(bots)
    bots.stop()
    tags, numbers = stored_incidents(bots.db_url)
    notices = Counter()
    for call in emu.api.calls:
        if call.method == "sendMessage" and int(call.params.get("chat_id") or 0) == COORD:
            for number in numbers:
                if number in (call.params.get("text") or ""):
                    notices[number] += 1
    return {
        "kills": bots.kills, "forms started": len(tried), "steps": officer.steps,
        "receipts seen": len(receipts), "incidents stored": sum(tags.values()),
        "lost (receipt, not stored)": sum(1 for tag, number in receipts.items()
                                          if numbers.get(number) != tag),
        "duplicated (stored twice)": sum(n - 1 for n in tags.values() if n > 1),
        "stored without receipt": sum(1 for tag in tags if tag not in receipts),
        "unanswered after restart": officer.unanswered,
        "unanswered steps": dict(officer.missed),
        "coordinator notices duplicated": sum(n - 1 for n in notices.values() if n > 1),
        "coordinator notices missing": sum(1 for n in numbers if notices[n] == 0),
    }


# --- reminders ---------------------------------------------------------------------------------


def lead_for_today() -> int:
    from core.clock import VN_TZ

    today = dt.datetime.now(VN_TZ).date()
    due = dt.date(today.year, *ANNUAL_DUE)
    if due < today:
        due = dt.date(today.year + 1, *ANNUAL_DUE)
    return (due - today).days


def subscribe_groups(db_url: str, groups: list[int], lead: int) -> None:
    from features import reminders as rem
    from features.permissions import Actor
    from knowledge.base import load_knowledge_base
    from storage.db import Database

    kb, db = load_knowledge_base(), Database(db_url)
    with db.unit_of_work() as session:
        for chat_id in groups:
            rem.subscribe(session, kb, Actor.command_line("bench"), chat_id, PLAN,
                          now=dt.datetime.now(dt.UTC) - dt.timedelta(days=30), lead_days=[lead])
    db.dispose()


async def reminders_scenario(emu: BotApiEmulator, bots: Bots, args, *, slots: int = 1
                             ) -> dict[str, Any]:
    groups = [FIRST_GROUP - i for i in range(args.groups)]
    for chat_id in groups:
        emu.api.remember_chat({"id": chat_id, "type": "supergroup", "title": f"Nhóm {chat_id}"})
    received: Counter[int] = Counter()
    stamps: list[float] = []
    emu.api.listeners.append(lambda call: (
        received.update([int(call.params["chat_id"])]), stamps.append(time.monotonic()))
        if call.method == "sendMessage" and int(call.params.get("chat_id") or 0) < 0 else None)
    starts: list[float] = []
    dup_per_kill: list[int] = []
    original_start = bots.start

    def start(slot: int = 0) -> subprocess.Popen:
        starts.append(time.monotonic())
        dup_per_kill.append(sum(n - 1 for n in received.values() if n > 1))
        return original_start(slot)

    bots.start = start  # type: ignore[method-assign]
    await kill_loop(bots, args.kills, low=args.low / 3, high=args.high / 3,
                    busy=lambda: bool(stamps) and time.monotonic() - stamps[-1] < 0.5,
                    slots=slots)
    for _ in range(1200):  # the rest of the fan-out (bounded: 120 s)
        if len(received) >= len(groups):
            break
        bots.check()
        await asyncio.sleep(0.1)
    await asyncio.sleep(3)  # let a late duplicate show up
    bots.stop()
    dup_per_kill.append(sum(n - 1 for n in received.values() if n > 1))
    # duplicates seen from each restart to the next start (or the end): those of each kill
    per_kill = [b - a for a, b in zip(dup_per_kill[slots:], dup_per_kill[slots + 1:],
                                      strict=False)]
    firsts = []
    for started in starts[slots:]:
        after = [s for s in stamps if s > started]
        if after:
            firsts.append(after[0] - started)
    return {
        "kills": bots.kills, "groups": len(groups), "messages": len(stamps),
        "lost (group without)": sum(1 for g in groups if received[g] == 0),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "duplicates per kill": dict(sorted(Counter(per_kill).items())),
        "restart to first reminder, median s": round(statistics.median(firsts), 2)
        if firsts else None,
        "restart to first reminder, max s": round(max(firsts), 2) if firsts else None,
    }


# --- main ----------------------------------------------------------------------------------------


async def one(scenario: str, database: str, args, tmp: Path) -> dict[str, Any]:
    url, drop = fresh_database(PG_URL if database == "postgresql" else None, tmp)
    workdir = Path(tempfile.mkdtemp(dir=tmp))
    try:
        from storage.db import Database

        db = Database(url)
        db.upgrade()
        seed_roles(db, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        db.dispose()
        env: dict[str, str] = {}
        if scenario.startswith("reminders"):
            lead = lead_for_today()
            subscribe_groups(url, [FIRST_GROUP - i for i in range(args.groups)], lead)
            env = {"REMINDER_HOUR": "0", "REMINDER_LEAD_DAYS": str(lead),
                   "INCIDENTS_ENABLED": "false"}
        async with BotApiEmulator() as emu:
            for uid in (OFFICER, OFFICER_GDDT):
                emu.api.remember_chat(private_chat(uid, "Cán bộ"))
            bots = Bots(emu, url, workdir, **env)
            try:
                if scenario == "reports":
                    out = await reports_scenario(emu, bots, args)
                elif scenario == "incidents":
                    out = await incidents_scenario(emu, bots, args)
                else:
                    out = await reminders_scenario(emu, bots, args,
                                                   slots=2 if scenario == "reminders2" else 1)
            finally:
                bots.stop()
        log = (workdir / "bot.log").read_text(errors="replace")
        out["tracebacks in the bot log"] = log.count("Traceback")
        return out
    finally:
        if drop:
            drop()


async def main(args) -> None:
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in args.scenario.split(","):
            for database in databases:
                if scenario == "reminders2" and database != "postgresql":
                    continue
                started = time.monotonic()
                out = await one(scenario, database, args, Path(tmp))
                print(f"\n{scenario} on {database} ({time.monotonic() - started:.0f} s)",
                      flush=True)
                for key, value in out.items():
                    print(f"  {key:40} {value}", flush=True)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scenario", default="reports,incidents,reminders,reminders2")
    parser.add_argument("--groups", type=int, default=1500)
    parser.add_argument("--low", type=float, default=0.5, help="least run before a kill, s")
    parser.add_argument("--high", type=float, default=4.0, help="most run before a kill, s")
    parser.add_argument("--answer-within", type=float, default=30.0,
                        help="a step without reply after this many seconds is unanswered")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    random.seed(args.seed)
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()
