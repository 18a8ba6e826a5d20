"""Structured logs: KHABAR_LOG_FORMAT=json writes one JSON object per line.

Each line has time (UTC, ISO 8601), level, logger and message, plus the request id, method and path when
the line was written while a request was being served (see RequestIdMiddleware), and the traceback when
there is one. Log collectors (journald, Loki, CloudWatch…) read it without a parser of their own.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_context: ContextVar[dict | None] = ContextVar("khabar_request_context", default=None)

_CONTEXT_FIELDS = ("request_id", "method", "path")


class RequestContextFilter(logging.Filter):
    """Copies the current request's id, method and path onto every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = request_context.get() or {}
        for name in _CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, context.get(name, "-"))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value not in (None, "-"):
                entry[name] = value
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ensure_ascii=False keeps Arabic readable; json still escapes newlines, so it stays one line.
        return json.dumps(entry, ensure_ascii=False, default=str)
