def test_healthz_and_readyz(anonymous, engine):
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == engine.dialect.name


def test_openapi_documents_every_route_with_errors(anonymous):
    spec = anonymous.get("/openapi.json").json()
    contact_routes = spec["paths"]["/api/v1/contacts/{contact_id}"]
    assert {"get", "patch", "delete"} <= set(contact_routes)
    assert {"404", "422", "412"} <= set(contact_routes["patch"]["responses"])
    assert "bearer" in str(spec["components"]["securitySchemes"]).lower()
    assert anonymous.get("/docs").status_code == 200
