"""``--source clickhouse://...``: the address, the credentials, and the HTTP exchange.

The server is played by chDB behind an ``httpx`` mock transport: the client sends exactly what
it would send a ClickHouse server (SQL in the body, settings and database as parameters, the
user and password as headers), and gets Arrow back.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from engine_data import CUSTOM, TODAY, TOTALS, assert_same, write_parquet

from cli.main import main
from engine import clickhouse
from engine.backends import ChdbBackend
from engine.clickhouse import parse_source
from engine.run import price_clickhouse, summarised
from pricing.book import default_sources
from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError

PASSWORD = "s3cret-pass"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbBackend]:
    folder = tmp_path_factory.mktemp("clickhouse")
    table = pq.read_table(write_parquet(folder / "rows.parquet"))
    pq.write_table(table.append_column("row_number", [list(range(table.num_rows))]), folder / "ordered.parquet")
    backend = ChdbBackend()
    backend.sql("CREATE DATABASE logs")
    backend.sql(
        "CREATE TABLE logs.attempts ENGINE = MergeTree ORDER BY tuple() AS "
        f"SELECT * FROM file('{folder / 'ordered.parquet'}', Parquet)"
    )
    yield backend
    backend.close()


def transport(server: ChdbBackend, seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers["X-ClickHouse-Key"] != PASSWORD:
            return httpx.Response(
                516,
                text=f"Code: 516. Authentication failed: password {request.headers['X-ClickHouse-Key']} is incorrect",
            )
        params = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        settings = ", ".join(f"{k} = {v!r}" for k, v in params.items() if k not in ("database", "default_format"))
        sql = request.content.decode()
        if not sql.startswith("DESCRIBE"):
            sql += f" SETTINGS {settings}"
        sql = sql.replace("DESCRIBE TABLE attempts", "DESCRIBE TABLE logs.attempts")
        try:
            reply = server.session.query(sql, "ArrowStream")
        except Exception as exc:
            return httpx.Response(500, text=str(exc))
        return httpx.Response(200, content=reply.bytes())

    return httpx.MockTransport(handle)


def run(server: ChdbBackend, seen: list[httpx.Request], table: str = "attempts"):
    client = httpx.Client(transport=transport(server, seen))
    priced = price_clickhouse(
        "clickhouse://clickhouse.internal/logs",
        table,
        default_sources(),
        CUSTOM,
        mapping="tokenomics",
        today=TODAY,
        client=client,
    )
    (only,) = summarised(priced, CompareOptions(resamples=100))
    return only[1]


def test_a_table_on_a_server_is_priced_there(server: ChdbBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clickhouse.ENV_USER, "reader")
    monkeypatch.setenv(clickhouse.ENV_PASSWORD, PASSWORD)
    seen: list[httpx.Request] = []
    summary = run(server, seen).summary.set_index("model")
    for label, total in TOTALS.items():
        assert summary.at[label, "total_cost"] == pytest.approx(total, rel=1e-9)
    first = seen[0]
    assert first.url.host == "clickhouse.internal" and first.url.port == 8123
    assert first.headers["X-ClickHouse-User"] == "reader"
    params = parse_qs(seen[-1].url.query.decode())
    assert params["join_use_nulls"] == ["1"] and params["database"] == ["logs"]
    assert params["session_timezone"] == ["UTC"]
    # The password travels in a header only, never in the address or the SQL.
    assert all(PASSWORD not in str(r.url) and PASSWORD.encode() not in r.content for r in seen)


def test_a_refused_query_is_one_line_without_the_password(server: ChdbBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clickhouse.ENV_PASSWORD, "wrong-" + PASSWORD)
    with pytest.raises(InputError) as caught:
        run(server, [])
    message = str(caught.value)
    assert message.startswith("clickhouse://clickhouse.internal:8123/logs: ClickHouse refused the query (HTTP 516:")
    assert PASSWORD not in message and "\n" not in message


def test_an_unknown_table(server: ChdbBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clickhouse.ENV_PASSWORD, PASSWORD)
    with pytest.raises(InputError, match="ClickHouse refused the query"):
        run(server, [], table="nothing")


def test_a_reply_past_the_bound_is_refused(server: ChdbBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clickhouse.ENV_PASSWORD, PASSWORD)
    monkeypatch.setattr(clickhouse, "MAX_REPLY_BYTES", 100)
    with pytest.raises(InputError, match="the ClickHouse reply passed 100 bytes"):
        run(server, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clickhouse://ch.example.com/logs", ("http", "ch.example.com", 8123, "logs")),
        ("clickhouses://ch.example.com:9443/logs", ("https", "ch.example.com", 9443, "logs")),
        ("clickhouse://localhost", ("http", "localhost", 8123, "default")),
    ],
)
def test_addresses(text: str, expected: tuple[str, str, int, str]) -> None:
    address = parse_source(text)
    assert (address.scheme, address.host, address.port, address.database) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("clickhouse://user:pw@host/db", "credentials in the source address"),
        ("postgres://host/db", "not a ClickHouse source"),
        ("clickhouse://host/db;drop", "not a ClickHouse source"),
        ("clickhouse://host:99999/db", "not a port number"),
    ],
)
def test_bad_addresses(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_source(text)


def test_the_cli_refuses_a_table_name_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--source", "clickhouse://localhost:1/db", "--table", "t; DROP TABLE x"]) == 2
    assert "not a table name" in capsys.readouterr().err


def test_the_cli_says_when_the_server_cannot_be_reached(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--source", "clickhouse://127.0.0.1:1/db", "--table", "t"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: clickhouse://127.0.0.1:1/db: cannot reach ClickHouse") and err.count("\n") == 1


def test_the_cli_prices_a_parquet_file_in_duckdb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_parquet(tmp_path / "rows.parquet")
    assert main(["compare", "--measurements", str(path), "--format", "csv", "--as-of", "2025-07-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("model,provider,attempts")
    assert (
        main(["compare", "--measurements", str(path), "--engine", "pandas", "--format", "csv", "--as-of", "2025-07-01"])
        == 0
    )
    assert_same(pd.read_csv(io.StringIO(capsys.readouterr().out)), pd.read_csv(io.StringIO(out)))
