"""The shell's own ``:`` commands: who types, where, files, replies, verbatim text, the clock.

Each command is a coroutine ``(shell, argument)``; :func:`run_command` finds it from the typed
word, with or without its Vietnamese marks (``:nguoi`` = ``:người``). A ``:word`` the shell
does not know gets the list of commands instead of going to the bot (``:gui :word`` sends it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import mimetypes
import re
import shlex
import unicodedata
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import incident_clock
from bot.reminders import catch_up_reminders
from core.clock import Clock
from core.texts import shell as t

if TYPE_CHECKING:
    from bot.shell import Shell

logger = logging.getLogger(__name__)

_COMMAND = re.compile(r"^:([^\W\d_]+)(?:\s+(.*))?$", re.DOTALL)
_WHEN_FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M")
_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

Command = Callable[["Shell", str], Awaitable[None]]


class ShellClock:
    """The clock of the shell: another clock, moved by ``:ngay`` (time keeps running from there).

    Args:
        base: the clock it moves (the system clock, or a test's fixed clock).
    """

    def __init__(self, base: Clock) -> None:
        """Start at the time of ``base``."""
        self.base = base
        self.offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        """Return the base clock's time, moved."""
        return self.base.now() + self.offset

    def move_to(self, when: dt.datetime) -> None:
        """Make it ``when`` now (timezone-aware)."""
        self.offset = when - self.base.now()


def _key(word: str) -> str:
    """``word`` lower case, without its Vietnamese marks (``Người`` → ``nguoi``)."""
    plain = unicodedata.normalize("NFKD", word.lower().replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


async def run_command(shell: Shell, text: str) -> bool:
    """Run ``text`` if it is a ``:`` command of the shell; return whether it was one."""
    match = _COMMAND.match(text)
    if match is None:
        return False
    command = _COMMANDS.get(_key(match.group(1)))
    if command is None:
        shell.print(t.UNKNOWN_COMMAND.format(command=f":{match.group(1)}"))
        return True
    await command(shell, (match.group(2) or "").strip())
    return True


# --- where, and who ---------------------------------------------------------------------------


async def group(shell: Shell, _: str) -> None:
    """``:nhom``: lines go to the test group (the bot is added to it the first time)."""
    shell.chat = shell.group_chat
    shell.print(t.SHELL_IN_GROUP)
    await shell.join_group()


async def private(shell: Shell, _: str) -> None:
    """``:rieng``: lines go to the current user's private chat."""
    shell.chat = shell.private_chat
    shell.print(t.SHELL_IN_PRIVATE)


def _admin(shell: Shell, user_id: int) -> str:
    return t.ADMIN_MARK if shell.is_admin(user_id) else ""


async def user(shell: Shell, argument: str) -> None:
    """``:nguoi MÃ [TÊN]``: type as that user (new ones are created); ``:nguoi``: list them."""
    if not argument:
        shell.print(t.USERS_HEADER)
        for uid, who in shell.users.items():
            mark = t.CURRENT_MARK if uid == shell.user["id"] else " "
            shell.print(t.USER_LINE.format(mark=mark, id=uid, name=who["first_name"],
                                           admin=_admin(shell, uid)))
        return
    number, _, name = argument.partition(" ")
    if not number.isdigit() or int(number) <= 0:
        shell.print(t.BAD_USER)
        return
    uid = int(number)
    known = shell.users.get(uid)
    name = name.strip() or (known["first_name"] if known else t.USER_DEFAULT_NAME.format(id=uid))
    was_private = not shell.in_group
    shell.user = shell.add_user(uid, name)
    template = t.NOW_USER if known else t.NEW_USER
    shell.print(template.format(name=name, id=uid, admin=_admin(shell, uid)))
    if was_private:
        shell.chat = shell.private_chat
        shell.print(t.IN_PRIVATE_OF.format(name=name))


# --- what the user sends ----------------------------------------------------------------------


def read_file(argument: str) -> tuple[str, bytes, str | None] | str:
    """The file named first in ``argument`` (a path, quoted if it has spaces), then a caption.

    Returns:
        Its name, content and caption, or the Vietnamese text saying why it cannot be sent.
    """
    try:
        words = shlex.split(argument)
    except ValueError:  # an unclosed quote: the path is the first word
        words = argument.split()
    if not words:
        return t.FILE_USAGE
    path = Path(words[0]).expanduser()
    if not path.exists():
        return t.FILE_MISSING.format(path=path)
    if not path.is_file():
        return t.FILE_NOT_A_FILE.format(path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return t.FILE_UNREADABLE.format(path=path, error=exc.strerror or exc)
    return path.name, data, " ".join(words[1:]) or None


async def send_file(shell: Shell, argument: str) -> None:
    """``:tep ĐƯỜNG-DẪN [chú thích]``: send a file (a document: its name, MIME type, size)."""
    loaded = await asyncio.to_thread(read_file, argument)
    if isinstance(loaded, str):
        shell.print(loaded)
        return
    name, data, caption = loaded
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    shell.print(t.FILE_SENT.format(name=name, size=len(data), mime=mime))
    await shell.feed(shell.api.user_document(shell.chat, shell.user, name=name, data=data,
                                             mime=mime, caption=caption))


async def reply(shell: Shell, argument: str) -> None:
    """``:traloi VĂN BẢN``: reply to the bot's last message in this chat."""
    if not argument:
        shell.print(t.REPLY_USAGE)
        return
    bot_id = shell.api.bot_user["id"]
    last = [key[1] for key, message in shell.api.messages.items()
            if key[0] == shell.chat["id"] and message.get("from", {}).get("id") == bot_id]
    if not last:
        shell.print(t.NOTHING_TO_REPLY)
        return
    await shell.send_text(argument, reply_to=max(last))


async def verbatim(shell: Shell, argument: str) -> None:
    """``:gui VĂN BẢN``: send the text as it is (``8`` with buttons shown, ``:nhom``…)."""
    if not argument:
        shell.print(t.SEND_USAGE)
        return
    await shell.send_text(argument)


async def commands(shell: Shell, _: str) -> None:
    """``:lenh``: the shell's commands."""
    shell.print(t.COMMANDS)


# --- the clock --------------------------------------------------------------------------------


def parse_when(value: str, *, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime | None:
    """``2026-12-03 08:00`` or ``03/12/2026 08:00`` in ``tz``; a day alone keeps ``now``'s time.

    Returns:
        The time, timezone-aware, or None when ``value`` is neither.
    """
    text = " ".join(value.split())
    for fmt in _WHEN_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    for fmt in _DAY_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).replace(tzinfo=tz).date()
        except ValueError:
            continue
        local = now.astimezone(tz)
        return dt.datetime.combine(day, local.time().replace(second=0, microsecond=0),
                                   tzinfo=tz)
    return None


def show_clock(shell: Shell) -> None:
    """Print the assistant's time."""
    now = shell.clock.now().astimezone(ZoneInfo(shell.settings.timezone))
    shell.print(t.CLOCK_NOW.format(time=f"{now:%H:%M}", weekday=t.WEEKDAYS[now.weekday()],
                                   date=f"{now:%d/%m/%Y}"))


async def run_jobs(shell: Shell) -> tuple[Counter[str], Counter[str]]:
    """Run one pass of the reminder and incident-clock jobs now (at the shell's time).

    Returns:
        The outcomes of the reminders and of the incident clock (``sent``, ``failed``…).
    """
    shell.new_batch()
    reminders = await catch_up_reminders(shell.app)
    incidents: Counter[str] = Counter()
    queue = shell.app.job_queue
    jobs = queue.get_jobs_by_name(incident_clock.JOB_NAME) if queue else ()
    sender = jobs[0].data if jobs else None
    if isinstance(sender, incident_clock.IncidentClockSender):
        try:
            incidents = await sender.run_once()
        except Exception:  # noqa: BLE001 - the repeating tick tries again
            logger.exception("incident clock pass of :ngay failed")
            incidents = Counter(error=1)
    return reminders, incidents


async def clock(shell: Shell, argument: str) -> None:
    """``:ngay NGÀY [GIỜ]``: move the clock and run the jobs as then; ``:ngay``: show it."""
    if not argument:
        show_clock(shell)
        return
    tz = ZoneInfo(shell.settings.timezone)
    when = parse_when(argument, now=shell.clock.now(), tz=tz)
    if when is None:
        shell.print(t.BAD_WHEN.format(value=argument))
        return
    shell.clock.move_to(when)
    show_clock(shell)
    reminders, incidents = await run_jobs(shell)
    shell.print(t.JOBS_RAN.format(reminders=reminders["sent"], incidents=incidents["sent"]))


_COMMANDS: dict[str, Command] = {
    "nhom": group, "rieng": private, "nguoi": user, "tep": send_file, "traloi": reply,
    "gui": verbatim, "ngay": clock, "lenh": commands,
}
