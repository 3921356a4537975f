"""Custom fields on pages: the input each type gets, what a form posts, and what pages show.

A form carries each field under the name `custom_fields.KEY`, the same name the service's
errors use, so an error lands beside its input and in the page's error summary. A form
holds values as people type them (text, or a list for multiple choice); the service checks
and stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from rapport.contacts import fields
from rapport.customfields.models import CustomField
from rapport.customfields.values import display

PREFIX = "custom_fields."
INPUT_TYPES = {
    "text": "text",
    "number": "number",
    "decimal": "number",
    "date": "date",
    "url": "url",
    "email": "email",
    "phone": "tel",
}
WIDGETS = {
    "long_text": "textarea",
    "boolean": "checkbox",
    "single_choice": "select",
    "multiple_choice": "checkboxes",
}


def name_of(field: CustomField) -> str:
    return PREFIX + field.key


def labels(defined: list[CustomField]) -> dict[str, str]:
    """Error-summary labels of the fields, by their form names."""
    return {name_of(f): f.label for f in defined}


def may_edit(field: CustomField, role: str) -> bool:
    return role in (field.edit_roles or [])


def shown(field: CustomField, value: Any, country: str | None = None) -> str | list[str]:
    """A stored value as the form's input holds it."""
    if field.type == "multiple_choice":
        return [str(v) for v in value or []]
    if value is None:
        return ""
    if field.type == "boolean":
        return "true" if value else ""
    if field.type == "phone":
        return fields.display_phone(value, country) or str(value)
    return str(value)


def form_values(
    defined: list[CustomField], stored: dict[str, Any] | None, country: str | None
) -> dict[str, str | list[str]]:
    """A contact's values as its edit form shows them."""
    stored = stored or {}
    return {name_of(f): shown(f, stored.get(f.key), country) for f in defined}


def posted_values(defined: list[CustomField], posted: FormData) -> dict[str, str | list[str]]:
    """What a posted form holds for each field, as typed (to show it again, or compare)."""
    found: dict[str, str | list[str]] = {}
    for field in defined:
        name = name_of(field)
        if field.type == "multiple_choice":
            found[name] = [v for v in posted.getlist(name) if isinstance(v, str) and v]
        elif field.type == "boolean":
            found[name] = "true" if posted.get(name) == "true" else ""
        else:
            value = posted.get(name)
            found[name] = value if isinstance(value, str) else ""
    return found


def service_values(
    defined: list[CustomField], typed: dict[str, Any], role: str, *, existing: bool
) -> dict[str, Any]:
    """The service's input from a form's values: only the fields this role may edit (the
    others show read-only and are not posted). An unticked box is "no" on a contact that
    exists, and no value yet on a new one, so a new contact's flags stay unset until set."""
    values: dict[str, Any] = {}
    for field in defined:
        name = name_of(field)
        if not may_edit(field, role) or name not in typed:
            continue
        value = typed[name]
        if field.type == "boolean":
            value = True if value == "true" else (False if existing else None)
        values[field.key] = value
    return values


@dataclass
class FieldInput:
    """One field as a form renders it."""

    field: CustomField
    name: str
    widget: str  # input, textarea, checkbox, select, checkboxes
    input_type: str  # of an <input>: text, number, date, url, email, tel
    value: str | list[str]
    editable: bool
    step: str | None = None

    @property
    def readonly_hint(self) -> str:
        return "Only " + " or ".join(self.field.edit_roles or ["nobody"]) + " can change this."


def inputs(defined: list[CustomField], form: dict[str, Any], role: str) -> list[FieldInput]:
    """The inputs of a form, in the administrator's order, holding the form's values."""
    found = []
    for field in defined:
        name = name_of(field)
        multiple = field.type == "multiple_choice"
        value = form.get(name, [] if multiple else "")
        found.append(
            FieldInput(
                field=field,
                name=name,
                widget=WIDGETS.get(field.type, "input"),
                input_type=INPUT_TYPES.get(field.type, "text"),
                value=value,
                editable=may_edit(field, role),
                step={"number": "1", "decimal": "any"}.get(field.type),
            )
        )
    return found


@dataclass
class FieldValue:
    """One value as a page shows it: its label, the text, and a link where it has one."""

    key: str
    label: str
    text: str
    href: str | None = None


def shown_values(
    defined: list[CustomField],
    stored: dict[str, Any] | None,
    country: str | None,
    *,
    include_empty: bool = False,
) -> list[FieldValue]:
    """The values of `defined` a contact has (or all, blank ones empty), labelled, in the
    administrator's order."""
    stored = stored or {}
    found = []
    for field in defined:
        value = stored.get(field.key)
        text = display(field, value, country)
        if not text and not include_empty:
            continue
        links = {"url": value, "email": f"mailto:{value}", "phone": f"tel:{value}"}
        href = links.get(field.type) if text else None
        found.append(FieldValue(field.key, field.label, text, href))
    return found
