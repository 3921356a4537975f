"""Every API operation, asked by every kind of caller: the answer each one gets is written once,
in MATRIX below. The operations come from /openapi.json, so a new route without an entry
fails this test until someone decides who may call it.

Callers: no token, a made-up token, a revoked token, an agent, a supervisor and an
administrator of tenant A, and the administrator of tenant B. Path parameters are real
records of tenant A, so tenant B's administrator must get 404 wherever one is named.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_persona

ROLES = ("agent", "supervisor", "admin")
PUBLIC = "public"
_serial = itertools.count()


@dataclass(frozen=True)
class Op:
    role: str  # the least role allowed: agent, supervisor, admin, or PUBLIC (no token)
    body: Callable | None = None  # records -> JSON body (or a dict of request kwargs)
    fresh: bool = False  # new records for each caller: the call changes or removes them
    stream: bool = False  # an endless event stream: allowed callers are not read here
    other_tenant: str = "404"  # what tenant B's admin gets: "404", or "allowed" when
    # the operation names no record of tenant A
    holder_only: bool = False  # a record only the agent holding it sees: 404 for the rest


def kwargs(**request) -> dict:
    return {"__request__": request}


def _csv(_r) -> dict:
    return kwargs(files={"file": ("people.csv", b"first_name\nAnn\n", "text/csv")},
                  data={"dry_run": "true"})  # fmt: skip


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


CALL = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
MATRIX: dict[str, Op] = {
    "GET /healthz": Op(PUBLIC, other_tenant="allowed"),
    "GET /readyz": Op(PUBLIC, other_tenant="allowed"),
    # contacts, accounts, duplicates
    "GET /api/v1/contacts": Op("agent", other_tenant="allowed"),
    "POST /api/v1/contacts": Op(
        "agent", lambda r: {"first_name": "Matrix"}, other_tenant="allowed"
    ),
    "GET /api/v1/contacts/{contact_id}": Op("agent"),
    "PATCH /api/v1/contacts/{contact_id}": Op("agent", lambda r: {"city": "Austin"}),
    "DELETE /api/v1/contacts/{contact_id}": Op("supervisor", fresh=True),
    "GET /api/v1/contacts/export": Op("supervisor", other_tenant="allowed"),
    "GET /api/v1/accounts": Op("agent", other_tenant="allowed"),
    "POST /api/v1/accounts": Op(
        "supervisor",
        lambda r: {"identifier": _unique("M"), "name": "Matrix"},
        other_tenant="allowed",
    ),
    "GET /api/v1/accounts/{account_id}": Op("agent"),
    "PATCH /api/v1/accounts/{account_id}": Op("supervisor", lambda r: {"description": "x"}),
    "DELETE /api/v1/accounts/{account_id}": Op("supervisor", fresh=True),
    "POST /api/v1/duplicates/check": Op(
        "agent", lambda r: {"first_name": "Ann"}, other_tenant="allowed"
    ),
    "GET /api/v1/contacts/{contact_id}/duplicates": Op("agent"),
    "GET /api/v1/duplicates": Op("supervisor", other_tenant="allowed"),
    "POST /api/v1/contacts/merge": Op(
        "supervisor",
        lambda r: {"survivor_id": r["contact_id"], "merged_ids": [r["contact_2"]]},
        fresh=True,
    ),
    # imports
    "GET /api/v1/imports": Op("supervisor", other_tenant="allowed"),
    "POST /api/v1/imports": Op("supervisor", _csv, other_tenant="allowed"),
    "GET /api/v1/imports/{import_id}": Op("supervisor"),
    "GET /api/v1/imports/{import_id}/rejected.csv": Op("supervisor"),
    "POST /api/v1/imports/{import_id}/rollback": Op("supervisor"),
    "POST /api/v1/imports/{import_id}/resume": Op("supervisor"),
    "GET /api/v1/import-mappings": Op("supervisor", other_tenant="allowed"),
    "PUT /api/v1/import-mappings/{name}": Op(
        "supervisor", lambda r: {"mapping": {"First": "first_name"}}, other_tenant="allowed"
    ),
    "DELETE /api/v1/import-mappings/{name}": Op("supervisor", fresh=True),
    # users, tokens, tenant settings, audit, personal data
    "GET /api/v1/me": Op("agent", other_tenant="allowed"),
    "GET /api/v1/users": Op("admin", other_tenant="allowed"),
    "POST /api/v1/users": Op(
        "admin",
        lambda r: {"email": _unique("u") + "@x.example", "role": "agent"},
        other_tenant="allowed",
    ),
    "PATCH /api/v1/users/{user_id}": Op("admin", lambda r: {"name": "Vic"}),
    "GET /api/v1/tokens": Op("admin", other_tenant="allowed"),
    "POST /api/v1/tokens": Op("admin", lambda r: {"name": "matrix"}, other_tenant="allowed"),
    "DELETE /api/v1/tokens/{token_id}": Op("admin", fresh=True),
    "GET /api/v1/tenant": Op("agent", other_tenant="allowed"),
    "PATCH /api/v1/tenant": Op("admin", lambda r: {"default_priority": 3}, other_tenant="allowed"),
    "GET /api/v1/contacts/{contact_id}/activity": Op("agent"),
    "GET /api/v1/audit": Op("admin", other_tenant="allowed"),
    "GET /api/v1/contacts/{contact_id}/export": Op("supervisor"),
    "POST /api/v1/contacts/{contact_id}/erase": Op(
        "admin", lambda r: {"confirm": True}, fresh=True
    ),
    # interactions, notes, search
    "POST /api/v1/interactions": Op("agent", lambda r: CALL, other_tenant="allowed"),
    "GET /api/v1/interactions/{interaction_id}": Op("agent"),
    "PATCH /api/v1/interactions/{interaction_id}": Op(
        "agent", lambda r: {"subject": "x"}, fresh=True
    ),
    "POST /api/v1/interactions/{interaction_id}/messages": Op(
        "agent", lambda r: {"sender": "contact", "text": "hi"}, fresh=True
    ),
    "GET /api/v1/contacts/{contact_id}/notes": Op("agent"),
    "POST /api/v1/contacts/{contact_id}/notes": Op("agent", lambda r: {"body": "Matrix"}),
    "GET /api/v1/contacts/{contact_id}/notes/{note_id}": Op("agent"),
    # Written by the administrator: its author or a supervisor changes it.
    "PATCH /api/v1/contacts/{contact_id}/notes/{note_id}": Op(
        "supervisor", lambda r: {"body": "v2"}
    ),
    "DELETE /api/v1/contacts/{contact_id}/notes/{note_id}": Op("supervisor", fresh=True),
    "GET /api/v1/contacts/{contact_id}/interactions": Op("agent"),
    "GET /api/v1/search": Op(
        "agent", lambda r: kwargs(params={"q": "ann"}), other_tenant="allowed"
    ),
    # personality insights (switched on in both tenants)
    "GET /api/v1/contacts/{contact_id}/personality": Op("agent"),
    "GET /api/v1/contacts/{contact_id}/personality/examples": Op("agent"),
    "POST /api/v1/contacts/{contact_id}/personality/examples": Op(
        "agent", lambda r: {"text": "I like clear answers."}
    ),
    "DELETE /api/v1/contacts/{contact_id}/personality/examples/{example_id}": Op(
        "supervisor", fresh=True
    ),
    "POST /api/v1/contacts/{contact_id}/personality/exclusions/{message_id}": Op(
        "agent", fresh=True
    ),
    "DELETE /api/v1/contacts/{contact_id}/personality/exclusions/{message_id}": Op(
        "agent", fresh=True
    ),
    "POST /api/v1/personality/profile": Op(
        "agent",
        lambda r: kwargs(content=b"I love clear plans.", headers={"Content-Type": "text/plain"}),
        other_tenant="allowed",
    ),
    "POST /api/v1/personality/v3/profile": Op(  # IBM Watson Personality Insights clients
        "agent",
        lambda r: kwargs(content=b"I love clear plans.", headers={"Content-Type": "text/plain"},
                         params={"version": "2017-10-13"}),
        other_tenant="allowed",
    ),  # fmt: skip
    # custom fields: everyone reads the definitions, administrators change them
    "GET /api/v1/custom-fields": Op("agent", other_tenant="allowed"),
    "POST /api/v1/custom-fields": Op(
        "admin", lambda r: {"key": _unique("matrix_"), "label": "Matrix", "type": "text"},
        other_tenant="allowed",
    ),  # fmt: skip
    "GET /api/v1/custom-fields/{key}": Op("agent"),
    "PATCH /api/v1/custom-fields/{key}": Op("admin", lambda r: {"help_text": "Why"}),
    "DELETE /api/v1/custom-fields/{key}": Op("admin", fresh=True),
    "POST /api/v1/custom-fields/{key}/restore": Op("admin", fresh=True),
    "POST /api/v1/custom-fields/{key}/purge": Op("admin", fresh=True),
    # webhooks: administrators only
    "GET /api/v1/webhooks": Op("admin", other_tenant="allowed"),
    "POST /api/v1/webhooks": Op(
        "admin", lambda r: {"url": "http://127.0.0.1:9/hook", "event_types": ["note.created"]},
        other_tenant="allowed",
    ),  # fmt: skip
    "GET /api/v1/webhooks/{endpoint_id}": Op("admin"),
    "PATCH /api/v1/webhooks/{endpoint_id}": Op("admin", lambda r: {"description": "Matrix"}),
    "DELETE /api/v1/webhooks/{endpoint_id}": Op("admin", fresh=True),
    "GET /api/v1/webhooks/{endpoint_id}/deliveries": Op("admin"),
    "GET /api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}": Op("admin"),
    "POST /api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver": Op("admin"),
    # routing
    "GET /api/v1/me/availability": Op("agent", other_tenant="allowed"),
    "PATCH /api/v1/me/availability": Op(
        "agent", lambda r: {"availability": "available"}, other_tenant="allowed"
    ),
    "GET /api/v1/queue": Op("agent", other_tenant="allowed"),
    "POST /api/v1/queue/accept": Op("agent", other_tenant="allowed"),
    "GET /api/v1/queue/events": Op("agent", stream=True, other_tenant="allowed"),
    "POST /api/v1/interactions/{interaction_id}/accept": Op("agent", fresh=True),
    "POST /api/v1/interactions/{interaction_id}/contact": Op(
        "agent", lambda r: {"contact_id": r["contact_id"]}, fresh=True
    ),
    # Unassigned: only the agent handling it, or a supervisor, finishes or moves it.
    "POST /api/v1/interactions/{interaction_id}/complete": Op(
        "supervisor", lambda r: {"disposition": "Resolved"}, fresh=True
    ),
    "POST /api/v1/interactions/{interaction_id}/abandon": Op("agent", fresh=True),
    "POST /api/v1/interactions/{interaction_id}/transfer": Op("supervisor", fresh=True),
    # offers: each is the offered agent's alone (tests/routing/test_it_offers_work_to_agents)
    "GET /api/v1/me/offers": Op("agent", other_tenant="allowed"),
    "POST /api/v1/offers/{offer_id}/accept": Op("agent", holder_only=True),
    "POST /api/v1/offers/{offer_id}/reject": Op("agent", holder_only=True),
    "GET /api/v1/routing/board": Op("supervisor", other_tenant="allowed"),
}


@dataclass
class Records:
    """Tenant A's records, made on first use through the administrator's API."""

    admin: TestClient
    made: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        if name not in self.made:
            self.made[name] = self._make(name)
        return self.made[name]

    def _post(self, url: str, json: dict) -> dict:
        response = self.admin.post(url, json=json)
        assert response.status_code in (200, 201), (url, response.text)
        return response.json()

    def _make(self, name: str) -> str:
        contacts = "/api/v1/contacts"
        if name in ("contact_id", "contact_2"):
            return self._post(contacts, {"first_name": "Ann", "phone": "+14155552671"})["id"]
        if name == "account_id":
            return self._post("/api/v1/accounts", {"identifier": _unique("A"), "name": "A"})["id"]
        if name == "note_id":
            return self._post(f"{contacts}/{self['contact_id']}/notes", {"body": "n"})["id"]
        if name == "interaction_id":  # an SMS: its messages are personality examples
            values = {**CALL, "channel": "sms", "contact_id": self["contact_id"]}
            return self._post("/api/v1/interactions", values)["id"]
        if name == "message_id":
            url = f"/api/v1/interactions/{self['interaction_id']}/messages"
            return self._post(url, {"sender": "contact", "text": "I like plans."})["id"]
        if name == "example_id":
            url = f"{contacts}/{self['contact_id']}/personality/examples"
            return self._post(url, {"text": "Clear answers please."})["id"]
        if name == "import_id":
            response = self.admin.post("/api/v1/imports", **_csv(None)["__request__"])
            assert response.status_code in (201, 202), response.text
            return response.json()["id"]
        if name == "name":  # unique: tenant B's admin may save a mapping of the same name
            mapping = _unique("matrix-")
            response = self.admin.put(f"/api/v1/import-mappings/{mapping}",
                                      json={"mapping": {"First": "first_name"}})  # fmt: skip
            assert response.status_code in (200, 201), response.text
            return mapping
        if name == "user_id":
            return self._post("/api/v1/users", {"email": _unique("v") + "@acme.example",
                                                "role": "agent"})["id"]  # fmt: skip
        if name == "key":  # a custom field
            key = _unique("matrix_")
            self._post("/api/v1/custom-fields", {"key": key, "label": key, "type": "text"})
            return key
        if name == "endpoint_id":
            hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["contact.created"]}
            return self._post("/api/v1/webhooks", hook)["id"]
        if name == "delivery_id":  # the endpoint's delivery of a contact created after it
            endpoint = self["endpoint_id"]
            self._post("/api/v1/contacts", {"first_name": "Hooked"})
            response = self.admin.get(f"/api/v1/webhooks/{endpoint}/deliveries")
            return response.json()[0]["id"]
        if name == "offer_id":  # held by no caller here, so none of them may see it
            return str(uuid.uuid4())
        if name == "token_id":
            return self._post("/api/v1/tokens", {"name": "t", "user_id": self["user_id"]})["id"]
        raise KeyError(f"no maker for path parameter {name!r}: add one to Records")


def _operations(app) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    ]


def _call(client: TestClient, method: str, path: str, op: Op, records: Records):
    url = path.format(**{name: records[name] for name in _params(path)})
    request: dict = {}
    if op.body is not None:
        body = op.body(records)
        request = body["__request__"] if "__request__" in body else {"json": body}
    return client.request(method, url, follow_redirects=False, **request)


def _params(path: str) -> list[str]:
    return [p.strip("{}") for p in path.split("/") if p.startswith("{")]


def _expected(op: Op, caller: str) -> str:
    if op.role == PUBLIC:
        return "allowed"
    if caller in ("no token", "bad token", "revoked token"):
        return "401"
    if caller == "other tenant's admin":
        return op.other_tenant
    if op.holder_only:
        return "404"
    return "allowed" if ROLES.index(caller) >= ROLES.index(op.role) else "403"


def _verdict(status: int) -> str:
    if status >= 500:
        return f"server error {status}"
    return str(status) if status in (401, 403, 404) else "allowed"


@pytest.fixture
def callers(db, app, enabled, tenant_b, alice, sam, bob, charlie) -> dict[str, TestClient]:
    tenant_b.personality_insights_enabled = True
    db.commit()
    revoked = make_persona(db, app, enabled, "gone@acme.example", "agent")
    token_id = alice.client.get("/api/v1/tokens").json()[-1]["id"]
    assert alice.client.delete(f"/api/v1/tokens/{token_id}").status_code == 200
    assert revoked.client.get("/api/v1/me").status_code == 401
    return {
        "no token": TestClient(app),
        "bad token": TestClient(app, headers={"Authorization": "Bearer rpt_not-a-real-token"}),
        "revoked token": revoked.client,
        "other tenant's admin": charlie.client,
        "agent": bob.client,
        "supervisor": sam.client,
        "admin": alice.client,
    }


def test_every_operation_has_an_entry(app):
    listed = {f"{method} {path}" for method, path in _operations(app)}
    missing = sorted(listed - set(MATRIX))
    assert not missing, f"operations without an entry in MATRIX (who may call them?): {missing}"
    assert not sorted(set(MATRIX) - listed), "entries for operations that no longer exist"


def test_each_caller_gets_the_answer_written_for_it(app, alice, callers):
    shared = Records(alice.client)
    wrong = []
    for method, path in _operations(app):
        key = f"{method} {path}"
        op = MATRIX.get(key)
        if op is None:
            continue  # reported by test_every_operation_has_an_entry
        for caller, client in callers.items():
            expected = _expected(op, caller)
            if op.stream and expected == "allowed":
                continue  # an open event stream; tests/routing/test_it_streams_queue_events
            records = Records(alice.client) if op.fresh else shared
            response = _call(client, method, path, op, records)
            got = _verdict(response.status_code)
            if got != expected:
                wrong.append(f"{key} as {caller}: expected {expected}, got {got} "
                             f"({response.text[:120]})")  # fmt: skip
    assert not wrong, "\n".join(wrong)
