"""Benchmark: the seeded fuzz of ``tests/test_fuzz_updates.py`` at 100,000 updates (not in CI).

The same generator, the same checking Bot API and the real application as the 10,000-update
test of ``make test``; prints the error-handler calls, the calls Telegram would refuse, the time
and the process's peak RSS.

    .venv/bin/python bench/bench_fuzz.py [-n 100000] [--seed 16]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.clock import VN_TZ, FixedClock  # noqa: E402
from knowledge.base import load_knowledge_base  # noqa: E402
from storage.db import Database  # noqa: E402
from tests.bot.test_fuzz_updates import run_fuzz  # noqa: E402
from tests.support.factories import make_settings  # noqa: E402
from tests.support.reports_kit import ADMIN  # noqa: E402


async def main(args: argparse.Namespace) -> None:
    kb = load_knowledge_base()
    clock = FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ))
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'fuzz.db'}")
        db.upgrade()
        settings = make_settings(admin_ids=[ADMIN], files_dir=Path(tmp) / "files", max_file_mb=1)
        started = time.perf_counter()
        errors, refused, calls = await run_fuzz(settings, kb=kb, db=db, clock=clock,
                                                updates=args.n, seed=args.seed)
        took = time.perf_counter() - started
        db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"updates {args.n}, seed {args.seed}: error-handler calls {len(errors)}, "
          f"refused calls {len(refused)}, Bot API calls {calls}, {took:.0f} s, "
          f"peak RSS {peak:.0f} MB")
    for line, count in collections.Counter(errors).most_common(10):
        print(f"  {count} x {line}")
    for line, count in collections.Counter(refused).most_common(10):
        print(f"  {count} x {line}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=16)
    asyncio.run(main(parser.parse_args()))
