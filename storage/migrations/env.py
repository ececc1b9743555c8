"""Alembic environment: runs the migrations on the connection it is given, or opens one.

The connection is the one :class:`storage.db.Database` hands over
(``config.attributes["connection"]``), or one to ``sqlalchemy.url`` / the settings'
``DATABASE_URL`` when Alembic is run on its own (``alembic -c storage/alembic.ini upgrade head``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the given connection, or open one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import Database

    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from core.settings import get_settings

        url = get_settings().database_url
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            _run(conn)
    finally:
        db.dispose()


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade head --sql``)."""
    from storage.db import normalise_url

    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    context.configure(
        url=normalise_url(url).render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
