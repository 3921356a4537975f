"""Command line: ``python -m training.insights train`` rebuilds the shipped model."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rapport.insights.engine.model import MODEL_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "personality" / "essays-train.csv"

app = typer.Typer(
    help="Train the personality insights model from the essays corpus.",
    no_args_is_help=True,
)


@app.callback()
def main() -> None:
    """Training commands (a source checkout with the `train` extra installed)."""


@app.command("train")
def train_command(
    data: Path = typer.Option(DEFAULT_DATA, "--data", help="Essays CSV (text,cEXT,...,cOPN)."),
    out: Path = typer.Option(MODEL_DIR, "--out", help="Directory for the model artifacts."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
    seed: int = typer.Option(0, "--seed", help="Random seed for the fold split."),
    limit: int = typer.Option(0, "--limit", min=0, help="Use only the first N essays (0: all)."),
) -> None:
    """Rebuild the model from the essays corpus and report cross-validated accuracy."""
    if not data.exists():
        typer.echo(f"Error: training data not found: {data}", err=True)
        raise typer.Exit(2)
    from training.insights.train import train  # scikit-learn is only needed here

    console = Console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("training", total=folds + 2)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        metrics = train(data, out, folds=folds, seed=seed, progress=report, limit=limit or None)
    console.print(metrics_table(metrics))
    console.print(f"Model written to {out}")


def metrics_table(metrics: dict) -> Table:
    table = Table(title=f"{metrics['folds']}-fold CV accuracy on {metrics['essays']} essays")
    for col in ("trait", "accuracy", "majority baseline", "gain", "Brier", "ECE"):
        table.add_column(col, justify="left" if col == "trait" else "right")
    rows = [*metrics["traits"].items(), ("mean", metrics["mean"])]
    for name, m in rows:
        gain = m["accuracy"] - m["majority_baseline"]
        table.add_row(
            name,
            f"{m['accuracy']:.3f}",
            f"{m['majority_baseline']:.3f}",
            f"{gain:+.3f}",
            f"{m['brier']:.3f}",
            f"{m['ece']:.3f}",
        )
    return table
