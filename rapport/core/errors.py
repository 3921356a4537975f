"""Domain errors: each carries a code and an HTTP status; one handler renders them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        return {"detail": self.message, "code": self.code, **self.extra}


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class Gone(DomainError):
    status_code = 410
    code = "gone"


class PreconditionFailed(DomainError):
    status_code = 412
    code = "precondition_failed"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"


class FieldError(Exception):
    """One bad field: raised by normalisers, collected into a ValidationFailed."""

    def __init__(self, field: str, message: str, kind: str = "value_error") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.kind = kind


class ValidationFailed(DomainError):
    """422 in the same shape FastAPI uses for request validation, so clients parse one format."""

    status_code = 422
    code = "validation_error"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "detail": [
                {"type": e.kind, "loc": _location(e.field), "msg": e.message} for e in self.errors
            ]
        }

    def by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}


def _location(field: str) -> list[str]:
    """'email' is a body field; 'query.phone' names its location itself."""
    parts = field.split(".")
    return parts if parts[0] in ("query", "path", "header") else ["body", *parts]


class FieldCollector:
    """Gathers every bad field of a request, so the user sees all of them at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, kind: str = "value_error") -> None:
        self.errors.append(FieldError(field, message, kind))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def check_version(current: int, expected: int | None) -> None:
    """Refuse a write based on a version someone else has since replaced."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"The record changed since you read it (your version {expected}, "
            f"current {current}); reload it and apply your change again.",
            current_version=current,
        )
