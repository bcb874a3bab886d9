"""The one reader every scenario input file goes through: regular files only, of a bounded size.

A scenario names the files planner reads (its `extends` chain and its tables); whatever a path
turns out to be - missing, a folder, a named pipe, a device such as `/dev/zero`, a symbolic
link loop, a file planner may not read, a file far larger than any scenario input - the answer
is one sentence about that file, never a traceback, a hang or a read without end.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_YAML_BYTES = 1_000_000
"""The largest scenario YAML file read (hand-written scenario files are a few kB)."""
MAX_TABLE_BYTES = 200_000_000
"""The largest CSV table read (a table of a million sites is about 100 MB)."""


class UnreadableFile(Exception):
    """A file that cannot be used as an input, with the reason in plain words (`str(exc)`)."""

    def __init__(self, reason: str, kind: str = "other"):
        super().__init__(reason)
        self.kind = kind
        """`missing`, `folder` or `other`: callers word the first two for what the file was meant to be."""


def read_input(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; `what` names the file's role (`a table`).

    Raises UnreadableFile for anything else. The file is opened without blocking and checked on the
    opened descriptor, so a named pipe cannot hang the read and nothing is swapped in between.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(exc) from None
    except ValueError:  # a NUL character in the path
        raise UnreadableFile("cannot be read: its name contains a NUL character") from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise UnreadableFile("is a folder, not a file", "folder")
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFile(f"is {_file_kind(status.st_mode)}, not a regular file")
        if status.st_size > limit:
            raise _too_large(limit, what)
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while read
        raise _too_large(limit, what)
    return data


def _too_large(limit: int, what: str) -> UnreadableFile:
    return UnreadableFile(f"is larger than {_megabytes(limit)}, the most planner reads from {what}")


def _read_at_most(fd: int, count: int) -> bytes:
    """Up to `count` bytes of the open file `fd`, reading until its end or the count."""
    chunks, left = [], count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _unreadable(exc: OSError) -> UnreadableFile:
    """An OSError of opening or reading a file, in words."""
    if exc.errno == errno.ENOENT:
        return UnreadableFile("file not found", "missing")
    if exc.errno == errno.EISDIR:
        return UnreadableFile("is a folder, not a file", "folder")
    reasons = {
        errno.ELOOP: "its symbolic links form a loop",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOTDIR: "a part of its path is a file, not a folder",
        errno.ENAMETOOLONG: "its name is too long",
    }
    return UnreadableFile(f"cannot be read: {reasons.get(exc.errno or 0, exc.strerror or str(exc))}")


def _file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:g} MB"


def absolute(path: Path) -> Path:
    """`path` made absolute with its symbolic links resolved where they can be (a link loop stays as written)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop (Python < 3.13 raises), a name too long or with NUL
        return Path(os.path.abspath(path))
