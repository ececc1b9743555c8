"""Adding a plan from Telegram.

- An admin sends a .docx (or .txt) plan in private chat: the bot reads it with
  :func:`knowledge.ingest.ingest_bytes` and sends back the draft ``<id>.yaml`` and its source
  text ``<id>.txt`` to review (nothing is loaded). A caption may give the plan's id and year
  ("quan3-2024 2024").
- ``/reload`` (admins): load the plans folder again; a file that does not validate is named
  (without its server path) with what is wrong, in Vietnamese (:mod:`bot.reload_errors`),
  and the plans in use stay.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext, install_services, services_of
from bot.reload_errors import reload_error
from core.texts import ingest as t
from knowledge.base import PlanFileError, load_knowledge_base

if TYPE_CHECKING:  # the ingester is imported when a file comes, not at start-up
    from knowledge.ingest import Draft

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
NOTES_SHOWN = 3
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def caption_options(caption: str | None) -> tuple[str | None, int | None]:
    """The plan id and year an admin wrote in the caption ("quan3-2024 2024"), if any."""
    plan_id = year = None
    for word in (caption or "").split():
        word = word.strip(",;").lower()
        if _YEAR.match(word):
            year = int(word)
        elif _ID.match(word) and plan_id is None:
            plan_id = word
    return plan_id, year


def draft_message(draft: Draft) -> str:
    """The reply that goes with the draft files."""
    p = draft.plan
    counts = draft.counts()
    doubts = [*draft.missing, *draft.uncertain()]  # what is missing, then what is uncertain
    if doubts:
        first = "\n".join(t.NOTE_LINE.format(note=n) for n in doubts[:NOTES_SHOWN])
        notes = t.NOTES.format(count=len(doubts), first=first)
    else:
        notes = t.NOTES_NONE
    return t.DRAFT.format(
        plan_id=p.id, issuer=p.issuer, year=p.year, units=counts["đơn vị"],
        tasks=counts["nhiệm vụ"], dated=counts["hạn có ngày"], undated=counts["hạn không ngày"],
        targets=counts["mục tiêu/chỉ tiêu"], contacts=counts["đường dây nóng"],
        bases=counts["căn cứ"], notes=notes,
    )


async def on_document(update: Update, context: BotContext) -> None:
    """An admin's .docx/.txt in private chat: reply with the draft plan file."""
    message = update.effective_message
    document = message.document
    name = Path(document.file_name or "ke-hoach.docx").name
    max_mb = context.settings.max_file_mb
    if document.file_size and document.file_size >= max_mb * 1024 * 1024:
        await message.reply_text(t.FILE_TOO_BIG.format(
            name=name, size=f"{document.file_size / 2**20:.1f}", max_mb=max_mb))
        return
    await message.reply_text(t.READING.format(name=name))
    tg_file = await context.bot.get_file(document.file_id)
    data = bytes(await tg_file.download_as_bytearray())
    plan_id, year = caption_options(message.caption)
    from knowledge.ingest import IngestError, ingest_bytes

    try:
        draft = await asyncio.to_thread(
            ingest_bytes, data, name, plan_id=plan_id, year=year,
            max_bytes=max_mb * 1024 * 1024,
        )
    except IngestError as exc:
        await message.reply_text(t.FAILED.format(name=name, error=exc))
        return
    logger.info("draft %s from %s for admin %s", draft.plan.id, name, update.effective_user.id)
    await message.reply_text(draft_message(draft))
    pid = draft.plan.id
    await message.reply_document(
        InputFile(draft.to_yaml().encode("utf-8"), filename=f"{pid}.yaml"),
        caption=t.DRAFT_CAPTION.format(plan_id=pid),
    )
    await message.reply_document(
        InputFile(draft.source_text.encode("utf-8"), filename=draft.plan.source),
        caption=t.SOURCE_CAPTION.format(plan_id=pid),
    )


async def reload_plans(update: Update, context: BotContext) -> None:
    """/reload: load the plans folder again (admins)."""
    message = update.effective_message
    if update.effective_user is None or update.effective_user.id not in context.settings.admin_ids:
        await message.reply_text(t.NOT_ADMIN)
        return
    before = set(context.kb.plans)
    try:
        kb = await asyncio.to_thread(load_knowledge_base, context.settings.plans_dir)
    except PlanFileError as exc:  # the English detail, with the path, stays in the log
        logger.warning("/reload failed: %s", exc)
        await message.reply_text(t.RELOAD_FAILED.format(error=reload_error(exc)))
        return
    # a new KnowledgeBase object: the engine builds its index for it on the next question
    install_services(context.application, dataclasses.replace(context.services, kb=kb))
    logger.info("plans reloaded by %s: %s", update.effective_user.id, sorted(kb.plans))
    text = t.RELOADED.format(count=len(kb), plans=", ".join(sorted(kb.plans)))
    added, removed = set(kb.plans) - before, before - set(kb.plans)
    if added or removed:
        text += "\n" + t.RELOADED_CHANGES.format(added=", ".join(sorted(added)) or "—",
                                                 removed=", ".join(sorted(removed)) or "—")
    await message.reply_text(text)


def register(application: Application) -> None:
    """Add /reload and the admins' plan documents (private chats)."""
    admins = services_of(application).settings.admin_ids
    plan_files = filters.Document.FileExtension("docx") | filters.Document.FileExtension("txt")
    application.add_handlers([
        CommandHandler(["reload", "naplai"], reload_plans),
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & plan_files
            & filters.User(user_id=admins, allow_empty=False),
            on_document,
        ),
    ])
