"""One writer at a time for the record of verified rules versions.

Two helper processes can take bundles at the same moment (two browsers, or the CLI and a browser). Each reads
the highest verified version, checks the new bundle against it and writes the record; without a lock the one
holding the older bundle could write last and lower the record, which would let an old bundle in later. The
read-check-write therefore happens while holding an exclusive lock on a file beside the record.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 10.0  # another process holds the lock only for a read, a signature check and a small write
_RETRY_SECONDS = 0.02


class RecordBusy(OSError):
    """Another process held the record's lock for longer than WAIT_SECONDS."""


@contextmanager
def held_exclusively(lock_path: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if needed) for the duration of the block."""
    lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise RecordBusy(f"{lock_path} stayed locked by another Optout process for {wait_seconds:g} s")
            time.sleep(_RETRY_SECONDS)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
