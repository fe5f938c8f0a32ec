"""AppTest of the Compare page on a large file by path and on a ClickHouse table (local use only),
and of its cache: pricing is keyed by the data and the prices, the summary by the options."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LOCAL = "A large file or a ClickHouse table"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from engine_data import TOTALS, write_csv, write_parquet  # noqa: E402


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/compare.py")
    return at.run()


def summary_table(at: AppTest):
    return next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_a_parquet_file_by_path_is_priced_by_the_engine(app: AppTest, tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "rows.parquet")
    app.radio(key="source").set_value(LOCAL).run()
    at = app.text_input(key="local_path").set_value(str(path)).run()
    no_errors(at)
    table = summary_table(at).set_index("model")
    # Without the test's custom sheet the custom model is unpriced; the rest is priced as in the parity test.
    for label in ("o3", "deepseek", "observed"):
        assert table.at[label, "total_cost"] == pytest.approx(TOTALS[label], rel=1e-9)
    assert "tiered" not in table.index  # no price without the custom sheet: listed apart, not ranked


def test_a_small_csv_by_path_takes_the_pandas_path(app: AppTest, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rows.csv")
    app.radio(key="source").set_value(LOCAL).run()
    at = app.text_input(key="local_path").set_value(str(path)).run()
    no_errors(at)
    assert summary_table(at).set_index("model").at["o3", "total_cost"] == pytest.approx(TOTALS["o3"], rel=1e-9)


def test_a_missing_file_is_one_message(app: AppTest, tmp_path: Path) -> None:
    app.radio(key="source").set_value(LOCAL).run()
    at = app.text_input(key="local_path").set_value(str(tmp_path / "nope.parquet")).run()
    assert not at.exception
    [error] = at.error
    assert "no such file" in error.value and "Traceback" not in error.value


def test_an_unreachable_clickhouse_server_is_one_message(app: AppTest) -> None:
    app.radio(key="source").set_value(LOCAL).run()
    app.text_input(key="ch_source").set_value("clickhouse://127.0.0.1:1/logs")
    at = app.text_input(key="ch_table").set_value("spend_logs").run()
    assert not at.exception
    [error] = at.error
    assert "cannot reach ClickHouse" in error.value


def test_shared_server_offers_no_path_and_no_clickhouse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKENOMICS_SHARED", "1")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/compare.py")
    at.run()
    assert LOCAL not in at.radio(key="source").options
    from tokenomics.errors import InputError
    from ui.large import _local_only

    with pytest.raises(InputError, match="for local use"):
        _local_only()


def test_a_new_reference_redoes_the_summary_not_the_pricing(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.data

    calls = []
    original = ui.data.price_measurements

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(ui.data, "price_measurements", counted)
    st.cache_data.clear()
    at = app.run()
    priced_once = len(calls)
    assert priced_once >= 1
    reference = at.selectbox(key="compare_b_aider-polyglot")
    others = [m for m in reference.options if m != reference.value]
    at = reference.set_value(others[3]).run()
    no_errors(at)
    at = at.toggle(key="cost_of_pass").set_value(True).run()
    no_errors(at)
    assert len(calls) == priced_once  # the rows were priced once; only the per-model tables were redone
    assert summary_table(at)["discount_per_success"].notna().any()
