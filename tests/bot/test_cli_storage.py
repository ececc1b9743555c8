"""``kehoach db | users | reports | audit`` on a SQLite file."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import admin, reports as cli_reports
from core.clock import VN_TZ
from core.settings import get_settings
from features import registry, reports
from features.permissions import Actor
from storage.db import Database

# 22/11/2026 09:00 in Asia/Ho_Chi_Minh, as a spreadsheet holds it (no time zone).
LOCAL_NOON = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).replace(tzinfo=None)

NOW = dt.datetime(2026, 11, 22, 9, tzinfo=VN_TZ)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``kehoach …`` storage commands against a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    app = typer.Typer()
    admin.register(app)
    cli_reports.register(app)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run.url = url  # type: ignore[attr-defined]
    yield run
    get_settings.cache_clear()


def test_db_upgrade_then_users(cli):
    assert cli("db", "upgrade").strip().endswith(f"cli.db: {Database(cli.url).current_revision()}")
    db = Database(cli.url)
    with db.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=11, plan_id="quan3-2020",
                                       unit_id="phong-yte", now=NOW, full_name="Trần Y")
    assert f"#{reg.id}\t11\tTrần Y\tquan3-2020\tphong-yte\tofficer\tpending" in cli(
        "users", "list", "--status", "pending")
    assert cli("users", "approve", str(reg.id)).strip().splitlines() == [
        f"Đã duyệt đăng ký #{reg.id}.", "Không nhắn cho người đó: chưa đặt TELEGRAM_BOT_TOKEN."]
    runner = CliRunner()
    app = typer.Typer()
    admin.register(app)
    cli_reports.register(app)
    again = runner.invoke(app, ["users", "approve", str(reg.id)])
    assert again.exit_code == 1
    assert "đã được xử lý (đã duyệt)" in again.output
    assert cli("users", "grant", "22", "--plan", "quan3-2020", "--name", "Hùng").splitlines()[0] \
        .endswith("22 điều phối quan3-2020")
    assert "coordinator\tapproved" in cli("users", "list", "--role", "coordinator")
    assert cli("users", "revoke", "22", "--plan", "quan3-2020").splitlines()[0] \
        == "Đã thu hồi 1 quyền."
    lines = cli("audit", "list").strip().splitlines()
    assert [line.split("\t")[2] for line in lines] == [
        "role.revoked", "role.granted", "registration.approved", "registration.requested"
    ]
    assert lines[0].split("\t")[1] == "cli"
    assert cli("audit", "list", "--action", "role.").count("\n") == 2
    db.dispose()


def test_reports_list_and_export(cli, tmp_path):
    cli("db", "upgrade")
    db = Database(cli.url)
    with db.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=11, plan_id="quan3-2020",
                                       unit_id="phong-yte", now=NOW, full_name="Trần Thị Y")
        registry.decide(s, Actor.command_line("test"), reg.id, approve=True, now=NOW)
        period = reports.Period("quan3-2020", "bao-cao-nam", dt.date(2026, 12, 10),
                                "Báo cáo năm kết quả thực hiện kế hoạch")
        reports.submit(s, Actor(11, officer_of=("quan3-2020", "phong-yte")),
                       plan_id="quan3-2020", unit_id="phong-yte", period=period,
                       text="Nội dung, có dấu phẩy", file=None, submitter_name="Y",
                       now=NOW)
    db.dispose()
    listed = cli("reports", "list", "--plan", "quan3-2020")
    assert listed.startswith("BC-2026-0001\t2026-11-22 09:00\tphong-yte\tbao-cao-nam\t2026-12-10")
    out = cli("reports", "export", "--plan", "quan3-2020", "--deadline", "bao-cao-nam",
              "--due", "2026-12-10", "--format", "csv").strip()
    assert out == "bao-cao-quan3-2020-bao-cao-nam-2026-12-10.csv"
    rows = list(csv.reader(io.StringIO((tmp_path / out).read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Đơn vị", "Tình trạng"]
    yte = next(r for r in rows if r[0] == "Phòng Y tế")
    assert yte[1:3] == ["Đúng hạn", "22/11/2026 09:00"]
    assert yte[3:] == ["BC-2026-0001", "1", "Trần Thị Y", "Nội dung, có dấu phẩy", ""]
    target = tmp_path / "all.xlsx"
    cli("reports", "export", "--plan", "quan3-2020", "--format", "xlsx", "-o", str(target))
    ws = load_workbook(target)["Báo cáo"]
    assert ws["A2"].value == "Báo cáo năm kết quả thực hiện kế hoạch"
    assert ws["B2"].value == dt.datetime.combine(dt.date(2026, 12, 10), dt.time())
    assert ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["C2"].value == "Phòng Y tế"
    assert ws["D2"].value == "Đúng hạn"
    assert ws["E2"].value == LOCAL_NOON
    assert ws["E2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["F2"].value == "BC-2026-0001"
    assert ws["H2"].value == "Trần Thị Y"
    assert ws.auto_filter.ref == "A1:J2"
    assert "reports.exported" in cli("audit", "list", "--plan", "quan3-2020")


async def test_cli_decisions_and_roles_tell_the_person_like_the_chat(cli, monkeypatch):
    """approve, approve --refuse --reason, grant and revoke send the chat's own messages."""
    import asyncio

    from core.texts import registration as t
    from tests.support.emulator import TOKEN, BotApiEmulator
    from tests.support.factories import private_chat

    cli("db", "upgrade")
    db = Database(cli.url)
    with db.unit_of_work() as s:
        first = registry.request_officer(s, telegram_id=11, plan_id="quan3-2020",
                                         unit_id="phong-yte", now=NOW, full_name="Trần Y")
        second = registry.request_officer(s, telegram_id=12, plan_id="quan3-2020",
                                          unit_id="phong-gddt", now=NOW, full_name="Lê Hà")
    db.dispose()
    async with BotApiEmulator() as emu:
        for uid in (11, 12, 22):
            emu.api.remember_chat(private_chat(uid, "Cán bộ"))
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_BASE_URL", emu.base_url)
        get_settings.cache_clear()
        out = await asyncio.to_thread(cli, "users", "approve", str(first.id))
        assert t.CLI_TOLD["sent"] in out
        await asyncio.to_thread(cli, "users", "approve", str(second.id), "--refuse",
                                "--reason", "Sai đơn vị")
        await asyncio.to_thread(cli, "users", "grant", "22", "--plan", "quan3-2020")
        await asyncio.to_thread(cli, "users", "revoke", "11", "--plan", "quan3-2020")
        told = {uid: [m["text"] for m in emu.api.sent_messages(uid)] for uid in (11, 12, 22)}
    assert told[11] == [
        "Yêu cầu đăng ký của bạn đã được duyệt: bạn là cán bộ của Phòng Y tế, Quận 3 (2020). "
        "Gõ /baocao để gửi báo cáo của đơn vị.",
        "Quyền cán bộ của bạn trong kế hoạch Quận 3 (2020) đã được thu hồi. "
        "Nếu có nhầm lẫn, bạn hãy liên hệ quản trị viên.",
    ]
    assert told[12][0].startswith("Yêu cầu đăng ký làm cán bộ của Phòng Giáo dục")
    assert told[12][0].endswith("\nLý do: Sai đơn vị")
    assert told[22] == [t.NOTIFY_GRANTED.format(plan="Quận 3 (2020)")]


def test_users_list_refuses_an_unknown_status_or_role(cli):
    cli("db", "upgrade")
    app = typer.Typer()
    admin.register(app)
    cli_reports.register(app)
    got = CliRunner().invoke(app, ["users", "list", "--status", "pendng"])
    assert got.exit_code == 2
    assert "Không có trạng thái “pendng”. Các trạng thái: pending" in got.output
    assert CliRunner().invoke(app, ["users", "list", "--role", "boss"]).exit_code == 2
