"""Small factories of real ``telegram.Update`` objects, and the bot built offline around them.

The update JSON comes from :class:`bot.local_api.LocalBotApi` (message ids per chat, entities
of commands and mentions, the replied-to message, the tapped message with its keyboard), so a
test reads like a conversation::

    async with offline_bot(settings, kb=kb, db=db, clock=clock) as bot:
        await bot.process(bot.private("/start"))
        menu = bot.last()
        await bot.process(bot.tap(menu, "menu:plans"))
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, running
from bot.local_api import JSON, Call, LocalBotApi, LocalRequest
from bot.render import plain_text
from core.settings import Settings

USER_ID = 1001
OTHER_USER_ID = 1002
GROUP_ID = -100200300
# A fixed Fernet key for INCIDENT_KEY in tests (start-up refuses incidents without one).
TEST_INCIDENT_KEY = "kJ0mBLyNxg0s2KxR4fI8n1Sx2ubb0m0b6Zq1X3Ypt1c="


def make_settings(**overrides: Any) -> Settings:
    """Settings that ignore the developer's ``.env`` and environment-provided token."""
    values: dict[str, Any] = {"telegram_bot_token": None, "database_url": "sqlite://",
                              "incident_key": TEST_INCIDENT_KEY}
    values.update(overrides)
    return Settings(_env_file=None, **values)


def user(user_id: int = USER_ID, first_name: str = "Lan") -> JSON:
    """A human user."""
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}


def private_chat(user_id: int = USER_ID, first_name: str = "Lan") -> JSON:
    """The private chat of a user with the bot."""
    return {"id": user_id, "type": "private", "first_name": first_name}


def group_chat(chat_id: int = GROUP_ID, title: str = "Nhóm phối hợp BVTE",
               kind: str = "group") -> JSON:
    """A group or supergroup chat."""
    return {"id": chat_id, "type": kind, "title": title}


@dataclass
class OfflineBot:
    """The real Application with its Bot API answered in memory, and update factories."""

    app: Application
    api: LocalBotApi
    who: JSON = field(default_factory=user)

    def update(self, data: JSON) -> Update:
        """A real ``Update`` bound to the application's bot."""
        return Update.de_json(data, self.app.bot)

    def private(self, text: str, *, who: JSON | None = None, **kwargs: Any) -> Update:
        """A message in the private chat of ``who`` (default: the test user)."""
        who = who or self.who
        chat = private_chat(who["id"], who["first_name"])
        return self.update(self.api.user_message(chat, who, text, **kwargs))

    def group(self, text: str, *, chat: JSON | None = None, who: JSON | None = None,
              **kwargs: Any) -> Update:
        """A message in a group (``reply_to_message_id=`` makes it a reply)."""
        return self.update(self.api.user_message(chat or group_chat(), who or self.who, text,
                                                 **kwargs))

    def tap(self, message: JSON, data: str, *, who: JSON | None = None) -> Update:
        """A tap on the button with callback ``data`` under a bot ``message``."""
        return self.update(self.api.callback_tap(message["chat"]["id"], message["message_id"],
                                                 who or self.who, data))

    def service(self, chat: JSON, fields: JSON) -> Update:
        """A service message (``migrate_to_chat_id``…) in ``chat``."""
        return self.update(self.api.service_message(chat, self.who, fields))

    def membership(self, chat: JSON, old: str, new: str) -> Update:
        """The bot's own membership in ``chat`` changes from ``old`` to ``new`` status."""
        self.api.remember_chat(chat)

        def member(status: str) -> JSON:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"user": self.api.bot_user, "status": status, **extra}

        return self.update(self.api.raw_update({"my_chat_member": {
            "chat": chat, "from": self.who, "date": 0,
            "old_chat_member": member(old), "new_chat_member": member(new),
        }}))

    async def process(self, update: Update) -> list[Call]:
        """Run ``update`` through the application; return the Bot API calls it made."""
        before = len(self.api.calls)
        await self.app.process_update(update)
        return self.api.calls[before:]

    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (to ``chat_id`` if given)."""
        return self.api.sent_messages(chat_id)

    def last(self, chat_id: int | None = None) -> JSON:
        """The last message the bot sent (to ``chat_id`` if given)."""
        return self.sent(chat_id)[-1]


def text_of(message: JSON) -> str:
    """What the user reads of a bot message."""
    return plain_text(message.get("text", ""))


def buttons_of(message: JSON) -> list[tuple[str, str]]:
    """(text, callback data) of every inline button of a bot message."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@contextlib.asynccontextmanager
async def offline_bot(settings: Settings, *, kb: Any, db: Any, clock: Any,
                      **kwargs: Any) -> AsyncIterator[OfflineBot]:
    """The bot built by ``build_application`` on an in-memory Bot API, started and stopped."""
    api = LocalBotApi()
    app = build_application(settings, kb=kb, db=db, clock=clock, request=LocalRequest(api),
                            get_updates_request=LocalRequest(api), rate_limit=False, **kwargs)
    async with running(app):
        yield OfflineBot(app, api)
