"""Erasing a contact also removes their values from what imports keep: rejected rows and the
uploaded files kept for later runs. Other people's rows stay, on the same lines."""

import csv
import io
import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from rapport.imports import reader
from rapport.imports.models import ImportJob
from tests.imports.conftest import upload
from tests.privacy.personal_data import tables_mentioning

HEADER = ["First Name", "Last Name", "Email", "Phone", "Address", "Priority"]
ROWS = [
    ["Zebulon", "Quibbleworth", "zebulon.q@example.org", "(212) 555-0147",
     "77 Sunflower Lane\nApt 2", "2"],
    # Rejected (priority), but it carries the person's number in another format.
    ["Zeb", "", "", "+1 212 555 0147", "", "nine"],
    ["Grace", "Hopper", "grace@example.org", "", "1 Navy Way", "3"],
]  # fmt: skip
NEEDLES = ["Zebulon", "Quibbleworth", "zebulon.q@example.org", "555-0147", "555 0147",
           "Sunflower"]  # fmt: skip


def _file(kind: str) -> tuple[str, bytes]:
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([HEADER, *ROWS])
        return "people.csv", buffer.getvalue().encode()
    workbook = Workbook()
    for row in [HEADER, *ROWS]:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return "people.xlsx", data.getvalue()


def _text_of(path: Path, name: str) -> str:
    table = reader.open_table(path, name)
    return " ".join(" ".join(c or "" for c in cells) for _line, cells in table.rows())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_erasure_scrubs_rejected_rows_and_kept_files(db, alice, sam, kind):
    name, data = _file(kind)
    job = upload(sam, data, name=name, match="email").json()
    assert (job["created"], job["rejected"]) == (2, 1), job["message"]
    path = Path(db.scalar(select(ImportJob.file_path).where(ImportJob.id == uuid.UUID(job["id"]))))
    lines_before = {cells[0]: line for line, cells in reader.open_table(path, name).rows()}
    assert "Sunflower" in _text_of(path, name) and tables_mentioning(db, NEEDLES)
    zebulon = sam.client.get("/api/v1/contacts", params={"email": ROWS[0][2]}).json()["items"][0]

    erased = alice.client.post(f"/api/v1/contacts/{zebulon['id']}/erase", json={"confirm": True})
    assert erased.status_code == 200, erased.text

    db.expire_all()
    assert tables_mentioning(db, NEEDLES) == {}
    left = _text_of(path, name)
    assert not [n for n in NEEDLES if n.lower() in left.lower()]
    # The other person's row is still there, on its line, for a later run of the file.
    rows = {cells[0]: line for line, cells in reader.open_table(path, name).rows()}
    assert rows == {"Grace": lines_before["Grace"]}


def test_a_file_named_on_the_command_line_is_never_changed(db, alice, run_import, tenant_a,
                                                           tmp_path, write_file):  # fmt: skip
    path = write_file("First Name,Last Name,Email\nZebulon,Quibbleworth,zebulon.q@example.org\n")
    original = path.read_bytes()
    job = run_import(tenant_a, path)
    assert job.created == 1
    zebulon = alice.client.get("/api/v1/contacts", params={"email": "zebulon.q@example.org"})
    contact_id = zebulon.json()["items"][0]["id"]
    assert alice.client.post(f"/api/v1/contacts/{contact_id}/erase",
                             json={"confirm": True}).status_code == 200  # fmt: skip
    assert path.read_bytes() == original
