"""A seeded generator of the updates Telegram can send, and a checker of what the bot answers.

Used by ``tests/test_fuzz_updates.py`` (10,000 updates in ``make test``) and
``bench/bench_fuzz.py`` (100,000). The generator mixes realistic traffic — commands of every
feature with short, empty, whitespace-only, HTML-like and 4,000-character arguments, taps on
the buttons the bot really sent (twice, sometimes), documents and photos — with the shapes that
break careless handlers: channel posts and messages without ``from`` (``sender_chat``),
callbacks with only an ``inline_message_id``, edited messages, service messages, membership
changes, inline queries. The checker validates each Bot API call as Telegram would:
text length and emptiness, callback answer length, and Telegram's HTML subset.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from typing import Any

from bot.local_api import JSON, BotApiError, LocalBotApi

COMMANDS = [
    "/start", "/help", "/trogiup", "/hoi", "/kehoach", "/han", "/dangky", "/toi", "/choduyet",
    "/capquyen", "/thuhoi", "/baocao", "/huy", "/tinhhinh", "/xuat", "/xembaocao", "/nhacviec",
    "/tatnhac", "/lich", "/suvu", "/suvu_ds", "/reload", "/khonglenhnay",
]
ARGS = [
    "", " ", "quan3-2020", "cantho-2017", "1001 quan3-2020", "2001 quan3-2020", "BC-2026-0001",
    "SV-2026-0001", "phong y te q3", "báo cáo năm; Phòng Y tế", "trước 5 1 0", "<b>x</b> & y",
    "Nguyễn Văn An 0912345678", "\u200b", "x" * 300, "ữ" * 4000, "a " * 2000, "😀" * 1500,
    "-1", "99999999999999999999", "@kehoach_bot", "\n\n\n",
]
TEXTS = [
    "Phòng Y tế Quận 3 có nhiệm vụ gì?", "han bao cao tiep theo", "   ", "\t", "ok", "1",
    "Phường 5", "Đã tổ chức 3 buổi truyền thông.", "<script>alert(1)</script>", "&amp; &lt;",
    "y" * 4096, "Bé Na 9 tuổi ở số 12 đường Lê Lợi, ĐT 0912345678", "@kehoach_bot hạn nộp?",
    "hôm qua", "12/11", "😀", "ữ" * 4000,
]
FORGED = [
    "plan:*", "plan:quan3-2020", "plan:nope", "ask:0", "ask:9", "menu:plans", "menu:han",
    "menu:x", "bc:zzzzzz:ok", "bc::p:99", "bc:abc:p:-1", "dk:p:quan3-2020", "dk:ok:1",
    "dk:no:1", "dk:ok:abc", "sv:ok", "sv:cancel", "sv:f:kind:violence", "sv:f:nope:x",
    "sv:open:SV-2026-0001", "sv:st:SV-2026-0001:handled", "xu:quan3-2020:*", "xu:x:y:z",
    "", "x" * 64, "nhac:1",
]
# Telegram's HTML subset (https://core.telegram.org/bots/api#html-style).
_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
         "code", "pre", "blockquote", "tg-emoji"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _TAGS:
            self.problem = self.problem or f"unsupported tag {tag}"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problem = self.problem or f"unbalanced </{tag}>"


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse ``text`` as HTML, or None."""
    stripped = re.sub(r"<[^<>]*>", "", text)
    if "<" in stripped or ">" in stripped.replace("&gt;", ""):
        return "raw < or >"
    if "&" in _ENTITY.sub("", stripped):
        return "raw &"
    parser = _Html()
    parser.feed(text)
    parser.close()
    if parser.problem is None and parser.stack:
        return f"unclosed <{parser.stack[-1]}>"
    return parser.problem


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def refusal(method: str, params: JSON) -> str | None:
    """What Telegram would refuse in this call, beyond what :class:`LocalBotApi` checks."""
    if method in ("sendMessage", "editMessageText"):
        text = str(params.get("text", ""))
        if not text.strip():
            return "empty text"
        if _u16(text) > 4096:
            return "text too long"
        if str(params.get("parse_mode", "")).upper() == "HTML":
            return html_problem(text)
    if method in ("sendDocument", "sendPhoto") and _u16(str(params.get("caption", ""))) > 1024:
        return "caption too long"
    if method == "answerCallbackQuery" and _u16(str(params.get("text", ""))) > 200:
        return "callback answer too long"
    return None


class CheckingApi(LocalBotApi):
    """The in-memory Bot API that also counts calls Telegram would refuse."""

    def __init__(self, base: type[LocalBotApi] = LocalBotApi, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refused: list[tuple[str, str]] = []
        self.not_modified = 0  # double taps' edits: refused by Telegram, success for the bot
        self.unreachable = 0

    def handle(self, method: str, params: JSON, files: Any = None) -> Any:
        """Check the call, then answer it (an error answer counts as a refusal too)."""
        problem = refusal(method, params)
        if problem is not None:
            self.refused.append((method, problem))
            raise BotApiError(400, f"Bad Request: {problem}")
        try:
            return super().handle(method, params, files)
        except BotApiError as exc:
            if "message is not modified" in exc.description:
                self.not_modified += 1
            elif exc.code == 403:  # a user who never started the bot: handled, not invalid
                self.unreachable += 1
            else:
                self.refused.append((method, exc.description[:80]))
            raise


class UpdateFuzzer:
    """Seeded updates for ``api`` (which keeps the chats and the bot's messages to tap)."""

    def __init__(self, api: LocalBotApi, seed: int, users: list[int], group_id: int) -> None:
        self.api = api
        self.rng = random.Random(seed)
        self.users = users
        self.group = {"id": group_id, "type": "group", "title": "Nhóm phối hợp"}
        self.supergroup = {"id": group_id - 10**12, "type": "supergroup", "title": "Siêu nhóm"}
        self.channel = {"id": -100999, "type": "channel", "title": "Kênh"}

    def _user(self) -> JSON:
        uid = self.rng.choice(self.users)
        return {"id": uid, "is_bot": False, "first_name": f"Cán bộ {uid}", "language_code": "vi"}

    def _text(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            command = self.rng.choice(COMMANDS)
            if self.rng.random() < 0.15:
                command += "@kehoach_bot" if self.rng.random() < 0.7 else "@other_bot"
            arg = self.rng.choice(ARGS)
            return f"{command} {arg}" if arg else command
        return self.rng.choice(TEXTS)

    def next(self) -> JSON:
        """One update."""
        r = self.rng.random()
        who = self._user()
        private = {"id": who["id"], "type": "private", "first_name": who["first_name"]}
        if r < 0.40:
            return self.api.user_message(private, who, self._text())
        if r < 0.52:
            return self._tap(who, private)
        if r < 0.60:
            chat = self.rng.choice([self.group, self.supergroup])
            return self.api.user_message(chat, who, self._text())
        if r < 0.64:  # an anonymous admin: no user, the group as sender_chat
            update = self.api.user_message(self.group, who, self._text())
            update["message"].pop("from")
            update["message"]["sender_chat"] = self.group
            return update
        if r < 0.67:  # a channel post
            update = self.api.user_message(self.channel, who, self._text())
            message = update.pop("message")
            message.pop("from")
            message["sender_chat"] = self.channel
            update["channel_post"] = message
            return update
        if r < 0.70:  # whitespace with a command entity
            update = self.api.user_message(private, who, self.rng.choice([" ", "\u3000", "  "]))
            update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": 1}]
            return update
        if r < 0.73:  # a callback of an inline message: no message at all
            return self.api.raw_update({"callback_query": {
                "id": str(self.rng.randrange(10**9)), "from": who,
                "inline_message_id": "AAAA", "chat_instance": "1",
                "data": self.rng.choice(FORGED)}})
        if r < 0.76:
            update = self.api.user_message(private, who, self._text())
            update["edited_message"] = update.pop("message")
            update["edited_message"]["edit_date"] = 1
            return update
        if r < 0.80:
            return self._file(who, private)
        if r < 0.83:
            kind = self.rng.choice(["sticker", "location", "contact", "voice"])
            update = self.api.user_message(self.rng.choice([private, self.group]), who, "")
            message = update["message"]
            message.pop("text")
            message.pop("entities", None)
            message.update(_extra(kind))
            return update
        if r < 0.86:
            field = self.rng.choice([{"new_chat_members": [who]}, {"left_chat_member": who},
                                     {"new_chat_title": "Mới"}, {"group_chat_created": True},
                                     {"pinned_message": {"message_id": 1, "date": 0,
                                                         "chat": self.group}}])
            return self.api.service_message(self.group, who, field)
        if r < 0.89:
            return self._membership(who)
        if r < 0.92:
            return self.api.raw_update({"inline_query": {
                "id": "1", "from": who, "query": self._text()[:256], "offset": ""}})
        if r < 0.94:  # an edited channel post
            update = self.api.user_message(self.channel, who, self._text())
            message = update.pop("message")
            message.pop("from")
            message["edit_date"] = 1
            update["edited_channel_post"] = message
            return update
        return self._tap(who, private, forged=True)

    def _tap(self, who: JSON, private: JSON, *, forged: bool = False) -> JSON:
        with_buttons = [m for (cid, _mid), m in list(self.api.messages.items())[-300:]
                        if cid in (who["id"], self.group["id"]) and m.get("reply_markup")]
        if forged or not with_buttons:
            chat = private if self.rng.random() < 0.8 else self.group
            self.api.remember_chat(chat)
            mid = max(1, self.rng.randrange(1, 50))
            return self.api.callback_tap(chat["id"], mid, who, self.rng.choice(FORGED))
        message = self.rng.choice(with_buttons[-8:])
        buttons = [b for row in message["reply_markup"].get("inline_keyboard", []) for b in row
                   if "callback_data" in b]
        if not buttons:
            return self.api.callback_tap(message["chat"]["id"], message["message_id"], who,
                                         self.rng.choice(FORGED))
        data = self.rng.choice(buttons)["callback_data"]
        return self.api.callback_tap(message["chat"]["id"], message["message_id"], who, data)

    def _file(self, who: JSON, private: JSON) -> JSON:
        update = self.api.user_message(private, who, "")
        message = update["message"]
        message.pop("text")
        message.pop("entities", None)
        uid = f"f{update['update_id']}"
        mime = self.rng.choice(["application/pdf", "image/png", "x" * 300, None,
                                "application/vnd.openxmlformats-officedocument."
                                "wordprocessingml.document"])
        if self.rng.random() < 0.5:
            message["document"] = {"file_id": uid, "file_unique_id": uid, "mime_type": mime,
                                   "file_name": self.rng.choice(["bc.pdf", "a" * 300 + ".pdf",
                                                                 "x.exe", None]),
                                   "file_size": self.rng.choice([10, 10**9])}
        else:
            message["photo"] = [{"file_id": uid, "file_unique_id": uid, "width": 1,
                                 "height": 1, "file_size": 10}]
        if self.rng.random() < 0.5:
            message["caption"] = self.rng.choice(TEXTS)
        return update

    def _membership(self, who: JSON) -> JSON:
        chat = self.rng.choice([self.group, self.supergroup])
        self.api.remember_chat(chat)
        old, new = self.rng.choice([("left", "member"), ("member", "left"),
                                    ("member", "kicked"), ("member", "administrator")])

        def member(status: str) -> JSON:
            base: JSON = {"user": self.api.bot_user, "status": status}
            if status == "kicked":
                base["until_date"] = 0
            if status == "administrator":
                base.update({k: False for k in (
                    "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                    "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                    "can_change_info", "can_invite_users", "can_post_stories",
                    "can_edit_stories", "can_delete_stories")})
            return base

        return self.api.raw_update({"my_chat_member": {
            "chat": chat, "from": who, "date": 0,
            "old_chat_member": member(old), "new_chat_member": member(new)}})


def _extra(kind: str) -> JSON:
    if kind == "sticker":
        return {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                            "is_animated": False, "is_video": False, "type": "regular"}}
    if kind == "location":
        return {"location": {"latitude": 10.7, "longitude": 106.6}}
    if kind == "contact":
        return {"contact": {"phone_number": "0912345678", "first_name": "A"}}
    return {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}}
