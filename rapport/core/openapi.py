"""The OpenAPI description, adjusted where generated clients would otherwise misread it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def _binary_uploads(node: Any) -> None:
    """Uploads as `format: binary`, which client generators turn into a file parameter.

    Pydantic writes an upload as `contentMediaType: application/octet-stream` (OpenAPI 3.1
    style); generators such as openapi-python-client then offer a string and the upload fails.
    """
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("contentMediaType"):
            node.pop("contentMediaType")
            node["format"] = "binary"
        for value in node.values():
            _binary_uploads(value)
    elif isinstance(node, list):
        for value in node:
            _binary_uploads(value)


UNREADABLE_BODY = {
    "description": "The body could not be read (e.g. it is not valid JSON).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


def _unreadable_bodies(paths: dict[str, Any]) -> None:
    """Every operation that takes a body can answer 400 when the body cannot be parsed."""
    for operations in paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("400", UNREADABLE_BODY)


def install(app: FastAPI) -> None:
    """Serve the adjusted description at /openapi.json (and to /docs)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            _binary_uploads(schema.get("components", {}).get("schemas", {}))
            _unreadable_bodies(schema.get("paths", {}))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
