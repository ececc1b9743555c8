"""The one typed context handlers receive: ``context.kb``, ``context.db``, ``context.clock``.

The shared objects are stored once, in ``bot_data`` under a private key, by
:func:`install_services`; handlers read them through the typed properties of
:class:`BotContext` (installed with ``ContextTypes(context=BotContext)``), never through raw
``bot_data`` keys.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from core.clock import Clock
from core.settings import Settings
from features.memory import FollowUpMemory, UserPlans
from knowledge.answers import Answer
from knowledge.base import KnowledgeBase
from knowledge.followup import Context

if TYPE_CHECKING:
    from storage.db import Database

_KEY = "_kehoach_services"

AnswerFn = Callable[..., Answer]
# Chats whose plan is kept in memory before the cache starts afresh.
CHAT_PLAN_CACHE_SIZE = 50_000


@dataclass
class Prefetched:
    """What a shared webhook worker read in one unit of work at the start of a message update.

    (:meth:`bot.updates.KehoachApplication.process_update`): whether the update was handled,
    the sender's open conversation in the chat, the chat's plan. Each is used once, by the
    first reader, then forgotten (``None`` fields after that mean "ask the database").
    """

    update_id: int
    chat_id: int
    user_id: int | None
    state: str | None
    conversation: Any = None  # a ConversationState row, or None (there is none)
    conversation_known: bool = True
    plan_id: str | None = None
    plan_known: bool = True

    def take_conversation(self, chat_id: int, user_id: int) -> tuple[bool, Any]:
        """(known, row) of ``user_id``'s conversation in ``chat_id``, once."""
        if not self.conversation_known or (chat_id, user_id) != (self.chat_id, self.user_id):
            return False, None
        self.conversation_known = False
        return True, self.conversation


# The prefetch of the update being processed (shared webhook workers only), else None.
PREFETCHED: ContextVar[Prefetched | None] = ContextVar("kehoach_prefetched", default=None)


class ChatPlanCache:
    """The plan each chat chose, as last read from or written to the database.

    With one bot process, it is the only writer of chat plans (``/kehoach``, migrations,
    membership), and each write goes through :meth:`put` or :meth:`forget`; so a question
    costs no database round trip once its chat is known. With several (``shared``: webhook
    workers behind a load balancer) every read goes to the database.
    """

    def __init__(self, size: int = CHAT_PLAN_CACHE_SIZE) -> None:
        """Keep the plans of up to ``size`` chats."""
        self._plans: dict[int, str | None] = {}
        self._size = size
        # Several processes write chat plans (webhook workers on one database): read through.
        self.shared = False

    def get(self, chat_id: int) -> tuple[bool, str | None]:
        """(known, plan id) of ``chat_id``.

        When the cache is ``shared``, known only from the update's :class:`Prefetched` (read at
        its start, in the same unit of work).
        """
        if self.shared:
            pre = PREFETCHED.get()
            if pre is not None and pre.plan_known and pre.chat_id == chat_id:
                return True, pre.plan_id
            return False, None
        if chat_id in self._plans:
            return True, self._plans[chat_id]
        return False, None

    def put(self, chat_id: int, plan_id: str | None) -> None:
        """Remember the plan of ``chat_id`` as the database now has it."""
        pre = PREFETCHED.get()
        if pre is not None and pre.chat_id == chat_id:
            pre.plan_id, pre.plan_known = plan_id, True
        if len(self._plans) >= self._size:
            self._plans.clear()
        self._plans[chat_id] = plan_id

    def forget(self, *chat_ids: int) -> None:
        """Drop what is known of ``chat_ids`` (the next read goes to the database)."""
        pre = PREFETCHED.get()
        if pre is not None and pre.chat_id in chat_ids:
            pre.plan_known = False
        for chat_id in chat_ids:
            self._plans.pop(chat_id, None)


@dataclass(frozen=True)
class Services:
    """What handlers need besides the update: knowledge, storage, time, settings."""

    kb: KnowledgeBase
    db: Database
    clock: Clock
    settings: Settings
    answer: AnswerFn
    chat_plans: ChatPlanCache = field(default_factory=ChatPlanCache)
    followups: FollowUpMemory = field(default_factory=lambda: FollowUpMemory(minutes=10))
    user_plans: UserPlans = field(default_factory=UserPlans)


def install_services(application: Application, services: Services) -> None:
    """Store ``services`` in the application's ``bot_data`` (once, under a private key)."""
    application.bot_data[_KEY] = services


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """``CallbackContext`` with typed access to the application's services."""

    @property
    def services(self) -> Services:
        """All services at once."""
        return self.application.bot_data[_KEY]

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (plans)."""
        return self.services.kb

    @property
    def db(self) -> Database:
        """The database (``await context.db.run(fn, *args)``)."""
        return self.services.db

    @property
    def clock(self) -> Clock:
        """The injected clock (Asia/Ho_Chi_Minh)."""
        return self.services.clock

    @property
    def settings(self) -> Settings:
        """The settings the application was built from."""
        return self.services.settings

    def answer(self, question: str, plan_id: str | list[str] | None,
               context: Context | None = None) -> Answer:
        """Answer ``question`` with the engine as of the clock's today."""
        extra = {} if context is None else {"context": context}  # older answer functions
        return self.services.answer(
            self.kb, question, today=self.clock.now().date(), plan_id=plan_id, **extra
        )


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The services of an application (for hooks that get no context)."""
    return application.bot_data[_KEY]
