"""Yearly sequence numbers (BC-2026-0042, SV-2026-0007), safe under concurrent writers."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, update

from storage.models import IncidentCounter, ReceiptCounter


def take_next(
    session: Session, counter: type[ReceiptCounter] | type[IncidentCounter], year: int
) -> int:
    """Increment and return the counter row of ``year`` in table ``counter`` (year, last).

    The row is created if missing (insert … on conflict do nothing), then incremented with one
    ``UPDATE … RETURNING``, which holds the row lock until the commit: two transactions never
    take the same number, on SQLite or PostgreSQL.
    """
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(counter)
    session.exec(insert.values(year=year, last=0).on_conflict_do_nothing())
    last: int = session.exec(
        update(counter)
        .where(col(counter.year) == year)
        .values(last=col(counter.last) + 1)
        .returning(col(counter.last))
    ).scalar_one()
    return last
