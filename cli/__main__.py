"""`python -m cli`: the `chamber` command."""

from cli import app

app()
