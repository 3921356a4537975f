"""Use case: an integrator generates a Python client from the live `/openapi.json` with
openapi-python-client and drives Rapport through it: create, update with If-Match, page with
the cursor, import a file, and meet a merged contact's 410."""

from __future__ import annotations

import importlib
import io
import re
import subprocess
import sys

import httpx
import pytest

from tests.live import served

PACKAGE = "rapport_client"
# openapi-python-client cannot describe text/plain and text/html request bodies (it still
# generates the JSON form of those routes); any other warning is a defect of our description.
TOLERATED = re.compile(r"Unsupported content type text/(plain|html)")


@pytest.fixture(scope="module")
def generate(tmp_path_factory):
    """Generates a client from a spec, once per distinct spec (both databases serve one)."""
    made: dict[bytes, object] = {}
    root = tmp_path_factory.mktemp("generated")

    def client_for(spec: bytes):
        if spec in made:
            return made[spec]
        assert not made, "the description differs between two servers of the same code"
        (root / "openapi.json").write_bytes(spec)
        (root / "config.yaml").write_text(
            f"package_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\n"
            "post_hooks: []\n"
        )
        done = subprocess.run(
            [sys.executable, "-m", "openapi_python_client", "generate", "--path",
             str(root / "openapi.json"), "--config", str(root / "config.yaml"), "--meta",
             "none", "--output-path", str(root / PACKAGE)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        warnings = done.stdout.split("WARNING parsing")[1:]
        assert all(TOLERATED.search(block) for block in warnings), done.stdout
        sys.path.insert(0, str(root))
        made[spec] = importlib.import_module(PACKAGE)
        return made[spec]

    yield client_for
    if str(root) in sys.path:
        sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def _op(tag: str, name: str):
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")


def test_a_generated_client_works_end_to_end(generate, app, sam) -> None:
    with served(app) as base:
        client_package = generate(httpx.get(f"{base}/openapi.json").content)
        _scenario(client_package, base, sam.token)


def _scenario(client_package, base: str, token: str) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    create = _op("contacts", "create_contact_api_v1_contacts_post")
    update = _op("contacts", "update_contact_api_v1_contacts_contact_id_patch")
    listing = _op("contacts", "list_contacts_api_v1_contacts_get")
    get = _op("contacts", "get_contact_api_v1_contacts_contact_id_get")
    upload = _op("imports", "create_import_api_v1_imports_post")
    merge = _op("duplicates", "merge_contacts_api_v1_contacts_merge_post")

    api = client_package.AuthenticatedClient(base_url=base, token=token)

    # Create: the typed answer, and the ETag to send back.
    made = create.sync_detailed(client=api, body=models.ContactCreate(
        first_name="Ada", last_name="Lovelace", email="ada@example.com"))  # fmt: skip
    assert made.status_code == 201, made.content
    ada = made.parsed
    assert isinstance(ada, models.ContactOut) and ada.email == "ada@example.com"
    etag = made.headers["etag"]

    # Update with If-Match; an old ETag is a typed 412 with the current version.
    changed = update.sync_detailed(ada.id, client=api, if_match=etag,
                                   body=models.ContactUpdate(city="London"))  # fmt: skip
    assert changed.status_code == 200 and changed.parsed.city == "London"
    stale = update.sync_detailed(ada.id, client=api, if_match=etag,
                                 body=models.ContactUpdate(city="Paris"))  # fmt: skip
    assert stale.status_code == 412
    assert isinstance(stale.parsed, models.ErrorOut)
    assert stale.parsed.code == "precondition_failed"
    assert stale.parsed.current_version == changed.parsed.version

    # Import a file through the generated upload parameter.
    rows = "First Name,Last Name,E-mail\nGrace,Hopper,grace@example.com\n" \
           "Alan,Turing,alan@example.com\nAda,Lovelace,ada@example.com\n"  # fmt: skip
    body = models.BodyCreateImportApiV1ImportsPost(
        file=types.File(payload=io.BytesIO(rows.encode()), file_name="people.csv",
                        mime_type="text/csv"),
        match=models.BodyCreateImportApiV1ImportsPostMatch("email"),
    )  # fmt: skip
    imported = upload.sync_detailed(client=api, body=body)
    assert imported.status_code == 201, imported.content
    report = imported.parsed
    assert report.status == "completed" and (report.created, report.unchanged) == (2, 1)

    # Page through every contact with the cursor.
    seen, cursor = [], client_package.types.UNSET
    while True:
        page = listing.sync(client=api, limit=2, cursor=cursor)
        seen += [c.email for c in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == ["ada@example.com", "alan@example.com", "grace@example.com"]

    # Merge Grace into Ada: Grace's id then answers a typed 410 naming the survivor.
    everyone = listing.sync(client=api, limit=10).items
    grace = next(c for c in everyone if c.email == "grace@example.com")
    merged = merge.sync_detailed(client=api, body=models.MergeIn(
        survivor_id=ada.id, merged_ids=[grace.id]))  # fmt: skip
    assert merged.status_code == 200, merged.content
    gone = get.sync_detailed(grace.id, client=api)
    assert gone.status_code == 410
    assert isinstance(gone.parsed, models.ErrorOut)
    assert gone.parsed.code == "gone" and gone.parsed.survivor_id == ada.id


def test_the_served_description_declares_what_generators_need(app) -> None:
    from fastapi.testclient import TestClient

    doc = TestClient(app).get("/openapi.json").json()
    upload = doc["components"]["schemas"]["Body_create_import_api_v1_imports_post"]
    assert upload["properties"]["file"] == {**upload["properties"]["file"], "format": "binary"}
    assert "contentMediaType" not in str(doc)
    get_contact = doc["paths"]["/api/v1/contacts/{contact_id}"]["get"]["responses"]
    assert {"200", "404", "410"} <= set(get_contact)
    assert "ETag" in get_contact["200"]["headers"]
    patch = doc["paths"]["/api/v1/contacts/{contact_id}"]["patch"]["responses"]
    assert {"409", "410", "412"} <= set(patch)
    error = doc["components"]["schemas"]["ErrorOut"]["properties"]
    assert {"detail", "code", "current_version", "field", "existing_contact_id", "survivor_id",
            "existing_account_id", "contact_count", "interaction_id", "state",
            "required_role"} <= set(error)  # fmt: skip
    stream = doc["paths"]["/api/v1/queue/events"]["get"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"]
    assert "text/csv" in doc["paths"]["/api/v1/contacts/export"]["get"]["responses"]["200"][
        "content"]  # fmt: skip
    assert "503" in doc["paths"]["/readyz"]["get"]["responses"]
    mapping = doc["components"]["schemas"]["MappingIn"]["properties"]["mapping"]
    assert "full_name" in str(mapping)


def test_an_unreadable_body_is_a_declared_error_naming_the_body(app, sam) -> None:
    from fastapi.testclient import TestClient

    not_text = b"\x93\xff{"  # not even text: no JSON can be read from it
    answer = sam.client.post(
        "/api/v1/contacts", content=not_text, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body"]
    assert "UTF-8" in answer.json()["detail"][0]["msg"]
    doc = TestClient(app).get("/openapi.json").json()
    assert "400" in doc["paths"]["/api/v1/contacts"]["post"]["responses"]
    assert "400" not in doc["paths"]["/api/v1/contacts"]["get"]["responses"]
