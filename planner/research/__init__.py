"""Research tools on top of `planner run`: compare runs, near-optimal alternatives, site importance,
trade-offs between cost terms, model export (docs/research.md)."""
