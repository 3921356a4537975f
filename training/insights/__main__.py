from training.insights.cli import app

app(prog_name="python -m training.insights")
