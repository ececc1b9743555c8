"""Handled updates and finished conversation steps: what makes redoing an update harmless.

Telegram updates are acknowledged only after they are processed (:mod:`bot.updates`), so a
process killed half-way gets the same update again. Two records make the second pass safe:

- **handled updates** — the id of the update being processed is held in
  :data:`CURRENT_UPDATE` (a context variable, so the worker threads of ``db.run`` see it) and
  every unit of work that writes adds ``handled_update(update_id)`` to the same transaction:
  the effect and the record commit together or not at all. An update found there had its
  effect committed; it is not applied again (its reply is re-sent instead). Once processed
  to the end it is marked ``done`` (in batches): a replay of it is acknowledged, nothing more;
- **finished steps** — the token of a conversation's buttons and how it ended (a receipt
  number…), so a repeated tap on "✅ Gửi báo cáo" is told what happened and gets the receipt
  again instead of "Nút này đã cũ".

Both are pruned after :data:`KEEP` (Telegram keeps an unconfirmed update for 24 hours).
Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, delete, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session as OrmSession
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, select

from storage.models import FinishedStep, HandledUpdate

# The update being processed in this task (None in jobs, the CLI and tests without one).
CURRENT_UPDATE: ContextVar[int | None] = ContextVar("kehoach_current_update", default=None)
KEEP = dt.timedelta(days=2)
_WROTE = "kehoach_wrote"


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(OrmSession, "after_flush")
def _note_flush(session: OrmSession, _context: Any) -> None:
    session.info[_WROTE] = True


def wrote(session: Session) -> bool:
    """Whether the session wrote anything (or has changes waiting for the flush)."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _insert(session: Session, model: type, values: dict[str, Any], keys: list[str]) -> None:
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)
    session.exec(insert.values(**values).on_conflict_do_nothing(index_elements=keys))


def record_current(session: Session, now: dt.datetime | None = None) -> None:
    """Record :data:`CURRENT_UPDATE` as handled in ``session`` if it wrote (before the commit)."""
    update_id = CURRENT_UPDATE.get()
    if update_id is None or not wrote(session):
        return
    now = now or dt.datetime.now(dt.UTC)
    _insert(session, HandledUpdate, {"update_id": update_id, "handled_at": now}, ["update_id"])


def state_of(session: Session, update_id: int) -> str | None:
    """``done`` (processed to the end), ``effect`` (its writes committed) or None (neither)."""
    done = session.exec(select(HandledUpdate.done).where(
        HandledUpdate.update_id == update_id)).first()
    return None if done is None else ("done" if done else "effect")


_GLANCE = (
    "SELECT (SELECT done FROM handled_update WHERE update_id = {p}),"
    " (SELECT CASE WHEN active THEN plan_id END FROM chat_settings WHERE chat_id = {p}),"
    " (SELECT 1 FROM conversation_state WHERE chat_id = {p} AND user_id = {p} LIMIT 1)"
)
Glance = tuple[str | None, str | None, bool]


class _Glancer:
    """A DB-API connection of its own, kept open, for the glances on one engine.

    Each glance is one statement in autocommit (it sees what other processes committed, takes
    no lock and leaves no transaction open): no pool checkout, no pre-ping, no reset — the
    round trip itself. A failed statement drops the connection and is tried once more on a
    new one (the server restarted, an idle connection was cut).
    """

    def __init__(self, engine: Engine) -> None:
        """Prepare the glances on ``engine`` (the connection opens with the first)."""
        self.engine = engine
        self.sql = _GLANCE.format(p="?" if engine.dialect.name == "sqlite" else "%s")
        self.lock = threading.Lock()  # one statement at a time on the connection
        self.connection: Any = None

    def _connect(self) -> Any:
        pooled = self.engine.raw_connection()
        connection: Any = pooled.driver_connection
        pooled.detach()  # its own, not taken from the units of work's pool
        if self.engine.dialect.name != "sqlite":  # SQLite's is autocommit already (db.py)
            connection.rollback()  # the pool's pre-ping began a transaction
            connection.autocommit = True
        return connection

    def __call__(self, params: tuple[int, int, int, int]) -> tuple[Any, ...]:
        with self.lock:
            for attempt in (1, 2):  # a connection lost since the last glance: one more, anew
                if self.connection is None:
                    self.connection = self._connect()
                try:
                    cursor = self.connection.cursor()
                    try:
                        cursor.execute(self.sql, params)
                        return tuple(cursor.fetchone())
                    finally:
                        cursor.close()
                except Exception:
                    self.close_connection()
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")  # pragma: no cover

    def close_connection(self) -> None:
        """Close the connection (if any); the next glance opens a new one."""
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001, S110 - closing a broken connection
                pass


_GLANCERS: weakref.WeakKeyDictionary[Engine, _Glancer] = weakref.WeakKeyDictionary()
_GLANCERS_LOCK = threading.Lock()


def _glancer(engine: Engine) -> _Glancer | None:
    if isinstance(engine.pool, StaticPool):  # one connection for everything (in memory)
        return None
    with _GLANCERS_LOCK:
        found = _GLANCERS.get(engine)
        if found is None:
            found = _GLANCERS[engine] = _Glancer(engine)
        return found


def close_glances(engine: Engine) -> None:
    """Close the glances' connection of ``engine`` (with the engine's own, at the end)."""
    with _GLANCERS_LOCK:
        found = _GLANCERS.pop(engine, None)
    if found is not None:
        with found.lock:
            found.close_connection()


def glance(engine: Engine, update_id: int, chat_id: int, user_id: int) -> Glance:
    """One query for what a message needs when several processes share the database.

    (:func:`state_of` ``update_id``, the plan ``chat_id`` chose, whether ``user_id`` has a
    conversation open in ``chat_id``). A plain DB-API round trip on a connection kept for it
    — no ORM session, no write lock (SQLite's units of work begin IMMEDIATE), no pool — for
    the several-webhook-workers case, where it runs for every message.
    """
    params = (update_id, chat_id, chat_id, user_id)
    glancer = _glancer(engine)
    found: tuple[Any, ...]
    if glancer is not None:
        found = glancer(params)
    else:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(_GLANCE.format(p="?" if engine.dialect.name == "sqlite"
                                              else "%s"), params)
                found = tuple(cursor.fetchone() or (None, None, None))
            finally:
                cursor.close()
            connection.rollback()
        finally:
            connection.close()
    done, plan_id, conversation = found
    state = None if done is None else ("done" if done else "effect")
    return state, plan_id, conversation is not None


def current_was_handled(session: Session) -> bool:
    """Whether :data:`CURRENT_UPDATE` had its effect committed already (it is being redone).

    For effects that are not idempotent by themselves, such as a toggle: applied twice they
    would undo themselves.
    """
    update_id = CURRENT_UPDATE.get()
    return update_id is not None and state_of(session, update_id) is not None


def mark_done(session: Session, update_ids: list[int], *, now: dt.datetime) -> None:
    """Record ``update_ids`` as processed to the end (after their replies left)."""
    if not update_ids:
        return
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(HandledUpdate)
    rows = [{"update_id": u, "handled_at": now, "done": True} for u in update_ids]
    statement = insert.values(rows)
    session.exec(statement.on_conflict_do_update(
        index_elements=["update_id"], set_={"done": True}))


def finish_step(session: Session, chat_id: int, user_id: int, token: str, name: str,
                outcome: dict[str, Any], *, now: dt.datetime) -> None:
    """Record how the conversation of ``token`` ended (in the unit of work that ended it)."""
    _insert(session, FinishedStep, {
        "chat_id": chat_id, "user_id": user_id, "token": token[:32], "name": name,
        "outcome": dict(outcome), "finished_at": now,
    }, ["chat_id", "user_id", "token"])


def finished_step(session: Session, chat_id: int, user_id: int, token: str
                  ) -> FinishedStep | None:
    """How the conversation of ``token`` ended, or None (not ended, or long ago)."""
    return session.get(FinishedStep, (chat_id, user_id, token[:32]))


def prune(session: Session, now: dt.datetime, keep: dt.timedelta = KEEP) -> int:
    """Forget handled updates and finished steps older than ``keep``. Returns how many."""
    before = now - keep
    gone = session.exec(delete(HandledUpdate).where(
        col(HandledUpdate.handled_at) < before)).rowcount
    gone += session.exec(delete(FinishedStep).where(
        col(FinishedStep.finished_at) < before)).rowcount
    return int(gone or 0)


def latest_handled(session: Session) -> int | None:
    """The highest handled update id (for diagnostics)."""
    return session.exec(select(HandledUpdate.update_id).order_by(
        col(HandledUpdate.update_id).desc()).limit(1)).first()
