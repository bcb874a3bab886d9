"""Hostile scenario inputs for the reading of scenarios, as a table the next person can extend.

A `Case` edits a copy of the tiny scenario (tests/fixtures/tiny) into a hostile one and gives the
problem lines `load_scenario` must report, exactly. The same cases are run through the command
line (test_reading_cli.py): `planner validate` and `planner run` exit 2 with those lines, no
traceback, and nothing written.

To add a case: append a `Case` to the CASES list of the module of its class
(test_reading_faults.py: files that cannot be read; test_reading_yaml.py: YAML that is too large or
too deep; test_reading_values.py: values that must not be accepted).
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.scenario import InputErrors, load_scenario
from planner.scenario.errors import display_path
from tests.conftest import Editable

LIMIT_SECONDS = 30
"""A hostile input must be refused well within this; today's hangs (a FIFO) and endless reads fail instead."""

PROC_UNREADABLE = Path("/proc/sys/vm/drop_caches")
"""A file even root may not read (mode 0200 in /proc/sys): how a test provokes "permission denied" as root."""


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it from the tiny scenario and the exact problem lines expected."""

    name: str
    make: Callable[[Editable], Path | None]
    """Edits the copy; returns the scenario file to read when it is not the copy's scenario.yaml."""
    expected: tuple[str, ...]
    """The problem lines; `{unreadable}` stands for the displayed path of `unreadable_file`, `{dev_zero}` for
    /dev/zero's (a table path is shown with its links resolved). Braces of the text itself are doubled."""
    needs: str = ""
    """`unreadable` when the case needs a file this user may not read (skipped when none can be had)."""

    def scenario(self, tiny: Editable) -> Path:
        """Make the hostile copy and return the scenario file to give planner."""
        if self.needs == "unreadable":
            unreadable_file(tiny)  # skips the case when none can be had
        return self.make(tiny) or tiny.yaml

    def lines(self, tiny: Editable) -> list[str]:
        """The expected problem lines, with the placeholders filled in."""
        fill = {"dev_zero": display_path("/dev/zero")}
        if self.needs == "unreadable":
            fill["unreadable"] = display_path(unreadable_file(tiny))
        return [line.format(**fill) for line in self.expected]


def params(cases: list[Case]) -> list[object]:
    """`cases` as pytest parameters named by their names."""
    return [pytest.param(case, id=case.name) for case in cases]


def unreadable_file(tiny: Editable) -> Path:
    """A regular file this process may not read: chmod 000 for a normal user; as root (whom chmod does not
    stop), a write-only file of /proc/sys. Skips the test when neither is available."""
    if os.geteuid() != 0:
        locked = tiny.root / "locked.csv"
        if not locked.exists():
            locked.write_text("id\n", encoding="utf-8")
            locked.chmod(0)
        return locked
    try:
        os.close(os.open(PROC_UNREADABLE, os.O_RDONLY))
    except PermissionError:
        return PROC_UNREADABLE
    except OSError as exc:
        pytest.skip(f"no file this root user may not read ({exc.strerror})")
    pytest.skip("no file this root user may not read")


def write(tiny: Editable, relative: str, text: str) -> Path:
    """Write a file of the copy (folders made as needed) and return its path."""
    path = tiny.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_to_yaml(tiny: Editable, text: str) -> None:
    """Append YAML text (top-level keys) to the copy's scenario.yaml."""
    tiny.append("scenario.yaml", "\n" + text)


def link_loop(first: Path, second: Path) -> Path:
    """Two symbolic links that point at each other; returns the first."""
    first.unlink(missing_ok=True)
    second.unlink(missing_ok=True)
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


@contextmanager
def time_limit(seconds: int = LIMIT_SECONDS) -> Iterator[None]:
    """Fail (rather than hang) when the body takes longer than `seconds`; an alarm interrupts a blocked open()."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(errno.ETIME, f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def problems_of(scenario: Path) -> list[str]:
    """The problem lines `load_scenario` reports for `scenario` (it must refuse it, in time)."""
    with time_limit(), pytest.raises(InputErrors) as caught:
        load_scenario(scenario)
    return [str(p) for p in caught.value.problems]


def reported(case: Case, tiny: Editable) -> tuple[list[str], list[str]]:
    """Make the case; the problem lines reported and those expected."""
    return problems_of(case.scenario(tiny)), case.lines(tiny)
