"""Hostile input answers a 4xx naming the field, on both databases, and changes nothing.

One row per input an outside audit found answering 500 (or stored silently on one database
only): malformed cursors, dates without a zone or out of range, numbers beyond 64 bits,
NaN and 1e400, NUL and lone surrogates, text longer than its column, overlong token names,
odd If-Match values, JSON nested without end, `null` for a yes/no field."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from rapport.contacts.models import Contact
from rapport.users.models import ApiToken, User
from tests.factories import make_contact
from tests.web.helpers import signed_in

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 40 + "1" + "}" * 40
UNSIGNED = base64.urlsafe_b64encode(json.dumps(["x", "not-a-uuid"]).encode()).decode()
CONTACT = {"last_name": "Hostile"}


def raw(body: str) -> dict:
    return {"content": body.encode(), "headers": {"Content-Type": "application/json"}}


# (name, method, url, request keywords, status, the field the answer names)
API_CASES = [
    ("cursor garbage", "get", "/api/v1/contacts?cursor=%%%", {}, 422, "cursor"),
    ("cursor unsigned", "get", f"/api/v1/contacts?cursor={UNSIGNED}", {}, 422, "cursor"),
    ("cursor on accounts", "get", "/api/v1/accounts?cursor=eyJ9", {}, 422, "cursor"),
    ("cursor on notes", "get", "/api/v1/contacts/{cid}/notes?cursor=W10", {}, 422, "cursor"),
    ("cursor on audit", "get", "/api/v1/audit?cursor=W10.x", {}, 422, "cursor"),
    ("cursor on history", "get", "/api/v1/contacts/{cid}/interactions?cursor=e30", {}, 422,
     "cursor"),
    ("date without zone", "get", "/api/v1/audit?from=2026-01-01", {}, 422, "from"),
    ("year 1 at +14:00", "get", "/api/v1/audit?to=0001-01-01T00:00:00%2B14:00", {}, 422, "to"),
    ("history date without zone", "get", "/api/v1/contacts/{cid}/interactions?from=2026-01-01",
     {}, 422, "from"),
    ("number beyond 64 bits", "get", "/api/v1/contacts?priority=" + "9" * 30, {}, 422,
     "priority"),
    ("limit beyond 64 bits", "get", "/api/v1/contacts?limit=" + "9" * 5000, {}, 422, "limit"),
    ("NUL in query", "get", "/api/v1/contacts?q=a%00b", {}, 422, "q"),
    ("NUL in undeclared query", "get", "/api/v1/me?x=%00", {}, 422, "x"),
    ("1e400", "post", "/api/v1/contacts", raw('{"last_name":"X","priority":1e400}'), 422,
     "priority"),
    ("NaN", "post", "/api/v1/contacts", raw('{"last_name":"X","priority":NaN}'), 422,
     "priority"),
    ("Infinity in attributes", "post", "/api/v1/contacts",
     raw('{"last_name":"X","custom_attributes":{"n":-Infinity}}'), 422, "n"),
    ("int beyond 64 bits in JSON", "post", "/api/v1/contacts",
     raw('{"last_name":"X","custom_attributes":{"n":' + "9" * 40 + "}}"), 422, "n"),
    ("lone surrogate", "post", "/api/v1/contacts", raw('{"last_name":"\\ud800"}'), 422,
     "last_name"),
    ("lone surrogate in a key", "post", "/api/v1/contacts",
     raw('{"last_name":"X","custom_attributes":{"\\udfff":"v"}}'), 422, "custom_attributes"),
    ("NUL in text", "post", "/api/v1/contacts", {"json": {"last_name": "a\x00b"}}, 422,
     "last_name"),
    ("postal code over 20", "post", "/api/v1/contacts",
     {"json": {**CONTACT, "postal_code": "1" * 21}}, 422, "postal_code"),
    ("state over 100", "post", "/api/v1/contacts", {"json": {**CONTACT, "state": "s" * 101}},
     422, "state"),
    ("deep JSON", "post", "/api/v1/contacts", raw(DEEP), 422, "body"),
    ("deep JSON object", "patch", "/api/v1/contacts/{cid}",
     raw('{"custom_attributes":' + DEEP_OBJECT + "}"), 422, "custom_attributes"),
    ("token name over 100", "post", "/api/v1/tokens", {"json": {"name": "n" * 101}}, 422, "name"),
    ("If-Match Arabic digit", "patch", "/api/v1/contacts/{cid}",
     {"json": {"city": "Oslo"}, "headers": {"If-Match": '"٣"'.encode()}}, 422, "If-Match"),
    ("If-Match thousands of digits", "patch", "/api/v1/contacts/{cid}",
     {"json": {"city": "Oslo"}, "headers": {"If-Match": '"' + "1" * 5000 + '"'}}, 422,
     "If-Match"),
    ("is_active null", "patch", "/api/v1/users/{uid}", {"json": {"is_active": None}}, 422,
     "is_active"),
    ("deep personality body", "post", "/api/v1/personality/profile", raw(DEEP), 422, "body"),
    ("NaN personality body", "post", "/api/v1/personality/profile", raw("[NaN]"), 422, "0"),
    ("deep import mapping", "post", "/api/v1/imports",
     {"files": {"file": ("c.csv", b"last_name\nX\n", "text/csv")},
      "data": {"mapping": DEEP}}, 422, "mapping"),
    ("NaN in import mapping", "post", "/api/v1/imports",
     {"files": {"file": ("c.csv", b"last_name\nX\n", "text/csv")},
      "data": {"mapping": '{"last_name": NaN}'}}, 422, "mapping"),
]  # fmt: skip

PAGE_CASES = [
    ("page cursor garbage", "get", "/contacts?cursor=%%%", {}, 422, "cursor"),
    ("page cursor unsigned", "get", f"/accounts?cursor={UNSIGNED}", {}, 422, "cursor"),
    ("page notes cursor", "get", "/contacts/{cid}/notes?cursor=e30", {}, 422, "cursor"),
    ("page NUL in query", "get", "/contacts?q=%00", {}, 422, "q"),
    ("page priority digits", "get", "/contacts?priority=" + "9" * 5000, {}, 422, "priority"),
    ("page audit date overflow", "get", "/settings/audit?to=9999-12-31", {}, 422, "To"),
    ("page postal code over 20", "post", "/contacts/new",
     {"data": {**CONTACT, "postal_code": "1" * 21}}, 422, "postal_code"),
    ("page state over 100", "post", "/contacts/new", {"data": {**CONTACT, "state": "s" * 101}},
     422, "state"),
    ("page NUL in text", "post", "/contacts/new", {"data": {"last_name": "a\x00b"}}, 422,
     "control characters"),
]  # fmt: skip


def _snapshot(db, contact_id, user_id) -> tuple:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(Contact)),
        db.scalar(select(func.count()).select_from(ApiToken)),
        db.get(Contact, (db.get(User, (contact_id[0], user_id)).tenant_id, contact_id[1])).version,
        db.get(User, (contact_id[0], user_id)).is_active,
    )


@pytest.fixture
def target(db, enabled, alice, bob):
    contact = make_contact(db, enabled, first_name="Ada", last_name="Target", country="US")
    db.commit()
    return {"cid": contact.id, "uid": bob.user.id, "key": (enabled.id, contact.id)}


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_the_api_refuses_hostile_input_naming_the_field(case, db, alice, target):
    name, method, url, kwargs, status, field = case
    before = _snapshot(db, target["key"], target["uid"])
    url = url.format(cid=target["cid"], uid=target["uid"])
    response = alice.client.request(method.upper(), url, **kwargs)
    assert response.status_code == status, response.text
    locations = [".".join(str(p) for p in e["loc"]) for e in response.json()["detail"]]
    assert any(field in loc for loc in locations), response.json()
    assert _snapshot(db, target["key"], target["uid"]) == before


@pytest.mark.parametrize("case", PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_pages_refuse_hostile_input_naming_the_field(case, app, db, alice, target):
    name, method, url, kwargs, status, field = case
    page = signed_in(app, alice)
    before = _snapshot(db, target["key"], target["uid"])
    url = url.format(cid=target["cid"])
    if method == "get":
        response = page.get(url)
    else:
        response = page.post(url, kwargs["data"])
    assert response.status_code == status, response.text[:2000]
    if field:
        assert field in response.text
    assert _snapshot(db, target["key"], target["uid"]) == before
