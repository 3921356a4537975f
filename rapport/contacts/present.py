"""The contact as clients see it: stored values plus the forms people read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import object_session

from rapport.contacts import fields
from rapport.contacts.models import Contact
from rapport.contacts.schemas import ContactOut
from rapport.contacts.service import display_name_of
from rapport.core.db import utcnow
from rapport.customfields import service as custom_fields


def local_time(time_zone: str | None, now: datetime | None = None) -> datetime | None:
    if not time_zone:
        return None
    return (now or utcnow()).astimezone(ZoneInfo(time_zone))


def contact_out(contact: Contact) -> ContactOut:
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
            "state_name": fields.subdivision_name(contact.state)
            if contact.state and "-" in contact.state
            else contact.state,
            "country_name": fields.country_name(contact.country),
            "local_time": local_time(contact.time_zone),
            "phone_display": fields.display_phone(contact.phone, contact.country),
            "mobile_display": fields.display_phone(contact.mobile, contact.country),
            "fax_display": fields.display_phone(contact.fax, contact.country),
            "account": contact.account,
        }
    )
