"""From the columns a source stores to the canonical typed rows, with ``measurements.load``'s rules.

A source hands over one Ibis table whose columns keep the measurement names and a *kind* per
column saying how its values are stored:

- ``csv``: text from a CSV file (an empty or blank field is missing, as pandas reads it);
- ``string``: text from a typed file or a JSON string (an empty string is a value);
- ``json``: text of a JSON Lines value, with its JSON type in ``<column>__json``;
- ``number``, ``bool``, ``timestamp``, ``date``: typed values (Parquet, ClickHouse);
- ``other``: any other type (a list, a struct...), refused at its first value.

``canonical`` parses them exactly as the pandas reader does; ``rules`` lists that reader's
checks, in its order, as boolean expressions (``validate`` turns the first failing one into the
same one-line error). Every row carries ``_row``, its position in the input (from 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from inputs.limits import Limits
from inputs.words import FALSE_WORDS, TRUE_WORDS
from measurements.schema import AGGREGATED, PARTS, PER_ATTEMPT, Column
from tokenomics.units import TOKEN_COLUMNS

UTC = dt.Timestamp(timezone="UTC")
EPOCH = date(1970, 1, 1)
SECONDS_PER_DAY = 86_400
TEXT_KINDS = ("csv", "string", "json")
NUMBER = "a non-negative number"
YES_NO = "true/false, 1/0, yes/no or pass/fail"
ISO_TIME = "ISO 8601, e.g. 2025-10-03 or 2025-10-03T14:05:00Z"
CANONICAL_TYPES = {
    "label": "string",
    "model": "string",
    "provider": "string",
    "task_id": "string",
    "attempts": "int64",
    "successes": "int64",
    **dict.fromkeys(TOKEN_COLUMNS, "float64"),
    "calls": "float64",
    "cost_usd": "float64",
    "latency_s": "float64",
    "ts": UTC,
    "time_known": "boolean",
    "_row": "int64",
}


@dataclass(frozen=True)
class Layout:
    """The columns a source has and how each is stored."""

    kinds: Mapping[str, str]
    """Measurement column -> kind (see the module docstring); unknown columns are left out."""
    shape: str
    """``per-attempt`` or ``aggregated`` (``measurements.load``'s two shapes)."""
    unnamed: tuple[str, ...] = ()
    """Columns with no name in the header (Excel's trailing ones): each must be empty."""

    @property
    def spec(self) -> tuple[Column, ...]:
        return AGGREGATED if self.shape == "aggregated" else PER_ATTEMPT

    def has(self, column: str) -> bool:
        return column in self.kinds


@dataclass(frozen=True)
class Rule:
    """One check of the pandas reader: rows where ``bad`` holds fail it with this message."""

    message: str
    column: str | None
    expected: str
    bad: ir.BooleanValue
    found: str | None
    """Source column whose value the message quotes (None: quote nothing)."""


def _text(raw: ir.Table, column: str, kind: str) -> ir.StringValue:
    """The stripped text of a column (missing stays NULL; in a CSV an empty field is missing too)."""
    value = raw[column]
    text = value.cast("string") if kind not in TEXT_KINDS else value
    stripped = text.strip()
    return stripped.nullif("") if kind == "csv" else stripped


def canonical_text(raw: ir.Table, layout: Layout, column: str) -> ir.StringValue:
    """A text column as the canonical rows have it (NULL where the source lacks the column)."""
    if column not in layout.kinds:
        return ibis.null("string")
    return _text(raw, column, layout.kinds[column])


def _is_bool(raw: ir.Table, column: str, kind: str) -> ir.BooleanValue:
    if kind == "bool":
        return raw[column].notnull()
    if kind == "json":
        return (raw[f"{column}__json"] == "BOOLEAN").fill_null(False)
    return ibis.literal(False)


def _number(raw: ir.Table, column: str, kind: str) -> tuple[ir.FloatingValue, ir.BooleanValue]:
    """(value, present): the value as a double (NULL when missing or not a number)."""
    if kind == "number":
        value = raw[column].cast("float64")
        present = value.notnull() & ~value.isnan()
        return ibis.ifelse(present, value, ibis.null("float64")), present
    if kind in TEXT_KINDS:
        text = _text(raw, column, kind)
        present = raw[column].notnull() if kind != "csv" else text.notnull()
        if kind == "json":
            text = ibis.ifelse(raw[f"{column}__json"] == "BOOLEAN", ibis.null("string"), text)
        return text.try_cast("float64"), present
    return ibis.null("float64"), raw[column].notnull()


def _stamp(raw: ir.Table, column: str, kind: str) -> tuple[ir.TimestampValue, ir.BooleanValue, ir.BooleanValue]:
    """(instant in UTC, present, has a time of day) of a timestamp or date column."""
    if kind == "timestamp":
        value = raw[column].cast(UTC)
        return value, value.notnull(), value.notnull()
    if kind == "date":
        value = raw[column].cast(UTC)
        return value, value.notnull(), ibis.literal(False)
    text = _text(raw, column, kind if kind in TEXT_KINDS else "string")
    present = text.notnull()
    parsed = text.try_cast(UTC) if kind in TEXT_KINDS else ibis.null(UTC)
    return parsed, present, present & (text.length() > 10)


def _success(raw: ir.Table, kind: str) -> tuple[ir.BooleanValue, ir.BooleanValue, ir.BooleanValue]:
    """(value, missing, not a yes/no word) of the ``success`` column."""
    if kind == "bool":
        value = raw["success"]
        return value.fill_null(False), value.isnull(), ibis.literal(False)
    text = _text(raw, "success", kind).lower()
    missing = text.isnull() if kind == "csv" else raw["success"].isnull()
    is_true = text.isin(sorted(TRUE_WORDS))
    is_false = text.isin(sorted(FALSE_WORDS))
    return is_true.fill_null(False), missing, ~missing & ~(is_true | is_false).fill_null(False)


def canonical(raw: ir.Table, layout: Layout) -> ir.Table:
    """The typed rows the pricing needs (``CANONICAL_TYPES``), parsed as ``measurements.load`` does."""
    kinds = layout.kinds
    values: dict[str, ir.Value] = {"_row": raw["_row"].cast("int64")}
    for name in ("model", "provider", "label", "task_id"):
        values[name] = _text(raw, name, kinds[name]) if name in kinds else ibis.null("string")
    for name in (*TOKEN_COLUMNS, "calls", "cost_usd", "latency_s"):
        values[name] = _number(raw, name, kinds[name])[0] if name in kinds else ibis.null("float64")
    if layout.shape == "aggregated":
        values["attempts"] = _number(raw, "attempts", kinds["attempts"])[0].cast("int64")
        values["successes"] = _number(raw, "successes", kinds["successes"])[0].cast("int64")
        stamp_col = "date"
    else:
        values["attempts"] = ibis.literal(1, "int64")
        values["successes"] = _success(raw, kinds["success"])[0].cast("int64")
        stamp_col = "timestamp"
    if stamp_col in kinds:
        stamp, _, known = _stamp(raw, stamp_col, kinds[stamp_col])
        values["ts"] = stamp
        values["time_known"] = known if layout.shape != "aggregated" else ibis.literal(False)
    else:
        values["ts"] = ibis.null(UTC)
        values["time_known"] = ibis.literal(False)
    rows = raw.select(**values)
    return rows.mutate(label=rows.label.fill_null(rows.model))


def rules(raw: ir.Table, layout: Layout, limits: Limits) -> list[Rule]:
    """The pandas reader's checks, in its order (the first failing one is reported)."""
    kinds = layout.kinds
    out: list[Rule] = [
        Rule("a value in a column with no name", None, "a header name for every column", raw[c].notnull(), None)
        for c in layout.unnamed
    ]
    numbers: dict[str, ir.FloatingValue] = {}
    for col in layout.spec:
        if col.name not in kinds:
            continue
        kind = kinds[col.name]
        if col.kind in ("count", "integer"):
            value, present = _number(raw, col.name, kind)
            numbers[col.name] = value
            out.append(
                Rule("true/false where a number belongs", col.name, NUMBER, _is_bool(raw, col.name, kind), col.name)
            )
            nan = value.isnull() | value.isnan()
            out.append(Rule("not a number", col.name, NUMBER, present & ~_is_bool(raw, col.name, kind) & nan, col.name))
            out.append(Rule("not a finite number", col.name, NUMBER, present & value.isinf(), col.name))
            out.append(Rule("negative value", col.name, NUMBER, value < 0, col.name))
            if col.kind == "integer":
                whole = "a whole number (no fractions)"
                # A remainder, not a rounding: rounding casts to an integer, which 1e23 overflows.
                fraction = (value % 1.0) != 0
                out.append(Rule("not a whole number", col.name, whole, present & fraction, col.name))
        elif col.kind == "text" and col.name in _required(layout):
            text = _text(raw, col.name, kind)
            out.append(Rule("empty value", col.name, f"a {col.name} on every row", text.isnull() | (text == ""), None))

    for parts, whole in PARTS:
        if whole not in numbers:
            continue
        present = [p for p in parts if p in numbers]
        total = sum((numbers[p].fill_null(0.0) for p in present), ibis.literal(0.0))
        out.append(
            Rule(
                f"{' + '.join(present)} exceeds {whole}",
                parts[0],
                f"parts of {whole}, never more",
                numbers[whole].notnull() & (total > numbers[whole]),
                parts[0] if parts[0] in kinds else None,
            )
        )

    if layout.shape == "aggregated":
        attempts = numbers["attempts"]
        out.append(
            Rule(
                "more successes than attempts",
                "successes",
                "successes <= attempts",
                numbers["successes"] > attempts,
                "successes",
            )
        )
        out.append(Rule("no attempts", "attempts", "at least 1 attempt", attempts < 1, "attempts"))
        out.append(
            Rule(
                f"more than {limits.max_attempts:g} attempts",
                "attempts",
                "a plausible count (raise it with TOKENOMICS_MAX_ATTEMPTS if it is real)",
                attempts > limits.max_attempts,
                "attempts",
            )
        )
        out.extend(_bounds(numbers, limits, attempts))
    else:
        out.extend(_bounds(numbers, limits, ibis.literal(1.0)))
        if "attempt" in numbers:
            out.append(
                Rule(
                    f"an attempt number above {limits.max_attempts:g}",
                    "attempt",
                    "a plausible attempt number",
                    numbers["attempt"] > limits.max_attempts,
                    "attempt",
                )
            )
    return out


def late_rules(raw: ir.Table, layout: Layout, limits: Limits) -> list[Rule]:
    """The checks the pandas reader makes after duplicates: success words, then dates."""
    kinds = layout.kinds
    out: list[Rule] = []
    if layout.shape != "aggregated":
        _, missing, not_word = _success(raw, kinds["success"])
        out.append(Rule("missing value", "success", YES_NO, missing, None))
        out.append(Rule("not a yes/no value", "success", YES_NO, not_word, "success"))
    stamp_col = "date" if layout.shape == "aggregated" else "timestamp"
    if stamp_col in kinds:
        parsed, present, _ = _stamp(raw, stamp_col, kinds[stamp_col])
        out.append(Rule("not a date or time", stamp_col, ISO_TIME, present & parsed.isnull(), stamp_col))
        # Years compared as instants (UTC): EXTRACT on a zoned timestamp depends on the session zone.
        epoch = parsed.epoch_seconds()
        first = (date(limits.first_year, 1, 1) - EPOCH).days * SECONDS_PER_DAY
        after = (date(limits.last_year + 1, 1, 1) - EPOCH).days * SECONDS_PER_DAY
        outside = present & ((epoch < first) | (epoch >= after))
        out.append(Rule("a date outside the plausible range", stamp_col, limits.date_range, outside, stamp_col))
    return out


def duplicate_keys(raw: ir.Table, layout: Layout) -> list[tuple[str, ir.Value]] | None:
    """The key whose repetition the pandas reader refuses (an attempt, or a run), or None."""
    kinds = layout.kinds
    first = "label" if "label" in kinds else "model"
    names = [first, "run"] if layout.shape == "aggregated" else [first, "task_id", "attempt"]
    if any(n not in kinds for n in names):
        return None
    keys: list[tuple[str, ir.Value]] = []
    for name in names:
        kind = kinds[name]
        keys.append((name, _number(raw, name, kind)[0] if name == "attempt" else _text(raw, name, kind)))
    return keys


def _required(layout: Layout) -> tuple[str, ...]:
    from measurements.schema import AGGREGATED_REQUIRED, PER_ATTEMPT_REQUIRED

    return AGGREGATED_REQUIRED if layout.shape == "aggregated" else PER_ATTEMPT_REQUIRED


def _bounds(numbers: Mapping[str, ir.FloatingValue], limits: Limits, per: ir.Value) -> list[Rule]:
    bounds = {
        **dict.fromkeys(TOKEN_COLUMNS, (limits.max_tokens_per_attempt, "tokens", "TOKENS_PER_ATTEMPT")),
        "calls": (limits.max_calls_per_attempt, "calls", "CALLS_PER_ATTEMPT"),
        "cost_usd": (limits.max_cost_per_attempt, "USD", "COST_PER_ATTEMPT"),
        "latency_s": (limits.max_latency_per_attempt, "seconds", "LATENCY_PER_ATTEMPT"),
    }
    out = []
    for col, (bound, unit, env) in bounds.items():
        if col not in numbers:
            continue
        out.append(
            Rule(
                f"more than {bound:g} {unit} per attempt",
                col,
                f"a plausible value (raise the bound with TOKENOMICS_MAX_{env} if it is real)",
                (numbers[col] / per) > bound,
                col,
            )
        )
    return out
