"""gunicorn's logger with every secret masked: `logger_class` in gunicorn.conf.py.

The access log's request line, URLs and headers go through mask_secrets (the webhook URL
token's MAC, Bearer tokens); every message and traceback of the error log too.
"""

from gunicorn.glogging import Logger

from store.redaction import MaskingFilter, mask_secrets


class MaskingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(MaskingFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_secrets(v) if isinstance(v, str) else v for k, v in atoms.items()}
