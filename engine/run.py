"""A comparison computed where the rows are: check, price, sum in the engine; summarise in the core.

``price_parts`` then ``summarised`` is the pandas path's ``pricing.comparison.compare_measurements``
for rows an engine holds: the same checks (``engine.validate``), the same prices (``pricing.cells``), the
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
from engine.parse import (
    CANONICAL_TYPES,
    Layout,
    attempt_bit,
    canonical,
    fails_any,
    padded_columns,
    parsed,
    stored_in_order,
)
from engine.relations import attach, coordinates, data_note, fine_sums, pair_sums, price_groups, task_sums
from engine.validate import (
    Checked,
    Where,
    explained,
    first_checks,
    last_checks,
    may_repeat,
    references_of,
    repeat_sums,
)
from inputs.limits import Limits, current
from pricing.book import PriceSources
from pricing.cells import compile_cells
from pricing.comparison import Comparison, Priced, summarise_priced
from pricing.custom import CustomPrice
from pricing.overrides import USE_KEYS, prices_in_use_of
from tokenomics.compare import CompareOptions, plausibility_of
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
    text: Callable[[], Part] | None = None
    """The same source read as text (``engine.files.open_file``'s ``typed``): read again when a
    check fails, or the typed read refuses a value, for the pandas reader's message."""


def _silent(step: str, done: float) -> None:
    return None


def _unpadded(backend: Backend, part: Part) -> Part:
    """``part`` with its typed text columns that need no stripping marked (``Layout.unpadded``)."""
    test = padded_columns(part.raw, part.layout)
    if test is None:
        return part
    flags = explained(part.where, lambda: backend.execute(test))
    clean = frozenset(str(c) for c, padded in zip(flags["column"], flags["padded"], strict=True) if not padded)
    return replace(part, layout=replace(part.layout, unpadded=clean))


@dataclass(frozen=True)
class Prepared:
    """A source's parsed rows (text stored once, in file order) and their model references."""

    part: Part
    parsed: ir.Table
    references: list[tuple[str, str]]


def _parsed(backend: Backend, part: Part, i: int) -> tuple[Part, ir.Table]:
    part = _unpadded(backend, part)
    rows = parsed(part.raw, part.layout)
    if part.layout.row_offset is not None:
        # Text is parsed once, and numbered in file order (a sequential step): later queries
        # read the parsed rows instead of parsing the file again.
        stored = explained(part.where, partial(backend.materialize, f"tk_parsed_{i}", rows))
        rows = stored_in_order(stored, part.layout)
    return part, rows


def _prepared(backend: Backend, part: Part, i: int) -> Prepared:
    """``part`` parsed, with its references (a typed read it refuses is read again as text).

    The checks ride on the pricing scan (a flag per row, ``_rows``); ``_check`` names the failing
    check and row only when some row fails one.
    """

    def read(source: Part) -> Prepared:
        source, rows = _parsed(backend, source, i)
        return Prepared(source, rows, references_of(backend, rows, source.layout, source.where))

    try:
        return read(part)
    except Exception:
        if part.text is None:
            raise
        return read(part.text())


def _check(backend: Backend, one: Prepared, i: int, limits: Limits, *, failed: bool, repeats: bool) -> None:
    """Raise the reader's error for ``one``: ``failed``, some row fails a check (``validate.first_checks``
    says which, and where); ``repeats``, an attempt may repeat. A typed read's failure is reported as
    the text path reports it (a number quoted as the file writes it)."""
    part = one.part
    try:
        if failed:
            checked = first_checks(backend, part.raw, one.parsed, part.layout, limits, part.where)
        else:
            checked = Checked(part.raw, one.parsed, part.layout, part.where, one.references, None)
        last_checks(backend, checked, repeats=repeats)
    except Exception:
        if part.text is None:
            raise
        text, rows = _parsed(backend, part.text(), i)
        last_checks(backend, first_checks(backend, text.raw, rows, text.layout, limits, text.where))
        raise


def _earlier_errors(backend: Backend, prepared: Sequence[Prepared], limits: Limits) -> None:
    """Raise the first error of sources read before one that failed: the reader reads sources in
    order, so a bad row of an earlier one is its first error."""
    for i, one in enumerate(prepared):
        _check(backend, one, i, limits, failed=True, repeats=True)


def _rows(prepared: Sequence[Prepared], limits: Limits) -> ir.Table:
    """The canonical rows of every source, with whether each fails a check (``_bad``) and, for one
    source, its attempt bits (``_bit``).

    One source's attempts are tested for repeats on the sums' attempt bits, not by grouping every
    attempt (a tenth of a large log's time); several sources, each apart, by the exact test.
    """
    each = []
    for one in prepared:
        extra: dict[str, ir.Value] = {"_bad": fails_any(one.parsed, one.part.layout, limits)}
        bit = attempt_bit(one.parsed, one.part.layout) if len(prepared) == 1 else None
        if bit is not None:
            extra["_bit"] = bit
        each.append(canonical(one.parsed, one.part.layout, extra))
    return ibis.union(*each) if len(each) > 1 else each[0]


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


def _fine(
    backend: Backend,
    rows: ir.Table,
    bands: ir.Table,
    epoch_day: tuple[int, int | None],
    name: str,
    layouts: Sequence[Layout],
    *,
    checks: bool = False,
) -> ir.Table:
    """``relations.fine_sums`` of ``rows`` priced at ``epoch_day`` (today, as of), stored as ``name``.

    ``checks``: also whether a group has a row that fails a check (``_bad``, from the rows' flag) and,
    from rows with an attempt bit (``_bit``), ``validate.repeat_sums``.
    """
    today_day, as_of_day = epoch_day
    placed = coordinates(rows, backend.epoch_us, today_day=today_day, as_of_day=as_of_day)
    absent = frozenset(c for c in CANONICAL_TYPES if not any(lay.has(c) for lay in layouts))
    single = all(lay.shape != "aggregated" for lay in layouts)
    attached = attach(placed, bands, range_join=backend.range_join)
    extra: dict[str, ir.Value] = {}
    if checks:
        extra["_bad"] = attached._bad.any()
    if checks and "_bit" in rows.columns:
        extra.update(repeat_sums(attached))
    return backend.materialize(name, fine_sums(attached, absent, one_attempt_per_row=single, extra=extra))


def _sums(backend: Backend, fine: ir.Table, bands: ir.Table) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-(dataset, label, model, provider, price, basis) and per-(dataset, label, task) sums."""
    groups = price_groups(fine, bands)
    return backend.execute(pair_sums(groups)), backend.execute(task_sums(groups))


def _labels(backend: Backend, rows: ir.Table, layouts: Sequence[Layout]) -> pd.DataFrame:
    """Per (dataset, label): ``data_note``, ``editor_model`` (``tokenomics.sums.Sums.labels``).

    Read only when some source has the columns they come from; otherwise every note is empty.
    """
    if not any("token_note" in lay.kinds or "editor_model" in lay.kinds for lay in layouts):
        return pd.DataFrame(columns=["dataset", "label", "data_note", "editor_model"])
    note = data_note(rows)
    editor = rows.editor_model
    return backend.execute(
        rows.group_by(["dataset", "label"]).aggregate(
            data_note=note.max(), editor_model=editor.argmin(rows._row, where=editor.notnull())
        )
    )


def _reference(provider: str, model: str) -> str:
    return model if not provider else f"{provider}/{model}"


def _datasets(pairs: pd.DataFrame) -> list[str | None]:
    """The datasets in the order the rows first name them (``pricing.comparison.split_datasets``)."""
    firsts = pairs.groupby("dataset", dropna=False, sort=False)["first_row"].min().sort_values(kind="stable")
    return [None if not isinstance(name, str) else name for name in firsts.index]


def _part(frame: pd.DataFrame, dataset: str | None) -> pd.DataFrame:
    same = frame["dataset"].isna() if dataset is None else frame["dataset"] == dataset
    return frame[same.to_numpy()].drop(columns="dataset")


def price_parts(
    backend: Backend,
    parts: Sequence[Part],
    sources: PriceSources,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    progress: Progress = _silent,
) -> list[tuple[str, Priced]]:
    """Check, price and sum the rows of ``parts`` in ``backend``: one ``Priced`` per dataset, in the
    order the rows first name them (datasets are never pooled)."""
    limits = current()
    today = today or datetime.now(tz=UTC).date()
    prepared: list[Prepared] = []
    for i, part in enumerate(parts):
        progress(f"reading and checking {part.where.name}", i / (len(parts) + 2))
        try:
            prepared.append(_prepared(backend, part, i))
        except Exception:
            _earlier_errors(backend, prepared, limits)
            raise
    progress("pricing every row", len(parts) / (len(parts) + 2))
    cells = compile_cells(sorted({ref for one in prepared for ref in one.references}), sources, custom)
    bands = backend.relation("tk_price_bands", cells.bands)
    rows = _rows(prepared, limits)
    today_day = (today - EPOCH).days
    as_of_day = (as_of - EPOCH).days if as_of is not None else None
    layouts = [one.part.layout for one in prepared]
    fine = _fine(backend, rows, bands, (today_day, as_of_day), "tk_fine", layouts, checks=True)
    failed = bool(backend.execute(fine.aggregate(bad=fine._bad.any()))["bad"].iloc[0])
    repeats = "_bit" not in rows.columns or may_repeat(backend, fine)
    for i, one in enumerate(prepared):
        _check(backend, one, i, limits, failed=failed, repeats=repeats)
    pairs, tasks = _sums(backend, fine, bands)
    labels = _labels(backend, rows, layouts)
    own = None
    if as_of is not None:
        own = _sums(backend, _fine(backend, rows, bands, (today_day, None), "tk_fine_own", layouts), bands)
    progress("summing per model and task", (len(parts) + 1) / (len(parts) + 2))
    out = []
    for dataset in _datasets(pairs):
        sums = _dataset_sums(pairs, tasks, labels, dataset)
        # Plausibility is a property of the data, checked where it can be: at each run's own date.
        own_failed = plausibility_of(_dataset_sums(*own, labels, dataset)) if own is not None else None
        in_use = prices_in_use_of(_uses(sums.pairs, cells.ids), cells.table)
        used = {_reference(str(p), str(m)) for p, m in zip(sums.pairs["provider"], sums.pairs["model"], strict=True)}
        unpriced = {ref: why for ref, why in cells.unpriced.items() if ref in used}
        for price_id in set(sums.pairs["price_id"]) & set(cells.retired):
            reference, why = cells.retired[int(price_id)]
            unpriced[reference] = why
        notes = {ref: note for ref, note in cells.notes.items() if ref in used}
        priced = Priced(sums, cells.table, unpriced, in_use, notes, as_of, own_failed)
        out.append((dataset or "", priced))
    progress("done", 1.0)
    return out


def summarised(
    priced: Sequence[tuple[str, Priced]], options: CompareOptions | None = None
) -> list[tuple[str, Comparison]]:
    """Each dataset's priced sums summarised in the core under ``options``."""
    return [(name, summarise_priced(one, options)) for name, one in priced]


def _dataset_sums(pairs: pd.DataFrame, tasks: pd.DataFrame, labels: pd.DataFrame, dataset: str | None) -> Sums:
    """One dataset's sums, as ``tokenomics.sums.measure`` gives them for its rows alone."""
    own_pairs, own_tasks = _part(pairs, dataset), _part(tasks, dataset)
    order = own_pairs.groupby("label", sort=False)["first_row"].min()
    by_label = pd.DataFrame(index=order.index.astype(object))
    by_label["data_note"] = ""
    by_label["dataset"] = dataset
    by_label["editor_model"] = None
    if not labels.empty:
        mine = _part(labels, dataset).set_index("label")
        by_label["data_note"] = mine["data_note"].reindex(by_label.index).fillna("")
        by_label["editor_model"] = mine["editor_model"].reindex(by_label.index).astype(object)
    by_label["editor_model"] = by_label["editor_model"].astype(object).where(by_label["editor_model"].notna(), None)
    return Sums(own_pairs, own_tasks, by_label, TOKEN_COLUMNS, has_latency=True).ordered()


def _file_part(backend: DuckDBBackend, path: str | Path, index: int, *, typed: bool = True) -> Part:
    f = open_file(backend, path, index, typed=typed)
    where = Where(f.name, f.line, f.line_word, json_values=f.fmt == "jsonl", explain=f.explain, empty=f.empty)
    text = partial(_file_part, backend, path, index, typed=False) if f.typed else None
    return Part(backend.table(f.view), f.layout, where, f.notes, text)


def price_files(
    paths: Sequence[str | Path],
    sources: PriceSources,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    progress: Progress = _silent,
    memory_limit: str | None = None,
) -> tuple[list[tuple[str, Priced]], list[str]]:
    """Measurement files (CSV, JSON Lines, Parquet) priced and summed in embedded DuckDB: one
    ``Priced`` per dataset, and the notes on the files (ignored columns), like ``read_measurements``."""
    backend = DuckDBBackend(memory_limit=memory_limit or os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY)
    try:
        parts: list[Part] = []
        for i, path in enumerate(paths):
            try:
                parts.append(_file_part(backend, path, i))
            except InputError:
                # A file that cannot be opened comes after the rows of the files before it.
                _earlier_errors(backend, [_prepared(backend, part, j) for j, part in enumerate(parts)], current())
                raise
        notes = [note for part in parts for note in part.notes]
        priced = price_parts(backend, parts, sources, custom, as_of=as_of, today=today, progress=progress)
        return priced, notes
    finally:
        backend.close()


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
) -> tuple[list[tuple[str, Comparison]], list[str]]:
    """``price_files``, each dataset summarised under ``options``; and the notes on the files."""
    priced, notes = price_files(
        paths, sources, custom, as_of=as_of, today=today, progress=progress, memory_limit=memory_limit
    )
    return summarised(priced, options), notes


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


def price_clickhouse(
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
    progress: Progress = _silent,
    client: httpx.Client | None = None,
) -> list[tuple[str, Priced]]:
    """A table on a ClickHouse server, priced and summed on the server: one ``Priced`` per dataset."""
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
    return price_parts(backend, [part], sources, custom, as_of=as_of, today=today, progress=progress)
