"""Use case: a maintainer rebuilds the model from the essays corpus."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rapport.insights.engine.model import Model
from training.insights.cli import DEFAULT_DATA
from training.insights.cli import app as insights_app

pytestmark = pytest.mark.skipif(not DEFAULT_DATA.exists(), reason="essays corpus not present")


def test_it_trains_a_small_model_and_reports_cv_accuracy(tmp_path: Path) -> None:
    from training.insights.train import train

    stages: list[str] = []
    metrics = train(
        DEFAULT_DATA,
        tmp_path,
        folds=2,
        limit=200,
        progress=lambda stage, done, total: stages.append(stage),
    )
    assert stages[-1] == "done"
    assert metrics["essays"] == 200
    for trait in metrics["traits"].values():
        assert 0.0 <= trait["accuracy"] <= 1.0
        assert 0.4 <= trait["majority_baseline"] <= 0.7
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics
    model = Model.load(tmp_path)
    assert model.meta["training_essays"] == 200


def test_it_is_reproducible(tmp_path: Path) -> None:
    from training.insights.train import train

    first = train(DEFAULT_DATA, tmp_path / "a", folds=2, limit=200)
    second = train(DEFAULT_DATA, tmp_path / "b", folds=2, limit=200)
    first.pop("train_seconds"), second.pop("train_seconds")
    assert first == second
    meta_a = (tmp_path / "a" / "model.json").read_text()
    assert meta_a == (tmp_path / "b" / "model.json").read_text()
    with np.load(tmp_path / "a" / "model.npz") as a, np.load(tmp_path / "b" / "model.npz") as b:
        for key in a.files:
            assert np.array_equal(a[key], b[key]), key


def test_the_cli_prints_a_table_beside_the_baseline(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        insights_app, ["train", "--out", str(tmp_path), "--folds", "2", "--limit", "200"]
    )
    assert result.exit_code == 0, result.output
    assert "majority baseline" in result.output
    assert (tmp_path / "model.npz").exists()
