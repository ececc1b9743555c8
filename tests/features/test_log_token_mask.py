"""The bot token never reaches a log line, even in a short self-hosted Bot API URL."""

from __future__ import annotations

import io
import logging

from features.log_guard import MASK, PayloadMaskFilter, install_token_mask

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_short_bot_api_urls_are_masked_in_every_record():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install_token_mask([handler])
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("POST %s", f"http://api/bot{TOKEN}/getMe")
        logger.info(f"url http://a/bot{TOKEN}/sendMessage done")
        logger.warning("two %s %s", f"/bot{TOKEN}/x", 5)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN.split(":")[1] not in out
    assert out.count("/bot<token>") == 3
    assert "5" in out


def test_the_payload_guard_masks_a_short_url_argument():
    record = logging.LogRecord("telegram.Bot", logging.DEBUG, __file__, 1, "Calling %s",
                               ("http://a/bot12345:AAHdqTcvCH1v/getMe",), None)
    PayloadMaskFilter().filter(record)
    assert record.getMessage() == f"Calling {MASK}"
