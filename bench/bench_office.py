"""Benchmark: the coordinating office's rates and compile, 1,000 units × 12 occurrences.

A plan of 1,000 units with 12 monthly deadlines (2026), every unit a submitter of each
(``tests.support.office_kit.big_plan``); 90% of the units report each month (one in seven
late), each report ~1,900 characters over 20 lines, one in five with an attachment: 10,800
reports stored straight into the tables. One more occurrence has all 1,000 units reporting,
for the compile.
Measured, median of ``--reps`` runs:

- **rates, one occurrence** — ``rates.occurrence_rate`` (what ``/tinhhinh`` adds per period);
- **trend, 12 occurrences** — ``rates.export_trend`` (what ``kehoach reports rates`` and
  ``/tinhhinh xuhuong`` compute; audited) and the chart (``trend_png``) and ``trend_xlsx``;
- **compile, 1,000 submissions** — ``compiled.compile_report`` (database) and
  ``compiled_docx.render_docx`` (Word), target under 10 s together.

Usage: ``python bench/bench_office.py [--reps 3] [--sqlite-only]``. PostgreSQL:
``DATABASE_URL_TEST`` or postgresql://postgres@127.0.0.1:5432/test (a fresh schema, dropped
afterwards); skipped when unreachable. Prints a Markdown table for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.clock import VN_TZ  # noqa: E402
from features import compiled, compiled_docx, rate_exports, rates  # noqa: E402
from features.permissions import Actor  # noqa: E402
from knowledge.base import load_knowledge_base  # noqa: E402
from knowledge.schema import DateRule, Deadline  # noqa: E402
from storage.db import Database, normalise_url  # noqa: E402
from tests.support.office_kit import big_plan, bulk_submit  # noqa: E402

UNITS, MONTHS = 1000, 12
TEXT = "\n".join(f"{i}. Đã triển khai tuyên truyền phòng, chống xâm hại trẻ em tại các thôn, "
                 "tổ dân phố; 😀 <b>kết quả</b> đạt yêu cầu." for i in range(1, 21))
NOW = dt.datetime(2026, 12, 31, 9, 0, tzinfo=VN_TZ)
CLI = Actor.command_line("bench")


def pg_schema_url() -> tuple[str, str, str] | None:
    """A URL on a fresh schema of the test PostgreSQL server, or None when unreachable."""
    import psycopg

    base = normalise_url(os.environ.get("DATABASE_URL_TEST")
                         or "postgresql://postgres@127.0.0.1:5432/test")
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError:
        return None
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), admin, schema


def timed(fn, reps: int) -> tuple[float, object]:
    """Median seconds of ``reps`` calls, and the last result."""
    times, result = [], None
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(url: str, reps: int) -> dict[str, float]:
    kb = load_knowledge_base()
    big = big_plan(kb, units=UNITS, months=MONTHS)
    plan = big.get("lon-2026")
    full = plan.model_copy(deep=True)
    extra = Deadline(id="bao-cao-nam", title="Báo cáo năm 2026", section="VI", line=1,
                     rule=DateRule(kind="once", date=dt.date(2026, 12, 20), text="20/12/2026"),
                     submitters=[u.id for u in plan.units], submitters_text="các xã",
                     recipient="Ủy ban nhân dân tỉnh", via="Sở Y tế", text="Báo cáo năm.")
    full.deadlines = [*plan.deadlines, extra]
    big.add(full, [])
    db = Database(url)
    db.upgrade()
    try:
        start = time.perf_counter()
        stored = bulk_submit(db, plan, share=0.9, text=TEXT)
        yearly = full.model_copy(update={"deadlines": [extra]})
        stored += bulk_submit(db, yearly, share=1.0, text=TEXT, start_number=stored + 1)
        seed_s = time.perf_counter() - start
        period = rates.dated_periods(full, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        month = next(p for p in period if p.deadline_id == "bao-cao-thang-06")
        year = next(p for p in period if p.deadline_id == "bao-cao-nam")
        today = NOW.date()
        one_s, one = timed(lambda: db.call(rates.occurrence_rate, big, month, today), reps)
        trend_s, trend = timed(lambda: db.call(
            rates.export_trend, CLI, big, full.id, now=NOW, fmt="bench",
            deadline_ids=[d.id for d in plan.deadlines], last=MONTHS), reps)
        png_s, _ = timed(lambda: rate_exports.trend_png(trend, heading="tỉnh Lớn"), reps)
        xlsx_s, _ = timed(lambda: rate_exports.trend_xlsx(trend, title="tỉnh Lớn"), reps)
        gather_s, content = timed(
            lambda: db.call(compiled.compile_report, CLI, big, year, now=NOW), reps)
        render_s, data = timed(lambda: compiled_docx.render_docx(content), reps)
        assert len(trend.occurrences) == MONTHS
        assert (one.expected, one.received) == (UNITS, int(UNITS * 0.9))
        assert len(content.reports) == UNITS
        return {"stored": stored, "seed_s": seed_s, "one_ms": one_s * 1000,
                "trend_ms": trend_s * 1000, "png_ms": png_s * 1000, "xlsx_ms": xlsx_s * 1000,
                "gather_s": gather_s, "render_s": render_s,
                "compile_s": gather_s + render_s, "docx_kb": len(data) / 1024}
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite (WAL)", run(f"sqlite:///{tmp}/bench.db", args.reps)))
    pg = None if args.sqlite_only else pg_schema_url()
    if pg is not None:
        url, admin, schema = pg
        try:
            rows.append(("PostgreSQL", run(url, args.reps)))
        finally:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    elif not args.sqlite_only:
        print("PostgreSQL not reachable: skipped")
    print(f"Measured {dt.date.today():%Y-%m-%d} on {platform.machine()}, "  # noqa: DTZ011
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, median of {args.reps}:")
    print("| database | reports stored | rates, 1 occurrence ms | trend, 12 occurrences ms "
          "| chart ms | .xlsx ms | compile: database s | compile: .docx s | compile total s "
          "| .docx KB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        ok = "✔" if r["compile_s"] < 10 else "✘"
        print(f"| {name} | {r['stored']:,} | {r['one_ms']:.0f} | {r['trend_ms']:.0f} | "
              f"{r['png_ms']:.0f} | {r['xlsx_ms']:.0f} | {r['gather_s']:.2f} | "
              f"{r['render_s']:.2f} | {r['compile_s']:.2f} {ok} | {r['docx_kb']:.0f} |")


if __name__ == "__main__":
    main()
