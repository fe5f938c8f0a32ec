"""One process per run: a lock file beside the store, held while a run's requests are sent.

Two ``measure --resume`` of one run would each send every missing request (the store keeps the
rows right, the bill doubles). The lock is an OS file lock (``flock``), released by the kernel
when its holder dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tokenomics.errors import InputError


def lock_path(store: Path, run_id: str) -> Path:
    return store.with_name(f".{store.name}.{run_id}.lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def run_lock(store: Path, run_id: str) -> Iterator[None]:
    """Hold the run's lock; an ``InputError`` at once if another process holds it."""
    path = lock_path(store, run_id)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise InputError(
                f"run {run_id} is being measured by another process",
                file=str(store),
                expected="one process per run: wait for it to finish or stop it",
            )
        # The holder before us may have removed the file after we opened it: lock the file that is there.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)
