"""Writing run folders (docs/scenario.md "The run folder") atomically: complete or absent."""

from __future__ import annotations

import ctypes
import errno
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

from planner import __version__
from planner.cells import formula_safe, quoting, text_cells_safe
from planner.runfolder.format import LEFTOVER
from planner.runfolder.read import WRITING, is_leftover  # noqa: F401 - is_leftover: part of the writer's contract
from planner.scenario.errors import display_path
from planner.scenario.scenario import Scenario
from planner.scenario.schema import PREFIXED_COLUMNS

try:
    import fcntl
except ImportError:  # not on Windows: leftovers are then not told apart from folders still being written
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:  # the solver adapters are imported only by the commands that solve
    from planner.solve import SolveResult

AT_FDCWD = -100
RENAME_EXCHANGE = 2
_renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EINVAL),
                getattr(errno, "EOPNOTSUPP", errno.EINVAL)}


class OutputExists(Exception):
    """The output folder exists, is not empty, and overwriting was not asked for."""


def shown_path(path: Path | str, given: Path | str | None = None) -> str:
    """`path` as the user should see it in a message: absolute when the user gave an absolute path (`given`, by
    default `path` itself), else relative to the working directory when inside it."""
    given = path if given is None else given
    return str(Path(os.path.abspath(path))) if Path(given).is_absolute() else display_path(path)


def check_output(out: Path, force: bool, instead: str = "another --out") -> None:
    """Refuse a non-empty existing output folder unless `force`, or one that cannot be made; called before any
    solving. The message suggests choosing `instead` (what the command calls its output) or --force."""
    check_location(out)
    clean_leftovers(out)
    if out.exists() and not out.is_dir():
        raise OutputExists(f"{shown_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExists(f"{shown_path(out)} already exists and is not empty; choose {instead} or add --force")


def check_file_output(path: Path, force: bool) -> None:
    """Refuse a folder, an existing file unless `force`, or a place that cannot be written, as a file to write;
    called before anything is written."""
    check_location(path)
    if path.is_dir():
        raise OutputExists(f"{shown_path(path)} is a folder; give a file name")
    if path.exists() and not force:
        raise OutputExists(f"{shown_path(path)} already exists; choose another file or add --force")


def check_location(path: Path) -> None:
    """Refuse `path` when it cannot be written: one of its parents is not a folder (a file, a broken or looping
    link), or the names below the nearest existing one cannot be made there (tried in a temporary folder, removed
    again: a folder where nothing can be made, a name too long)."""
    target = Path(os.path.abspath(path))
    parent = next(p for p in target.parents if os.path.lexists(p))
    if not parent.is_dir():
        raise OutputExists(f"cannot write {shown_path(path)}: {shown_path(parent, path)} is not a folder")
    probe = None
    try:
        probe = tempfile.mkdtemp(dir=parent, prefix=".planner-check-")
        os.makedirs(os.path.join(probe, target.relative_to(parent)))
    except OSError as exc:
        where = shown_path(parent, path) if probe is None else shown_path(path)
        raise OutputExists(f"cannot write {shown_path(path)}: {where}: {exc.strerror}") from None
    finally:
        if probe is not None:
            shutil.rmtree(probe, ignore_errors=True)


PARTIAL = ".partial-"
"""Infix of the temporary sibling a run folder is written into: `.NAME.partial-PID-HEX`, renamed to NAME when
complete."""


class WriteFailed(OutputExists):
    """Writing a file of an output folder failed (disk full, permission, ...); nothing was left behind."""


class InterruptedWhileWriting(KeyboardInterrupt):
    """Ctrl-C arrived while an output folder was written; the folder was completed first and is in place."""

    def __init__(self, out: Path) -> None:
        super().__init__(f"interrupted while writing {out}; it was completed first")
        self.out = out


def clean_leftovers(out: Path) -> None:
    """Remove the temporary siblings of `out` (folders or files) left by writers that were killed; an `old` sibling
    (a folder replaced in two renames, by earlier versions or where the system cannot swap folders in one step,
    whose writer was killed between them) is put back as `out` when `out` is missing or empty. Siblings of a
    writer still running (named with its process id, locked) are left alone."""
    parent = out.parent
    if not parent.is_dir():
        return
    for kind in ("old", "partial"):
        for stale in parent.glob(f".{glob.escape(out.name)}.{kind}-*"):
            if not LEFTOVER.match(stale.name) or _writer_alive(stale.name):
                continue
            with _held(stale) as free:
                if not free:
                    continue
                try:
                    if kind == "old" and (not os.path.lexists(out) or (out.is_dir() and not any(out.iterdir()))):
                        os.rename(stale, out)
                    elif stale.is_dir() and not stale.is_symlink():
                        shutil.rmtree(stale, ignore_errors=True)
                    else:
                        stale.unlink()
                except OSError:  # another process cleaned it first, or it cannot be: it is never read as a run
                    pass


def _writer_alive(name: str) -> bool:
    """Whether the process that named a temporary sibling `.NAME.KIND-PID-HEX` still runs (False for names without
    a process id, made by earlier versions)."""
    match = re.search(r"-([0-9a-f]+)-[0-9a-f]+$", name)
    if match is None:
        return False
    pid = int(match.group(1), 16)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


@contextmanager
def _held(folder: Path) -> Iterator[bool]:
    """Lock `folder` (flock, released when this process ends, however it ends); yields False when another
    process holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
        yield True
    finally:
        os.close(fd)


_deferred: list[int] | None = None
"""The Ctrl-Cs held back by the outermost `deferred_interrupts` block in progress (None outside one)."""


@contextmanager
def deferred_interrupts() -> Iterator[list[int]]:
    """Hold back Ctrl-C (SIGINT) inside the block; the signals received are listed in what it yields.

    In the main thread only (elsewhere Python cannot handle signals and the block runs as it is). A block
    inside another yields a list that stays empty: the outermost block holds the signals back until it ends.
    """
    global _deferred
    if _deferred is not None or threading.current_thread() is not threading.main_thread():
        yield []
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    _deferred = received
    try:
        yield received
    finally:
        _deferred = None
        signal.signal(signal.SIGINT, previous)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders `a` and `b` in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not
    available (another system, a file system without it)."""
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _put_in_place(tmp: Path, out: Path, force: bool) -> None:
    """Rename the complete folder `tmp` to `out`: onto nothing or an empty folder, or with `force` in exchange for
    a non-empty one (one step where the system can, else two renames with the old folder locked, which
    `clean_leftovers` puts back if the process dies between them)."""
    try:
        os.rename(tmp, out)  # atomic; refused (ENOTEMPTY/EEXIST) when out is a non-empty folder
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not out.is_dir():
            raise
        if not force:
            raise OutputExists(f"{display_path(out)} already exists and is not empty; choose another --out or add "
                               "--force") from None
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old folder, under the temporary name
        return
    old = out.parent / f".{out.name}.old-{os.getpid():x}-{uuid.uuid4().hex[:8]}"
    os.rename(out, old)
    with _held(old):
        os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_folder(out: Path, force: bool) -> Iterator[Path]:
    """Yield a temporary sibling folder to fill; when the block ends it replaces `out` in one rename.

    The folder is `.NAME.partial-PID-HEX`, locked while written: whatever ends the process, it is never read
    as a run (`is_leftover`) and the next write to `out` removes it (`clean_leftovers`). Ctrl-C during the
    block is held back until the folder is in place, then raised as `InterruptedWhileWriting`. A failing write
    (disk full, ...) removes it and raises `WriteFailed` naming the file.
    """
    check_output(out, force)
    clean_leftovers(out)
    with deferred_interrupts() as received:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.parent / f".{out.name}{PARTIAL}{os.getpid():x}-{uuid.uuid4().hex[:8]}"
            tmp.mkdir()
        except OSError as exc:
            raise WriteFailed(f"cannot write {display_path(out)}: {exc.strerror or exc}") from None
        with _held(tmp), _writing(tmp):
            try:
                yield tmp
                _put_in_place(tmp, out, force)
            except OSError as exc:
                named = _named(exc, tmp, out)
                shutil.rmtree(tmp, ignore_errors=True)
                raise WriteFailed(f"cannot write {named}: {exc.strerror or exc}") from None
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    if received:
        raise InterruptedWhileWriting(out)


@contextmanager
def _writing(tmp: Path) -> Iterator[None]:
    """Let this process read the folder it is writing (planner.runfolder.read.WRITING)."""
    key = Path(os.path.abspath(tmp))
    WRITING.add(key)
    try:
        yield
    finally:
        WRITING.discard(key)


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling file (`.NAME.partial-PID-HEX`) to write; when the block ends it replaces `path` in one
    rename, so `path` is the old file or the new one, never half of one. A failing write (disk full, ...) removes it
    and raises `WriteFailed` naming `path`."""
    clean_leftovers(path)
    tmp = path.parent / f".{path.name}{PARTIAL}{os.getpid():x}-{uuid.uuid4().hex[:8]}"
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise WriteFailed(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _named(exc: OSError, tmp: Path, out: Path) -> str:
    """The file an OSError is about, as it would be named in `out` (the folder itself when it names none)."""
    name = exc.filename if isinstance(exc.filename, (str, os.PathLike)) else _newest_file(tmp)
    if name is not None:
        path = Path(os.fsdecode(name))
        try:
            return display_path(out / path.relative_to(tmp))
        except ValueError:
            return display_path(path)
    return display_path(out)


def _newest_file(folder: Path) -> Path | None:
    """The file of `folder` written last (the one being written when a write failed without naming its file)."""
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return max(files, key=lambda p: p.stat().st_mtime_ns, default=None)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now() -> str:
    """The current UTC time in ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def manifest(scenario: Scenario, result: SolveResult | None, started_at: str) -> dict[str, Any]:
    """The content of manifest.json."""
    import pyomo.version

    return {
        "planner_version": __version__,
        "python_version": platform.python_version(),
        "pyomo_version": pyomo.version.version,
        "solver": ({"name": result.solver, "version": result.solver_version, "options": result.options}
                   if result else {"name": scenario.solver.name, "version": None,
                                   "options": scenario.solver.model_dump()}),
        "scenario_path": display_path(scenario.path),
        "inputs": {display_path(p): sha256(p) for p in scenario.files},
        "scenario": scenario.spec.model_dump(mode="json"),
        "started_at": started_at,
        "finished_at": now(),
        "host": platform.node(),
        "command": sys.argv,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON, UTF-8, indented, Chinese kept readable."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a table as UTF-8 CSV without the index, its text cells formula-safe (:mod:`planner.cells`)."""
    safe = formula_safe(frame)
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=quoting(safe))


def write_workbook_sheets(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Write tables as the Excel workbook `path`, one sheet per (sheet name, table), without the index; a text cell
    that starts like a formula is stored as text (:func:`planner.cells.text_cells_safe`), never as a formula."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            text_cells_safe(sheet, table)
            sheet.freeze_panes = "A2"


def write_inputs(folder: Path, scenario: Scenario, solver: dict[str, Any] | None = None) -> None:
    """Write the tables as the model saw them and a scenario.yaml that reruns them.

    `solver` is the solver section the run really used (command-line options included).
    """
    folder.mkdir()
    tables = {"regions": scenario.regions.values(), "sites": scenario.sites.values(),
              "industries": scenario.industries.values(), "functions": scenario.functions.values()}
    if scenario.stock:  # version 2: the existing base is an input too
        tables["stock"] = scenario.stock.values()
    for name, rows in tables.items():
        records = []
        for row in rows:
            record = row.model_dump()
            if name in PREFIXED_COLUMNS:
                prefix, bucket = PREFIXED_COLUMNS[name]
                record.update({f"{prefix}{k}": v for k, v in record.pop(bucket).items()})
            records.append(record)
        write_csv(folder / f"{name}.csv", pd.DataFrame(records))
    spec = scenario.spec.model_dump(mode="json", exclude={"extends", "overrides"})
    spec["tables"] = {name: f"{name}.csv" for name in tables}
    if solver is not None:
        spec["solver"] = solver
    (folder / "scenario.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


Writer = Callable[[Path], None]


def write_run_folder(out: Path, force: bool, files: dict[str, Writer]) -> None:
    """Create `out` atomically with one writer per file name (each writer gets the file's path), in their order
    (`summary.json`, what readers require, is best last); see `atomic_folder`."""
    with atomic_folder(out, force) as tmp:
        for name, writer in files.items():
            writer(tmp / name)
