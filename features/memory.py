"""Short-lived, per-process memories of the question feature (never logged, never stored).

- :class:`FollowUpMemory` — the last question and answer of each (chat, user), for follow-ups;
- :class:`UserPlans` — the plans each user is registered in, read through for a few seconds.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from knowledge.answers import Answer
from knowledge.followup import Context

USER_PLAN_SECONDS = 30.0
MEMORY_SIZE = 20_000
UserKey = tuple[int, int]  # (chat id, user id)


@dataclass(frozen=True)
class _Exchange:
    question: str
    answer: Answer
    plan_id: str | list[str] | None
    at: float


class FollowUpMemory:
    """The last exchange of each (chat, user), for a few minutes (in memory, bounded)."""

    def __init__(self, minutes: float, size: int = MEMORY_SIZE,
                 ) -> None:
        """Keep up to ``size`` exchanges, each for ``minutes``."""
        self._ttl = minutes * 60
        self._size = size
        self._items: OrderedDict[UserKey, _Exchange] = OrderedDict()

    def get(self, key: UserKey, now: float) -> Context | None:
        """The previous exchange of ``key`` if it is recent enough."""
        item = self._items.get(key)
        if item is None or now - item.at > self._ttl:
            self._items.pop(key, None)
            return None
        first = item.plan_id if isinstance(item.plan_id, str) else None
        return Context(question=item.question, answer=item.answer, plan_id=first)

    def put(self, key: UserKey, question: str, answer: Answer,
            plan_id: str | list[str] | None, now: float) -> None:
        """Remember the latest exchange of ``key`` (the oldest key goes past the size)."""
        self._items[key] = _Exchange(question, answer, plan_id, now)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


class UserPlans:
    """The plans each user is registered in (approved), read through, kept a few seconds."""

    def __init__(self, seconds: float = USER_PLAN_SECONDS) -> None:
        """Keep each user's plans for ``seconds``."""
        self._ttl = seconds
        self._items: dict[int, tuple[float, list[str]]] = {}

    def get(self, user_id: int, now: float) -> list[str] | None:
        """The plans of ``user_id`` read less than the time to keep them ago, else None."""
        hit = self._items.get(user_id)
        return hit[1] if hit and now - hit[0] <= self._ttl else None

    def put(self, user_id: int, plans: list[str], now: float) -> None:
        """Remember the plans of ``user_id`` as read at ``now`` (monotonic seconds)."""
        if len(self._items) > MEMORY_SIZE:
            self._items.clear()
        self._items[user_id] = (now, plans)
