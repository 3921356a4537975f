"""The transcript of an interaction: messages, cleaned and made searchable."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import nh3
from sqlalchemy import Row, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rapport.core import html as safe_html
from rapport.core.db import built, utcnow
from rapport.core.errors import Conflict, FieldCollector, FieldError
from rapport.core.ids import new_id
from rapport.core.text import clean_text
from rapport.interactions.models import CONTENT_TYPES, SENDERS, Interaction, Message
from rapport.interactions.times import check_moment
from rapport.search import index
from rapport.tenants.models import Tenant

MAX_TEXT = 100_000
MAX_SUBJECT = 500
# Where a block ends, text must not run into the next block ("Hello</p><p>World").
_BLOCK_END = re.compile(r"(<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|pre|table)\s*>)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(markup: str) -> str:
    """Plain text of HTML: tags, scripts and styles dropped, entities decoded."""
    stripped = nh3.clean(_BLOCK_END.sub(lambda m: m.group(0) + "\n", markup), tags=set())
    text = _CONTROL.sub(" ", html.unescape(stripped))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def sanitize_html(markup: str) -> str:
    return safe_html.clean(markup)


def clean_message(
    errors: FieldCollector, prefix: str, values: dict[str, Any], now=None
) -> dict[str, Any] | None:
    """Validated column values of a message; errors are named `<prefix>field`."""
    now = now or utcnow()
    start = len(errors.errors)
    clean: dict[str, Any] = {}
    sender = values.get("sender")
    if sender not in SENDERS:
        errors.add(f"{prefix}sender", f"must be one of {', '.join(SENDERS)}")
    clean["sender"] = sender
    content_type = values.get("content_type") or "text/plain"
    if content_type not in CONTENT_TYPES:
        errors.add(f"{prefix}content_type", f"must be one of {', '.join(CONTENT_TYPES)}")
    clean["content_type"] = content_type
    raw = values.get("text")
    try:
        if not isinstance(raw, str):
            raise FieldError(f"{prefix}text", "is required")
        if content_type == "text/html":
            if len(raw) > MAX_TEXT * 2:
                raise FieldError(f"{prefix}text", f"must be at most {MAX_TEXT * 2} characters")
            clean["html"] = sanitize_html(raw)
            raw = html_to_text(raw)
        clean["text"] = clean_text(f"{prefix}text", raw, MAX_TEXT, multiline=True)
        if clean["text"] is None:
            raise FieldError(f"{prefix}text", "must not be empty")
        clean["subject"] = clean_text(f"{prefix}subject", values.get("subject"), MAX_SUBJECT)
        clean["external_id"] = clean_text(f"{prefix}external_id", values.get("external_id"), 200)
    except FieldError as exc:
        errors.add(exc.field, exc.message)
    clean["sent_at"] = check_moment(errors, f"{prefix}sent_at", values.get("sent_at"), now) or now
    return None if len(errors.errors) > start else clean


def list_messages(*, db: Session, interaction: Interaction) -> list[Row]:
    """The transcript, oldest first, as plain rows: it is only shown, never changed."""
    return list(
        db.execute(
            select(*Message.__table__.c)
            .where(
                Message.tenant_id == interaction.tenant_id, Message.interaction_id == interaction.id
            )
            .order_by(Message.sent_at, Message.id)
        )
    )


def find_by_external_id(*, db: Session, tenant_id, external_id: str) -> Message | None:
    return db.scalar(
        select(Message).where(Message.tenant_id == tenant_id, Message.external_id == external_id)
    )


# The interaction a message belongs to: the object, or the plain row of
# `interactions.service.get_plain` (keys, channel, state, agent, contact).
Conversation = Interaction | Row

# Told of every message stored, in its transaction (messages are written with one INSERT,
# without the unit of work and its hooks, which took a quarter of an append): routing
# announces the message to open workspaces, Personality Insights marks the writer's profile
# stale.
MESSAGE_STORED: list[Callable[[Session, Conversation, Message], None]] = []
_INSERT = insert(Message.__table__)


def add_clean(*, db: Session, interaction: Conversation, clean: dict[str, Any]) -> Message:
    """Store a validated message and index its text, in the caller's transaction.

    The message returned is not in the session: it is written, and only shown."""
    values = {
        "tenant_id": interaction.tenant_id, "id": new_id(), "interaction_id": interaction.id,
        "created_at": utcnow(), "subject": None, "html": None, "external_id": None, **clean,
    }  # fmt: skip
    db.execute(_INSERT, values)
    message = built(Message, values)
    for listener in MESSAGE_STORED:
        listener(db, interaction, message)
    index.add_text(
        db=db,
        tenant_id=interaction.tenant_id,
        interaction_id=interaction.id,
        parts=[message.subject, message.text],
    )
    return message


def append(
    *, db: Session, tenant: Tenant, interaction: Conversation, values: dict[str, Any]
) -> tuple[Message, bool]:
    """Append a message; (message, created). A known `external_id` returns the stored one."""
    errors = FieldCollector()
    clean = clean_message(errors, "", values)
    errors.raise_if_any()
    assert clean is not None
    if not clean["external_id"]:
        # Nothing another request could store first: no savepoint to fall back to.
        message = add_clean(db=db, interaction=interaction, clean=clean)
        db.flush()
        return message, True
    existing = find_by_external_id(db=db, tenant_id=tenant.id, external_id=clean["external_id"])
    if existing is not None:
        _same_interaction(existing, interaction)
        return existing, False
    try:
        with db.begin_nested():
            message = add_clean(db=db, interaction=interaction, clean=clean)
            db.flush()
    except IntegrityError:
        # A concurrent request stored the same external id first: answer with its message.
        existing = find_by_external_id(db=db, tenant_id=tenant.id, external_id=clean["external_id"])
        if existing is None:
            raise
        _same_interaction(existing, interaction)
        return existing, False
    return message, True


def _same_interaction(message: Message, interaction: Conversation) -> None:
    if message.interaction_id != interaction.id:
        raise Conflict(
            "This external_id belongs to a message of another interaction.",
            field="external_id",
            interaction_id=str(message.interaction_id),
        )
