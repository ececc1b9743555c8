"""No report text in any log line when a database write fails (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from core.texts import common as ct
from tests.support.factories import buttons_of, make_settings, text_of
from tests.support.reports_kit import OFFICER, reports_bot, seed_roles

REPORT_TEXT = "Bé Hoàng Thị Mai 7 tuổi ở số 12 đường Lê Lợi — bí mật 5f3c9a"
MARKER = "5f3c9a"
YEAR = "Báo cáo năm kết quả thực hiện kế hoạch"


def _everything_logged(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def _data(message, label_start: str) -> str:
    return next(d for label, d in buttons_of(message) if label.startswith(label_start))


async def test_a_failed_confirm_logs_no_report_text(db, kb, clock, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    settings = make_settings(admin_ids=[3001], files_dir=tmp_path / "files")
    seed_roles(db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=db, clock=clock) as bot:
        await bot.process(bot.private("/baocao"))
        menu = bot.last()
        await bot.process(bot.tap(menu, _data(menu, YEAR)))
        await bot.process(bot.private(REPORT_TEXT))
        preview = bot.last()
        # the write of the confirm fails in the database: its INSERT carries the text
        with db.engine.begin() as connection:
            cascade = " CASCADE" if db.dialect == "postgresql" else ""
            connection.execute(text(f"DROP TABLE submission_version{cascade}"))
        caplog.clear()
        preview_tap = bot.tap(preview, _data(preview, "✅"))
        await bot.process(preview_tap)
        assert text_of(bot.last(OFFICER)) == ct.ERROR_APOLOGY
    failures = [r for r in caplog.records if r.name == "bot.errors"]
    assert len(failures) == 1
    logged = _everything_logged(caplog.records)
    assert MARKER not in logged
    message = failures[0].getMessage()
    assert message.startswith(f"update {preview_tap.update_id} failed: ")
    assert "Traceback" in message  # types and frames are kept
    assert "sqlalchemy.exc." in message
    assert "Hoàng Thị Mai" not in logged
    assert "(message hidden)" in failures[0].getMessage()


def test_the_engine_hides_parameters(db):
    assert db.engine.hide_parameters is True
