"""Typed helpers that read settings from the environment.

Every setting Khabar reads goes through one of these, so a bad value stops
start-up with one line that names the variable, never a traceback deep inside
Django. ``*_FILE`` variants let secrets come from files (Docker/systemd
credentials) instead of the process environment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


def env(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EnvError(f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EnvError(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false, yes/no, on/off)")


def envint(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise EnvError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"{name}={value} is below the minimum of {minimum}")
    if maximum is not None and value > maximum:
        raise EnvError(f"{name}={value} is above the maximum of {maximum}")
    return value


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def envmap(name: str, keys, values) -> dict[str, str]:
    """``key=value`` pairs, comma-separated (``fa=persian,ckb=western``), each key and value from
    the allowed ones; a pair that is malformed or names anything else is an error naming it."""
    pairs = {}
    for item in envlist(name):
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key or not value:
            raise EnvError(f"{name}: {item!r} is not a pair like code=value")
        if key not in keys:
            raise EnvError(f"{name}: {key!r} is not one of: {', '.join(keys)}")
        if value not in values:
            raise EnvError(f"{name}: {key}={value!r} is not one of: {', '.join(values)}")
        pairs[key] = value
    return pairs


def envsecret(name: str, *, required: bool, fallback: str = "") -> str:
    """A secret from NAME or NAME_FILE; an error if required and missing."""
    value = env(name)
    if value:
        return value
    if required:
        raise EnvError(f"{name} (or {name}_FILE) must be set when DEBUG is off")
    return fallback


def envjson(name: str, default: dict) -> dict:
    """A JSON object (e.g. storage options); anything else is an error naming the variable."""
    raw = env(name)
    if not raw.strip():
        return dict(default)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise EnvError(f"{name} is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise EnvError(f'{name} must be a JSON object like {{"key": "value"}}')
    return value


def envnetworks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks (``10.0.0.0/8``); anything else is an error."""
    import ipaddress

    networks = []
    for item in envlist(name, default):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise EnvError(f"{name}: {item!r} is not an IP address or network (like 10.0.0.0/8)") from None
    return networks
