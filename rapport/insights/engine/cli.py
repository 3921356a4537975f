"""Command line: ``rapport insights analyze``.

Training lives outside the server package (``python -m training.insights train`` in a source
checkout), so the runtime never imports scikit-learn or the training code.
"""

from __future__ import annotations

import json
import sys

import typer

from .analyzer import NotEnoughText, analyze
from .guidance import guidance

insights_app = typer.Typer(
    help="Personality insights: infer Big Five traits, needs and values from a person's text.",
    no_args_is_help=True,
)


@insights_app.callback()
def main() -> None:
    """Personality insights (the model is rebuilt with `python -m training.insights train`)."""


@insights_app.command("analyze")
def analyze_command(
    with_guidance: bool = typer.Option(False, "--guidance", help="Add agent guidance tips."),
) -> None:
    """Read a person's text on stdin and print their profile as JSON."""
    text = sys.stdin.read()
    try:
        profile = analyze(text)
    except NotEnoughText as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    if with_guidance:
        profile["guidance"] = guidance(profile)
    typer.echo(json.dumps(profile, indent=2, ensure_ascii=False))
