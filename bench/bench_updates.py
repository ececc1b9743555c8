"""Benchmark: question updates through the real bot, ``Application.process_update``.

The bot is built by ``build_application`` with the in-process Bot API (no network) and the
real engine, knowledge base and a SQLite database; each update is a private-chat question from
one of many users, so it goes through the plan look-up (one ``db.run``), the engine, the
rendering and ``sendMessage``. Prints updates/s and the p50/p99 latency of one update, and
writes them to ``docs/benchmarks.md`` (section "Bot: questions through process_update").

Usage: ``python bench/bench_updates.py [-n 3000] [--no-write] [--shared]`` (``--shared``: as
one of several webhook workers, every in-process state read through the database).
Targets: >= 500 updates/s on 2 cores, p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402

from bot.app import build_application, running  # noqa: E402
from bot.local_api import LocalBotApi, LocalRequest  # noqa: E402
from core.clock import VN_TZ, FixedClock  # noqa: E402
from core.settings import Settings  # noqa: E402
from knowledge.base import load_knowledge_base  # noqa: E402
from storage.chats import set_chat_plan  # noqa: E402
from storage.db import Database  # noqa: E402

QUESTIONS = [
    "Ai chủ trì tổ chức Tháng hành động vì trẻ em?",
    "Hạn báo cáo 6 tháng là ngày nào?",
    "Phòng Giáo dục và Đào tạo có nhiệm vụ gì?",
    "Đường dây nóng bảo vệ trẻ em là số nào?",
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
    "Chỉ tiêu giảm tỷ lệ trẻ em bị xâm hại là bao nhiêu?",
    "Công an có trách nhiệm gì trong phòng chống xâm hại trẻ em?",
    "hạn báo cáo năm",
    "ai phoi hop voi phong lao dong",
    "Kế hoạch do ai ký?",
]
USERS = 200
TARGET_RATE = 500
TARGET_P99_MS = 20
SECTION = "## Bot: questions through process_update"


class TimedDatabase(Database):
    """The database, counting ``run`` calls (round trips to the worker thread) and their time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.runs = 0
        self.seconds = 0.0

    async def run(self, fn, /, *args, **kwargs):  # noqa: D102
        t0 = time.perf_counter()
        try:
            return await super().run(fn, *args, **kwargs)
        finally:
            self.runs += 1
            self.seconds += time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0–1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def bench(n: int, db_path: Path, *, shared: bool = False, prefetch: bool = True
                ) -> dict[str, float]:
    """Run ``n`` question updates; return the figures."""
    kb = load_knowledge_base()
    db = TimedDatabase(f"sqlite:///{db_path}")
    clock = FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ))
    settings = Settings(_env_file=None, telegram_bot_token=None, incidents_enabled=False,
                        database_url=f"sqlite:///{db_path}")
    api = LocalBotApi()
    app = build_application(settings, kb=kb, db=db, clock=clock, request=LocalRequest(api),
                            get_updates_request=LocalRequest(api), rate_limit=False)
    plan_ids = list(kb.plans)
    latencies: list[float] = []
    async with running(app):
        if shared:  # one of several webhook workers: every in-process state read through
            from bot.webhook import share_state

            share_state(app)
            app.prefetch = prefetch  # False: the three reads one by one (before issue 16's)
        for uid in range(1, USERS + 1):  # half the users have chosen a plan
            if uid % 2:
                db.call(set_chat_plan, uid, plan_ids[uid % len(plan_ids)], chat_type="private")
        updates = []
        for i in range(n + 50):
            uid = i % USERS + 1
            who = {"id": uid, "is_bot": False, "first_name": f"Cán bộ {uid}"}
            chat = {"id": uid, "type": "private", "first_name": who["first_name"]}
            data = api.user_message(chat, who, QUESTIONS[i % len(QUESTIONS)])
            updates.append(Update.de_json(data, app.bot))
        warm_up, updates = updates[:50], updates[50:]  # an update id is processed once
        for update in warm_up:  # warm-up: engine index, connections
            await app.process_update(update)
        api.calls.clear()
        db.runs, db.seconds = 0, 0.0
        start, cpu_start = time.perf_counter(), time.process_time()
        for update in updates:
            t0 = time.perf_counter()
            await app.process_update(update)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    replies = sum(1 for c in api.calls if c.method == "sendMessage")
    if replies < n:
        raise SystemExit(f"only {replies} replies to {n} questions")
    return {
        "n": n, "rate": n / elapsed, "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000, "mean": statistics.fmean(latencies) * 1000,
        "db_runs": db.runs / n, "db_ms": db.seconds / n * 1000,
        "cpu_ms": cpu / n * 1000,  # the process's CPU (all threads) per update: less noisy
    }


def report(figures: dict[str, float]) -> str:
    """The Markdown section of docs/benchmarks.md."""
    ok_rate = "✔" if figures["rate"] >= TARGET_RATE else "✘"
    ok_p99 = "✔" if figures["p99"] <= TARGET_P99_MS else "✘"
    return (
        f"{SECTION}\n\n"
        "`python bench/bench_updates.py`: private-chat questions from 200 users (half with a\n"
        "chosen plan) through `Application.process_update` of the app `build_application`\n"
        "makes — every feature's handlers registered — with the in-process Bot API (no network,\n"
        "no rate limiter), the real engine and SQLite, one update after the other.\n\n"
        f"Measured {dt.datetime.now(VN_TZ):%Y-%m-%d} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}:\n\n"
        "| updates | updates/s | p50 ms | p99 ms | mean ms | db.run per update | ms in db.run "
        "| targets |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---|\n"
        f"| {figures['n']:.0f} | {figures['rate']:.0f} | {figures['p50']:.2f} | "
        f"{figures['p99']:.2f} | {figures['mean']:.2f} | {figures['db_runs']:.2f} | "
        f"{figures['db_ms']:.2f} | ≥ {TARGET_RATE}/s {ok_rate}, "
        f"p99 ≤ {TARGET_P99_MS} ms {ok_p99} |\n\n"
        "A `db.run` is one unit of work in a worker thread (`asyncio.to_thread`); the chat's\n"
        "plan is cached by the bot after its first read, so the database round trips left per\n"
        "question are those of the handlers that look at every private message before the\n"
        "question handler (see `bot/handlers/__init__.py` for the order).\n"
    )


def write_section(path: Path, section: str) -> None:
    """Replace (or add) this benchmark's section of ``path``, leaving the others alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    """Run the benchmark, print the figures, write them to docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="number of question updates")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    parser.add_argument("--shared", action="store_true",
                        help="as one of several webhook workers (state read through); "
                             "implies --no-write")
    args = parser.parse_args()
    if args.shared:  # before/after in one run, alternated: three reads, then one prefetch
        for round_ in range(2):
            for prefetch in (False, True):
                with tempfile.TemporaryDirectory() as tmp:
                    f = asyncio.run(bench(args.n, Path(tmp) / "bench.db", shared=True,
                                          prefetch=prefetch))
                print(f"round {round_ + 1}, {'one prefetch' if prefetch else 'three reads '}: "
                      f"{f['rate']:.0f} updates/s, p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms,"
                      f" {f['db_runs']:.2f} db.run per update, {f['db_ms']:.2f} ms in them,"
                      f" {f['cpu_ms']:.2f} ms CPU per update")
        return
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(bench(args.n, Path(tmp) / "bench.db", shared=args.shared))
    print(f"{figures['n']:.0f} updates: {figures['rate']:.0f} updates/s, "
          f"p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms, "
          f"mean {figures['mean']:.2f} ms; {figures['db_runs']:.2f} db.run per update, "
          f"{figures['db_ms']:.2f} ms in them")
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", report(figures))


if __name__ == "__main__":
    main()
