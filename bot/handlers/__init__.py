"""All handlers of the bot, registered in one documented order.

Each module of :data:`HANDLER_MODULES` exposes ``register(application)`` and may expose
``COMMANDS`` (``[(command, description), ...]``) for the command menu and /trogiup. A feature
module that does not exist (yet) is skipped, so features land independently.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
from types import ModuleType

from telegram.ext import Application

logger = logging.getLogger(__name__)

# order matters: python-telegram-bot gives an update to the first matching handler of a group.
# 0. guard (group -1000, before everything): updates no handler can serve (no user, no message
#    under a button, channel posts, blank text) stop there, answered;
# 1. common: the core commands (/start, /hoi, /kehoach, /han…) and their buttons first;
# 2. the features' commands and conversations, so a conversation waiting for an answer gets
#    the user's next text before it is taken for a question;
# 3. common's fallbacks LAST: free-text questions, unknown commands, stale buttons.
# (Chat migration and membership changes run in their own group, -1, whatever comes first.)
HANDLER_MODULES = [
    "bot.handlers.guard",
    "bot.handlers.common",
    "bot.handlers.registration",
    "bot.handlers.roles",
    "bot.handlers.office",  # /tinhhinh xuhuong before the reports' /tinhhinh
    "bot.handlers.reports",
    "bot.handlers.status",
    "bot.handlers.my_reports",
    "bot.handlers.reminders",
    "bot.handlers.incidents",
    "bot.handlers.incident_stats",
    "bot.handlers.ingest",
]


@functools.cache
def _present_modules() -> list[ModuleType]:
    modules = []
    for name in HANDLER_MODULES:
        if importlib.util.find_spec(name) is None:
            logger.debug("handler module %s not present: skipped", name)
            continue
        modules.append(importlib.import_module(name))
    return modules


def register_all(application: Application) -> None:
    """Register every present handler module, then the fallbacks, in the order above."""
    from bot.handlers import common

    for module in _present_modules():
        module.register(application)
    common.register_fallbacks(application)


def menu_commands() -> list[tuple[str, str]]:
    """The ``COMMANDS`` of every present handler module, in order, without duplicates."""
    seen: dict[str, str] = {}
    for module in _present_modules():
        for command, description in getattr(module, "COMMANDS", ()):
            seen.setdefault(command, description)
    return list(seen.items())
