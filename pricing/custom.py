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

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from inputs import safe_csv, safe_yaml
from inputs.limits import current
from inputs.safe_json import decode_text
from tokenomics.errors import InputError

MAX_TIERS = 4
"""Long-context tiers per price: as many as the price table holds (pricing.layers uses this one)."""

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

    @model_validator(mode="after")
    def _tiers_distinct(self) -> CustomPrice:
        if len(self.tiers) > MAX_TIERS:
            raise ValueError(f"{len(self.tiers)} long-context tiers; at most {MAX_TIERS} are supported")
        starts = [t.start for t in self.tiers]
        if len(set(starts)) != len(starts):
            raise ValueError(f"two tiers start at {max(starts, key=starts.count):,} tokens")
        return self


_TIER_FIELDS = set(CustomTier.model_fields) - {"start"}


def parse_sheet(data: bytes, name: str) -> list[CustomPrice]:
    """Parse a CSV or YAML price sheet; raise ``InputError`` naming the line and field on bad input."""
    text = decode_text(data, name, "a UTF-8 CSV or YAML file")
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


_PRICE_FIELDS = ("input_mtok", "output_mtok", *sorted(_TIER_FIELDS - {"input_mtok", "output_mtok"}))


def _check_bounds(entry: BaseModel, name: str, line: int | None, prefix: str = "") -> None:
    """Refuse prices, tier starts and dates past the stated bounds (``inputs.limits``)."""
    limits = current()
    for field in _PRICE_FIELDS:
        value = getattr(entry, field, None)
        if value is not None and value > limits.max_usd_per_mtok:
            raise InputError(
                f"more than ${limits.max_usd_per_mtok:,.0f} per million tokens",
                file=name,
                line=line,
                column=prefix + field,
                found=value,
                expected="a plausible price (raise the bound with TOKENOMICS_MAX_USD_PER_MTOK if it is real)",
            )
    requests = getattr(entry, "requests_kcount", None)
    if requests is not None and requests > limits.max_usd_per_kcalls:
        raise InputError(
            f"more than ${limits.max_usd_per_kcalls:,.0f} per thousand calls",
            file=name,
            line=line,
            column="requests_kcount",
            found=requests,
            expected="a plausible price (raise the bound with TOKENOMICS_MAX_USD_PER_KCALLS if it is real)",
        )
    start = getattr(entry, "start", None)
    if start is not None and start > limits.max_tier_start:
        raise InputError(
            f"a tier starting above {limits.max_tier_start:,.0f} tokens",
            file=name,
            line=line,
            column=prefix + "start" if prefix else "tier_start",
            found=start,
            expected="a prompt size in tokens",
        )
    checked = getattr(entry, "checked_on", None)
    if checked is not None and not limits.check_date(checked):
        raise InputError(
            "a date outside the plausible range",
            file=name,
            line=line,
            column="checked_on",
            found=checked.isoformat(),
            expected=limits.date_range,
        )
    for i, tier in enumerate(getattr(entry, "tiers", []) or []):
        _check_bounds(tier, name, line, f"tiers.{i}.")


def _validate(raw: dict[str, Any], name: str, line: int | None, model: type[BaseModel] = CustomPrice) -> Any:
    try:
        entry = model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        if model is CustomTier and field == "start":
            field = "tier_start"
        raise InputError(
            err["msg"].removeprefix("Value error, ").lower(),
            file=name,
            line=line,
            column=field or None,
            found=err.get("input") if err["type"] not in ("missing", "value_error") else None,
        ) from None
    _check_bounds(entry, name, line)
    return entry


def _parse_yaml(text: str, name: str) -> list[CustomPrice]:
    raw = safe_yaml.load(text, name)
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
    safe_csv.check_line_lengths(text, name)
    header, dropped = safe_csv.header(text, name)
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    lines: dict[tuple[str, str], int] = {}
    tiers: list[tuple[int, dict[str, Any]]] = []
    for line_no, record in safe_csv.records(text, name):
        values = safe_csv.trim(record, len(header), dropped)
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
        checked = _validate(tier, name, line_no, CustomTier)
        earlier = entries[key].setdefault("tiers", [])
        if any(t["start"] == checked.start for t in earlier):
            raise InputError(
                "a second tier with the same start", file=name, line=line_no, column="tier_start", found=checked.start
            )
        if len(earlier) == MAX_TIERS:
            raise InputError(
                f"a tier beyond the {MAX_TIERS} supported",
                file=name,
                line=line_no,
                column="tier_start",
                expected=f"at most {MAX_TIERS} tier rows per provider and model",
            )
        earlier.append(checked.model_dump())
    return [_validate(raw, name, lines[key]) for key, raw in entries.items()]
