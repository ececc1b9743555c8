"""``kehoach reports rates | compile | grace | exempt`` on a SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat

import pytest
import typer
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import office, reports
from core.settings import get_settings
from features import compiled, rates
from storage import audit
from storage.db import Database
from tests.support.factories import TEST_INCIDENT_KEY
from tests.support.office_kit import UNITS, at, submit, year_period

DUE = dt.date(2025, 12, 10)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``kehoach reports …`` against a fresh SQLite file, with a few reports in it."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENT_KEY", TEST_INCIDENT_KEY)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    db = Database(url)
    db.upgrade()
    for unit in UNITS[:6]:
        submit(db, unit, at(DUE, 8), period=year_period(DUE))
    submit(db, UNITS[6], at(DUE + dt.timedelta(days=2)), period=year_period(DUE))
    app = typer.Typer()
    reports.register(app)
    office.register(app)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    run.db = db  # type: ignore[attr-defined]
    yield run
    db.dispose()
    get_settings.cache_clear()


def test_rates_text_json_xlsx(cli, tmp_path):
    window = ("--from", "2025-12-01", "--to", "2025-12-31")
    out = cli("reports", "rates", "--plan", "quan3-2020", *window)
    assert "2025-12-10\tbao-cao-nam\t7/9 đơn vị đã nộp (78%), 6 đúng hạn (67%)" in out
    data = json.loads(cli("reports", "rates", "--plan", "quan3-2020", *window, "--json"))
    (occ,) = data["occurrences"]
    assert (occ["rate"], occ["on_time_rate"]) == (78, 67)
    cli("reports", "rates", "--plan", "quan3-2020", *window, "--xlsx", "ty-le.xlsx")
    book = load_workbook(tmp_path / "ty-le.xlsx")
    assert list(book["Theo kỳ"].iter_rows(min_row=2, values_only=True))[0][3:5] == (9, 7)
    formats = [e.details["format"] for e in cli.db.call(audit.list_entries,
                                                        action=rates.RATES_EXPORTED)]
    assert sorted(formats) == ["json", "text", "xlsx"]


def test_rates_of_a_plan_without_dated_deadlines(cli):
    out = cli("reports", "rates", "--plan", "cantho-2017", code=1)
    assert "kế hoạch không đặt hạn" in out


def test_grace_and_exempt_change_the_figures(cli):
    cli("reports", "grace", "--plan", "quan3-2020", "--deadline", "bao-cao-nam", "--days", "2")
    cli("reports", "exempt", "--plan", "quan3-2020", "--unit", "ubnd-phuong", "--added",
        "2026-01-01")
    out = cli("reports", "rates", "--plan", "quan3-2020", "--from", "2025-12-01", "--to",
              "2025-12-31")
    assert ("7/8 đơn vị đã nộp (88%), 7 đúng hạn (88%) — tính cả 2 ngày gia hạn; "
            "1 đơn vị được miễn") in out
    assert "không có hạn" in cli("reports", "grace", "--plan", "quan3-2020", "--deadline",
                                 "khong-co", "--days", "1", code=2)
    assert "không có đơn vị" in cli("reports", "exempt", "--plan", "quan3-2020", "--unit",
                                    "khong-co", code=2)


def test_compile_writes_a_private_docx_and_is_audited(cli, tmp_path):
    out = cli("reports", "compile", "--plan", "quan3-2020", "--deadline", "bao-cao-nam",
              "--due", "2025-12-10", "-o", "tong-hop.docx", "--office", "Sở Y tế")
    assert out.strip() == "tong-hop.docx\t7/9 đơn vị đã nộp (78%), 6 đúng hạn (67%)"
    target = tmp_path / "tong-hop.docx"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    doc = Document(io.BytesIO(target.read_bytes()))
    assert doc.tables[0].cell(0, 0).text == "SỞ Y TẾ"
    assert "4. Sự vụ về trẻ em trong kỳ" in [p.text for p in doc.paragraphs]
    (entry,) = cli.db.call(audit.list_entries, action=compiled.COMPILED)
    assert (entry.actor, entry.target) == ("cli", "quan3-2020:bao-cao-nam:2025-12-10")
    assert "Cần --deadline" in cli("reports", "compile", "--plan", "quan3-2020", code=2)
