"""Shared fixtures: a copy of the tiny scenario that a test may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


class Editable:
    """A copy of a fixture scenario with helpers to edit its files."""

    def __init__(self, root: Path):
        self.root = root
        self.yaml = root / "scenario.yaml"

    def table(self, name: str) -> Path:
        """Path of a table of the copy."""
        return self.root / "tables" / f"{name}.csv"

    def replace(self, relative: str, old: str, new: str) -> None:
        """Replace text in a file of the copy; the old text must be there."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, relative: str, text: str) -> None:
        """Append text to a file of the copy."""
        with open(self.root / relative, "a", encoding="utf-8") as handle:
            handle.write(text)


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editable:
    """The tiny two-region scenario, copied to a temporary folder that is also the working directory."""
    root = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", root)
    monkeypatch.chdir(tmp_path)
    return Editable(root)
