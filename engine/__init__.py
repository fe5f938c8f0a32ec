"""Pricing and aggregation in SQL: the same expressions on DuckDB (embedded) and ClickHouse.

A measurement log too large for memory is priced where it lives. The path "rows -> price cell
-> cost components -> per-model and per-task sums" is written once as Ibis expressions
(``relations``), compiled to DuckDB for files (``files``: CSV, JSON Lines, Parquet, read out of
core) and to ClickHouse SQL for tables teams already keep there (``clickhouse``, ``mappings``).
The prices come from the same candidates as the pandas path (``pricing.cells``), and the small
sums that come back (``tokenomics.sums``) go through the same core as every other comparison
(``run``): the statistics stay in one place.
"""

from collections.abc import Sequence
from pathlib import Path

from tokenomics.errors import InputError

MAPPINGS = ("tokenomics", "langfuse", "litellm", "otel")
"""What a ClickHouse table holds (``engine.mappings``); here so the CLI lists them without loading Ibis."""

ENGINE_BYTES = 64 * 2**20
"""Under ``auto``, measurement files larger than this together (or any Parquet file) are priced in
DuckDB; smaller CSV and JSON Lines files in pandas."""
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def wants_engine(paths: Sequence[str | Path] | None, choice: str = "auto") -> bool:
    """Whether measurement files go to the SQL engine (``duckdb``) or the pandas path (``pandas``);
    ``auto`` decides by format and size. A measurement store is read by the pandas path only."""
    if choice == "pandas" or not paths:
        return False
    files = [Path(p) for p in paths]
    stores = [f for f in files if f.suffix.lower() in STORE_SUFFIXES]
    if choice == "duckdb":
        if stores:
            raise InputError(
                "the DuckDB engine reads files, not stores", file=str(stores[0]), expected="--engine pandas"
            )
        return True
    if stores:
        return False
    if any(f.suffix.lower() == ".parquet" for f in files):
        return True
    return sum(f.stat().st_size for f in files if f.is_file()) > ENGINE_BYTES
