"""Incident logging in a private chat: /suvu (the form), /suvu_ds (the list), their buttons.

Protection comes first:

- **private chats only.** In a group, /suvu and /suvu_ds are answered with one message and a
  button to continue privately; nothing the user wrote is repeated (their message is deleted
  when the bot may, if it carried details).
- **only approved officers log; only the plan's coordinators and the admins read.** The
  service functions of :mod:`features.incidents` check it and audit every read.
- **no content in logs.** Handlers log numbers and ids only; python-telegram-bot's DEBUG
  payloads are masked (:func:`features.log_guard.install_log_guard`); service exceptions carry
  codes.
- **encrypted drafts.** The form is kept in ``conversation_state`` encrypted
  (:mod:`features.incident_drafts`); after saving, the confirmation message is replaced by a
  receipt with no description.

The form is one of the persisted conversations of :mod:`bot.handlers.conversation`: while it
is open, the user's next text goes to :func:`form_message` (not to the questions), /huy ends
it and an idle form is dropped with a goodbye. The ``/start suvu`` deep link of the group
button is taken in :data:`FORM_GROUP`, before /start's own handler.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot import render_incidents as r
from bot.chat import edit_html, send_replies
from bot.context import BotContext
from bot.handlers import conversation, incident_notes, switching
from bot.handlers.incident_reading import (
    LIST_SIZE as LIST_SIZE,
    list_command,
    reader_button,
    tapped_message,
)
from bot.redo import redone_unfinished
from bot.render import Reply, escape
from core.clock import VN_TZ
from core.texts import incidents as t
from features import (
    incident_chat as chat,
    incident_drafts as drafts,
    incident_form as forms,
    incident_places as places,
    log_guard,
)
from features.incident_chat import Tap
from features.incidents import Logged
from storage.crypto import FieldCipher, cipher_from_settings

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
# The handler group of the ``/start suvu`` deep link: before /start's own handler (group 0).
FORM_GROUP = -2
TIMEOUT = dt.timedelta(hours=24)  # an idle form is kept this long, offered again by /suvu
RETENTION_JOB = "incidents:retention"
RETENTION_AT = dt.time(2, 30, tzinfo=VN_TZ)
_DEEP_LINK = r"^/start(?:@\w+)?\s+(suvu|suvu_ds)\s*$"


# --- sending ---------------------------------------------------------------------------------


def _cipher(context: BotContext) -> FieldCipher:
    return cipher_from_settings(context.settings)


_send, _edit = send_replies, edit_html
async def _notify(context: BotContext, logged: Logged, recipients: Sequence[int]) -> None:
    """Tell the coordinators privately: number, type, place, urgency — never the description."""
    reply = r.notification(logged, context.kb)
    for person in recipients:
        try:
            await _send(context, person, [reply])
        except TelegramError as exc:  # never started the bot, or blocked it
            logger.warning("incident %s: %s not notified (%s)", logged.number, person,
                           type(exc).__name__)


def _question(context: BotContext, form: drafts.Form, problem: str | None = None) -> Reply:
    """The form's current question, with the communes of the plan's area at the place step."""
    return r.question(form, problem, places.communes(context.kb, form.plan_id))


# --- commands --------------------------------------------------------------------------------


async def group_redirect(update: Update, context: BotContext) -> None:
    """/suvu or /suvu_ds in a group: one message with a button to the private chat, no echo."""
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1)
    listing = words[0].split("@")[0].lower() == "/suvu_ds"
    wrote = len(words) > 1
    reply = r.group_redirect(context.bot.username, listing=listing, wrote_details=wrote)
    await _send(context, message.chat.id, [reply])
    if wrote:
        try:
            await message.delete()
        except TelegramError as exc:  # not an admin of the group: the message stays
            logger.info("incident command in chat %s not deleted (%s)", message.chat.id,
                        type(exc).__name__)


async def log_command(update: Update, context: BotContext) -> None:
    """/suvu in a private chat: the safety line, then the form (approved officers only)."""
    message = update.effective_message
    user = update.effective_user
    if not context.settings.incidents_enabled:
        await _send(context, message.chat.id, [Reply(escape(t.DISABLED))])
        return
    if not await switching.may_start(update, context, drafts.NAME):
        return
    outcome, form = await context.db.run(
        forms.begin, _cipher(context), message.chat.id, user.id, message.message_id,
        context.settings.admin_ids, now=context.clock.now(), timeout=TIMEOUT,
    )
    if outcome is forms.Start.REPEATED:
        return
    if outcome is forms.Start.RESUME and form is not None:
        await _send(context, message.chat.id, [r.resume_offer(form)])
        return
    if form is None:
        text = {forms.Start.READER: t.NOT_OFFICER_BUT_READER,
                forms.Start.PENDING: t.NOT_YET_APPROVED}.get(outcome, t.NOT_OFFICER)
        await _send(context, message.chat.id, [Reply(escape(text))])
        return
    await _send(context, message.chat.id, r.start_replies(form))


async def deep_link(update: Update, context: BotContext) -> None:
    """``/start suvu`` or ``/start suvu_ds`` (the group's button): the command itself."""
    text = update.effective_message.text or ""
    if text.split()[-1] == "suvu_ds":
        await list_command(update, context)
    else:
        await log_command(update, context)
    raise ApplicationHandlerStop


async def form_message(update: Update, context: BotContext, row: object) -> None:
    """The user's message while the form is open (from :mod:`bot.handlers.conversation`).

    A failure is reported through the error handler as usual, but the update stops here: a
    description must never fall through to the question answering of the later groups.
    """
    try:
        await _form_message(update, context)
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed
        await context.application.process_error(update, exc)


async def _form_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if not context.settings.incidents_enabled:
        return
    outcome = await context.db.run(
        forms.answer_text, _cipher(context), message.chat.id, update.effective_user.id,
        message.message_id, message.text, now=context.clock.now(), timeout=TIMEOUT,
        kb=context.kb,
    )
    if outcome is None or outcome.ignored:
        return
    if outcome.expired or outcome.form is None:
        await _send(context, message.chat.id, [Reply(escape(TIMED_OUT))])
    elif outcome.event == forms.WARNED:
        await _send(context, message.chat.id, [r.pii_warning(outcome.findings)])
    else:
        await _send(context, message.chat.id, [_question(context, outcome.form, outcome.problem)])


# --- buttons ---------------------------------------------------------------------------------


async def form_button(update: Update, context: BotContext) -> None:
    """A button of the form: an answer, the warnings' choice, edit, save, cancel."""
    query = update.callback_query
    message = await tapped_message(update, context)
    if message is None:
        return
    user_id = update.effective_user.id
    if query.data == r.CB_CANCEL:
        cancelled = await context.db.run(drafts.clear, message.chat.id, user_id)
        await query.answer()
        await _edit(message, escape(t.CANCELLED if cancelled else t.STALE))
        return
    if query.data == r.CB_SAVE:
        await _save_tapped(update, context, message)
        return
    if query.data in (r.CB_RESUME, r.CB_RESTART):
        await query.answer()
        await _resume_tapped(update, context, message, restart=query.data == r.CB_RESTART)
        return
    tap = _form_tap(query.data)
    outcome = forms.Outcome(None, ignored=True) if tap is None else await context.db.run(
        chat.form_tap, _cipher(context), message.chat.id, user_id, *tap,
        now=context.clock.now(), timeout=TIMEOUT, kb=context.kb)
    if outcome.expired:
        await query.answer()
        await _edit(message, escape(TIMED_OUT))
        return
    if outcome.ignored or outcome.form is None:
        if outcome.form is not None and await redone_unfinished(context.application, update):
            # Its answer was committed, then the process died before the next question left:
            # the tap, given again after the restart, gets that question again.
            await query.answer()
            await _send(context, message.chat.id, [_question(context, outcome.form)])
            return
        await query.answer(t.STALE)
        return
    await query.answer()
    form = outcome.form
    if outcome.event == forms.TOGGLED:
        await message.edit_reply_markup(r.actions_keyboard(form.draft.actions or ()))
        return
    if outcome.event in (forms.EDIT_MENU, forms.BACK_TO_CONFIRM) or (
        outcome.event in (forms.REDACTED, forms.KEPT) and form.state == forms.CONFIRM
    ):
        reply = _question(context, form)  # the tapped message becomes the menu / the confirmation
        await message.edit_text(reply.html, parse_mode=ParseMode.HTML, reply_markup=reply.markup)
        return
    await _edit(message, r.tapped(outcome.event, outcome.step, form.draft))
    await _send(context, message.chat.id, [_question(context, form)])


def _form_tap(data: str) -> tuple[Tap, str, str] | None:
    """The form's move of a button's callback data (an answer, a choice, edit), if any."""
    if data.startswith(r.CB_FORM):
        step, _, value = data.removeprefix(r.CB_FORM).partition(":")
        return Tap.ANSWER, step, value
    if data.startswith(r.CB_PII):
        return Tap.FINDINGS, data.removeprefix(r.CB_PII), ""
    if data == r.CB_EDIT or data.startswith(f"{r.CB_EDIT}:"):
        return Tap.EDIT, data.removeprefix(r.CB_EDIT).removeprefix(":"), ""
    return None


async def _resume_tapped(update: Update, context: BotContext, message: Message, *,
                         restart: bool) -> None:
    """"Tiếp tục": the kept form's current question; "Bỏ": the form from the start."""
    user_id, now = update.effective_user.id, context.clock.now()
    if restart:
        _, form = await context.db.run(
            forms.begin, _cipher(context), message.chat.id, user_id, message.message_id,
            context.settings.admin_ids, now=now, timeout=TIMEOUT, restart=True,
        )
    else:
        form = await context.db.run(forms.resume, _cipher(context), message.chat.id, user_id,
                                    message.message_id, now=now, timeout=TIMEOUT)
    if form is None:
        await _edit(message, escape(t.STALE))
        return
    await _edit(message, escape(t.RESTARTED if restart else t.RESUMED))
    await _send(context, message.chat.id, [_question(context, form)])


async def _save_tapped(update: Update, context: BotContext, message: Message) -> None:
    query = update.callback_query
    saved = await context.db.run(
        forms.save, _cipher(context), message.chat.id, update.effective_user.id,
        message.message_id, context.settings.admin_ids, now=context.clock.now(), timeout=TIMEOUT,
    )
    if saved.problem == "stale":
        await query.answer(t.STALE)
        return
    await query.answer()
    if saved.problem == "expired":
        await _edit(message, escape(TIMED_OUT))
        return
    if saved.problem == "denied":
        await _edit(message, escape(t.NOT_OFFICER))
        return
    if saved.missing is not None:
        label = t.FIELD_LABELS.get(saved.missing, saved.missing)
        await _send(context, message.chat.id, [Reply(escape(t.SAVE_FAILED.format(field=label)))])
        return
    assert saved.logged is not None
    await _edit(message, r.receipt(saved.logged, saved.notified, len(saved.recipients)))
    if saved.logged.new:
        logger.info("incident %s logged", saved.logged.number)
        await _notify(context, saved.logged, saved.recipients)
    elif await redone_unfinished(context.application, update):
        # Saved, then the process died: the coordinators may never have been told. Told
        # (again): a second notice is better than none for a child in danger.
        logger.info("incident %s: notices sent again after a restart", saved.logged.number)
        await _notify(context, saved.logged, saved.recipients)


# --- retention -------------------------------------------------------------------------------


async def retention_job(context: BotContext) -> None:
    """Daily: anonymise incidents older than ``INCIDENT_RETENTION_MONTHS``; drop stale drafts."""
    done = await context.db.run(chat.retention, _cipher(context),
                                context.settings.incident_retention_months, context.clock.now(),
                                TIMEOUT)
    logger.info("incident retention: %d anonymised, %d stale drafts dropped", done.anonymised,
                done.drafts_dropped)


async def form_reprompt(update: Update, context: BotContext, row: object) -> None:
    """The question the form now waits for, again.

    For a message redone after a kill (its answer committed, the reply maybe never sent).
    """
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    try:
        form = await context.db.run(drafts.load, _cipher(context), message.chat.id,
                                    update.effective_user.id, context.clock.now(), TIMEOUT)
    except drafts.Expired:
        return
    if form is not None:
        await _send(context, message.chat.id, [_question(context, form)])


TIMED_OUT = t.TIMED_OUT.format(hours=int(TIMEOUT.total_seconds() // 3600))
conversation.define(conversation.Conversation(
    name=drafts.NAME, on_message=form_message, cancelled_text=t.CANCELLED,
    timed_out_text=TIMED_OUT, idle_timeout=TIMEOUT, reprompt=form_reprompt,
))


# --- registration ----------------------------------------------------------------------------


def register(application: Application) -> None:
    """Add /suvu, /suvu_ds, their buttons, the form's text answers and the retention job."""
    log_guard.install_log_guard()
    private = filters.ChatType.PRIVATE
    application.add_handlers([
        CommandHandler(["suvu", "suvu_ds"], group_redirect, filters=filters.ChatType.GROUPS),
        CommandHandler("suvu", log_command, filters=private),
        CommandHandler("suvu_ds", list_command, filters=private),
        CallbackQueryHandler(reader_button, pattern=f"^(?:{r.CB_OPEN}|{r.CB_STATUS}|{r.CB_HIDE})"),
        incident_notes.HANDLER,
        CallbackQueryHandler(form_button, pattern=f"^{r.CB}"),
    ])
    conversation.install(application)
    switching.install(application)
    switching.starter(drafts.NAME, log_command)
    application.add_handler(
        CommandHandler("start", deep_link, filters=private & filters.Regex(_DEEP_LINK)),
        group=FORM_GROUP,
    )
    # the retention job is scheduled with every other job, in bot/jobs.py
