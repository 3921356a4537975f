"""The `rapport` command: serve, migrate, load the demo, manage tenants, users and tokens."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rapport.core import cli_support, migrate
from rapport.core.cli_support import fail
from rapport.core.db import make_engine, make_session_factory, transaction
from rapport.core.errors import DomainError, FieldError, ValidationFailed
from rapport.insights.engine.cli import insights_app

app = typer.Typer(help="Rapport, the Contacts workspace of a contact center.", no_args_is_help=True)
tenant_app = typer.Typer(help="Create and list tenants.", no_args_is_help=True)
user_app = typer.Typer(help="Create and list a tenant's users.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(tenant_app, name="tenant")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(insights_app, name="insights")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A migrated database and one transaction; domain errors become one line, exit 1."""
    engine = cli_support.migrated_engine(cli_support.settings())
    try:
        with transaction(make_session_factory(engine)) as db:
            yield db
    except ValidationFailed as exc:
        raise fail(exc.message) from None
    except (DomainError, FieldError) as exc:
        raise fail(str(exc.message)) from None
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes (default: one per core on PostgreSQL, one on SQLite)."),
    ] = None,
    access_log: Annotated[
        bool | None, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = None,
) -> None:
    """Migrate the database and serve the UI and API."""
    import uvicorn

    from rapport.core.serving import ServeError, settle_memory, uvicorn_options, worker_count

    settings = cli_support.settings()
    try:
        processes = worker_count(settings, workers)
    except ServeError as exc:
        raise fail(str(exc)) from None
    engine = cli_support.migrated_engine(settings)  # once, before any worker starts
    host, port = host or settings.host, port or settings.port
    options = uvicorn_options(
        settings, host=host, port=port, workers=processes,
        access_log=settings.access_log if access_log is None else access_log,
    )  # fmt: skip
    typer.echo(
        f"Rapport on http://{host}:{port}  (API docs: http://{host}:{port}/docs), "
        f"{processes} process{'es' if processes > 1 else ''}"
    )
    if processes == 1:
        from rapport.main import create_app

        served = create_app(settings, engine)
        settle_memory()
        uvicorn.run(served, **options)
    else:
        engine.dispose()  # each worker opens its own pool
        uvicorn.run("rapport.main:app_from_environment", factory=True, **options)


@app.command("migrate")
def migrate_command(
    to: Annotated[
        str, typer.Option(help="Target revision; e.g. a lower one or 'base' to go down.")
    ] = "head",
) -> None:
    """Bring the database schema up (or down) to a revision."""
    engine = make_engine(cli_support.settings().database_url)
    placed: dict[str, str] = {}
    try:
        if to == "head":
            placed = migrate.upgrade(engine)
        else:
            migrate.downgrade(engine, to)
    except Exception as exc:  # noqa: BLE001
        raise fail(f"migration failed: {exc}") from None
    typer.echo(f"Database at {to}.")
    if placed:  # Citus: the tables this run distributed
        for kind in ("reference", "distributed"):
            names = sorted(t for t, k in placed.items() if k == kind)
            if names:
                typer.echo(f"Citus {kind} tables: {', '.join(names)}")


@app.command()
def demo() -> None:
    """Load the demo tenant (once) and print its administrator login and an API token."""
    from rapport import demo as demo_data

    settings = cli_support.settings()
    with unit_of_work() as db:
        login = demo_data.load(db=db, secret_key=settings.resolved_secret_key())
    state = "Loaded the demo tenant" if login.created else "The demo tenant is loaded"
    typer.echo(
        f"{state}.\n"
        f"  Sign in:   {login.email} / {login.password}\n"
        f"  API token: {login.api_token}\n"
        "  (also supervisor@example.com and agent@example.com, same password)"
    )


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Argument(help="Short name: lower-case letters, digits, hyphens.")],
    name: Annotated[str, typer.Option(help="The company's name.")],
    default_country: Annotated[
        str | None, typer.Option(help="Country for national phone numbers.")
    ] = None,
    time_zone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
) -> None:
    """Create a tenant."""
    from rapport.tenants import service

    with unit_of_work() as db:
        tenant = service.create(
            db=db, slug=slug, name=name, default_country=default_country, time_zone=time_zone
        )
        typer.echo(f"Created tenant {tenant.slug} ({tenant.id}).")


@tenant_app.command("list")
def tenant_list() -> None:
    """List tenants."""
    from rapport.tenants.models import Tenant

    with unit_of_work() as db:
        for tenant in db.scalars(select(Tenant).order_by(Tenant.slug)):
            typer.echo(f"{tenant.slug}\t{tenant.name}\t{tenant.default_country or '-'}")


def _tenant(db: Session, slug: str):
    from rapport.tenants import service

    return service.get_by_slug(db=db, slug=slug)


@user_app.command("create")
def user_create(
    tenant: Annotated[str, typer.Option(help="Tenant slug.")],
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    role: Annotated[str, typer.Option(help="admin, supervisor or agent.")],
    password: Annotated[
        str | None, typer.Option(help="Prompted for (hidden) when omitted.")
    ] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create a user of a tenant."""
    from rapport.users import service

    if password is None:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work() as db:
        user = service.create(
            db=db,
            tenant_id=_tenant(db, tenant).id,
            email=email,
            role=role,
            password=password,
            name=name,
        )
        typer.echo(f"Created {user.role} {user.email} ({user.id}).")


@user_app.command("list")
def user_list(tenant: Annotated[str, typer.Option(help="Tenant slug.")]) -> None:
    """List a tenant's users."""
    from rapport.users import service

    with unit_of_work() as db:
        for user in service.list_users(db=db, tenant_id=_tenant(db, tenant).id):
            state = "active" if user.is_active else "deactivated"
            typer.echo(f"{user.email}\t{user.role}\t{state}")


@token_app.command("create")
def token_create(
    tenant: Annotated[str, typer.Option(help="Tenant slug.")],
    user: Annotated[str, typer.Option(help="Email of the user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "API token",
) -> None:
    """Create an API token and print it alone on stdout (it is shown only once)."""
    from rapport.users import service

    with unit_of_work() as db:
        tenant_id = _tenant(db, tenant).id
        owner = service.get_by_email(db=db, tenant_id=tenant_id, email=user)
        if owner is None:
            raise fail(f"no user {user} in tenant {tenant}")
        _token, secret = service.create_token(db=db, user=owner, name=name)
    typer.echo(secret)


@token_app.command("list")
def token_list(tenant: Annotated[str, typer.Option(help="Tenant slug.")]) -> None:
    """List a tenant's API tokens with their last use."""
    from rapport.users import service

    with unit_of_work() as db:
        for token in service.list_tokens(db=db, tenant_id=_tenant(db, tenant).id):
            state = "revoked" if token.revoked_at else "active"
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            typer.echo(f"{token.id}\t{token.prefix}…\t{token.name}\t{state}\t{used}")


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token's id, its shown prefix, or itself.")],
    tenant: Annotated[str, typer.Option(help="Tenant slug.")],
) -> None:
    """Revoke an API token; it stops working at once."""
    from rapport.core.security import token_digest
    from rapport.users import service
    from rapport.users.models import ApiToken

    with unit_of_work() as db:
        tenant_id = _tenant(db, tenant).id
        conditions = [
            ApiToken.prefix == token.rstrip("…"),
            ApiToken.token_hash == token_digest(token),
        ]
        try:
            conditions.append(ApiToken.id == uuid.UUID(token))
        except ValueError:
            pass
        found = db.scalars(
            select(ApiToken).where(ApiToken.tenant_id == tenant_id, or_(*conditions))
        ).all()
        if len(found) != 1:
            raise fail(f"{'no' if not found else 'more than one'} token matches '{token}'")
        service.revoke_token(db=db, token=found[0])
        typer.echo(f"Revoked token {found[0].id} ({found[0].name}).")


# Registered last: the contacts commands use this module's helpers.
from rapport.imports.cli import contacts_app  # noqa: E402

app.add_typer(contacts_app, name="contacts")

from rapport.webhooks.cli import webhooks_app  # noqa: E402

app.add_typer(webhooks_app, name="webhooks")
