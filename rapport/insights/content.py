"""Text posted for analysis: plain text, Watson's `content_items` JSON, or a list of strings."""

from __future__ import annotations

from typing import Any

from rapport.core.errors import DomainError, FieldError, ValidationFailed
from rapport.core.inputs import JsonRefused, strict_json
from rapport.interactions.transcript import html_to_text

MAX_BODY_BYTES = 1_000_000  # four times what the engine reads (250 KB): generous, bounded
CONTENT_TYPES = ("text/plain", "text/html")


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "payload_too_large"


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


def _media_type(content_type: str | None) -> tuple[str, str]:
    """('text/plain', 'utf-8') from 'text/plain; charset=UTF-8'."""
    parts = [p.strip() for p in (content_type or "").split(";")]
    charsets = [p.split("=", 1)[1] for p in parts[1:] if p.lower().startswith("charset=")]
    charset = charsets[0].strip('"').lower() if charsets else "utf-8"
    return parts[0].lower(), charset


def _content_items(items: Any) -> list[str]:
    if not isinstance(items, list) or not items:
        raise _invalid("content_items", "must be a non-empty list of {content, contenttype}")
    texts = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise _invalid(f"content_items.{n}.content", "must be a string")
        kind = str(item.get("contenttype") or "text/plain").lower()
        if kind not in CONTENT_TYPES:
            raise _invalid(f"content_items.{n}.contenttype", "must be text/plain or text/html")
        texts.append(html_to_text(item["content"]) if kind == "text/html" else item["content"])
    return texts


def texts_from_body(body: bytes, content_type: str | None) -> list[str]:
    """The texts in a request body, or a clear 413, 415 or 422."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"Send at most {MAX_BODY_BYTES:,} bytes; only 250 KB are analysed.")
    media_type, charset = _media_type(content_type)
    if media_type == "text/plain":
        try:
            return [body.decode(charset)]
        except (LookupError, UnicodeDecodeError):
            raise _invalid("body", f"is not valid {charset} text") from None
    if media_type != "application/json":
        raise UnsupportedMediaType(
            "Send text/plain, or application/json with content_items or a list of strings."
        )
    try:
        data = strict_json(body)
    except JsonRefused as exc:
        raise _invalid(".".join(str(p) for p in exc.path) or "body", exc.reason) from None
    if isinstance(data, dict) and "content_items" in data:
        return _content_items(data["content_items"])
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return data
    raise _invalid("body", 'must be {"content_items": [...]} or a list of strings')
