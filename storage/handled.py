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
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, delete, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
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
    session.exec(insert.values(**values).on_conflict_do_nothing(index_elements=keys))  # type: ignore[call-overload]


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


def glance(engine: Engine, update_id: int, chat_id: int, user_id: int
           ) -> tuple[str | None, str | None, bool]:
    """One query for what a message needs when several processes share the database:
    (:func:`state_of` ``update_id``, the plan ``chat_id`` chose, whether ``user_id`` has a
    conversation open in ``chat_id``).

    A plain DB-API round trip — no ORM session, no write lock (SQLite's units of work begin
    IMMEDIATE) — for the several-webhook-workers case, where it runs for every message.
    """
    sql = _GLANCE.format(p="?" if engine.dialect.name == "sqlite" else "%s")
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, (update_id, chat_id, chat_id, user_id))
            done, plan_id, conversation = cursor.fetchone()
        finally:
            cursor.close()
        connection.rollback()
    finally:
        connection.close()
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
    session.exec(statement.on_conflict_do_update(  # type: ignore[call-overload]
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
    gone = session.exec(delete(HandledUpdate).where(  # type: ignore[call-overload]
        col(HandledUpdate.handled_at) < before)).rowcount
    gone += session.exec(delete(FinishedStep).where(  # type: ignore[call-overload]
        col(FinishedStep.finished_at) < before)).rowcount
    return int(gone or 0)


def latest_handled(session: Session) -> int | None:
    """The highest handled update id (for diagnostics)."""
    return session.exec(select(HandledUpdate.update_id).order_by(
        col(HandledUpdate.update_id).desc()).limit(1)).first()
