"""Our vectorised pricing agrees with genai-prices' own ``calc_price`` (Decimal arithmetic).

For hundreds of (provider, model) pairs of the bundled snapshot, a random usage of one API
call (``calls = 1``, so the prompt that picks a tier is the whole input) at an explicit
timestamp is priced both ways: ``attach_prices`` + ``price_rows`` here, ``genai_prices.calc_price``
there. Naming differs in one place: our ``reasoning_tokens`` is genai-prices'
``output_reasoning_tokens`` (both a part of output tokens).

Models with price keys we do not model (audio, image, video, characters, pages...) are left
out, as are models genai-prices itself cannot find by their own id.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import genai_prices
import numpy as np
import pandas as pd
import pytest
from genai_prices import types as gp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import measurement_rows, token_rows

from pricing.book import attach_prices
from pricing.snapshot import bundled, conditional_prices
from tokenomics.costing import price_rows
from tokenomics.units import PRICE_KEYS, REQUEST_PRICE_KEY

TODAY = date(2026, 11, 24)
# Per-count fees for things our usage never reports: both sides bill them 0 here.
IGNORABLE_KEYS = {"web_searches_kcount", "storage_searches_kcount"}
MODELLED_KEYS = {*PRICE_KEYS, REQUEST_PRICE_KEY}
RTOL = 1e-9


def _keys(prices: gp.ModelPrice) -> set[str]:
    return {k for k, v in prices.__dict__.items() if v is not None and not k.startswith("_")}


def _tier_starts(model: gp.ModelInfo) -> list[int]:
    starts = set()
    for _, prices in conditional_prices(model):
        for key in _keys(prices):
            value = getattr(prices, key)
            if isinstance(value, gp.TieredPrices):
                starts.update(t.start for t in value.tiers)
    return sorted(starts)


def comparable_models(snapshot) -> list[tuple[str, str, list[int]]]:
    """(provider id, model id, tier starts) of every model we can price the way genai-prices does."""
    out = []
    for provider in snapshot.providers:
        for model in provider.models:
            entries = conditional_prices(model)
            if any(p.input_mtok is None or p.output_mtok is None for _, p in entries):
                continue
            if any(_keys(p) - MODELLED_KEYS - IGNORABLE_KEYS for _, p in entries):
                continue
            try:
                found = snapshot.find_provider_model(model.id, None, provider.id, None)
            except LookupError:
                continue
            if found[1] is not model:
                continue
            out.append((provider.id, model.id, _tier_starts(model)))
    return out


@pytest.fixture(scope="module")
def snapshot():
    return bundled()


@pytest.fixture(scope="module")
def sample(snapshot) -> list[tuple[str, str, list[int]]]:
    """200 random models, plus every tiered model and every DeepSeek model (time-dependent prices)."""
    models = comparable_models(snapshot)
    rng = random.Random(20251003)
    chosen = {(p, m) for p, m, _ in rng.sample(models, 200)}
    chosen |= {(p, m) for p, m, tiers in models if tiers or p == "deepseek"}
    return [entry for entry in models if (entry[0], entry[1]) in chosen]


def random_usage(rng: random.Random, tier_starts: list[int]) -> dict[str, int]:
    """A usage of one call; for tiered models the prompt lands below, at or above a tier start."""
    if tier_starts and rng.random() < 0.7:
        start = rng.choice(tier_starts)
        input_tokens = rng.choice([start - rng.randint(1, 5_000), start, start + rng.randint(1, 300_000)])
    else:
        input_tokens = rng.choice([rng.randint(0, 2_000), rng.randint(0, 150_000), rng.randint(0, 1_500_000)])
    input_tokens = max(input_tokens, 0)
    cache_read = rng.randint(0, input_tokens) if rng.random() < 0.7 else 0
    cache_write = rng.randint(0, input_tokens - cache_read) if rng.random() < 0.5 else 0
    cache_write_1h = rng.randint(0, cache_write) if rng.random() < 0.3 else 0
    output_tokens = rng.randint(0, 100_000)
    reasoning = rng.randint(0, output_tokens) if rng.random() < 0.6 else 0
    return {
        "input_tokens": input_tokens,
        "cache_read_tokens": cache_read,
        "cache_write_tokens": cache_write,
        "cache_write_1h_tokens": cache_write_1h,
        "output_tokens": output_tokens,
        "reasoning_tokens": reasoning,
    }


def random_time(rng: random.Random) -> datetime:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(3 * 365 * 86_400))


def reference_price(provider: str, model: str, usage: dict[str, int], when: datetime) -> gp.PriceCalculation:
    return genai_prices.calc_price(
        genai_prices.Usage(
            input_tokens=usage["input_tokens"],
            cache_read_tokens=usage["cache_read_tokens"],
            cache_write_tokens=usage["cache_write_tokens"],
            cache_write_1h_tokens=usage["cache_write_1h_tokens"],
            output_tokens=usage["output_tokens"],
            output_reasoning_tokens=usage["reasoning_tokens"],
        ),
        model,
        provider_id=provider,
        genai_request_timestamp=when,
    )


def our_prices(snapshot, records: list[dict]) -> pd.DataFrame:
    frame = measurement_rows(records).drop(columns=["price_id"])
    priced = attach_prices(frame, snapshot, today=TODAY)
    return pd.concat([priced.rows, price_rows(priced.rows, priced.table)], axis=1)


def test_sample_is_broad(sample):
    providers = {p for p, _, _ in sample}
    assert len(sample) >= 250
    assert len(providers) >= 20
    assert sum(1 for _, _, tiers in sample if tiers) >= 50
    assert any(p == "deepseek" and m == "deepseek-chat" for p, m, _ in sample)


def test_agrees_with_calc_price(snapshot, sample):
    rng = random.Random(42)
    records, references = [], []
    for provider, model, tiers in sample:
        for _ in range(2):
            usage = random_usage(rng, tiers)
            when = random_time(rng)
            try:
                ref = reference_price(provider, model, usage, when)
            except (LookupError, ValueError):
                continue
            records.append(
                {
                    **usage,
                    "provider": provider,
                    "model": model,
                    "calls": 1,
                    "timestamp": pd.Timestamp(when),
                    "time_known": True,
                }
            )
            references.append(ref)
    assert len(records) >= 500
    ours = our_prices(snapshot, records)

    assert (ours["cost_basis"] == "priced").all()
    expected_total = np.array([float(r.total_price) for r in references])
    expected_in = np.array([float(r.input_price) for r in references])
    expected_out = np.array([float(r.output_price) for r in references])
    ours_in = ours[["cost_input", "cost_cache_read", "cost_cache_write"]].sum(axis=1).to_numpy()
    ours_out = ours[["cost_output", "cost_reasoning"]].sum(axis=1).to_numpy()

    bad = ~np.isclose(ours["cost"].to_numpy(), expected_total, rtol=RTOL, atol=1e-15)
    details = [
        f"{records[i]['provider']}/{records[i]['model']} at {records[i]['timestamp']}: "
        f"ours {ours['cost'].iloc[i]!r} vs genai-prices {expected_total[i]!r}"
        for i in np.flatnonzero(bad)[:10]
    ]
    assert not bad.any(), f"{bad.sum()} of {len(bad)} disagree:\n" + "\n".join(details)
    np.testing.assert_allclose(ours_in, expected_in, rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(ours_out, expected_out, rtol=RTOL, atol=1e-15)

    # The sample did exercise tiers: prompts above a tier start, priced at the tier rate.
    starts = {(p, m): tiers for p, m, tiers in sample}
    crossed = sum(
        1
        for r in records
        if starts[(r["provider"], r["model"])] and r["input_tokens"] > starts[(r["provider"], r["model"])][0]
    )
    assert crossed >= 30


# A few models whose price depends on the prompt size or the hour, checked on usages hypothesis
# looks for: Anthropic and Google long-context tiers, DeepSeek peak/off-peak and dated changes.
EDGE_MODELS = [
    ("anthropic", "claude-sonnet-4-5"),
    ("google", "gemini-2.5-pro"),
    ("deepseek", "deepseek-chat"),
    ("deepseek", "deepseek-v4-flash"),
]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(EDGE_MODELS),
    token_rows(max_input=600_000, max_output=60_000),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)),
)
def test_edge_models_agree_with_calc_price(snapshot, pair, usage, when):
    provider, model = pair
    ref = reference_price(provider, model, usage, when)
    ours = our_prices(
        snapshot,
        [
            {
                **usage,
                "provider": provider,
                "model": model,
                "calls": 1,
                "timestamp": pd.Timestamp(when),
                "time_known": True,
            }
        ],
    )
    assert ours["cost"].iloc[0] == pytest.approx(float(ref.total_price), rel=RTOL, abs=1e-15)
