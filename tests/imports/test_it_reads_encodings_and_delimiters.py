import codecs

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from rapport.contacts.models import Contact
from rapport.imports import reader

ROWS = [("Zoé", "Müller", "zoe@example.com"), ("René", "Dubois", "rene@example.com")]


def _text(delimiter: str) -> str:
    lines = [delimiter.join(("First Name", "Last Name", "E-mail"))]
    lines += [delimiter.join(row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    "name, content",
    [
        ("utf8-bom.csv", codecs.BOM_UTF8 + _text(",").encode()),
        ("utf8.csv", _text(",").encode()),
        ("windows.csv", _text(";").encode("cp1252")),
        ("tabs.tsv", _text("\t").encode("cp1252")),
        ("semicolons.csv", _text(";").encode()),
    ],
)
def test_csv_in_any_common_encoding_and_delimiter(run_import, write_file, db, tenant_a, name,
                                                  content):  # fmt: skip
    job = run_import(tenant_a, write_file(content, name))
    assert (job.status, job.created, job.rejected) == ("completed", 2, 0), job.message
    names = db.scalars(select(Contact.first_name).where(Contact.tenant_id == tenant_a.id)).all()
    assert sorted(names) == ["René", "Zoé"]


def test_detection_names_the_encoding_and_delimiter(write_file):
    table = reader.open_table(write_file(_text(";").encode("cp1252"), "w.csv"))
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    table = reader.open_table(write_file(codecs.BOM_UTF8 + _text("\t").encode(), "b.csv"))
    assert (table.encoding, table.delimiter) == ("utf-8-sig", "\t")
    assert table.headers == ["First Name", "Last Name", "E-mail"]
    assert [line for line, _ in table.rows()] == [2, 3]


def test_a_late_windows_character_is_not_read_as_utf8(write_file):
    body = "".join(f"Person{i},Smith,p{i}@example.com\n" for i in range(3000))
    content = ("First,Last,Email\n" + body + "Zoé,Smith,zoe@example.com\n").encode("cp1252")
    table = reader.open_table(write_file(content, "late.csv"))
    assert table.encoding == "cp1252"
    assert list(table.rows())[-1][1][0] == "Zoé"


def test_xlsx(run_import, tmp_path, db, tenant_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First Name", "Surname", "Email", "Mobile", "Priority", "Postcode", "Country"])
    sheet.append(["Zoé", "Müller", "zoe@example.com", 4155552671, 2, 94103, "US"])
    sheet.append([None, None, None, None, None, None, None])  # blank rows are skipped
    sheet.append(["Ann", "Lee", "ann@example.com", None, 1.0, None, None])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    job = run_import(tenant_a, path)
    assert (job.created, job.rejected) == (2, 0), job.message
    zoe = db.scalar(select(Contact).where(Contact.email_key == "zoe@example.com"))
    assert (zoe.mobile, zoe.priority, zoe.postal_code) == ("+14155552671", 2, "94103")
