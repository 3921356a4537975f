"""`rapport webhooks deliver`: the delivery worker in its own process, beside or instead of
the one each `rapport serve` runs (set RAPPORT_WEBHOOK_WORKER=false there to leave it all
to this command)."""

from __future__ import annotations

from typing import Annotated

import typer

webhooks_app = typer.Typer(help="Deliver webhook events.", no_args_is_help=True)


@webhooks_app.command("deliver")
def deliver(
    once: Annotated[bool, typer.Option(help="Send what is due now, then exit.")] = False,
) -> None:
    """Send due webhook deliveries until interrupted (Ctrl-C), with retries and backoff.
    Any number of these may run against one PostgreSQL database."""
    from rapport.core.cli_support import migrated_engine
    from rapport.core.cli_support import settings as load_settings
    from rapport.core.db import make_session_factory
    from rapport.webhooks import delivery
    from rapport.webhooks.worker import DeliveryWorker, policy_from

    settings = load_settings()
    factory = make_session_factory(migrated_engine(settings))
    policy = policy_from(settings)
    if once:
        sent = 0
        while attempted := delivery.deliver_due(session_factory=factory, policy=policy):
            sent += attempted
        typer.echo(f"{sent} deliver{'y' if sent == 1 else 'ies'} attempted.")
        return
    worker = DeliveryWorker(factory, policy, poll_seconds=settings.webhook_poll_seconds)
    delivery.release_abandoned(session_factory=factory)
    typer.echo("Delivering webhooks; Ctrl-C to stop.")
    try:
        worker.run()
    except KeyboardInterrupt:
        typer.echo("Stopped.")
