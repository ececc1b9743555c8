"""The database: one engine, units of work, and the bridge from async handlers to it.

A :class:`Database` is built from a URL — a SQLite file by default (WAL mode, foreign keys on,
a busy timeout, and ``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing), or
PostgreSQL through psycopg 3 when the URL says ``postgresql://``.

Repositories take a session and never commit. The boundary commits::

    with db.unit_of_work() as session:      # commits on success, rolls back on error
        set_chat_plan(session, chat_id, "quan3-2020")

    plan_id = await db.run(get_chat_plan, chat_id)   # from async code: a worker thread

Every handler and job reaches the database through one :meth:`Database.run` call, so one
update is one session and the event loop never waits on the database.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from storage.private_files import create_private_sqlite

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def normalise_url(url: str | URL) -> URL:
    """Return ``url`` as a SQLAlchemy URL, PostgreSQL URLs pointed at the psycopg 3 driver.

    ``postgres://`` and ``postgresql://`` (which SQLAlchemy would send to psycopg2) become
    ``postgresql+psycopg://``; everything else is left as it is.
    """
    parsed = make_url(str(url)) if not isinstance(url, URL) else url
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is off).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A write lock from the start: a deferred transaction that reads and then writes fails at
    # once with SQLITE_BUSY when another writer got in between; IMMEDIATE waits its turn.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine plus the unit-of-work boundary.

    The engine hides bound parameters (``hide_parameters=True``): an error's text names the
    SQL but never the values — a report's text or an incident field would otherwise reach the
    log with a failed write.

    Args:
        url: a SQLAlchemy URL (``sqlite:///data/kehoach.db``, ``postgresql://user@host/db``).
        echo: log every SQL statement.
    """

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        """Create the engine of ``url`` (no connection is opened yet)."""
        self.url = normalise_url(url)
        self.engine: Engine = self._create_engine(echo)

    @classmethod
    def from_settings(cls, settings: Any) -> Database:
        """Build the database of ``settings.database_url``."""
        return cls(settings.database_url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def _create_engine(self, echo: bool) -> Engine:
        url = self.url
        if url.get_backend_name() != "sqlite":
            return create_engine(
                url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20,
                hide_parameters=True,
            )
        memory = url.database in (None, "", ":memory:")
        if url.database and not memory:  # readable by its owner only: reports, officers
            create_private_sqlite(Path(url.database).expanduser())
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if memory:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, hide_parameters=True, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back on an error.

        Objects stay readable after the commit (``expire_on_commit=False``). A unit of work
        that wrote while an update is processed also records that update as handled, in the
        same transaction (:mod:`storage.handled`).
        """
        from storage import handled  # the record of the update whose effect this is

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                handled.record_current(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def call(self, fn: Callable[Concatenate[Session, P], T], /, *args: P.args,
             **kwargs: P.kwargs) -> T:
        """Run ``fn(session, *args, **kwargs)`` in one unit of work, in this thread."""
        with self.unit_of_work() as session:
            return fn(session, *args, **kwargs)

    async def run(self, fn: Callable[Concatenate[Session, P], T], /, *args: P.args,
                  **kwargs: P.kwargs) -> T:
        """Run ``fn(session, *args, **kwargs)`` in one unit of work in a worker thread.

        Args:
            fn: a repository or service function taking the session first.
            *args: passed to ``fn`` after the session.
            **kwargs: passed to ``fn``.

        Returns:
            What ``fn`` returns, after the commit.
        """
        return await asyncio.to_thread(functools.partial(self.call, fn, *args, **kwargs))

    def upgrade(self, revision: str = "heads") -> None:
        """Apply the Alembic migrations up to ``revision`` (idempotent).

        A database already at the bundled heads is left alone without loading Alembic (a
        quarter of a second of CPU at every start of the bot, before the first reminder).
        """
        if revision == "heads" and self.at_heads():
            logger.info("database at %s already at the latest migration", self.safe_url)
            return
        from alembic import command

        with self.engine.begin() as connection:
            config = alembic_config(connection)
            command.upgrade(config, revision)
        logger.info("database at %s upgraded to %s", self.safe_url, revision)

    def at_heads(self) -> bool:
        """Whether the database's Alembic revisions are exactly the bundled heads.

        One plain query (no ORM session, no SQLite write lock); False when the heads cannot be
        read from the migration files or the database has no version table yet.
        """
        heads = bundled_heads()
        if heads is None:
            return False
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute("SELECT version_num FROM alembic_version")
                current = {str(row[0]) for row in cursor.fetchall()}
            finally:
                cursor.close()
            connection.rollback()
        except Exception:  # noqa: BLE001 - no version table (a new database): Alembic decides
            connection.rollback()
            return False
        finally:
            connection.close()
        return current == heads

    def downgrade(self, revision: str) -> None:
        """Undo migrations down to ``revision`` (``base`` drops every table)."""
        from alembic import command

        with self.engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)

    def current_revision(self) -> str | None:
        """The Alembic revision the database is at (None when never migrated)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for logs."""
        return self.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        """Close every pooled connection (and the one kept for glances)."""
        from storage import handled

        handled.close_glances(self.engine)
        self.engine.dispose()


def bundled_heads(directory: Path = MIGRATIONS_DIR / "versions") -> frozenset[str] | None:
    """The head revisions of the migrations in ``directory``, read without Alembic.

    Each file must say ``revision = "…"`` and ``down_revision = …`` as literals (Alembic's
    template); otherwise None, and Alembic itself is asked.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(directory.glob("*.py")):
        found: dict[str, object] = {}
        for match in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")):
            try:
                found.setdefault(match.group(1), ast.literal_eval(match.group(2)))
            except (ValueError, SyntaxError):
                return None
        revision, down = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or down is ...:
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
        elif down is not None:
            return None
    return frozenset(revisions - parents) or None


def alembic_config(connection: Any = None) -> Any:
    """An Alembic ``Config`` for the bundled migrations, on ``connection`` if given.

    ``script_location`` is resolved from this package, so it works from an installed package
    and from any working directory.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
