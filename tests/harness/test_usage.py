"""Usage blocks of each provider, and agreement with genai_prices.extract_usage where it knows the model."""

from __future__ import annotations

import pytest
from genai_prices import extract_usage

from harness.usage import Usage, UsageError, anthropic_usage, openai_usage, reply_text

OPENAI = {
    "model": "gpt-4o",
    "usage": {
        "prompt_tokens": 1200,
        "completion_tokens": 300,
        "prompt_tokens_details": {"cached_tokens": 1024},
        "completion_tokens_details": {"reasoning_tokens": 120},
    },
}


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (OPENAI["usage"], Usage(1200, 1024, None, 300, 120)),
        # DeepSeek: cache hits at the top level; hit + miss = prompt tokens.
        (
            {
                "prompt_tokens": 900,
                "completion_tokens": 50,
                "prompt_cache_hit_tokens": 640,
                "prompt_cache_miss_tokens": 260,
                "completion_tokens_details": {"reasoning_tokens": 30},
            },
            Usage(900, 640, None, 50, 30),
        ),
        # OpenRouter: OpenAI details plus the cost it charged, in USD.
        (
            {
                "prompt_tokens": 10,
                "completion_tokens": 5,
                "cost": 0.00042,
                "prompt_tokens_details": {"cached_tokens": 0},
            },
            Usage(10, 0, None, 5, None, 0.00042),
        ),
        # Moonshot: cached_tokens directly under usage.
        ({"prompt_tokens": 80, "completion_tokens": 8, "cached_tokens": 64}, Usage(80, 64, None, 8, None)),
        # null details (vLLM sends them) are simply absent.
        ({"prompt_tokens": 7, "completion_tokens": 2, "prompt_tokens_details": None}, Usage(7, None, None, 2, None)),
    ],
)
def test_openai_compatible_variants(usage: dict, expected: Usage) -> None:
    assert openai_usage({"usage": usage}) == expected


@pytest.mark.parametrize(
    ("usage", "words"),
    [
        ({"prompt_tokens": -1, "completion_tokens": 2}, "prompt_tokens is -1"),
        ({"prompt_tokens": 1, "completion_tokens": True}, "completion_tokens is not a number"),
        ({"prompt_tokens": 1, "completion_tokens": 2, "cost": "free"}, "cost is not a number"),
        ({"prompt_tokens": float("inf"), "completion_tokens": 2}, "prompt_tokens is inf"),
        ({"prompt_tokens": float("nan"), "completion_tokens": 2}, "prompt_tokens is nan"),
        ({"prompt_tokens": 1e23, "completion_tokens": 2}, "prompt_tokens is 1e+23, above"),
        ({"prompt_tokens": 2**64, "completion_tokens": 2}, "prompt_tokens is 1.84e+19, above"),
        ({"prompt_tokens": 10.5, "completion_tokens": 2}, "not a whole number"),
        ({"prompt_tokens": 1, "completion_tokens": 2, "cost": 1e300}, "not a plausible USD amount"),
    ],
)
def test_nonsense_usage_is_an_error_never_a_silent_unknown(usage: dict, words: str) -> None:
    """Negative, boolean, non-finite, fractional or absurd counts cannot be true: the attempt says so."""
    with pytest.raises(UsageError, match=words.replace("+", r"\+").replace(".", r"\.")):
        openai_usage({"usage": usage})


def test_no_usage_block() -> None:
    assert openai_usage({"choices": []}) is None
    assert anthropic_usage({"content": []}) is None


def test_anthropic_input_counts_cache_reads_and_writes() -> None:
    # Anthropic's input_tokens leaves cached tokens out: 25 + 4000 + 300 = 4325 in our convention.
    usage = {
        "input_tokens": 25,
        "cache_read_input_tokens": 4000,
        "cache_creation_input_tokens": 300,
        "output_tokens": 9,
    }
    assert anthropic_usage({"usage": usage}) == Usage(4325, 4000, 300, 9, None)


def test_agrees_with_genai_prices_on_openai_shape() -> None:
    theirs = extract_usage(OPENAI, provider_id="openai", api_flavor="chat").usage
    ours = openai_usage(OPENAI)
    assert ours is not None
    assert (ours.input_tokens, ours.cache_read_tokens, ours.output_tokens, ours.reasoning_tokens) == (
        theirs.input_tokens,
        theirs.cache_read_tokens,
        theirs.output_tokens,
        theirs.output_reasoning_tokens,
    )


def test_reply_text() -> None:
    assert reply_text({"choices": [{"message": {"content": "hi"}}]}) == "hi"
    assert reply_text({"choices": [{"message": {"content": None}}]}) is None
    assert reply_text({"choices": []}) is None
    assert reply_text([1, 2]) is None
