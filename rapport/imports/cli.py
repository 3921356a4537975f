"""`rapport contacts import|export`: the importer and exporter, run inline with progress."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

contacts_app = typer.Typer(help="Import and export contacts.", no_args_is_help=True)

MAX_LISTED = 50


@contacts_app.command("import")
def import_contacts(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file.", exists=True,
                                         dir_okay=False, readable=True)],  # fmt: skip
    tenant: Annotated[str, typer.Option(help="Tenant slug.")],
    dry_run: Annotated[bool, typer.Option(help="Report what would change; write nothing.")] = False,
    match: Annotated[str, typer.Option(help="email, phone or external_id.")] = "email",
    mode: Annotated[str, typer.Option(help="valid_rows or all_or_nothing.")] = "valid_rows",
    mapping: Annotated[str | None, typer.Option(help="A saved mapping's name.")] = None,
    accounts: Annotated[str, typer.Option(help="create the accounts rows name that do not "
                                               "exist yet, or refuse such rows.")] = "create",
    keep_unmapped: Annotated[bool, typer.Option(help="Keep the cells of columns mapped to no "
                                                     "field in custom attributes.")] = False,
    mapping_only: Annotated[bool, typer.Option(help="Print how the columns map, and stop.")] = (
        False),
) -> None:
    """Import contacts: match existing ones (update; empty cells keep the field), else create.
    Prints how the file's columns map first. Exits 1 when rows were rejected in
    all_or_nothing mode."""
    from rapport.core.auth import Actor
    from rapport.core.cli_support import fail, migrated_engine, settings
    from rapport.core.db import make_session_factory
    from rapport.core.errors import DomainError
    from rapport.imports import runner, service
    from rapport.imports.worker import claim, owning
    from rapport.tenants import service as tenants_service

    engine = migrated_engine(settings())
    factory = make_session_factory(engine)
    actor = Actor(via="import", label=f"cli: {file.name}")
    ownership = ExitStack()  # the job is this process's from its creation to its end
    try:
        with factory() as db, db.begin():
            tenant_id = tenants_service.get_by_slug(db=db, slug=tenant).id
            table, _chosen, columns = service.mapping_of_file(
                db=db, tenant_id=tenant_id, filename=file.name, file_path=file.resolve(),
                mapping_name=mapping)  # fmt: skip
            _print_mapping(table.headers, columns, keep_unmapped)
            if mapping_only:
                raise typer.Exit(code=0)
            job = service.create_job(
                db=db, tenant_id=tenant_id, actor=actor, filename=file.name,
                file_path=file.resolve(), match=match, mode=mode, dry_run=dry_run,
                mapping_name=mapping, accounts=accounts, keep_unmapped=keep_unmapped,
            )  # fmt: skip
            ownership.enter_context(owning(factory, job.id))
            claim(db=db, tenant_id=tenant_id, job_id=job.id)
    except DomainError as exc:
        ownership.close()
        raise fail(exc.message) from None
    except typer.Exit:
        engine.dispose()
        raise
    console = Console(stderr=True)
    with ownership, Progress(
        TextColumn("[bold]importing"), BarColumn(), MofNCompleteColumn(),
        TextColumn("rejected {task.fields[rejected]}  {task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(), console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task("import", total=None, rejected=0, rate=0.0)

        def show(progress: runner.Progress) -> None:
            bar.update(task, total=progress.total_rows, completed=progress.rows_done,
                       rejected=progress.rejected, rate=progress.rate or 0.0)  # fmt: skip

        job = runner.run(session_factory=factory, tenant_id=tenant_id, job_id=job.id,
                         on_progress=show)  # fmt: skip
    with factory() as db:
        rejected = service.rejections(db=db, job=job, limit=MAX_LISTED)
        look_alike = service.possible_duplicates(db=db, job=job, limit=MAX_LISTED)
    engine.dispose()
    typer.echo(job.message)
    for row in rejected:
        reasons = "; ".join(f"{e['field']}: {e['message']}" for e in row.errors)
        typer.echo(f"  line {row.line}: {reasons}")
    if job.rejected > len(rejected):
        typer.echo(f"  ... and {job.rejected - len(rejected)} more (GET /api/v1/imports/{job.id}"
                   "/rejected.csv)")  # fmt: skip
    if look_alike:
        typer.echo("Possible duplicates (not merged):")
    for row in look_alike:
        like = row.contact_name or "a contact since removed"
        if row.other_line:
            like = f"line {row.other_line}" + (f" ({row.contact_name})" if row.contact_name else "")
        typer.echo(f"  line {row.line} looks like {like}: {'; '.join(row.reasons)}")
    if job.possible_duplicates > len(look_alike):
        typer.echo(f"  ... and {job.possible_duplicates - len(look_alike)} more "
                   f"(GET /api/v1/imports/{job.id})")  # fmt: skip
    if job.status == "failed" or (mode == "all_or_nothing" and job.rejected):
        raise typer.Exit(code=1)


def _print_mapping(headers: list[str], columns: dict, keep_unmapped: bool) -> None:
    from rapport.imports.columns import describe, print_lines
    from rapport.imports.reader import source_of

    source = source_of(headers)
    typer.echo(f"Columns{f' (a {source} file)' if source else ''}:")
    for line in print_lines(describe(headers, columns, keep_unmapped)):
        typer.echo(line)


@contacts_app.command("export")
def export_contacts(
    tenant: Annotated[str, typer.Option(help="Tenant slug.")],
    format: Annotated[str, typer.Option(help="csv, xlsx or jsonl.")] = "csv",  # noqa: A002
    output: Annotated[Path | None, typer.Option(help="File to write; stdout if omitted.")] = None,
    account: Annotated[str | None, typer.Option(help="Account id or identifier.")] = None,
    priority: Annotated[int | None, typer.Option(min=1, max=5)] = None,
    country: Annotated[str | None, typer.Option(help="Country code or name.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone or mobile, any format.")] = None,
    email: Annotated[str | None, typer.Option(help="Exact address.")] = None,
    q: Annotated[str | None, typer.Option(help="Prefix of name, email or phone.")] = None,
) -> None:
    """Export contacts (all, or those matching the filters) in the columns import accepts."""
    from rapport.contacts.listing import ContactFilters, list_contacts
    from rapport.core.cli_support import fail, migrated_engine, settings
    from rapport.core.db import make_session_factory
    from rapport.core.errors import DomainError
    from rapport.exports import service
    from rapport.tenants import service as tenants_service

    if format not in service.FORMATS:
        raise fail(f"--format must be one of {', '.join(service.FORMATS)}")
    engine = migrated_engine(settings())
    factory = make_session_factory(engine)
    filters = ContactFilters(account=account, priority=priority, country=country, phone=phone,
                             email=email, q=q)  # fmt: skip
    try:
        with factory() as db:
            found = tenants_service.get_by_slug(db=db, slug=tenant)
            list_contacts(db=db, tenant=found, filters=filters, limit=1)  # bad filters fail here
    except DomainError as exc:
        raise fail(exc.message) from None
    target = output.open("wb") if output else sys.stdout.buffer
    with Progress(TextColumn("[bold]exporting"), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True)) as bar:  # fmt: skip
        task = bar.add_task("export", total=None)
        chunks = service.export(
            session_factory=factory, tenant_id=found.id, filters=filters, file_format=format,
            on_record=lambda: bar.advance(task),
        )
        for chunk in chunks:
            target.write(chunk)
        exported = bar.tasks[0].completed
    if output:
        target.close()
        typer.echo(f"Exported {exported:,.0f} contacts to {output}.", err=True)
    engine.dispose()
