"""Whether an update is being redone after a crash, for the handlers that need to know.

Apart from :mod:`bot.updates` (which imports the handlers), so that a handler can ask.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from storage import handled


async def redone_unfinished(application: Application, update: Update) -> bool:
    """Whether ``update`` is being redone after a crash.

    Its effect was committed (by this or another process) and it was not processed to the end — its
    reply may never have left.

    Not so for an update this process finished, nor one recorded ``done``. For button handlers
    whose repeated tap is otherwise only told "stale" (one read, on that rare path only).
    """
    from bot.context import services_of

    if update.update_id in getattr(application, "finished_ids", ()):
        return False
    state = await services_of(application).db.run(handled.state_of, update.update_id)
    return state == "effect"
