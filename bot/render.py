"""Answers → phone-sized Telegram HTML messages.

Everything the user sees goes through here: HTML escaping, the "Nguồn:" line citing plan title
and section, splitting (or summarising) past Telegram's 4,096 characters, and the inline
keyboards (suggestions, plan choice). Pure functions of plain data: no network, no bot.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.texts import answers as A, common as t, format as F
from knowledge.answers import Answer, Citation, DeadlineOut
from knowledge.base import KnowledgeBase

MAX_MESSAGE = 4096  # Telegram's limit, counted in UTF-16 code units
MAX_MESSAGES = 3  # beyond that an answer is summarised, not sent as a wall of messages
MAX_BUTTON_TEXT = 120
# Callback data prefixes (at most 64 bytes of callback data in all).
CB_PLAN = "plan:"
CB_ALL_PLANS = "plan:*"
CB_ASK = "ask:"
CB_MENU = "menu:"


@dataclass(frozen=True)
class Reply:
    """One message to send: HTML text and an optional inline keyboard."""

    html: str
    markup: InlineKeyboardMarkup | None = None


def escape(text: str) -> str:
    """Escape ``text`` for Telegram HTML (``&``, ``<``, ``>``)."""
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """The text a user reads from Telegram HTML (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", html_text))


def plan_change_note(kb: KnowledgeBase, moved: Sequence[str], ended: Sequence[str]) -> str:
    """What a chat's new plan did to its reminders (plain text; empty when nothing)."""
    note = ""
    if moved:
        note += t.REMINDERS_MOVED.format(plans=", ".join(plan_label(kb, p) for p in moved))
    if ended:
        note += t.REMINDERS_ENDED.format(plans=", ".join(plan_label(kb, p) for p in ended))
    return note


def plan_label(kb: KnowledgeBase, plan_id: str) -> str:
    """A plan's short label, "Quận 3 (2020)" (:func:`core.texts.format.plan_label`)."""
    plan = kb.get(plan_id)
    if plan is None:
        return plan_id
    return F.plan_label(plan.locality, plan.year)


def plan_name(kb: KnowledgeBase, plan_id: str) -> str:
    """A plan's name, "Kế hoạch Quận 3 2020" (:func:`core.texts.format.plan_name`)."""
    plan = kb.get(plan_id)
    if plan is None:
        return plan_id
    return F.plan_name(plan.locality, plan.year)


def plan_title(kb: KnowledgeBase, plan_id: str) -> str:
    """Full name of a plan: its title, locality and year."""
    plan = kb.get(plan_id)
    if plan is None:
        return plan_id
    return t.SOURCE_PLAN.format(title=plan.title, locality=plan.locality, year=plan.year)


def source_title(kb: KnowledgeBase, plan_id: str, limit: int = 60) -> str:
    """A plan as the "Nguồn:" line names it: locality, year and the start of its title."""
    plan = kb.get(plan_id)
    if plan is None:
        return plan_id
    title = plan.title if len(plan.title) <= limit else plan.title[:limit].rsplit(" ", 1)[0] + "…"
    return t.SOURCE_PLAN_SHORT.format(locality=plan.locality, year=plan.year, title=title)


def source_line(citations: Sequence[Citation], kb: KnowledgeBase) -> str | None:
    """The plain "Nguồn: …" line: each cited plan's title and its sections, in order."""
    by_plan: dict[str, list[str]] = {}
    for c in citations:
        sections = by_plan.setdefault(c.plan_id, [])
        if c.section and c.section not in sections:
            sections.append(c.section)
    if not by_plan:
        return None
    parts = []
    for plan_id, sections in by_plan.items():
        part = source_title(kb, plan_id)
        if sections:
            part += t.SOURCE_SECTIONS.format(sections=", ".join(sections))
        parts.append(part)
    return t.SOURCE_PREFIX + "; ".join(parts)


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Split ``text`` so the escaped head fits ``limit``: at a line, else a space, else hard."""
    if tg_len(escape(text)) <= limit:
        return text, ""
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix whose escaped form fits
        mid = (lo + hi + 1) // 2
        if tg_len(escape(text[:mid])) <= limit:
            lo = mid
        else:
            hi = mid - 1
    head = text[:lo]
    for sep in ("\n\n", "\n", " "):
        at = head.rfind(sep)
        if at > lo // 2:
            return text[:at], text[at + len(sep):]
    return head, text[lo:]


ECHO_CHARS = 64  # the most of a user's input a reply repeats


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """User input repeated in a reply (a plan id, a command…), on one line.

    At most ``limit`` characters, cut with "…" — so no reply grows with what the user typed.
    """
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split plain ``text`` into pieces whose escaped form fits ``limit`` each."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if tg_len(escape(rest)) <= limit:
            pieces.append(rest)
            break
        head, rest = _cut(rest, limit)
        pieces.append(head.rstrip())
        rest = rest.lstrip()
    return pieces or [""]


def fit_messages(body: str, footer_html: str = "", *, limit: int = MAX_MESSAGE,
                 max_messages: int = MAX_MESSAGES) -> list[str]:
    """Plain ``body`` as at most ``max_messages`` HTML messages, ``footer_html`` on the last.

    An answer too long for ``max_messages`` messages is summarised: its start is kept and a note
    says it was shortened.
    """
    sep = "\n\n" if footer_html else ""
    last_room = limit - tg_len(footer_html) - len(sep)
    summary_room = last_room - tg_len(escape(t.TRUNCATED)) - 1
    pieces = split_text(body, limit)
    if len(pieces) > max_messages:
        pieces = pieces[:max_messages]
        pieces[-1] = _cut(pieces[-1], summary_room)[0].rstrip() + "\n" + t.TRUNCATED
    if tg_len(escape(pieces[-1])) > last_room:
        if len(pieces) < max_messages:
            pieces.append("")  # the footer goes alone in one more message
        else:
            pieces[-1] = _cut(pieces[-1], summary_room)[0].rstrip() + "\n" + t.TRUNCATED
    messages = [escape(p) for p in pieces]
    messages[-1] = (messages[-1] + sep + footer_html).strip()
    return [m for m in messages if m]


def _cites_each_line(answer: Answer) -> bool:
    """Whether a deadline answer already cites every source on its lines ("…, mục IV.2)").

    Then a "Nguồn:" line would say it a second time.
    """
    if answer.intent != "deadline" or not answer.citations:
        return False
    return all(A.SECTION.format(section=c.section) in answer.text
               for c in answer.citations if c.section)


def suggestion_keyboard(suggestions: Iterable[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested question; its own text is the question (stateless)."""
    rows = [
        [InlineKeyboardButton(q[:MAX_BUTTON_TEXT], callback_data=f"{CB_ASK}{i}")]
        for i, q in enumerate(s for s in suggestions if s.strip())
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def answer_replies(answer: Answer, kb: KnowledgeBase) -> list[Reply]:
    """The messages that show ``answer``: text, "Nguồn:" line, suggestion buttons."""
    footer = []
    source = source_line(answer.citations, kb)
    if source and t.SOURCE_PREFIX not in answer.text and not _cites_each_line(answer):
        footer.append(f"<i>{escape(source)}</i>")
    markup = suggestion_keyboard(answer.suggestions[:3])
    if markup is not None and t.SUGGESTIONS_HEADER.rstrip("…") not in answer.text:
        footer.append(escape(t.SUGGESTIONS_HEADER))
    messages = fit_messages(answer.text, "\n".join(footer))
    return [Reply(m, markup if i == len(messages) - 1 else None) for i, m in enumerate(messages)]


def plans_keyboard(kb: KnowledgeBase, selected: str | None) -> InlineKeyboardMarkup:
    """Buttons ``plan:<id>`` for every plan, the selected one ticked, and "all plans"."""
    rows = []
    for plan in kb:
        mark = t.PLAN_SELECTED_MARK if plan.id == selected else ""
        rows.append([InlineKeyboardButton(mark + plan_label(kb, plan.id),
                                          callback_data=f"{CB_PLAN}{plan.id}")])
    mark = t.PLAN_SELECTED_MARK if selected is None else ""
    rows.append([InlineKeyboardButton(mark + t.PLANS_ALL_BUTTON, callback_data=CB_ALL_PLANS)])
    return InlineKeyboardMarkup(rows)


def plans_reply(kb: KnowledgeBase, selected: str | None) -> Reply:
    """The /kehoach message: what is in use and the buttons to change it."""
    if not len(kb):
        return Reply(escape(t.NO_PLANS))
    current = (t.PLANS_CURRENT.format(title=plan_title(kb, selected)) if selected
               else t.PLANS_CURRENT_ALL)
    return Reply(escape(f"{t.PLANS_CHOOSE}\n{current}"), plans_keyboard(kb, selected))


def menu_keyboard() -> InlineKeyboardMarkup:
    """The /start menu."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t.MENU_PLANS, callback_data=f"{CB_MENU}plans")],
        [InlineKeyboardButton(t.MENU_DEADLINES, callback_data=f"{CB_MENU}han"),
         InlineKeyboardButton(t.MENU_HELP, callback_data=f"{CB_MENU}help")],
    ])


def start_reply(name: str | None, kb: KnowledgeBase, plan_id: str | None, *,
                group: bool, bot_username: str) -> Reply:
    """The /start greeting with its menu."""
    plan_line = (t.START_PLAN_LINE.format(title=plan_title(kb, plan_id)) if plan_id
                 else t.START_NO_PLAN_LINE)
    text = t.START_HTML.format(name=escape(name or t.NAME_FALLBACK), plan_line=escape(plan_line))
    if group:
        text += t.START_GROUP_HINT_HTML.format(username=escape(bot_username))
    return Reply(text, menu_keyboard())


def help_reply(commands: Sequence[tuple[str, str]]) -> Reply:
    """The /trogiup text listing ``commands``."""
    lines = [t.HELP_HEADER_HTML]
    lines += [t.HELP_COMMAND_LINE_HTML.format(command=escape(c), description=escape(d))
              for c, d in commands]
    lines.append(t.HELP_FOOTER_HTML)
    return Reply("\n".join(lines))


def deadlines_replies(deadlines: Sequence[DeadlineOut], kb: KnowledgeBase,
                      plan_id: str | None) -> list[Reply]:
    """The /han answer: the next deadlines, their dates and days left, and the sources.

    The header names the plan by its short name, not its title (the "Nguồn:" line has that).
    """
    scope = plan_name(kb, plan_id) if plan_id else t.DEADLINES_SCOPE_ALL
    if not deadlines:
        return [Reply(escape(t.NO_DEADLINES.format(scope=scope)))]
    lines = []
    for d in deadlines:
        if d.days_left is None:
            days = ""
        elif d.passed or d.days_left < 0:
            days = t.DAYS_PASSED
        elif d.days_left == 0:
            days = t.DAYS_TODAY
        else:
            days = t.DAYS_LEFT.format(days=d.days_left)
        line = t.DEADLINE_LINE.format(date=F.iso_date(d.date) if d.date else "—", days=days,
                                      title=F.title(d.title))
        plan = kb.get(d.plan_id)
        if plan_id is None and plan is not None:
            line += t.DEADLINE_PLAN_SUFFIX.format(locality=plan.locality)
        lines.append(line)
    cites = [Citation(plan_id=d.plan_id, section=d.section) for d in deadlines]
    source = source_line(cites, kb)
    footer = f"<i>{escape(source)}</i>" if source else ""
    header = t.DEADLINES_HEADER_HTML.format(scope=escape(scope))
    messages = fit_messages("\n".join(lines), footer, limit=MAX_MESSAGE - tg_len(header) - 1)
    messages[0] = f"{header}\n{messages[0]}"
    return [Reply(m) for m in messages]
