"""10,000 seeded generated updates through the real application: no error-handler call, no
reply Telegram would refuse (``tests/fuzz_kit.py``; 100,000 in ``bench/bench_fuzz.py``)."""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

from bot.app import build_application, running
from bot.local_api import JSON
from tests.support.factories import GROUP_ID, OfflineBot, make_settings
from tests.support.fuzz_kit import CheckingApi, UpdateFuzzer
from tests.support.reports_kit import (
    ADMIN,
    COORD,
    OFFICER,
    OFFICER_GDDT,
    STRANGER,
    FilesBotApi,
    FilesRequest,
    seed_roles,
)

FUZZ_UPDATES = int(os.environ.get("KEHOACH_FUZZ_UPDATES", "10000"))
FUZZ_SEED = int(os.environ.get("KEHOACH_FUZZ_SEED", "16"))


class FuzzApi(CheckingApi, FilesBotApi):
    """The checking Bot API with any file downloadable (a small PDF)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads = collections.defaultdict(lambda: b"%PDF-1.4 fuzz")

    def _m_getfile(self, params: JSON, files: dict) -> JSON:
        file_id = str(params["file_id"])
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": 13,
                "file_path": f"documents/{file_id}"}


@contextlib.asynccontextmanager
async def fuzz_bot(settings: Any, *, kb: Any, db: Any, clock: Any
                   ) -> AsyncIterator[tuple[OfflineBot, list[str]]]:
    """The real application on a :class:`FuzzApi`, and the errors its error handler saw."""
    api = FuzzApi()
    app = build_application(settings, kb=kb, db=db, clock=clock, request=FilesRequest(api),
                            get_updates_request=FilesRequest(api), rate_limit=False)
    errors: list[str] = []

    async def count(update: object, context: Any) -> None:
        kind = update.to_dict() if hasattr(update, "to_dict") else {}
        shape = next((k for k in kind if k != "update_id"), "?")
        errors.append(f"{type(context.error).__name__} on {shape}: {context.error!s:.120}")

    app.add_error_handler(count)
    async with running(app):
        yield OfflineBot(app, api), errors


async def run_fuzz(settings: Any, *, kb: Any, db: Any, clock: Any, updates: int, seed: int
                   ) -> tuple[list[str], list[tuple[str, str]], int]:
    """Run ``updates`` generated updates; (errors, refused calls, calls made)."""
    seed_roles(db, now=clock.now())
    async with fuzz_bot(settings, kb=kb, db=db, clock=clock) as (bot, errors):
        api = bot.api
        for uid in (OFFICER, OFFICER_GDDT, COORD, ADMIN, STRANGER):
            api.remember_chat({"id": uid, "type": "private", "first_name": "Cán bộ"})
        fuzzer = UpdateFuzzer(api, seed, [OFFICER, OFFICER_GDDT, COORD, ADMIN, STRANGER],
                              GROUP_ID)
        for _ in range(updates):
            await bot.process(bot.update(fuzzer.next()))
            if len(api.calls) > 2000:  # keep memory and the tap search small
                del api.calls[:1000]
            if len(api.messages) > 3000:
                for key in list(api.messages)[:1500]:
                    del api.messages[key]
        return errors, api.refused, len(api.calls)


async def test_generated_updates_raise_nothing_and_get_valid_replies(sqlite_db, kb, clock,
                                                                     tmp_path):
    settings = make_settings(admin_ids=[ADMIN], files_dir=tmp_path / "files", max_file_mb=1)
    errors, refused, _ = await run_fuzz(settings, kb=kb, db=sqlite_db, clock=clock,
                                        updates=FUZZ_UPDATES, seed=FUZZ_SEED)
    assert collections.Counter(errors).most_common(10) == []
    assert collections.Counter(refused).most_common() == []
