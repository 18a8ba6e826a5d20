"""A small Telegram Bot API client on the standard library (urllib), JSON in and out.

Errors come back as three kinds, because what to do next differs:
  * ``ApiError``: Telegram answered and refused (400, 403, 429 with ``retry_after``...);
  * ``NotDelivered``: the request never reached Telegram (no connection): safe to send again;
  * ``AnswerLost``: the request was sent but no answer came back: Telegram may have acted on it.
"""

from __future__ import annotations

import http.client
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


@dataclass
class ApiError(Exception):
    code: int
    description: str
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    def says(self, words: str) -> bool:
        return words in self.description.lower()


class NotDelivered(Exception):
    pass


class AnswerLost(Exception):
    pass


@dataclass
class Upload:
    name: str
    content: bytes
    content_type: str = "image/jpeg"


def bot_token() -> str:
    return getattr(settings, "KHABAR_TELEGRAM_BOT_TOKEN", "")


def configured() -> bool:
    return bool(bot_token())


def call(method: str, params: dict, upload: tuple[str, Upload] | None = None) -> dict:
    """Call ``method`` and return its ``result``; raise one of the errors above."""
    url = f"{settings.KHABAR_TELEGRAM_API_URL.rstrip('/')}/bot{bot_token()}/{method}"
    if upload:
        body, content_type = _multipart(params, *upload)
    else:
        body, content_type = json.dumps(params, ensure_ascii=False).encode(), "application/json"
    # The address is http(s) only: settings refuse anything else for KHABAR_TELEGRAM_API_URL.
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.KHABAR_TELEGRAM_TIMEOUT) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
    except urllib.error.URLError as error:  # raised while connecting or sending: nothing arrived
        raise NotDelivered(str(error.reason)) from error
    except (OSError, http.client.HTTPException) as error:  # raised while waiting for the answer
        raise AnswerLost(str(error) or type(error).__name__) from error
    return _result(raw)


def _result(raw: bytes) -> dict:
    try:
        answer = json.loads(raw)
    except ValueError:
        raise ApiError(502, "Telegram's answer was not JSON") from None
    if not isinstance(answer, dict):
        raise ApiError(502, "Telegram's answer was not a JSON object")
    if answer.get("ok"):
        return answer.get("result") or {}
    parameters = answer.get("parameters") or {}
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    raise ApiError(
        int(answer.get("error_code") or 500),
        str(answer.get("description") or ""),
        int(retry_after) if isinstance(retry_after, (int, float)) else None,
    )


def _multipart(params: dict, field: str, upload: Upload) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in params.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{text}\r\n'.encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{upload.name}"\r\n'
            f"Content-Type: {upload.content_type}\r\n\r\n"
        ).encode()
        + upload.content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
