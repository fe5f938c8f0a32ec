"""The flag each row carries through the pricing scan (``engine.parse.fails_any``) is the rules, one by one.

Rows of hostile values (NaN, infinities, fractions, values past a bound, blanks, words) in every
way a source stores a column, in DuckDB and, for what a ClickHouse table stores, in chDB: the
folded flag must hold for exactly the rows that fail some rule of ``rules`` or ``late_rules``.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis.strategies as st
import ibis
import ibis.expr.types as ir
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from engine.backends import Backend, ChdbBackend, DuckDBBackend
from engine.parse import UTC, Layout, fails_any, late_rules, parsed, rules
from inputs.limits import current

# Good values pass every rule together (parts within their whole, counts within bounds).
GOOD_NUMBERS = {
    "attempt": ["0", "1", "7"],
    "attempts": ["5", "10"],
    "successes": ["0", "5"],
    "input_tokens": ["100", "1e3"],
    "output_tokens": ["100", "1e3"],
    "cache_read_tokens": ["0", "1"],
    "reasoning_tokens": ["0", "1"],
    "calls": ["1", "3"],
    "cost_usd": ["0", "0.25"],
    "latency_s": ["1.5", "30"],
}
BAD_NUMBERS = ["2.5", "-1", "-0.5", "nan", "inf", "-inf", "1000000001", "1e30", "x", " ", None]
GOOD_TEXTS, BAD_TEXTS = ["m"], ["", " ", None]
GOOD_SUCCESS, BAD_SUCCESS = ["true", "false", "1", "0"], ["yes", "maybe", " TRUE ", "", None]
GOOD_STAMPS = ["2025-03-01T10:00:00Z", "2025-03-01"]
BAD_STAMPS = ["2019-12-31T23:59:59Z", "2101-01-01", "a day", "", None]
PER_ATTEMPT_NUMBERS = ["attempt", "input_tokens", "cache_read_tokens", "output_tokens", "reasoning_tokens", "calls"]
PER_ATTEMPT_NUMBERS += ["cost_usd", "latency_s"]
AGGREGATED_NUMBERS = ["attempts", "successes", "input_tokens", "cache_read_tokens", "output_tokens", "cost_usd"]
DUCKDB_NUMBER_KINDS = ["csv", "csv_number", "string", "number", "integer", "bool"]
CLICKHOUSE_NUMBER_KINDS = ["string", "number", "integer", "bool"]


def stored(raw: ir.Table, column: str, kind: str) -> ir.Value:
    """A text column as a source of ``kind`` stores it."""
    text = raw[column]
    if kind in ("number", "csv_number"):
        return text.try_cast("float64")
    if kind == "integer":
        return text.try_cast("int64")
    if kind == "bool":
        return ibis.cases((text == "true", True), (text == "false", False), else_=ibis.null("boolean"))
    if kind == "timestamp":
        return text.try_cast(UTC)
    return text


def flags(backend: Backend, frame: pd.DataFrame, kinds: dict[str, str], shape: str) -> pd.DataFrame:
    """Per row, the folded flag and the rules' flags one by one."""
    raw = backend.relation("hostile", frame)
    raw = raw.select(_row=raw._row, **{c: stored(raw, c, kind) for c, kind in kinds.items()})
    layout = Layout(kinds, shape)
    p = parsed(raw, layout)
    limits = current()

    def per_row(bad: ir.BooleanValue) -> ir.BooleanValue:
        return (bad if isinstance(bad, ir.Column) else p._row.notnull() & bad).fill_null(False)

    each = ibis.or_(*[per_row(rule.bad) for rule in [*rules(p, layout, limits), *late_rules(p, layout, limits)]])
    return backend.execute(p.select("_row", folded=fails_any(p, layout, limits), each=each)).sort_values("_row")


def hostile_rows(shape: str, number_kinds: list[str], time_kinds: list[str]) -> st.SearchStrategy:
    """(kinds, rows): good rows, each with up to two hostile values, so that a row failing one rule
    alone is common (a row failing several would hide a rule the flag forgot)."""
    numbers = AGGREGATED_NUMBERS if shape == "aggregated" else PER_ATTEMPT_NUMBERS
    stamp = "date" if shape == "aggregated" else "timestamp"
    texts = ["model", "run"] if shape == "aggregated" else ["model", "task_id"]
    success = {} if shape == "aggregated" else {"success": (GOOD_SUCCESS, BAD_SUCCESS)}
    values = {
        **{c: (GOOD_NUMBERS[c], BAD_NUMBERS) for c in numbers},
        **dict.fromkeys(texts, (GOOD_TEXTS, BAD_TEXTS)),
        stamp: (GOOD_STAMPS, BAD_STAMPS),
        **success,
    }
    kinds = st.fixed_dictionaries(
        {
            **{c: st.sampled_from(number_kinds) for c in numbers},
            **{c: st.sampled_from(["csv", "string"]) for c in texts},
            stamp: st.sampled_from(time_kinds),
            **{c: st.sampled_from(["csv", "string", "bool"]) for c in success},
        }
    )
    good = st.fixed_dictionaries({c: st.sampled_from(ok) for c, (ok, _) in values.items()})
    column = st.sampled_from(sorted(values))
    hostile = st.lists(column.flatmap(lambda c: st.tuples(st.just(c), st.sampled_from(values[c][1]))), max_size=2)
    row = st.tuples(good, hostile).map(lambda pair: {**pair[0], **dict(pair[1])})
    return st.tuples(kinds, st.lists(row, min_size=1, max_size=25))


@pytest.fixture(scope="module")
def duckdb_engine() -> Iterator[DuckDBBackend]:
    engine = DuckDBBackend(threads=1)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def chdb_engine() -> Iterator[ChdbBackend]:
    pytest.importorskip("chdb")
    engine = ChdbBackend()
    yield engine
    engine.close()


def check(engine: Backend, kinds: dict[str, str], rows: list[dict], shape: str) -> None:
    frame = pd.DataFrame(rows).astype("string").assign(_row=range(len(rows)))
    found = flags(engine, frame, kinds, shape)
    assert len(found) == len(rows)
    assert found["folded"].astype(bool).tolist() == found["each"].astype(bool).tolist()


@pytest.mark.parametrize("shape", ["per-attempt", "aggregated"])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_flag_is_the_rules_in_duckdb(duckdb_engine: DuckDBBackend, shape: str, data: st.DataObject) -> None:
    kinds, rows = data.draw(hostile_rows(shape, DUCKDB_NUMBER_KINDS, ["csv", "string", "timestamp"]))
    check(duckdb_engine, kinds, rows, shape)


@pytest.mark.parametrize("shape", ["per-attempt", "aggregated"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_flag_is_the_rules_in_clickhouse(chdb_engine: ChdbBackend, shape: str, data: st.DataObject) -> None:
    kinds, rows = data.draw(hostile_rows(shape, CLICKHOUSE_NUMBER_KINDS, ["string", "timestamp"]))
    check(chdb_engine, kinds, rows, shape)


def test_the_hostile_values_reach_the_flag_as_nan_and_infinities(
    duckdb_engine: DuckDBBackend, chdb_engine: ChdbBackend
) -> None:
    # The property above is only as strong as its values: NaN and both infinities must be parsed
    # as such in both engines, not turned into missing values.
    for engine in (duckdb_engine, chdb_engine):
        raw = engine.relation("hostile_values", pd.DataFrame({"x": ["nan", "inf", "-inf", "2.5"]}))
        values = engine.execute(raw.select(v=raw.x.try_cast("float64")))["v"].tolist()
        assert pd.isna(values[0]) and values[0] is not None and values[1:] == [float("inf"), float("-inf"), 2.5]


@pytest.mark.parametrize("shape", ["per-attempt", "aggregated"])
def test_good_rows_pass_so_a_single_hostile_value_decides(duckdb_engine: DuckDBBackend, shape: str) -> None:
    # The property draws good rows and spoils up to two values: the good values must pass every rule together.
    numbers = AGGREGATED_NUMBERS if shape == "aggregated" else PER_ATTEMPT_NUMBERS
    texts = ["model", "run"] if shape == "aggregated" else ["model", "task_id"]
    stamp = "date" if shape == "aggregated" else "timestamp"
    success = [] if shape == "aggregated" else ["success"]
    rows = [
        {
            **{c: GOOD_NUMBERS[c][i % 2] for c in numbers},
            **dict.fromkeys(texts, GOOD_TEXTS[0]),
            stamp: GOOD_STAMPS[i % 2],
            **dict.fromkeys(success, GOOD_SUCCESS[i]),
        }
        for i in range(4)
    ]
    kinds = dict.fromkeys([*numbers, *texts, stamp, *success], "csv")
    found = flags(duckdb_engine, pd.DataFrame(rows).astype("string").assign(_row=range(4)), kinds, shape)
    assert not found["folded"].astype(bool).any() and not found["each"].astype(bool).any()
