"""The in-process hint of open conversations: never says "none" for a conversation under way."""

from __future__ import annotations

import datetime as dt

from storage import conversations
from storage.db import Database

NOW = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)


def test_hint_is_a_superset_of_open_conversations(db: Database) -> None:
    # not primed yet: it cannot know, so it sends the message to the database
    assert conversations.might_be_open(db.engine, 1, 10)
    assert db.call(conversations.load_for_message, 1, 10) is None
    # primed now, and the read found nothing: a question skips the database
    assert not conversations.might_be_open(db.engine, 1, 10)
    # a conversation started afterwards is seen at once
    db.call(conversations.save, 1, 10, "baocao", "content", {}, now=NOW)
    assert conversations.might_be_open(db.engine, 1, 10)
    row = db.call(conversations.load_for_message, 1, 10)
    assert row is not None
    assert row.name == "baocao"
    # ended: the pair leaves the hint only once a read finds nothing
    db.call(conversations.clear, 1, 10)
    assert conversations.might_be_open(db.engine, 1, 10)
    assert db.call(conversations.load_for_message, 1, 10) is None
    assert not conversations.might_be_open(db.engine, 1, 10)


def test_conversations_from_before_a_restart_are_found(db_url: str) -> None:
    first = Database(db_url)
    first.upgrade()
    first.call(conversations.save, 5, 50, "dangky", "unit", {}, now=NOW)
    first.dispose()
    again = Database(db_url)  # a new process: a new engine, nothing primed
    try:
        assert conversations.might_be_open(again.engine, 5, 50)
        assert again.call(conversations.load_for_message, 7, 70) is None  # primes from the table
        assert conversations.might_be_open(again.engine, 5, 50)
        assert not conversations.might_be_open(again.engine, 7, 70)
    finally:
        again.dispose()
