"""Message content kept out of the logs, and bot tokens masked in every record.

:class:`PayloadMaskFilter` (installed by :func:`install_log_guard`) hides the payloads that
python-telegram-bot logs at DEBUG level — whole updates, Bot API parameters and answers, webhook
bodies — so no message text reaches the application logs whatever ``LOG_LEVEL`` says.
:class:`TokenMaskFilter` (:func:`install_token_mask`) masks ``/bot<digits>:…`` in any record.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# python-telegram-bot's loggers that may carry message content in their arguments: updates
# ("Processing update %s"), Bot API parameters and answers, webhook bodies, bad JSON answers.
PTB_PAYLOAD_LOGGERS = (
    "telegram", "telegram.Bot", "telegram.ext", "telegram.ext.ExtBot",
    "telegram.ext.Application", "telegram.ext.Updater", "telegram.ext.ConversationHandler",
    "telegram.request", "telegram.request.BaseRequest", "telegram.request.HTTPXRequest",
)
MASK = "<nội dung đã ẩn>"
_SAFE_ARG = re.compile(r"^[\w./:@-]{0,64}$")


class PayloadMaskFilter(logging.Filter):
    """Replace the payload arguments of a log record by :data:`MASK`; keep the record.

    Numbers, booleans and short identifier-like strings (a method name, an id) are kept;
    anything else — an ``Update``, a dict of parameters, a JSON body, free text — is masked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask ``record.args`` in place; always let the record through."""
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_mask(a) for a in args)
        return True


# A bot token in a Bot API URL (``…/bot123456:AA…/getMe``), however short the URL.
BOT_TOKEN_RE = re.compile(r"/bot\d+:[\w-]+")
TOKEN_MASK = "/bot<token>"


class TokenMaskFilter(logging.Filter):
    """Replace any bot token (``/bot<digits>:…``) in a record's text by ``/bot<token>``.

    Put on the log handlers (:func:`install_token_mask`), it sees every record of every
    logger, whatever its level.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the token in the formatted message; always let the record through."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format: leave it to the handler
            return True
        if "/bot" in message and BOT_TOKEN_RE.search(message):
            record.msg, record.args = BOT_TOKEN_RE.sub(TOKEN_MASK, message), None
        return True


def install_token_mask(handlers: list[logging.Handler] | None = None) -> TokenMaskFilter:
    """Add :class:`TokenMaskFilter` to ``handlers`` (default: the root logger's). Returns it."""
    mask = TokenMaskFilter()
    for handler in handlers if handlers is not None else logging.getLogger().handlers:
        handler.addFilter(mask)
    return mask


def _mask(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and _SAFE_ARG.match(value) and not BOT_TOKEN_RE.search(value):
        return value
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return value  # update ids
    return MASK


_GUARD = PayloadMaskFilter()


@lru_cache(maxsize=1)
def install_log_guard() -> PayloadMaskFilter:
    """Add :class:`PayloadMaskFilter` to python-telegram-bot's loggers (once per process).

    Logger filters apply only to records of the logger they are added to, so each logger that
    logs payloads gets it.

    Returns:
        The filter.
    """
    for name in PTB_PAYLOAD_LOGGERS:
        logging.getLogger(name).addFilter(_GUARD)
    return _GUARD
