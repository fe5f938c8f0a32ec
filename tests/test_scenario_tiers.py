"""The service-tier factors in ``tokenomics.scenario`` agree with genai-prices' price variants."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from pricing.snapshot import bundled
from tokenomics.scenario import PUBLISHED_TIER_FACTORS, Scenario, tier_factor_table

VARIANT_TIER = {("processing", "batch"): "batch", ("service_tier", "flex"): "flex"}
VARIANT_TIER[("service_tier", "priority")] = "priority"


def _base(value: object) -> float | None:
    if value is None:
        return None
    return float(value.base) if hasattr(value, "base") else float(value)


def _latest(prices: object) -> object:
    return prices[-1].prices if isinstance(prices, list) else prices


def variant_ratios() -> dict[tuple[str, str], Counter]:
    """(provider, tier) -> how often each variant/standard ratio of input and output prices occurs."""
    ratios: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for provider in bundled().providers:
        for model in provider.models:
            for variant in model.price_variants or []:
                tier = next((VARIANT_TIER[item] for item in variant.when.items() if item in VARIANT_TIER), None)
                if tier is None:
                    continue
                standard, changed = _latest(model.prices), _latest(variant.prices)
                for key in ("input_mtok", "output_mtok"):
                    b, v = _base(getattr(standard, key)), _base(getattr(changed, key))
                    if b and v is not None:
                        ratios[(provider.id, tier)][round(v / b, 3)] += 1
    return ratios


RATIOS = variant_ratios()


@pytest.mark.parametrize(("provider", "tier"), [(p, t) for p, tiers in PUBLISHED_TIER_FACTORS.items() for t in tiers])
def test_each_published_factor_is_the_most_common_ratio(provider, tier):
    counts = RATIOS[(provider, tier)]
    top = max(counts.values())
    assert PUBLISHED_TIER_FACTORS[provider][tier] in {r for r, n in counts.items() if n == top}


def test_no_published_tier_is_left_out():
    assert {(p, t) for p, tiers in PUBLISHED_TIER_FACTORS.items() for t in tiers} == set(RATIOS)


def test_the_tier_table_says_where_each_factor_comes_from():
    table = tier_factor_table(["openai", "deepseek"], Scenario(tier_factors={"openai": {"flex": 0.45}}))
    rows = {(r.provider, r.tier): (r.factor, r.source.split(" ")[0]) for r in table.itertuples()}
    assert rows[("openai", "batch")] == (0.5, "genai-prices")
    assert rows[("openai", "flex")] == (0.45, "edited")
    assert rows[("deepseek", "batch")] == (1.0, "not")
