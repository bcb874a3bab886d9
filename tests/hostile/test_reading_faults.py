"""Class 2 of issue 17: files that cannot be read are one problem naming the file, never a traceback or a hang.

Every scenario input (the scenario argument, its `extends` chain, its tables) goes through one reader
(planner.scenario.reading): regular files only, of bounded size; a permission, a link loop or any other
fault of the file system is a sentence about that file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Editable
from tests.hostile.reading_cases import Case, add_to_yaml, link_loop, params, reported, unreadable_file, write

SITES = "(the sites table, named by tables.sites in tiny/scenario.yaml)"
MAX_TABLE_BYTES = 200_000_000
"""planner.scenario.reading.MAX_TABLE_BYTES, as its message states it."""
MAX_YAML_BYTES = 1_000_000
"""planner.scenario.reading.MAX_YAML_BYTES, as its message states it."""


def _table_fifo(tiny: Editable) -> None:
    tiny.table("sites").unlink()
    os.mkfifo(tiny.table("sites"))


def _table_dev_zero(tiny: Editable) -> None:
    tiny.table("sites").unlink()
    tiny.table("sites").symlink_to("/dev/zero")


def _table_link_loop(tiny: Editable) -> None:
    link_loop(tiny.table("sites"), tiny.root / "tables" / "sites-again.csv")


def _table_unreadable(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "sites: tables/sites.csv", f"sites: {unreadable_file(tiny)}")


def _table_under_a_file(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "sites: tables/sites.csv", "sites: tables/regions.csv/sites.csv")


def _table_too_large(tiny: Editable) -> None:
    with open(tiny.table("sites"), "ab") as handle:  # sparse: no disk used
        handle.truncate(MAX_TABLE_BYTES + 1)


def _extends_unreadable(tiny: Editable) -> None:
    add_to_yaml(tiny, f"extends: {unreadable_file(tiny)}\n")


def _extends_under_a_file(tiny: Editable) -> None:
    add_to_yaml(tiny, "extends: tables/regions.csv/base.yaml\n")


def _extends_folder_denied(tiny: Editable) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a folder whatever its permissions")
    write(tiny, "base/base.yaml", "name: base\n")
    (tiny.root / "base").chmod(0)
    add_to_yaml(tiny, "extends: base/base.yaml\n")


def _extends_link_loop(tiny: Editable) -> None:
    link_loop(tiny.root / "base.yaml", tiny.root / "base-again.yaml")
    add_to_yaml(tiny, "extends: base.yaml\n")


def _extends_fifo(tiny: Editable) -> None:
    os.mkfifo(tiny.root / "base.yaml")
    add_to_yaml(tiny, "extends: base.yaml\n")


def _scenario_link_loop(tiny: Editable) -> Path:
    return link_loop(tiny.root / "loop.yaml", tiny.root / "loop-again.yaml")


def _scenario_fifo(tiny: Editable) -> Path:
    os.mkfifo(tiny.root / "pipe.yaml")
    return tiny.root / "pipe.yaml"


def _scenario_too_large(tiny: Editable) -> None:
    tiny.append("scenario.yaml", "#" * MAX_YAML_BYTES + "\n")


CASES: list[Case] = [
    Case("table-is-a-fifo", _table_fifo,
         (f"tiny/tables/sites.csv: is a named pipe (FIFO), not a regular file {SITES}",)),
    Case("table-is-dev-zero", _table_dev_zero, (f"{{dev_zero}}: is a device, not a regular file {SITES}",)),
    Case("table-link-loop", _table_link_loop,
         (f"tiny/tables/sites.csv: cannot be read: its symbolic links form a loop {SITES}",)),
    Case("table-permission-denied", _table_unreadable, (f"{{unreadable}}: cannot be read: permission denied {SITES}",),
         needs="unreadable"),
    Case("table-under-a-file", _table_under_a_file,
         (f"tiny/tables/regions.csv/sites.csv: cannot be read: a part of its path is a file, not a folder {SITES}",)),
    Case("table-path-with-nul",
         lambda t: t.replace("scenario.yaml", "sites: tables/sites.csv", 'sites: "tables/si\\0tes.csv"'),
         (f"tiny/tables/si\\x00tes.csv: cannot be read: its name contains a NUL character {SITES}",)),
    Case("table-too-large", _table_too_large,
         (f"tiny/tables/sites.csv: is larger than 200 MB, the most planner reads from a table {SITES}",)),
    Case("extends-permission-denied", _extends_unreadable,
         ("tiny/scenario.yaml key extends: {unreadable}: cannot be read: permission denied",), needs="unreadable"),
    Case("extends-under-a-file", _extends_under_a_file,
         ("tiny/scenario.yaml key extends: tiny/tables/regions.csv/base.yaml: cannot be read: a part of its path is "
          "a file, not a folder",)),
    Case("extends-folder-permission-denied", _extends_folder_denied,
         ("tiny/scenario.yaml key extends: tiny/base/base.yaml: cannot be read: permission denied",)),
    Case("extends-link-loop", _extends_link_loop,
         ("tiny/scenario.yaml key extends: tiny/base.yaml: cannot be read: its symbolic links form a loop",)),
    Case("extends-is-a-fifo", _extends_fifo,
         ("tiny/scenario.yaml key extends: tiny/base.yaml: is a named pipe (FIFO), not a regular file",)),
    Case("scenario-link-loop", _scenario_link_loop,
         ("tiny/loop.yaml: cannot be read: its symbolic links form a loop",)),
    Case("scenario-is-a-fifo", _scenario_fifo, ("tiny/pipe.yaml: is a named pipe (FIFO), not a regular file",)),
    Case("scenario-too-large", _scenario_too_large,
         ("tiny/scenario.yaml: is larger than 1 MB, the most planner reads from a scenario file",)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_a_file_that_cannot_be_read_is_one_problem_naming_it(case: Case, tiny: Editable) -> None:
    found, expected = reported(case, tiny)
    assert found == expected
