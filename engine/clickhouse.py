"""A ClickHouse server as a source: ``clickhouse://HOST[:PORT]/DATABASE``, queried over HTTP.

The expressions are compiled by Ibis to ClickHouse SQL (``engine.backends.ClickHouseDialect``)
and sent to the server's HTTP interface; results come back as Arrow. Credentials come from the
environment only (``TOKENOMICS_CLICKHOUSE_USER``, ``TOKENOMICS_CLICKHOUSE_PASSWORD``): a URL
holding a user or password is refused, and neither ever reaches a message, a log or a result.
The server's replies are bounded (``MAX_REPLY_BYTES``) and its error text is cut to one line.

The user needs ``readonly = 2`` (or no read-only limit): each query sets ``join_use_nulls``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import pyarrow as pa
from ibis.backends.sql.datatypes import ClickHouseType

from engine.backends import CLICKHOUSE_SETTINGS, ClickHouseDialect
from tokenomics.errors import InputError, clip

ENV_USER = "TOKENOMICS_CLICKHOUSE_USER"
ENV_PASSWORD = "TOKENOMICS_CLICKHOUSE_PASSWORD"
MAX_REPLY_BYTES = 1 << 30
"""The sums that come back are small (models x tasks); a larger reply is refused, not loaded."""
TIMEOUT_S = 3600.0
SCHEMES = {"clickhouse": ("http", 8123), "clickhouses": ("https", 8443)}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Address:
    scheme: str
    host: str
    port: int
    database: str

    def __str__(self) -> str:
        """As messages name the source (never with credentials)."""
        back = next(k for k, (s, _) in SCHEMES.items() if s == self.scheme)
        return f"{back}://{self.host}:{self.port}/{self.database}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/"


def parse_source(text: str) -> Address:
    """``clickhouse://HOST[:PORT]/DATABASE`` (HTTP, port 8123) or ``clickhouses://...`` (HTTPS, 8443)."""
    parts = urlsplit(text.strip())
    if parts.scheme not in SCHEMES:
        raise InputError(
            "not a ClickHouse source", found=text[:60], expected="clickhouse://HOST[:PORT]/DATABASE (or clickhouses://)"
        )
    if parts.username or parts.password:
        raise InputError(
            "credentials in the source address",
            expected=f"the address without them; set {ENV_USER} and {ENV_PASSWORD} in the environment",
        )
    database = parts.path.strip("/") or "default"
    if not parts.hostname or not NAME.match(database):
        raise InputError("not a ClickHouse source", expected="clickhouse://HOST[:PORT]/DATABASE")
    scheme, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise InputError("not a port number in the source address", expected="a port from 1 to 65535") from None
    return Address(scheme, parts.hostname, port, database)


def check_name(table: str) -> str:
    if not NAME.match(table):
        raise InputError("not a table name", found=table[:60], expected="letters, digits and underscores")
    return table


class HttpRunner:
    """Sends SQL to a ClickHouse server's HTTP interface; returns the result as a frame."""

    def __init__(self, address: Address, client: httpx.Client | None = None) -> None:
        self.address = address
        self._client = client or httpx.Client(timeout=TIMEOUT_S)
        user = os.environ.get(ENV_USER, "default")
        password = os.environ.get(ENV_PASSWORD, "")
        self._headers = {"X-ClickHouse-User": user, "X-ClickHouse-Key": password}
        self._secret = password

    def _redacted(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def __call__(self, sql: str) -> pd.DataFrame:
        params = {"database": self.address.database, "default_format": "ArrowStream", **CLICKHOUSE_SETTINGS}
        try:
            with self._client.stream(
                "POST", self.address.url, params=params, content=sql.encode(), headers=self._headers
            ) as reply:
                body = bytearray()
                for chunk in reply.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_REPLY_BYTES:
                        raise InputError(
                            f"the ClickHouse reply passed {MAX_REPLY_BYTES:,} bytes",
                            file=str(self.address),
                            expected="sums per model and task (a smaller table, or fewer tasks)",
                        )
                status = reply.status_code
        except httpx.HTTPError as exc:
            raise InputError(
                f"cannot reach ClickHouse ({type(exc).__name__}: {clip(self._redacted(str(exc)), 150)})",
                file=str(self.address),
            ) from None
        if status != 200:
            text = bytes(body[:2000]).decode("utf-8", "replace")
            raise InputError(
                f"ClickHouse refused the query (HTTP {status}: {clip(self._redacted(text), 300)})",
                file=str(self.address),
            )
        if not body:
            return pd.DataFrame()
        try:
            table = pa.ipc.open_stream(pa.BufferReader(bytes(body))).read_all()
        except pa.ArrowException as exc:
            raise InputError(
                f"not an Arrow reply from ClickHouse ({clip(str(exc), 150)})", file=str(self.address)
            ) from None
        return table.to_pandas()


def _ibis_type(text: str) -> dt.DataType:
    # Ibis reads Decimal(P, S) but not ClickHouse's DecimalNN(S) spellings.
    spelled = re.sub(
        r"Decimal(32|64|128|256)\((\d+)\)", lambda m: f"Decimal({_precision(m.group(1))}, {m.group(2)})", text
    )
    return ClickHouseType.from_string(spelled)


def _precision(bits: str) -> int:
    return {"32": 9, "64": 18, "128": 38, "256": 76}[bits]


def describe(backend: ClickHouseDialect, database: str | None, table: str) -> ibis.Schema:
    """The table's columns and types, asked of the server."""
    where = f"{database}.{table}" if database else table
    columns = backend.query(f"DESCRIBE TABLE {where}")
    if columns.empty:
        raise InputError("no such table, or no columns", file=where)
    return ibis.schema({str(n): _ibis_type(str(t)) for n, t in zip(columns["name"], columns["type"], strict=True)})
