"""Faults while a run folder is written: killed writers, racing writers, --force replacement, Ctrl-C, a full disk.

Every case leaves either a complete run folder or nothing that `report`, `map` or `compare` accepts as a run,
and the next run works. The processes are real (`planner run` in a subprocess) and are killed at the write step,
found by polling for the temporary `.NAME.partial-*` folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "tiny" / "scenario.yaml"
PLANNER = [sys.executable, "-m", "planner"]


def planner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `planner ARGS` in `cwd` and return what it printed."""
    return subprocess.run([*PLANNER, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT back to its default in the child (a test run in the background ignores it, and so would the child)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(cwd: Path, *args: str) -> subprocess.Popen[str]:
    """Start `planner run` of the tiny scenario in `cwd`."""
    return subprocess.Popen([*PLANNER, "run", str(FIXTURE), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, preexec_fn=_ctrl_c_as_in_a_terminal)


def partials(parent: Path, name: str) -> list[Path]:
    """The temporary siblings `.NAME.partial-*` / `.NAME.old-*` of the folder `name`."""
    return sorted(p for p in parent.iterdir()
                  if p.name.startswith(f".{name}.partial-") or p.name.startswith(f".{name}.old-"))


def signal_when_writing(proc: subprocess.Popen[str], parent: Path, name: str, signum: int, times: int = 1) -> bool:
    """Send `signum` to `proc` as soon as its `.NAME.partial-*` folder appears; whether it appeared in time."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(f".{name}.partial-") for p in os.scandir(parent)):
            for _ in range(times):
                proc.send_signal(signum)
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def a_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete run folder of the tiny scenario, to compare a leftover with."""
    where = tmp_path_factory.mktemp("complete")
    done = planner("run", str(FIXTURE), "--out", "run", cwd=where)
    assert done.returncode == 0, done.stderr
    return where / "run"


def assert_not_a_run(folder: Path, cwd: Path, owner: str, other: Path) -> None:
    """`report`, `map` and `compare` (with the complete run `other`) refuse `folder` (exit 2) as the leftover of an
    unfinished write of `owner`."""
    rel = os.path.relpath(folder, cwd)
    line = (f"Error: {rel} is the temporary folder of an unfinished write of {owner}, not a run folder; "
            f"the next run into {owner} cleans it up")
    for args in (["report", rel], ["map", rel], ["compare", str(other), rel, "--out", "cmp"]):
        done = planner(*args, cwd=cwd)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert done.stderr.strip() == line, (args, done.stderr)
    assert not (cwd / "cmp").exists()


def assert_complete(run: Path) -> dict:
    """`run` is a complete run folder with a plan; its summary."""
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal"
    for name in ("manifest.json", "assignments.csv", "links.csv", "sites.csv", "map.html", "inputs/scenario.yaml"):
        assert (run / name).is_file(), name
    return summary


def test_a_complete_looking_leftover_is_no_run_and_the_next_run_removes_it(tmp_path: Path, a_run: Path) -> None:
    """What a writer killed just before its rename (or the loser of a race, before) left: complete contents under
    the temporary name. No command takes it as a run; the next run into the folder removes it."""
    done = planner("run", str(FIXTURE), "--out", "first", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    leftover = tmp_path / ".run.partial-deadbeef"
    shutil.copytree(tmp_path / "first", leftover)
    assert_not_a_run(leftover, tmp_path, "run", a_run)
    assert_not_a_run(leftover / "inputs", tmp_path, "run", a_run)
    done = planner("run", str(FIXTURE), "--out", "run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_complete(tmp_path / "run")
    assert partials(tmp_path, "run") == []


def test_killed_while_writing_leaves_no_run_but_a_leftover_the_next_run_removes(tmp_path: Path, a_run: Path) -> None:
    proc = start_run(tmp_path, "--out", "run")
    assert signal_when_writing(proc, tmp_path, "run", signal.SIGKILL), proc.communicate()[0]
    assert proc.wait(timeout=60) == -signal.SIGKILL
    if (tmp_path / "run").exists():  # killed after its rename: complete
        assert_complete(tmp_path / "run")
    for leftover in partials(tmp_path, "run"):
        assert_not_a_run(leftover, tmp_path, "run", a_run)
    done = planner("run", str(FIXTURE), "--out", "run", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_complete(tmp_path / "run")
    assert partials(tmp_path, "run") == []


def test_killed_while_replacing_with_force_keeps_the_old_or_the_new_folder(tmp_path: Path, a_run: Path) -> None:
    done = planner("run", str(FIXTURE), "--out", "run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    before = assert_complete(tmp_path / "run")
    proc = start_run(tmp_path, "--out", "run", "--force")
    assert signal_when_writing(proc, tmp_path, "run", signal.SIGKILL), proc.communicate()[0]
    proc.wait(timeout=60)
    assert assert_complete(tmp_path / "run")["objective"] == before["objective"]
    for leftover in partials(tmp_path, "run"):
        assert_not_a_run(leftover, tmp_path, "run", a_run)


def test_an_old_folder_lost_between_two_renames_is_put_back(tmp_path: Path, a_run: Path) -> None:
    """Earlier versions replaced with --force in two renames (OUT -> .OUT.old-*, then the new one -> OUT); killed
    between them, OUT was gone. The next run puts the old folder back first."""
    done = planner("run", str(FIXTURE), "--out", "run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (tmp_path / "run").rename(tmp_path / ".run.old-0123abcd")
    assert_not_a_run(tmp_path / ".run.old-0123abcd", tmp_path, "run", a_run)
    done = planner("run", str(FIXTURE), "--out", "run", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: run already exists and is not empty; choose another --out or add --force"
    assert_complete(tmp_path / "run")
    assert partials(tmp_path, "run") == []


def test_two_runs_racing_for_one_folder_leave_one_run_and_no_leftover(tmp_path: Path) -> None:
    procs = [start_run(tmp_path, "--out", "run") for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 2], outputs
    loser = outputs[[p.returncode for p in procs].index(2)]
    assert "Error: run already exists and is not empty; choose another --out or add --force" in loser
    assert_complete(tmp_path / "run")
    assert partials(tmp_path, "run") == []


@pytest.mark.parametrize("times", [1, 2])
def test_ctrl_c_while_writing_keeps_the_plan(tmp_path: Path, times: int) -> None:
    proc = start_run(tmp_path, "--out", "run")
    assert signal_when_writing(proc, tmp_path, "run", signal.SIGINT, times), proc.communicate()[0]
    output = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0, output
    assert "Ctrl-C while writing: the run folder was completed first; the plan is kept." in output
    assert "nothing was written" not in output
    assert_complete(tmp_path / "run")
    assert partials(tmp_path, "run") == []


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 100 kB tmpfs at tmp_path/disk (needs root; skipped where it cannot be mounted)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_disk_full_is_one_line_naming_the_file_and_nothing_is_left(tmp_path: Path, small_disk: Path,
                                                                   a_run: Path) -> None:
    done = planner("run", str(FIXTURE), "--out", "disk/run", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Error: cannot write disk/run/map.html: No space left on device"
    assert "Traceback" not in done.stderr
    assert list(small_disk.iterdir()) == []
    for args, name in ((["map", str(a_run)], "map.html"), (["map", str(a_run), "--png"], "map.png"),
                       (["report", str(a_run)], "report.html")):
        done = planner(*args, "--out", f"disk/{name}", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == f"Error: cannot write disk/{name}: No space left on device"
        assert list(small_disk.iterdir()) == []
