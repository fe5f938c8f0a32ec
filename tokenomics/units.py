"""The token kinds a measurement can report, and how they nest.

Counts follow the convention of the major APIs: ``input_tokens`` includes cached tokens
(``cache_read_tokens`` and ``cache_write_tokens`` are parts of it) and ``output_tokens``
includes ``reasoning_tokens``. Each kind maps to the price key genai-prices uses, so a price
sheet from genai-prices or a user's CSV plugs in without renaming.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenUnit:
    column: str
    """Column of a measurement holding the count."""
    price_key: str
    """genai-prices key of the price, USD per million tokens."""
    ancestors: tuple[str, ...]
    """Columns whose counts include this one (all levels up)."""
    label: str


TOKEN_UNITS: tuple[TokenUnit, ...] = (
    TokenUnit("input_tokens", "input_mtok", (), "input"),
    TokenUnit("cache_read_tokens", "cache_read_mtok", ("input_tokens",), "cached input (read)"),
    TokenUnit("cache_write_tokens", "cache_write_mtok", ("input_tokens",), "cache write"),
    TokenUnit(
        "cache_write_1h_tokens",
        "cache_write_1h_mtok",
        ("input_tokens", "cache_write_tokens"),
        "cache write (1h)",
    ),
    TokenUnit("output_tokens", "output_mtok", (), "output"),
    TokenUnit("reasoning_tokens", "output_reasoning_mtok", ("output_tokens",), "reasoning"),
)

TOKEN_COLUMNS: tuple[str, ...] = tuple(u.column for u in TOKEN_UNITS)
PRICE_KEYS: tuple[str, ...] = tuple(u.price_key for u in TOKEN_UNITS)
REQUEST_PRICE_KEY = "requests_kcount"
"""USD per thousand API calls (a few providers charge per request)."""

# The stacked "where the money goes" bar uses these groups, in this order.
COST_COMPONENTS: tuple[str, ...] = (
    "cost_input",
    "cost_cache_read",
    "cost_cache_write",
    "cost_output",
    "cost_reasoning",
    "cost_requests",
)
COMPONENT_LABELS: dict[str, str] = {
    "cost_input": "input (uncached)",
    "cost_cache_read": "cached input",
    "cost_cache_write": "cache write",
    "cost_output": "output (visible)",
    "cost_reasoning": "reasoning",
    "cost_requests": "per-request fees",
}


def tier_columns(price_key: str, tier: int) -> tuple[str, str]:
    """Names of the price-table columns holding a tier's start and price (tier counts from 1)."""
    return f"{price_key}__tier{tier}_start", f"{price_key}__tier{tier}_price"
