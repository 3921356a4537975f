import pytest
from sqlalchemy import select

from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact
from rapport.imports import launch, worker
from tests.factories import make_account
from tests.imports.conftest import HEADER, upload


def test_a_supervisor_imports_a_small_csv_and_gets_the_report(sam, db, tenant_a):
    make_account(db, tenant_a, identifier="ACME-1", name="Acme One")
    content = HEADER + (
        "Ada,Lovelace,ada@example.com,(415) 555-2671,94103,US,acme-1,crm-1\n"
        "Alan,Turing,alan@example.com,,,GB,,crm-2\n"
    )
    response = upload(sam, content)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "completed" and body["applied"] is True
    assert (body["created"], body["updated"], body["rejected"]) == (2, 0, 0)
    assert body["columns"]["Mobile Phone"] == "mobile"
    ada = db.scalar(select(Contact).where(Contact.email_key == "ada@example.com"))
    assert ada.mobile == "+14155552671" and ada.account.identifier == "ACME-1"
    assert ada.external_id == "crm-1" and ada.postal_code == "94103"
    event = db.scalar(select(AuditEvent).where(AuditEvent.record_id == ada.id))
    assert event.via == "import" and event.actor_label == "sam@acme.example"
    listed = sam.client.get("/api/v1/imports").json()
    assert [i["id"] for i in listed] == [body["id"]]
    assert sam.client.get(f"/api/v1/imports/{body['id']}").json()["progress"] == 1.0


def test_a_bad_mapping_or_file_answers_422_and_queues_nothing(sam):
    bad = upload(sam, HEADER, mapping='{"Zip": "shoe_size"}')
    assert bad.status_code == 422
    assert "shoe_size" in bad.json()["detail"][0]["msg"]
    assert upload(sam, "", name="empty.csv").status_code == 422
    assert upload(sam, "x", name="contacts.pdf").status_code == 422
    assert upload(sam, "Foo,Bar\n1,2\n").status_code == 422  # nothing maps to a field
    assert sam.client.get("/api/v1/imports").json() == []


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("contacts.csv", bytes(range(256)) * 20, "is not a text file"),  # a binary file
        ("contacts.xlsx", b"First Name,Email\nAda,ada@example.com\n", "not a readable .xlsx"),
        ("contacts.csv", b"First Name,Email\n" + b'"Ada' + b"x" * 200_000 + b'",a@b.com\n',
         "line 2 is not CSV"),
    ],
)  # fmt: skip
def test_a_damaged_file_is_refused_naming_the_problem_and_kept_nowhere(
    sam, app, name, content, words
):
    response = upload(sam, content, name=name)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"][-1] == "file" and words in error["msg"], error
    assert sam.client.get("/api/v1/imports").json() == []
    assert not any(p.is_file() for p in (app.state.settings.data_dir / "imports").rglob("*"))


def test_a_large_file_is_queued_with_202_and_the_worker_finishes_it(sam, session_factory):
    rows = launch.INLINE_MAX_ROWS + 1
    file = "First Name,Email\n" + "".join(f"P{i},p{i}@example.com\n" for i in range(rows))
    response = upload(sam, file)
    assert response.status_code == 202
    queued = response.json()
    assert (queued["status"], queued["total_rows"], queued["created"]) == ("queued", rows, 0)

    done = worker.run_next(session_factory=session_factory)
    assert str(done.id) == queued["id"]
    report = sam.client.get(f"/api/v1/imports/{queued['id']}").json()
    assert (report["status"], report["created"], report["progress"]) == ("completed", rows, 1.0)
