"""The one bootstrap of ``kehoach`` (bot/cli/): where settings and data come from, the database
refused or migrated, exit codes, and Typer's help and errors in Vietnamese."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import cli
from core.settings import get_settings, load_settings
from features import registry
from storage.db import Database
from tests.support.factories import TEST_INCIDENT_KEY

REPO = Path(__file__).resolve().parents[2]
PLAN = "quan3-2020"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``kehoach …`` with its database in a SQLite file that does not exist yet."""
    cli._register_all()
    path = tmp_path / "home" / "data" / "k.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("INCIDENT_KEY", TEST_INCIDENT_KEY)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(cli.app, list(args))
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result

    invoke.path = path  # type: ignore[attr-defined]
    yield invoke
    get_settings.cache_clear()


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]


# --- the database: refused when reading, migrated when writing --------------------------------


def test_a_read_command_refuses_a_missing_database_and_creates_nothing(run) -> None:
    got = run("users", "list")
    assert got.exit_code == 1
    assert "Chưa có cơ sở dữ liệu" in got.stderr
    assert "kehoach db upgrade" in got.stderr
    assert "KEHOACH_HOME" in got.stderr
    assert not run.path.exists()
    assert not run.path.parent.exists()
    assert not (Path.cwd() / "data").exists()


def test_a_read_command_refuses_a_database_without_tables(run) -> None:
    run.path.parent.mkdir(parents=True)
    sqlite3.connect(run.path).close()  # an empty file, as the old CLI left behind
    for args in (("users", "list"), ("audit", "list"), ("groups", "list"),
                 ("reports", "list", "--plan", PLAN), ("questions", "unanswered")):
        got = run(*args)
        assert got.exit_code == 1, (args, got.output)
        assert "Chưa có cơ sở dữ liệu" in got.stderr
    assert _tables(run.path) == []


def test_a_write_command_migrates_a_new_database(run) -> None:
    got = run("users", "grant", "22", "--plan", PLAN, "--name", "Hùng")
    assert got.exit_code == 0, got.output
    assert "22 điều phối quan3-2020" in got.stdout
    assert "registration" in _tables(run.path)
    listed = run("users", "list")
    assert listed.exit_code == 0
    assert "coordinator\tapproved" in listed.stdout


def test_ask_and_plans_open_no_database(run) -> None:
    assert run("ask", "Hạn báo cáo năm của Quận 3?", "--today", "2026-11-22").exit_code == 0
    assert run("plans", "list").exit_code == 0
    assert run("deadlines", "--plan", PLAN).exit_code == 0
    assert not run.path.parent.exists()


# --- settings from the home folder, not the current directory ----------------------------------


def test_settings_come_from_the_home_folder(tmp_path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".env").write_text("DATABASE_URL=sqlite:///data/k.db\nFILES_DIR=tep\n"
                               "PLANS_DIR=ke-hoach\nREMINDER_HOUR=9\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".env").write_text("REMINDER_HOUR=6\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    for name in ("DATABASE_URL", "FILES_DIR", "PLANS_DIR", "REMINDER_HOUR"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(home)
    assert settings.database_url == f"sqlite:///{home / 'data' / 'k.db'}"
    assert settings.files_dir == home / "tep"
    assert settings.plans_dir == home / "ke-hoach"
    assert settings.reminder_hour == 9  # the home's .env, not the current directory's
    monkeypatch.setenv("KEHOACH_HOME", str(home))
    get_settings.cache_clear()
    try:
        assert get_settings().database_url == settings.database_url
    finally:
        get_settings.cache_clear()


def test_absolute_and_memory_urls_are_kept(tmp_path) -> None:
    from core.settings import Settings

    for url in ("sqlite://", "sqlite:///:memory:", f"sqlite:///{tmp_path}/a.db",
                "postgresql://u@127.0.0.1/k"):
        assert Settings(_env_file=None, database_url=url).at_home(tmp_path).database_url == url


def _without_settings() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("KEHOACH_HOME", "DATABASE_URL", "FILES_DIR", "PLANS_DIR", "TELEGRAM_BOT_TOKEN"):
        env.pop(name, None)
    return env


def _kehoach() -> list[str]:
    script = REPO / ".venv" / "bin" / "kehoach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def test_users_list_from_another_folder_with_kehoach_home(tmp_path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = {**_without_settings(), "KEHOACH_HOME": str(home)}
    first = subprocess.run([*_kehoach(), "users", "list"], cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=180, check=False)
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert str(home / "data" / "kehoach.db") in first.stderr
    assert list(cwd.iterdir()) == []
    assert list(home.iterdir()) == []  # nothing half-created
    subprocess.run([*_kehoach(), "db", "upgrade"], cwd=cwd, env=env, capture_output=True,
                   text=True, timeout=180, check=True)
    again = subprocess.run([*_kehoach(), "users", "list"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=180, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "(không có)"
    assert (home / "data" / "kehoach.db").exists()
    assert list(cwd.iterdir()) == []


def test_users_list_outside_the_repository_creates_no_stray_database(tmp_path) -> None:
    installed = REPO / "data" / "kehoach.db"
    existed = installed.exists()
    got = subprocess.run([*_kehoach(), "users", "list"], cwd=tmp_path, env=_without_settings(),
                         capture_output=True, text=True, timeout=180, check=False)
    assert "Traceback" not in got.stderr
    assert list(tmp_path.iterdir()) == []  # no data/kehoach.db in the current folder
    assert installed.exists() == existed
    assert got.returncode in ((0, 1) if existed else (1,)), got.stderr


# --- Vietnamese help and errors, one exit-code convention ------------------------------------


def test_help_and_usage_errors_are_vietnamese(run) -> None:
    top = run("--help")
    assert top.exit_code == 0
    assert "Tùy chọn" in top.stdout
    assert "Lệnh" in top.stdout
    assert "Xem hướng dẫn này rồi thoát." in top.stdout
    for args in (("plans", "list", "--help"), ("ingest", "--help"), ("users", "list", "--help")):
        shown = run(*args)
        assert shown.exit_code == 0
        assert "<bool>" not in shown.stdout
        assert "Show this message" not in shown.stdout
        assert "Cách dùng:" in shown.stdout
    bad = run("users", "list", "--bogus")
    assert bad.exit_code == 2
    assert "Không có tùy chọn --bogus." in bad.output
    missing = run("groups", "subscribe", "-1001")
    assert missing.exit_code == 2
    assert "Thiếu tùy chọn --plan." in missing.output
    typed = run("reminders", "preview", "--days", "x")
    assert typed.exit_code == 2
    assert "Giá trị không hợp lệ cho --days" in typed.output


def test_exit_codes(run) -> None:
    """0 done; 1 refused by the data; 2 what was given is wrong (README, "The command line")."""
    assert run("users", "approve", "7").exit_code == 2  # no registration #7
    db = Database(f"sqlite:///{run.path}")
    import datetime as dt

    from core.clock import VN_TZ

    now = dt.datetime(2026, 11, 22, 9, tzinfo=VN_TZ)
    with db.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=11, plan_id=PLAN, unit_id="phong-yte",
                                       now=now, full_name="Trần Y")
    db.dispose()
    done = run("users", "approve", str(reg.id))
    assert done.exit_code == 0
    assert done.stdout.splitlines()[0] == f"Đã duyệt đăng ký #{reg.id}."
    again = run("users", "approve", str(reg.id))
    assert again.exit_code == 1
    assert "đã được xử lý (đã duyệt)" in again.stderr
    assert run("users", "list", "--plan", "khong-co").exit_code == 2
    assert run("users", "revoke", "11", "--plan", PLAN, "--role", "boss").exit_code == 2


def test_a_plan_can_be_named_by_its_place(run) -> None:
    granted = run("users", "grant", "22", "--plan", "Hải Phòng")
    assert granted.stdout.splitlines()[0].endswith("22 điều phối haiduong-2017")
    listed = run("users", "list", "--plan", "haiduong-2017").stdout
    assert "\thaiduong-2017\t" in listed


def test_an_unknown_deadline_says_it_does_not_exist(run) -> None:
    run("db", "upgrade")
    for args in (("reports", "list", "--plan", PLAN, "--deadline", "bao-cao-quy"),
                 ("reports", "export", "--plan", PLAN, "--deadline", "bao-cao-quy"),
                 ("reports", "grace", "--plan", PLAN, "--deadline", "bao-cao-quy", "--days", "1")):
        got = run(*args)
        assert got.exit_code == 2, (args, got.output)
        assert f"Kế hoạch {PLAN} không có hạn “bao-cao-quy”" in got.stderr
        assert "bao-cao-nam" in got.stderr  # the plan's deadlines are listed
    subscribed = run("groups", "subscribe", "-1001", "--plan", PLAN, "--deadline", "bao-cao-quy")
    assert subscribed.exit_code == 2
    assert "các hạn: " in subscribed.stderr
    assert "bao-cao-nam" in subscribed.stderr


def test_groups_list_says_why_a_group_is_off_in_vietnamese(run) -> None:
    assert run("groups", "subscribe", "-1001", "--plan", PLAN).exit_code == 0
    assert run("groups", "unsubscribe", "-1001").exit_code == 0
    listing = run("groups", "list", "--all").stdout
    assert "\ttắt (đã hủy đăng ký)\t" in listing
    assert "unsubscribed" not in listing


def test_ingest_quiet_prints_only_the_paths(run, tmp_path) -> None:
    from knowledge.base import DEFAULT_PLANS_DIR

    source = tmp_path / "ke-hoach.txt"
    source.write_text((DEFAULT_PLANS_DIR / "cantho-2017.txt").read_text(encoding="utf-8"),
                      encoding="utf-8")
    got = run("ingest", str(source), "--id", "cantho-2017", "-o", str(tmp_path / "out"), "-q")
    assert got.exit_code == 0, got.output
    assert got.stdout.splitlines() == [str(tmp_path / "out" / "cantho-2017.yaml"),
                                       str(tmp_path / "out" / "cantho-2017.txt")]


def test_the_incident_key_is_checked_before_anything_is_read(run, monkeypatch) -> None:
    monkeypatch.setenv("INCIDENT_KEY", "")
    get_settings.cache_clear()
    got = run("incidents", "stats")
    assert got.exit_code == 2
    assert "INCIDENT_KEY" in got.stderr


def test_a_refusal_of_the_feature_layer_is_said_in_one_place(run, monkeypatch) -> None:
    from features import registry as reg
    from features.permissions import PermissionDenied

    def refuse(*_args, **_kwargs):
        raise PermissionDenied("grant")

    monkeypatch.setattr(reg, "grant_coordinator", refuse)
    got = run("users", "grant", "22", "--plan", PLAN)
    assert got.exit_code == 1
    assert "Không được phép làm việc này." in got.stderr
