"""A local Bot API emulator over HTTP on 127.0.0.1, for tests that run the real Application.

It serves :class:`bot.local_api.LocalBotApi` (the methods and their state) at
``http://127.0.0.1:<port>/bot<token>/<method>`` and adds what only a server has: the queue of
updates for ``getUpdates`` (``offset`` confirms, ``timeout`` long-polls), optional per-chat rate
limits (429 with ``retry_after``) and injectable errors (403 Forbidden, 400
``migrate_to_chat_id``…). A side door lets the test play the users (``send``, ``tap``) and read
what the bot did (``api.calls``, ``wait_for``).

Written on asyncio streams (no aiohttp); it runs on the test's event loop::

    async with BotApiEmulator() as emu:
        app = build_application(settings.model_copy(update={"telegram_base_url": emu.base_url}),
                                ...)
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.local_api import (
    JSON,
    BotApiError,
    Call,
    LocalBotApi,
    decode_params,
    forbidden,
    migrated,
    too_many_requests,
)

TOKEN = "123456:TEST-token"
_MAX_LONG_POLL = 30.0


class BotApiEmulator:
    """The Bot API on 127.0.0.1 with a side door for tests.

    Args:
        api: the in-memory API to serve (a fresh one by default).
        token: the only token accepted; others get 401 like Telegram.
    """

    def __init__(self, api: LocalBotApi | None = None, *, token: str = TOKEN) -> None:
        self.api = api or LocalBotApi()
        self.token = token
        self.port = 0
        self.updates: deque[JSON] = deque()
        # update ids in the order getUpdates answers carried them to a connected client
        self.delivered: list[int] = []
        self.requests: list[str] = []  # every method called over HTTP, errors included
        self._rate: tuple[int, float, int] | None = None
        self._sent_at: defaultdict[int, deque[float]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._closing = False
        self._ids = itertools.count(1)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self, port: int = 0) -> BotApiEmulator:
        """Listen on ``port`` of 127.0.0.1 (0: a free one)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Stop listening and close every connection (long polls end)."""
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            self._server.close()
            for writer in list(self._connections):
                writer.close()
            if self._handlers:
                _done, pending = await asyncio.wait(set(self._handlers), timeout=5)
                for task in pending:
                    task.cancel()
            await self._server.wait_closed()

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The ``telegram_base_url`` to give the bot."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The ``telegram_base_file_url`` to give the bot."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- side door: users act ----------------------------------------------------------------

    async def push(self, update: JSON) -> JSON:
        """Queue an update for getUpdates and wake long polls."""
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return update

    async def send(self, chat: JSON, who: JSON, text: str, **kwargs: Any) -> JSON:
        """A user writes ``text`` in ``chat`` (see :meth:`LocalBotApi.user_message`)."""
        return await self.push(self.api.user_message(chat, who, text, **kwargs))

    async def tap(self, chat_id: int, message_id: int, data: str, who: JSON) -> JSON:
        """A user taps an inline button under a bot message."""
        return await self.push(self.api.callback_tap(chat_id, message_id, who, data))

    # --- side door: faults -----------------------------------------------------------------

    def fail(self, method: str, error: BotApiError, *, chat_id: int | None = None,
             times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id`` if given) with ``error``.
        """
        self.api.fail(method, error, chat_id=chat_id, times=times)

    forbidden = staticmethod(forbidden)
    too_many_requests = staticmethod(too_many_requests)
    migrated = staticmethod(migrated)

    def rate_limit(self, per_chat: int, *, window: float = 1.0, retry_after: int = 1) -> None:
        """Answer 429 to a chat's sends beyond ``per_chat`` within ``window`` seconds."""
        self._rate = (per_chat, window, retry_after)

    # --- side door: observe ----------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[list[Call]], Any], within: float = 10.0) -> Any:
        """Wait until ``predicate(api.calls)`` is truthy; return its value.

        Raises:
            TimeoutError: when it is not so ``within`` seconds.
        """
        async with asyncio.timeout(within), self._changed:
            while True:
                value = predicate(self.api.calls)
                if value:
                    return value
                await self._changed.wait()

    async def wait_for_replies(self, chat_id: int, count: int, within: float = 10.0
                               ) -> list[JSON]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``."""

        def enough(_: list[Call]) -> list[JSON] | None:
            sent = self.api.sent_messages(chat_id)
            return sent if len(sent) >= count else None

        return await self.wait_for(enough, within)

    def pending(self) -> list[int]:
        """Ids of updates not yet confirmed by an offset."""
        return [u["update_id"] for u in self.updates]

    # --- HTTP -------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        try:
            while not self._closing:
                request = await _read_request(reader)
                if request is None:
                    break
                path, headers, body = request
                status, payload = await self._dispatch(path, headers, body)
                if reader.at_eof():
                    break  # the client went away (a cancelled long poll): nothing delivered
                if isinstance(payload.get("result"), list) and path.endswith("/getUpdates"):
                    self.delivered.extend(u["update_id"] for u in payload["result"])
                data = json.dumps(payload).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(self, path: str, headers: dict[str, str], body: bytes
                        ) -> tuple[int, JSON]:
        parts = urlsplit(path)
        segments = unquote(parts.path).strip("/").split("/")
        if len(segments) != 2 or not segments[0].startswith("bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = segments[0][3:], segments[1]
        self.requests.append(method)
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = decode_params(dict(parse_qsl(parts.query)))
        more, files = _parse_body(headers.get("content-type", ""), body)
        params.update(more)
        try:
            if method == "getUpdates":
                result: Any = await self._get_updates(params)
            else:
                self._check_rate(method, params)
                result = self.api.handle(method, params, files)
        except BotApiError as exc:
            return exc.code, exc.payload()
        async with self._changed:
            self._changed.notify_all()
        return 200, {"ok": True, "result": result}

    def _check_rate(self, method: str, params: JSON) -> None:
        chat_id = params.get("chat_id")
        if self._rate is not None and method.startswith("send") and chat_id is not None:
            per_chat, window, retry_after = self._rate
            stamps = self._sent_at[chat_id]
            now = time.monotonic()
            while stamps and now - stamps[0] > window:
                stamps.popleft()
            if len(stamps) >= per_chat:
                raise self.too_many_requests(retry_after)
            stamps.append(now)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), _MAX_LONG_POLL)
        limit = int(params.get("limit") or 100)
        async with self._changed:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()  # confirmed by the offset: never given again
            if not self.updates and timeout > 0 and not self._closing:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        while not self.updates and not self._closing:
                            await self._changed.wait()
            return list(itertools.islice(self.updates, limit))


async def _read_request(reader: asyncio.StreamReader
                        ) -> tuple[str, dict[str, str], bytes] | None:
    line = await reader.readline()
    if not line:
        return None
    _method, path, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(int(headers.get("content-length") or 0))
    return path, headers, body


def _parse_body(content_type: str, body: bytes) -> tuple[JSON, dict[str, tuple[str, bytes]]]:
    if not body:
        return {}, {}
    if content_type.startswith("application/json"):
        return json.loads(body), {}
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = (filename, payload)
            else:
                fields[name] = payload.decode("utf-8")
        return decode_params(fields), files
    return decode_params(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))), {}
