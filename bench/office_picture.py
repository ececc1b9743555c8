"""The picture of the trend chart in ``docs/huong-dan.md``: drawn by the assistant's own code.

Seeds a temporary SQLite database with plausible reports of Quận 3 (the yearly and 6-month
reports of 2023–2026: most units on time, Phòng Tư pháp often late, the wards' committee often
missing), then draws :func:`features.rate_exports.trend_png` of the last 6 occurrences into
``docs/xu-huong-nop-bao-cao.png``. Usage: ``python bench/office_picture.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from features import rate_exports, rates  # noqa: E402
from knowledge.base import load_knowledge_base  # noqa: E402
from storage.db import Database  # noqa: E402
from tests.support.office_kit import PLAN, UNITS, at, submit  # noqa: E402

TARGET = ROOT / "docs" / "xu-huong-nop-bao-cao.png"
TODAY = dt.date(2026, 11, 22)


def main() -> None:
    kb = load_knowledge_base()
    plan = kb.get(PLAN)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/picture.db")
        db.upgrade()
        periods = rates.dated_periods(plan, dt.date(2023, 1, 1), TODAY)
        periods = [p for p in periods if p.deadline_id in ("bao-cao-nam", "bao-cao-6-thang")]
        for n, period in enumerate(periods):
            assert period.due_date is not None
            for i, unit in enumerate(UNITS):
                if unit == "ubnd-phuong" and n % 3 != 2:
                    continue  # the wards' committee: mostly missing
                late = unit == "phong-tu-phap" and n % 2 == 0 or (i + n) % 11 == 0
                if n < 2 and i % 4 == 0:
                    late = True  # worse at the start
                days = 3 if late else -2
                submit(db, unit, at(period.due_date + dt.timedelta(days=days)), period=period)
        trend = db.call(rates.trend, kb, PLAN, today=TODAY, last=6,
                        deadline_ids=["bao-cao-nam", "bao-cao-6-thang"])
        db.dispose()
    heading = "Xu hướng nộp báo cáo — Quận 3 (2020)"
    TARGET.write_bytes(rate_exports.trend_png(trend, heading=heading))
    print(TARGET)


if __name__ == "__main__":
    main()
