"""PostgreSQL advisory locks that say whether a reminder worker is alive, on any host.

A reminder claim names its worker (``host:pid:random``, :func:`bot.reminders.worker_id`). On
the same host a gone pid proves the worker dead; on another host nothing did, so its claims
waited for their lease (5 minutes). With PostgreSQL each worker holds, for as long as it lives,
a session advisory lock keyed by the random part of its name (:class:`WorkerLock`, on a
connection of its own): PostgreSQL releases it when the worker's connection ends — a killed
process, a lost host. :func:`lock_is_free` takes the lock for the length of one transaction
only: free means its worker is gone, and its claims are retried at once.

SQLite (one host by nature) has no such locks: everything here is a no-op there.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text

logger = logging.getLogger(__name__)

# The first key of every worker lock ("kh" + 1): the second is the worker's random part.
NAMESPACE = 0x6B6801


def lock_key(worker: str) -> int | None:
    """The second advisory-lock key of ``worker`` (its 8-hex-digit random part), or None."""
    tail = worker.rpartition(":")[2]
    if len(tail) != 8:
        return None
    try:
        value = int(tail, 16)
    except ValueError:
        return None
    return value - (1 << 32) if value >= 1 << 31 else value  # a signed int4


class WorkerLock:
    """The advisory lock of this worker, held on a connection of its own while it lives."""

    def __init__(self, engine: Engine, worker: str) -> None:
        """Name the lock of ``worker`` on ``engine`` (taken by :meth:`hold`)."""
        self.engine, self.worker = engine, worker
        self.key = lock_key(worker)
        self._connection: Connection | None = None

    @property
    def enabled(self) -> bool:
        """Whether locks apply (PostgreSQL and a worker name with a key)."""
        return self.engine.dialect.name == "postgresql" and self.key is not None

    def hold(self) -> bool:
        """Take the lock if it is not held (again after a lost connection). True if held."""
        if not self.enabled:
            return False
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))
                return True
        except Exception:  # noqa: BLE001 - the connection is gone: so is the lock
            self.release()
        try:
            connection = self.engine.connect()
            connection.execute(text("SELECT pg_advisory_lock(:a, :b)"),
                               {"a": NAMESPACE, "b": self.key})
            connection.commit()  # the lock is the session's: it outlives the transaction
            self._connection = connection
            return True
        except Exception as exc:  # noqa: BLE001 - without it, claims wait for their lease
            logger.warning("worker lock not taken: %s", type(exc).__name__)
            return False

    def release(self) -> None:
        """Let the lock go (closing its connection)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never back to the pool with the lock
                connection.close()
            except Exception:  # noqa: BLE001 - closing a dead connection
                pass


def lock_is_free(engine: Engine, worker: str) -> bool:
    """Whether ``worker``'s lock is free — no live process holds it (PostgreSQL only)."""
    key = lock_key(worker)
    if engine.dialect.name != "postgresql" or key is None:
        return False
    try:
        with engine.connect() as connection:
            free = connection.execute(text("SELECT pg_try_advisory_xact_lock(:a, :b)"),
                                      {"a": NAMESPACE, "b": key}).scalar()
            connection.rollback()  # and the lock with it
        return bool(free)
    except Exception as exc:  # noqa: BLE001 - unknown: wait for the lease
        logger.warning("worker lock not checked: %s", type(exc).__name__)
        return False
