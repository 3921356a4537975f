"""Users of a tenant and their API tokens."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from rapport.contacts.fields import normalize_email
from rapport.core.db import utcnow
from rapport.core.errors import (
    Conflict,
    FieldCollector,
    FieldError,
    NotFound,
    Unauthorized,
    ValidationFailed,
)
from rapport.core.ids import new_id
from rapport.core.security import hash_password, new_api_token, token_digest, verify_password
from rapport.core.text import clean_text
from rapport.routing.models import AGENT_CHANNELS
from rapport.tenants.models import Tenant
from rapport.users import sessions
from rapport.users.models import ROLES, ApiToken, ApiTokenDigest, User
from rapport.users.token_cache import detached_copy, verified_tokens

MIN_PASSWORD_LENGTH = 10


def get(*, db: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> User:
    user = db.get(User, (tenant_id, user_id))
    if user is None:
        raise NotFound("User not found.")
    return user


def get_by_email(*, db: Session, tenant_id: uuid.UUID, email: str) -> User | None:
    key = email.strip().casefold()
    return db.scalar(select(User).where(User.tenant_id == tenant_id, User.email_key == key))


def list_users(*, db: Session, tenant_id: uuid.UUID) -> list[User]:
    return list(
        db.scalars(select(User).where(User.tenant_id == tenant_id).order_by(User.email_key))
    )


def _check_role(errors: FieldCollector, role: str) -> None:
    if role not in ROLES:
        errors.add("role", f"must be one of {', '.join(ROLES)}")


def _check_password(errors: FieldCollector, password: str | None) -> None:
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors.add("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")


def create(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    email: str,
    role: str,
    password: str | None = None,
    name: str = "",
) -> User:
    errors = FieldCollector()
    display = key = ""
    try:
        display, key = normalize_email("email", email)
        name = clean_text("name", name, 200) or ""
    except FieldError as exc:
        errors.add(exc.field, exc.message)
    _check_role(errors, role)
    _check_password(errors, password)
    errors.raise_if_any()
    if get_by_email(db=db, tenant_id=tenant_id, email=key):
        raise Conflict(f"A user with email {display} already exists.")
    user = User(
        tenant_id=tenant_id,
        id=new_id(),
        email=display,
        email_key=key,
        name=name,
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    db.add(user)
    db.flush()
    return user


def check_channels(errors: FieldCollector, channels: object) -> list[str]:
    """The channels a user handles: known ones, each once, in a stable order."""
    if not isinstance(channels, list) or any(c not in AGENT_CHANNELS for c in channels):
        errors.add("channels", f"must be a list of {', '.join(AGENT_CHANNELS)}")
        return []
    return [channel for channel in AGENT_CHANNELS if channel in channels]


class LastAdministrator(Conflict):
    code = "last_administrator"


def _check_keeps_an_administrator(db: Session, user: User, changes: dict) -> None:
    """A workspace never loses its last active administrator: no one could manage it."""
    demoted = changes.get("role", user.role) != "admin"
    deactivated = changes.get("is_active", user.is_active) is False
    if user.role != "admin" or not user.is_active or not (demoted or deactivated):
        return
    # Lock the tenant row: two administrators demoting each other at once are serialised.
    db.execute(select(Tenant.id).where(Tenant.id == user.tenant_id).with_for_update())
    others = db.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.tenant_id == user.tenant_id,
            User.role == "admin",
            User.is_active.is_(True),
            User.id != user.id,
        )
    )
    if not others:
        what = "deactivated" if deactivated else "given another role"
        raise LastAdministrator(
            f"{user.email} is the last active administrator of this workspace and cannot be "
            f"{what}; make another user an administrator first.",
            field="is_active" if deactivated else "role",
        )


def update(*, db: Session, user: User, changes: dict) -> User:
    """Change a user. A new password, another role or deactivation ends the user's web
    sessions (they sign in again with what they now are); deactivation also revokes their
    API tokens."""
    errors = FieldCollector()
    if "channels" in changes:
        changes["channels"] = check_channels(errors, changes["channels"])
    if "role" in changes:
        _check_role(errors, changes["role"])
    if "password" in changes:
        _check_password(errors, changes["password"])
    if "name" in changes:
        try:
            changes["name"] = clean_text("name", changes["name"], 200) or ""
        except FieldError as exc:
            errors.add(exc.field, exc.message)
    if "is_active" in changes and not isinstance(changes["is_active"], bool):
        errors.add("is_active", "must be true or false")
    errors.raise_if_any()
    _check_keeps_an_administrator(db, user, changes)
    deactivated = user.is_active and changes.get("is_active") is False
    ends_sessions = (
        bool(changes.get("password")) or changes.get("role", user.role) != user.role or deactivated
    )
    for field in ("role", "name", "is_active", "channels"):
        if field in changes:
            setattr(user, field, changes[field])
    if changes.get("password"):
        user.password_hash = hash_password(changes["password"])
    db.flush()
    if ends_sessions:
        sessions.end_all(db=db, user=user)
    if deactivated:
        revoke_tokens_of(db=db, user=user)
    return user


# --- signing in ----------------------------------------------------------------------------


class WorkspaceRequired(Conflict):
    """The email and password fit users of several tenants: the person must say which."""

    code = "workspace_required"


def authenticate_password(
    *, db: Session, email: str, password: str, workspace: str | None = None
) -> User:
    """The active user with this email and password, in the named workspace (tenant slug).

    Emails are unique per tenant, not globally, so the same person may be a user of several
    tenants; the workspace is needed only when the password fits more than one of them.
    Every failure is the same Unauthorized, so an answer never tells whether an email exists.
    """
    query = (
        select(User)
        .join(Tenant, Tenant.id == User.tenant_id)
        .where(User.email_key == email.strip().casefold(), User.is_active.is_(True))
    )
    if workspace and workspace.strip():
        query = query.where(Tenant.slug == workspace.strip().lower())
    candidates = list(db.scalars(query))
    if not candidates:
        verify_password(None, password)  # same time as a real check
    matches = [u for u in candidates if verify_password(u.password_hash, password)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise WorkspaceRequired(
            "This email belongs to several workspaces; enter the one to sign in to."
        )
    raise Unauthorized("Wrong email or password.")


# --- API tokens ----------------------------------------------------------------------------


def create_token(
    *, db: Session, user: User, name: str = "API token", secret: str | None = None
) -> tuple[ApiToken, str]:
    """Returns the record and the token itself, which is never stored and never shown again.

    `secret` is for a known token (the demo's); otherwise a new one is drawn.
    """
    try:
        clean_name = clean_text("name", name, 100)
    except FieldError as exc:
        raise ValidationFailed([exc]) from None
    if not clean_name:
        raise ValidationFailed([FieldError("name", "must not be empty")])
    secret = secret or new_api_token()
    token = ApiToken(
        tenant_id=user.tenant_id,
        id=new_id(),
        user_id=user.id,
        name=clean_name,
        prefix=secret[:10],
        token_hash=token_digest(secret),
    )
    db.add(token)
    db.add(ApiTokenDigest(digest=token.token_hash, tenant_id=token.tenant_id, token_id=token.id))
    db.flush()
    return token, secret


def list_tokens(*, db: Session, tenant_id: uuid.UUID) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.tenant_id == tenant_id).order_by(ApiToken.created_at)
    return list(db.scalars(query))


def get_token(*, db: Session, tenant_id: uuid.UUID, token_id: uuid.UUID) -> ApiToken:
    token = db.get(ApiToken, (tenant_id, token_id))
    if token is None:
        raise NotFound("Token not found.")
    return token


def revoke_token(*, db: Session, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.flush()
    return token


def revoke_tokens_of(*, db: Session, user: User) -> None:
    """Revoke every live API token of `user` (a deactivated user's integrations stop)."""
    db.execute(
        sql_update(ApiToken)
        .where(
            ApiToken.tenant_id == user.tenant_id,
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    verified_tokens.clear()  # a bulk update runs no mapper events, which would clear it


def recently_verified_token(
    *, db: Session, secret: str
) -> tuple[ApiToken, User, Tenant] | None:
    """`authenticate_token`'s answer from `token_cache`, without the database; None if the
    token was not verified in the last few seconds."""
    cached = verified_tokens.get(token_digest(secret))
    if cached is None:
        return None
    token, user, tenant = cached
    return token, db.merge(user, load=False), db.merge(tenant, load=False)


def recently_verified_detached(secret: str) -> tuple[ApiToken, User, Tenant] | None:
    """As `recently_verified_token`, the shared copies belonging to no session: to read only
    (`Session.merge(copy, load=False)` them to change them or to reach their relations)."""
    return verified_tokens.get(token_digest(secret))


def authenticate_token(*, db: Session, secret: str) -> tuple[ApiToken, User, Tenant]:
    """The token, its user and tenant: this runs on every API request.

    A token verified in the last few seconds is taken from `token_cache` (see there for how
    soon a revocation or deactivation takes effect); its user and tenant are attached to `db`
    without a query, so changes to them are written as usual. The token stays detached.
    Otherwise the digest names the tenant and the token (a global look-up, a reference table
    on Citus); the token, user and tenant are then read by their keys in one query that
    carries tenant_id, so a distributed database answers it from the tenant's shard.
    It only reads: the caller records the use afterwards (`users.last_use`).
    """
    cached = recently_verified_token(db=db, secret=secret)
    if cached is not None:
        return cached
    digest = token_digest(secret)
    key = db.execute(
        select(ApiTokenDigest.tenant_id, ApiTokenDigest.token_id).where(
            ApiTokenDigest.digest == digest
        )
    ).first()
    row = None
    if key is not None:
        row = db.execute(
            select(ApiToken, User, Tenant)
            .join(User, (User.tenant_id == ApiToken.tenant_id) & (User.id == ApiToken.user_id))
            .join(Tenant, Tenant.id == ApiToken.tenant_id)
            .where(ApiToken.tenant_id == key.tenant_id, ApiToken.id == key.token_id)
        ).first()
    if row is None or row.ApiToken.revoked_at is not None:
        raise Unauthorized("Invalid or revoked API token.")
    token, user, tenant = row
    if not user.is_active:
        raise Unauthorized("The user of this API token is deactivated.")
    verified_tokens.put(digest, *(detached_copy(record) for record in (token, user, tenant)))
    return token, user, tenant
