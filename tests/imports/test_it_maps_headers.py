import pytest

from rapport.core.errors import ValidationFailed
from rapport.imports import reader
from tests.imports.conftest import upload


def test_headers_with_a_clear_meaning_map_themselves_in_any_case_or_punctuation():
    headers = ["E-mail", "ZIP", "Postcode ", "mobile_phone", "Account ID", "FIRST NAME",
               "Surname", "Tel.", "Favourite colour"]  # fmt: skip
    assert reader.auto_mapping(headers) == {
        "E-mail": "email", "ZIP": "postal_code", "Postcode ": None,  # postal code taken by ZIP
        "mobile_phone": "mobile", "Account ID": "account", "FIRST NAME": "first_name",
        "Surname": "last_name", "Tel.": "phone", "Favourite colour": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "headers, fields",
    [
        (["Vorname", "Nachname", "E-Mail-Adresse", "Telefon", "Handy", "PLZ", "Ort", "Land"],
         ["first_name", "last_name", "email", "phone", "mobile", "postal_code", "city",
          "country"]),
        (["Prénom", "Nom", "Courriel", "Téléphone", "Portable", "Code postal", "Ville", "Pays"],
         ["first_name", "last_name", "email", "phone", "mobile", "postal_code", "city",
          "country"]),
        (["Nombre", "Apellidos", "Correo electrónico", "Teléfono", "Móvil", "Código postal",
          "Ciudad", "País", "Empresa"],
         ["first_name", "last_name", "email", "phone", "mobile", "postal_code", "city",
          "country", "account"]),
    ],
)  # fmt: skip
def test_headers_of_german_french_and_spanish_spreadsheets_map_themselves(headers, fields):
    assert list(reader.auto_mapping(headers).values()) == fields


def test_the_user_maps_the_rest_and_overrides_a_guess():
    mapping = reader.resolve_mapping(["Name", "Mail", "Cell"],
                                     {"Name": "last_name", "Cell": None})  # fmt: skip
    assert mapping == {"Name": "last_name", "Mail": "email", "Cell": None}
    # Giving a guessed field to another column takes it from the guessed one.
    assert reader.resolve_mapping(["Email", "Work mail"], {"Work mail": "email"}) == {
        "Email": None, "Work mail": "email"}  # fmt: skip


@pytest.mark.parametrize(
    "mapping, words",
    [({"Nope": "email"}, "not a column"), ({"Name": "shoe_size"}, "not an importable field"),
     ({"Name": "first_name", "Email": "first_name"}, "more than one column")],
)  # fmt: skip
def test_a_wrong_mapping_is_refused(mapping, words):
    with pytest.raises(ValidationFailed) as caught:
        reader.resolve_mapping(["Name", "Email"], mapping)
    assert words in caught.value.message


def test_a_saved_mapping_is_reused_by_name(sam, charlie):
    mapping = {"Nom": "last_name", "Courriel": "email"}
    saved = sam.client.put("/api/v1/import-mappings/crm", json={"mapping": mapping})
    assert saved.status_code == 200, saved.text
    assert [m["name"] for m in sam.client.get("/api/v1/import-mappings").json()] == ["crm"]
    assert charlie.client.get("/api/v1/import-mappings").json() == []
    response = upload(sam, "Nom,Courriel\nCurie,marie@example.com\n", mapping_name="crm")
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 1
    assert response.json()["columns"] == {"Nom": "last_name", "Courriel": "email"}
    bad = sam.client.put("/api/v1/import-mappings/x", json={"mapping": {"A": "shoe"}})
    assert bad.status_code == 422
    assert sam.client.delete("/api/v1/import-mappings/crm").status_code == 204
    assert upload(sam, "Nom\nX\n", mapping_name="crm").status_code == 404


def test_an_upload_can_save_its_mapping(sam):
    response = upload(sam, "Nom,Mail\nCurie,marie@example.com\n", mapping='{"Nom": "last_name"}',
                      save_mapping_as="french")  # fmt: skip
    assert response.status_code == 201, response.text
    saved = sam.client.get("/api/v1/import-mappings").json()
    assert saved[0]["mapping"] == {"Nom": "last_name", "Mail": "email"}


def test_a_name_written_whole_is_split_into_first_and_last_name(sam, db, tenant_a):
    file = ("Name,Email\n"
            "Mary Ann Smith,mary@example.com\n"
            '"Smith, John",john@example.com\n'
            "Dr. Juan de la Vega Jr.,juan@example.com\n"
            "Cher,cher@example.com\n")  # fmt: skip
    response = upload(sam, file)
    assert response.status_code == 201, response.text
    assert response.json()["columns"] == {"Name": "full_name", "Email": "email"}
    listed = sam.client.get("/api/v1/contacts", params={"limit": 10}).json()["items"]
    names = {c["email"]: (c["first_name"], c["last_name"]) for c in listed}
    assert names == {
        "mary@example.com": ("Mary Ann", "Smith"),
        "john@example.com": ("John", "Smith"),
        "juan@example.com": ("Juan", "de la Vega Jr."),
        "cher@example.com": ("Cher", None),
    }


def test_name_beside_a_first_name_column_is_the_last_name():
    assert reader.auto_mapping(["Name", "Vorname", "E-Mail"]) == {
        "Name": "last_name", "Vorname": "first_name", "E-Mail": "email"}  # fmt: skip
    assert reader.auto_mapping(["Full name", "First name"])["Full name"] == "full_name"
