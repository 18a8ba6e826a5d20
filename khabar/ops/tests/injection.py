"""The injection corpus and the checks that tell shown-as-text from injected.

``payloads()`` reads payloads/*.txt (see payloads/README.md) and adds generated very long strings.
``injected(html)`` parses a page the way a browser does (html5lib) and lists every sign that a payload
became markup: event-handler attributes, script or style carrying the marker, dangerous URL schemes,
links or resources pointing off-site, elements or attributes named by a payload.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import html5lib

PAYLOAD_DIR = Path(__file__).parent / "payloads"
MARKER = "pwned"
# Template payloads whose evaluation would print a number that the page never shows otherwise.
EVALUATED = {"5537", "4011"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|n|r|t)")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
_RESOURCE_ATTRIBUTES = {"src", "srcset", "srcdoc", "data", "poster", "background"}
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
# Attributes whose value is code, a stylesheet or a document: reader text must never reach them.
_ACTIVE_ATTRIBUTES = {"style", "srcdoc", "formaction", "xlink:href", "src", "srcset", "data", "http-equiv"}


def _decode(line: str) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code in {"n", "r", "t"}:
            return {"n": "\n", "r": "\r", "t": "\t"}[code]
        return chr(int(code[1:], 16))

    return _ESCAPE.sub(replace, line)


@cache
def payloads() -> tuple[str, ...]:
    found: list[str] = []
    for path in sorted(PAYLOAD_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            found.append(_decode(line) if path.name == "unicode.txt" else line)
    found += long_payloads()
    return tuple(found)


def long_payloads() -> list[str]:
    return [
        "A" * 100_000,
        "<b>" * 5_000 + MARKER,
        "عراق " * 10_000,
        "\u202e" * 2_000 + MARKER,
        "../" * 3_000 + MARKER,
        "%" * 8_000,
        "<script>window.__pwned=1</script>" * 500,
        "\u200b" * 20_000,
    ]


def url_quote(text: str, safe: str = "") -> str:
    """Percent-encode any text, lone surrogates included (sent as the invalid bytes they would be)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe=safe)


def parse(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def injected(html: str, *, own_origins: tuple[str, ...] = ("http://testserver",)) -> list[str]:
    """Every sign that a payload became markup on this page (empty when the page is clean)."""
    problems: list[str] = []
    for element in parse(html).iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        if MARKER in tag:
            problems.append(f"element <{tag}>")
        text = "".join(element.itertext()) if tag in {"script", "style"} else ""
        if MARKER in text or "__pwned" in text:
            problems.append(f"<{tag}> content carries the marker")
        for raw_name, value in element.attrib.items():
            problems += _attribute_problems(tag, _local(raw_name), value, own_origins)
    return problems


def _attribute_problems(tag: str, name: str, value: str, own_origins: tuple[str, ...]) -> list[str]:
    problems = []
    lowered = value.strip().lower()
    compact = re.sub(r"[\s\x00-\x1f]", "", lowered)
    if name.startswith("on"):
        problems.append(f"<{tag} {name}=…> event handler")
    if MARKER in name:
        problems.append(f"<{tag}> has attribute {name}")
    if name in _URL_ATTRIBUTES and compact.startswith(_DANGEROUS_SCHEMES):
        problems.append(f"<{tag} {name}={value[:60]!r}> dangerous scheme")
    if MARKER in value or "__pwned" in value:
        # Escaped text inside an ordinary attribute (value=, data-reply-name=…) is only text; these are not.
        if name in _ACTIVE_ATTRIBUTES:
            problems.append(f"<{tag} {name}={value[:60]!r}> carries the marker")
        elif name in {"href", "action"} and not _is_own_url(value, own_origins):
            problems.append(f"<{tag} {name}={value[:60]!r}> points off-site")
        elif tag in {"base", "link"} and name == "href":
            problems.append(f"<{tag} href> carries the marker")
        elif tag == "meta" and name == "content" and "url=" in lowered:
            problems.append("<meta refresh> carries the marker")
    if name in _RESOURCE_ATTRIBUTES and compact.startswith(("http:", "https:", "//")):
        if not any(compact.startswith(origin) for origin in own_origins):
            problems.append(f"<{tag} {name}={value[:60]!r}> loads from off-site")
    return problems


def _is_own_url(value: str, own_origins: tuple[str, ...]) -> bool:
    stripped = value.strip()
    if stripped.startswith(("//", "/\\", "\\")):
        return False
    if stripped.startswith(("/", "?", "#")):
        return True
    return any(stripped.startswith(origin + "/") or stripped == origin for origin in own_origins)
