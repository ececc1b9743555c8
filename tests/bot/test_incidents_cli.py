"""``kehoach incidents export | stats | purge | new-key | rotate-key`` on a SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import incidents as cli_incidents
from core.clock import VN_TZ
from core.settings import get_settings
from features import incidents
from storage import audit
from storage.crypto import FieldCipher
from storage.db import Database
from tests.support.factories import TEST_INCIDENT_KEY
from tests.support.incidents_kit import (
    OFFICER,
    OFFICER_ACTOR,
    PLANTED,
    PLANTED_MARK,
    cipher,
    draft,
)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``kehoach incidents …`` against a SQLite file holding two incidents (one old)."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENT_KEY", TEST_INCIDENT_KEY)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    db = Database(url)
    db.upgrade()
    now = dt.datetime.now(VN_TZ)
    for message_id, when in ((1, now - dt.timedelta(days=900)), (2, now)):
        db.call(incidents.create, OFFICER_ACTOR, cipher(), draft(), source_chat_id=OFFICER,
                source_message_id=message_id, now=when)
    app = typer.Typer()
    cli_incidents.register(app)
    runner = CliRunner()

    def run(*args: str, code: int = 0, stdin: str | None = None) -> str:
        result = runner.invoke(app, ["incidents", *args], input=stdin, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    run.db = db  # type: ignore[attr-defined]
    yield run
    db.dispose()
    get_settings.cache_clear()


def test_export_is_private_audited_and_without_description(cli, tmp_path) -> None:
    assert cli("export", "-o", "su-vu.xlsx").strip() == "su-vu.xlsx: 2 sự vụ"
    path = tmp_path / "su-vu.xlsx"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ws = load_workbook(path)["Sự vụ"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][1:3] == ("Quận 3 (2020)", "Phòng Y tế")  # names, not ids
    assert isinstance(rows[1][3], dt.datetime)
    assert ws["D2"].number_format == "dd/mm/yyyy"
    assert ws.auto_filter.ref.startswith("A1:")
    assert PLANTED_MARK not in repr(rows)
    [entry] = cli.db.call(audit.list_entries, action=incidents.EXPORTED)
    assert entry.actor == "cli"


def test_encrypted_export_asks_for_the_password(cli, tmp_path) -> None:
    import msoffcrypto

    out = cli("export", "-o", "kin.xlsx", "--with-description", "--encrypt",
              stdin="mat-khau-123\nmat-khau-123\n")
    assert "(đã mã hóa)" in out
    office = msoffcrypto.OfficeFile(io.BytesIO((tmp_path / "kin.xlsx").read_bytes()))
    office.load_key(password="mat-khau-123")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert PLANTED in repr(list(load_workbook(plain)["Sự vụ"].iter_rows(values_only=True)))
    cli("export", "-o", "x.xlsx", "--encrypt", stdin="short\nshort\n", code=2)


def test_stats_and_purge(cli) -> None:
    counts = json.loads(cli("stats", "--json"))
    assert counts["total"] == 2
    assert counts["by_kind"] == {"Bạo lực": 2}
    assert counts["by_place"] == {"Phường 5": 2}
    assert "Theo xã/phường" in cli("stats", "--min-count", "3")
    assert cli("purge").startswith("Đã ẩn danh 1 sự vụ")
    assert cli("purge").startswith("Đã ẩn danh 0 sự vụ")
    assert cli("purge", "--delete", "--yes").startswith("Đã xóa 1 sự vụ")
    assert json.loads(cli("stats", "--json"))["total"] == 1


def test_new_key_and_rotation(cli, monkeypatch) -> None:
    key = cli("new-key").strip()
    FieldCipher([key])  # a valid key
    monkeypatch.setenv("INCIDENT_KEY", f"{key},{TEST_INCIDENT_KEY}")
    get_settings.cache_clear()
    assert cli("rotate-key").strip() == "Đã mã hóa lại 2 sự vụ bằng khóa mới."
    views = cli.db.call(incidents.all_views, FieldCipher([key]), None)
    assert [v.description for v in views] == [PLANTED, PLANTED]


def test_missing_key_is_refused(cli, monkeypatch) -> None:
    monkeypatch.setenv("INCIDENT_KEY", "")
    get_settings.cache_clear()
    cli("stats", code=2)


def test_a_wrong_key_after_a_rotation_is_said_not_a_traceback(cli, monkeypatch) -> None:
    from storage.crypto import generate_key

    monkeypatch.setenv("INCIDENT_KEY", generate_key())  # the old key left out
    get_settings.cache_clear()
    for args in (("stats",), ("export", "-o", "x.xlsx")):
        out = cli(*args, code=2)
        assert "INCIDENT_KEY không mở được dữ liệu sự vụ đã lưu" in out
        assert "Traceback" not in out
