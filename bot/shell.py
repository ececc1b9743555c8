"""``kehoach shell``: the real bot, driven from the terminal, with no network and no token.

The shell builds the same Application with the same handlers as ``kehoach run``, but its Bot
API is answered in-process (:class:`bot.local_api.LocalRequest`). Each typed line becomes a
real ``Update`` given to ``Application.process_update``; what the bot sends is printed as a
Telegram user would read it. Inline buttons are numbered: type the number to tap one. Files
the bot sends are saved to a folder and named. Lines starting with ``:`` drive the shell itself
(``:nhom`` a test group, ``:rieng`` back to the private chat, ``:thoat`` to quit).

When standard input is not a terminal, lines are read from it and the session is printed as a
transcript (prompt and line, then the bot's replies): the scripted mode the tests use.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, running
from bot.local_api import JSON, Call, LocalBotApi, LocalRequest, save_files
from bot.render import plain_text
from core.clock import Clock
from core.settings import Settings
from core.texts import common as t
from knowledge.base import KnowledgeBase

SHELL_USER_ID = 1000
SHELL_GROUP_ID = -1000
_QUIT = {":thoat", ":thoát", ":q", ":quit", ":exit"}


class Shell:
    """A terminal conversation with the bot.

    Args:
        settings: the settings (the token is not needed and not used).
        kb: the knowledge base.
        db: the database.
        clock: the clock.
        out: where the conversation is printed.
        files_dir: where files the bot sends are saved (default: a new temporary folder).
    """

    def __init__(self, settings: Settings, *, kb: KnowledgeBase, db: Any, clock: Clock,
                 out: TextIO | None = None, files_dir: Path | None = None) -> None:
        self.api = LocalBotApi()
        self.api.listeners.append(self._show)
        self.app = build_application(
            settings, kb=kb, db=db, clock=clock, request=LocalRequest(self.api),
            get_updates_request=LocalRequest(self.api), rate_limit=False,
        )
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path(tempfile.mkdtemp(prefix="kehoach-shell-"))
        self.user: JSON = {"id": SHELL_USER_ID, "is_bot": False,
                           "first_name": t.SHELL_USER_NAME, "language_code": "vi"}
        self.private_chat: JSON = {"id": SHELL_USER_ID, "type": "private",
                                   "first_name": t.SHELL_USER_NAME}
        self.group_chat: JSON = {"id": SHELL_GROUP_ID, "type": "group",
                                 "title": t.SHELL_GROUP_TITLE}
        self.chat = self.private_chat
        self._joined_group = False
        self.buttons: dict[int, tuple[int, int, str]] = {}
        self._fresh_batch = True

    @property
    def prompt(self) -> str:
        """The prompt of the current chat."""
        return t.SHELL_PROMPT_GROUP if self.chat is self.group_chat else t.SHELL_PROMPT

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # --- showing what the bot does ---------------------------------------------------------

    def _show(self, call: Call) -> None:
        params = call.params
        if call.method in ("sendMessage", "editMessageText"):
            label = t.SHELL_BOT if call.method == "sendMessage" else t.SHELL_EDITED
            self._print(label + self._readable(params, "text"))
            self._show_buttons(call.result)
        elif call.method == "editMessageReplyMarkup":
            self._show_buttons(call.result)
        elif call.method == "answerCallbackQuery" and params.get("text"):
            self._print(t.SHELL_TOAST + params["text"])
        elif call.method in ("sendDocument", "sendPhoto"):
            for path in save_files(call, self.files_dir):
                line = (t.SHELL_FILE.format(name=path.name, path=path)
                        if call.method == "sendDocument" else t.SHELL_PHOTO.format(path=path))
                self._print(t.SHELL_BOT + line)
            if params.get("caption"):
                self._print(self._readable(params, "caption"))
            self._show_buttons(call.result)

    @staticmethod
    def _readable(params: JSON, key: str) -> str:
        text = str(params[key])
        return plain_text(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text

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
                    self._print(f"  [{number}] {button['text']}")
                elif "url" in button:
                    self._print(f"  [↗] {button['text']}: {button['url']}")

    # --- feeding the bot -------------------------------------------------------------------

    async def _feed(self, data: JSON) -> None:
        self._fresh_batch = True
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def _join_group(self) -> None:
        bot_member = {"user": self.api.bot_user}
        self.api.remember_chat(self.group_chat)
        await self._feed(self.api.raw_update({"my_chat_member": {
            "chat": self.group_chat, "from": self.user, "date": 0,
            "old_chat_member": {**bot_member, "status": "left"},
            "new_chat_member": {**bot_member, "status": "member"},
        }}))

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line; return False when the user quits."""
        text = line.strip()
        if text.lower() in _QUIT:
            return False
        if text == ":nhom":
            self.chat = self.group_chat
            self._print(t.SHELL_IN_GROUP)
            if not self._joined_group:
                self._joined_group = True
                await self._join_group()
            return True
        if text == ":rieng":
            self.chat = self.private_chat
            self._print(t.SHELL_IN_PRIVATE)
            return True
        if text.isdigit() and self.buttons:
            target = self.buttons.get(int(text))
            if target is None:
                self._print(t.SHELL_NO_BUTTON.format(number=text))
                return True
            chat_id, message_id, data = target
            await self._feed(self.api.callback_tap(chat_id, message_id, self.user, data))
            return True
        await self._feed(self.api.user_message(self.chat, self.user, line.rstrip("\n")))
        return True

    # --- sessions --------------------------------------------------------------------------

    async def run_script(self, lines: Iterable[str]) -> None:
        """Play ``lines`` one by one, printing a transcript (prompt + line, then replies)."""
        async with running(self.app):
            for line in lines:
                self._print(self.prompt + line.rstrip("\n"))
                if not await self.handle_line(line):
                    break

    async def run_interactive(self) -> None:
        """Read lines from the terminal until ``:thoat`` or end of input."""
        async with running(self.app):
            self._print(t.SHELL_BANNER)
            while True:
                try:
                    line = await asyncio.to_thread(input, self.prompt)
                except (EOFError, KeyboardInterrupt):
                    break
                if not await self.handle_line(line):
                    break
            self._print(t.SHELL_BYE)


def run_shell(settings: Settings, *, kb: KnowledgeBase, db: Any, clock: Clock,
              stdin: TextIO | None = None, out: TextIO | None = None) -> None:
    """Run the shell: interactive on a terminal, scripted when ``stdin`` is not one."""
    stdin = stdin or sys.stdin
    shell = Shell(settings, kb=kb, db=db, clock=clock, out=out)
    if stdin.isatty():
        asyncio.run(shell.run_interactive())
    else:
        asyncio.run(shell.run_script(stdin))
