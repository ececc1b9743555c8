"""``kehoach shell``: the real bot, driven from the terminal, with no network and no token.

The shell builds the same Application with the same handlers as ``kehoach run``, but its Bot
API is answered in-process (:class:`bot.local_api.LocalRequest`). Each typed line becomes a
real ``Update`` given to ``Application.process_update``; what the bot sends is printed as a
Telegram user would read it, with where it went (``bot → nhóm Nhóm thử``, ``bot → riêng Lan``).
Inline buttons are numbered: type the number to tap one. Files the bot sends are saved to a
folder (shown at the start) under their own names, never over an earlier one; log lines go to
a file (shown at the start), not into the conversation. Lines starting with ``:`` drive the
shell itself (:mod:`bot.shell_commands`: ``:nguoi`` who types, ``:nhom``/``:rieng`` where,
``:tep`` a file, ``:traloi`` a reply, ``:gui`` a text as is, ``:ngay`` the clock, ``:thoat``).

When standard input is not a terminal, lines are read from it and the session is printed as a
transcript (prompt and line, then the bot's replies): the scripted mode the tests use.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot import shell_commands
from bot.app import build_application, running
from bot.local_api import JSON, Call, LocalBotApi, LocalRequest, save_files
from bot.render import plain_text
from bot.shell_commands import ShellClock
from core.clock import Clock
from core.settings import Settings
from core.texts import shell as t
from knowledge.base import KnowledgeBase

SHELL_USER_ID = 1000
SHELL_GROUP_ID = -1000
LOG_NAME = "nhat-ky.log"
_QUIT = {":thoat", ":thoát", ":q", ":quit", ":exit"}


def person(user_id: int, name: str) -> JSON:
    """A Telegram user of the shell."""
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "vi"}


class Shell:
    """A terminal conversation with the bot.

    Args:
        settings: the settings (the token is not needed and not used).
        kb: the knowledge base.
        db: the database.
        clock: the clock; the shell's ``:ngay`` moves a copy of it (:class:`ShellClock`).
        out: where the conversation is printed.
        files_dir: where files the bot sends are saved (default: a new temporary folder).
        log_path: the log file :func:`run_shell` writes to (default: next to the files).
    """

    def __init__(self, settings: Settings, *, kb: KnowledgeBase, db: Any, clock: Clock,
                 out: TextIO | None = None, files_dir: Path | None = None,
                 log_path: Path | None = None) -> None:
        """Build the bot on an in-process Bot API; the default user types in private."""
        self.settings = settings
        self.clock = ShellClock(clock)
        self.api = LocalBotApi()
        self.api.listeners.append(self._show)
        self.api.now = lambda: int(self.clock.now().timestamp())
        self.app = build_application(
            settings, kb=kb, db=db, clock=self.clock, request=LocalRequest(self.api),
            get_updates_request=LocalRequest(self.api), rate_limit=False,
        )
        self.out = out or sys.stdout
        if files_dir is None:
            workdir = Path(tempfile.mkdtemp(prefix="kehoach-shell-"))
            files_dir = workdir / "tep"
        else:
            workdir = files_dir
        self.files_dir = files_dir
        self.log_path = log_path or workdir / LOG_NAME
        self.users: dict[int, JSON] = {}
        self.user = self.add_user(SHELL_USER_ID, t.SHELL_USER_NAME)
        self.group_chat: JSON = {"id": SHELL_GROUP_ID, "type": "group",
                                 "title": t.SHELL_GROUP_TITLE}
        self.chat = self.private_chat
        self.joined_group = False
        self.buttons: dict[int, tuple[int, int, str]] = {}
        self._fresh_batch = True

    # --- who types, where ------------------------------------------------------------------

    def add_user(self, user_id: int, name: str) -> JSON:
        """Know the user ``user_id`` (or rename them); the bot can write to them at once."""
        who = person(user_id, name)
        self.users[user_id] = who
        self.api.remember_chat(self.private_chat_of(who))
        return who

    @staticmethod
    def private_chat_of(who: JSON) -> JSON:
        """The private chat of ``who`` with the bot."""
        return {"id": who["id"], "type": "private", "first_name": who["first_name"]}

    @property
    def private_chat(self) -> JSON:
        """The private chat of the user typing now."""
        return self.private_chat_of(self.user)

    @property
    def in_group(self) -> bool:
        """Whether lines go to the test group."""
        return bool(self.chat["id"] == SHELL_GROUP_ID)

    def is_admin(self, user_id: int) -> bool:
        """Whether ``user_id`` is in ``ADMIN_IDS``."""
        return user_id in {int(uid) for uid in self.settings.admin_ids}

    @property
    def prompt(self) -> str:
        """The prompt: the chat (and the user, unless it is the default one)."""
        if self.user["id"] == SHELL_USER_ID:
            return t.SHELL_PROMPT_GROUP if self.in_group else t.SHELL_PROMPT
        template = t.PROMPT_USER_GROUP if self.in_group else t.PROMPT_USER
        return template.format(name=self.user["first_name"])

    def print(self, text: str) -> None:
        """Print a line of the conversation."""
        print(text, file=self.out, flush=True)

    # --- showing what the bot does ---------------------------------------------------------

    def _show(self, call: Call) -> None:
        params = call.params
        if call.method in ("sendMessage", "editMessageText"):
            label = t.SHELL_BOT if call.method == "sendMessage" else t.SHELL_EDITED
            self.print(label + self._readable(params, "text"))
            self._show_where(call.result)
            self._show_buttons(call.result)
        elif call.method == "editMessageReplyMarkup":
            self._show_buttons(call.result)
        elif call.method == "answerCallbackQuery" and params.get("text"):
            self.print(t.SHELL_TOAST + params["text"])
        elif call.method in ("sendDocument", "sendPhoto"):
            for path in save_files(call, self.files_dir):
                line = (t.SHELL_FILE.format(name=path.name, path=path)
                        if call.method == "sendDocument" else t.SHELL_PHOTO.format(path=path))
                self.print(t.SHELL_BOT + line)
            if params.get("caption"):
                self.print(self._readable(params, "caption"))
            self._show_where(call.result)
            self._show_buttons(call.result)

    @staticmethod
    def _readable(params: JSON, key: str) -> str:
        text = str(params[key])
        return plain_text(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text

    def _show_where(self, message: JSON) -> None:
        chat = message["chat"]
        if chat.get("type") == "private":
            where = t.WHERE_PRIVATE.format(name=chat.get("first_name", chat["id"]))
        else:
            where = t.WHERE_GROUP.format(title=chat.get("title", chat["id"]))
        self.print(t.WHERE.format(where=where))

    def _show_buttons(self, message: JSON) -> None:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if not rows:
            return
        if self._fresh_batch:
            self.buttons = {}
            self._fresh_batch = False
        for row in rows:
            for button in row:
                if "callback_data" in button:
                    number = len(self.buttons) + 1
                    self.buttons[number] = (message["chat"]["id"], message["message_id"],
                                            button["callback_data"])
                    self.print(f"  [{number}] {button['text']}")
                elif "url" in button:
                    self.print(f"  [↗] {button['text']}: {button['url']}")

    # --- feeding the bot -------------------------------------------------------------------

    def new_batch(self) -> None:
        """What the bot shows from now on brings new button numbers."""
        self._fresh_batch = True

    async def feed(self, data: JSON) -> None:
        """Give the update ``data`` to the bot."""
        self.new_batch()
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def send_text(self, text: str, *, reply_to: int | None = None) -> None:
        """The current user writes ``text`` in the current chat (replying to a message)."""
        await self.feed(self.api.user_message(self.chat, self.user, text,
                                              reply_to_message_id=reply_to))

    async def join_group(self) -> None:
        """The current user adds the bot to the test group (once)."""
        if self.joined_group:
            return
        self.joined_group = True
        bot_member = {"user": self.api.bot_user}
        self.api.remember_chat(self.group_chat)
        await self.feed(self.api.raw_update({"my_chat_member": {
            "chat": self.group_chat, "from": self.user, "date": 0,
            "old_chat_member": {**bot_member, "status": "left"},
            "new_chat_member": {**bot_member, "status": "member"},
        }}))

    async def tap(self, chat_id: int, message_id: int, data: str) -> None:
        """Tap a button: in a private chat its owner taps (only they see it), else the user."""
        who = self.users.get(chat_id, self.user) if chat_id > 0 else self.user
        if who["id"] != self.user["id"]:
            self.print(t.TAP_AS.format(name=who["first_name"]))
        await self.feed(self.api.callback_tap(chat_id, message_id, who, data))

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line; return False when the user quits."""
        text = line.strip()
        if text.lower() in _QUIT:
            return False
        if await shell_commands.run_command(self, text):
            return True
        if text.isdigit() and self.buttons:
            target = self.buttons.get(int(text))
            if target is None:
                self.print(t.SHELL_NO_BUTTON.format(number=text))
                return True
            await self.tap(*target)
            return True
        await self.send_text(line.rstrip("\n"))
        return True

    # --- sessions --------------------------------------------------------------------------

    def show_places(self) -> None:
        """Say once where files are saved and where the log goes."""
        self.print(t.FILES_DIR.format(path=self.files_dir))
        self.print(t.LOG_FILE.format(path=self.log_path))

    async def run_script(self, lines: Iterable[str]) -> None:
        """Play ``lines`` one by one, printing a transcript (prompt + line, then replies)."""
        self.show_places()
        async with running(self.app):
            for line in lines:
                self.print(self.prompt + line.rstrip("\n"))
                if not await self.handle_line(line):
                    break

    async def run_interactive(self) -> None:
        """Read lines from the terminal until ``:thoat`` or end of input."""
        self.print(t.BANNER + "\n" + t.COMMANDS)
        self.show_places()
        async with running(self.app):
            while True:
                try:
                    line = await asyncio.to_thread(input, self.prompt)
                except (EOFError, KeyboardInterrupt):
                    break
                if not await self.handle_line(line):
                    break
            self.print(t.SHELL_BYE)


@contextlib.contextmanager
def logging_to(path: Path, level: str) -> Iterator[None]:
    """Send log records to ``path`` instead of the terminal for the ``with`` block.

    The root logger's plain terminal handlers are taken off (and put back after); handlers of
    other kinds (a test's capture) stay.
    """
    root = logging.getLogger()
    terminal = [h for h in root.handlers if type(h) is logging.StreamHandler]
    path.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    old_level = root.level
    for handler in terminal:
        root.removeHandler(handler)
    root.addHandler(to_file)
    root.setLevel(level.upper())
    try:
        yield
    finally:
        root.removeHandler(to_file)
        to_file.close()
        for handler in terminal:
            root.addHandler(handler)
        root.setLevel(old_level)


def run_shell(settings: Settings, *, kb: KnowledgeBase, db: Any, clock: Clock,
              stdin: TextIO | None = None, out: TextIO | None = None,
              files_dir: Path | None = None, log_path: Path | None = None) -> None:
    """Run the shell: interactive on a terminal, scripted when ``stdin`` is not one.

    Files the bot sends go to ``files_dir`` and log records to ``log_path`` (default: a new
    temporary folder and a log file in it), both said at the start.
    """
    stdin = stdin or sys.stdin
    shell = Shell(settings, kb=kb, db=db, clock=clock, out=out, files_dir=files_dir,
                  log_path=log_path)
    with logging_to(shell.log_path, settings.log_level):
        if stdin.isatty():
            asyncio.run(shell.run_interactive())
        else:
            asyncio.run(shell.run_script(stdin))
