"""The conversation core: /start, /help, /trogiup, questions, /hoi, /kehoach, /han, buttons.

Handlers are thin: read the update, call the engine or a feature function (one ``db.run`` per
update), render with :mod:`bot.render`, send. :func:`register` adds the commands and buttons
first; :func:`register_fallbacks` adds free-text questions, unknown commands and stale buttons
last, after every feature's handlers (see :mod:`bot.handlers`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from telegram import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import asking, render
from bot.context import BotContext
from bot.render import CB_ALL_PLANS, CB_ASK, CB_MENU, CB_PLAN, Reply
from core.texts import common as t, format as F
from features import chat_plan
from knowledge.deadlines import to_out, upcoming
from knowledge.place_plans import note as place_note, plans_for_place
from knowledge.understanding import MAX_QUESTION_CHARS

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
DEADLINES_SHOWN = 8


# --- sending ---------------------------------------------------------------------------------


async def send(message: Message, replies: Sequence[Reply]) -> None:
    """Send ``replies`` in answer to ``message`` (quoted in groups, plain in private chats)."""
    for reply in replies:
        await message.reply_text(
            reply.html, parse_mode=ParseMode.HTML, reply_markup=reply.markup,
            disable_web_page_preview=True,
        )


def is_group(chat: Chat) -> bool:
    """Whether ``chat`` is a group or a supergroup."""
    return chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def _chat_plan(context: BotContext, chat_id: int) -> str | None:
    """The plan ``chat_id`` chose (None for all plans), from the cache or the database."""
    cache = context.services.chat_plans
    known, plan_id = cache.get(chat_id)
    if not known:
        plan_id = await context.db.run(chat_plan.plan_of, chat_id)
        cache.put(chat_id, plan_id)
    return plan_id if plan_id in context.kb.plans else None


async def answer_question(message: Message, context: BotContext, question: str, *,
                          remember: bool = True) -> None:
    """Answer ``question`` asked in ``message``'s chat, by the chat's plan (else the asker's).

    ``remember``: keep the exchange for a follow-up (private chats, replies to the bot).
    """
    question = question.strip()
    if not question:
        await send(message, [Reply(render.escape(t.EMPTY_MESSAGE))])
        return
    if len(question) > MAX_QUESTION_CHARS:
        text = t.TOO_LONG.format(length=F.number(len(question)),
                                 limit=F.number(MAX_QUESTION_CHARS))
        await send(message, [Reply(render.escape(text))])
        return
    plan_id = await _chat_plan(context, message.chat.id)
    user = message.from_user
    answer = await asking.ask(
        context, chat_id=message.chat.id, user_id=user.id if user else None, question=question,
        chat_plan=plan_id, remember=remember,
    )
    await send(message, render.answer_replies(answer, context.kb))


# --- commands --------------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    """/start: greeting, what the assistant can do, and the menu."""
    message = update.effective_message
    plan_id = await _chat_plan(context, message.chat.id)
    user = update.effective_user
    reply = render.start_reply(
        user.first_name if user else None, context.kb, plan_id,
        group=is_group(message.chat), bot_username=context.bot.username,
    )
    await send(message, [reply])


def all_commands() -> list[tuple[str, str]]:
    """The commands of every handler module (for /trogiup and the menu)."""
    from bot.handlers import menu_commands

    return menu_commands()


async def help_command(update: Update, context: BotContext) -> None:
    """/help and /trogiup: the commands and how to ask."""
    await send(update.effective_message, [render.help_reply(all_commands())])


def _command_argument(message: Message) -> str:
    """The text after the leading command (newlines kept)."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return text[len(message.parse_entity(entity)):]
    return text


async def ask_command(update: Update, context: BotContext) -> None:
    """/hoi <câu hỏi>: answer a question (the way to ask in groups)."""
    message = update.effective_message
    question = _command_argument(message).strip()
    if not question:
        await send(message, [Reply(render.escape(t.ASK_USAGE))])
        return
    await answer_question(message, context, question,
                          remember=message.chat.type == ChatType.PRIVATE)


async def plans_command(update: Update, context: BotContext) -> None:
    """/kehoach [nơi]: the chat's plan and buttons to choose another.

    A place named (of before or after 2025, "Hải Phòng") that one plan covers selects that plan.
    """
    message = update.effective_message
    typed = " ".join(context.args or []).strip()
    if typed:
        plan_id = context.kb.plans.get(typed) and typed
        matches = [] if plan_id else plans_for_place(context.kb, typed)
        if plan_id or len(matches) == 1:
            plan = context.kb.plans[plan_id or matches[0].plan_id]
            chat = message.chat
            await context.db.run(chat_plan.select_plan, chat.id, plan.id, title=chat.title,
                                 chat_type=chat.type, now=context.clock.now())
            context.services.chat_plans.put(chat.id, plan.id)
            lines = [place_note(context.kb, matches[0])] if matches else []
            lines.append(t.PLAN_SELECTED.format(title=plan.title, locality=plan.locality,
                                                year=plan.year))
            await send(message, [Reply(render.escape("\n".join(filter(None, lines))))])
            return
        head = (t.PLANS_OF_PLACE.format(place=typed, n=len(matches)) if matches
                else t.PLACE_NO_PLAN.format(place=typed))
        reply = render.plans_reply(context.kb, await _chat_plan(context, message.chat.id))
        await send(message, [Reply(render.escape(head) + "\n" + reply.html, reply.markup)])
        return
    plan_id = await _chat_plan(context, message.chat.id)
    await send(message, [render.plans_reply(context.kb, plan_id)])


async def deadlines_command(update: Update, context: BotContext) -> None:
    """/han: the next deadlines of the chat's plan (of every plan when none is chosen)."""
    message = update.effective_message
    plan_id = await _chat_plan(context, message.chat.id)
    user = update.effective_user
    own = [] if plan_id else await asking.asker_plans(context, user.id if user else None)
    plans = [plan_id] if plan_id else (own or None)
    today = context.clock.now().date()
    found = upcoming(context.kb, today, plans, DEADLINES_SHOWN)
    deadlines = [to_out(o, today) for o in found]
    shown = plan_id or (own[0] if len(own) == 1 else None)
    await send(message, render.deadlines_replies(deadlines, context.kb, shown))


# --- buttons ---------------------------------------------------------------------------------


async def plan_chosen(update: Update, context: BotContext) -> None:
    """A ``plan:<id>`` button: remember the chat's plan and say so."""
    query = update.callback_query
    chat = update.effective_chat
    plan_id = query.data.removeprefix(CB_PLAN)
    if query.data == CB_ALL_PLANS:
        plan_id, text = None, t.PLAN_CLEARED
    else:
        plan = context.kb.get(plan_id)
        if plan is None or chat is None:
            await query.answer(t.PLAN_GONE, show_alert=True)
            return
        text = t.PLAN_SELECTED.format(title=plan.title, locality=plan.locality, year=plan.year)
    user = update.effective_user
    change = await context.db.run(  # a refusal: its alert comes from bot.refusals
        chat_plan.change_chat_plan, context.kb, context.settings.admin_ids,
        user.id if user else None, chat.id, plan_id, title=chat.title, chat_type=chat.type,
        now=context.clock.now(),
    )
    context.services.chat_plans.put(chat.id, plan_id)
    await query.answer(t.PLAN_TOAST)
    text += render.plan_change_note(context.kb, change.moved, change.ended)
    await query.edit_message_text(render.escape(text), parse_mode=ParseMode.HTML)


def _tapped_button_text(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def suggestion_tapped(update: Update, context: BotContext) -> None:
    """An ``ask:<n>`` button: answer the question written on the button itself."""
    query = update.callback_query
    message = query.message if isinstance(query.message, Message) else None
    question = _tapped_button_text(message.reply_markup if message else None, query.data)
    if message is None or question is None:
        await stale_button(update, context)
        return
    await query.answer()
    await answer_question(message, context, question)


async def menu_tapped(update: Update, context: BotContext) -> None:
    """A ``menu:<what>`` button of /start."""
    query = update.callback_query
    if not isinstance(query.message, Message):
        await stale_button(update, context)
        return
    await query.answer()
    what = query.data.removeprefix(CB_MENU)
    message = query.message
    if what == "plans":
        plan_id = await _chat_plan(context, message.chat.id)
        await send(message, [render.plans_reply(context.kb, plan_id)])
    elif what == "han":
        await deadlines_command(update, context)
    else:
        await send(message, [render.help_reply(all_commands())])


# --- fallbacks (registered last) -------------------------------------------------------------


def _addressed_to_bot(message: Message, bot_id: int, username: str) -> str | None:
    """The question of a group message meant for the bot (reply or mention), else None."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    mention = f"@{username}".lower()
    for entity, value in message.parse_entities([MessageEntity.MENTION,
                                                 MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.MENTION and value.lower() == mention) or (
            entity.user is not None and entity.user.id == bot_id
        ):
            return text.replace(value, " ").strip()
    return None


async def question(update: Update, context: BotContext) -> None:
    """Free text: a question in a private chat, or a reply to / mention of the bot in a group."""
    message = update.effective_message
    if message.chat.type == ChatType.PRIVATE:
        await answer_question(message, context, message.text or "")
        return
    asked = _addressed_to_bot(message, context.bot.id, context.bot.username)
    if asked is not None:
        replying = bool(message.reply_to_message and message.reply_to_message.from_user
                        and message.reply_to_message.from_user.id == context.bot.id)
        await answer_question(message, context, asked, remember=replying)


async def not_text(update: Update, context: BotContext) -> None:
    """A sticker, photo or other non-text message in a private chat: say what works."""
    await send(update.effective_message, [Reply(render.escape(t.TEXT_ONLY))])


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command no handler took: in private, or addressed to this bot in a group."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0]
    name, _, target = command.partition("@")
    if is_group(message.chat) and target.lower() != context.bot.username.lower():
        return  # a command for another bot, or for nobody in particular
    near = nearest_command(name[:64], [c for c, _ in all_commands()])
    text = (t.DID_YOU_MEAN_COMMAND.format(command=near) if near
            else t.UNKNOWN_COMMAND.format(command=render.echo(name)))
    await send(message, [Reply(render.escape(text))])


def nearest_command(typed: str, commands: Sequence[str]) -> str | None:
    """The command one or two edits away (the closest), else None: "/hann" → "/han"."""
    word = typed.lstrip("/").lower()
    if not word:
        return None
    hit = process.extractOne(word, [c.lstrip("/") for c in commands],
                             scorer=Levenshtein.distance, score_cutoff=2 if len(word) > 4 else 1)
    return f"/{hit[0]}" if hit else None


async def stale_button(update: Update, context: BotContext) -> None:
    """A button no handler knows (an old message, after a restart or an update): say so."""
    await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)


# --- registration ----------------------------------------------------------------------------


def register(application: Application) -> None:
    """Add the commands and buttons (before every feature)."""
    application.add_handlers([
        CommandHandler("start", start),
        CommandHandler(["help", "trogiup"], help_command),
        CommandHandler("hoi", ask_command),
        CommandHandler("kehoach", plans_command),
        CommandHandler("han", deadlines_command),
        CallbackQueryHandler(plan_chosen, pattern=f"^{CB_PLAN}"),
        CallbackQueryHandler(suggestion_tapped, pattern=f"^{CB_ASK}"),
        CallbackQueryHandler(menu_tapped, pattern=f"^{CB_MENU}"),
    ])


def register_fallbacks(application: Application) -> None:
    """Add free-text questions, unknown commands and stale buttons (after every feature)."""
    new_messages = filters.UpdateType.MESSAGE
    application.add_handlers([
        MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, question),
        MessageHandler(new_messages & filters.COMMAND, unknown_command),
        MessageHandler(
            new_messages & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            not_text,
        ),
        CallbackQueryHandler(stale_button),
    ])
