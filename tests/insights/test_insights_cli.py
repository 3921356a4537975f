"""Use case: an operator runs ``rapport insights analyze`` on a text file."""

import json

from insights_samples import OUTGOING, words
from typer.testing import CliRunner

from rapport.insights.engine.cli import insights_app

runner = CliRunner()


def test_it_prints_the_profile_json_for_text_on_stdin() -> None:
    result = runner.invoke(insights_app, ["analyze", "--guidance"], input=words(OUTGOING, 700))
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert profile["word_count"] == 700
    assert len(profile["personality"]) == 5
    assert profile["guidance"]


def test_it_fails_clearly_when_the_text_is_too_short() -> None:
    result = runner.invoke(insights_app, ["analyze"], input="Hello, I need help with my bill.")
    assert result.exit_code == 1
    assert "93 more words" in result.stderr
    assert result.stdout == ""
