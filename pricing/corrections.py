"""The project's dated price corrections: the second price layer, after a user's own sheets.

Price libraries go stale (genai-prices carried DeepSeek's January-2025 prices into late 2026)
and have no history before they first recorded a model. ``data/price_corrections.csv`` holds
one row per provider, model and period (and time-of-day window, where a provider had one),
with every unit price the period had and where it was read. A row without a source does not
go in: the loader refuses it, and refuses two rows whose periods and windows overlap. A row with
a daily window may sit over an all-day row of the same period: inside its window it wins (peak or
off-peak hours over a base price, as genai-prices models them).

    provider,model,effective_from,effective_to,utc_from,utc_to,input_mtok,...,source,checked_on,note

A *retired* row (``retired`` true, no prices) says the provider stopped serving the model under
that name from ``effective_from``: a row dated then is priced by no layer, so a library that still
lists the name's last price (genai-prices kept DeepSeek's January-2025 ``deepseek-chat`` price
after DeepSeek retired the name) does not price calls the provider could not have billed.

``effective_from`` and ``effective_to`` are UTC days (``2025-09-29``) or instants
(``2025-09-05T16:00Z``: DeepSeek changes prices at midnight Beijing time); ``effective_to`` is
exclusive and empty while the price is still in force. ``utc_from`` and ``utc_to`` (``HH:MM``
UTC, both or neither) bound a daily window, which may wrap midnight.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from inputs.bundled import data_file
from tokenomics.errors import InputError

Price = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]
SECONDS_PER_DAY = 86_400


def to_moment(value: object) -> object:
    """A day or an ISO instant as a naive UTC datetime (a day is its midnight UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if "T" not in text:
            return datetime.combine(date.fromisoformat(text), time())
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("an instant needs its UTC offset (e.g. 2025-09-05T16:00Z)")
        return parsed.astimezone(UTC).replace(tzinfo=None)
    return value


Moment = Annotated[datetime, BeforeValidator(to_moment)]


class Correction(BaseModel):
    """One provider/model's prices during one period (and daily window), with their source."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    provider: Annotated[str, Field(min_length=1)]
    """Provider id: genai-prices' where it knows the provider (``deepseek``), else LiteLLM's (``dashscope``)."""
    model: Annotated[str, Field(min_length=1)]
    """Model id as the provider names it."""
    effective_from: Moment
    """First day (UTC), or instant, the price applied."""
    effective_to: Moment | None = None
    """First day or instant it no longer applied; empty while still in force."""
    utc_from: time | None = None
    """Start of the daily window (UTC) the price applied in; empty: all day."""
    utc_to: time | None = None
    """End of the daily window (exclusive); may be earlier than ``utc_from`` (wraps midnight)."""
    retired: bool = False
    """The provider no longer serves the model under this name from ``effective_from`` (prices empty)."""
    input_mtok: Price | None = None
    """USD per million uncached input tokens (required unless ``retired``)."""
    output_mtok: Price | None = None
    """USD per million output tokens (reasoning included unless ``output_reasoning_mtok``; required
    unless ``retired``)."""
    cache_read_mtok: Price | None = None
    """USD per million input tokens read from cache (a cache hit)."""
    cache_write_mtok: Price | None = None
    """USD per million input tokens written to cache."""
    output_reasoning_mtok: Price | None = None
    """USD per million thinking tokens, where the provider billed them apart from output."""
    source: Annotated[str, Field(min_length=8)]
    """Where the price was read: a URL or a document, specific enough to check."""
    checked_on: date
    """When the price was last checked at its source."""
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Correction:
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        if (self.utc_from is None) != (self.utc_to is None):
            raise ValueError("utc_from and utc_to go together (both or neither)")
        if self.utc_from is not None and self.utc_from == self.utc_to:
            raise ValueError("utc_from and utc_to are equal: leave both empty for all day")
        prices = (
            self.input_mtok,
            self.output_mtok,
            self.cache_read_mtok,
            self.cache_write_mtok,
            self.output_reasoning_mtok,
        )
        if self.retired:
            if any(p is not None for p in prices):
                raise ValueError("a retired row has no prices: the name has none from effective_from")
            if self.utc_from is not None:
                raise ValueError("a retirement is for all day: leave utc_from and utc_to empty")
        elif self.input_mtok is None or self.output_mtok is None:
            raise ValueError("input_mtok and output_mtok are required (empty only on a retired row)")
        return self

    def window_seconds(self) -> tuple[int, int] | None:
        """The daily window as seconds after midnight UTC, or None for all day."""
        if self.utc_from is None or self.utc_to is None:
            return None
        return _seconds(self.utc_from), _seconds(self.utc_to)


def _seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _window_set(window: tuple[int, int] | None) -> list[tuple[int, int]]:
    """A daily window as non-wrapping [start, end) second ranges."""
    if window is None:
        return [(0, SECONDS_PER_DAY)]
    start, end = window
    return [(start, end)] if start < end else [(start, SECONDS_PER_DAY), (0, end)]


def _overlap(a: Correction, b: Correction) -> bool:
    a_end = a.effective_to or datetime.max
    b_end = b.effective_to or datetime.max
    if a.effective_from >= b_end or b.effective_from >= a_end:
        return False
    if (a.window_seconds() is None) != (b.window_seconds() is None):
        return False  # a window over an all-day price: the window wins inside it
    return any(
        s1 < e2 and s2 < e1 for s1, e1 in _window_set(a.window_seconds()) for s2, e2 in _window_set(b.window_seconds())
    )


def _blank_to_none(record: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in record.items() if v is not None and v.strip() != ""}


def parse_corrections(data: bytes, name: str) -> list[tuple[int, Correction]]:
    """(line, correction) for every row; ``InputError`` naming file, line and field at the first problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=name, expected="a UTF-8 CSV file") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or [])
    missing = {"provider", "model", "effective_from", "input_mtok", "output_mtok", "source", "checked_on"} - fields
    if missing:
        raise InputError(
            "missing columns: " + ", ".join(sorted(missing)), file=name, line=1, expected="the columns of Correction"
        )
    rows: list[tuple[int, Correction]] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            raise InputError("more fields than the header", file=name, line=line, expected="one value per column")
        try:
            rows.append((line, Correction.model_validate(_blank_to_none(record))))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            found = first.get("input") if first["type"] != "missing" and field else None
            raise InputError(
                first["msg"].removeprefix("Value error, "),
                file=name,
                line=line,
                column=field or None,
                found=found if isinstance(found, str | int | float) else None,
            ) from None
    _check_overlaps(rows, name)
    return rows


def _check_overlaps(rows: list[tuple[int, Correction]], name: str) -> None:
    by_model: dict[tuple[str, str], list[tuple[int, Correction]]] = {}
    for line, row in rows:
        by_model.setdefault((row.provider.lower(), row.model.lower()), []).append((line, row))
    for (provider, model), group in by_model.items():
        for i, (line_a, a) in enumerate(group):
            for line_b, b in group[i + 1 :]:
                if _overlap(a, b):
                    raise InputError(
                        f"{provider}/{model}: its period overlaps the one on line {line_a}",
                        file=name,
                        line=line_b,
                        column="effective_from",
                        expected="periods (and daily windows) of one model that do not overlap",
                    )


def corrections_path() -> Path:
    return data_file("price_corrections.csv")


def load_corrections(path: str | Path | None = None) -> list[Correction]:
    """The bundled corrections (or another file in the same format)."""
    target = Path(path) if path is not None else corrections_path()
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the price corrections ({exc.strerror})", file=str(target)) from None
    return [row for _, row in parse_corrections(data, str(target))]
