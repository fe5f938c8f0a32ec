"""From the columns a source stores to the canonical typed rows, with ``measurements.load``'s rules.

A source hands over one Ibis table whose columns keep the measurement names and a *kind* per
column saying how its values are stored:

- ``csv``: text from a CSV file (an empty or blank field is missing, as pandas reads it);
- ``csv_number``: a CSV number column DuckDB's reader parsed (empty is missing, ``nan`` not a number);
- ``string``: text from a typed file or a JSON string (an empty string is a value);
- ``json``: text of a JSON Lines value, with its JSON type in ``<column>__json``;
- ``integer``, ``number``, ``bool``, ``timestamp``, ``date``: typed values (Parquet, ClickHouse);
- ``other``: any other type (a list, a struct...), refused at its first value.

``canonical`` parses them exactly as the pandas reader does; ``rules`` lists that reader's
checks, in its order, as boolean expressions (``validate`` turns the first failing one into the
same one-line error). Every row carries ``_row``, its position in the input (from 0).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from inputs.limits import Limits
from inputs.words import FALSE_WORDS, TRUE_WORDS
from measurements.schema import AGGREGATED, PARTS, PER_ATTEMPT, Column
from tokenomics.units import TOKEN_COLUMNS

UTC = dt.Timestamp(timezone="UTC")
TEXT_COLUMNS = ("model", "provider", "label", "dataset", "task_id", "run", "editor_model", "token_note")
TEXT_KINDS = ("csv", "string", "json")
NUMBER_KINDS = ("integer", "number")
INF = float("inf")
NUMBER = "a non-negative number"
YES_NO = "true/false, 1/0, yes/no or pass/fail"
ISO_TIME = "ISO 8601, e.g. 2025-10-03 or 2025-10-03T14:05:00Z"
CANONICAL_TYPES = {
    "label": "string",
    "model": "string",
    "provider": "string",
    "dataset": "string",
    "task_id": "string",
    "editor_model": "string",
    "token_note": "string",
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
    row_offset: int | None = None
    """The source has no ``_row``: number its rows in order from this offset (``numbered``)."""
    unpadded: frozenset[str] = frozenset()
    """Text columns none of whose values starts or ends with whitespace (``padded_columns``): read as stored."""

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
    test: ir.BooleanScalar | None = None
    """An aggregate true when some row breaks the rule, cheaper than ``bad.any()`` (a min or a max)."""


def _padded(text: ir.StringValue) -> ir.BooleanValue:
    """Whether ``strip`` could change the text: its first character's code is at most 32 (``strip``
    removes only such characters) or it ends with one of the characters ``strip`` removes."""
    return (text.ascii_str() <= 32) | ibis.or_(*[text.endswith(c) for c in " \t\n\r\x0b\x0c"])


def _text(raw: ir.Table, column: str, kind: str) -> ir.StringValue:
    """The stripped text of a column (missing stays NULL; in a CSV an empty field is missing too)."""
    value = raw[column]
    text = value.cast("string") if kind not in TEXT_KINDS else value
    # Trimming copies every string; testing the first and last characters does not. Most logs
    # have nothing to trim.
    stripped = ibis.ifelse(_padded(text), text.strip(), text)
    return stripped.nullif("") if kind == "csv" else stripped


def padded_columns(raw: ir.Table, layout: Layout) -> ir.Table | None:
    """Per typed text column (``string``), whether one of its distinct values needs stripping.

    A typed source's text columns (Parquet, a ClickHouse table) have few distinct values, often
    dictionary-encoded: testing those once spares every later query the per-row test, a third of
    a 10M-row Parquet comparison's time. CSV and JSON text is stripped once, when stored.
    None when the source has no such column.
    """
    names = [name for name in TEXT_COLUMNS if layout.kinds.get(name) == "string"]
    if not names:
        return None
    each = []
    for name in names:
        values = raw.select(value=raw[name]).distinct()
        each.append(values.aggregate(column=ibis.literal(name), padded=_padded(values.value).any().fill_null(False)))
    return ibis.union(*each) if len(each) > 1 else each[0]


def _is_bool(raw: ir.Table, column: str, kind: str) -> ir.BooleanValue:
    if kind == "bool":
        return raw[column].notnull()
    if kind == "json":
        return (raw[f"{column}__json"] == "BOOLEAN").fill_null(False)
    return ibis.literal(False)


def _number(raw: ir.Table, column: str, kind: str) -> tuple[ir.FloatingValue, ir.BooleanValue]:
    """(value, present): the value as a double (NULL when missing or not a number)."""
    if kind in NUMBER_KINDS:
        value = raw[column].cast("float64")
        if kind == "integer":  # an integer column has no NaN to test for
            return value, value.notnull()
        present = value.notnull() & ~value.isnan()
        return ibis.ifelse(present, value, ibis.null("float64")), present
    if kind == "csv_number":  # parsed by DuckDB's reader
        value = raw[column]
        return value, value.notnull()
    if kind == "csv":
        # DuckDB's cast skips the whitespace around a number as strip() does, so only a field
        # that is not a number is stripped (a copy of every string), to tell a blank from text.
        value = raw[column].try_cast("float64")
        return value, ibis.ifelse(value.notnull(), True, _text(raw, column, kind).notnull())
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


COMMON_SUCCESS = {"true": 1, "1": 1, "false": 0, "0": 0}
"""``success`` words as logs write them, each its own stripped, lowered form, and their codes."""
SUCCESS_CODE = "success__code"
"""The ``success`` column as one small integer: 1 a yes word, 0 a no word, -1 not a yes/no word, NULL missing."""


def _success(raw: ir.Table, kind: str) -> ir.IntegerValue:
    """``SUCCESS_CODE`` of the ``success`` column (text: by its stripped, lowered ``_success_word``)."""
    value = raw["success"]
    if kind == "bool":
        return ibis.cases((value.isnull(), ibis.null("int8")), (value, 1), else_=0).cast("int8")
    word = raw["_success_word"]
    missing = word.isnull() if kind == "csv" else value.isnull()
    # Equalities, not IN: DuckDB turns a long IN list into a join, per row.
    is_true = ibis.or_(*[word == w for w in sorted(TRUE_WORDS)])
    is_false = ibis.or_(*[word == w for w in sorted(FALSE_WORDS)])
    general = ibis.cases((missing, ibis.null("int8")), (is_true, 1), (is_false, 0), else_=-1)
    common = [(value == w, code) for w, code in COMMON_SUCCESS.items()]
    return ibis.cases(*common, else_=general).cast("int8")


def success_of(p: ir.Table) -> ir.BooleanValue:
    """Whether each ``parsed`` row succeeded (a missing value is not a success; the checks refuse it)."""
    return (p[SUCCESS_CODE] == 1).fill_null(False)


def has_value(p: ir.Table, column: str) -> ir.BooleanValue:
    """Whether each ``parsed`` row has a value in ``column`` (stored only where the value cannot tell)."""
    flag = f"{column}__present"
    return p[flag] if flag in p.columns else p[column].notnull()


def parsed(raw: ir.Table, layout: Layout) -> ir.Table:
    """Every column parsed once: values, and what the checks need (``<column>__present``, ...).

    One projection the checks and the canonical rows both read, so no value is parsed twice.
    """
    kinds = layout.kinds
    if kinds.get("success", "bool") != "bool":
        # Stripped and lowered once, in a projection of its own: each word compared below would
        # otherwise repeat it (DuckDB does not share it between the comparisons). The words as
        # logs write them are settled by one comparison (``_success``): only other spellings pay
        # for the stripping and lowering (0.4 s of storing 10M CSV rows).
        value = raw["success"]
        common = ibis.or_(*[value == w for w in COMMON_SUCCESS])
        word = ibis.ifelse(common, ibis.null("string"), _text(raw, "success", kinds["success"]).lower())
        raw = raw.mutate(_success_word=word)
    cols: dict[str, ir.Value] = {}
    for name in TEXT_COLUMNS:
        if name in layout.unpadded:
            cols[name] = raw[name]
        elif name in kinds:
            cols[name] = _text(raw, name, kinds[name])
    for col in layout.spec:
        if col.name in kinds and col.kind in ("count", "integer"):
            value, has = _number(raw, col.name, kinds[col.name])
            cols[col.name] = value
            if kinds[col.name] not in ("csv_number", *NUMBER_KINDS):  # else a NULL value says it
                cols[f"{col.name}__present"] = has
            if kinds[col.name] in ("bool", "json"):  # else never true: not a column to store
                cols[f"{col.name}__bool"] = _is_bool(raw, col.name, kinds[col.name])
    if "success" in kinds:
        cols[SUCCESS_CODE] = _success(raw, kinds["success"])
    for name in ("timestamp", "date"):
        if name in kinds:
            stamp, present, has_time = _stamp(raw, name, kinds[name])
            cols[name], cols[f"{name}__present"], cols[f"{name}__time"] = stamp, present, has_time
    for name in layout.unnamed:
        cols[name] = raw[name]
    if layout.row_offset is None:
        return raw.select(_row=raw["_row"].cast("int64"), **cols)
    # Text sources are numbered once stored (``stored_in_order``): a row number computed here
    # would make the whole parse sequential.
    return raw.select(**cols)


def stored_in_order(stored: ir.Table, layout: Layout) -> ir.Table:
    """A text source's parsed rows, stored in file order, numbered by their position.

    DuckDB stores a query's rows in the order it reads them when ``preserve_insertion_order`` is
    on (``engine.files`` sets it for text sources) and numbers a table's rows by position
    (``rowid``), so the numbering costs nothing while the parse before it runs on every core.
    Numbering in the query (a window over the file) ran the parse on one core: 7 of the 18 s of
    a 10M-row CSV.
    """
    assert layout.row_offset is not None
    return stored.mutate(_row=stored.rowid().cast("int64") + layout.row_offset)


def numbered(raw: ir.Table, layout: Layout) -> ir.Table:
    """The source's own columns with ``_row`` (to quote a row's value in a message)."""
    if layout.row_offset is None:
        return raw
    return raw.mutate(_row=ibis.row_number().cast("int64") + layout.row_offset)


def canonical(p: ir.Table, layout: Layout, extra: Mapping[str, ir.Value] | None = None) -> ir.Table:
    """The typed rows the pricing needs (``CANONICAL_TYPES``) from ``parsed`` columns, and ``extra``."""
    kinds = layout.kinds
    values: dict[str, ir.Value] = {"_row": p._row, **(extra or {})}
    for name in ("model", "provider", "label", "dataset", "task_id", "editor_model", "token_note"):
        values[name] = p[name] if name in kinds else ibis.null("string")
    for name in (*TOKEN_COLUMNS, "calls", "cost_usd", "latency_s"):
        values[name] = p[name] if name in kinds else ibis.null("float64")
    if layout.shape == "aggregated":
        # try_cast: the checks run on the sums' own scan, so a count no check has refused yet
        # (1e30, NaN) must not stop the query before they say which row has it.
        values["attempts"] = p.attempts.try_cast("int64")
        values["successes"] = p.successes.try_cast("int64")
        stamp_col = "date"
    else:
        values["attempts"] = ibis.literal(1, "int64")
        values["successes"] = success_of(p).cast("int64")
        stamp_col = "timestamp"
    if stamp_col in kinds:
        values["ts"] = p[stamp_col].cast(UTC)
        values["time_known"] = p[f"{stamp_col}__time"] if layout.shape != "aggregated" else ibis.literal(False)
    else:
        values["ts"] = ibis.null(UTC)
        values["time_known"] = ibis.literal(False)
    rows = p.select(**values)
    return rows.mutate(label=rows.label.fill_null(rows.model))


def _columns(layout: Layout) -> Iterator[tuple[Column, str]]:
    """The columns of the layout's shape the source has, with their kinds, in the reader's order."""
    return ((col, layout.kinds[col.name]) for col in layout.spec if col.name in layout.kinds)


def _over_whole(
    numbers: Mapping[str, ir.FloatingValue],
) -> list[tuple[tuple[str, ...], list[str], str, ir.BooleanValue]]:
    """(parts, the parts the source has, whole, rows where they sum past the whole) of ``PARTS``."""
    out = []
    for parts, whole in PARTS:
        present = [part for part in parts if part in numbers]
        if whole in numbers and present:
            total = sum((numbers[part].fill_null(0.0) for part in present), ibis.literal(0.0))
            out.append((tuple(parts), present, whole, numbers[whole].notnull() & (total > numbers[whole])))
    return out


def rules(p: ir.Table, layout: Layout, limits: Limits) -> list[Rule]:
    """The pandas reader's checks on ``parsed`` columns, in its order (the first failing one is reported)."""
    kinds = layout.kinds
    out: list[Rule] = [
        Rule("a value in a column with no name", None, "a header name for every column", p[c].notnull(), None)
        for c in layout.unnamed
    ]
    numbers: dict[str, ir.FloatingValue] = {}
    for col, kind in _columns(layout):
        if col.kind in ("count", "integer"):
            value, has = p[col.name], has_value(p, col.name)
            is_bool = p[f"{col.name}__bool"] if kind in ("bool", "json") else ibis.literal(False)
            numbers[col.name] = value
            # Typed storage rules some checks out; the rest are a min or a max where they can be.
            if kind in ("json", "bool"):
                out.append(Rule("true/false where a number belongs", col.name, NUMBER, is_bool, col.name))
            if kind not in NUMBER_KINDS:
                nan = value.isnull() | value.isnan()
                out.append(Rule("not a number", col.name, NUMBER, has & ~is_bool & nan, col.name))
            infinite = (value.max() >= INF) | (value.min() <= -INF)
            out.append(
                Rule(
                    "not a finite number",
                    col.name,
                    NUMBER,
                    has & value.isinf(),
                    col.name,
                    infinite.fill_null(False),
                )
            )
            out.append(
                Rule("negative value", col.name, NUMBER, value < 0, col.name, (value.min() < 0).fill_null(False))
            )
            if col.kind == "integer" and kind != "integer":
                whole = "a whole number (no fractions)"
                # A remainder, not a rounding: rounding casts to an integer, which 1e23 overflows.
                fraction = (value % 1.0) != 0
                out.append(Rule("not a whole number", col.name, whole, has & fraction, col.name))
        elif col.kind == "text" and col.name in _required(layout):
            text = p[col.name]
            out.append(Rule("empty value", col.name, f"a {col.name} on every row", text.isnull() | (text == ""), None))

    for parts, present, whole, bad in _over_whole(numbers):
        found = parts[0] if parts[0] in kinds else None
        message = f"{' + '.join(present)} exceeds {whole}"
        out.append(Rule(message, parts[0], f"parts of {whole}, never more", bad, found))

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
                (attempts.max() > limits.max_attempts).fill_null(False),
            )
        )
        out.extend(_bounds(numbers, limits, attempts))
    else:
        out.extend(_bounds(numbers, limits, None))
        if "attempt" in numbers:
            out.append(
                Rule(
                    f"an attempt number above {limits.max_attempts:g}",
                    "attempt",
                    "a plausible attempt number",
                    numbers["attempt"] > limits.max_attempts,
                    "attempt",
                    (numbers["attempt"].max() > limits.max_attempts).fill_null(False),
                )
            )
    return out


def late_rules(p: ir.Table, layout: Layout, limits: Limits) -> list[Rule]:
    """The checks the pandas reader makes after duplicates: success words, then dates."""
    kinds = layout.kinds
    out: list[Rule] = []
    if layout.shape != "aggregated":
        out.append(Rule("missing value", "success", YES_NO, p[SUCCESS_CODE].isnull(), None))
        if kinds["success"] != "bool":
            out.append(Rule("not a yes/no value", "success", YES_NO, p[SUCCESS_CODE] == -1, "success"))
    stamp_col = "date" if layout.shape == "aggregated" else "timestamp"
    if stamp_col in kinds:
        parsed_stamp, present = p[stamp_col], p[f"{stamp_col}__present"]
        if kinds[stamp_col] not in ("timestamp", "date"):
            out.append(Rule("not a date or time", stamp_col, ISO_TIME, present & parsed_stamp.isnull(), stamp_col))
        first, after = _plausible(limits)
        outside = present & ((parsed_stamp < first) | (parsed_stamp >= after))
        test = ((parsed_stamp.min() < first) | (parsed_stamp.max() >= after)).fill_null(False)
        out.append(Rule("a date outside the plausible range", stamp_col, limits.date_range, outside, stamp_col, test))
    return out


@ibis.udf.scalar.builtin(name="floor")
def _floor(value: float) -> float:  # type: ignore[empty-body]
    """``floor`` as the engine computes it, a double (Ibis's ``floor`` casts to an integer, which overflows)."""


def fails_any(p: ir.Table, layout: Layout, limits: Limits) -> ir.BooleanValue:
    """Per ``parsed`` row, whether it fails any of ``rules`` or ``late_rules``: the flag every row of
    a large log carries through the pricing scan (``validate.first_checks`` says which rule, and
    where, only when some row fails).

    The same rules folded per column: a number passes one range test, lowest <= value <= its
    bound (below infinity when it has none) and whole where it must be, instead of a test per rule
    (NaN fails the range in DuckDB, where it sorts above infinity, and in ClickHouse, where it
    compares false). On 10M rows that is 0.5 s of the pricing scan instead of 1.7 s. A missing
    value fails only where the source had a value that is not a number. A test holds this to the
    rules one by one.
    """
    kinds = layout.kinds
    aggregated = layout.shape == "aggregated"
    highest = {"attempts": float(limits.max_attempts)}
    if not aggregated:
        highest = {col: bound for col, (bound, _, _) in _per_attempt_bounds(limits).items()}
        highest["attempt"] = float(limits.max_attempts)
    lowest = {"attempts": 1.0} if aggregated else {}
    flags: list[ir.BooleanValue] = [p[c].notnull() for c in layout.unnamed]
    numbers: dict[str, ir.FloatingValue] = {}
    for col, kind in _columns(layout):
        if col.kind in ("count", "integer"):
            value = numbers[col.name] = p[col.name]
            low = lowest.get(col.name, 0.0)
            ok = value.between(low, highest[col.name]) if col.name in highest else (value >= low) & (value < INF)
            if col.kind == "integer" and kind != "integer":
                ok = ok & (value == _floor(value))
            text_kind = kind not in ("csv_number", *NUMBER_KINDS)
            bad = ibis.ifelse(value.isnull(), has_value(p, col.name) if text_kind else False, ~ok)
            flags.append(bad | p[f"{col.name}__bool"] if kind in ("bool", "json") else bad)
        elif col.kind == "text" and col.name in _required(layout):
            text = p[col.name]
            flags.append(text.isnull() | (text == ""))
    flags.extend(bad for _, _, _, bad in _over_whole(numbers))
    if aggregated:
        flags.append(numbers["successes"] > numbers["attempts"])
        flags.extend(rule.bad for rule in _bounds(numbers, limits, numbers["attempts"]))
    else:
        flags.append(~(p[SUCCESS_CODE] >= 0).fill_null(False))
    stamp_col = "date" if aggregated else "timestamp"
    if stamp_col in kinds:
        first, after = _plausible(limits)
        stamp = p[stamp_col]
        flags.append(p[f"{stamp_col}__present"] & ~((stamp >= first) & (stamp < after)).fill_null(False))
    return ibis.or_(*flags).fill_null(False)


def duplicate_keys(p: ir.Table, layout: Layout) -> list[tuple[str, ir.Value]] | None:
    """The key whose repetition the pandas reader refuses (an attempt, or a run), or None."""
    kinds = layout.kinds
    first = "label" if "label" in kinds else "model"
    names = [first, "run"] if layout.shape == "aggregated" else [first, "task_id", "attempt"]
    if any(n not in kinds for n in names):
        return None
    return [(name, p[name]) for name in names]


ATTEMPT_BITS = 52
"""Attempt numbers up to this one are a bit of a double (``attempt_bit``)."""


def attempt_bit(p: ir.Table, layout: Layout) -> ir.IntegerValue | None:
    """Per row, 2**attempt when the row has the whole key ``duplicate_keys`` tests and an attempt up to
    ``ATTEMPT_BITS``; -1 when the attempt is larger; NULL when the key is incomplete. None: no such key.

    Within one (label or model, task), the attempts are distinct exactly when the sum of their bits
    equals their bitwise OR: a repeat carries into a higher bit or beyond, so a duplicate test can
    ride on the per-group sums instead of grouping every attempt (``validate.may_repeat``). Bits
    are summed as doubles: exact below 2**53, and a sum that reaches it is above any OR of such
    bits. The checks ride on the same scan, so an attempt they refuse (negative, NaN, infinite) is
    -1 here, never an exponent that would stop the query; a fraction gets a bit, and its check fails.
    """
    if layout.shape == "aggregated":
        return None
    keys = duplicate_keys(p, layout)
    if keys is None:
        return None
    complete = ibis.and_(*[value.notnull() for _, value in keys])
    attempt = p.attempt
    small = (attempt >= 0) & (attempt <= ATTEMPT_BITS)  # false for NaN in DuckDB and ClickHouse alike
    bit = (ibis.literal(2.0) ** ibis.ifelse(small, attempt, 0.0)).cast("int64")
    return ibis.ifelse(complete, ibis.ifelse(small, bit, ibis.literal(-1, "int64")), ibis.null("int64"))


def _required(layout: Layout) -> tuple[str, ...]:
    from measurements.schema import AGGREGATED_REQUIRED, PER_ATTEMPT_REQUIRED

    return AGGREGATED_REQUIRED if layout.shape == "aggregated" else PER_ATTEMPT_REQUIRED


def _per_attempt_bounds(limits: Limits) -> dict[str, tuple[float, str, str]]:
    """Column -> (largest plausible value per attempt, its unit, the limit's environment name)."""
    return {
        **dict.fromkeys(TOKEN_COLUMNS, (limits.max_tokens_per_attempt, "tokens", "TOKENS_PER_ATTEMPT")),
        "calls": (limits.max_calls_per_attempt, "calls", "CALLS_PER_ATTEMPT"),
        "cost_usd": (limits.max_cost_per_attempt, "USD", "COST_PER_ATTEMPT"),
        "latency_s": (limits.max_latency_per_attempt, "seconds", "LATENCY_PER_ATTEMPT"),
    }


def _plausible(limits: Limits) -> tuple[ir.TimestampScalar, ir.TimestampScalar]:
    """The first instant of the first plausible year and of the year after the last one, in UTC.

    Years are compared as instants: EXTRACT on a zoned timestamp depends on the session zone.
    """
    first = ibis.literal(f"{limits.first_year:04d}-01-01T00:00:00+00:00").cast(UTC)
    after = ibis.literal(f"{limits.last_year + 1:04d}-01-01T00:00:00+00:00").cast(UTC)
    return first, after


def _bounds(numbers: Mapping[str, ir.FloatingValue], limits: Limits, per: ir.Value | None) -> list[Rule]:
    out = []
    for col, (bound, unit, env) in _per_attempt_bounds(limits).items():
        if col not in numbers:
            continue
        per_attempt = numbers[col] / per if per is not None else numbers[col]
        out.append(
            Rule(
                f"more than {bound:g} {unit} per attempt",
                col,
                f"a plausible value (raise the bound with TOKENOMICS_MAX_{env} if it is real)",
                per_attempt > bound,
                col,
                (per_attempt.max() > bound).fill_null(False),
            )
        )
    return out
