"""A user's own price sheet (CSV or YAML), validated with pydantic.

Columns use genai-prices' price keys, in USD per million tokens::

    provider,model,input_mtok,cache_read_mtok,cache_write_mtok,output_mtok,source,checked_on
    deepseek,deepseek-chat,0.28,0.028,,0.42,https://api-docs.deepseek.com/quick_start/pricing,2025-10-01

A custom row overrides the genai-prices price for the same provider and model, and is marked
``custom`` wherever it is shown. Long-context tiers: in YAML a ``tiers`` list of
``{start: 200000, input_mtok: ..., output_mtok: ...}``; in CSV an extra row for the same
provider and model with a ``tier_start`` value (the prompt size above which it applies).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tokenomics.errors import InputError

Price = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class CustomTier(BaseModel):
    """Prices that apply to every token of a call once its prompt exceeds ``start`` tokens."""

    model_config = ConfigDict(extra="forbid")
    start: Annotated[int, Field(ge=0)]
    """Prompt size in tokens above which the tier applies (genai-prices' cliff rule)."""
    input_mtok: Price | None = None
    cache_read_mtok: Price | None = None
    cache_write_mtok: Price | None = None
    cache_write_1h_mtok: Price | None = None
    output_mtok: Price | None = None
    output_reasoning_mtok: Price | None = None


class CustomPrice(BaseModel):
    """One provider/model's prices, with where they came from and when they were checked."""

    model_config = ConfigDict(extra="forbid")
    provider: Annotated[str, Field(min_length=1)]
    """Provider id as genai-prices spells it (``openai``, ``deepseek``, ``openrouter``...)."""
    model: Annotated[str, Field(min_length=1)]
    """The model id as it appears in measurements."""
    input_mtok: Price
    """USD per million uncached input tokens."""
    output_mtok: Price
    """USD per million output tokens (reasoning included unless ``output_reasoning_mtok``)."""
    cache_read_mtok: Price | None = None
    """USD per million input tokens read from cache; absent: billed as input."""
    cache_write_mtok: Price | None = None
    """USD per million input tokens written to cache; absent: billed as input."""
    cache_write_1h_mtok: Price | None = None
    """USD per million tokens written to a one-hour cache."""
    output_reasoning_mtok: Price | None = None
    """USD per million reasoning tokens, for providers that bill them apart from output."""
    requests_kcount: Price | None = None
    """USD per thousand API calls."""
    tiers: list[CustomTier] = []
    source: Annotated[str, Field(min_length=1)]
    """Where the price was read (a URL, a contract reference)."""
    checked_on: date
    """When someone last checked the price at its source."""


_TIER_FIELDS = set(CustomTier.model_fields) - {"start"}


def parse_sheet(data: bytes, name: str) -> list[CustomPrice]:
    """Parse a CSV or YAML price sheet; raise ``InputError`` naming the line and field on bad input."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (bad byte at offset {exc.start})", file=name, expected="a UTF-8 CSV or YAML file"
        ) from None
    if not text.strip():
        raise InputError("the file is empty", file=name, expected="a header line and at least one price row")
    if name.lower().endswith((".yaml", ".yml")):
        return _parse_yaml(text, name)
    return _parse_csv(text, name)


def load_sheet(path: str | Path) -> list[CustomPrice]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from None
    return parse_sheet(data, str(path))


def _validate(raw: dict[str, Any], name: str, line: int | None, model: type[BaseModel] = CustomPrice) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        if model is CustomTier and field == "start":
            field = "tier_start"
        raise InputError(
            err["msg"].lower(),
            file=name,
            line=line,
            column=field,
            found=err.get("input") if err["type"] != "missing" else None,
        ) from None


def _parse_yaml(text: str, name: str) -> list[CustomPrice]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError("not valid YAML", file=name, line=mark.line + 1 if mark else None) from None
    if isinstance(raw, dict) and "prices" in raw:
        raw = raw["prices"]
    if not isinstance(raw, list):
        raise InputError("expected a list of price entries", file=name, found=type(raw).__name__)
    out = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InputError(f"entry {i} is not a mapping", file=name, found=item)
        out.append(_validate(item, f"{name} entry {i}", None))
    return out


def _parse_csv(text: str, name: str) -> list[CustomPrice]:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError("duplicate column in the header", file=name, line=1, column=dupes[0])
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    lines: dict[tuple[str, str], int] = {}
    tiers: list[tuple[int, dict[str, Any]]] = []
    for line_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(f"{len(values)} fields where the header has {len(header)}", file=name, line=line_no)
        raw = {k: v.strip() for k, v in zip(header, values, strict=True) if v.strip() != ""}
        if "tier_start" in raw:
            tiers.append((line_no, raw))
            continue
        key = (raw.get("provider", "").lower(), raw.get("model", "").lower())
        if key in entries:
            raise InputError(
                f"a second base price for {key[0]}/{key[1]} (first on line {lines[key]})", file=name, line=line_no
            )
        entries[key], lines[key] = raw, line_no
    for line_no, raw in tiers:
        key = (raw.get("provider", "").lower(), raw.get("model", "").lower())
        if key not in entries:
            raise InputError(
                "a tier row with no base row for its provider and model", file=name, line=line_no, column="tier_start"
            )
        tier = {k: v for k, v in raw.items() if k in _TIER_FIELDS}
        tier["start"] = raw["tier_start"]
        # Checked here so an error names the tier row's own line, not its base row's.
        entries[key].setdefault("tiers", []).append(_validate(tier, name, line_no, CustomTier).model_dump())
    return [_validate(raw, name, lines[key]) for key, raw in entries.items()]
