"""Large measurement files by path, and ClickHouse tables, for the Compare page (local use only).

An upload goes through the browser and its size limit; a file on the machine running the
dashboard, or a table on a ClickHouse server, is read where it is: by the pandas path when it is
small, by the SQL engine otherwise (``engine.wants_engine``). Only the small sums are cached
(``pricing.comparison.Priced``), keyed by the file's name, size and modification time (or the
table) and the prices; the page then summarises them under its options (``ui.data.summarised``).

On a shared server (``ui.server_mode``) neither is offered, and both refuse: a server path or a
server's own database credentials must not be reachable from the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import streamlit as st

from engine import wants_engine
from measurements.load import read_measurements
from pricing.book import PriceSources
from pricing.comparison import Priced, price_measurements, split_datasets
from pricing.custom import CustomPrice
from tokenomics.errors import InputError
from ui.data import custom_sheets, price_sources, sources_key, today
from ui.server_mode import server_mode

Progress = Callable[[str, float], None]
FILE_ENTRIES = 8
TABLE_ENTRIES = 4
"""Cache bounds: each entry holds sums per dataset (models x prices, models x tasks), not rows."""


def _local_only() -> None:
    if server_mode().shared:
        raise InputError(
            "files by path and ClickHouse tables are for local use",
            expected="an upload on this shared server (TOKENOMICS_SHARED is set)",
        )


def _custom_json(custom: list[CustomPrice]) -> tuple[str, ...]:
    return tuple(c.model_dump_json() for c in custom)


@st.cache_data(show_spinner=False, max_entries=FILE_ENTRIES)
def _file(
    path: str,
    size: int,
    modified: float,
    custom_json: tuple[str, ...],
    as_of: date | None,
    sources_id: str,
    _sources: PriceSources,
    _progress: Progress,
) -> tuple[list[tuple[str, Priced]], list[str]]:
    custom = [CustomPrice.model_validate_json(c) for c in custom_json]
    if wants_engine([path]):
        from engine.run import price_files  # DuckDB and Ibis load only when a large file is opened

        return price_files([path], _sources, custom, as_of=as_of, today=today(), progress=_progress)
    measured = read_measurements(path)
    priced = [
        (name, price_measurements(part, _sources, custom, as_of=as_of, today=today())[0])
        for name, part in split_datasets(measured.frame)
    ]
    return priced, measured.notes


def open_file(text: str, as_of: date | None, progress: Progress) -> tuple[list[tuple[str, Priced]], list[str], str]:
    """The file at ``text`` priced and summed per dataset, its notes, and the cache key of the result."""
    _local_only()
    path = Path(text.strip()).expanduser()
    if not path.is_file():
        raise InputError("no such file", file=str(path), expected="the path of a CSV, JSONL or Parquet file")
    stat = path.stat()
    custom = _custom_json(custom_sheets())
    key = "|".join(map(str, (path.resolve(), stat.st_size, stat.st_mtime, custom, as_of, sources_key())))
    priced, notes = _file(
        str(path.resolve()), stat.st_size, stat.st_mtime, custom, as_of, sources_key(), price_sources(), progress
    )
    return priced, notes, hashlib.sha1(key.encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=TABLE_ENTRIES)
def _table(
    source: str,
    table: str,
    mapping: str,
    task_field: str | None,
    success_field: str | None,
    custom_json: tuple[str, ...],
    as_of: date | None,
    sources_id: str,
    _sources: PriceSources,
    _progress: Progress,
) -> list[tuple[str, Priced]]:
    from engine.mappings import MappingOptions
    from engine.run import price_clickhouse

    custom = [CustomPrice.model_validate_json(c) for c in custom_json]
    options = MappingOptions(task_field=task_field or None, success_field=success_field or None)
    return price_clickhouse(
        source,
        table,
        _sources,
        custom,
        mapping=mapping,
        mapping_options=options,
        as_of=as_of,
        today=today(),
        progress=_progress,
    )


def open_table(
    source: str,
    table: str,
    mapping: str,
    task_field: str,
    success_field: str,
    as_of: date | None,
    progress: Progress,
) -> tuple[list[tuple[str, Priced]], str]:
    """A ClickHouse table priced and summed on the server, per dataset, and the cache key of the result."""
    _local_only()
    custom = _custom_json(custom_sheets())
    key = "|".join(map(str, (source, table, mapping, task_field, success_field, custom, as_of, sources_key())))
    priced = _table(
        source, table, mapping, task_field, success_field, custom, as_of, sources_key(), price_sources(), progress
    )
    return priced, hashlib.sha1(key.encode()).hexdigest()
