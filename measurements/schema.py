"""The two measurement shapes and what each column means (the README's table comes from here)."""

from __future__ import annotations

from dataclasses import dataclass

from tokenomics.units import TOKEN_COLUMNS


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    """``text``, ``count`` (non-negative number), ``integer`` (non-negative whole number), ``bool`` or ``time``."""
    doc: str


PER_ATTEMPT_REQUIRED = ("model", "task_id", "success")
AGGREGATED_REQUIRED = ("model", "attempts", "successes")

_TOKEN_DOCS = {
    "input_tokens": "prompt tokens, cached ones included (as the major APIs report them)",
    "cache_read_tokens": "the part of input_tokens read from cache",
    "cache_write_tokens": "the part of input_tokens written to cache",
    "cache_write_1h_tokens": "the part of cache_write_tokens written to a one-hour cache",
    "output_tokens": "completion tokens, reasoning included (as OpenAI reports them)",
    "reasoning_tokens": "the part of output_tokens spent reasoning",
}

COMMON: tuple[Column, ...] = (
    Column("model", "text", "model id as the API names it; `provider/model` also works"),
    Column("provider", "text", "provider id as genai-prices spells it (optional: inferred from the model)"),
    Column("label", "text", "name shown in the comparison (default: model); rows with one label are pooled"),
    Column("dataset", "text", "the dataset (benchmark, task set or log) the row was measured on"),
    *(Column(c, "integer", _TOKEN_DOCS[c]) for c in TOKEN_COLUMNS),
    Column("calls", "integer", "API calls the row sums (long-context tiers are chosen per call)"),
    Column("cost_usd", "count", "observed cost in USD; used when tokens or prices are missing"),
    Column("latency_s", "count", "wall time in seconds"),
    Column(
        "editor_model",
        "text",
        "a second model the row's cost includes (an architect/editor pair): never repriced with one model's price",
    ),
    Column(
        "token_note",
        "text",
        "why the row's token counts cannot be priced (e.g. incomplete): the row is costed from cost_usd",
    ),
)
PER_ATTEMPT: tuple[Column, ...] = (
    *COMMON,
    Column("task_id", "text", "the task attempted"),
    Column("success", "bool", "true/false, 1/0, yes/no or pass/fail"),
    Column("attempt", "integer", "attempt number on this task"),
    Column("timestamp", "time", "when the attempt ran (ISO 8601); sets its pricing time"),
)
AGGREGATED: tuple[Column, ...] = (
    *COMMON,
    Column("attempts", "integer", "attempts in the run (at least 1)"),
    Column("successes", "integer", "successful attempts (at most attempts)"),
    Column("date", "time", "day of the run (ISO 8601); sets its pricing date"),
    Column("run", "text", "run identifier"),
)

# Nested counts: a part can never exceed its whole.
PARTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("cache_read_tokens", "cache_write_tokens"), "input_tokens"),
    (("cache_write_1h_tokens",), "cache_write_tokens"),
    (("reasoning_tokens",), "output_tokens"),
)
