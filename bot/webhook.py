"""The webhook server of ``kehoach run --webhook``: small, strict, and 200 only after the commit.

A plain asyncio HTTP/1.1 server (PTB's "custom webhook" pattern: it feeds
:meth:`Application.process_update` itself), so the order of checks is ours:

1. the request line and headers are read (at most :data:`MAX_HEADER_BYTES`, within
   :data:`READ_TIMEOUT_S`); ``GET /healthz`` answers ``ok``;
2. the path and Telegram's secret header are checked **before any byte of the body is read**
   (403), then the declared length: over :data:`MAX_BODY_BYTES` → 413, body unread, connection
   closed; no length (or chunked) → 411;
3. the body is read and parsed: not an update → 400 and one log line (no traceback, no body);
4. the update is processed to the end — its unit of work committed, its replies sent — and only
   then answered 200. A replayed ``update_id`` (Telegram re-posts when it got no answer in
   time) is acknowledged and not processed again (:class:`bot.updates.KehoachApplication`).

It listens on 127.0.0.1 by default: TLS and the public address belong to the reverse proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.updates import KehoachApplication, mark_done
from core.settings import Settings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # 1 MB: Telegram's updates are a few KB
MAX_HEADER_BYTES = 16 * 1024
READ_TIMEOUT_S = 15
KEEP_ALIVE_REQUESTS = 1000
SECRET_HEADER = "x-telegram-bot-api-secret-token"
_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 408: "Request Timeout", 411: "Length Required",
            413: "Payload Too Large", 431: "Request Header Fields Too Large",
            500: "Internal Server Error"}


class _Close(Exception):  # noqa: N818
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class WebhookServer:
    """Serves ``POST <path>`` for ``application`` and ``GET /healthz``.

    Args:
        application: the started application.
        path: the URL path Telegram posts to (``/telegram``).
        secret: the secret token Telegram sends in the header.
        max_body: the largest body read (bytes).
    """

    def __init__(self, application: Application, *, path: str, secret: str,
                 max_body: int = MAX_BODY_BYTES) -> None:
        """Serve ``application``'s updates posted to ``path`` with ``secret``."""
        self.application = application
        self.path = "/" + path.strip("/")
        self.secret = secret.encode()
        self.max_body = max_body
        self.server: asyncio.Server | None = None
        self.counts: dict[int, int] = {}

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port`` (0: a free port). Returns the port."""
        self.server = await asyncio.start_server(self._serve, host, port,
                                                 limit=MAX_HEADER_BYTES)
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening (requests in progress finish)."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for _ in range(KEEP_ALIVE_REQUESTS):
                try:
                    status, body, keep = await self._one(reader)
                except _Close as exc:
                    await self._answer(writer, exc.status, b"", keep=False)
                    return
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                await self._answer(writer, status, body, keep=keep)
                if not keep:
                    return
        except Exception as exc:  # noqa: BLE001 - one line, never the request
            logger.error("webhook request failed: %s", type(exc).__name__)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, writer: asyncio.StreamWriter, status: int, body: bytes, *,
                      keep: bool) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        head = (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
                f"Content-Length: {len(body)}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Connection: {'keep-alive' if keep else 'close'}\r\n\r\n")
        writer.write(head.encode("latin-1") + body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    async def _one(self, reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        try:
            raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
        except asyncio.LimitOverrunError as exc:
            raise _Close(431) from exc
        except TimeoutError as exc:
            raise _Close(408) from exc
        except asyncio.IncompleteReadError:
            raise
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            raise _Close(400)
        method, target, _version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        keep = headers.get("connection", "").lower() != "close"
        path = urlsplit(target).path
        if path == "/healthz" and method in ("GET", "HEAD"):
            return 200, b"ok", keep
        if path != self.path:
            raise _Close(404)
        if method != "POST":
            raise _Close(405)
        given = headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, self.secret):
            raise _Close(403)  # before a byte of the body is read
        if "transfer-encoding" in headers:
            raise _Close(411)
        length = headers.get("content-length", "")
        if not length.isdigit():
            raise _Close(411)
        if int(length) > self.max_body:
            raise _Close(413)  # unread: the connection closes
        try:
            body = await asyncio.wait_for(reader.readexactly(int(length)), READ_TIMEOUT_S)
        except TimeoutError as exc:
            raise _Close(408) from exc
        update = self._parse(body)
        if update is None:
            return 400, b"", keep
        await self.application.process_update(update)
        await mark_done(self.application, [update.update_id])
        return 200, b"", keep

    def _parse(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            return Update.de_json(data, self.application.bot)
        except Exception as exc:  # noqa: BLE001 - malformed: one line, never the body
            logger.warning("webhook: malformed update refused (%s, %d bytes)",
                           type(exc).__name__, len(body))
            return None


def share_state(application: Application) -> None:
    """This process is one of several webhook workers on one database.

    In-process state (replayed update ids, open conversations, chat plans) is read through the
    database.
    """
    from bot.context import services_of
    from storage import conversations

    if isinstance(application, KehoachApplication):
        application.shared = True  # another worker may get Telegram's re-post of an update
        application.prefetch = True
    services = services_of(application)
    services.chat_plans.shared = True
    conversations.share(services.db.engine)


async def serve_webhook(application: Application, settings: Settings,
                        stop: asyncio.Event) -> None:
    """Register the webhook with Telegram and serve it until ``stop`` is set."""
    assert settings.webhook_url
    assert settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    share_state(application)
    server = WebhookServer(application, path=urlsplit(settings.webhook_url).path, secret=secret)
    port = await server.start(settings.webhook_listen, settings.webhook_port)
    await application.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                      allowed_updates=Update.ALL_TYPES)
    logger.info("webhook listening on %s:%s", settings.webhook_listen, port)
    try:
        await stop.wait()
    finally:
        await server.stop()
