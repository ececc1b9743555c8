"""Updates acknowledged only after their effect is committed, and redone harmlessly.

python-telegram-bot's own long polling confirms an update to Telegram as soon as it is fetched,
so a process killed before the reply loses it. Here:

- :func:`poll` is the fetch loop of ``kehoach run``: ``getUpdates`` with the offset of the last
  update *processed*, so an update is confirmed (by the next call) only after
  :meth:`Application.process_update` returned — after its unit of work committed and its reply
  left. A kill leaves the update unconfirmed: Telegram gives it again to the next process.
- :class:`KehoachApplication` makes that second pass harmless: while an update is processed
  its id is in :data:`storage.handled.CURRENT_UPDATE`, so each unit of work that writes records
  it in the same transaction; an update found recorded is not applied again — a message gets
  the question its conversation now waits for (:func:`bot.handlers.conversation.resume`), a
  button goes to its handler, whose token says what already happened.

The webhook (:mod:`bot.webhook`) answers 200 only after ``process_update`` returned, the same
way.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Sequence

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.context import PREFETCHED, Prefetched
from bot.redo import redone_unfinished as redone_unfinished
from storage import handled

logger = logging.getLogger(__name__)

POLL_TIMEOUT_S = 10
POLL_BACKOFF_S = (0.5, 1, 2, 5, 10)
# Update ids this process finished, kept to acknowledge a re-posted webhook without a read.
RECENT_IDS = 10_000


class KehoachApplication(Application):
    """The Application, with each update's id held while it runs and redone updates tamed."""

    def __init__(self, **kwargs: object) -> None:
        """Build the Application (``kwargs`` as PTB's) with no update finished yet."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.finished_ids: OrderedDict[int, None] = OrderedDict()
        self.replayed = 0  # updates found handled and not applied again
        # The highest update id recorded when this process started (see :meth:`load_high`):
        # an update above it, when this process is the only consumer (long polling), cannot
        # have been handled by anyone else, so it needs no database read. With several
        # webhook workers (``shared``) another one may have handled it: always read.
        self.high_at_start: int | None = None
        self.shared = False
        # Shared: read what a message needs in one unit of work (see :func:`_prefetch`).
        self.prefetch = False

    def remember(self, update_id: int) -> None:
        """Note that ``update_id`` was processed by this process."""
        self.finished_ids[update_id] = None
        if len(self.finished_ids) > RECENT_IDS:
            self.finished_ids.popitem(last=False)

    async def process_update(self, update: object) -> None:
        """Process ``update`` with its id in :data:`~storage.handled.CURRENT_UPDATE`."""
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        token = handled.CURRENT_UPDATE.set(update.update_id)
        prefetched = PREFETCHED.set(None)
        try:
            if not await self._redone(update):
                await super().process_update(update)
            self.remember(update.update_id)
        finally:
            PREFETCHED.reset(prefetched)
            handled.CURRENT_UPDATE.reset(token)

    async def load_high(self) -> None:
        """Read the highest handled update id (at start-up, before any update)."""
        from bot.context import services_of

        self.high_at_start = await services_of(self).db.run(handled.latest_handled) or 0

    async def _redone(self, update: Update) -> bool:
        """True when ``update``'s effect is committed already and it was answered here."""
        from bot.context import services_of
        from bot.handlers import conversation

        if update.callback_query is not None:
            return False  # buttons carry their token: a repeated tap is told what happened
        if update.update_id in self.finished_ids:
            self.replayed += 1
            return True
        if not self.shared and self.high_at_start is not None and (
            update.update_id > self.high_at_start
        ):
            return False  # new since this process started, and not finished by it
        db = services_of(self).db
        if self.prefetch and update.message is not None:
            # A shared worker: the three reads a message needs (handled? open conversation?
            # the chat's plan?) in one query instead of three units of work.
            chat_id = update.message.chat.id
            user_id = update.effective_user.id if update.effective_user else None
            state, plan_id, open_ = await asyncio.to_thread(
                handled.glance, db.engine, update.update_id, chat_id,
                user_id if user_id is not None else 0)
            # An open conversation is read in full by its handler (one more read, for the
            # steps of a form only); none: the conversation handler needs no read.
            PREFETCHED.set(Prefetched(update.update_id, chat_id, user_id, state,
                                      conversation_known=user_id is not None and not open_,
                                      plan_id=plan_id))
        else:
            state = await db.run(handled.state_of, update.update_id)
        if state is None:
            return False
        if state == "done":
            self.replayed += 1
            logger.info("update %s already processed: acknowledged only", update.update_id)
            return True
        self.replayed += 1
        logger.info("update %s already handled: not applied again", update.update_id)
        context = self.context_types.context.from_update(update, self)
        try:
            await conversation.resume(update, context)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - to the error handler, like any handler's
            await self.process_error(update, exc)
        return True


def _lane_key(update: Update) -> int:
    chat = update.effective_chat
    user = update.effective_user
    return chat.id if chat is not None else (user.id if user is not None else 0)


async def process_batch(application: Application, updates: Sequence[Update]) -> None:
    """Process ``updates``: in order within a chat, chats side by side; return when all done."""
    lanes: dict[int, list[Update]] = {}
    for update in updates:
        lanes.setdefault(_lane_key(update), []).append(update)

    async def lane(items: list[Update]) -> None:
        for item in items:
            try:
                await application.process_update(item)
            except Exception as exc:  # noqa: BLE001 - one update must not stop the others
                logger.error("update %s not processed: %s", item.update_id, type(exc).__name__)

    await asyncio.gather(*(lane(items) for items in lanes.values()))
    await mark_done(application, [u.update_id for u in updates])


async def mark_done(application: Application, update_ids: list[int]) -> None:
    """Record ``update_ids`` as processed to the end (one unit of work); a failure is logged."""
    from bot.context import services_of

    services = services_of(application)
    try:
        await services.db.run(handled.mark_done, update_ids, now=services.clock.now())
    except Exception as exc:  # noqa: BLE001 - only replays would be redone
        logger.warning("updates not marked done: %s", type(exc).__name__)


async def poll(application: Application, stop: asyncio.Event, *,
               timeout: float = POLL_TIMEOUT_S) -> int:  # noqa: ASYNC109 - Telegram's
    """Long-poll ``getUpdates`` until ``stop`` is set; confirm updates only once processed.

    Args:
        application: the started application.
        stop: set it to end the loop (after the batch in hand).
        timeout: the long-poll timeout, seconds.

    Returns:
        How many updates were processed.
    """
    bot = application.bot
    offset: int | None = None
    failures = processed = 0
    stopping = asyncio.ensure_future(stop.wait())
    while not stop.is_set():
        fetch = asyncio.ensure_future(bot.get_updates(
            offset=offset, timeout=timeout, allowed_updates=Update.ALL_TYPES,
            read_timeout=timeout + 10,
        ))
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not fetch.done():  # stopping: a long poll in flight carries nothing processed
            fetch.cancel()
            break
        try:
            updates = fetch.result()
        except TimedOut:
            continue
        except RetryAfter as exc:
            await _wait(stop, float(getattr(exc, "_retry_after", 5) or 5))
            continue
        except NetworkError as exc:
            delay = POLL_BACKOFF_S[min(failures, len(POLL_BACKOFF_S) - 1)]
            failures += 1
            logger.warning("getUpdates failed (%s): again in %ss", type(exc).__name__, delay)
            await _wait(stop, delay)
            continue
        failures = 0
        if not updates:
            continue
        await process_batch(application, updates)
        processed += len(updates)
        offset = updates[-1].update_id + 1  # the next call confirms them
    stopping.cancel()
    if offset is not None:  # confirm the last batch before leaving
        try:
            await bot.get_updates(offset=offset, timeout=0, limit=1)
        except NetworkError as exc:
            logger.info("last updates not confirmed (%s): they will be redone", type(exc).__name__)
    return processed


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
