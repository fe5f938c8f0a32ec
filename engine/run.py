"""A comparison computed where the rows are: check, price, sum in the engine; summarise in the core.

``compare_parts`` is the pandas path's ``pricing.comparison.compare_measurements`` for rows an
engine holds: the same checks (``engine.validate``), the same prices (``pricing.cells``), the
same sums (``engine.relations``), then the same summary, scenario base and prices in use from
the core (``tokenomics.compare.summarise_sums``). Only the small sums leave the engine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import httpx
import ibis
import ibis.expr.types as ir
import pandas as pd

from engine.backends import Backend, ClickHouseDialect, DuckDBBackend
from engine.clickhouse import HttpRunner, check_name, describe, parse_source
from engine.files import open_file
from engine.mappings import MAPPERS, MappingOptions, results_frame
from engine.parse import Layout, canonical, parsed
from engine.relations import attach, coordinates, fine_sums, pair_sums, price_groups, task_sums
from engine.validate import Where, check, explained
from inputs.limits import current
from pricing.book import PriceSources
from pricing.cells import compile_cells
from pricing.comparison import Comparison
from pricing.custom import CustomPrice
from pricing.overrides import USE_KEYS, prices_in_use_of
from tokenomics.compare import CompareOptions, summarise_sums
from tokenomics.errors import InputError, clip
from tokenomics.sums import Sums
from tokenomics.units import TOKEN_COLUMNS

EPOCH = date(1970, 1, 1)
MEMORY_ENV = "TOKENOMICS_ENGINE_MEMORY"
DEFAULT_MEMORY = "1GB"
"""DuckDB's own memory before it spills to a temporary folder (the process needs some more)."""
Progress = Callable[[str, float], None]
"""Called with what is being done and the share of the work done (0-1)."""


@dataclass(frozen=True)
class Part:
    """One source of rows (a file, a table) with how its columns are stored and how messages name it."""

    raw: ir.Table
    layout: Layout
    where: Where
    notes: tuple[str, ...] = ()


def _silent(step: str, done: float) -> None:
    return None


def _uses(pairs: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    keys = ["label", "provider", "model", "price_id"]
    uses = pairs.groupby(keys, sort=False, dropna=False).agg(
        first_row=("first_row", "min"), last_row=("last_row", "max")
    )
    uses = uses.reset_index().merge(
        ids.rename(columns={"provider_ref": "provider", "model_ref": "model"}), on=["provider", "model"], how="left"
    )
    uses[["provider_id", "model_id"]] = uses[["provider_id", "model_id"]].fillna("")
    return uses[[*USE_KEYS, "first_row", "last_row"]]


def compare_parts(
    backend: Backend,
    parts: Sequence[Part],
    sources: PriceSources,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    options: CompareOptions | None = None,
    progress: Progress = _silent,
) -> Comparison:
    """Check, price and sum the rows of ``parts`` in ``backend``; summarise them in the core."""
    limits = current()
    today = today or datetime.now(tz=UTC).date()
    references: set[tuple[str, str]] = set()
    each = []
    for i, part in enumerate(parts):
        progress(f"reading and checking {part.where.name}", i / (len(parts) + 2))
        rows = parsed(part.raw, part.layout)
        if part.layout.row_offset is not None:
            # Text is parsed once, and numbered in file order (a sequential step): later queries
            # read the parsed rows instead of parsing the file again.
            rows = explained(part.where, partial(backend.materialize, f"tk_parsed_{i}", rows))
        references.update(check(backend, part.raw, rows, part.layout, limits, part.where))
        each.append(canonical(rows, part.layout))
    progress("pricing every row", len(parts) / (len(parts) + 2))
    cells = compile_cells(sorted(references), sources, custom)
    bands = backend.relation("tk_price_bands", cells.bands)
    rows = ibis.union(*each) if len(each) > 1 else each[0]
    as_of_day = (as_of - EPOCH).days if as_of is not None else None
    placed = coordinates(rows, backend.epoch_us, today_day=(today - EPOCH).days, as_of_day=as_of_day)
    fine = backend.materialize("tk_fine", fine_sums(attach(placed, bands)))
    progress("summing per model and task", (len(parts) + 1) / (len(parts) + 2))
    groups = price_groups(fine, bands)
    pairs = backend.execute(pair_sums(groups))
    tasks = backend.execute(task_sums(groups))
    sums = Sums(pairs, tasks, TOKEN_COLUMNS, has_latency=True).ordered()
    if as_of is not None:
        # Runs priced at a what-if date are expected to differ from what they cost on their own date.
        options = replace(options or CompareOptions(), check_repricing=False)
    summary = summarise_sums(sums, cells.table, options)
    in_use = prices_in_use_of(_uses(sums.pairs, cells.ids), cells.table)
    progress("done", 1.0)
    return Comparison(summary, None, cells.table, cells.unpriced, in_use, cells.notes, sums)


def compare_files(
    paths: Sequence[str | Path],
    sources: PriceSources,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    options: CompareOptions | None = None,
    progress: Progress = _silent,
    memory_limit: str | None = None,
) -> tuple[Comparison, list[str]]:
    """A comparison of measurement files (CSV, JSON Lines, Parquet) priced in embedded DuckDB.

    Returns the comparison and the notes on the files (ignored columns), like ``read_measurements``.
    """
    backend = DuckDBBackend(memory_limit=memory_limit or os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY)
    try:
        files = [open_file(backend, path, i) for i, path in enumerate(paths)]
        parts = [
            Part(
                backend.table(f.view),
                f.layout,
                Where(f.name, f.line, f.line_word, json_values=f.fmt == "jsonl", explain=f.explain, empty=f.empty),
                f.notes,
            )
            for f in files
        ]
        notes = [note for part in parts for note in part.notes]
        comparison = compare_parts(
            backend, parts, sources, custom, as_of=as_of, today=today, options=options, progress=progress
        )
        return comparison, notes
    finally:
        backend.close()


def table_part(
    backend: ClickHouseDialect,
    table: str,
    mapping: str,
    options: MappingOptions,
    *,
    database: str | None = None,
    results: Mapping[str, bool] | None = None,
    name: str | None = None,
) -> Part:
    """A ClickHouse table (on a server or in chDB) read through one of ``engine.mappings``."""
    schema = describe(backend, database, table)
    source = ibis.table(schema, name=table, database=database)
    relation = backend.relation("tk_results", pd.DataFrame(results_frame(results))) if results is not None else None
    try:
        raw, layout = MAPPERS[mapping](source, options, relation)
    except (AttributeError, ibis.common.exceptions.IbisTypeError) as exc:
        raise InputError(
            f"the table does not have the columns of the {mapping!r} mapping ({clip(str(exc), 120)})",
            file=name or table,
            expected="the table the mapping describes (docs/engine.md)",
        ) from None
    return Part(raw, layout, Where(name or table, lambda row: None, "row"))


def compare_clickhouse(
    source: str,
    table: str,
    sources: PriceSources,
    custom: Sequence[CustomPrice] = (),
    *,
    mapping: str = "tokenomics",
    mapping_options: MappingOptions | None = None,
    results: Mapping[str, bool] | None = None,
    as_of: date | None = None,
    today: date | None = None,
    options: CompareOptions | None = None,
    progress: Progress = _silent,
    client: httpx.Client | None = None,
) -> Comparison:
    """A comparison of a table on a ClickHouse server, priced and summed on the server."""
    address = parse_source(source)
    backend = ClickHouseDialect(HttpRunner(address, client))
    part = table_part(
        backend,
        check_name(table),
        mapping,
        mapping_options or MappingOptions(),
        database=address.database,
        results=results,
        name=f"{address}.{table}",
    )
    return compare_parts(backend, [part], sources, custom, as_of=as_of, today=today, options=options, progress=progress)
