"""Token usage and reported cost from a chat-completion response, whichever provider sent it.

Counts follow the project's convention (``tokenomics.units``): ``input_tokens`` includes cached
tokens, ``output_tokens`` includes reasoning tokens. Provider variants handled here:

- OpenAI (and vLLM, SGLang, Together, Fireworks...): ``usage.prompt_tokens_details.cached_tokens``,
  ``usage.completion_tokens_details.reasoning_tokens``.
- DeepSeek: ``usage.prompt_cache_hit_tokens`` (its ``prompt_cache_miss_tokens`` is the rest).
- Moonshot: ``usage.cached_tokens`` at the top of ``usage``.
- OpenRouter: the OpenAI details plus ``usage.cost`` in USD (credits), reported per call.
- Anthropic Messages: ``input_tokens`` *excludes* cache reads and writes, so they are added back.

``genai_prices.extract_usage`` covers many of these, but it refuses a model missing from its
catalogue (every self-hosted or fine-tuned model) and drops DeepSeek's cache hits, so the harness
reads the usage block itself; tests check the two agree where genai-prices knows the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from inputs.limits import current


@dataclass(frozen=True)
class Usage:
    """Tokens of one API call; None where the response did not say."""

    input_tokens: int | None = None
    cache_read_tokens: int | None = None
    cache_write_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    cost_usd: float | None = None
    """The provider's own figure for the call, when it reports one (OpenRouter's ``usage.cost``)."""


class UsageError(ValueError):
    """A usage block with a count or cost that cannot be true (negative, fractional, non-finite, absurd)."""


def _count(value: Any, name: str = "count") -> int | None:
    """A token count as reported, or None when absent; ``UsageError`` for anything but a plausible whole number.

    >>> _count(12), _count(None), _count(12.0)
    (12, None, 12)
    >>> _count(1e23, "prompt_tokens")
    Traceback (most recent call last):
    ...
    harness.usage.UsageError: prompt_tokens is 1e+23, above the 1e+09 tokens an attempt may plausibly use
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{name} is not a number ({str(value)[:40]!r})")
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"{name} is {value!r}, not a non-negative finite number")
    if value != int(value):
        raise UsageError(f"{name} is {value!r}, not a whole number of tokens")
    bound = current().max_tokens_per_attempt
    if value > bound:
        raise UsageError(f"{name} is {value:.3g}, above the {bound:.3g} tokens an attempt may plausibly use")
    return int(value)


def _cost(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"cost is not a number ({str(value)[:40]!r})")
    bound = current().max_cost_per_attempt
    if not math.isfinite(value) or value < 0 or value > bound:
        raise UsageError(f"cost is {value!r}, not a plausible USD amount (0 to {bound:g})")
    return float(value)


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def openai_usage(response: Any) -> Usage | None:
    """Usage of an OpenAI-style chat completion (or its final streamed chunk); None without ``usage``.

    ``UsageError`` when a count or the cost is negative, fractional, non-finite or past the bounds.

    >>> u = openai_usage({"usage": {"prompt_tokens": 100, "completion_tokens": 20,
    ...     "prompt_tokens_details": {"cached_tokens": 64}, "completion_tokens_details": {"reasoning_tokens": 8}}})
    >>> u.input_tokens, u.cache_read_tokens, u.output_tokens, u.reasoning_tokens
    (100, 64, 20, 8)
    >>> openai_usage({"usage": {"prompt_tokens": 100, "prompt_cache_hit_tokens": 30}}).cache_read_tokens  # DeepSeek
    30
    """
    usage = _dig(response, "usage")
    if not isinstance(usage, dict):
        return None
    cached = _count(
        next(
            (
                v
                for v in (
                    _dig(usage, "prompt_tokens_details", "cached_tokens"),
                    usage.get("prompt_cache_hit_tokens"),  # DeepSeek
                    usage.get("cached_tokens"),  # Moonshot
                )
                if v is not None
            ),
            None,
        ),
        "cached_tokens",
    )
    cache_write = _count(_dig(usage, "prompt_tokens_details", "cache_write_tokens"), "cache_write_tokens")
    return Usage(
        input_tokens=_count(usage.get("prompt_tokens"), "prompt_tokens"),
        cache_read_tokens=cached,
        cache_write_tokens=cache_write,
        output_tokens=_count(usage.get("completion_tokens"), "completion_tokens"),
        reasoning_tokens=_count(_dig(usage, "completion_tokens_details", "reasoning_tokens"), "reasoning_tokens"),
        cost_usd=_cost(usage.get("cost")),
    )


def anthropic_usage(response: Any) -> Usage | None:
    """Usage of an Anthropic Messages response; None without ``usage``.

    >>> u = anthropic_usage({"usage": {"input_tokens": 10, "cache_read_input_tokens": 300,
    ...     "cache_creation_input_tokens": 50, "output_tokens": 40}})
    >>> u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.output_tokens
    (360, 300, 50, 40)
    """
    usage = _dig(response, "usage")
    if not isinstance(usage, dict):
        return None
    fresh = _count(usage.get("input_tokens"), "input_tokens")
    read = _count(usage.get("cache_read_input_tokens"), "cache_read_input_tokens")
    write = _count(usage.get("cache_creation_input_tokens"), "cache_creation_input_tokens")
    total = None if fresh is None else fresh + (read or 0) + (write or 0)
    return Usage(
        input_tokens=total,
        cache_read_tokens=read,
        cache_write_tokens=write,
        output_tokens=_count(usage.get("output_tokens"), "output_tokens"),
    )


def reply_text(response: Any) -> str | None:
    """The assistant's text in an OpenAI-style chat completion, or None if there is none."""
    content = _dig(response, "choices")
    if not isinstance(content, list) or not content:
        return None
    text = _dig(content[0], "message", "content")
    return text if isinstance(text, str) else None
