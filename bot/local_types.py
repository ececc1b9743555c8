"""What the in-memory Bot API (:mod:`bot.local_api`) records and answers besides messages.

A :class:`Call` the bot made; the errors it answers, each the answer Telegram gives (a 403 after
a kick or a block, a 429 flood-control wait, a 400 for a group that became a supergroup); and
the :class:`Fault` a test plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


class BotApiError(Exception):
    """An error answer of the Bot API (HTTP code, description, optional parameters)."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        """The error ``code`` with its ``description`` (and ``parameters``)."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """The JSON body Telegram sends with this error."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class Call:
    """One method the bot called, with its decoded parameters and what it got back."""

    method: str
    params: JSON
    result: Any = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class Fault:
    """An error to answer instead of the next ``times`` calls of ``method`` (to ``chat_id``)."""

    method: str
    error: BotApiError
    chat_id: int | None = None
    times: int = 1


def forbidden(description: str = "Forbidden: bot was kicked from the group chat") -> BotApiError:
    """The 403 a bot gets after being removed from a chat or blocked."""
    return BotApiError(403, description)


def too_many_requests(retry_after: int = 1) -> BotApiError:
    """A 429 flood-control answer."""
    return BotApiError(429, f"Too Many Requests: retry after {retry_after}",
                       {"retry_after": retry_after})


def migrated(new_chat_id: int) -> BotApiError:
    """The 400 a bot gets sending to a group that became a supergroup."""
    return BotApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                       {"migrate_to_chat_id": new_chat_id})
