"""Exclusive file locks between Optout's processes (two helpers, or the CLI and a helper), on every system.

`lock_nowait` and `unlock` are the primitives (the history's run lock tests and takes them without waiting);
`held_exclusively` waits its turn, for short read-check-write steps such as recording a verified rules version.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 10.0  # longer than any short step another process holds such a lock for
_RETRY_SECONDS = 0.02


class LockBusy(OSError):
    """Another process held the lock for longer than the wait allowed."""


@contextmanager
def held_exclusively(lock_path: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if needed) for the duration of the block."""
    lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(fd):  # polled: a blocking lock could not give up after `wait_seconds`
            if time.monotonic() >= deadline:
                raise LockBusy(f"{lock_path} stayed locked by another Optout process for {wait_seconds:g} s")
            time.sleep(_RETRY_SECONDS)
        try:
            yield
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        lock_nowait(fd)
    except OSError:
        return False
    return True


def lock_nowait(fd: int) -> None:
    """Take an exclusive lock on the open file `fd`, or raise OSError at once when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
