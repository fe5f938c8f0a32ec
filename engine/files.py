"""Measurement files (CSV, JSON Lines, Parquet) as DuckDB views, read out of core.

Each file becomes a view with the measurement columns it has (unknown ones are left out, and
reported as ``measurements.load`` reports them), each with its storage kind (``engine.parse``),
and ``_row``, the record's position in the input. Nothing is loaded until a query runs: DuckDB
streams the file. CSV and JSON Lines columns are read as text and parsed by the same rules as
the pandas reader; Parquet columns keep their types.

Positions become the line (CSV, JSON Lines) or row (Parquet) an error message names only when a
check fails, by reading the file up to that record.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from engine.backends import DuckDBBackend
from engine.parse import Layout
from inputs import safe_csv
from inputs.safe_json import MAX_LINE_BYTES
from measurements.load import AGGREGATED_SHAPE, PER_ATTEMPT_SHAPE
from measurements.schema import AGGREGATED, AGGREGATED_REQUIRED, PER_ATTEMPT, PER_ATTEMPT_REQUIRED, Column
from tokenomics.errors import InputError

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet"}
FILE_BITS = 40
"""``_row`` = file number x 2**40 + record number: rows of later files come after earlier ones."""


@dataclass(frozen=True)
class FileSource:
    path: Path
    name: str
    """As messages name the file."""
    fmt: str
    view: str
    """The DuckDB view over the file (with ``_row`` for Parquet; CSV and JSON Lines rows are numbered
    once parsed, see ``Layout.row_offset``)."""
    layout: Layout
    notes: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """CSV: placeholder names of Excel's trailing unnamed columns (each must be empty)."""
    width: int = 0
    """CSV: the number of named columns in the header."""
    typed: bool = False
    """CSV: DuckDB's reader parses the number columns (``open_file``)."""

    def line(self, row: int) -> int:
        """The line (CSV, JSON Lines) or row (Parquet) of record ``row`` (from 0), as an editor shows it."""
        record = row & ((1 << FILE_BITS) - 1)
        if self.fmt == "parquet":
            return record + 1
        if self.fmt == "jsonl":
            return _jsonl_line(self.path, record)
        return _csv_line(self.path, record)

    @property
    def line_word(self) -> str:
        return "row" if self.fmt == "parquet" else "line"

    @property
    def empty(self) -> tuple[str, str]:
        if self.fmt == "csv":
            return "a header but no data rows", "at least one row under the header"
        return "no data rows", "at least one row"

    def explain(self, exc: Exception) -> InputError | None:
        """The pandas reader's message for a file DuckDB's reader refused (None: not a file problem)."""
        text = str(exc)
        if "unicode" in text.lower() or "utf-8" in text.lower():
            return utf8_error(self.path, self.name)
        if self.fmt == "csv" and "CSV Error" in text:
            ragged = first_ragged(self.path, self.width, len(self.dropped), self.name)
            if ragged is not None:
                line, fields, width = ragged
                return InputError(
                    f"malformed CSV: {fields} fields where the header has {width}",
                    file=self.name,
                    line=line,
                    expected="the same number of fields on every line",
                )
            return InputError(f"malformed CSV ({_short(exc)})", file=self.name)
        if self.fmt == "jsonl" and ("JSON" in text or "json" in text):
            return InputError(f"malformed JSON Lines ({_short(exc)})", file=self.name)
        return None


def file_format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def utf8_error(path: Path, name: str) -> InputError | None:
    """The pandas reader's error for the first byte that is not UTF-8, read a block at a time."""
    offset = newlines = 0
    pending = b""
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            data = pending + block
            try:
                data.decode("utf-8")
                pending = b""
            except UnicodeDecodeError as exc:
                cut_short = exc.reason == "unexpected end of data" and block
                if not cut_short:
                    at = offset + exc.start
                    return InputError(
                        f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {at})",
                        file=name,
                        line=newlines + data[: exc.start].count(b"\n") + 1,
                        expected="a UTF-8 file (save it as 'CSV UTF-8')",
                    )
                pending = data[exc.start :]
                data = data[: exc.start]
            offset += len(data)
            newlines += data.count(b"\n")
            if not block:
                return None


def first_ragged(path: Path, width: int, dropped: int, name: str) -> tuple[int, int, int] | None:
    """(line, fields, header fields) of the first CSV record whose field count differs from the header's.

    ``measurements.load.CsvLines.first_ragged``, reading the file as a stream.
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        last = 0
        header = False
        try:
            for record in reader:
                start, last = last + 1, reader.line_num
                if not any(field.strip() for field in record):
                    continue
                if not header:
                    header = True
                elif len(safe_csv.trim(record, width, dropped)) != width:
                    return start, len(record), width
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", file=name, line=last + 1) from None
    return None


def _shape(columns: list[str], name: str) -> str:
    """Per-attempt or aggregated, with the pandas reader's message when a required column is missing."""
    present = set(columns)
    if {"attempts", "successes"} & present:
        shape, required = AGGREGATED_SHAPE, AGGREGATED_REQUIRED
    else:
        shape, required = PER_ATTEMPT_SHAPE, PER_ATTEMPT_REQUIRED
    missing = [c for c in required if c not in present]
    if missing:
        raise InputError(
            f"missing required column '{missing[0]}'",
            file=name,
            column=missing[0],
            expected=f"per-attempt columns {', '.join(PER_ATTEMPT_REQUIRED)} "
            f"or aggregated columns {', '.join(AGGREGATED_REQUIRED)}",
        )
    return shape


def _spec(shape: str) -> tuple[Column, ...]:
    return AGGREGATED if shape == AGGREGATED_SHAPE else PER_ATTEMPT


def _known(shape: str) -> set[str]:
    return {c.name for c in _spec(shape)}


def _notes(columns: list[str], shape: str, name: str) -> tuple[str, ...]:
    unknown = sorted(set(columns) - _known(shape))
    return (f"{name}: ignored unknown column(s): {', '.join(unknown)}",) if unknown else ()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(path: Path, name: str) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(MAX_LINE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=name) from None
    if not head.strip():
        raise InputError("the file is empty", file=name, expected="a header line and at least one row")
    first = head.split(b"\n", 1)[0]
    if len(first) > MAX_LINE_BYTES:
        raise InputError(
            f"a line of more than {MAX_LINE_BYTES:,} characters",
            file=name,
            line=1,
            expected=f"at most {MAX_LINE_BYTES:,} characters per line",
        )
    try:
        return first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{first[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=1,
            expected="a UTF-8 file (save it as 'CSV UTF-8')",
        ) from None


def _csv_source(backend: DuckDBBackend, path: Path, name: str, index: int, typed: bool) -> FileSource:
    try:
        header, dropped = safe_csv.header(_first_line(path, name), name)
        shape = _shape(header, name)
    except InputError as problem:
        # The pandas reader decodes the whole file before it reads the header.
        raise (utf8_error(path, name) or problem) from None
    placeholders = [f"_unnamed_{i}" for i in range(dropped)]
    known = _known(shape)
    kept = [c for c in header if c in known]
    numbers = {c.name for c in _spec(shape) if c.kind in ("count", "integer")} & set(kept) if typed else set()
    columns = ", ".join(f"{_literal(c)}: '{'DOUBLE' if c in numbers else 'VARCHAR'}'" for c in [*header, *placeholders])
    select = ", ".join(f"{_quote(c)}" for c in [*kept, *placeholders])
    # null_padding: a short line's missing fields are missing values, as pandas reads them.
    source = (
        f"read_csv({_literal(str(path))}, header = true, columns = {{{columns}}}, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', max_line_size = {MAX_LINE_BYTES}, encoding = 'utf-8', "
        "null_padding = true)"
    )
    first, rest = _quote(header[0]), [_quote(c) for c in [*header[1:], *placeholders]]
    # A line of blanks is skipped by pandas; DuckDB reads it as a record with one blank field.
    # Kept: any other field, else a first field that is not blank (trimmed only on such rare rows).
    # A number is never blank: blanks in a number column stop the typed read.
    blank_first = f"coalesce(trim({first}) <> '', TRUE)" if header[0] not in numbers else "TRUE"
    kept_row = " OR ".join([*(f"{c} IS NOT NULL" for c in rest), blank_first])
    view = f"tk_file_{index}"
    # Rows are numbered after they are parsed (engine.parse.parsed): numbering in file order is
    # sequential, and DuckDB parses in parallel only below it.
    backend.sql("SET preserve_insertion_order = true")
    backend.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {select} FROM {source} WHERE {kept_row}")
    kinds = {c: "csv_number" if c in numbers else "csv" for c in kept}
    layout = Layout(kinds, shape, tuple(placeholders), index << FILE_BITS)
    notes = _notes(header, shape, name)
    return FileSource(path, name, "csv", view, layout, notes, tuple(placeholders), len(header), bool(numbers))


def _jsonl_source(backend: DuckDBBackend, path: Path, name: str, index: int) -> FileSource:
    _first_line(path, name)
    source = (
        f"read_json_objects({_literal(str(path))}, format = 'newline_delimited', "
        f"maximum_object_size = {MAX_LINE_BYTES})"
    )
    base = f"tk_json_{index}"
    backend.sql("SET preserve_insertion_order = true")
    backend.sql(f"CREATE OR REPLACE TEMP VIEW {base} AS SELECT json FROM {source}")
    numbered = f"(SELECT json, row_number() OVER () - 1 AS _row FROM {base})"
    twice = "len(json_keys(json)) <> len(list_distinct(json_keys(json)))"
    try:
        keys = backend.con.sql(
            f"SELECT DISTINCT unnest(json_keys(json)) AS k FROM {base} WHERE json_type(json) = 'OBJECT'"
        ).to_pyarrow()
        flags = backend.con.sql(
            f"SELECT bool_or(json_type(json) <> 'OBJECT') AS not_object, bool_or({twice}) AS twice FROM {base}"
        ).to_pyarrow()
    except Exception as exc:  # DuckDB's parser: a line that is not JSON
        raise InputError(f"malformed JSON Lines ({_short(exc)})", file=name) from None
    columns = sorted(str(k) for k in keys.column("k").to_pylist())
    if flags.column("not_object")[0].as_py():
        found = backend.con.sql(
            f"SELECT _row, CAST(json AS VARCHAR) AS j FROM {numbered} WHERE json_type(json) <> 'OBJECT' "
            "ORDER BY _row LIMIT 1"
        ).to_pyarrow()
        raise InputError(
            "not a JSON object",
            file=name,
            line=_jsonl_line(path, int(found.column("_row")[0].as_py())),
            found=json.loads(found.column("j")[0].as_py()),
            expected="one JSON object per line",
        )
    if flags.column("twice")[0].as_py():
        found = backend.con.sql(
            f"SELECT _row, json_keys(json) AS k FROM {numbered} WHERE {twice} ORDER BY _row LIMIT 1"
        ).to_pyarrow()
        names = found.column("k")[0].as_py()
        key = next(k for i, k in enumerate(names) if k in names[:i])
        raise InputError(
            f"not accepted JSON: the key {key!r} twice in one object",
            file=name,
            line=_jsonl_line(path, int(found.column("_row")[0].as_py())),
            expected="finite numbers, unique keys",
        )
    shape = _shape(columns, name)
    known = [c for c in columns if c in _known(shape)]
    parts = []
    for c in known:
        value = f"json -> {_literal('$.' + _quote(c))}"
        parts.append(
            f"CASE WHEN json_type({value}) = 'VARCHAR' THEN json ->> {_literal('$.' + _quote(c))} "
            f"WHEN json_type({value}) = 'NULL' THEN NULL ELSE CAST({value} AS VARCHAR) END AS {_quote(c)}"
        )
        parts.append(f"json_type({value}) AS {_quote(c + '__json')}")
    view = f"tk_file_{index}"
    backend.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(parts)} FROM {base}")
    layout = Layout(dict.fromkeys(known, "json"), shape, row_offset=index << FILE_BITS)
    return FileSource(path, name, "jsonl", view, layout, _notes(columns, shape, name))


def _kind(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "number"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "string"
    if pa.types.is_dictionary(arrow_type):
        return _kind(arrow_type.value_type)
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_null(arrow_type):
        return "number"
    return "other"


def _parquet_source(backend: DuckDBBackend, path: Path, name: str, index: int) -> FileSource:
    try:
        meta = pq.ParquetFile(path)
        schema = meta.schema_arrow
        rows = meta.metadata.num_rows
    except OSError as exc:
        if not path.exists() or not path.is_file():
            raise InputError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
        raise InputError(f"not a readable Parquet file ({_short(exc)})", file=name) from None
    except pa.ArrowException as exc:
        raise InputError(f"not a readable Parquet file ({_short(exc)})", file=name) from None
    stored = list(schema.names)
    names = [c.strip() for c in stored]
    if dupes := sorted({c for c in names if names.count(c) > 1}):
        raise InputError("duplicate column in the file", file=name, column=dupes[0])
    if rows == 0:
        raise InputError("no data rows", file=name, expected="at least one row")
    shape = _shape(names, name)
    known = _known(shape)
    kinds = {}
    select = []
    for original, clean in zip(stored, names, strict=True):
        if clean not in known:
            continue
        kind = _kind(schema.field(original).type)
        kinds[clean] = kind
        # Unsigned counts would overflow a subtraction; every number is read as a double.
        value = f"CAST({_quote(original)} AS DOUBLE)" if kind in ("integer", "number") else _quote(original)
        if kind == "string" and pa.types.is_dictionary(schema.field(original).type):
            value = f"CAST({_quote(original)} AS VARCHAR)"
        select.append(f"{value} AS {_quote(clean)}")
    source = f"read_parquet({_literal(str(path))}, file_row_number = true)"
    view = f"tk_file_{index}"
    backend.sql(
        f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(select)}, "
        f"file_row_number + {index << FILE_BITS} AS _row FROM {source}"
    )
    return FileSource(path, name, "parquet", view, Layout(kinds, shape), _notes(names, shape, name))


def open_file(backend: DuckDBBackend, path: str | Path, index: int = 0, *, typed: bool = True) -> FileSource:
    """A measurement file as a view in ``backend`` (numbered ``index`` among the files of one comparison).

    ``typed``: DuckDB's CSV reader parses the number columns, with the cast the text path uses (the
    same values), a sixth of a large CSV's time faster. But it stops at the first field that is not
    a number, and a message would quote a number as the reader wrote it back: a file it refuses,
    or whose checks fail, is read again with ``typed=False`` for the pandas reader's message.
    """
    path = Path(path)
    name = str(path)
    fmt = file_format(path)
    if fmt is None:
        raise InputError(
            f"not a format the engine reads ({path.suffix or 'no extension'})",
            file=name,
            expected="a .csv, .jsonl or .parquet file",
        )
    if not path.is_file():
        raise InputError("cannot read the file (No such file or directory)", file=name)
    if fmt == "parquet":
        return _parquet_source(backend, path, name, index)
    if fmt == "jsonl":
        return _jsonl_source(backend, path, name, index)
    return _csv_source(backend, path, name, index, typed)


def _short(exc: BaseException) -> str:
    return str(exc).strip().split("\n", 1)[0][:200]


def _csv_line(path: Path, record: int) -> int:
    """Line (header = 1) where CSV record ``record`` (from 0) starts.

    Blank lines, and lines of blanks, are not records (the view leaves them out as pandas does).
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        last = 0
        seen = -2  # the header is record -1
        for fields in reader:
            start, last = last + 1, reader.line_num
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            seen += 1
            if seen == record:
                return start
    return last


def _jsonl_line(path: Path, record: int) -> int:
    """Line of JSON Lines record ``record`` (from 0; blank lines are not records)."""
    seen = -1
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                seen += 1
                if seen == record:
                    return number
    return seen + 1
