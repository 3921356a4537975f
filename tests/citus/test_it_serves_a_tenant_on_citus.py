"""A contact center's day on Citus, through the API: tokens, contacts and the phone look-up,
interactions, notes, history search, an import, a merge and an erasure; and every query
those requests sent is a router query, answered by one shard (EXPLAIN: Task Count 1)."""

from __future__ import annotations

import re

from tests.citus.conftest import explain, is_query, make_tenant

IMPORT = (
    "First Name,Surname,E-mail,Mobile Phone,Country\n"
    "Ada,Lovelace,ada@example.com,(415) 555-0101,US\n"
    "Alan,Turing,alan@example.com,,GB\n"
)
_TASKS = re.compile(r"Task Count: (\d+)")


def _day_of_work(app, engine) -> None:
    acme = make_tenant(app, engine, {"alice": "admin", "sam": "supervisor", "bob": "agent"})
    other = make_tenant(app, engine, {"charlie": "admin"})
    alice, sam, bob = acme["alice"].client, acme["sam"].client, acme["bob"].client
    charlie = other["charlie"].client
    assert bob.get("/api/v1/me").status_code == 200

    made = sam.post("/api/v1/contacts", json={
        "first_name": "Vera", "last_name": "Okafor", "phone": "(415) 555-2671",
        "email": "vera@example.com",
    })  # fmt: skip
    assert made.status_code == 201, made.text
    vera = made.json()["id"]
    found = bob.get("/api/v1/contacts", params={"phone": "+1 415 555 2671"}).json()["items"]
    assert [c["id"] for c in found] == [vera]
    assert charlie.get(f"/api/v1/contacts/{vera}").status_code == 404
    assert charlie.get("/api/v1/contacts", params={"phone": "4155552671"}).json()["items"] == []
    etag = bob.get(f"/api/v1/contacts/{vera}").headers["ETag"]
    changed = bob.patch(f"/api/v1/contacts/{vera}", json={"city": "Oakland"},
                        headers={"If-Match": etag})  # fmt: skip
    assert changed.status_code == 200, changed.text

    call = bob.post("/api/v1/interactions", json={
        "channel": "chat", "direction": "inbound", "address": "vera@example.com",
        "contact_id": vera, "subject": "Blender arrived broken",
        "messages": [{"sender": "contact", "text": "The jar of my blender is cracked."}],
    })  # fmt: skip
    assert call.status_code == 201, call.text
    note = bob.post(f"/api/v1/contacts/{vera}/notes", json={
        "body": "Sent a **replacement** jar.", "interaction_id": call.json()["id"],
        "outcome": "resolved",
    })  # fmt: skip
    assert note.status_code == 201, note.text
    history = bob.get(f"/api/v1/contacts/{vera}/interactions", params={"q": "replacement"})
    assert [i["id"] for i in history.json()["items"]] == [call.json()["id"]]
    search = bob.get("/api/v1/search", params={"q": "blender"}).json()
    assert [i["id"] for i in search["interactions"]] == [call.json()["id"]]
    assert charlie.get("/api/v1/search", params={"q": "blender"}).json()["interactions"] == []

    imported = sam.post("/api/v1/imports", files={"file": ("people.csv", IMPORT.encode())})
    assert imported.status_code == 201, imported.text
    assert imported.json()["created"] == 2
    twin = sam.post("/api/v1/contacts", json={"first_name": "Vera", "last_name": "Okafor",
                                              "email": "v.okafor@example.com"})  # fmt: skip
    assert twin.status_code == 201, twin.text
    merged = sam.post("/api/v1/contacts/merge",
                      json={"survivor_id": vera, "merged_ids": [twin.json()["id"]]})
    assert merged.status_code == 200, merged.text

    ada = bob.get("/api/v1/contacts", params={"email": "ada@example.com"}).json()["items"][0]
    erased = alice.post(f"/api/v1/contacts/{ada['id']}/erase", json={"confirm": True})
    assert erased.status_code == 200, erased.text
    assert bob.get(f"/api/v1/contacts/{ada['id']}").status_code == 404
    etag = alice.get(f"/api/v1/contacts/{vera}").headers["ETag"]
    gone = alice.delete(f"/api/v1/contacts/{vera}", headers={"If-Match": etag})
    assert gone.status_code in (200, 204), gone.text


def test_a_day_of_work_runs_on_citus_with_router_queries_only(citus_app, citus_engine,
                                                              statements):  # fmt: skip
    statements.seen.clear()
    statements.recording = True
    try:
        _day_of_work(citus_app, citus_engine)
    finally:
        statements.recording = False
    queries = [(s, p) for s, p in statements.seen if is_query(s)]
    assert len(queries) > 50
    fanned_out = []
    for statement, parameters in queries:
        plan = explain(citus_engine, statement, parameters)
        tasks = [int(n) for n in _TASKS.findall(plan)]
        # No task count: no table (pg_try_advisory_lock); 0: nothing to read (IN ()).
        if any(n > 1 for n in tasks):
            fanned_out.append((" ".join(statement.split())[:300], plan[:400]))
    assert fanned_out == []
