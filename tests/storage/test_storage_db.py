"""The storage foundation on SQLite and PostgreSQL: migrations, units of work, chat settings."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from storage.chats import deactivate_chat, get_chat, get_chat_plan, migrate_chat, set_chat_plan
from storage.db import Database, normalise_url
from storage.models import ChatSettings, Person

BIG_ID = -1001234567890  # supergroup ids do not fit in 32 bits
TABLES = {
    "chat_settings", "person", "registration", "audit_log", "submission", "submission_version",
    "receipt_counter", "conversation_state", "alembic_version",
}


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///data/x.db", "sqlite"),
    ],
)
def test_normalise_url(given: str, driver: str) -> None:
    assert normalise_url(given).drivername == driver


def _head() -> str:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrations_from_empty(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert db.current_revision() is None
        db.upgrade()
        assert db.current_revision() == _head()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.upgrade()  # idempotent
        db.downgrade("0001")
        assert db.current_revision() == "0001"
        db.downgrade("base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.upgrade()
        assert db.current_revision() == _head()
    finally:
        db.dispose()


def test_migrations_match_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_unit_of_work_commits_and_rolls_back(db: Database) -> None:
    now = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    with db.unit_of_work() as s:
        s.add(Person(telegram_id=BIG_ID, full_name="Nguyễn Văn A", created_at=now, updated_at=now))
    def add_then_fail() -> None:
        with db.unit_of_work() as s:
            s.add(Person(telegram_id=1, full_name="B", created_at=now, updated_at=now))
            s.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    with db.unit_of_work() as s:
        people = s.exec(select(Person)).all()
    assert [(p.telegram_id, p.full_name) for p in people] == [(BIG_ID, "Nguyễn Văn A")]
    assert people[0].created_at == now
    assert people[0].created_at.tzinfo is not None


def test_naive_datetime_refused(db: Database) -> None:
    naive = dt.datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(Exception, match="naive"):
        db.call(lambda s: s.add(Person(telegram_id=2, created_at=naive, updated_at=naive)))


def test_foreign_keys_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from storage.models import Registration

    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError):
        db.call(lambda s: s.add(Registration(telegram_id=999, plan_id="p", requested_at=now)))


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


async def test_run_uses_a_worker_thread_and_one_session(db: Database) -> None:
    loop_thread = threading.get_ident()
    seen: list[int] = []

    def work(session, chat_id: int, *, plan_id: str) -> str | None:
        seen.append(threading.get_ident())
        set_chat_plan(session, chat_id, plan_id, chat_type="private")
        return get_chat_plan(session, chat_id)

    assert await db.run(work, 42, plan_id="quan3-2020") == "quan3-2020"
    assert seen
    assert seen[0] != loop_thread
    assert await db.run(get_chat_plan, 42) == "quan3-2020"


async def test_run_rolls_back_on_error(db: Database) -> None:
    def fail(session) -> None:
        set_chat_plan(session, 7, "quan3-2020")
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        await db.run(fail)
    assert await db.run(get_chat, 7) is None


async def test_concurrent_writers_do_not_fail(db: Database) -> None:
    async def one(i: int) -> None:
        await db.run(set_chat_plan, 1000 + i, "quan3-2020", title=f"nhóm {i}")

    await asyncio.gather(*(one(i) for i in range(50)))
    with db.unit_of_work() as s:
        assert len(s.exec(select(ChatSettings)).all()) == 50


def test_chat_plan_lifecycle(db: Database) -> None:
    with db.unit_of_work() as s:
        assert get_chat_plan(s, BIG_ID) is None
        set_chat_plan(s, BIG_ID, "quan3-2020", title="BCĐ 138 Quận 3", chat_type="group")
    with db.unit_of_work() as s:
        assert get_chat_plan(s, BIG_ID) == "quan3-2020"
        set_chat_plan(s, BIG_ID, "cantho-2017")  # title and type kept
    with db.unit_of_work() as s:
        row = get_chat(s, BIG_ID)
        assert (row.plan_id, row.title) == ("cantho-2017", "BCĐ 138 Quận 3")
        assert row.chat_type == "group"
        assert deactivate_chat(s, BIG_ID) is True
        assert deactivate_chat(s, 5) is False
    with db.unit_of_work() as s:
        assert get_chat_plan(s, BIG_ID) is None
        assert get_chat(s, BIG_ID).plan_id == "cantho-2017"
        set_chat_plan(s, BIG_ID, None)
    with db.unit_of_work() as s:
        assert get_chat(s, BIG_ID).active is True
        assert get_chat_plan(s, BIG_ID) is None


def test_migrate_chat_keeps_settings(db: Database) -> None:
    old, new = -4001, -1004001
    with db.unit_of_work() as s:
        set_chat_plan(s, old, "quan3-2020", title="Nhóm điều phối", chat_type="group")
    with db.unit_of_work() as s:
        row = migrate_chat(s, old, new)
        assert row.chat_id == new
    with db.unit_of_work() as s:
        assert get_chat(s, old) is None
        row = get_chat(s, new)
        assert (row.plan_id, row.title, row.chat_type) == (
            "quan3-2020", "Nhóm điều phối", "supergroup"
        )
        assert migrate_chat(s, 1, 2) is None


def test_migrate_chat_keeps_newer_settings(db: Database) -> None:
    with db.unit_of_work() as s:
        set_chat_plan(s, -1, "quan3-2020")
        set_chat_plan(s, -1001, "cantho-2017")
    with db.unit_of_work() as s:
        migrate_chat(s, -1, -1001)
    with db.unit_of_work() as s:
        assert get_chat(s, -1) is None
        assert get_chat_plan(s, -1001) == "cantho-2017"


# --- start-up and the shared worker's glance (issue 16: targets) -----------------------------


def test_bundled_heads_are_alembics_heads(tmp_path) -> None:
    from storage.db import bundled_heads

    assert bundled_heads() == {_head()}
    (tmp_path / "0001_x.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "0002_y.py").write_text('revision: str = "b"\ndown_revision = ("a",)\n')
    assert bundled_heads(tmp_path) == {"b"}
    (tmp_path / "0003_z.py").write_text('revision = make_id()\ndown_revision = "b"\n')
    assert bundled_heads(tmp_path) is None  # not Alembic's plain form: Alembic decides


def test_a_migrated_database_is_not_handed_to_alembic_again(db_url: str, monkeypatch) -> None:
    from alembic import command

    db = Database(db_url)
    try:
        assert not db.at_heads()  # no version table yet
        db.upgrade()
        assert db.at_heads()
        calls: list[str] = []
        real = command.upgrade
        monkeypatch.setattr(command, "upgrade", lambda *a, **k: calls.append("upgrade"))
        db.upgrade()  # at the heads: nothing to do, Alembic not asked
        assert calls == []
        db.downgrade("0001")
        assert not db.at_heads()
        db.upgrade()
        assert calls == ["upgrade"]  # behind: Alembic upgrades
        monkeypatch.setattr(command, "upgrade", real)
        db.upgrade()
        assert db.current_revision() == _head()
    finally:
        db.dispose()


def test_the_glance_sees_other_connections_commits_and_survives_a_lost_connection(
        db: Database) -> None:
    from storage import handled

    assert handled.glance(db.engine, 7, 42, 5) == (None, None, False)
    with db.unit_of_work() as session:
        set_chat_plan(session, 42, "quan3-2020")
        handled.mark_done(session, [7], now=dt.datetime.now(dt.UTC))
    assert handled.glance(db.engine, 7, 42, 5) == ("done", "quan3-2020", False)
    glancer = handled._GLANCERS[db.engine]
    lost = glancer.connection
    lost.close()  # the server hung up (a restart, an idle killer)
    assert handled.glance(db.engine, 8, 42, 5) == (None, "quan3-2020", False)  # reconnected
    assert glancer.connection is not lost
    db.dispose()
    assert db.engine not in handled._GLANCERS
