"""Whether planner's scenario loader knows MODEL.md version 2 yet (used to skip, and only to skip,
tests of planner on version 2 scenarios while its version 2 model is written on another branch)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import yaml

PENDING_REASON = "planner has no version 2 model yet"


@cache
def planner_has_version_2() -> bool:
    """False only when planner's loader refuses ``settings.periods`` as an unknown key."""
    from planner.scenario import load_scenario
    from planner.scenario.errors import InputErrors

    from .generator import write_random_scenario

    with tempfile.TemporaryDirectory() as tmp:
        path = write_random_scenario(Path(tmp), 0)
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["settings"]["periods"] = [2025, 2030]
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        try:
            load_scenario(path)
        except InputErrors as exc:
            return not any(p.place == "key settings.periods" for p in exc.problems)
    return True


def uses_version_2(path: Path) -> bool:
    """Whether a scenario file asks for periods or stock."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return bool((doc.get("settings") or {}).get("periods")) or "stock" in (doc.get("tables") or {})
