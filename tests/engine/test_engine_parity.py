"""All engines give the same comparison: pandas (the reference), DuckDB over CSV, JSON Lines and
Parquet, and ClickHouse SQL run in chDB, on rows covering every pricing edge, with totals
worked out by hand (``engine_data``)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from engine_data import (
    BASES,
    CUSTOM,
    O3_COMPONENTS,
    TIERED_COMPONENTS,
    TODAY,
    TOTALS,
    assert_same,
    write_csv,
    write_jsonl,
    write_parquet,
)

from engine.backends import ChdbBackend
from engine.mappings import MappingOptions
from engine.run import compare_files, price_parts, summarised, table_part
from measurements.load import read_measurements
from pricing.book import default_sources
from pricing.comparison import Comparison, compare_measurements
from tokenomics.compare import CompareOptions

OPTIONS = CompareOptions(cost_of_pass=True, resamples=500)
SOURCES = default_sources()


def pandas_path(path: Path, options: CompareOptions = OPTIONS) -> Comparison:
    frame = read_measurements(path).frame
    return compare_measurements(frame, SOURCES, CUSTOM, today=TODAY, options=options)


def duckdb_path(path: Path, options: CompareOptions = OPTIONS) -> Comparison:
    [(_, comparison)], _ = compare_files([path], SOURCES, CUSTOM, today=TODAY, options=options)
    return comparison


def chdb_path(path: Path, options: CompareOptions = OPTIONS) -> Comparison:
    """The rows in a chDB table (typed columns, text timestamps), read through the ``tokenomics`` mapping."""
    backend = ChdbBackend()
    try:
        table = pq.read_table(write_parquet(path.with_suffix(".chdb.parquet")))
        table = table.append_column("row_number", [list(range(table.num_rows))])
        pq.write_table(table, path.with_suffix(".rows.parquet"))
        backend.sql(
            "CREATE TABLE attempts (label Nullable(String), model String, provider Nullable(String), "
            "task_id String, attempt Nullable(Int64), success Bool, input_tokens Nullable(Float64), "
            "cache_read_tokens Nullable(Float64), cache_write_tokens Nullable(Float64), "
            "output_tokens Nullable(Float64), reasoning_tokens Nullable(Float64), calls Nullable(Float64), "
            "cost_usd Nullable(Float64), latency_s Nullable(Float64), timestamp Nullable(String), row_number Int64) "
            "ENGINE = MergeTree ORDER BY tuple()"
        )
        backend.sql(f"INSERT INTO attempts SELECT * FROM file('{path.with_suffix('.rows.parquet')}', Parquet)")
        part = table_part(backend, "attempts", "tokenomics", MappingOptions(order_by="row_number"))
        [(_, comparison)] = summarised(price_parts(backend, [part], SOURCES, CUSTOM, today=TODAY), options)
        return comparison
    finally:
        backend.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parity")
    return {
        "csv": write_csv(folder / "rows.csv"),
        "jsonl": write_jsonl(folder / "rows.jsonl"),
        "parquet": write_parquet(folder / "rows.parquet"),
    }


@pytest.fixture(scope="module")
def reference(files: dict[str, Path]) -> Comparison:
    return pandas_path(files["csv"])


def by_model(comparison: Comparison) -> pd.DataFrame:
    return comparison.summary.set_index("model")


def check_totals(comparison: Comparison) -> None:
    s = by_model(comparison)
    for label, total in TOTALS.items():
        assert s.at[label, "total_cost"] == pytest.approx(total, rel=1e-9), label
    assert np.isnan(s.at["unpriced", "total_cost"])  # never $0
    assert s["cost_basis"].to_dict() == BASES
    for column, value in TIERED_COMPONENTS.items():
        assert s.at["tiered", column] == pytest.approx(value, rel=1e-9), column
    for column, value in O3_COMPONENTS.items():
        assert s.at["o3", column] == pytest.approx(value, rel=1e-9), column
    assert s.at["gpt-4o", "repricing_flag"] == "price date outside the recorded price history"
    assert (s.at["deepseek", "price_from"], s.at["deepseek", "price_to"]) == ("2025-02-26T16:30Z", "2025-09-05T16:00Z")
    assert s.at["tiered", "price_layer"] == "custom"
    assert s.at["o3", "price_layer"] == "genai-prices; correction"


def test_the_pandas_path_gives_the_hand_worked_totals(reference: Comparison) -> None:
    check_totals(reference)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_duckdb_gives_the_pandas_comparison(files: dict[str, Path], reference: Comparison, fmt: str) -> None:
    comparison = duckdb_path(files[fmt])
    check_totals(comparison)
    assert_same(reference.summary, comparison.summary)
    assert_same(reference.prices_in_use, comparison.prices_in_use)
    assert comparison.unpriced == reference.unpriced
    assert comparison.rows is None  # the rows stayed in the engine


WITHOUT = {
    "no label, latency, cost or calls": ("label", "latency_s", "cost_usd", "calls"),
    "no cache or reasoning split": ("cache_read_tokens", "cache_write_tokens", "reasoning_tokens"),
    "no output tokens": ("output_tokens", "reasoning_tokens", "provider"),
}


@pytest.mark.parametrize("case", sorted(WITHOUT))
def test_columns_no_row_has_are_summed_as_the_pandas_path_sums_them(
    files: dict[str, Path], tmp_path: Path, case: str
) -> None:
    # The engine sets the sums of absent columns once per group (engine.relations.fine_sums).
    frame = pd.read_csv(files["csv"], dtype=str, keep_default_na=False).drop(columns=list(WITHOUT[case]))
    path = tmp_path / "fewer.csv"
    frame.to_csv(path, index=False)
    parquet = tmp_path / "fewer.parquet"
    pd.read_csv(path).to_parquet(parquet, index=False)
    reference = pandas_path(path)
    assert_same(reference.summary, duckdb_path(path).summary)
    assert_same(reference.summary, duckdb_path(parquet).summary)


def test_a_retired_name_is_unpriced_after_its_retirement_in_the_engine_too(tmp_path: Path) -> None:
    # DeepSeek retired deepseek-chat on 2026-07-24 15:59 UTC (data/price_corrections.csv).
    path = tmp_path / "retired.csv"
    path.write_text(
        "provider,model,task_id,attempt,success,timestamp,input_tokens,output_tokens,cost_usd\n"
        "deepseek,deepseek-chat,a,1,true,2026-07-20T10:00:00Z,1000000,1000000,\n"
        "deepseek,deepseek-chat,b,1,true,2026-08-20T10:00:00Z,1000000,1000000,\n"
        "deepseek,deepseek-chat,c,1,false,2026-08-21T10:00:00Z,1000000,1000000,0.25\n",
        encoding="utf-8",
    )
    reference = pandas_path(path)
    assert set(reference.unpriced) == {"deepseek/deepseek-chat"}
    assert reference.summary.loc[0, "cost_basis"] == "unpriced"  # never $0
    comparison = duckdb_path(path)
    assert comparison.unpriced == reference.unpriced
    assert_same(reference.summary, comparison.summary)


def test_chdb_runs_the_same_expressions_as_clickhouse_sql(files: dict[str, Path], reference: Comparison) -> None:
    comparison = chdb_path(files["csv"])
    check_totals(comparison)
    assert_same(reference.summary, comparison.summary)
    assert_same(reference.prices_in_use, comparison.prices_in_use)


@pytest.mark.parametrize("engine", [duckdb_path, chdb_path])
def test_published_costs_and_what_if_dates_agree_too(files: dict[str, Path], engine) -> None:
    published = CompareOptions(prefer_published=True, resamples=200, baseline="o3")
    assert_same(pandas_path(files["csv"], published).summary, engine(files["csv"], published).summary)


def test_a_scenario_starts_from_the_same_sums(files: dict[str, Path], reference: Comparison) -> None:
    base, other = reference.base(), duckdb_path(files["parquet"]).base()
    np.testing.assert_allclose(other.cost, base.cost, rtol=1e-9)
    np.testing.assert_allclose(other.task_cost, base.task_cost, rtol=1e-9)
    assert other.task_ids.tolist() == base.task_ids.tolist()
    assert other.per_task.tolist() == base.per_task.tolist()


def test_as_of_prices_every_row_on_that_day(files: dict[str, Path]) -> None:
    """On 2025-07-01 o3 costs $2/$0.50/$8 per million (after the cut): 2 x $0.205."""
    from datetime import date

    frame = read_measurements(files["csv"]).frame
    reference = compare_measurements(frame, SOURCES, CUSTOM, as_of=date(2025, 7, 1), today=TODAY, options=OPTIONS)
    [(_, comparison)], _ = compare_files(
        [files["csv"]], SOURCES, CUSTOM, as_of=date(2025, 7, 1), today=TODAY, options=OPTIONS
    )
    assert by_model(comparison).at["o3", "total_cost"] == pytest.approx(0.41, rel=1e-9)
    assert_same(reference.summary, comparison.summary)


def test_several_files_keep_their_order(files: dict[str, Path], tmp_path: Path) -> None:
    second = write_csv(tmp_path / "more.csv")
    with contextlib.redirect_stderr(io.StringIO()):
        frames = [read_measurements(p).frame for p in (files["csv"], second)]
    reference = compare_measurements(
        pd.concat(frames, ignore_index=True), SOURCES, CUSTOM, today=TODAY, options=OPTIONS
    )
    [(_, comparison)], _ = compare_files([files["parquet"], second], SOURCES, CUSTOM, today=TODAY, options=OPTIONS)
    assert_same(reference.summary, comparison.summary)


def test_chdb_without_join_use_nulls_would_make_an_unpriced_model_free() -> None:
    """Why the setting is forced on every ClickHouse query: a LEFT JOIN miss is 0, not NULL, without it."""
    backend = ChdbBackend()
    try:
        backend.sql("CREATE TABLE r (model String) ENGINE = Memory")
        backend.sql("CREATE TABLE p (model String, price Float64) ENGINE = Memory")
        backend.sql("INSERT INTO r VALUES ('priced'), ('unpriced')")
        backend.sql("INSERT INTO p VALUES ('priced', 2.5)")
        query = "SELECT r.model, p.price FROM r LEFT JOIN p ON r.model = p.model ORDER BY r.model"
        assert backend.query(query)["price"].isna().tolist() == [False, True]
        assert backend.query(query + " SETTINGS join_use_nulls = 0")["price"].tolist() == [2.5, 0.0]
    finally:
        backend.close()
