"""Opaque, time-ordered identifiers (UUIDv7) for every record exposed to clients."""

import uuid

import uuid_utils


def new_id() -> uuid.UUID:
    # UUIDv7 keeps inserts close together in the primary-key index.
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)
