"""Helpers of the registration and reporting handler tests (and bench/bench_reports.py).

:class:`FilesBotApi` adds what the officers' files need to the in-memory Bot API: documents
and photos sent by users, ``getFile`` and the file download. :func:`reports_bot` runs the real
application on it (the same ``api`` can serve two successive runs: a restart).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from telegram.request import RequestData

from bot.app import build_application, running
from bot.local_api import JSON, LocalBotApi, LocalRequest
from features import registry
from features.permissions import Actor
from tests.support.factories import OfflineBot, private_chat, user

OFFICER = 1001  # tests.support.factories.USER_ID: an officer of Phòng Y tế, Quận 3
OFFICER_GDDT = 1002  # an officer of Phòng Giáo dục và Đào tạo, Quận 3
COORD = 2001  # coordinator of quan3-2020
OTHER_COORD = 2002  # coordinator of cantho-2017
ADMIN = 3001
STRANGER = 4001  # nobody
PLAN = "quan3-2020"


class FilesBotApi(LocalBotApi):
    """The in-memory Bot API, with files users send and their download."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads: dict[str, bytes] = {}

    def user_file(self, who: JSON, *, name: str | None, data: bytes, mime: str | None = None,
                  caption: str | None = None, declared_size: int | None = None,
                  photo: bool = False) -> JSON:
        """``who`` sends a document (or a photo) in their private chat; returns the update."""
        file_id = f"upload-{len(self.uploads) + 1}"
        self.uploads[file_id] = data
        size = len(data) if declared_size is None else declared_size
        update = self.user_message(private_chat(who["id"], who["first_name"]), who, "")
        message = update["message"]
        message.pop("text")
        message.pop("entities", None)
        if photo:
            message["photo"] = [{"file_id": file_id, "file_unique_id": f"u{file_id}",
                                 "width": 800, "height": 600, "file_size": size}]
        else:
            message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                                   "file_name": name, "mime_type": mime, "file_size": size}
        if caption:
            message["caption"] = caption
        return update

    def _m_getfile(self, params: JSON, files: dict) -> JSON:
        file_id = str(params["file_id"])
        return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                "file_size": len(self.uploads[file_id]), "file_path": f"documents/{file_id}"}


class FilesRequest(LocalRequest):
    """:class:`LocalRequest` that also serves file downloads from :class:`FilesBotApi`."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **kwargs: Any) -> tuple[int, bytes]:
        """Answer a download (``.../file/bot<token>/<path>``) or a Bot API call."""
        if "/file/bot" in url:
            file_id = url.rsplit("/", 1)[-1]
            return 200, self.api.uploads[file_id]
        return await super().do_request(url, method, request_data, **kwargs)


@contextlib.asynccontextmanager
async def reports_bot(settings: Any, *, kb: Any, db: Any, clock: Any,
                      api: FilesBotApi | None = None) -> AsyncIterator[OfflineBot]:
    """The real application on a :class:`FilesBotApi` (a new one unless ``api`` is given)."""
    api = api or FilesBotApi()
    app = build_application(settings, kb=kb, db=db, clock=clock, request=FilesRequest(api),
                            get_updates_request=FilesRequest(api), rate_limit=False)
    async with running(app):
        yield OfflineBot(app, api)


def know_private_chats(api: LocalBotApi, *user_ids: int) -> None:
    """These users have started the bot: it can write to them first."""
    for uid in user_ids:
        api.remember_chat(private_chat(uid, "Cán bộ"))


def person(user_id: int, first_name: str = "Cán bộ") -> JSON:
    """A Telegram user."""
    return user(user_id, first_name)


def seed_roles(db: Any, *, now: dt.datetime) -> None:
    """Coordinators of Quận 3 and Cần Thơ, officers of Phòng Y tế and Phòng GD&ĐT (Quận 3)."""
    cli = Actor.command_line("test")
    with db.unit_of_work() as s:
        registry.grant_coordinator(s, cli, COORD, PLAN, now=now, full_name="Điều phối Quận 3")
        registry.grant_coordinator(s, cli, OTHER_COORD, "cantho-2017", now=now,
                                   full_name="Điều phối Cần Thơ")
        for uid, unit, name in ((OFFICER, "phong-yte", "Trần Thị Lan"),
                                (OFFICER_GDDT, "phong-gddt", "Lê Văn Giáo")):
            reg = registry.request_officer(s, telegram_id=uid, plan_id=PLAN, unit_id=unit,
                                           now=now, full_name=name)
            registry.decide(s, cli, reg.id, approve=True, now=now)
