"""The SQLite database is created owner-only; a wider .env or database is warned about."""

from __future__ import annotations

import stat

from bot.cli.serve import warn_if_readable
from storage.db import Database
from tests.support.factories import make_settings


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_database_and_folder_are_created_owner_only(tmp_path):
    path = tmp_path / "data" / "kehoach.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    assert (_mode(path), _mode(path.parent)) == (0o600, 0o700)


def test_start_warns_when_env_or_database_is_readable_by_others(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    env = tmp_path / ".env"
    env.write_text("INCIDENT_KEY=x\n")
    env.chmod(0o644)
    path = tmp_path / "data" / "kehoach.db"
    Database(f"sqlite:///{path}").dispose()
    warn_if_readable(make_settings(database_url=f"sqlite:///{path}"))
    err = capsys.readouterr().err
    assert "Cảnh báo: .env đang cho người khác đọc được (quyền 644); nên chạy: chmod 600 .env" \
        in err
    assert "kehoach.db" not in err
    path.chmod(0o644)
    warn_if_readable(make_settings(database_url=f"sqlite:///{path}"))
    assert f"chmod 600 {path}" in capsys.readouterr().err
