"""Secrets out of every log line: the webhook URL token's MAC and Bearer tokens are masked.

A webhook URL's token is `<account id hex><MAC>`: whoever has it can post deliveries for the
account, so logs keep the account id (useful) and replace the MAC. gunicorn's access and error
logs go through MaskingLogger (`logger_class` in gunicorn.conf.py); the app's crash handler
writes through mask_secrets too.
"""

import logging
import re

from gunicorn.glogging import Logger

MASK = "***"
_RECEIVE_TOKEN = re.compile(r"(/api/webhooks/receive/)([0-9a-fA-F]{0,32})[^/?#\s\"'<>]*")
_BEARER = re.compile(r"(Bearer\s+)[^\s\"']+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """The text with every webhook URL token's MAC and every Bearer token replaced by ***."""
    text = _RECEIVE_TOKEN.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)


class _MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = mask_secrets(message), ()
        return True


class MaskingLogger(Logger):
    """gunicorn's logger, with the request line, URLs and headers masked in the access log and
    every message (and traceback) of the error log masked too."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_MaskingFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_secrets(v) if isinstance(v, str) else v for k, v in atoms.items()}
