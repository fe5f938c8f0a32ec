"""Read a measurement file into the canonical frame the core prices and compares.

Validation is vectorised (a million-row file is checked in well under a second) and stops at
the first problem with an ``InputError`` naming the file, the line, the column, what was
found and what was expected. Nothing is guessed: a value that is not clearly a number, a
boolean or a time is an error, not a silent NaN.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inputs import safe_csv
from inputs.limits import Limits, current
from inputs.safe_json import json_objects
from inputs.words import FALSE_WORDS, TRUE_WORDS
from measurements.schema import (
    AGGREGATED,
    AGGREGATED_REQUIRED,
    PARTS,
    PER_ATTEMPT,
    PER_ATTEMPT_REQUIRED,
    Column,
)
from tokenomics.errors import InputError
from tokenomics.units import TOKEN_COLUMNS

PER_ATTEMPT_SHAPE = "per-attempt"
AGGREGATED_SHAPE = "aggregated"
TEXT_COLUMNS = ("model", "provider", "label", "dataset", "task_id", "run", "editor_model", "token_note")

CANONICAL = [
    "label",
    "model",
    "provider",
    "dataset",
    "task_id",
    "attempt",
    "run",
    "attempts",
    "successes",
    *TOKEN_COLUMNS,
    "calls",
    "cost_usd",
    "latency_s",
    "editor_model",
    "token_note",
    "timestamp",
    "time_known",
    "line",
]


"""Line number in the file of each data row (positional)."""


@dataclass
class Measurements:
    frame: pd.DataFrame
    shape: str
    source: str
    notes: list[str] = field(default_factory=list)


def read_measurements(path: str | Path) -> Measurements:
    """Read a CSV or JSONL file, or every run of a harness store (``.sqlite``, ``.sqlite3``, ``.db``)."""
    path = Path(path)
    if path.suffix.lower() in (".sqlite", ".sqlite3", ".db"):
        from harness.export import read_store  # the harness is optional for plain files

        return parse_measurements(read_store(path).encode(), str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from None
    return parse_measurements(data, str(path))


def parse_measurements(data: bytes, name: str) -> Measurements:
    """Parse CSV or JSONL bytes (by the name's extension) into validated measurements."""
    text = _decode(data, name)
    if not text.strip():
        raise InputError("the file is empty", file=name, expected="a header line and at least one row")
    if name.lower().endswith((".jsonl", ".ndjson", ".json")):
        raw, lines = _read_jsonl(text, name)
    else:
        raw, lines = _read_csv(text, name)
    return _validate(raw, lines, name)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=line,
            expected="a UTF-8 file (save it as 'CSV UTF-8')",
        ) from None


class CsvLines:
    """Line number (as an editor shows it, header = 1) of each data row, worked out only when an
    error needs one: csv.reader follows quoted newlines and blank lines exactly, but is too slow
    to run on every large file that turns out to be fine."""

    def __init__(self, text: str, name: str = "", dropped: int = 0) -> None:
        self._text = text
        self._name = name
        self._dropped = dropped
        self._lines: list[int] | None = None

    def _records(self):
        reader = csv.reader(io.StringIO(self._text))
        last = 0
        try:
            for record in reader:
                start, last = last + 1, reader.line_num
                if any(field.strip() for field in record):
                    yield start, record
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", file=self._name, line=last + 1) from None

    def __getitem__(self, pos: int) -> int:
        return int(self.all()[pos])

    def all(self) -> np.ndarray:
        if self._lines is None:
            simple = '"' not in self._text and not re.search(r"\n[ \t\r]*\n", self._text)
            if simple:  # one physical line per row: no need to tokenise the file again
                n = self._text.count("\n") + (not self._text.endswith("\n"))
                self._lines = list(range(2, n + 1))
            else:
                self._lines = [start for start, _ in self._records()][1:]
        return np.asarray(self._lines)

    def first_ragged(self) -> tuple[int, int, int] | None:
        """(line, fields, header fields) of the first row whose field count differs from the header's."""
        width = None
        for start, record in self._records():
            if width is None:
                width = len(record) - self._dropped
            elif len(safe_csv.trim(record, width, self._dropped)) != width:
                return start, len(record), width
        return None


# File line of each record: a list for JSON Lines, worked out lazily for CSV.
Lines = Sequence[int] | CsvLines


def _read_csv(text: str, name: str) -> tuple[pd.DataFrame, CsvLines]:
    safe_csv.check_line_lengths(text, name)
    header, dropped = safe_csv.header(text, name)
    lines = CsvLines(text, name, dropped)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=dict.fromkeys(TEXT_COLUMNS, str),
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        if ragged := lines.first_ragged():
            line, fields, width = ragged
            raise InputError(
                f"malformed CSV: {fields} fields where the header has {width}",
                file=name,
                line=line,
                expected="the same number of fields on every line",
            ) from None
        raise InputError(f"malformed CSV: {exc}".rstrip("\n"), file=name) from None
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty", file=name, expected="a header line and at least one row") from None
    if dropped:
        # Excel's empty columns at the right: dropped, unless a row has a value under no name.
        extra = frame.iloc[:, len(header) :].notna().any(axis=1).to_numpy()
        if (pos := _first_bad(extra)) is not None:
            raise InputError(
                "a value in a column with no name",
                file=name,
                line=lines[pos],
                expected="a header name for every column",
            )
        frame = frame.iloc[:, : len(header)]
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError("a header but no data rows", file=name, expected="at least one row under the header")
    return frame, lines


def _read_jsonl(text: str, name: str) -> tuple[pd.DataFrame, Lines]:
    parsed = list(json_objects(text, name))
    lines = [number for number, _ in parsed]
    records = [record for _, record in parsed]
    frame = pd.DataFrame.from_records(records)
    for col in TEXT_COLUMNS:
        if col in frame.columns:
            frame[col] = frame[col].map(lambda v: v if v is None or isinstance(v, str) or v != v else str(v))
    return frame, lines


def _first_bad(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


def _fail(
    message: str, name: str, lines: Lines, pos: int, column: str, raw: pd.Series | None, expected: str
) -> InputError:
    found = None if raw is None else raw.iloc[pos]
    if isinstance(found, np.generic):
        found = found.item()  # show -5, not np.int64(-5)
    return InputError(message, file=name, line=int(lines[pos]), column=column, found=found, expected=expected)


def _numeric(frame: pd.DataFrame, col: Column, name: str, lines: Lines) -> np.ndarray:
    """The column as floats: numbers only, finite, non-negative, whole where counts are meant."""
    raw = frame[col.name]
    if raw.dtype == bool or raw.dtype == object:
        # JSON true/false would otherwise pass as 1/0.
        is_bool = raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        if (pos := _first_bad(is_bool)) is not None:
            raise _fail("true/false where a number belongs", name, lines, pos, col.name, raw, "a non-negative number")
    try:
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    except OverflowError:  # integers past 2^64 read as Python ints: as text they become inf, refused below
        values = pd.to_numeric(raw.astype("string"), errors="coerce").to_numpy(dtype=float)
    present = raw.notna().to_numpy()
    if (pos := _first_bad(present & np.isnan(values))) is not None:
        raise _fail("not a number", name, lines, pos, col.name, raw, "a non-negative number")
    if (pos := _first_bad(present & ~np.isfinite(values))) is not None:
        raise _fail("not a finite number", name, lines, pos, col.name, raw, "a non-negative number")
    if (pos := _first_bad(values < 0)) is not None:
        raise _fail("negative value", name, lines, pos, col.name, raw, "a non-negative number")
    if col.kind == "integer" and (pos := _first_bad(present & (values != np.round(values)))) is not None:
        raise _fail("not a whole number", name, lines, pos, col.name, raw, "a whole number (no fractions)")
    return values


def _bound_per_attempt(
    out: pd.DataFrame, frame: pd.DataFrame, name: str, lines: Lines, limits: Limits, per: np.ndarray
) -> None:
    """Refuse implausible magnitudes: each column's value per attempt against its stated bound."""
    bounds = {
        **dict.fromkeys(TOKEN_COLUMNS, (limits.max_tokens_per_attempt, "tokens", "TOKENS_PER_ATTEMPT")),
        "calls": (limits.max_calls_per_attempt, "calls", "CALLS_PER_ATTEMPT"),
        "cost_usd": (limits.max_cost_per_attempt, "USD", "COST_PER_ATTEMPT"),
        "latency_s": (limits.max_latency_per_attempt, "seconds", "LATENCY_PER_ATTEMPT"),
    }
    for col, (bound, unit, env) in bounds.items():
        if col not in out.columns:
            continue
        over = (out[col].to_numpy(dtype=float) / per) > bound
        if (pos := _first_bad(over)) is not None:
            raise _fail(
                f"more than {bound:g} {unit} per attempt",
                name,
                lines,
                pos,
                col,
                frame[col],
                f"a plausible value (raise the bound with TOKENOMICS_MAX_{env} if it is real)",
            )


def _boolean(raw: pd.Series, name: str, lines: Lines) -> np.ndarray:
    if (pos := _first_bad(raw.isna().to_numpy())) is not None:
        raise _fail("missing value", name, lines, pos, "success", None, "true/false, 1/0, yes/no or pass/fail")
    if raw.dtype == bool:
        return raw.to_numpy()
    words = raw.astype(str).str.strip().str.lower()
    is_true = words.isin(TRUE_WORDS).to_numpy()
    is_false = words.isin(FALSE_WORDS).to_numpy()
    if (pos := _first_bad(~(is_true | is_false))) is not None:
        raise _fail("not a yes/no value", name, lines, pos, "success", raw, "true/false, 1/0, yes/no or pass/fail")
    return is_true


def _times(raw: pd.Series, name: str, lines: Lines, column: str, limits: Limits) -> tuple[pd.Series, np.ndarray]:
    text = raw.astype("string").str.strip()
    parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    present = text.notna().to_numpy()
    if (pos := _first_bad(present & parsed.isna().to_numpy())) is not None:
        raise _fail(
            "not a date or time", name, lines, pos, column, raw, "ISO 8601, e.g. 2025-10-03 or 2025-10-03T14:05:00Z"
        )
    years = parsed.dt.year.to_numpy(dtype=float, na_value=np.nan)
    outside = present & ((years < limits.first_year) | (years > limits.last_year))
    if (pos := _first_bad(outside)) is not None:
        raise _fail("a date outside the plausible range", name, lines, pos, column, raw, limits.date_range)
    has_time = text.str.len().fillna(0).to_numpy() > 10
    return parsed, has_time & present


def _duplicates(out: pd.DataFrame, keys: list[str], name: str, lines: Lines, what: str) -> None:
    """The same attempt (or run) twice is an error naming both lines: it would count twice."""
    present = out[keys].notna().all(axis=1)
    dup = (out[keys].duplicated(keep="first") & present).to_numpy()
    if (pos := _first_bad(dup)) is None:
        return
    same = (out[keys] == out[keys].iloc[pos]).all(axis=1).to_numpy()
    first = _first_bad(same)
    assert first is not None
    values = ", ".join(f"{k} {out[k].iloc[pos]}" for k in keys)
    raise InputError(
        f"the same {what} twice ({values}; first on line {int(lines[first])})",
        file=name,
        line=int(lines[pos]),
        expected=f"each {what} once",
    )


def _validate(frame: pd.DataFrame, lines: Lines, name: str) -> Measurements:
    limits = current()
    columns = set(frame.columns)
    if {"attempts", "successes"} & columns:
        shape, spec, required = AGGREGATED_SHAPE, AGGREGATED, AGGREGATED_REQUIRED
    else:
        shape, spec, required = PER_ATTEMPT_SHAPE, PER_ATTEMPT, PER_ATTEMPT_REQUIRED
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"missing required column '{missing[0]}'",
            file=name,
            column=missing[0],
            expected=f"per-attempt columns {', '.join(PER_ATTEMPT_REQUIRED)} "
            f"or aggregated columns {', '.join(AGGREGATED_REQUIRED)}",
        )
    known = {c.name for c in spec}
    notes = []
    if unknown := sorted(columns - known):
        notes.append(f"{name}: ignored unknown column(s): {', '.join(unknown)}")

    n = len(frame)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    for col in spec:
        if col.name not in columns:
            continue
        if col.kind in ("count", "integer"):
            out[col.name] = _numeric(frame, col, name, lines)
        elif col.kind == "text":
            values = frame[col.name].astype("string").str.strip()
            out[col.name] = values
            if col.name in required and (pos := _first_bad((values.isna() | (values == "")).to_numpy())) is not None:
                raise _fail("empty value", name, lines, pos, col.name, None, f"a {col.name} on every row")

    for parts, whole in PARTS:
        if whole not in out.columns:
            continue
        total = sum((out[p].fillna(0) for p in parts if p in out.columns), start=pd.Series(0.0, index=out.index))
        over = (total > out[whole]).to_numpy() & out[whole].notna().to_numpy()
        if (pos := _first_bad(over)) is not None:
            label = " + ".join(p for p in parts if p in out.columns)
            raise _fail(
                f"{label} exceeds {whole}", name, lines, pos, parts[0], frame[parts[0]], f"parts of {whole}, never more"
            )

    if shape == PER_ATTEMPT_SHAPE:
        _bound_per_attempt(out, frame, name, lines, limits, np.ones(n))
        if "attempt" in out.columns:
            if (pos := _first_bad((out["attempt"] > limits.max_attempts).to_numpy())) is not None:
                raise _fail(
                    f"an attempt number above {limits.max_attempts:g}",
                    name,
                    lines,
                    pos,
                    "attempt",
                    frame["attempt"],
                    "a plausible attempt number",
                )
            _duplicates(
                out, ["label" if "label" in out.columns else "model", "task_id", "attempt"], name, lines, "attempt"
            )
        out["successes"] = _boolean(frame["success"], name, lines).astype(np.int64)
        out["attempts"] = np.int64(1)
        stamp_col = "timestamp"
    else:
        bad = (out["successes"] > out["attempts"]).to_numpy()
        if (pos := _first_bad(bad)) is not None:
            raise _fail(
                "more successes than attempts",
                name,
                lines,
                pos,
                "successes",
                frame["successes"],
                "successes <= attempts",
            )
        if (pos := _first_bad((out["attempts"] < 1).to_numpy())) is not None:
            raise _fail("no attempts", name, lines, pos, "attempts", frame["attempts"], "at least 1 attempt")
        if (pos := _first_bad((out["attempts"] > limits.max_attempts).to_numpy())) is not None:
            raise _fail(
                f"more than {limits.max_attempts:g} attempts",
                name,
                lines,
                pos,
                "attempts",
                frame["attempts"],
                "a plausible count (raise it with TOKENOMICS_MAX_ATTEMPTS if it is real)",
            )
        _bound_per_attempt(out, frame, name, lines, limits, out["attempts"].to_numpy(dtype=float))
        if "run" in out.columns:
            _duplicates(out, ["label" if "label" in out.columns else "model", "run"], name, lines, "run")
        out["attempts"] = out["attempts"].astype(np.int64)
        out["successes"] = out["successes"].astype(np.int64)
        stamp_col = "date"
    if stamp_col in columns:
        out["timestamp"], out["time_known"] = _times(frame[stamp_col], name, lines, stamp_col, limits)
        if stamp_col == "date":
            out["time_known"] = False
    else:
        out["timestamp"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
        out["time_known"] = False
    if "label" not in out.columns:
        out["label"] = out["model"]
    out["label"] = out["label"].fillna(out["model"])
    out["line"] = lines.all() if isinstance(lines, CsvLines) else np.asarray(lines)
    out["source"] = name
    out = out.reindex(columns=[*CANONICAL, "source"])
    # Absent optional columns come back as float NaN; keep one dtype per column whatever the file had.
    for text_col in TEXT_COLUMNS:
        out[text_col] = out[text_col].astype("string")
    refuse_pooled_datasets(out)
    return Measurements(out, shape, name, notes)


def refuse_pooled_datasets(frame: pd.DataFrame) -> None:
    """One label must not hold rows of two datasets: the comparison pools a label's rows.

    Rows without a dataset are not counted (a file may not say which dataset it holds).
    """
    named = frame.dropna(subset=["dataset"])
    counts = named.groupby("label", sort=False)["dataset"].nunique()
    if not (counts > 1).any():
        return
    label = str(counts[counts > 1].index[0])
    rows = named[named["label"] == label]
    datasets = list(pd.unique(rows["dataset"]))
    second = rows[rows["dataset"] == datasets[1]].iloc[0]
    raise InputError(
        f"label {label!r} has rows of {len(datasets)} datasets ({', '.join(map(str, datasets[:4]))}); "
        "one comparison would pool them",
        file=str(second["source"]),
        line=int(second["line"]),
        column="dataset",
        expected="one dataset per label: compare the datasets apart, or give their rows different labels",
    )


def combine(sets: list[Measurements]) -> pd.DataFrame:
    """Stack several measurement sets into one frame (labels stay as given)."""
    if len(sets) == 1:
        return sets[0].frame
    frame = pd.concat([m.frame for m in sets], ignore_index=True)
    refuse_pooled_datasets(frame)
    return frame
