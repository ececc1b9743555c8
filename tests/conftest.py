"""Shared fixtures: ``db`` (SQLite and PostgreSQL), ``clock``, ``kb``.

Add fixtures of a feature in its own section below; keep each section short.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest

from core.clock import VN_TZ, FixedClock
from storage.db import Database, normalise_url

# --- database --------------------------------------------------------------------------------

PG_DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _pg_url() -> str:
    import os  # the test run's environment, not the assistant's settings

    return os.environ.get("DATABASE_URL_TEST") or PG_DEFAULT_URL


_pg_reachable: bool | None = None


def _pg_available() -> bool:
    global _pg_reachable
    if _pg_reachable is None:
        import psycopg

        url = normalise_url(_pg_url()).set(drivername="postgresql")
        try:
            with psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=3):
                _pg_reachable = True
        except psycopg.OperationalError:
            _pg_reachable = False
    return _pg_reachable


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL of an empty database: a fresh SQLite file, or a fresh PostgreSQL schema.

    The PostgreSQL case is skipped when the server is unreachable; its schema is dropped after
    the test.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    if not _pg_available():
        pytest.skip(f"PostgreSQL not reachable at {_pg_url()}")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = normalise_url(_pg_url())
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty database — once on SQLite, once on PostgreSQL."""
    database = Database(db_url)
    database.upgrade()
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:
    """A migrated, empty SQLite database only (for tests that need no PostgreSQL run)."""
    database = Database(f"sqlite:///{tmp_path / 'test.db'}")
    database.upgrade()
    try:
        yield database
    finally:
        database.dispose()


# --- time and knowledge ----------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    """A fixed clock at 2026-11-22 09:00 in Asia/Ho_Chi_Minh; move it with advance()/set()."""
    return FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ))


@pytest.fixture(scope="session")
def kb():
    """The bundled knowledge base, loaded once per test session."""
    from knowledge.base import load_knowledge_base

    return load_knowledge_base()
