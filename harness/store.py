"""The run store: one SQLite file in WAL mode with a ``runs`` and an ``attempts`` table.

Why SQLite: it is in the standard library, one file is easy to hand around, and a committed
transaction survives ``kill -9`` of the writer. Each finished attempt is its own transaction, so
a killed run loses only the attempts in flight. ``synchronous=NORMAL`` is enough for that: in
WAL mode it can lose the last commits only if the *machine* fails, not when the process dies.

An attempt is keyed by (run, task, sample): a resumed run skips the keys already graded, and a
key can be written once as graded (``status='ok'``). An error attempt (the request failed for
good) may be replaced by a later graded one when the run is resumed.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inputs.sqlite_store import connect_read_only, is_sqlite, table_columns, user_version
from tokenomics.errors import InputError

SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of a store written by this version (0: a store from before versions)."""
STORE_EXPECTED = "a store written by measure/import"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    label TEXT NOT NULL,
    model TEXT NOT NULL,
    provider TEXT,
    base_url TEXT,
    tasks_path TEXT,
    tasks_sha256 TEXT,
    task_count INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    source TEXT NOT NULL,
    settings TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS attempts (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    success INTEGER,
    input_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    output_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_usd REAL,
    latency_s REAL,
    ttft_s REAL,
    tries INTEGER,
    timestamp TEXT NOT NULL,
    error TEXT,
    reply TEXT,
    PRIMARY KEY (run_id, task_id, sample)
);
"""

ATTEMPT_FIELDS = (
    "task_id",
    "sample",
    "status",
    "success",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cost_usd",
    "latency_s",
    "ttft_s",
    "tries",
    "timestamp",
    "error",
    "reply",
)
_INSERT = (
    f"INSERT INTO attempts (run_id, {', '.join(ATTEMPT_FIELDS)}) VALUES (?{', ?' * len(ATTEMPT_FIELDS)}) "
    # A graded attempt is final; only an error attempt may be overwritten (by a resumed run).
    f"ON CONFLICT (run_id, task_id, sample) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in ATTEMPT_FIELDS[2:])
    + " WHERE attempts.status = 'error'"
)
REPLY_CHARS = 2000
"""Replies are kept (truncated) so a surprising grade can be checked by eye."""
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


@dataclass(frozen=True)
class Run:
    """One row of ``runs``."""

    run_id: str
    created_at: str
    label: str
    model: str
    provider: str | None
    base_url: str | None
    tasks_path: str | None
    tasks_sha256: str | None
    task_count: int
    samples: int
    source: str
    """``measure`` or ``import``."""
    settings: str
    """JSON of the client settings (never the API key)."""
    finished_at: str | None = None


@dataclass(frozen=True)
class Attempt:
    """One row of ``attempts`` (without the run id)."""

    task_id: str
    sample: int
    status: str
    success: bool | None
    input_tokens: int | None
    cache_read_tokens: int | None
    cache_write_tokens: int | None
    output_tokens: int | None
    reasoning_tokens: int | None
    cost_usd: float | None
    latency_s: float | None
    ttft_s: float | None
    tries: int | None
    timestamp: str
    error: str | None
    reply: str | None

    def row(self) -> tuple[Any, ...]:
        """Values in ``ATTEMPT_FIELDS`` order, the reply truncated."""
        reply = None if self.reply is None else self.reply[:REPLY_CHARS]
        return (*(getattr(self, f) for f in ATTEMPT_FIELDS[:-1]), reply)


@dataclass(frozen=True)
class Counts:
    """Progress of a run."""

    graded: int
    successes: int
    errors: int

    @property
    def failures(self) -> int:
        return self.graded - self.successes


def now_iso() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_run_id() -> str:
    """A short, sortable, unique id: UTC time plus random hex."""
    return datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


TABLES = {
    "runs": [f.name for f in fields(Run)],
    "attempts": ["run_id", *ATTEMPT_FIELDS],
}


def check_schema(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a database that is not a store of this schema (by table and column names and version)."""
    tables = table_columns(db)
    version = user_version(db)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"a store of a newer schema (version {version})",
            file=str(path),
            expected=f"schema version {SCHEMA_VERSION} or older: upgrade tokenomics",
        )
    if not set(TABLES) <= set(tables):
        other = ", ".join(sorted(tables)[:5]) or "none"
        raise InputError(
            f"not a tokenomics store (its tables: {other})", file=str(path), expected="tables runs and attempts"
        )
    for name, columns in TABLES.items():
        if tables[name] != columns:
            raise InputError(
                f"the {name} table has other columns than a store's",
                file=str(path),
                found=", ".join(tables[name]),
                expected=", ".join(columns),
            )


class Store:
    """A connection to a store file; one per thread (SQLite connections are not shared).

    ``write=False`` opens an existing store read-only (``mode=ro``): reading never creates,
    alters or switches a file to WAL. A writer (measure, import) creates the file if it is
    missing and ``create`` allows it, and refuses an existing database that is not a store.
    """

    def __init__(self, path: str | Path, *, create: bool = True, write: bool = True) -> None:
        self.path = Path(path)
        self.read_only = not write
        if self.read_only:
            self._db = connect_read_only(self.path, STORE_EXPECTED)
            try:
                check_schema(self._db, self.path)
            except BaseException:
                self._db.close()
                raise
            return
        if not create and not self.path.is_file():
            raise InputError("no such store file", file=str(self.path), expected=STORE_EXPECTED)
        existing = self.path.is_file() and self.path.stat().st_size > 0
        if existing and not is_sqlite(self.path):
            raise InputError("not an SQLite file: not overwritten", file=str(self.path), expected=STORE_EXPECTED)
        try:
            # One thread at a time uses a connection, but not always the one that opened it
            # (run_blocking may hand the run to a helper thread while the opener waits).
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot open the store ({exc})", file=str(self.path)) from None
        try:
            if existing and table_columns(self._db):
                check_schema(self._db, self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            if user_version(self._db) < SCHEMA_VERSION:
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InputError(f"not a usable store ({exc})", file=str(self.path)) from None
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_run(self, run: Run) -> None:
        values = asdict(run)
        columns = ", ".join(values)
        self._db.execute(
            f"INSERT INTO runs ({columns}) VALUES ({', '.join('?' * len(values))})", tuple(values.values())
        )

    def run(self, run_id: str) -> Run:
        row = self._db.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            known = ", ".join(r.run_id for r in self.runs()[-5:]) or "none"
            raise InputError(f"no run {run_id!r} in the store", file=str(self.path), expected=f"one of: {known}")
        return Run(*row)

    def runs(self) -> list[Run]:
        return [Run(*row) for row in self._db.execute("SELECT * FROM runs ORDER BY created_at, run_id")]

    def finish(self, run_id: str) -> None:
        self._db.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", (now_iso(), run_id))

    def graded_keys(self, run_id: str) -> set[tuple[str, int]]:
        """(task, sample) of every graded attempt: what a resumed run must not repeat."""
        rows = self._db.execute("SELECT task_id, sample FROM attempts WHERE run_id = ? AND status = 'ok'", (run_id,))
        return {(t, s) for t, s in rows}

    def record(self, run_id: str, attempt: Attempt) -> None:
        """Commit one finished attempt (autocommit: its own transaction)."""
        self._db.execute(_INSERT, (run_id, *attempt.row()))

    def record_runs(self, runs: Iterable[tuple[Run, Iterable[Attempt]]]) -> int:
        """Create runs with all their attempts in one transaction: all or nothing (used by imports)."""
        count = 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for run, attempts in runs:
                self.create_run(run)
                for attempt in attempts:
                    self._db.execute(_INSERT, (run.run_id, *attempt.row()))
                    count += 1
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return count

    def counts(self, run_id: str) -> Counts:
        graded, successes, errors = self._db.execute(
            "SELECT COALESCE(SUM(status = 'ok'), 0), COALESCE(SUM(status = 'ok' AND success), 0), "
            "COALESCE(SUM(status = 'error'), 0) FROM attempts WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        return Counts(graded, successes, errors)

    def attempts(self, run_id: str) -> Iterator[Attempt]:
        cursor = self._db.execute(
            f"SELECT {', '.join(ATTEMPT_FIELDS)} FROM attempts WHERE run_id = ? ORDER BY task_id, sample", (run_id,)
        )
        for row in cursor:
            values = dict(zip(ATTEMPT_FIELDS, row, strict=True))
            values["success"] = None if values["success"] is None else bool(values["success"])
            yield Attempt(**values)

    def errors(self, run_id: str, limit: int = 5) -> list[tuple[str, int, str]]:
        """A few error attempts (task, sample, reason) to show the user."""
        rows = self._db.execute(
            "SELECT task_id, sample, error FROM attempts WHERE run_id = ? AND status = 'error' LIMIT ?",
            (run_id, limit),
        )
        return [(t, s, e) for t, s, e in rows]


def settings_json(settings: dict[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True)
