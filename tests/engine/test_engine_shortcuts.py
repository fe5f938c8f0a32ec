"""The engine's shortcuts give what the long way gives.

A CSV's numbers are parsed by DuckDB's reader (``engine.files.open_file``'s ``typed``), and a
file it refuses, or whose checks fail, is read again as text; one source's attempts are tested
for repeats on the sums' attempt bits (``engine.parse.attempt_bit``), and only a suspect goes to
the exact test. Each case is held to the pandas reader, the reference.
"""

from __future__ import annotations

from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pytest
from engine_data import TODAY, assert_same
from hypothesis import given, settings

from engine.backends import DuckDBBackend
from engine.files import open_file
from engine.parse import ATTEMPT_BITS, Layout, attempt_bit
from engine.run import compare_files
from engine.validate import may_repeat, repeat_sums
from measurements.load import read_measurements
from pricing.book import default_sources
from pricing.comparison import compare_measurements
from tokenomics.errors import InputError

SOURCES = default_sources()
HEADER = "model,provider,task_id,attempt,success,timestamp,input_tokens,output_tokens,cost_usd\n"


RUNS_HEADER = "model,run,date,attempts,successes,input_tokens,cost_usd\n"


def write(path: Path, *lines: str, header: str = HEADER) -> Path:
    path.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def engine_summary(*paths: Path) -> pd.DataFrame:
    [(_, comparison)], _ = compare_files(list(paths), SOURCES, today=TODAY)
    return comparison.summary


def pandas_summary(path: Path) -> pd.DataFrame:
    return compare_measurements(read_measurements(path).frame, SOURCES, today=TODAY).summary


def messages(path: Path) -> tuple[str, str]:
    with pytest.raises(InputError) as pandas_error:
        read_measurements(path)
    with pytest.raises(InputError) as engine_error:
        compare_files([path], SOURCES, today=TODAY)
    return str(pandas_error.value), str(engine_error.value)


def test_a_typed_read_parses_numbers_as_the_text_path_does(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ok.csv",
        "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,1e3,+5,",
        "gpt-4o,openai,t1,2,false,2026-10-01T11:00:00Z, 2e3 ,.5e1,0.01",
        "gpt-4o,openai,t2,1,1,2026-10-02,0001,5.,",
    )
    backend = DuckDBBackend()
    try:
        f = open_file(backend, path)
        assert f.typed and f.layout.kinds["input_tokens"] == "csv_number"
        numbers = backend.execute(backend.table(f.view).select("input_tokens", "output_tokens"))
    finally:
        backend.close()
    assert numbers["input_tokens"].tolist() == [1000.0, 2000.0, 1.0]
    assert numbers["output_tokens"].tolist() == [5.0, 5.0, 5.0]
    assert_same(pandas_summary(path), engine_summary(path))


def test_a_blank_number_stops_the_typed_read_and_is_missing_as_text(tmp_path: Path) -> None:
    # DuckDB's typed reader refuses "   "; the text path reads it as missing, as pandas does.
    path = write(
        tmp_path / "blank.csv",
        "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,   ,500,0.01",
        "gpt-4o,openai,t2,1,false,2026-10-01T11:00:00Z,1000,500,",
    )
    reference = pandas_summary(path)
    assert_same(reference, engine_summary(path))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("output_tokens", "nan"),
        ("output_tokens", "NaN"),
        ("input_tokens", "inf"),
        *(("attempt", value) for value in ("1.5", "nan", "inf", "-inf", "-1", "1e30")),
    ],
)
def test_a_value_the_typed_read_accepts_but_a_check_refuses_is_quoted_as_written(
    tmp_path: Path, field: str, value: str
) -> None:
    # Also: an attempt the checks refuse reaches them (its bit, computed in the same scan, never
    # stops the query first).
    line = {"attempt": "2", "input_tokens": "100", "output_tokens": "50", field: value}
    path = write(
        tmp_path / "bad.csv",
        "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,100,50,",
        f"gpt-4o,openai,t1,{line['attempt']},true,2026-10-01T10:00:00Z,{line['input_tokens']},{line['output_tokens']},",
    )
    pandas_message, engine_message = messages(path)
    assert engine_message == pandas_message
    assert f"line 3, column '{field}'" in engine_message


def test_a_repeat_across_price_windows_is_found(tmp_path: Path) -> None:
    # deepseek-chat's two rows fall in DeepSeek's peak and off-peak windows of 2025: two price
    # groups of the sums, one attempt.
    path = write(
        tmp_path / "twice.csv",
        "deepseek-chat,deepseek,t1,1,true,2025-05-01T10:00:00Z,1000,500,",
        "deepseek-chat,deepseek,t1,2,true,2025-05-01T10:00:00Z,1000,500,",
        "deepseek-chat,deepseek,t1,1,false,2025-05-01T17:00:00Z,1000,500,",
    )
    pandas_message, engine_message = messages(path)
    assert engine_message == pandas_message
    assert "the same attempt twice" in engine_message and "line 4" in engine_message


@pytest.mark.parametrize("repeated", [False, True])
def test_attempts_too_large_for_a_bit_go_to_the_exact_test(tmp_path: Path, repeated: bool) -> None:
    second = ATTEMPT_BITS + 8 if repeated else ATTEMPT_BITS + 9
    path = write(
        tmp_path / "large.csv",
        f"gpt-4o,openai,t1,{ATTEMPT_BITS + 8},true,2026-10-01T10:00:00Z,1000,500,",
        f"gpt-4o,openai,t1,{second},false,2026-10-01T10:00:00Z,1000,500,",
    )
    if repeated:
        pandas_message, engine_message = messages(path)
        assert engine_message == pandas_message
    else:
        assert_same(pandas_summary(path), engine_summary(path))


def test_the_same_attempt_in_two_files_is_not_a_repeat(tmp_path: Path) -> None:
    line = "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,1000,500,"
    summary = engine_summary(write(tmp_path / "a.csv", line), write(tmp_path / "b.csv", line))
    assert summary.set_index("model").at["gpt-4o", "attempts"] == 2


def test_a_file_whose_models_have_no_price_is_compared_from_its_costs(tmp_path: Path) -> None:
    # No band to price any row: the engine stored an empty, untyped price table and failed.
    path = write(
        tmp_path / "runs.csv",
        "in-house-7b,r1,2025-01-01,10,1,100,1",
        "in-house-7b,r2,2025-01-01,10,2,100,1",
        header=RUNS_HEADER,
    )
    reference = pandas_summary(path)
    assert_same(reference, engine_summary(path))
    assert reference["total_cost"].tolist() == [2.0]


ATTEMPTS = st.lists(
    st.tuples(st.sampled_from(["t1", "t2"]), st.integers(0, ATTEMPT_BITS + 4), st.integers(0, 2)),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(ATTEMPTS)
def test_the_bits_clear_exactly_the_attempts_that_do_not_repeat(rows: list[tuple[str, int, int]]) -> None:
    # Rows spread over groups (the third number) as price windows spread them over the sums.
    frame = pd.DataFrame(rows, columns=["task_id", "attempt", "group"]).assign(model="m", attempt_f=lambda f: f.attempt)
    backend = DuckDBBackend(threads=1)
    try:
        t = backend.relation("attempts", frame)
        p = t.select("model", "task_id", "group", attempt=t.attempt_f.cast("float64"))
        bit = attempt_bit(p, Layout(dict.fromkeys(["model", "task_id", "attempt", "success"], "csv"), "per-attempt"))
        assert bit is not None
        p = p.mutate(_bit=bit, label=p.model)
        groups = p.group_by(["label", "task_id", "group"]).aggregate(**repeat_sums(p))
        suspect = may_repeat(backend, groups)
    finally:
        backend.close()
    repeats = frame.duplicated(["task_id", "attempt"]).any()
    large = bool((frame["attempt"] > ATTEMPT_BITS).any())
    assert suspect == (repeats or large)


def test_the_first_file_s_error_comes_first(tmp_path: Path) -> None:
    # The checks ride on the pricing scan of every file; the reader still names the first file's
    # first error, even when a later file breaks an earlier rule, has a line it cannot read, or
    # cannot be opened at all.
    late = write(tmp_path / "a.csv", "gpt-4o,openai,t1,1,maybe,2026-10-01T10:00:00Z,100,50,")
    early = write(tmp_path / "b.csv", "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,-100,50,")
    ragged = write(tmp_path / "c.csv", "gpt-4o,openai,t1,1,true,2026-10-01T10:00:00Z,100,50,,,,")
    unreadable = tmp_path / "d.parquet"
    unreadable.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError) as expected:
        read_measurements(late)
    for second in (early, ragged, unreadable):
        with pytest.raises(InputError) as caught:
            compare_files([late, second], SOURCES, today=TODAY)
        assert str(caught.value) == str(expected.value)
    assert "a.csv, line 2, column 'success': not a yes/no value (found 'maybe')" in str(expected.value)


def test_run_counts_no_integer_holds_are_refused_not_a_crash(tmp_path: Path) -> None:
    # Aggregated runs are summed before their checks name a row: a count past any integer must
    # reach the check, not stop the query.
    runs = ["gpt-4o,r1,2025-01-01,10,1,100,1", "gpt-4o,r2,2025-01-01,1e30,2,100,1", "gpt-4o,r3,2025-01-01,nan,2,100,1"]
    path = write(tmp_path / "runs.csv", *runs, header=RUNS_HEADER)
    pandas_message, engine_message = messages(path)
    assert engine_message == pandas_message
    assert "line 4, column 'attempts': not a number" in engine_message  # the reader checks NaN first
    write(path, *runs[:2], header=RUNS_HEADER)
    pandas_message, engine_message = messages(path)
    assert engine_message == pandas_message
    assert "line 3, column 'attempts': more than" in engine_message
