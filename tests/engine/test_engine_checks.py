"""The engine refuses bad files with the pandas reader's one-line messages.

Every measurement file of the bad-file corpus goes through both readers; Parquet files with
wrong types, missing columns and bad values (made here) too. A handful of JSON Lines files
differ, listed below with why: DuckDB parses JSON itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from engine.run import compare_files
from measurements.load import read_measurements
from pricing.book import default_sources
from tokenomics.errors import InputError

TESTS = Path(__file__).resolve().parent.parent
BAD = TESTS / "bad_files"
MEASUREMENT_FILES = [
    row["file"]
    for row in csv.DictReader((BAD / "expected.csv").read_text(encoding="utf-8").splitlines())
    if row["reader"] == "measurements" and row["file"].endswith((".csv", ".jsonl"))
]
# DuckDB's JSON parser reads numbers the strict reader refuses as JSON (NaN, Infinity, 1e999,
# 2^64, 400 digits); the engine refuses them too, as values ("not a number", "not a finite
# number", "more than 1e+09 tokens").
REFUSED_OTHERWISE = {
    "infinity_cost.jsonl",
    "long_number.jsonl",
    "nan_tokens.jsonl",
    "overflow_float.jsonl",
    "two_pow_64.jsonl",
}
# Accepted by DuckDB's parser: a trailing comma, and nesting deeper than 32 levels in a value the
# comparison does not read (docs/engine.md says so).
ACCEPTED_BY_THE_ENGINE = {"malformed.jsonl", "deep_nesting.jsonl"}
SOURCES = default_sources()


def pandas_message(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_measurements(path)
    return str(caught.value)


def engine_message(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        compare_files([path], SOURCES)
    return str(caught.value)


def test_the_corpus_has_measurement_files() -> None:
    assert len(MEASUREMENT_FILES) >= 40


@pytest.mark.parametrize("name", sorted(set(MEASUREMENT_FILES) - ACCEPTED_BY_THE_ENGINE))
def test_a_bad_file_gets_the_same_message(name: str) -> None:
    path = BAD / name
    message = engine_message(path)
    if name in REFUSED_OTHERWISE:
        assert message.startswith(f"{path}, line 2, column ") and "\n" not in message
    else:
        assert message == pandas_message(path)


@pytest.mark.parametrize("name", sorted(ACCEPTED_BY_THE_ENGINE))
def test_what_duckdb_reads_that_the_strict_reader_refuses(name: str) -> None:
    pandas_message(BAD / name)
    [(_, comparison)], _ = compare_files([BAD / name], SOURCES)
    assert comparison.summary["attempts"].sum() >= 1


GOOD = {
    "model": pa.array(["gpt-4o", "gpt-4o", "gpt-4o"]),
    "task_id": pa.array([1, 2, 3]),  # a numeric task id reads as text
    "attempt": pa.array([1, 1, 1], type=pa.int32()),
    "success": pa.array([True, False, True]),
    "input_tokens": pa.array([1000, 2000, 3000], type=pa.uint64()),
    "output_tokens": pa.array([10.0, 20.0, None]),
    "timestamp": pa.array([1_754_000_000_000_000, None, 1_754_100_000_000_000], type=pa.timestamp("us", tz="UTC")),
}


def parquet(path: Path, **changes: pa.Array | None) -> Path:
    columns = {**GOOD, **changes}
    pq.write_table(pa.table({k: v for k, v in columns.items() if v is not None}), path)
    return path


def test_a_good_parquet_file_reads_the_same_both_ways(tmp_path: Path) -> None:
    path = parquet(tmp_path / "good.parquet")
    frame = read_measurements(path).frame
    assert frame["task_id"].tolist() == ["1", "2", "3"]
    assert frame["time_known"].tolist() == [True, False, True]
    [(_, comparison)], notes = compare_files([path], SOURCES)
    assert notes == []
    assert comparison.summary.loc[0, ["attempts", "successes"]].tolist() == [3, 2]


def test_padded_parquet_text_is_stripped_as_the_csv_reader_strips_it(tmp_path: Path) -> None:
    # Typed text is stripped only where some distinct value needs it (engine.parse.padded_columns).
    path = parquet(tmp_path / "padded.parquet", model=pa.array([" gpt-4o", "gpt-4o\n", "gpt-4o"]))
    assert read_measurements(path).frame["model"].tolist() == ["gpt-4o"] * 3
    [(_, comparison)], _ = compare_files([path], SOURCES)
    assert comparison.summary["model"].tolist() == ["gpt-4o"]
    assert comparison.summary.loc[0, ["attempts", "successes"]].tolist() == [3, 2]


BAD_PARQUET = {
    "bool_in_number": (
        {"input_tokens": pa.array([True, None, False], type=pa.bool_())},
        "row 1, column 'input_tokens': true/false where a number belongs",
    ),
    "text_in_number": (
        {"input_tokens": pa.array(["1000", "many", "3000"])},
        "row 2, column 'input_tokens': not a number (found 'many'); expected a non-negative number",
    ),
    "time_in_number": (
        {"output_tokens": pa.array([0, 0, 0], type=pa.timestamp("s"))},
        "row 1, column 'output_tokens': not a number",
    ),
    "list_in_number": (
        {"output_tokens": pa.array([[1], [2], [3]])},
        "row 1, column 'output_tokens': not a number",
    ),
    "negative": (
        {"output_tokens": pa.array([10.0, -2.0, None])},
        "row 2, column 'output_tokens': negative value (found -2.0); expected a non-negative number",
    ),
    "fraction": (
        {"output_tokens": pa.array([10.5, 2.0, None])},
        "row 1, column 'output_tokens': not a whole number (found 10.5)",
    ),
    "missing_column": ({"success": None}, "column 'success': missing required column 'success'"),
    "not_yes_no": (
        {"success": pa.array(["pass", "maybe", "fail"])},
        "row 2, column 'success': not a yes/no value (found 'maybe')",
    ),
    "same_attempt_twice": (
        {"task_id": pa.array(["t", "t", "u"])},
        "row 2: the same attempt twice (model gpt-4o, task_id t, attempt 1.0; first on row 1)",
    ),
    "same_attempt_padded": (
        {"task_id": pa.array(["t", " t\t", "u"])},
        "row 2: the same attempt twice (model gpt-4o, task_id t, attempt 1.0; first on row 1)",
    ),
    "blank_model": (
        {"model": pa.array(["gpt-4o", " \t ", "gpt-4o"])},
        "row 2, column 'model': empty value",
    ),
    "year_9999": (
        {"timestamp": pa.array(["2025-01-01", "9999-01-01T00:00:00Z", None])},
        "row 2, column 'timestamp': a date outside the plausible range",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PARQUET))
def test_a_bad_parquet_file_gets_the_csv_reader_s_message(tmp_path: Path, case: str) -> None:
    changes, words = BAD_PARQUET[case]
    path = parquet(tmp_path / f"{case}.parquet", **changes)
    message = pandas_message(path)
    assert message.startswith(f"{path}, {words}"), message
    assert engine_message(path) == message


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"model,task_id,success\n")
    assert pandas_message(path).startswith(f"{path}: not a readable Parquet file")
    assert engine_message(path).startswith(f"{path}: not a readable Parquet file")


def test_an_empty_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"model": pa.array([], pa.string())}), path)
    assert engine_message(path) == pandas_message(path) == f"{path}: no data rows; expected at least one row"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_line_numbers_hold_across_many_row_groups(tmp_path: Path, fmt: str) -> None:
    """Rows are numbered by where DuckDB stored them (parsed on every core, in file order): a bad
    value past the first few hundred thousand rows (several row groups and parallel batches, a
    blank line on the way) is reported on the line the pandas reader names."""
    rows = 400_000
    bad = 371_234
    path = tmp_path / f"many.{fmt}"
    lines = []
    for i in range(rows):
        tokens = "-5" if i == bad else str(100 + i % 7)
        if fmt == "csv":
            lines.append(f"m{i % 3},t{i},1,yes,{tokens},10")
        else:
            lines.append(
                f'{{"model": "m{i % 3}", "task_id": "t{i}", "attempt": 1, "success": true, '
                f'"input_tokens": {tokens}, "output_tokens": 10}}'
            )
        if i == 200_000:
            lines.append("")
    header = ["model,task_id,attempt,success,input_tokens,output_tokens"] if fmt == "csv" else []
    path.write_text("\n".join([*header, *lines]) + "\n", encoding="utf-8")
    message = pandas_message(path)
    assert "negative value" in message, message
    assert engine_message(path) == message
