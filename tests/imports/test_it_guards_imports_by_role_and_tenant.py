import pytest

from tests.imports.conftest import upload

FILE = "First Name,Email\nAda,ada@example.com\n"


def test_agents_cannot_import(bob):
    assert upload(bob, FILE).status_code == 403
    assert bob.client.get("/api/v1/imports").status_code == 403
    assert bob.client.get("/api/v1/import-mappings").status_code == 403


def test_admins_and_supervisors_can(alice, sam):
    assert upload(alice, FILE).status_code == 201
    assert upload(sam, FILE).json()["unchanged"] == 1


@pytest.mark.parametrize(
    "method, suffix",
    [("get", ""), ("get", "/rejected.csv"), ("post", "/rollback"), ("post", "/resume")],
)
def test_another_tenant_gets_404(sam, charlie, method, suffix):
    job_id = upload(sam, FILE).json()["id"]
    response = getattr(charlie.client, method)(f"/api/v1/imports/{job_id}{suffix}")
    assert response.status_code == 404
    assert charlie.client.get("/api/v1/imports").json() == []


def test_another_tenants_saved_mapping_is_not_found(sam, charlie):
    sam.client.put("/api/v1/import-mappings/crm", json={"mapping": {"Mail": "email"}})
    assert charlie.client.delete("/api/v1/import-mappings/crm").status_code == 404
    assert upload(charlie, FILE, mapping_name="crm").status_code == 404
