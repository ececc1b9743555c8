"""All handlers of the bot, registered in one documented order: :data:`HANDLER_MODULES`.

The handler modules are imported here, statically: a missing or broken one fails at import,
not silently. Each exposes ``register(application)`` and may expose ``COMMANDS``
(``[(command, description), ...]``) for the command menu and /trogiup.
"""

from __future__ import annotations

from types import ModuleType

from telegram.ext import Application

from bot import refusals
from bot.handlers import (
    chat_status,
    common,
    guard,
    incident_stats,
    incidents,
    ingest,
    my_reports,
    office,
    registration,
    reminders,
    reports,
    roles,
    status,
)

# order matters: python-telegram-bot gives an update to the first matching handler of a group,
# groups run from the lowest number up, and within a group in the order of this table.
# The groups (module → the group its register() adds to; a module may also add to one of its
# own, named in the comment):
#   -1000  guard — updates no handler can serve (no user, no message under a button, channel
#          posts, blank text) stop there, answered;
#     -1   chat_status — migration and membership changes, whatever comes next;
#     -3   registration/roles' deep links (roles.DEEP_LINK_GROUP), -2 the incident form's
#          deep links (incidents.FORM_GROUP), -10 the conversations' shared message and /huy
#          handlers (conversation.CONVERSATION_GROUP, installed by incidents);
#      0   common's commands and buttons first, then the features' commands and
#          conversations (a conversation waiting for an answer gets the user's next text before
#          it is taken for a question), then common's fallbacks LAST (free-text questions,
#          unknown commands, stale buttons: :data:`FALLBACKS`).
HANDLER_MODULES: tuple[tuple[ModuleType, int], ...] = (
    (guard, guard.GUARD_GROUP),
    (chat_status, chat_status.STATUS_GROUP),
    (common, 0),
    (registration, 0),
    (roles, 0),
    (office, 0),  # /tinhhinh xuhuong before the reports' /tinhhinh
    (reports, 0),
    (status, 0),
    (my_reports, 0),
    (reminders, 0),
    (incidents, 0),
    (incident_stats, 0),
    (ingest, 0),
    # new handler modules go here (before the fallbacks), with the group they add to
)
# Registered after every module above, in group 0.
FALLBACKS = common.register_fallbacks


def register_all(application: Application) -> None:
    """Register every handler module of :data:`HANDLER_MODULES`, then the fallbacks.

    Raises:
        RuntimeError: a module added nothing to the group the table gives it (the table is
            wrong).
    """
    for module, group in HANDLER_MODULES:
        before = len(application.handlers.get(group, ()))
        module.register(application)
        if len(application.handlers.get(group, ())) == before:
            raise RuntimeError(f"{module.__name__} added no handler to group {group}")
    FALLBACKS(application)
    refusals.install(application)  # a refusal raised by any handler: its one reply


def menu_commands() -> list[tuple[str, str]]:
    """The ``COMMANDS`` of every handler module, in order, without duplicates."""
    seen: dict[str, str] = {}
    for module, _group in HANDLER_MODULES:
        for command, description in getattr(module, "COMMANDS", ()):
            seen.setdefault(command, description)
    return list(seen.items())
