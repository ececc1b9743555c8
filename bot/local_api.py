"""A small Bot API answered in memory: the shell, the benchmark and the test emulator use it.

:class:`LocalBotApi` keeps what a Telegram server would keep for one bot — the chats it has
seen, the messages in them (with their inline keyboards), the commands menu — and answers the
methods the assistant calls. :class:`LocalRequest` plugs it into python-telegram-bot as its
network layer (``BaseRequest``), so the real :class:`~telegram.ext.Application` runs with no
network and no token. ``tests/support/emulator.py`` serves the same object over HTTP.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.local_files import LocalFiles, save_files
from bot.local_types import (
    JSON,
    BotApiError,
    Call,
    Fault,
    forbidden,
    migrated,
    too_many_requests,
)

__all__ = ["JSON", "BotApiError", "Call", "Fault", "LocalBotApi", "LocalRequest", "auto_entities",
           "decode_params", "forbidden", "migrated", "save_files", "too_many_requests"]

logger = logging.getLogger(__name__)

# Parameters that arrive JSON-encoded in form posts (everything else is a plain string).
_JSON_PARAMS = {
    "reply_markup", "commands", "allowed_updates", "scope", "entities", "caption_entities",
    "link_preview_options", "reply_parameters", "media",
}
# Parameters that stay strings even when they look like numbers or booleans.
_STR_PARAMS = {"text", "caption", "callback_query_id", "url", "secret_token", "parse_mode",
               "description", "short_description", "language_code"}


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


def decode_params(raw: dict[str, str]) -> JSON:
    """Decode form-posted Bot API parameters: JSON fields parsed, integers made ints."""
    out: JSON = {}
    for key, value in raw.items():
        if key in _STR_PARAMS:
            out[key] = value
        elif key in _JSON_PARAMS:
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        elif isinstance(value, str) and value.lstrip("-").isdigit():
            out[key] = int(value)
        elif value in ("true", "false"):
            out[key] = value == "true"
        else:
            out[key] = value
    return out


class LocalBotApi(LocalFiles):
    """The state and methods of a Bot API server for one bot, kept in memory.

    Args:
        bot_id: the bot's user id.
        username: the bot's username (without ``@``).
        first_name: the bot's display name.
    """

    def __init__(
        self, *, bot_id: int = 7000001, username: str = "kehoach_bot",
        first_name: str = "Trợ lý kế hoạch",
    ) -> None:
        """Start with no chats, no messages and no calls."""
        self.bot_user: JSON = {
            "id": bot_id, "is_bot": True, "first_name": first_name, "username": username,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.chats: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: list[JSON] = []
        self.webhook: JSON = {"url": ""}
        self.listeners: list[Callable[[Call], None]] = []
        self.now: Callable[[], int] = _now  # the dates of messages (the shell's clock moves it)
        self.faults: list[Fault] = []
        self.deleted_topics: set[tuple[int, int]] = set()  # (chat, thread): topics deleted
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._init_files()

    # --- what the bot sees: updates built from user actions -------------------------------

    def remember_chat(self, chat: JSON) -> None:
        """Know a chat (getChat answers it)."""
        self.chats[chat["id"]] = dict(chat)

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def user_message(
        self, chat: JSON, user: JSON, text: str, *, reply_to_message_id: int | None = None,
        entities: list[JSON] | None = None, extra: JSON | None = None,
    ) -> JSON:
        """A user writes ``text`` in ``chat``; return the update the bot receives.

        Commands (a leading ``/word``) and ``@mentions`` get their entities automatically.
        """
        self.remember_chat(chat)
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]), "date": self.now(), "chat": chat,
            "from": user, "text": text,
        }
        ents = entities if entities is not None else auto_entities(text)
        if ents:
            message["entities"] = ents
        if reply_to_message_id is not None:
            replied = self.messages.get((chat["id"], reply_to_message_id))
            if replied is not None:
                message["reply_to_message"] = replied
        if extra:
            message.update(extra)
        self.messages[(chat["id"], message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": message}

    def service_message(self, chat: JSON, user: JSON, fields: JSON) -> JSON:
        """A service message (``migrate_to_chat_id``, ``new_chat_members``…) as an update."""
        self.remember_chat(chat)
        message = {
            "message_id": self._next_message_id(chat["id"]), "date": self.now(), "chat": chat,
            "from": user, **fields,
        }
        return {"update_id": next(self._update_ids), "message": message}

    def callback_tap(self, chat_id: int, message_id: int, user: JSON, data: str) -> JSON:
        """A user taps the inline button with ``data`` under a bot message."""
        message = self.messages.get((chat_id, message_id))
        query: JSON = {
            "id": str(next(self._callback_ids)), "from": user, "data": data,
            "chat_instance": str(chat_id),
        }
        if message is not None:
            query["message"] = message
        else:  # a message Telegram no longer gives (too old): still tappable, no content
            query["message"] = {
                "message_id": message_id, "date": 0,
                "chat": self.chats.get(chat_id, {"id": chat_id, "type": "private"}),
            }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def raw_update(self, fields: JSON) -> JSON:
        """Any other update (``my_chat_member``…), numbered."""
        return {"update_id": next(self._update_ids), **fields}

    # --- what the bot does: the methods ---------------------------------------------------

    def fail(self, method: str, error: BotApiError, *, chat_id: int | None = None,
             times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with ``error``."""
        self.faults.append(Fault(method, error, chat_id, times))

    def _check_faults(self, method: str, params: JSON) -> None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and (
                fault.chat_id is None or fault.chat_id == params.get("chat_id")
            ):
                fault.times -= 1
                raise fault.error

    def handle(self, method: str, params: JSON, files: dict[str, tuple[str, bytes]] | None = None
               ) -> Any:
        """Answer one Bot API method; raise :class:`BotApiError` like Telegram would."""
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            raise BotApiError(404, "Not Found: method not found")
        self._check_faults(method, params)
        call = Call(method, params, files=files or {})
        call.result = handler(params, files or {})
        self.calls.append(call)
        for listener in self.listeners:
            listener(call)
        return call.result

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (sendMessage/sendDocument/sendPhoto), oldest first."""
        out = []
        for call in self.calls:
            if call.method in ("sendMessage", "sendDocument", "sendPhoto"):
                if chat_id is None or call.result["chat"]["id"] == chat_id:
                    out.append(call.result)
        return out

    def _chat(self, chat_id: Any) -> JSON:
        try:
            cid = int(chat_id)
        except (TypeError, ValueError) as exc:
            raise BotApiError(400, "Bad Request: chat not found") from exc
        chat = self.chats.get(cid)
        if chat is None and cid > 0:  # a user who never wrote to the bot
            raise BotApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat is None:
            raise BotApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_message(self, params: JSON, fields: JSON) -> JSON:
        chat = self._chat(params["chat_id"])
        thread = params.get("message_thread_id")
        if thread is not None and (chat["id"], int(thread)) in self.deleted_topics:
            raise BotApiError(400, "Bad Request: message thread not found")
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]), "date": self.now(), "chat": chat,
            "from": self.bot_user, **fields,
        }
        if thread is not None:  # a forum topic
            message["message_thread_id"] = int(thread)
            message["is_topic_message"] = True
        if "reply_markup" in params and isinstance(params["reply_markup"], dict):
            message["reply_markup"] = params["reply_markup"]
        reply = params.get("reply_parameters") or {}
        replied = self.messages.get((chat["id"], reply.get("message_id", -1)))
        if replied is not None:
            message["reply_to_message"] = replied
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _m_getme(self, params: JSON, files: dict) -> JSON:
        return self.bot_user

    def _m_sendmessage(self, params: JSON, files: dict) -> JSON:
        text = params.get("text", "")
        if not str(text).strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if len(str(text).encode("utf-16-le")) // 2 > 4096:
            raise BotApiError(400, "Bad Request: message is too long")
        return self._bot_message(params, {"text": str(text)})

    def _edited(self, params: JSON) -> JSON:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        message = self.messages.get(key)
        if message is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        return message

    @staticmethod
    def _check_modified(message: JSON, text: str | None, params: JSON) -> None:
        markup = params.get("reply_markup")
        markup = markup if isinstance(markup, dict) else None
        if (text is None or message.get("text") == text) and message.get("reply_markup") == markup:
            raise BotApiError(400, "Bad Request: message is not modified: specified new message "
                              "content and reply markup are exactly the same as a current "
                              "content and reply markup of the message")

    def _m_editmessagetext(self, params: JSON, files: dict) -> JSON:
        message = self._edited(params)
        self._check_modified(message, str(params["text"]), params)
        message["text"] = str(params["text"])
        message["edit_date"] = self.now()
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editmessagereplymarkup(self, params: JSON, files: dict) -> JSON:
        message = self._edited(params)
        self._check_modified(message, None, params)
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _m_answercallbackquery(self, params: JSON, files: dict) -> bool:
        return True

    def _m_setmycommands(self, params: JSON, files: dict) -> bool:
        self.commands = list(params.get("commands") or [])
        return True

    def _m_deletemycommands(self, params: JSON, files: dict) -> bool:
        self.commands = []
        return True

    def _m_getmycommands(self, params: JSON, files: dict) -> list[JSON]:
        return self.commands

    def _m_deletewebhook(self, params: JSON, files: dict) -> bool:
        self.webhook = {"url": ""}
        return True

    def _m_setwebhook(self, params: JSON, files: dict) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret": params.get("secret_token")}
        return True

    def _m_getwebhookinfo(self, params: JSON, files: dict) -> JSON:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}

    def _m_getchat(self, params: JSON, files: dict) -> JSON:
        chat = dict(self._chat(params["chat_id"]))
        chat.setdefault("accent_color_id", 0)
        chat.setdefault("max_reaction_count", 11)
        chat.setdefault("accepted_gift_types", {
            "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
            "premium_subscription": False, "gifts_from_channels": False,
        })
        return chat

    def _m_sendchataction(self, params: JSON, files: dict) -> bool:
        self._chat(params["chat_id"])
        return True

    def _m_deletemessage(self, params: JSON, files: dict) -> bool:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if self.messages.pop(key, None) is None:
            raise BotApiError(400, "Bad Request: message to delete not found")
        return True

    def _m_close(self, params: JSON, files: dict) -> bool:
        return True


def auto_entities(text: str) -> list[JSON]:
    """Entities Telegram would add: a leading bot command and ``@username`` mentions."""
    ents: list[JSON] = []
    if text.startswith("/"):
        word = text.split(maxsplit=1)[0]
        ents.append({"type": "bot_command", "offset": 0, "length": _u16(word)})
    pos = 0
    for token in text.split(" "):
        if token.startswith("@") and len(token) > 1:
            ents.append({"type": "mention", "offset": _u16(text[:pos]), "length": _u16(token)})
        pos += len(token) + 1
    return ents


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class LocalRequest(BaseRequest):
    """A ``BaseRequest`` that answers every Bot API call from a :class:`LocalBotApi`.

    ``getUpdates`` answers an empty list (the shell feeds updates itself); a file URL answers
    the upload behind it.
    """

    def __init__(self, api: LocalBotApi) -> None:
        """Answer from ``api``."""
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        """No network: no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        """Answer the call (or a file download) locally with Telegram's JSON envelope."""
        if "/file/bot" in url:
            content = self.api.download(url.split("/file/bot", 1)[1].split("/", 1)[-1])
            return (404, b"Not Found") if content is None else (200, content)
        api_method = url.rsplit("/", 1)[-1]
        params: JSON = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data and request_data.contains_files:
            for part, value in request_data.multipart_data.items():
                name, content = value[0], value[1]
                if not isinstance(content, bytes):
                    content = content.read()
                files[part] = (name or part, content)
        if api_method == "getUpdates":
            return 200, b'{"ok":true,"result":[]}'
        try:
            result = self.api.handle(api_method, params, files)
        except BotApiError as exc:
            return exc.code, json.dumps(exc.payload()).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

