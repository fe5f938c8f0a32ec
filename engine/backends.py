"""Where an expression runs: DuckDB (embedded, the default) or a ClickHouse dialect engine.

Settings that make every engine follow the semantics the expressions assume live here and only
here: UTC session time zones (DuckDB casts timestamps in the session zone), and ClickHouse's
``join_use_nulls`` (without it a LEFT JOIN miss is 0, and an unpriced model would cost $0).

The small relations the pricing joins (price cells, tier bands) are tables in DuckDB; for
ClickHouse they travel inside the query as ``format(JSONEachRow, ...)`` table functions, so a
read-only user on a remote server needs no temporary tables.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from typing import Any, Protocol

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import sqlglot
import sqlglot.expressions as sge

CLICKHOUSE_SETTINGS = {
    "join_use_nulls": "1",
    "session_timezone": "UTC",
    # ISO 8601 text (a T, a Z, an offset) read as pandas reads it; the basic mode refuses it.
    "cast_string_to_date_time_mode": "best_effort",
    # Group-by and sort spill to disk rather than fail on a large log.
    "max_bytes_before_external_group_by": str(1 << 30),
    "max_bytes_before_external_sort": str(1 << 30),
}


TIMESTAMP = dt.Timestamp()
"""Ibis reads the annotations of the functions below as data types."""


@ibis.udf.scalar.builtin(name="epoch_us")
def _duckdb_epoch_us(ts: TIMESTAMP) -> int:  # type: ignore[valid-type,empty-body]
    """DuckDB: microseconds since 1970 (Ibis's epoch_seconds casts through the session zone, 13x slower)."""


@ibis.udf.scalar.builtin(name="toUnixTimestamp64Micro")
def clickhouse_epoch_us(ts: TIMESTAMP) -> int:  # type: ignore[valid-type,empty-body]
    """ClickHouse: microseconds since 1970 of a DateTime64 (toRelativeSecondNum cuts to whole seconds)."""


class Backend(Protocol):
    """Runs Ibis expressions; holds the small lookup tables the pricing joins."""

    dialect: str
    range_join: bool
    """Ranges may be join conditions (DuckDB tests them while it joins); else they filter the joined rows."""

    def epoch_us(self, ts: ir.TimestampValue) -> ir.IntegerValue:
        """Microseconds since 1970 of a timestamp, in this engine's fastest spelling."""
        ...

    def hash64(self, key: ir.StructValue) -> ir.IntegerValue:
        """A 64-bit hash of a row's key (equal keys, equal hashes), in this engine's fastest spelling."""
        ...

    def relation(self, name: str, frame: pd.DataFrame) -> ir.Table:
        """A small table (price cells, tier bands) the next expressions may join."""
        ...

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        """The expression's result as a frame."""
        ...

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        """An intermediate result several later expressions read (computed once where the engine can)."""
        ...


class DuckDBBackend:
    """Embedded DuckDB through Ibis: files are read out of core, spilling to a temporary folder."""

    dialect = "duckdb"
    range_join = True

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.spill = tempfile.TemporaryDirectory(prefix="tokenomics-duckdb-")
        config: dict[str, Any] = {
            "threads": threads or max(1, os.cpu_count() or 1),
            "temp_directory": self.spill.name,
            "preserve_insertion_order": False,
        }
        if memory_limit:
            config["memory_limit"] = memory_limit
        self.con = ibis.duckdb.connect(**config)
        # Timestamp casts and extracts follow the session zone: UTC, or a row's second of day moves.
        self.con.raw_sql("SET TimeZone = 'UTC'")

    def sql(self, query: str) -> None:
        self.con.raw_sql(query)

    def epoch_us(self, ts: ir.TimestampValue) -> ir.IntegerValue:
        return _duckdb_epoch_us(ts)

    def hash64(self, key: ir.StructValue) -> ir.IntegerValue:
        # DuckDB's hash is unsigned; Ibis's hash() casts it to signed through a BIT string, a fifth
        # of the duplicate check's time on a large log. Grouping needs no sign.
        @ibis.udf.scalar.builtin(name="hash", signature=((key.type(),), dt.uint64))
        def duckdb_hash(value: Any) -> int:  # type: ignore[empty-body]
            ...

        return duckdb_hash(key)

    def table(self, name: str) -> ir.Table:
        return self.con.table(name)

    def relation(self, name: str, frame: pd.DataFrame) -> ir.Table:
        # Through Arrow: Ibis's own pandas conversion reads an option pandas 3 deprecates.
        return self.con.create_table(name, pa.Table.from_pandas(frame, preserve_index=False), temp=True, overwrite=True)

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        return self.con.to_pyarrow(expr).to_pandas()

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        # Dropped first, not overwritten: Ibis overwrites by writing under another name and
        # copying (4 of the 14 s of storing a 10M-row CSV's parsed rows).
        self.con.drop_table(name, force=True)
        return self.con.create_table(name, expr, temp=True)

    def progress(self) -> float:
        """Share of the running query done (0-1), or -1 when DuckDB cannot tell."""
        value = self.con.con.query_progress()
        return float(value) / 100 if value >= 0 else -1.0

    def close(self) -> None:
        self.con.disconnect()
        self.spill.cleanup()


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _json_value(value.item())
    return value


def inline_table(frame: pd.DataFrame, schema: ibis.Schema) -> str:
    """``frame`` as a ClickHouse ``format(JSONEachRow, structure, data)`` table function."""
    types = ibis.backends.sql.datatypes.ClickHouseType
    structure = ", ".join(f"{name} {types.to_string(dtype)}" for name, dtype in schema.items())
    data = "\n".join(
        json.dumps({k: _json_value(v) for k, v in record.items()}, allow_nan=False)
        for record in frame.to_dict("records")
    )
    return sge.Anonymous(
        this="format",
        expressions=[sge.var("JSONEachRow"), sge.Literal.string(structure), sge.Literal.string(data)],
    ).sql(dialect="clickhouse")


class ClickHouseDialect:
    """Compiles expressions to ClickHouse SQL and hands the text to ``run`` (chDB, or a server over HTTP).

    Lookup tables are bound into each query as CTEs over inline data, so the same SQL runs on an
    embedded chDB session and on a remote read-only server.
    """

    dialect = "clickhouse"
    # ClickHouse's hash join takes only equalities in ON without an experimental setting.
    range_join = False

    def __init__(self, run: Callable[[str], pd.DataFrame]) -> None:
        self._run = run
        self._inline: dict[str, str] = {}

    def epoch_us(self, ts: ir.TimestampValue) -> ir.IntegerValue:
        return clickhouse_epoch_us(ts.cast(dt.Timestamp(timezone="UTC", scale=6)))

    def hash64(self, key: ir.StructValue) -> ir.IntegerValue:
        return key.hash()

    def relation(self, name: str, frame: pd.DataFrame) -> ir.Table:
        schema = ibis.Schema.from_pyarrow(pa.Table.from_pandas(frame, preserve_index=False).schema)
        self._inline[name] = inline_table(frame, schema)
        return ibis.table(schema, name=name)

    def compile(self, expr: ir.Table) -> str:
        query = sqlglot.parse_one(str(ibis.to_sql(expr, dialect="clickhouse")), read="clickhouse")
        used = {t.name for t in query.find_all(sge.Table)}
        for name, source in self._inline.items():
            if name in used:
                assert isinstance(query, sge.Query)
                query = query.with_(name, as_=f"SELECT * FROM {source}", dialect="clickhouse")
        return query.sql(dialect="clickhouse")

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        return self._run(self.compile(expr))

    def query(self, sql: str) -> pd.DataFrame:
        """A query written as ClickHouse SQL (``DESCRIBE``, for the schema of a table)."""
        return self._run(sql)

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        # A read-only server cannot keep a table: the server computes the expression where it is used.
        return expr


class ChdbBackend(ClickHouseDialect):
    """Embedded ClickHouse (chDB, a test dependency): the ClickHouse dialect checked without a server."""

    def __init__(self) -> None:
        from chdb import session  # test-only dependency (requirements-dev.txt)

        self.session = session.Session()
        for name, value in CLICKHOUSE_SETTINGS.items():
            self.session.query(f"SET {name} = {value if value.isdigit() else repr(value)}")
        super().__init__(lambda sql: self.session.query(sql, "ArrowTable").to_pandas())

    def sql(self, query: str) -> None:
        self.session.query(query)

    def close(self) -> None:
        self.session.close()
