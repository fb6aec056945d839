"""Secrets out of every log line: webhook URL tokens' MACs and Bearer tokens are masked.

A webhook URL's token is `<account id hex><MAC>`: whoever has it can post deliveries for the
account, so a log keeps the account id (useful) and replaces the MAC. Used by gunicorn's logger
(receiver/log_masking.py), the receiver's crash handler and the workers' log handler.
"""

import logging
import re

MASK = "***"
_RECEIVE_TOKEN = re.compile(r"(/api/webhooks/receive/)([0-9a-fA-F]{0,32})[^/?#\s\"'<>]*")
_BEARER = re.compile(r"(Bearer\s+)[^\s\"']+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """The text with every webhook URL token's MAC and every Bearer token replaced by ***."""
    text = _RECEIVE_TOKEN.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)


class MaskingFilter(logging.Filter):
    """Masks a record's message and its traceback (formatted here, so nothing escapes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = mask_secrets(message), ()
        return True


def masked_log_handler(level: int = logging.INFO) -> logging.Handler:
    """A stderr handler for a process's root logger whose every line is masked."""
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    return handler
