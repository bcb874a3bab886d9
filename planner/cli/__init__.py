"""The `planner` command line: `app`, with one module per command family (run, maps, research, sweep)."""

from planner.cli.run import app

__all__ = ["app"]
