"""Asking the assistant from a chat: whose plans, what was asked just before, what it missed.

The feature behind free-text questions, ``/hoi``, ``/han`` and ``/lich`` (handlers stay thin):

- **the asker's plans** — with no plan chosen for the chat, an approved officer's or
  coordinator's questions use the plans they are registered in (several: the answer covers
  them). Read from the registry, kept :data:`USER_PLAN_SECONDS` per user;
- **follow-ups** — the previous question and answer of the same chat and user, kept in memory
  (never in logs or the database) for ``FOLLOW_UP_MINUTES``, are passed to the engine as its
  context, so "còn phòng y tế thì sao?" continues the last question;
- **unanswered questions** — an answer the engine could not give is kept, screened and folded,
  for ``kehoach questions unanswered`` (:mod:`features.asking`).
"""

from __future__ import annotations

import datetime as dt
import time

from bot.context import BotContext
from features import asking
from knowledge.answers import Answer


async def asker_plans(context: BotContext, user_id: int | None) -> list[str]:
    """The loaded plans the asker is registered in (none for an unknown user)."""
    if user_id is None:
        return []
    cache = context.services.user_plans
    now = time.monotonic()
    plans = cache.get(user_id, now)
    if plans is None:
        plans = await context.db.run(asking.registered_plans, user_id)
        cache.put(user_id, plans, now)
    return [p for p in plans if p in context.kb.plans]


async def ask(context: BotContext, *, chat_id: int, user_id: int | None, question: str,
              chat_plan: str | None, remember: bool) -> Answer:
    """Answer ``question`` for this chat and user: plan scope, follow-up, review log.

    Args:
        context: the handler's context.
        chat_id: the chat asked in.
        user_id: the asker (None for an anonymous sender).
        question: the text.
        chat_plan: the plan the chat chose, if any.
        remember: keep the exchange for follow-ups (private chats, replies to the bot).
    """
    scope: str | list[str] | None = chat_plan
    if scope is None:
        own = await asker_plans(context, user_id)
        scope = own[0] if len(own) == 1 else (own or None)
    memory = context.services.followups
    key = (chat_id, user_id or 0)
    now = time.monotonic()
    previous = memory.get(key, now) if remember else None
    answer = context.answer(question, scope, context=previous)
    if remember:
        memory.put(key, question, answer, scope, now)
    if asking.is_unanswered(answer):  # most answers need no unit of work at all
        today: dt.date = context.clock.now().date()
        await context.db.run(asking.record_unanswered, question, answer, today=today)
    return answer
