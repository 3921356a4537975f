"""A contact's several phones and emails: labelled, one primary per kind, kept in step with
the single `phone`, `mobile`, `fax` and `email` fields that older integrations use."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts.models import Contact, ContactPoint
from rapport.core.db import built
from rapport.core.errors import FieldCollector, FieldError
from rapport.core.text import clean_text

PHONE_KINDS = ("phone", "mobile", "fax")
# The label a primary gets when it comes from its single field.
DEFAULT_LABELS = {"phone": "work", "mobile": "mobile", "fax": "fax", "email": "work"}
KNOWN_LABELS = ("work", "home", "mobile", "fax", "other")
MAX_POINTS = 20


@dataclass(frozen=True)
class Point:
    kind: str  # phone, mobile, fax or email
    value: str  # E.164, or the email's folded key
    label: str
    primary: bool
    phone: fields.Phone | None = None
    shown: str | None = None  # the email as written


def kind_of(label: str) -> str:
    """A number labelled mobile or fax is the contact's mobile or fax; any other is a phone."""
    return label if label in ("mobile", "fax") else "phone"


def clean_label(
    errors: FieldCollector, field: str, label: Any, default: str,
    offered: Sequence[str] = KNOWN_LABELS,
) -> str | None:  # fmt: skip
    """A number's, email's or address's label: one of the `offered` (in one spelling) or the
    workspace's own text (kept as written); `default` when none is given."""
    try:
        text = clean_text(field, label, ContactPoint.label.type.length)
    except FieldError as exc:
        errors.add(exc.field, exc.message)
        return None
    if not text:
        return default
    return text.casefold() if text.casefold() in offered else text


def _parse(
    errors: FieldCollector, family: str, items: list[dict], region: str | None
) -> list[Point] | None:
    """The entries of `phones` or `emails` as sent, each checked; None if any is bad."""
    before = len(errors.errors)
    if len(items) > MAX_POINTS:
        errors.add(family, f"at most {MAX_POINTS} entries")
        return None
    key = "number" if family == "phones" else "address"
    points: list[Point] = []
    at: list[int] = []  # each point's place in the list as sent, to name it in errors
    seen: set[tuple[str, str]] = set()  # a number may be both a phone and a mobile
    for n, item in enumerate(items):
        field = f"{family}.{n}.{key}"
        label = clean_label(errors, f"{family}.{n}.label", item.get("label"), "work")
        raw = item.get(key)
        try:
            text = clean_text(field, raw, 320)
            if not text:
                raise FieldError(field, "must not be empty")
            if family == "phones":
                phone = fields.parse_phone(field, text, region)
                point = Point(kind_of(label or ""), phone.e164, label or "", False, phone=phone)
            else:
                shown, email_key = fields.normalize_email(field, text)
                point = Point("email", email_key, label or "", False, shown=shown)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
            continue
        if (point.kind, point.value) in seen:
            errors.add(field, f"'{raw}' is listed twice")
            continue
        seen.add((point.kind, point.value))
        points.append(replace(point, primary=bool(item.get("primary"))))
        at.append(n)
    kinds = {p.kind for p in points}
    for kind in kinds:
        marked = [n for n, p in zip(at, points, strict=True) if p.kind == kind and p.primary]
        if len(marked) > 1:
            what = "email" if kind == "email" else f"{kind} number"
            errors.add(f"{family}.{marked[1]}.primary", f"only one {what} can be primary")
    return None if len(errors.errors) > before else _with_primaries(points)


def _with_primaries(points: list[Point]) -> list[Point]:
    """Where no entry of a kind is marked primary, its first one is."""
    marked = {p.kind for p in points if p.primary}
    out = []
    for point in points:
        if point.kind not in marked:
            marked.add(point.kind)
            point = replace(point, primary=True)
        out.append(point)
    return out


def primary(points: list[Point], kind: str) -> Point | None:
    return next((p for p in points if p.kind == kind and p.primary), None)


def _set_primary(points: list[Point], kind: str, wanted: Point | None) -> list[Point]:
    """The list with `wanted` as the primary of its kind (None: the next one, if any)."""
    current = primary(points, kind)
    if current is not None and wanted is not None and current.value == wanted.value:
        return points
    rest = [p for p in points if p is not current]
    if wanted is None:
        return _with_primaries(rest)
    listed = next((p for p in rest if p.kind == kind and p.value == wanted.value), None)
    if listed is not None:  # already an other entry: it becomes the primary
        return [replace(p, primary=True) if p is listed else p for p in rest]
    if current is None:  # a new kind: after the others
        return [*points, replace(wanted, label=DEFAULT_LABELS[kind], primary=True)]
    # A changed number keeps its place and label.
    new = replace(wanted, label=current.label, primary=True)
    return [new if p is current else p for p in points]


def merge(
    *,
    errors: FieldCollector,
    values: dict[str, Any],
    sent: set[str],
    clean: dict[str, Any],
    phones: dict[str, fields.Phone],
    region: str | None,
) -> list[Point]:
    """Every phone and email of the record: the lists when sent, else the stored lists with
    the single fields as their primaries. The single fields in `clean` are set to the
    primaries, and `phones` to the primaries' numbers."""
    result: list[Point] = []
    for family, kinds in (("phones", PHONE_KINDS), ("emails", ("email",))):
        given = family in sent and values.get(family) is not None
        # What is stored was checked when saved: a rule changed since is not the user's error.
        checks = errors if given else FieldCollector()
        points = _parse(checks, family, values.get(family) or [], region)
        if points is None:
            if given:
                continue
            points = []
        for kind in kinds:
            single = _single(clean, kind, phones)
            if given:
                chosen = primary(points, kind)
                if (
                    kind in sent
                    and single is not None
                    and (chosen is None or chosen.value != single.value)
                ):
                    errors.add(kind, f"differs from the primary {kind} in `{family}`; "
                               "send one or make them agree")  # fmt: skip
            elif not errors.has(kind):
                points = _set_primary(points, kind, single)
        for kind in kinds:
            _put_single(clean, kind, primary(points, kind), phones)
        result.extend(points)
    return result


def _single(clean: dict[str, Any], kind: str, phones: dict[str, fields.Phone]) -> Point | None:
    if kind == "email":
        if not clean.get("email_key"):
            return None
        return Point("email", clean["email_key"], "", True, shown=clean["email"])
    phone = phones.get(kind)
    return Point(kind, phone.e164, "", True, phone=phone) if phone else None


def _put_single(
    clean: dict[str, Any], kind: str, point: Point | None, phones: dict[str, fields.Phone]
) -> None:
    if kind == "email":
        clean["email"] = point.shown if point else None
        clean["email_key"] = point.value if point else None
        return
    clean[kind] = point.value if point else None
    if point and point.phone:
        phones[kind] = point.phone
    else:
        phones.pop(kind, None)


def stored(
    contact: Contact, points: Sequence[Any] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The contact's lists in input form, so a change is validated as the whole new record.
    `points`: its rows read already (`of_contacts`), else `contact.points`."""
    points = contact.points if points is None else points
    return {
        "phones": [
            {"number": p.value, "label": p.label, "primary": p.is_primary}
            for p in points
            if p.kind != "email"
        ],
        "emails": [
            {"address": p.shown or p.value, "label": p.label, "primary": p.is_primary}
            for p in points
            if p.kind == "email"
        ],
    }


_ROW = (ContactPoint.contact_id, ContactPoint.kind, ContactPoint.value, ContactPoint.label,
        ContactPoint.is_primary, ContactPoint.shown)  # fmt: skip


def of_contacts(
    db: Session, tenant_id: uuid.UUID, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Row]]:
    """The points of a page of contacts as plain rows, in order: building ORM objects and
    collections for them was a quarter of a page's time."""
    found: dict[uuid.UUID, list[Row]] = {}
    if not contact_ids:
        return found
    query = select(*_ROW).where(
        ContactPoint.tenant_id == tenant_id, ContactPoint.contact_id.in_(contact_ids)
    )
    for row in db.execute(query.order_by(ContactPoint.contact_id, ContactPoint.position)):
        found.setdefault(row.contact_id, []).append(row)
    return found


def rows(contact: Contact, points: list[Point]) -> list[ContactPoint]:
    """The look-up rows of a contact's numbers and emails, in the order they were given."""
    out = []
    for position, point in enumerate(points):
        out.append(built(ContactPoint, {
            "tenant_id": contact.tenant_id, "contact_id": contact.id, "kind": point.kind,
            "value": point.value,
            "national": point.phone.national_digits if point.phone else None,
            "label": point.label, "is_primary": point.primary, "position": position,
            "shown": point.shown,
        }))  # fmt: skip
    return out


def same(contact: Contact, points: list[Point]) -> bool:
    """Whether the contact's stored points are these."""
    mine = [(p.kind, p.value, p.label, p.is_primary, p.shown) for p in contact.points]
    theirs = [(p.kind, p.value, p.label, p.primary, p.shown) for p in points]
    return all(
        [m for m in mine if (m[0] == "email") == email]
        == [t for t in theirs if (t[0] == "email") == email]
        for email in (False, True)
    )


def as_lists(
    contact: Contact, points: Sequence[Any] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The lists as the API shows them: the stored lists, each number also as displayed."""
    lists = stored(contact, points)
    for phone in lists["phones"]:
        phone["display"] = fields.display_phone(phone["number"], contact.country)
    return lists
