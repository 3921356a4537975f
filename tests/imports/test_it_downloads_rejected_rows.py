import csv
import io

from tests.imports.conftest import upload


def test_the_rejected_rows_come_back_as_csv_with_a_reason(sam):
    content = ("First Name;E-mail;Country\nZoé;zoe@example.com;FR\nBad;nope;FR\n"
               "Worse;worse@example.com;Atlantis\n").encode("cp1252")  # fmt: skip
    report = upload(sam, content).json()
    assert report["rejected"] == 2
    response = sam.client.get(f"/api/v1/imports/{report['id']}/rejected.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["First Name", "E-mail", "Country", "line", "reason"]
    assert rows[1][:4] == ["Bad", "nope", "FR", "3"] and rows[1][4].startswith("email: ")
    assert rows[2][3] == "4" and "country" in rows[2][4]
    # Fixed and imported again, the rejected file's own columns map themselves.
    fixed = response.content.decode("utf-8-sig").replace("nope", "bad@example.com").replace(
        "Atlantis", "France")  # fmt: skip
    again = upload(sam, fixed).json()
    assert (again["created"], again["rejected"]) == (2, 0)
    assert again["columns"]["line"] is None and again["columns"]["reason"] is None


def test_a_rejected_cell_that_looks_like_a_formula_comes_back_as_text(sam):
    report = upload(sam, 'First Name,E-mail\n"=HYPERLINK(""http://x.example"")",nope\n').json()
    response = sam.client.get(f"/api/v1/imports/{report['id']}/rejected.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x.example\")"
