"""Opening SQLite files safely: read-only for reads, schema checked before anything is trusted.

A read (``compare``, ``export``, the Compare page's store box) opens the file with
``mode=ro``: it can neither create a file, nor add tables to another application's database,
nor switch a file to WAL. A file is checked to be SQLite by its 16-byte header before SQLite
sees it, and its tables by their column names, so a foreign database is refused by name instead
of being read with shifted fields.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from tokenomics.errors import InputError

MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's header (an empty file is not a database)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def connect_read_only(path: Path, expected: str) -> sqlite3.Connection:
    """A read-only connection to an existing SQLite file; an ``InputError`` for anything else."""
    if not path.is_file():
        raise InputError("no such store file", file=str(path), expected=expected)
    if not is_sqlite(path):
        raise InputError("not an SQLite file", file=str(path), expected=expected)
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"not a readable SQLite file ({exc})", file=str(path), expected=expected) from None
    return db


def table_columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Table name -> its column names in order."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    # Table names come from sqlite_master itself; quoted so any name is a valid identifier.
    return {n: [r[1] for r in db.execute(f'PRAGMA table_info("{n.replace(chr(34), chr(34) * 2)}")')] for n in names}


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])
